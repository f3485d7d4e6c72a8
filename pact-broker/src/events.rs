//! Events the broker emits after a write has committed: the hook for webhooks.
//!
//! A resource that changes data builds its events inside the transaction (where it knows
//! what changed) and hands them to the [`EventSink`] of the app state only after the commit
//! succeeded, so a listener never sees a change that was rolled back. The default sink
//! ([`NoEvents`]) ignores them.
//!
//! A webhook implementation plugs in here. To survive a crash between the commit and the
//! delivery, it should write its pending executions in the same transaction (an outbox
//! table) rather than only in memory; the events carry everything the official broker's
//! `${pactbroker.*}` template variables need to be looked up.

use std::fmt::Debug;

/// Something that happened, after it was committed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A pact was published (`contract_published`), by `PUT /pacts/...` or `POST /contracts/publish`.
    ContractPublished {
        /// Consumer name.
        consumer: String,
        /// Provider name.
        provider: String,
        /// Consumer version number.
        consumer_version: String,
        /// The consumer version's branch, if the publish set one.
        branch: Option<String>,
        /// The consumer version's tags.
        tags: Vec<String>,
        /// The content hash.
        sha: String,
        /// `contract_content_changed`: see [`Published::content_changed`](crate::domain::publish::Published::content_changed).
        content_changed: bool,
        /// This content was never published for this pair before, so no provider version
        /// has verified it (`contract_requiring_verification_published` candidates).
        new_content: bool,
    },
    /// A verification result was published (`provider_verification_published`, and
    /// `_succeeded` or `_failed`).
    VerificationPublished {
        /// Consumer name.
        consumer: String,
        /// Provider name.
        provider: String,
        /// Provider version number.
        provider_version: String,
        /// The verified content's hash.
        sha: String,
        /// Whether it passed.
        success: bool,
        /// The verification number.
        number: i64,
    },
}

/// Receives events after their transaction committed. Called on the request's task: keep it
/// fast and do slow work (HTTP calls) elsewhere.
pub trait EventSink: Send + Sync + Debug + 'static {
    /// Handles the events of one committed write.
    fn committed(&self, events: &[Event]);
}

/// Ignores every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

impl EventSink for NoEvents {
    fn committed(&self, _events: &[Event]) {}
}
