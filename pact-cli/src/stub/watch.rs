//! `--watch`: reload the local pacts when a file changes.
//!
//! The files are polled (modification time and size, and each directory's list of files) every
//! 500 ms; no platform file-event API is needed. A reload that fails (a file half-written, a
//! malformed pact) is logged and the stub keeps answering from the pacts it had.

use std::sync::Arc;
use std::time::Duration;

use super::load::{interactions, Loaded, LocalSources};
use super::serve::Shared;

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(500);

/// Polls `local` for ever, replacing the stub's interactions after each change. `remote` are
/// the pacts fetched at start, which are kept.
pub async fn watch(local: LocalSources, remote: Vec<Loaded>, shared: Arc<Shared>) {
    let mut seen = local.fingerprint();
    loop {
        tokio::time::sleep(POLL).await;
        let now = local.fingerprint();
        if now == seen {
            continue;
        }
        seen = now;
        match local.load() {
            Ok(mut pacts) => {
                let count = pacts.len();
                pacts
                    .extend(remote.iter().map(|l| Loaded { origin: l.origin.clone(), pact: l.pact.clone() }));
                let list = interactions(&pacts);
                tracing::info!("reloaded {count} pact file(s): {} interaction(s) served", list.len());
                shared.replace(list);
            }
            Err(e) => tracing::error!("cannot reload the pacts, still serving the previous ones: {e}"),
        }
    }
}
