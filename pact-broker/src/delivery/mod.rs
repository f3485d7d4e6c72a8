//! Webhook delivery: the background task that empties the outbox (`triggered_webhooks`).
//!
//! Events write their triggered webhooks in their own transaction
//! ([`crate::domain::webhook_triggers`]); after the commit the request handler only wakes this
//! task, which runs off the request path:
//!
//! 1. it finds due rows (a poll every second catches rows from other replicas, retries that
//!    came due, and rows left over by a crash or restart);
//! 2. it leases each one (`claimed_until`) in a write transaction, so that two replicas never
//!    send the same row at once, and a dispatcher that dies mid-request leaves a lease that
//!    expires: the row is sent again (at least once);
//! 3. it renders and sends the request ([`request`]) with the webhook's current definition;
//! 4. it records the attempt (the execution log, readable at
//!    `/triggered-webhooks/{uuid}/logs`) and, after a failure, when the next attempt is due,
//!    following the retry schedule; after the last one the row is marked failed.

pub mod request;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};

use crate::config::WebhookConfig;
use crate::domain::webhook_template::Variables;
use crate::domain::webhooks::RequestTemplate;
use crate::storage::webhooks::{self, STATUS_FAILURE, STATUS_RETRYING, STATUS_SUCCESS};
use crate::storage::{format_timestamp, now, Storage, StorageResult};

/// How often the outbox is checked when nothing wakes the dispatcher.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// At most this many webhook requests are in flight at once.
pub const MAX_IN_FLIGHT: usize = 8;

/// The shared handle: the HTTP client and the wake-up call.
#[derive(Debug)]
pub struct Delivery {
    client: reqwest::Client,
    wake: Notify,
    config: WebhookConfig,
}

impl Delivery {
    /// A handle for these settings.
    ///
    /// # Errors
    ///
    /// The HTTP client could not be built (TLS set-up).
    pub fn new(config: WebhookConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.request_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("pact-broker (pact-rs) ", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Delivery { client, wake: Notify::new(), config })
    }

    /// Tells the dispatcher that new rows were committed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The HTTP client webhooks are sent with.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The webhook settings.
    pub fn config(&self) -> &WebhookConfig {
        &self.config
    }
}

/// Runs the dispatcher until the returned handle is aborted (the server does on shutdown;
/// requests in flight then are sent again after their lease expires).
pub fn spawn(storage: Storage, delivery: Arc<Delivery>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
        loop {
            if let Err(e) = dispatch_due(&storage, &delivery, &slots).await {
                tracing::warn!("webhook dispatcher: {e}");
            }
            tokio::select! {
                _ = delivery.wake.notified() => {}
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
            }
        }
    })
}

/// How long a lease lasts: longer than any request (the timeout covers reading the response).
fn lease(config: &WebhookConfig) -> Duration {
    config.request_timeout + Duration::from_secs(10)
}

fn later(after: Duration) -> String {
    format_timestamp(time::OffsetDateTime::now_utc() + after)
}

async fn dispatch_due(
    storage: &Storage,
    delivery: &Arc<Delivery>,
    slots: &Arc<Semaphore>,
) -> StorageResult<()> {
    loop {
        let at = now();
        let due = {
            let mut conn = storage.read().await?;
            webhooks::due(&mut conn, &at, MAX_IN_FLIGHT as i64).await?
        };
        if due.is_empty() {
            return Ok(());
        }
        let mut claimed_any = false;
        for id in due {
            let Ok(permit) = slots.clone().acquire_owned().await else { return Ok(()) };
            let until = later(lease(&delivery.config));
            let claimed = storage
                .transaction(move |conn| {
                    Box::pin(async move { webhooks::claim(conn, id, &now(), &until).await })
                })
                .await?;
            if !claimed {
                continue;
            }
            claimed_any = true;
            let (storage, delivery) = (storage.clone(), delivery.clone());
            tokio::spawn(async move {
                if let Err(e) = execute(&storage, &delivery, id).await {
                    tracing::warn!(triggered_webhook = id, "webhook execution could not be recorded: {e}");
                }
                drop(permit);
            });
        }
        if !claimed_any {
            return Ok(());
        }
    }
}

/// Sends one leased row and records the attempt.
async fn execute(storage: &Storage, delivery: &Delivery, id: i64) -> StorageResult<()> {
    let (triggered, webhook) = {
        let mut conn = storage.read().await?;
        let Some(triggered) = webhooks::find_triggered_by_id(&mut conn, id).await? else { return Ok(()) };
        let webhook = webhooks::find(&mut conn, &triggered.webhook_uuid).await?;
        (triggered, webhook)
    };
    let attempt_number = triggered.attempts_made + 1;
    let schedule = &delivery.config.retry_schedule;
    let mut logs = String::new();
    let success = match webhook.as_ref().filter(|w| w.enabled) {
        None => {
            request::log_line(&mut logs, "INFO", "The webhook was disabled: not executed");
            false
        }
        Some(webhook) => match serde_json::from_str::<RequestTemplate>(&webhook.request_json) {
            Ok(template) => {
                let vars = Variables::from_json(&triggered.variables_json);
                let attempt = request::send(
                    &delivery.client,
                    &delivery.config.policy,
                    &template,
                    &vars,
                    &triggered.uuid,
                )
                .await;
                logs.push_str(&attempt.logs);
                tracing::info!(
                    webhook = %triggered.webhook_uuid,
                    triggered_webhook = %triggered.uuid,
                    event = %triggered.event_name,
                    status = ?attempt.status,
                    attempt = attempt_number,
                    "webhook executed"
                );
                attempt.success
            }
            Err(e) => {
                request::log_line(
                    &mut logs,
                    "ERROR",
                    &format!("The stored webhook request is unreadable: {e}"),
                );
                false
            }
        },
    };
    let disabled = webhook.as_ref().is_none_or(|w| !w.enabled);
    let retry_in = schedule.get(usize::try_from(triggered.attempts_made).unwrap_or(usize::MAX)).copied();
    let (status, next) = if success {
        request::log_line(&mut logs, "INFO", "Successfully executed webhook");
        (STATUS_SUCCESS, None)
    } else if let (Some(seconds), false) = (retry_in, disabled) {
        request::log_line(&mut logs, "INFO", &format!("Retrying webhook in {seconds} seconds"));
        (STATUS_RETRYING, Some(later(Duration::from_secs(seconds))))
    } else {
        let total = schedule.len() + 1;
        request::log_line(
            &mut logs,
            "INFO",
            &format!("Webhook execution failed after {attempt_number} of at most {total} attempts"),
        );
        (STATUS_FAILURE, None)
    };
    storage
        .transaction(move |conn| {
            Box::pin(async move {
                webhooks::record_attempt(conn, id, success, &logs, status, next.as_deref()).await
            })
        })
        .await
}
