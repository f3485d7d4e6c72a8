//! Environments, deployed and released versions, the matrix and can-i-deploy.

use serde_json::{json, Value};

use crate::on_both_backends;
use crate::support::*;

on_both_backends!(
    environments_deployments_and_releases,
    can_i_deploy_answers_yes_no_and_unknown,
    the_matrix_connects_versions_and_honours_ignore,
    the_matrix_and_can_i_deploy_answer_in_text_when_asked,
);

async fn create_environment(client: &Client, broker: &Broker, name: &str) -> String {
    let created = client
        .post(
            &broker.at("/environments"),
            &json!({"name": name, "displayName": name.to_uppercase(), "production": true}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.json["uuid"].as_str().unwrap().to_string()
}

/// Records a deployment the way pact-broker-cli does: through the version's
/// `pb:record-deployment` entry named like the environment.
async fn record_deployment(
    client: &Client,
    broker: &Broker,
    pacticipant: &str,
    version: &str,
    environment: &str,
) -> Resp {
    let v = client
        .get(&broker.at(&format!("/pacticipants/{}/versions/{}", enc(pacticipant), enc(version))))
        .await;
    assert_eq!(v.status, 200, "{}", v.text);
    let href = v.json["_links"]["pb:record-deployment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == json!(environment))
        .unwrap_or_else(|| panic!("no pb:record-deployment for {environment}: {}", v.text))["href"]
        .as_str()
        .unwrap()
        .to_string();
    client.post(&href, &json!({"applicationInstance": null, "target": null})).await
}

async fn publish_and_verify(
    client: &Client,
    broker: &Broker,
    consumer_version: &str,
    marker: &str,
    provider_version: Option<(&str, bool)>,
) {
    let body = contracts_body("Foo", consumer_version, Some("main"), &[], &[&pact("Foo", "Bar", marker)]);
    assert_eq!(client.post(&broker.at("/contracts/publish"), &body).await.status, 200);
    if let Some((version, success)) = provider_version {
        let pact = client.get(&broker.at(&pact_path("Bar", "Foo", consumer_version))).await;
        let href = pact.json["_links"]["pb:publish-verification-results"]["href"].as_str().unwrap();
        let r = client.post(href, &json!({"success": success, "providerApplicationVersion": version})).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
}

async fn environments_deployments_and_releases(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    let uuid = create_environment(&client, &broker, "production").await;
    let env = client.get(&broker.at(&format!("/environments/{uuid}"))).await;
    assert_eq!(
        (env.json["name"].clone(), env.json["displayName"].clone()),
        (json!("production"), json!("PRODUCTION"))
    );
    let duplicate =
        client.post(&broker.at("/environments"), &json!({"name": "production", "production": false})).await;
    assert_eq!(duplicate.status, 400);
    assert!(duplicate.json["errors"]["name"][0].as_str().unwrap().contains("already exists"));
    let invalid = client.post(&broker.at("/environments"), &json!({"name": "has space"})).await;
    assert_eq!(
        invalid.json,
        json!({"errors": {"name": ["cannot contain spaces"], "production": ["is missing"]}})
    );
    let list = client.get(&broker.at("/environments")).await;
    assert_eq!(list.json["_embedded"]["environments"].as_array().unwrap().len(), 1);
    assert_eq!(
        client.get(&broker.at("/environments?name=test")).await.json["_embedded"]["environments"],
        json!([])
    );
    let test_uuid = create_environment(&client, &broker, "test").await;
    let replaced = client
        .put(
            &broker.at(&format!("/environments/{test_uuid}")),
            &json!({"name": "testing", "production": false}),
        )
        .await;
    assert_eq!(replaced.json["name"], "testing");

    // Deployments: each replaces the previous one of the same application instance.
    assert_eq!(client.put(&broker.at("/pacticipants/Bar/versions/1"), &json!({})).await.status, 201);
    assert_eq!(client.put(&broker.at("/pacticipants/Bar/versions/2"), &json!({})).await.status, 201);
    let first = record_deployment(&client, &broker, "Bar", "1", "production").await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.json["currentlyDeployed"], json!(true));
    let first_href = first.header("location").unwrap().to_string();
    let second = record_deployment(&client, &broker, "Bar", "2", "production").await;
    assert_eq!(second.status, 201);
    assert_eq!(client.get(&first_href).await.json["currentlyDeployed"], json!(false));
    let current = client
        .get(
            &broker.at(&format!("/environments/{uuid}/deployed-versions/currently-deployed?pacticipant=Bar")),
        )
        .await;
    let deployed = current.json["_embedded"]["deployedVersions"].as_array().unwrap();
    assert_eq!(deployed.len(), 1);
    assert_eq!(deployed[0]["_embedded"]["version"]["number"], "2");
    let version = client.get(&broker.at("/pacticipants/Bar/versions/2")).await;
    assert_eq!(version.json["_links"]["pb:deployed-environments"][0]["name"], "production");
    assert_eq!(version.json["_links"]["pb:record-release"].as_array().unwrap().len(), 2);
    // Undeploying, as pact-broker-cli record-undeployment does (merge-patch).
    let second_href = second.header("location").unwrap().to_string();
    let undeployed = client
        .send(
            "PATCH",
            &second_href,
            Some(&json!({"currentlyDeployed": false})),
            &[("Content-Type", "application/merge-patch+json")],
        )
        .await;
    assert_eq!(undeployed.status, 200, "{}", undeployed.text);
    assert_eq!(undeployed.json["currentlyDeployed"], json!(false));
    assert!(undeployed.json["undeployedAt"].is_string());
    let back = client.patch(&second_href, &json!({"currentlyDeployed": true})).await;
    assert_eq!(back.status, 400);
    let current =
        client.get(&broker.at(&format!("/environments/{uuid}/deployed-versions/currently-deployed"))).await;
    assert_eq!(current.json["_embedded"]["deployedVersions"], json!([]));

    // Releases: recorded once per version and environment; support can end.
    let release_href =
        broker.at(&format!("/pacticipants/Bar/versions/1/released-versions/environment/{uuid}"));
    let released = client.post(&release_href, &json!({})).await;
    assert_eq!(released.status, 201, "{}", released.text);
    assert_eq!(client.post(&release_href, &json!({})).await.status, 200);
    let supported =
        client.get(&broker.at(&format!("/environments/{uuid}/released-versions/currently-supported"))).await;
    assert_eq!(supported.json["_embedded"]["releasedVersions"].as_array().unwrap().len(), 1);
    let ended =
        client.patch(released.header("location").unwrap(), &json!({"currentlySupported": false})).await;
    assert_eq!(ended.json["currentlySupported"], json!(false));
    // Unknown environment or version.
    assert_eq!(
        client
            .post(&broker.at("/pacticipants/Bar/versions/1/deployed-versions/environment/nope"), &json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        client
            .post(
                &broker.at(&format!("/pacticipants/Bar/versions/9/deployed-versions/environment/{uuid}")),
                &json!({})
            )
            .await
            .status,
        404
    );
    assert_eq!(client.delete(&broker.at(&format!("/environments/{test_uuid}"))).await.status, 204);
    assert_eq!(client.get(&broker.at(&format!("/environments/{test_uuid}"))).await.status, 404);
}

async fn can_i_deploy(client: &Client, broker: &Broker, query: &str) -> Resp {
    client.get(&broker.at(&format!("/can-i-deploy?{query}"))).await
}

fn summary(r: &Resp) -> (Value, Value) {
    (r.json["summary"]["deployable"].clone(), r.json["summary"]["reason"].clone())
}

async fn can_i_deploy_answers_yes_no_and_unknown(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    create_environment(&client, &broker, "production").await;
    publish_and_verify(&client, &broker, "1", "a", Some(("10", true))).await;
    publish_and_verify(&client, &broker, "2", "b", Some(("10", false))).await;
    publish_and_verify(&client, &broker, "3", "c", None).await;

    // Nothing of Bar is in production yet: unknown.
    let unknown = can_i_deploy(&client, &broker, "pacticipant=Foo&version=1&environment=production").await;
    assert_eq!(unknown.status, 200, "{}", unknown.text);
    assert_eq!(
        summary(&unknown),
        (Value::Null, json!("There is no verified pact between version 1 of Foo and a version of Bar currently in production (no version is currently recorded as deployed/released in this environment)"))
    );
    assert_eq!(unknown.json["summary"]["unknown"], json!(1));
    let deployed = record_deployment(&client, &broker, "Bar", "10", "production").await;
    assert_eq!(deployed.status, 201);

    let yes = can_i_deploy(&client, &broker, "pacticipant=Foo&version=1&environment=production").await;
    assert_eq!(
        summary(&yes),
        (json!(true), json!("All required verification results are published and successful"))
    );
    assert_eq!(
        yes.json["notices"],
        json!([{"type": "success", "text": "All required verification results are published and successful"}])
    );
    let row = &yes.json["matrix"][0];
    assert_eq!(row["consumer"]["version"]["number"], "1");
    assert_eq!(row["consumer"]["version"]["branch"], "main");
    assert_eq!(row["provider"]["version"]["number"], "10");
    assert_eq!(row["provider"]["version"]["environments"][0]["name"], "production");
    assert_eq!(row["verificationResult"]["success"], json!(true));
    assert!(row["verificationResult"]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/verification-results/1"));

    let no = can_i_deploy(&client, &broker, "pacticipant=Foo&version=2&environment=production").await;
    assert_eq!(summary(&no), (json!(false), json!("The verification for the pact between version 2 of Foo and the version of Bar currently in production (10) failed")));
    assert_eq!(no.json["summary"]["failed"], json!(1));
    let unverified = can_i_deploy(&client, &broker, "pacticipant=Foo&version=3&environment=production").await;
    assert_eq!(unverified.json["summary"]["deployable"], Value::Null);
    let missing = can_i_deploy(&client, &broker, "pacticipant=Foo&version=99&environment=production").await;
    assert_eq!(
        summary(&missing),
        (json!(false), json!("No pacts or verifications have been published for version 99 of Foo"))
    );

    // The provider side: Bar 10 against what is in production (nothing of Foo yet: no dependencies).
    let provider = can_i_deploy(&client, &broker, "pacticipant=Bar&version=10&environment=production").await;
    assert_eq!(summary(&provider), (json!(true), json!("There are no missing dependencies")));
    assert_eq!(record_deployment(&client, &broker, "Foo", "2", "production").await.status, 201);
    let provider = can_i_deploy(&client, &broker, "pacticipant=Bar&version=10&environment=production").await;
    assert_eq!(provider.json["summary"]["deployable"], json!(false));
    // Ignoring Foo makes it deployable, and the ignored row is still shown.
    let ignored =
        can_i_deploy(&client, &broker, "pacticipant=Bar&version=10&environment=production&ignore[]=Foo")
            .await;
    assert_eq!(ignored.json["summary"]["deployable"], json!(true), "{:#}", ignored.json);
    assert_eq!(ignored.json["summary"]["ignored"], json!(1));
    assert_eq!(ignored.json["matrix"][0]["ignored"], json!(true));

    // To a tag (latest=true&tag=prod): Bar 10 tagged prod.
    assert_eq!(
        client.put(&broker.at("/pacticipants/Bar/versions/10/tags/prod"), &json!({})).await.status,
        201
    );
    assert_eq!(
        can_i_deploy(&client, &broker, "pacticipant=Foo&version=1&to=prod").await.json["summary"]
            ["deployable"],
        json!(true)
    );
    assert_eq!(
        can_i_deploy(&client, &broker, "pacticipant=Foo&version=2&to=prod").await.json["summary"]
            ["deployable"],
        json!(false)
    );
    let shortcut = client
        .get(
            &broker
                .at("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/production"),
        )
        .await;
    assert_eq!(shortcut.status, 200);
    assert_eq!(shortcut.json["summary"]["deployable"], Value::Null, "the latest of main is 3, unverified");

    // Invalid requests.
    let invalid = can_i_deploy(&client, &broker, "pacticipant=Foo").await;
    assert_eq!(invalid.status, 400);
    let errors = invalid.json["errors"].as_object().unwrap();
    assert!(errors.contains_key("version") && errors.contains_key("base"), "{errors:?}");
    let unknown_env = can_i_deploy(&client, &broker, "pacticipant=Foo&version=1&environment=mars").await;
    assert_eq!(
        unknown_env.json,
        json!({"errors": {"environment": ["Environment with name 'mars' not found"]}})
    );
    let unknown_pacticipant = can_i_deploy(&client, &broker, "pacticipant=Nobody&version=1&to=prod").await;
    assert_eq!(unknown_pacticipant.status, 400);
}

async fn the_matrix_connects_versions_and_honours_ignore(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    publish_and_verify(&client, &broker, "1", "a", Some(("10", true))).await;
    publish_and_verify(&client, &broker, "2", "a", None).await; // same content: verified by 10 too
    let matrix = |query: &'static str| {
        let client = client.clone();
        let url = broker.at(&format!("/matrix?{query}"));
        async move { client.get(&url).await }
    };
    // pact-broker-cli's can-i-deploy without a target (brackets percent-encoded, as it sends them).
    let cli = matrix("q%5B%5D%5Bpacticipant%5D=Foo&q%5B%5D%5Bversion%5D=2&latestby=cvp").await;
    assert_eq!(cli.status, 200, "{}", cli.text);
    assert_eq!(cli.json["summary"]["deployable"], json!(true), "{:#}", cli.json);
    assert_eq!(cli.json["notices"][0]["type"], "warning");
    assert_eq!(cli.json["matrix"][0]["provider"]["version"]["number"], "10");
    // Two selectors.
    let pair =
        matrix("q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv")
            .await;
    assert_eq!(pair.json["matrix"].as_array().unwrap().len(), 1);
    assert_eq!(pair.json["summary"]["deployable"], json!(true));
    let none = matrix("q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][version]=11").await;
    assert_eq!(none.json["summary"]["deployable"], json!(false), "Bar 11 does not exist");
    // Every row of the integration.
    let all = matrix("q[][pacticipant]=Foo&q[][pacticipant]=Bar").await;
    assert_eq!(all.json["matrix"].as_array().unwrap().len(), 2);
    // Errors are an array for this resource.
    let invalid = matrix("latestby=x").await;
    assert_eq!(invalid.status, 400);
    assert!(invalid.json["errors"].is_array(), "{}", invalid.text);
    let ignore_unknown =
        matrix("q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&ignore[][pacticipant]=Nobody").await;
    assert!(ignore_unknown.json["summary"]["reason"]
        .as_str()
        .unwrap()
        .contains("WARN: Cannot ignore any version of Nobody"));
}

/// GET with `Accept: text/plain` only; returns (status, content type, text).
async fn get_text(url: &str) -> (u16, String, String) {
    let response = reqwest::Client::new().get(url).header("Accept", "text/plain").send().await.unwrap();
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, content_type, response.text().await.unwrap())
}

async fn the_matrix_and_can_i_deploy_answer_in_text_when_asked(backend: Backend) {
    let db = fresh_database(backend).await;
    let broker = Broker::start(&db, &[]);
    let client = Client::new();
    create_environment(&client, &broker, "production").await;
    publish_and_verify(&client, &broker, "1", "a", Some(("10", true))).await;
    publish_and_verify(&client, &broker, "2", "b", Some(("11", false))).await;

    let (status, content_type, text) =
        get_text(&broker.at("/matrix?q[][pacticipant]=Foo&q[][version]=2&latestby=cvpv")).await;
    assert_eq!(status, 200, "{text}");
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "CONSUMER | C_VERSION | PROVIDER | P_VERSION | NUMBER | SUCCESS", "{text}");
    let row: Vec<&str> = lines[2].split('|').map(str::trim).collect();
    assert_eq!(row[..4], ["Foo", "2", "Bar", "11"], "{text}");
    assert_eq!(row[5], "false", "{text}");
    assert!(text.contains("\nDeployable: false\nReason: "), "{text}");

    let deployed = record_deployment(&client, &broker, "Bar", "10", "production").await;
    assert_eq!(deployed.status, 201, "{}", deployed.text);
    let (status, _, text) =
        get_text(&broker.at("/can-i-deploy?pacticipant=Foo&version=1&environment=production")).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("\nDeployable: true\n"), "{text}");
    // The same resource still answers HAL JSON to the clients.
    let json = can_i_deploy(&client, &broker, "pacticipant=Foo&version=1&environment=production").await;
    assert_eq!(json.json["summary"]["deployable"], json!(true), "{}", json.text);
    assert!(json.header("content-type").unwrap_or_default().contains("json"));
}
