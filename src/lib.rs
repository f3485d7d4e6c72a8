//! The workspace root package; it owns the workspace-level tests in `tests/`.
//!
//! It also compiles the Rust code of the guide in `docs/` as doc tests (`cargo test --doc`), so
//! that the guide's examples cannot rot; `scripts/check-docs.sh` runs its shell commands.

/// `README.md`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct Readme;

/// `docs/consumer.md`.
#[cfg(doctest)]
#[doc = include_str!("../docs/consumer.md")]
pub struct ConsumerGuide;

/// `docs/provider.md`.
#[cfg(doctest)]
#[doc = include_str!("../docs/provider.md")]
pub struct ProviderGuide;

/// `docs/broker.md`.
#[cfg(doctest)]
#[doc = include_str!("../docs/broker.md")]
pub struct BrokerGuide;

/// `docs/migrating.md`.
#[cfg(doctest)]
#[doc = include_str!("../docs/migrating.md")]
pub struct MigratingGuide;

/// `docs/messages.md`.
#[cfg(doctest)]
#[doc = include_str!("../docs/messages.md")]
pub struct MessagesGuide;

/// `docs/consumer-tools.md`.
#[cfg(doctest)]
#[doc = include_str!("../docs/consumer-tools.md")]
pub struct ConsumerToolsGuide;
