//! Durability: 50 concurrent publishes, the broker killed with SIGKILL part-way through and
//! restarted. Every publish that was acknowledged (2xx) is there afterwards, complete, and the
//! database passes an integrity check: SQLite's `PRAGMA integrity_check` and
//! `foreign_key_check`, PostgreSQL's `amcheck` over every index, and on both a check that every
//! stored pact still hashes to its recorded hash.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::{Connection, Row};
use support::*;

const PUBLISHES: usize = 50;
/// The broker is killed once this many publishes were acknowledged.
const KILL_AFTER: usize = 12;

on_both_backends!(acknowledged_publishes_survive_a_kill_9);

async fn acknowledged_publishes_survive_a_kill_9(backend: Backend) {
    kill_during_publishes(backend, &[]).await;
}

/// `--sqlite-synchronous normal` gives up durability across power cuts, not across a crash or
/// kill of the broker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_normal_sqlite_synchronous_acknowledged_publishes_survive_a_kill_9_too() {
    kill_during_publishes(Backend::Sqlite, &["--sqlite-synchronous", "normal"]).await;
}

async fn kill_during_publishes(backend: Backend, args: &[&str]) {
    let db = fresh_database(backend).await;
    let mut broker = Broker::start(&db, args);
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..PUBLISHES {
        let (http, acknowledged, count) = (http.clone(), acknowledged.clone(), count.clone());
        let url = broker.at("/contracts/publish");
        // Bodies of a few kilobytes, so that a publish takes a moment to store.
        let mut content = pact(&format!("Consumer{i}"), "Provider", &format!("m{i}"));
        content["interactions"][0]["response"]["body"]["padding"] = serde_json::json!("p".repeat(4000));
        let body =
            contracts_body(&format!("Consumer{i}"), &format!("1.{i}"), Some("main"), &["t"], &[&content]);
        tasks.push(tokio::spawn(async move {
            let sent =
                http.post(url).header("Content-Type", "application/json").body(body.to_string()).send().await;
            if let Ok(response) = sent {
                if response.status().is_success() {
                    acknowledged.lock().unwrap().push(i);
                    count.fetch_add(1, Ordering::SeqCst);
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while count.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(Instant::now() < deadline, "publishes were not acknowledged: {}", broker.stderr());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    broker.kill();
    for task in tasks {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= KILL_AFTER);
    assert!(
        acknowledged.len() < PUBLISHES,
        "the kill came after every publish: raise PUBLISHES or lower KILL_AFTER"
    );

    let broker = Broker::start(&db, args);
    let client = Client::new();
    let mut present = 0;
    for i in 0..PUBLISHES {
        let consumer = format!("Consumer{i}");
        let pact = client.get(&broker.at(&pact_path("Provider", &consumer, &format!("1.{i}")))).await;
        if acknowledged.contains(&i) {
            assert_eq!(pact.status, 200, "acknowledged publish {i} is missing: {}", pact.text);
        }
        if pact.status == 200 {
            present += 1;
            // Whatever is there is complete: content, branch and tag of the same transaction.
            assert_eq!(pact.json["interactions"][0]["response"]["body"]["marker"], format!("m{i}"));
            let version =
                client.get(pact.json["_links"]["pb:consumer-version"]["href"].as_str().unwrap()).await;
            assert_eq!(version.json["_embedded"]["branchVersions"][0]["name"], "main", "publish {i}");
            assert_eq!(version.json["_embedded"]["tags"][0]["name"], "t", "publish {i}");
        }
    }
    eprintln!(
        "{} of {PUBLISHES} publishes acknowledged before the kill, {present} present after the restart",
        acknowledged.len()
    );
    drop(broker);
    integrity_check(&db).await;
}

async fn integrity_check(db: &Database) {
    match db.backend {
        Backend::Sqlite => {
            let path = db.sqlite_path().unwrap();
            let mut conn =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            let result: String =
                sqlx::query("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap().get(0);
            assert_eq!(result, "ok");
            let violations = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut conn).await.unwrap();
            assert!(violations.is_empty(), "{} foreign key violations", violations.len());
            check_hashes(
                sqlx::query("SELECT sha, content FROM pact_versions").fetch_all(&mut conn).await.unwrap(),
            );
        }
        Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
            sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck").execute(&mut conn).await.unwrap();
            let indexes = sqlx::query(
                "SELECT c.relname, bt_index_check(c.oid, true) IS NULL AS checked FROM pg_index i \
                 JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_am am ON am.oid = c.relam WHERE n.nspname = 'public' AND am.amname = 'btree'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            assert!(indexes.len() > 10, "only {} indexes checked", indexes.len());
            check_hashes(
                sqlx::query("SELECT sha, content FROM pact_versions").fetch_all(&mut conn).await.unwrap(),
            );
        }
    }
}

fn check_hashes<R: Row>(rows: Vec<R>)
where
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
{
    assert!(!rows.is_empty());
    for row in rows {
        let sha: String = row.get("sha");
        let content: String = row.get("content");
        let value: serde_json::Value = serde_json::from_str(&content).unwrap();
        assert_eq!(pact_broker::domain::pact_content::from_value(&value).sha, sha);
    }
}
