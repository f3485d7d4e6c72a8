//! Publishing (`PUT /pacts/...`, `PATCH`, `POST /contracts/publish`), the pact resource,
//! content deduplication, conflicts, malformed pacts, pact lists and the index.

use serde_json::json;

use crate::on_both_backends;
use crate::support::*;

on_both_backends!(
    the_index_has_every_relation_with_its_templated_flag,
    a_put_publish_creates_then_is_idempotent_and_refuses_changed_content,
    identical_content_is_stored_once_whatever_its_formatting,
    a_patch_merges_interactions,
    publish_contracts_sets_branch_tags_and_build_url_and_answers_with_notices,
    publish_contracts_is_all_or_nothing,
    a_malformed_pact_gets_400_and_nothing_is_stored,
    latest_pacts_and_pact_lists,
    versions_tags_and_branches,
    pacticipants_are_listed_created_and_deleted,
);

async fn the_index_has_every_relation_with_its_templated_flag(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let index = Client::new().get(&broker.at("/")).await;
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), Some("application/hal+json;charset=utf-8"));
    let links = &index.json["_links"];
    let templated = [
        (
            "pb:publish-pact",
            "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
        ),
        ("pb:latest-provider-pacts", "/pacts/provider/{provider}/latest"),
        ("pb:provider-pacts-for-verification", "/pacts/provider/{provider}/for-verification"),
        ("beta:provider-pacts-for-verification", "/pacts/provider/{provider}/for-verification"),
        ("pb:pacticipant", "/pacticipants/{pacticipant}"),
        ("pb:tagged-pact-versions", "/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}"),
        ("pb:pacticipant-version-tag", "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}"),
        ("pb:pacticipant-branch-version", "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}"),
        ("pb:pacticipant-version", "/pacticipants/{pacticipant}/versions/{version}"),
        ("pb:latest-version", "/pacticipants/{pacticipant}/latest-version"),
        ("pb:environment", "/environments/{uuid}"),
        (
            "pb:can-i-deploy-pacticipant-version-to-environment",
            "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
        ),
    ];
    for (rel, path) in templated {
        assert_eq!(links[rel]["href"], json!(broker.at(path)), "{rel}");
        assert_eq!(links[rel]["templated"], json!(true), "{rel}");
    }
    let plain = [
        ("self", "/"),
        ("pb:publish-contracts", "/contracts/publish"),
        ("pb:latest-pact-versions", "/pacts/latest"),
        ("pb:pacticipants", "/pacticipants"),
        ("pb:environments", "/environments"),
        ("pb:webhooks", "/webhooks"),
    ];
    for (rel, path) in plain {
        assert_eq!(links[rel]["href"], json!(broker.at(path)), "{rel}");
        assert!(links[rel].get("templated").is_none(), "{rel}");
    }
    assert_eq!(links.as_object().unwrap().len(), 36, "{links:#}");
    // HEAD and OPTIONS answer on every resource.
    let head = Client::new().send("HEAD", &broker.at("/"), None, &[]).await;
    assert_eq!(head.status, 200);
    let options = Client::new().send("OPTIONS", &broker.at("/pacticipants"), None, &[]).await;
    assert_eq!(options.status, 200);
    let allow = options.header("allow").unwrap();
    assert!(allow.contains("GET") && allow.contains("POST") && allow.contains("OPTIONS"), "{allow}");
    assert!(!allow.contains("DELETE"), "{allow}");
}

async fn a_put_publish_creates_then_is_idempotent_and_refuses_changed_content(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let url = broker.at(&pact_path("Bar", "Foo", "1.0.0"));
    let created = client.put(&url, &pact("Foo", "Bar", "a")).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.header("location"), Some(url.as_str()));
    let links = &created.json["_links"];
    assert_eq!(links["pb:provider"]["href"], json!(broker.at("/pacticipants/Bar")));
    let publish = links["pb:publish-verification-results"]["href"].as_str().unwrap();
    assert!(publish.starts_with(&broker.at("/pacts/provider/Bar/consumer/Foo/pact-version/")), "{publish}");
    assert!(publish.ends_with("/verification-results"));
    assert_eq!(created.json["interactions"][0]["description"], "a request for a");
    assert!(created.json["createdAt"].as_str().unwrap().ends_with("+00:00"));

    let again = client.put(&url, &pact("Foo", "Bar", "a")).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json["_links"]["pb:pact-version"], links["pb:pact-version"]);

    let changed = client.put(&url, &pact("Foo", "Bar", "b")).await;
    assert_eq!(changed.status, 409);
    let message = changed.json["error"].as_str().unwrap();
    assert!(
        message.starts_with("Cannot change the content of the pact for Foo version 1.0.0 and provider Bar"),
        "{message}"
    );
    let read = client.get(&url).await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.json["interactions"][0]["description"], "a request for a",
        "the conflicting content was stored"
    );

    // The consumer or provider in the body must match the path.
    let mismatch = client.put(&broker.at(&pact_path("Bar", "Foo", "2")), &pact("Foo", "Baz", "a")).await;
    assert_eq!(mismatch.status, 400);
    let error = mismatch.json["errors"]["provider"]["name"][0].as_str().unwrap();
    assert!(error.contains("does not match"), "{error}");

    // With dangerous modification allowed, the content is replaced.
    drop(broker);
    let broker = Broker::start(&db, &["--allow-dangerous-contract-modification"]);
    let replaced = client.put(&broker.at(&pact_path("Bar", "Foo", "1.0.0")), &pact("Foo", "Bar", "b")).await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_eq!(replaced.json["interactions"][0]["description"], "a request for b");
}

async fn identical_content_is_stored_once_whatever_its_formatting(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let body = pact("Foo", "Bar", "a");
    let first = client.put(&broker.at(&pact_path("Bar", "Foo", "1")), &body).await;
    // The same pact, pretty-printed with other key order, from another consumer version.
    let reordered = format!(
        "{{\n  \"provider\": {{\"name\": \"Bar\"}},\n  \"metadata\": {},\n  \"interactions\": {},\n  \"consumer\": {{\"name\": \"Foo\"}}\n}}",
        body["metadata"], body["interactions"]
    );
    let second = client
        .send_raw(
            "PUT",
            &broker.at(&pact_path("Bar", "Foo", "2")),
            reordered.into_bytes(),
            "application/json",
        )
        .await;
    assert_eq!((first.status, second.status), (201, 201), "{}", second.text);
    let sha = |r: &Resp| r.json["_links"]["pb:pact-version"]["name"].as_str().unwrap().to_string();
    assert_eq!(sha(&first), sha(&second));
    // The permalink serves the content with the newest consumer version.
    let permalink = client.get(first.json["_links"]["pb:pact-version"]["href"].as_str().unwrap()).await;
    assert_eq!(permalink.status, 200);
    assert_eq!(permalink.json["_links"]["pb:consumer-version"]["name"], "2");
    let third = client.put(&broker.at(&pact_path("Bar", "Foo", "3")), &pact("Foo", "Bar", "c")).await;
    assert_ne!(sha(&first), sha(&third));
}

async fn a_patch_merges_interactions(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let url = broker.at(&pact_path("Bar", "Foo", "1"));
    assert_eq!(client.put(&url, &pact("Foo", "Bar", "a")).await.status, 201);
    let merged = client.patch(&url, &pact("Foo", "Bar", "b")).await;
    assert_eq!(merged.status, 200, "{}", merged.text);
    let descriptions: Vec<&str> = merged.json["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions, ["a request for a", "a request for b"]);
    // Changing an interaction that is already there is a conflict.
    let mut changed = pact("Foo", "Bar", "a");
    changed["interactions"][0]["response"]["status"] = json!(500);
    let conflict = client.patch(&url, &changed).await;
    assert_eq!(conflict.status, 409, "{}", conflict.text);
    assert_eq!(client.get(&url).await.json["interactions"].as_array().unwrap().len(), 2);
}

async fn publish_contracts_sets_branch_tags_and_build_url_and_answers_with_notices(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let mut body = contracts_body(
        "Foo",
        "abc123",
        Some("main"),
        &["main", "dev"],
        &[&pact("Foo", "Bar", "a"), &pact("Foo", "Baz", "a")],
    );
    body["buildUrl"] = json!("https://ci.example/builds/1");
    let published = client.post(&broker.at("/contracts/publish"), &body).await;
    assert_eq!(published.status, 200, "{}", published.text);
    assert_eq!(published.header("content-type"), Some("application/hal+json;charset=utf-8"));
    let notices: Vec<&str> =
        published.json["notices"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap()).collect();
    assert_eq!(notices[0], "Created Foo version abc123 with branch main and tags main, dev");
    assert!(
        notices.contains(&"Pact successfully published for Foo version abc123 and provider Bar."),
        "{notices:?}"
    );
    assert!(
        notices.contains(&"Pact successfully published for Foo version abc123 and provider Baz."),
        "{notices:?}"
    );
    let links = &published.json["_links"];
    assert_eq!(links["pb:contracts"].as_array().unwrap().len(), 2);
    assert_eq!(
        links["pb:pacticipant-version"]["href"],
        json!(broker.at("/pacticipants/Foo/versions/abc123"))
    );
    assert_eq!(links["pb:pacticipant-version-tags"][1]["name"], "dev");
    assert_eq!(published.json["_embedded"]["version"]["branch"], "main");

    let version = client.get(&broker.at("/pacticipants/Foo/versions/abc123")).await;
    assert_eq!(version.json["buildUrl"], "https://ci.example/builds/1");
    assert_eq!(version.json["_embedded"]["branchVersions"][0]["name"], "main");
    let tags: Vec<&str> = version.json["_embedded"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["main", "dev"]);
    // `main` is a main-branch candidate, so Foo's main branch is detected.
    assert_eq!(client.get(&broker.at("/pacticipants/Foo")).await.json["mainBranch"], "main");

    // Validation errors name the fields.
    let invalid = client
        .post(&broker.at("/contracts/publish"), &json!({"pacticipantName": "Foo", "contracts": []}))
        .await;
    assert_eq!(invalid.status, 400);
    assert_eq!(invalid.json, json!({"errors": {"pacticipantVersionNumber": ["is missing"]}}));
    let mut wrong_consumer = contracts_body("Foo", "2", None, &[], &[&pact("Foo", "Bar", "a")]);
    wrong_consumer["contracts"][0]["consumerName"] = json!("Other");
    let refused = client.post(&broker.at("/contracts/publish"), &wrong_consumer).await;
    assert_eq!(refused.status, 400);
    assert!(refused.json["errors"]["contracts"]["0"][0]
        .as_str()
        .unwrap()
        .contains("must match pacticipantName"));
    let mut not_base64 = contracts_body("Foo", "2", None, &[], &[&pact("Foo", "Bar", "a")]);
    not_base64["contracts"][0]["content"] = json!("%%%");
    let refused = client.post(&broker.at("/contracts/publish"), &not_base64).await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.json["errors"]["contracts"]["0"][0].as_str().unwrap().contains("base64"),
        "{}",
        refused.text
    );
}

async fn publish_contracts_is_all_or_nothing(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let first = contracts_body("Foo", "1", None, &[], &[&pact("Foo", "Bar", "a")]);
    assert_eq!(client.post(&broker.at("/contracts/publish"), &first).await.status, 200);
    // Baz would be new, but Bar's content changed for the same version: 409, and Baz is not stored.
    let both = contracts_body(
        "Foo",
        "1",
        Some("feat"),
        &["t"],
        &[&pact("Foo", "Baz", "a"), &pact("Foo", "Bar", "changed")],
    );
    let conflict = client.post(&broker.at("/contracts/publish"), &both).await;
    assert_eq!(conflict.status, 409, "{}", conflict.text);
    assert_eq!(conflict.json["notices"][0]["type"], "error");
    assert!(conflict.json["errors"]["contracts"][0]
        .as_str()
        .unwrap()
        .starts_with("Cannot change the content"));
    assert_eq!(client.get(&broker.at("/pacticipants/Baz")).await.status, 404);
    assert_eq!(client.get(&broker.at("/pacticipants/Foo/branches/feat")).await.status, 404);
    assert_eq!(client.get(&broker.at("/pacticipants/Foo/versions/1/tags/t")).await.status, 404);
}

async fn a_malformed_pact_gets_400_and_nothing_is_stored(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let mut bad = pact("Foo", "Bar", "a");
    bad["interactions"][0]["response"]["status"] = json!("200");
    let refused = client.put(&broker.at(&pact_path("Bar", "Foo", "1")), &bad).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert_eq!(refused.header("content-type"), Some("application/hal+json;charset=utf-8"));
    let message = refused.json["errors"]["pact"][0].as_str().unwrap();
    assert_eq!(message, "$.interactions[0].response.status: expected an integer, found \"200\"");
    let not_a_pact = client.put(&broker.at(&pact_path("Bar", "Foo", "1")), &json!([1, 2])).await;
    assert_eq!(not_a_pact.status, 400);
    let not_json = client
        .send_raw("PUT", &broker.at(&pact_path("Bar", "Foo", "1")), b"{not json".to_vec(), "application/json")
        .await;
    assert_eq!(not_json.status, 400);
    assert!(not_json.json["error"].as_str().unwrap().contains("not valid JSON"), "{}", not_json.text);
    let contracts = contracts_body("Foo", "1", Some("main"), &[], &[&bad]);
    let refused = client.post(&broker.at("/contracts/publish"), &contracts).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert!(refused.json["errors"]["contracts"]["0"][0]
        .as_str()
        .unwrap()
        .contains("$.interactions[0].response.status"));
    // Nothing at all was stored: no pacticipant, no version, no branch.
    assert_eq!(client.get(&broker.at("/pacticipants")).await.json["_embedded"]["pacticipants"], json!([]));
    assert_eq!(client.get(&broker.at("/pacts/latest")).await.json["pacts"], json!([]));
}

async fn latest_pacts_and_pact_lists(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let publish = |consumer: &'static str,
                   version: &'static str,
                   branch: &'static str,
                   tags: &'static [&'static str],
                   marker: &'static str| {
        let client = client.clone();
        let url = broker.at("/contracts/publish");
        async move {
            let body =
                contracts_body(consumer, version, Some(branch), tags, &[&pact(consumer, "Bar", marker)]);
            let r = client.post(&url, &body).await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    };
    publish("Foo", "1", "main", &["prod"], "a").await;
    publish("Foo", "2", "main", &[], "b").await;
    publish("Foo", "3", "feat", &[], "c").await;
    publish("Qux", "1", "master", &["prod"], "a").await;

    let latest = client.get(&broker.at("/pacts/provider/Bar/latest")).await;
    assert_eq!(latest.status, 200);
    let hrefs = |r: &Resp, rel: &str| -> Vec<String> {
        r.json["_links"][rel]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["href"].as_str().unwrap().to_string())
            .collect()
    };
    let expected = vec![broker.at(&pact_path("Bar", "Foo", "3")), broker.at(&pact_path("Bar", "Qux", "1"))];
    assert_eq!(hrefs(&latest, "pb:pacts"), expected);
    assert_eq!(hrefs(&latest, "pacts"), expected, "the deprecated relation pact_verifier reads");
    assert_eq!(hrefs(&client.get(&broker.at("/pacts/provider/Bar/latest/prod")).await, "pb:pacts").len(), 2);
    assert_eq!(
        hrefs(&client.get(&broker.at("/pacts/provider/Bar/branch/main/latest")).await, "pb:pacts"),
        vec![broker.at(&pact_path("Bar", "Foo", "2"))]
    );
    assert_eq!(
        hrefs(&client.get(&broker.at("/pacts/provider/Bar/branch/latest")).await, "pb:pacts"),
        vec![broker.at(&pact_path("Bar", "Foo", "2")), broker.at(&pact_path("Bar", "Qux", "1"))]
    );
    assert_eq!(hrefs(&client.get(&broker.at("/pacts/provider/Bar")).await, "pb:pacts").len(), 4);
    assert_eq!(hrefs(&client.get(&broker.at("/pacts/provider/Bar/tag/prod")).await, "pb:pacts").len(), 2);
    let empty = client.get(&broker.at("/pacts/provider/Bar/latest/nothing")).await;
    assert_eq!((empty.status, empty.json["_links"]["pacts"].clone()), (200, json!([])));
    assert_eq!(client.get(&broker.at("/pacts/provider/Nobody/latest")).await.status, 404);

    // Per pair.
    let pair = client.get(&broker.at("/pacts/provider/Bar/consumer/Foo/latest")).await;
    assert_eq!(pair.json["_links"]["self"]["href"], json!(broker.at(&pact_path("Bar", "Foo", "3"))));
    let tagged = client.get(&broker.at("/pacts/provider/Bar/consumer/Foo/latest/prod")).await;
    assert_eq!(tagged.json["_links"]["pb:consumer-version"]["name"], "1");
    let untagged = client.get(&broker.at("/pacts/provider/Bar/consumer/Foo/latest-untagged")).await;
    assert_eq!(untagged.json["_links"]["pb:consumer-version"]["name"], "3");
    let versions = client.get(&broker.at("/pacts/provider/Bar/consumer/Foo/versions")).await;
    assert_eq!(versions.json["_links"]["pb:pact-versions"].as_array().unwrap().len(), 3);
    let count = |path: &'static str| {
        let client = client.clone();
        let url = broker.at(path);
        async move { client.get(&url).await.json["_links"]["pb:pact-versions"].as_array().unwrap().len() }
    };
    assert_eq!(count("/pacts/provider/Bar/consumer/Foo/branch/main").await, 2);
    assert_eq!(count("/pacts/provider/Bar/consumer/Foo/branch/main/latest/versions").await, 1);
    assert_eq!(count("/pacts/provider/Bar/consumer/Foo/branch/versions").await, 2);
    assert_eq!(count("/pacts/provider/Bar/consumer/Foo/branch/latest/versions").await, 1);
    assert_eq!(count("/pacts/provider/Bar/consumer/Foo/tag/prod").await, 1);
    let metrics = client.get(&broker.at("/metrics")).await;
    assert_eq!(
        (metrics.json["pacticipants"]["count"].clone(), metrics.json["pactPublications"]["count"].clone()),
        (json!(3), json!(4))
    );

    // Every pair's latest pact, in the shape pact-broker-cli's list-latest-pact-versions reads.
    let all = client.get(&broker.at("/pacts/latest")).await;
    let pacts = all.json["pacts"].as_array().unwrap();
    assert_eq!(pacts.len(), 2);
    assert_eq!(pacts[0]["_embedded"]["consumer"]["name"], "Foo");
    assert_eq!(pacts[0]["_embedded"]["consumer"]["_embedded"]["version"]["number"], "3");
    assert_eq!(pacts[0]["_embedded"]["provider"]["name"], "Bar");

    // Deleting a pact.
    assert_eq!(client.delete(&broker.at(&pact_path("Bar", "Foo", "3"))).await.status, 204);
    let pair = client.get(&broker.at("/pacts/provider/Bar/consumer/Foo/latest")).await;
    assert_eq!(pair.json["_links"]["pb:consumer-version"]["name"], "2");
}

async fn versions_tags_and_branches(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    // pact_verifier's way: PUT tag and branch version with `{}`.
    let tag = client.put(&broker.at("/pacticipants/Bar/versions/1/tags/prod"), &json!({})).await;
    assert_eq!(tag.status, 201, "{}", tag.text);
    assert_eq!(tag.header("location"), Some(broker.at("/pacticipants/Bar/versions/1/tags/prod").as_str()));
    assert_eq!(tag.json["_links"]["version"]["href"], json!(broker.at("/pacticipants/Bar/versions/1")));
    assert_eq!(
        client
            .put(&broker.at("/pacticipants/Bar/versions/1/tags/prod"), &json!({"name": "prod"}))
            .await
            .status,
        200
    );
    // An empty body with no content type is accepted too.
    let empty = client
        .send_raw("PUT", &broker.at("/pacticipants/Bar/versions/1/tags/dev"), Vec::new(), "application/json")
        .await;
    assert_eq!(empty.status, 201);
    let branch = client.put(&broker.at("/pacticipants/Bar/branches/main/versions/1"), &json!({})).await;
    assert_eq!(branch.status, 201, "{}", branch.text);
    assert_eq!(branch.json["_links"]["pb:version"]["href"], json!(broker.at("/pacticipants/Bar/versions/1")));
    assert_eq!(
        client.put(&broker.at("/pacticipants/Bar/branches/main/versions/1"), &json!({})).await.status,
        200
    );
    assert_eq!(
        client.put(&broker.at("/pacticipants/Bar/branches/main/versions/2"), &json!({})).await.status,
        201
    );

    let pacticipant = client.get(&broker.at("/pacticipants/Bar")).await;
    let links = &pacticipant.json["_links"];
    assert_eq!(
        links["pb:version-tag"]["href"],
        json!(broker.at("/pacticipants/Bar/versions/{version}/tags/{tag}"))
    );
    assert_eq!(links["pb:version-tag"]["templated"], json!(true));
    assert_eq!(
        links["pb:branch-version"]["href"],
        json!(broker.at("/pacticipants/Bar/branches/{branch}/versions/{version}"))
    );
    assert_eq!(links["pb:branch-version"]["templated"], json!(true));
    assert_eq!(pacticipant.json["mainBranch"], "main");
    assert_eq!(pacticipant.json["_embedded"]["latestVersion"]["number"], "2");

    let latest = client.get(&broker.at("/pacticipants/Bar/latest-version")).await;
    assert_eq!(latest.json["number"], "2");
    assert_eq!(client.get(&broker.at("/pacticipants/Bar/latest-version/prod")).await.json["number"], "1");
    assert_eq!(
        client.get(&broker.at("/pacticipants/Bar/branches/main/latest-version")).await.json["number"],
        "2"
    );
    let v1 = client.get(&broker.at("/pacticipants/Bar/versions/1")).await;
    assert_eq!(v1.json["_embedded"]["branchVersions"][0]["latest"], json!(false));
    assert_eq!(v1.json["_embedded"]["tags"][0]["latest"], json!(true));
    let list = client.get(&broker.at("/pacticipants/Bar/versions")).await;
    let numbers: Vec<&str> = list.json["_embedded"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["2", "1"]);
    assert_eq!(
        client.get(&broker.at("/pacticipants/Bar/branches")).await.json["_embedded"]["branches"][0]["name"],
        "main"
    );
    let on_branch = client.get(&broker.at("/pacticipants/Bar/branches/main/versions")).await;
    assert_eq!(on_branch.json["_embedded"]["versions"].as_array().unwrap().len(), 2);

    // PUT a version with a build URL and tags.
    let put = client
        .put(
            &broker.at("/pacticipants/Bar/versions/3"),
            &json!({"buildUrl": "http://ci/3", "tags": [{"name": "t"}]}),
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.text);
    assert_eq!(put.json["buildUrl"], "http://ci/3");
    assert_eq!(client.put(&broker.at("/pacticipants/Bar/versions/3"), &json!({})).await.status, 200);
    assert!(
        client.get(&broker.at("/pacticipants/Bar/versions/3")).await.json.get("buildUrl").is_none(),
        "PUT replaces"
    );
    assert_eq!(
        client
            .patch(&broker.at("/pacticipants/Bar/versions/3"), &json!({"buildUrl": "http://ci/3b"}))
            .await
            .json["buildUrl"],
        "http://ci/3b"
    );

    // Deletions.
    assert_eq!(client.delete(&broker.at("/pacticipants/Bar/versions/1/tags/prod")).await.status, 204);
    assert_eq!(client.get(&broker.at("/pacticipants/Bar/versions/1/tags/prod")).await.status, 404);
    assert_eq!(client.delete(&broker.at("/pacticipants/Bar/branches/main/versions/2")).await.status, 204);
    assert_eq!(
        client.get(&broker.at("/pacticipants/Bar/branches/main/latest-version")).await.json["number"],
        "1"
    );
    assert_eq!(client.delete(&broker.at("/pacticipants/Bar/versions/3")).await.status, 204);
    assert_eq!(client.get(&broker.at("/pacticipants/Bar/versions/3")).await.status, 404);
}

async fn pacticipants_are_listed_created_and_deleted(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let created = client
        .post(
            &broker.at("/pacticipants"),
            &json!({"name": "foo-service", "repositoryUrl": "https://git/foo"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json["displayName"], "Foo Service");
    assert_eq!(
        client.post(&broker.at("/pacticipants"), &json!({})).await.json,
        json!({"errors": {"name": ["is missing"]}})
    );
    let patched =
        client.patch(&broker.at("/pacticipants/foo-service"), &json!({"mainBranch": "trunk"})).await;
    assert_eq!(patched.status, 200);
    assert_eq!(
        (patched.json["mainBranch"].clone(), patched.json["repositoryUrl"].clone()),
        (json!("trunk"), json!("https://git/foo"))
    );
    let put = client.put(&broker.at("/pacticipants/bar"), &json!({"displayName": "Bar!"})).await;
    assert_eq!(put.status, 201);
    let list = client.get(&broker.at("/pacticipants?pageSize=1&pageNumber=2")).await;
    assert_eq!(list.json["_embedded"]["pacticipants"][0]["name"], "foo-service");
    assert_eq!(list.json["page"]["totalElements"], 2);
    assert_eq!(client.get(&broker.at("/pacticipants?pageSize=0")).await.status, 400);
    assert_eq!(client.delete(&broker.at("/pacticipants/bar")).await.status, 204);
    assert_eq!(client.get(&broker.at("/pacticipants/bar")).await.status, 404);
    assert_eq!(
        client.get(&broker.at("/pacticipants/bar")).await.json,
        json!({"error": "No pacticipant with name 'bar' found"})
    );
}
