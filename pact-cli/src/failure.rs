//! Why a command could not do its job, and the exit code that says so.
//!
//! Exit codes: 0 when the command did its job and the answer is yes; 1 when it ran and the
//! answer is no (a verification failed, a version is not deployable); 2 when it could not run
//! (a usage or configuration error, a broker that cannot be reached or refuses the credentials).

use pact_core::broker::BrokerError;
use pact_core::verify::VerifyError;

/// A failure to run, with the exit code it maps to.
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// The cause; its first line is printed, the rest with `-v`.
    pub message: String,
    /// More detail, printed with `-v`.
    pub detail: Option<String>,
}

impl Failure {
    /// A usage or configuration error (exit 2).
    pub fn config(message: impl Into<String>) -> Self {
        Failure { code: 2, message: message.into(), detail: None }
    }
}

impl From<VerifyError> for Failure {
    fn from(e: VerifyError) -> Self {
        let detail = format!("{e:?}");
        let message = e.to_string();
        Failure { code: 2, message, detail: Some(detail) }
    }
}

impl From<BrokerError> for Failure {
    fn from(e: BrokerError) -> Self {
        let detail = format!("{e:?}");
        Failure { code: 2, message: e.to_string(), detail: Some(detail) }
    }
}
