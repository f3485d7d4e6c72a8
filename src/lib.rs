//! The workspace root package; it owns the workspace-level tests in `tests/`.
