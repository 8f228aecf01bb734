//! Counters for `GET /stats`, so end-to-end tests can prove which tokens the
//! app sent. Only `iat`, `exp` and the first 8 characters of `sub` are kept,
//! never a token.

use crate::rejection;
use crate::verify::Identity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Distinct tokens remembered at most (the oldest are dropped first).
const MAX_TOKENS_SEEN: usize = 1000;
pub const MISSING_TOKEN: &str = "missing_token";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenSeen {
    pub iat: u64,
    pub exp: u64,
    pub sub_prefix: String,
    /// Requests that carried this token.
    pub requests: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub requests_with_valid_token: u64,
    pub rejected: BTreeMap<&'static str, u64>,
    /// The JWKS downloads so far (first use, unknown kids).
    pub jwks_fetches: u64,
    /// Distinct valid tokens, in the order first seen.
    pub tokens_seen: Vec<TokenSeen>,
}

#[derive(Default)]
struct Counters {
    valid: u64,
    rejected: BTreeMap<&'static str, u64>,
    tokens_seen: Vec<TokenSeen>,
}

#[derive(Default)]
pub struct Stats {
    counters: Mutex<Counters>,
}

/// The first 8 characters of a `sub` (what logs and `/stats` show).
pub fn sub_prefix(sub: &str) -> String {
    sub.chars().take(8).collect()
}

impl Stats {
    pub fn accepted(&self, identity: &Identity) {
        let mut counters = self.counters.lock().expect("stats lock");
        counters.valid += 1;
        let prefix = sub_prefix(&identity.sub);
        let seen = counters.tokens_seen.iter_mut().find(|seen| {
            seen.iat == identity.iat && seen.exp == identity.exp && seen.sub_prefix == prefix
        });
        match seen {
            Some(seen) => seen.requests += 1,
            None => {
                if counters.tokens_seen.len() == MAX_TOKENS_SEEN {
                    counters.tokens_seen.remove(0);
                }
                counters.tokens_seen.push(TokenSeen {
                    iat: identity.iat,
                    exp: identity.exp,
                    sub_prefix: prefix,
                    requests: 1,
                });
            }
        }
    }

    /// Counts a refusal under `kind` (a [`rejection::kind`] or [`MISSING_TOKEN`]).
    pub fn rejected(&self, kind: &'static str) {
        *self
            .counters
            .lock()
            .expect("stats lock")
            .rejected
            .entry(kind)
            .or_default() += 1;
    }

    pub fn snapshot(&self, jwks_fetches: u64) -> Snapshot {
        let counters = self.counters.lock().expect("stats lock");
        let mut rejected: BTreeMap<&'static str, u64> = rejection::KINDS
            .iter()
            .chain([&MISSING_TOKEN])
            .map(|kind| (*kind, 0))
            .collect();
        rejected.extend(
            counters
                .rejected
                .iter()
                .map(|(kind, count)| (*kind, *count)),
        );
        Snapshot {
            requests_with_valid_token: counters.valid,
            rejected,
            jwks_fetches,
            tokens_seen: counters.tokens_seen.clone(),
        }
    }
}
