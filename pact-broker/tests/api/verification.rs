//! Pacts for verification (selectors, deduplication, pending, WIP, notices) and verification
//! results.

use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::*;

on_both_backends!(
    selectors_choose_pacts_and_identical_content_is_listed_once,
    pending_follows_successful_verifications_on_the_provider_branch,
    pending_is_decided_for_each_pact_of_one_answer,
    wip_pacts_are_added_when_asked_for,
    invalid_selectors_and_unknown_providers_are_refused,
    verification_results_are_published_and_read_back,
);

async fn publish(
    client: &Client,
    broker: &Broker,
    consumer: &str,
    version: &str,
    branch: Option<&str>,
    tags: &[&str],
    marker: &str,
) {
    let body = contracts_body(consumer, version, branch, tags, &[&pact(consumer, "Bar", marker)]);
    let r = client.post(&broker.at("/contracts/publish"), &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn for_verification(client: &Client, broker: &Broker, body: Value) -> Resp {
    client.post(&broker.at("/pacts/provider/Bar/for-verification"), &body).await
}

fn descriptions(r: &Resp) -> Vec<String> {
    r.json["_embedded"]["pacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["shortDescription"].as_str().unwrap().to_string())
        .collect()
}

/// Publishes a verification result for the pact at `pact_href` the way pact_verifier does.
async fn verify(
    client: &Client,
    pact_href: &str,
    provider_version: &str,
    branch: Option<&str>,
    success: bool,
) -> Resp {
    let pact = client.get(pact_href).await;
    assert_eq!(pact.status, 200, "{pact_href}: {}", pact.text);
    if let Some(branch) = branch {
        let provider = client.get(pact.json["_links"]["pb:provider"]["href"].as_str().unwrap()).await;
        let template = provider.json["_links"]["pb:branch-version"]["href"].as_str().unwrap();
        let url = template.replace("{branch}", &enc(branch)).replace("{version}", &enc(provider_version));
        assert!(client.put(&url, &json!({})).await.status < 300);
    }
    let publish = pact.json["_links"]["pb:publish-verification-results"]["href"].as_str().unwrap();
    let body = json!({"success": success, "providerApplicationVersion": provider_version,
                      "verifiedBy": {"implementation": "Pact-Rust", "version": "1.0.0"},
                      "testResults": [{"interactionId": "x", "success": success}]});
    client.post(publish, &body).await
}

async fn selectors_choose_pacts_and_identical_content_is_listed_once(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    publish(&client, &broker, "Foo", "1", Some("main"), &["prod"], "a").await;
    publish(&client, &broker, "Foo", "2", Some("main"), &[], "a").await; // same content as 1
    publish(&client, &broker, "Foo", "3", Some("feat"), &[], "c").await;
    publish(&client, &broker, "Qux", "1", Some("dev"), &[], "q").await;

    // pact_verifier first GETs the resource without a query, then POSTs to its self href.
    let get = client.get(&broker.at("/pacts/provider/Bar/for-verification")).await;
    assert_eq!(get.status, 200, "{}", get.text);
    assert_eq!(get.json["_links"]["self"]["href"], json!(broker.at("/pacts/provider/Bar/for-verification")));
    // The defaults: the latest of each consumer's main branch (Foo: main; Qux: none, so its latest).
    assert_eq!(descriptions(&get), ["latest from main branch", "latest"]);

    let main =
        for_verification(&client, &broker, json!({"consumerVersionSelectors": [{"mainBranch": true}]})).await;
    assert_eq!(descriptions(&main), ["latest from main branch"]);
    let entry = &main.json["_embedded"]["pacts"][0];
    let href = entry["_links"]["self"]["href"].as_str().unwrap();
    assert!(
        href.starts_with(&broker.at("/pacts/provider/Bar/consumer/Foo/pact-version/"))
            && href.contains("/metadata/"),
        "{href}"
    );
    assert_eq!(entry["_links"]["self"]["name"], "Pact between Foo (2) and Bar");
    let notice = entry["verificationProperties"]["notices"][0]["text"].as_str().unwrap();
    assert!(
        notice.ends_with(
            "matching the following criterion:\n    * latest version from the main branch 'main' (2)"
        ),
        "{notice}"
    );
    assert!(entry["verificationProperties"].get("pending").is_none(), "pending only when asked for");
    // The pact URL with metadata serves the pact, and its publish link keeps the metadata.
    let served = client.get(href).await;
    assert_eq!(served.status, 200);
    assert_eq!(
        served.json["_links"]["pb:publish-verification-results"]["href"],
        json!(format!("{href}/verification-results"))
    );

    // Two selectors pointing at the same content (Foo 1 tagged prod, Foo 2 on main) give one entry.
    let both = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"tag": "prod", "latest": true}, {"branch": "main"}, {"branch": "feat", "consumer": "Foo"}]}),
    )
    .await;
    assert_eq!(
        descriptions(&both),
        ["latest with tag prod, latest from branch main", "latest from branch feat"]
    );
    let notice =
        both.json["_embedded"]["pacts"][0]["verificationProperties"]["notices"][0]["text"].as_str().unwrap();
    assert!(notice.contains("matching the following criteria:\n    * latest version tagged 'prod' (1)\n    * latest version from branch 'main' (2)"), "{notice}");

    // Fallbacks, all versions of a tag, overall latest, consumer filter.
    let fallback = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"branch": "nope", "fallbackBranch": "feat"}]}),
    )
    .await;
    assert_eq!(descriptions(&fallback), ["latest from branch feat"]);
    let fallback_tag = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"tag": "nope", "latest": true, "fallbackTag": "prod"}]}),
    )
    .await;
    assert_eq!(descriptions(&fallback_tag), ["latest with tag prod"]);
    let latest =
        for_verification(&client, &broker, json!({"consumerVersionSelectors": [{"latest": true}]})).await;
    assert_eq!(descriptions(&latest), ["latest", "latest"]);
    let only_qux = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"latest": true, "consumer": "Qux"}]}),
    )
    .await;
    assert_eq!(
        only_qux.json["_embedded"]["pacts"][0]["_links"]["self"]["name"],
        "Pact between Qux (1) and Bar"
    );
    let matching = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"matchingBranch": true}], "providerVersionBranch": "dev"}),
    )
    .await;
    assert_eq!(descriptions(&matching), ["latest from branch dev"]);
    let none =
        for_verification(&client, &broker, json!({"consumerVersionSelectors": [{"branch": "nothing"}]}))
            .await;
    assert_eq!((none.status, none.json["_embedded"]["pacts"].clone()), (200, json!([])));

    // Deployed and released versions.
    let env =
        client.post(&broker.at("/environments"), &json!({"name": "production", "production": true})).await;
    let uuid = env.json["uuid"].as_str().unwrap().to_string();
    let deployed = client
        .post(
            &broker.at(&format!("/pacticipants/Foo/versions/3/deployed-versions/environment/{uuid}")),
            &json!({}),
        )
        .await;
    assert_eq!(deployed.status, 201, "{}", deployed.text);
    let released = client
        .post(
            &broker.at(&format!("/pacticipants/Qux/versions/1/released-versions/environment/{uuid}")),
            &json!({}),
        )
        .await;
    assert_eq!(released.status, 201, "{}", released.text);
    let in_prod = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"deployedOrReleased": true}]}),
    )
    .await;
    assert_eq!(descriptions(&in_prod), ["deployed to production", "released in production"]);
    let only_deployed = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"deployed": true, "environment": "production"}]}),
    )
    .await;
    assert_eq!(descriptions(&only_deployed), ["deployed to production"]);
    let notice = only_deployed.json["_embedded"]["pacts"][0]["verificationProperties"]["notices"][0]["text"]
        .as_str()
        .unwrap();
    assert!(notice.ends_with("    * consumer version(s) currently deployed to production (3)"), "{notice}");
    let env_only = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"environment": "production"}]}),
    )
    .await;
    assert_eq!(descriptions(&env_only).len(), 2);
    // Undeployed, and out of support: no longer selected, with or without the environment.
    let undeployed =
        client.patch(deployed.header("location").unwrap(), &json!({"currentlyDeployed": false})).await;
    assert_eq!(undeployed.status, 200, "{}", undeployed.text);
    let ended =
        client.patch(released.header("location").unwrap(), &json!({"currentlySupported": false})).await;
    assert_eq!(ended.status, 200, "{}", ended.text);
    for selector in [
        json!({"deployedOrReleased": true}),
        json!({"deployedOrReleased": true, "environment": "production"}),
        json!({"deployed": true}),
        json!({"deployed": true, "environment": "production"}),
        json!({"released": true, "environment": "production"}),
        json!({"environment": "production"}),
    ] {
        let gone =
            for_verification(&client, &broker, json!({"consumerVersionSelectors": [selector.clone()]})).await;
        assert_eq!((gone.status, descriptions(&gone).len()), (200, 0), "{selector}: {}", gone.text);
    }

    // The deprecated query-string form of GET.
    let query = client
        .get(&broker.at("/pacts/provider/Bar/for-verification?consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true"))
        .await;
    assert_eq!(descriptions(&query), ["latest with tag prod"]);
}

async fn pending_follows_successful_verifications_on_the_provider_branch(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    publish(&client, &broker, "Foo", "1", Some("main"), &[], "a").await;
    let request = json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionBranch": "main", "includePendingStatus": true});
    let first = for_verification(&client, &broker, request.clone()).await;
    let entry = first.json["_embedded"]["pacts"][0].clone();
    assert_eq!(entry["verificationProperties"]["pending"], json!(true));
    let notices: Vec<(String, String)> = entry["verificationProperties"]["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["when"].as_str().unwrap().to_string(), n["text"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(notices.len(), 6, "{notices:#?}");
    assert_eq!(notices[1].0, "before_verification");
    assert!(notices[1].1.starts_with("This pact is in pending state for this version of Bar because a successful verification result for a version of Bar from branch 'main' has not yet been published."), "{}", notices[1].1);
    assert_eq!(notices[2].0, "after_verification:success_true_published_false");

    // A failed verification keeps it pending; a successful one from the branch ends it.
    let href = entry["_links"]["self"]["href"].as_str().unwrap();
    let failed = verify(&client, href, "100", Some("main"), false).await;
    assert_eq!(failed.status, 201, "{}", failed.text);
    let still = for_verification(&client, &broker, request.clone()).await;
    assert_eq!(still.json["_embedded"]["pacts"][0]["verificationProperties"]["pending"], json!(true));
    // A success on another branch does not count for `main`...
    assert_eq!(verify(&client, href, "101", Some("feat"), true).await.status, 201);
    let still = for_verification(&client, &broker, request.clone()).await;
    assert_eq!(still.json["_embedded"]["pacts"][0]["verificationProperties"]["pending"], json!(true));
    // ...but a brand-new provider branch inherits it (the verification predates the branch).
    let new_branch = json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionBranch": "brand-new", "includePendingStatus": true});
    let inherited = for_verification(&client, &broker, new_branch).await;
    assert_eq!(inherited.json["_embedded"]["pacts"][0]["verificationProperties"]["pending"], json!(false));
    assert_eq!(verify(&client, href, "102", Some("main"), true).await.status, 201);
    let done = for_verification(&client, &broker, request).await;
    let properties = &done.json["_embedded"]["pacts"][0]["verificationProperties"];
    assert_eq!(properties["pending"], json!(false));
    assert_eq!(properties["notices"].as_array().unwrap().len(), 2);
    assert!(properties["notices"][1]["text"].as_str().unwrap().starts_with(
        "This pact has previously been successfully verified by a version of Bar from branch 'main'."
    ));

    // With provider tags instead of a branch, per tag: pending until a provider version with
    // the tag verified the content.
    let tags = json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionTags": ["dev"], "includePendingStatus": true});
    let by_tag = for_verification(&client, &broker, tags.clone()).await;
    assert_eq!(by_tag.json["_embedded"]["pacts"][0]["verificationProperties"]["pending"], json!(true));
    assert_eq!(
        client.put(&broker.at("/pacticipants/Bar/versions/102/tags/dev"), &json!({})).await.status,
        201
    );
    let by_tag = for_verification(&client, &broker, tags.clone()).await;
    assert_eq!(by_tag.json["_embedded"]["pacts"][0]["verificationProperties"]["pending"], json!(false));
    // New content is pending for everyone until verified.
    publish(&client, &broker, "Foo", "2", Some("main"), &[], "b").await;
    let by_tag = for_verification(&client, &broker, tags).await;
    assert_eq!(by_tag.json["_embedded"]["pacts"][0]["verificationProperties"]["pending"], json!(true));
}

/// Pending status is decided for all the pacts of an answer at once: each pact gets its own.
async fn pending_is_decided_for_each_pact_of_one_answer(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    for consumer in ["Foo", "Goo", "Hoo", "Ioo"] {
        publish(&client, &broker, consumer, "1", Some("main"), &[], consumer).await;
    }
    let pending_by_consumer = |answer: &Resp| -> Vec<(String, Value)> {
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json["_embedded"]["pacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let name = p["_links"]["self"]["name"].as_str().unwrap();
                let consumer = name.trim_start_matches("Pact between ").split(' ').next().unwrap();
                (consumer.to_string(), p["verificationProperties"]["pending"].clone())
            })
            .collect()
    };
    let on = |branch: &str| json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionBranch": branch, "includePendingStatus": true});
    let first = for_verification(&client, &broker, on("main")).await;
    let href = |consumer: &str| {
        first.json["_embedded"]["pacts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["_links"]["self"]["name"].as_str().unwrap().contains(&format!(" {consumer} ")))
            .map(|p| p["_links"]["self"]["href"].as_str().unwrap().to_string())
            .unwrap()
    };
    // Foo: verified on main. Goo: failed on main. Hoo: verified on another branch, after main
    // existed. Ioo: never verified.
    assert_eq!(verify(&client, &href("Foo"), "100", Some("main"), true).await.status, 201);
    assert_eq!(verify(&client, &href("Goo"), "101", Some("main"), false).await.status, 201);
    assert_eq!(verify(&client, &href("Hoo"), "102", Some("feat"), true).await.status, 201);
    // Pending for Foo, Goo, Hoo and Ioo, in that order.
    let expected = |pending: [bool; 4]| {
        ["Foo", "Goo", "Hoo", "Ioo"]
            .iter()
            .zip(pending)
            .map(|(c, p)| (c.to_string(), json!(p)))
            .collect::<Vec<_>>()
    };
    let main = for_verification(&client, &broker, on("main")).await;
    assert_eq!(pending_by_consumer(&main), expected([false, true, true, true]), "{:#}", main.json);
    // A branch that does not exist yet inherits every success, from any branch.
    let new = for_verification(&client, &broker, on("brand-new")).await;
    assert_eq!(pending_by_consumer(&new), expected([false, true, false, true]), "{:#}", new.json);

    // With provider tags: Foo's and Goo's verifiers are tagged `dev`, Hoo's has no tag, and
    // Ioo is verified by a version tagged `other` after `dev` was first used.
    let tag =
        |version: &str, name: &str| broker.at(&format!("/pacticipants/Bar/versions/{version}/tags/{name}"));
    for version in ["100", "101"] {
        assert_eq!(client.put(&tag(version, "dev"), &json!({})).await.status, 201);
    }
    assert_eq!(verify(&client, &href("Ioo"), "103", None, true).await.status, 201);
    assert_eq!(client.put(&tag("103", "other"), &json!({})).await.status, 201);
    let tagged = |tag: &str| json!({"consumerVersionSelectors": [{"mainBranch": true}], "providerVersionTags": [tag], "includePendingStatus": true});
    let dev = for_verification(&client, &broker, tagged("dev")).await;
    assert_eq!(pending_by_consumer(&dev), expected([false, true, true, true]), "{:#}", dev.json);
    // A tag never used yet inherits every success of a tagged provider version.
    let unused = for_verification(&client, &broker, tagged("never-used")).await;
    assert_eq!(pending_by_consumer(&unused), expected([false, true, true, false]), "{:#}", unused.json);
    // With neither: pending until any provider version verified it.
    let neither = json!({"consumerVersionSelectors": [{"mainBranch": true}], "includePendingStatus": true});
    let neither = for_verification(&client, &broker, neither).await;
    assert_eq!(pending_by_consumer(&neither), expected([false, true, false, false]), "{:#}", neither.json);
}

async fn wip_pacts_are_added_when_asked_for(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    publish(&client, &broker, "Foo", "1", Some("main"), &[], "a").await;
    publish(&client, &broker, "Foo", "2", Some("feat-x"), &[], "x").await;
    publish(&client, &broker, "Foo", "3", Some("feat-y"), &[], "a").await; // same content as main
    let request = json!({
        "consumerVersionSelectors": [{"mainBranch": true}],
        "providerVersionBranch": "main",
        "includePendingStatus": true,
        "includeWipPactsSince": "2020-01-01"
    });
    let answer = for_verification(&client, &broker, request.clone()).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let pacts = answer.json["_embedded"]["pacts"].as_array().unwrap();
    assert_eq!(pacts.len(), 2, "{:#}", answer.json);
    assert!(pacts[0]["verificationProperties"].get("wip").is_none());
    let wip = &pacts[1];
    assert_eq!(wip["shortDescription"], "latest from branch feat-x");
    assert_eq!(wip["verificationProperties"]["wip"], json!(true));
    assert_eq!(wip["verificationProperties"]["pending"], json!(true));
    let reason = wip["verificationProperties"]["notices"][0]["text"].as_str().unwrap();
    assert!(reason.contains("is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest version of Foo from branch 'feat-x'"), "{reason}");
    // Verifying the WIP pact successfully on the provider branch takes it out of the WIP list.
    let href = wip["_links"]["self"]["href"].as_str().unwrap();
    assert_eq!(verify(&client, href, "7", Some("main"), true).await.status, 201);
    let stored = client
        .get(&format!(
            "{}/latest",
            href.split("/metadata/").next().unwrap().to_owned() + "/verification-results"
        ))
        .await;
    assert_eq!(stored.status, 200, "{}", stored.text);
    let after = for_verification(&client, &broker, request).await;
    assert_eq!(after.json["_embedded"]["pacts"].as_array().unwrap().len(), 1);
    // A date in the future leaves nothing to add.
    let future = for_verification(&client, &broker, json!({"providerVersionBranch": "x", "includeWipPactsSince": "2999-01-01T00:00:00Z", "consumerVersionSelectors": [{"mainBranch": true}]})).await;
    assert_eq!(future.json["_embedded"]["pacts"].as_array().unwrap().len(), 1);
}

async fn invalid_selectors_and_unknown_providers_are_refused(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    publish(&client, &broker, "Foo", "1", Some("main"), &[], "a").await;
    let cases = [
        (
            json!({"consumerVersionSelectors": [{"branch": "main", "environment": "prod"}]}),
            "consumerVersionSelectors",
        ),
        (json!({"consumerVersionSelectors": [{"mainBranch": false}]}), "consumerVersionSelectors"),
        (json!({"consumerVersionSelectors": [{}]}), "consumerVersionSelectors"),
        (
            json!({"consumerVersionSelectors": [{"deployed": true, "released": true}]}),
            "consumerVersionSelectors",
        ),
        (json!({"consumerVersionSelectors": [{"matchingBranch": true}]}), "providerVersionBranch"),
        (json!({"includeWipPactsSince": "not a date"}), "includeWipPactsSince"),
        (json!({"consumerVersionSelectors": "main"}), "consumerVersionSelectors"),
    ];
    for (body, field) in cases {
        let refused = for_verification(&client, &broker, body.clone()).await;
        assert_eq!(refused.status, 400, "{body}: {}", refused.text);
        assert!(refused.json["errors"].get(field).is_some(), "{body}: {}", refused.text);
    }
    let bad = for_verification(
        &client,
        &broker,
        json!({"consumerVersionSelectors": [{"tag": "x"}, {"branch": "main", "latest": false}]}),
    )
    .await;
    assert_eq!(
        bad.json["errors"]["consumerVersionSelectors"]["1"][0],
        "cannot specify a branch with latest=false"
    );
    let unknown_env =
        for_verification(&client, &broker, json!({"consumerVersionSelectors": [{"environment": "nowhere"}]}))
            .await;
    assert_eq!(unknown_env.status, 400);
    let unknown = client.post(&broker.at("/pacts/provider/Nobody/for-verification"), &json!({})).await;
    assert_eq!(unknown.status, 404);
}

async fn verification_results_are_published_and_read_back(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    publish(&client, &broker, "Foo", "1", Some("main"), &[], "a").await;
    let pact_href = broker.at(&pact_path("Bar", "Foo", "1"));
    let published = verify(&client, &pact_href, "2.0.0", Some("main"), true).await;
    assert_eq!(published.status, 201, "{}", published.text);
    let location = published.header("location").unwrap().to_string();
    assert!(location.ends_with("/verification-results/1"), "{location}");
    assert_eq!(published.json["providerApplicationVersion"], "2.0.0");
    assert_eq!(published.json["success"], json!(true));
    assert_eq!(published.json["verifiedBy"]["implementation"], "Pact-Rust");
    assert_eq!(published.json["_links"]["self"]["href"], json!(location));
    let read = client.get(&location).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json["testResults"][0]["interactionId"], "x");
    let latest =
        client.get(&broker.at("/pacts/provider/Bar/consumer/Foo/latest/verification-results/latest")).await;
    assert_eq!(latest.json["providerApplicationVersion"], "2.0.0");
    let for_consumer = client.get(&broker.at("/verification-results/consumer/Foo/version/1/latest")).await;
    assert_eq!(for_consumer.json["success"], json!(true));

    let publish_href = client.get(&pact_href).await.json["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let invalid = client.post(&publish_href, &json!({"success": "yes", "buildUrl": "not a url"})).await;
    assert_eq!(invalid.status, 400);
    let errors = invalid.json["errors"].as_object().unwrap();
    assert!(
        errors.contains_key("success")
            && errors.contains_key("providerApplicationVersion")
            && errors.contains_key("buildUrl"),
        "{errors:?}"
    );
    let unknown = client
        .post(
            &broker.at("/pacts/provider/Bar/consumer/Foo/pact-version/0000/verification-results"),
            &json!({"success": true, "providerApplicationVersion": "1"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(client.get(&format!("{}99", location.trim_end_matches('1'))).await.status, 404);
}
