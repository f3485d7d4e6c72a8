//! Nothing here: the benchmark is in `tests/`.
