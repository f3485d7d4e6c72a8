//! Webhooks, the outbox of their triggered executions, and the execution logs.

use super::db;
use super::db::Row;

use super::records::{get, get_bool};
use super::{now, Args, Conn, StorageError, StorageResult};

/// A stored webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Row id.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// `description`.
    pub description: Option<String>,
    /// The consumer it is restricted to.
    pub consumer_id: Option<i64>,
    /// That consumer's name.
    pub consumer_name: Option<String>,
    /// The provider it is restricted to.
    pub provider_id: Option<i64>,
    /// That provider's name.
    pub provider_name: Option<String>,
    /// Whether events trigger it.
    pub enabled: bool,
    /// Event names, as a JSON array.
    pub events_json: String,
    /// The request template, as JSON.
    pub request_json: String,
    /// When it was created.
    pub created_at: String,
    /// When it was last changed.
    pub updated_at: String,
}

/// The columns of a webhook that a create or update sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookFields {
    /// `description`.
    pub description: Option<String>,
    /// The consumer it is restricted to.
    pub consumer_id: Option<i64>,
    /// The provider it is restricted to.
    pub provider_id: Option<i64>,
    /// Whether events trigger it.
    pub enabled: bool,
    /// Event names, as a JSON array.
    pub events_json: String,
    /// The request template, as JSON.
    pub request_json: String,
}

const WEBHOOK_SELECT: &str = "SELECT w.id, w.uuid, w.description, w.consumer_id, c.name AS consumer_name, \
     w.provider_id, p.name AS provider_name, w.enabled, w.events, w.request, w.created_at, w.updated_at \
     FROM webhooks w LEFT JOIN pacticipants c ON c.id = w.consumer_id LEFT JOIN pacticipants p ON p.id = w.provider_id";

fn webhook_from_row(row: &Row) -> StorageResult<Webhook> {
    Ok(Webhook {
        id: get(row, "id")?,
        uuid: get(row, "uuid")?,
        description: get(row, "description")?,
        consumer_id: get(row, "consumer_id")?,
        consumer_name: get(row, "consumer_name")?,
        provider_id: get(row, "provider_id")?,
        provider_name: get(row, "provider_name")?,
        enabled: get_bool(row, "enabled")?,
        events_json: get(row, "events")?,
        request_json: get(row, "request")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

/// The webhook with this uuid.
pub async fn find(conn: &mut Conn, uuid: &str) -> StorageResult<Option<Webhook>> {
    let sql = format!("{WEBHOOK_SELECT} WHERE w.uuid = $1");
    let row = db::query(&sql).bind(uuid).fetch_optional(&mut *conn).await?;
    row.as_ref().map(webhook_from_row).transpose()
}

/// Stores a new webhook.
pub async fn insert(conn: &mut Conn, uuid: &str, fields: &WebhookFields) -> StorageResult<Webhook> {
    let at = now();
    db::query(
        "INSERT INTO webhooks (uuid, description, consumer_id, provider_id, enabled, events, request, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(uuid)
    .bind(fields.description.as_deref())
    .bind(fields.consumer_id)
    .bind(fields.provider_id)
    .bind(i64::from(fields.enabled))
    .bind(&fields.events_json)
    .bind(&fields.request_json)
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    find(conn, uuid)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("webhook {uuid} vanished after insert")))
}

/// Replaces a webhook's fields.
pub async fn update(conn: &mut Conn, id: i64, fields: &WebhookFields) -> StorageResult<()> {
    db::query(
        "UPDATE webhooks SET description = $1, consumer_id = $2, provider_id = $3, enabled = $4, events = $5, \
         request = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(fields.description.as_deref())
    .bind(fields.consumer_id)
    .bind(fields.provider_id)
    .bind(i64::from(fields.enabled))
    .bind(&fields.events_json)
    .bind(&fields.request_json)
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes a webhook with its triggered executions and their logs.
pub async fn delete(conn: &mut Conn, id: i64) -> StorageResult<()> {
    db::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Which webhooks a list shows: all of them, or those whose consumer and provider are exactly
/// these (`None`: the webhook applies to any), as the official broker's scoped lists do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every webhook.
    All,
    /// Webhooks with exactly this consumer and provider restriction.
    Exactly {
        /// The consumer (`None`: webhooks for any consumer).
        consumer_id: Option<i64>,
        /// The provider (`None`: webhooks for any provider).
        provider_id: Option<i64>,
    },
}

/// Webhooks in a scope, oldest first.
pub async fn list(conn: &mut Conn, scope: Scope) -> StorageResult<Vec<Webhook>> {
    let rows = match scope {
        Scope::All => db::query(&format!("{WEBHOOK_SELECT} ORDER BY w.id")).fetch_all(&mut *conn).await?,
        Scope::Exactly { consumer_id, provider_id } => {
            let mut args = Args::default();
            let consumer = match consumer_id {
                Some(id) => format!("w.consumer_id = {}", args.int(id)),
                None => "w.consumer_id IS NULL".into(),
            };
            let provider = match provider_id {
                Some(id) => format!("w.provider_id = {}", args.int(id)),
                None => "w.provider_id IS NULL".into(),
            };
            let sql = format!("{WEBHOOK_SELECT} WHERE {consumer} AND {provider} ORDER BY w.id");
            db::Query::with_args(&sql, args.0).fetch_all(&mut *conn).await?
        }
    };
    rows.iter().map(webhook_from_row).collect()
}

/// The enabled webhooks that apply to a consumer/provider pair (restricted to them, or to any).
pub async fn enabled_for_pair(
    conn: &mut Conn,
    consumer_id: i64,
    provider_id: i64,
) -> StorageResult<Vec<Webhook>> {
    let sql = format!(
        "{WEBHOOK_SELECT} WHERE w.enabled = 1 AND (w.consumer_id IS NULL OR w.consumer_id = $1) \
         AND (w.provider_id IS NULL OR w.provider_id = $2) ORDER BY w.id"
    );
    let rows = db::query(&sql).bind(consumer_id).bind(provider_id).fetch_all(&mut *conn).await?;
    rows.iter().map(webhook_from_row).collect()
}

// ---------------------------------------------------------------------------------------------
// Triggered webhooks (the outbox)

/// Not executed yet.
pub const STATUS_NOT_RUN: &str = "not_run";
/// Failed, and will be retried.
pub const STATUS_RETRYING: &str = "retrying";
/// Succeeded.
pub const STATUS_SUCCESS: &str = "success";
/// Failed on its last attempt (or its webhook was disabled).
pub const STATUS_FAILURE: &str = "failure";

/// A webhook an event triggered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggeredWebhook {
    /// Row id.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// The webhook.
    pub webhook_id: i64,
    /// The webhook's uuid.
    pub webhook_uuid: String,
    /// The event.
    pub event_name: String,
    /// Consumer name.
    pub consumer_name: String,
    /// Provider name.
    pub provider_name: String,
    /// The publication that triggered it (contract events).
    pub pact_publication_id: Option<i64>,
    /// The verification that triggered it (verification events).
    pub verification_id: Option<i64>,
    /// The template variables, as JSON.
    pub variables_json: String,
    /// `not_run`, `retrying`, `success` or `failure`.
    pub status: String,
    /// Attempts so far.
    pub attempts_made: i64,
    /// When the next attempt is due (none once finished).
    pub next_attempt_at: Option<String>,
    /// When it was triggered.
    pub created_at: String,
}

/// A row to add to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTriggeredWebhook<'a> {
    /// The webhook.
    pub webhook_id: i64,
    /// The event.
    pub event_name: &'a str,
    /// Consumer.
    pub consumer_id: i64,
    /// Provider.
    pub provider_id: i64,
    /// The publication (contract events).
    pub pact_publication_id: Option<i64>,
    /// The verification (verification events).
    pub verification_id: Option<i64>,
    /// The template variables, as JSON.
    pub variables_json: String,
}

const TRIGGERED_SELECT: &str = "SELECT t.id, t.uuid, t.webhook_id, w.uuid AS webhook_uuid, t.event_name, \
     c.name AS consumer_name, p.name AS provider_name, t.pact_publication_id, t.verification_id, t.variables, \
     t.status, t.attempts_made, t.next_attempt_at, t.created_at FROM triggered_webhooks t \
     JOIN webhooks w ON w.id = t.webhook_id JOIN pacticipants c ON c.id = t.consumer_id \
     JOIN pacticipants p ON p.id = t.provider_id";

fn triggered_from_row(row: &Row) -> StorageResult<TriggeredWebhook> {
    Ok(TriggeredWebhook {
        id: get(row, "id")?,
        uuid: get(row, "uuid")?,
        webhook_id: get(row, "webhook_id")?,
        webhook_uuid: get(row, "webhook_uuid")?,
        event_name: get(row, "event_name")?,
        consumer_name: get(row, "consumer_name")?,
        provider_name: get(row, "provider_name")?,
        pact_publication_id: get(row, "pact_publication_id")?,
        verification_id: get(row, "verification_id")?,
        variables_json: get(row, "variables")?,
        status: get(row, "status")?,
        attempts_made: get(row, "attempts_made")?,
        next_attempt_at: get(row, "next_attempt_at")?,
        created_at: get(row, "created_at")?,
    })
}

/// Adds a row to the outbox, due now; returns its uuid.
pub async fn insert_triggered(conn: &mut Conn, new: &NewTriggeredWebhook<'_>) -> StorageResult<String> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let at = now();
    db::query(
        "INSERT INTO triggered_webhooks (uuid, webhook_id, event_name, consumer_id, provider_id, pact_publication_id, \
         verification_id, variables, status, attempts_made, next_attempt_at, claimed_until, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, NULL, $10, $10)",
    )
    .bind(&uuid)
    .bind(new.webhook_id)
    .bind(new.event_name)
    .bind(new.consumer_id)
    .bind(new.provider_id)
    .bind(new.pact_publication_id)
    .bind(new.verification_id)
    .bind(&new.variables_json)
    .bind(STATUS_NOT_RUN)
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    Ok(uuid)
}

/// The triggered webhook with this uuid.
pub async fn find_triggered(conn: &mut Conn, uuid: &str) -> StorageResult<Option<TriggeredWebhook>> {
    let sql = format!("{TRIGGERED_SELECT} WHERE t.uuid = $1");
    let row = db::query(&sql).bind(uuid).fetch_optional(&mut *conn).await?;
    row.as_ref().map(triggered_from_row).transpose()
}

/// The triggered webhook with this id.
pub async fn find_triggered_by_id(conn: &mut Conn, id: i64) -> StorageResult<Option<TriggeredWebhook>> {
    let sql = format!("{TRIGGERED_SELECT} WHERE t.id = $1");
    let row = db::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(triggered_from_row).transpose()
}

/// What a list of triggered webhooks is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggeredBy {
    /// A pact publication.
    Publication(i64),
    /// A verification.
    Verification(i64),
    /// A webhook.
    Webhook(i64),
}

/// The webhooks triggered by a publication, a verification or of a webhook, oldest first.
pub async fn list_triggered(conn: &mut Conn, by: TriggeredBy) -> StorageResult<Vec<TriggeredWebhook>> {
    let (column, id) = match by {
        TriggeredBy::Publication(id) => ("t.pact_publication_id", id),
        TriggeredBy::Verification(id) => ("t.verification_id", id),
        TriggeredBy::Webhook(id) => ("t.webhook_id", id),
    };
    let sql = format!("{TRIGGERED_SELECT} WHERE {column} = $1 ORDER BY t.id");
    let rows = db::query(&sql).bind(id).fetch_all(&mut *conn).await?;
    rows.iter().map(triggered_from_row).collect()
}

/// Ids of rows due at `at` and not leased, oldest first.
pub async fn due(conn: &mut Conn, at: &str, limit: i64) -> StorageResult<Vec<i64>> {
    let rows = db::query(
        "SELECT id FROM triggered_webhooks WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $2",
    )
    .bind(at)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|row| row.try_get::<i64, _>(0)).collect()
}

/// Leases a due row until `until`; `false` when it is not due any more or another dispatcher
/// holds it.
pub async fn claim(conn: &mut Conn, id: i64, at: &str, until: &str) -> StorageResult<bool> {
    let done = db::query(
        "UPDATE triggered_webhooks SET claimed_until = $1 WHERE id = $2 AND next_attempt_at IS NOT NULL \
         AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3)",
    )
    .bind(until)
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done == 1)
}

/// Records an attempt: its log, the new status, and when the next attempt is due (none once
/// finished); releases the lease.
pub async fn record_attempt(
    conn: &mut Conn,
    id: i64,
    success: bool,
    logs: &str,
    status: &str,
    next_attempt_at: Option<&str>,
) -> StorageResult<()> {
    let at = now();
    let updated = db::query(
        "UPDATE triggered_webhooks SET status = $1, attempts_made = attempts_made + 1, next_attempt_at = $2, \
         claimed_until = NULL, updated_at = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(next_attempt_at)
    .bind(&at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if updated == 1 {
        db::query("INSERT INTO webhook_executions (triggered_webhook_id, success, logs, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i64::from(success))
            .bind(logs)
            .bind(&at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One execution of a triggered webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// Whether it succeeded.
    pub success: bool,
    /// Its log.
    pub logs: String,
    /// When it ran.
    pub created_at: String,
}

/// The executions of a triggered webhook, oldest first.
pub async fn executions(conn: &mut Conn, triggered_webhook_id: i64) -> StorageResult<Vec<Execution>> {
    let rows = db::query(
        "SELECT success, logs, created_at FROM webhook_executions WHERE triggered_webhook_id = $1 ORDER BY id",
    )
    .bind(triggered_webhook_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Execution {
                success: get_bool(row, "success")?,
                logs: get(row, "logs")?,
                created_at: get(row, "created_at")?,
            })
        })
        .collect()
}
