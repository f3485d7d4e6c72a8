//! The broker's rules, independent of HTTP: what a name may be, what a pact is, publishing,
//! pacts for verification (selectors, pending and WIP), and the matrix (can-i-deploy).

pub mod for_verification;
pub mod matrix;
pub mod metadata;
pub mod names;
pub mod pact_content;
pub mod publish;
pub mod selectors;
pub mod verification_notices;
pub mod webhook_template;
pub mod webhook_triggers;
pub mod webhooks;
