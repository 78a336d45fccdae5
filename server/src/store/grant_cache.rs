//! A short-lived, in-process cache of verified API-token grants, so an authenticated gateway
//! or `/mcp` call does not cost a database round trip for its token every time.
//!
//! A revoke or a suspension made through this process clears the cache at once; another
//! process sees it when its entry ages out ([`GRANT_TTL`]). Only grants found in the database
//! are cached: unknown tokens always go to the database, so guessing cannot fill memory.
//! Ages use the monotonic clock, not the domain clock: a test's fixed instant must not keep
//! a revoked token alive.

use super::tokens::ApiTokenGrant;
use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

/// How long a grant read from the database is trusted by this process.
pub const GRANT_TTL: Duration = Duration::from_secs(2);

/// More distinct live tokens than this in one TTL empties the cache instead of growing it.
const MAX_ENTRIES: usize = 10_000;

/// Verified grants by token hash, with the generation they were read in.
#[derive(Debug, Default)]
pub struct GrantCache {
    /// Read-locked by every authenticated call, write-locked only to store or clear.
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Bumped by every clear; a read that began in an older generation is not stored.
    generation: u64,
    entries: HashMap<String, (Instant, ApiTokenGrant)>,
}

/// Where a lookup started, to store its result only if nothing was revoked meanwhile.
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

impl GrantCache {
    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        // The map holds plain data: a panic elsewhere cannot leave it half-written.
        self.inner
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached grant of a token hash if it is younger than the TTL, else the generation to
    /// pass to [`GrantCache::put`] after reading the database.
    pub fn get(&self, hash: &str) -> Result<ApiTokenGrant, Generation> {
        let inner = self.read();
        match inner.entries.get(hash) {
            Some((at, grant)) if at.elapsed() < GRANT_TTL => Ok(grant.clone()),
            _ => Err(Generation(inner.generation)),
        }
    }

    /// Remembers a grant read from the database, unless the cache was cleared since `seen`.
    pub fn put(&self, seen: Generation, hash: &str, grant: &ApiTokenGrant) {
        let mut inner = self.write();
        if inner.generation != seen.0 {
            return;
        }
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
        }
        inner
            .entries
            .insert(hash.to_owned(), (Instant::now(), grant.clone()));
    }

    /// Forgets every grant (after a revoke, a suspension or a resumption).
    pub fn clear(&self) {
        let mut inner = self.write();
        inner.generation += 1;
        inner.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(id: i64) -> ApiTokenGrant {
        ApiTokenGrant {
            id,
            tenant_id: 1,
            scopes: Vec::new(),
            expires_at: None,
            suspended: false,
        }
    }

    #[test]
    fn a_stored_grant_is_returned_until_cleared() {
        let cache = GrantCache::default();
        let seen = cache.get("h").expect_err("empty at first");
        cache.put(seen, "h", &grant(7));
        assert_eq!(cache.get("h").map(|g| g.id).ok(), Some(7));
        cache.clear();
        assert!(cache.get("h").is_err(), "a clear forgets the grant at once");
    }

    #[test]
    fn a_read_that_raced_a_revoke_is_not_stored() {
        let cache = GrantCache::default();
        let seen = cache.get("h").expect_err("empty at first");
        cache.clear(); // a revoke lands while the lookup reads the old row
        cache.put(seen, "h", &grant(7));
        assert!(
            cache.get("h").is_err(),
            "the stale grant must not be cached"
        );
    }

    #[test]
    fn the_cache_never_grows_past_its_bound() {
        let cache = GrantCache::default();
        for n in 0..(MAX_ENTRIES + 5) {
            let seen = cache.get(&n.to_string()).expect_err("new hash");
            cache.put(seen, &n.to_string(), &grant(n as i64));
        }
        assert!(cache.read().entries.len() <= MAX_ENTRIES);
    }
}
