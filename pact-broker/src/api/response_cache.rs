//! A cache of computed responses, each valid for one database generation
//! ([`crate::storage::generation`]).
//!
//! A handler reads the generation, answers from the cache when it holds an entry of that
//! generation, and otherwise computes the response, reads the generation again, and stores the
//! response only when the two readings agree (no write committed while it read). Any write
//! moves the generation on, and with it every entry out of use, so an answer from the cache is
//! always the answer the database would give now. The cache is bounded in entries and bytes;
//! when a new entry does not fit, the cache starts over.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

/// What identifies a response: the base URL its links use, the resource, and the query.
pub type Key = (String, String, String);

/// The bounds of a [`ResponseCache`].
const MAX_ENTRIES: usize = 1024;
const MAX_BYTES: usize = 32 * 1024 * 1024;

/// Responses of one generation.
#[derive(Debug, Default)]
pub struct ResponseCache {
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    generation: i64,
    responses: HashMap<Key, Bytes>,
    bytes: usize,
}

impl ResponseCache {
    /// The response stored under `key` for `generation`.
    pub fn get(&self, key: &Key, generation: i64) -> Option<Bytes> {
        let entries = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.generation != generation {
            return None;
        }
        entries.responses.get(key).cloned()
    }

    /// Stores `body` under `key` for `generation`. An entry of an older generation than the
    /// cache holds is dropped; a newer one replaces everything the cache holds.
    pub fn put(&self, key: Key, generation: i64, body: Bytes) {
        if body.len() > MAX_BYTES / 4 {
            return;
        }
        let mut entries = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if generation < entries.generation {
            return;
        }
        if generation > entries.generation
            || entries.responses.len() >= MAX_ENTRIES
            || entries.bytes + body.len() > MAX_BYTES
        {
            entries.responses.clear();
            entries.bytes = 0;
            entries.generation = generation;
        }
        entries.bytes += body.len();
        if let Some(old) = entries.responses.insert(key, body) {
            entries.bytes -= old.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: usize) -> Key {
        ("http://b".into(), "P".into(), n.to_string())
    }

    #[test]
    fn an_entry_serves_only_its_own_generation() {
        let cache = ResponseCache::default();
        cache.put(key(1), 5, Bytes::from_static(b"five"));
        assert_eq!(cache.get(&key(1), 5).as_deref(), Some(&b"five"[..]));
        assert_eq!(cache.get(&key(1), 6), None);
        assert_eq!(cache.get(&key(1), 4), None);
        assert_eq!(cache.get(&key(2), 5), None);
    }

    #[test]
    fn a_newer_generation_replaces_everything_and_an_older_one_is_dropped() {
        let cache = ResponseCache::default();
        cache.put(key(1), 5, Bytes::from_static(b"five"));
        cache.put(key(2), 6, Bytes::from_static(b"six"));
        assert_eq!(cache.get(&key(1), 6), None);
        assert_eq!(cache.get(&key(2), 6).as_deref(), Some(&b"six"[..]));
        cache.put(key(3), 5, Bytes::from_static(b"late"));
        assert_eq!(cache.get(&key(3), 5), None);
        assert_eq!(cache.get(&key(3), 6), None);
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let cache = ResponseCache::default();
        for n in 0..MAX_ENTRIES * 3 {
            cache.put(key(n), 1, Bytes::from(vec![b'x'; 1000]));
        }
        let entries = cache.inner.lock().unwrap();
        assert!(entries.responses.len() <= MAX_ENTRIES);
        assert!(entries.bytes <= MAX_BYTES);
        assert_eq!(entries.bytes, entries.responses.values().map(Bytes::len).sum::<usize>());
        drop(entries);
        cache.put(key(0), 1, Bytes::from(vec![b'x'; MAX_BYTES]));
        assert_eq!(cache.get(&key(0), 1), None, "an oversized body is not stored");
    }
}
