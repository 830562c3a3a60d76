//! Wrong passwords per (account, client address): a lock-out that stops guessing without letting
//! anyone lock an account's owner out. `policy.max_failed_logins` wrong passwords from one address
//! on one account, within `policy.lockout` of the first, stop that address trying that account
//! until the window ends; every other address, the owner's among them, signs in as before. Across
//! all addresses the account meets a ceiling (`policy.account_failure_ceiling`, counted on the
//! account row, so shared by every instance) that locks it for everyone: reaching it takes many
//! addresses, each throttled on its own.
//!
//! The per-address counts live in the server's memory (each instance counts its own; a restart
//! forgets them). The table is bounded: expired windows are swept (at most once a second) when it
//! passes [`SWEEP_ABOVE`] pairs, and beyond [`MAX_PAIRS`] live ones a new pair is not tracked —
//! the account ceiling still holds — so a flood of addresses costs bounded memory and cannot
//! throttle anyone else.

use super::sign_in_limit::Source;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use uuid::Uuid;

const SWEEP_ABOVE: usize = 10_000;
const MAX_PAIRS: usize = 100_000;

struct Failures {
    first: DateTime<Utc>,
    count: i32,
}

#[derive(Default)]
struct Table {
    pairs: HashMap<(Uuid, Source), Failures>,
    last_sweep: Option<DateTime<Utc>>,
}

/// The wrong passwords each address has sent each account lately.
#[derive(Default)]
pub struct FailedSignIns {
    table: Mutex<Table>,
}

/// How many wrong passwords a pair may send in how long.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    pub failures: i32,
    pub window: Duration,
}

impl FailedSignIns {
    /// When `address` may try `account` again, if it has used up its wrong passwords.
    pub fn blocked_until(
        &self,
        account: Uuid,
        address: Option<IpAddr>,
        allowance: Allowance,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let failures = table.pairs.get(&(account, Source::of(address)))?;
        let until = failures.first + allowance.window;
        (failures.count >= allowance.failures && until > now).then_some(until)
    }

    /// Counts a wrong password from `address` on `account`.
    pub fn record(
        &self,
        account: Uuid,
        address: Option<IpAddr>,
        allowance: Allowance,
        now: DateTime<Utc>,
    ) {
        // The table is consistent after every statement, so a panic elsewhere cannot leave it
        // half-updated.
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let expired = |failures: &Failures| failures.first + allowance.window <= now;
        let sweep_due = table
            .last_sweep
            .is_none_or(|last| now - last >= Duration::seconds(1));
        if table.pairs.len() > SWEEP_ABOVE && sweep_due {
            table.pairs.retain(|_, failures| !expired(failures));
            table.last_sweep = Some(now);
        }
        let key = (account, Source::of(address));
        if table.pairs.len() >= MAX_PAIRS && !table.pairs.contains_key(&key) {
            return;
        }
        let failures = table.pairs.entry(key).or_insert(Failures {
            first: now,
            count: 0,
        });
        if expired(failures) {
            *failures = Failures {
                first: now,
                count: 0,
            };
        }
        failures.count = failures.count.saturating_add(1);
    }

    /// Forgets the pair's wrong passwords once the address has signed in to the account.
    pub fn clear(&self, account: Uuid, address: Option<IpAddr>) {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        table.pairs.remove(&(account, Source::of(address)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALLOWANCE: Allowance = Allowance {
        failures: 3,
        window: Duration::minutes(15),
    };

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn an_address_is_stopped_on_one_account_after_its_allowance_until_the_window_ends() {
        let failed = FailedSignIns::default();
        let (account, other_account) = (Uuid::now_v7(), Uuid::now_v7());
        let start = Utc::now();
        for minute in 0..3 {
            let now = start + Duration::minutes(minute);
            assert_eq!(
                failed.blocked_until(account, ip("203.0.113.7"), ALLOWANCE, now),
                None
            );
            failed.record(account, ip("203.0.113.7"), ALLOWANCE, now);
        }
        let until = start + ALLOWANCE.window;
        let later = start + Duration::minutes(5);
        assert_eq!(
            failed.blocked_until(account, ip("203.0.113.7"), ALLOWANCE, later),
            Some(until)
        );
        assert_eq!(
            failed.blocked_until(account, ip("198.51.100.1"), ALLOWANCE, later),
            None,
            "another address, the owner's say, is not stopped"
        );
        assert_eq!(
            failed.blocked_until(other_account, ip("203.0.113.7"), ALLOWANCE, later),
            None,
            "nor is the address on another account"
        );
        assert_eq!(
            failed.blocked_until(account, ip("203.0.113.7"), ALLOWANCE, until),
            None
        );
    }

    #[test]
    fn a_sign_in_clears_the_pair_and_a_late_failure_starts_a_new_window() {
        let failed = FailedSignIns::default();
        let account = Uuid::now_v7();
        let start = Utc::now();
        for _ in 0..2 {
            failed.record(account, ip("203.0.113.7"), ALLOWANCE, start);
        }
        failed.clear(account, ip("203.0.113.7"));
        failed.record(account, ip("203.0.113.7"), ALLOWANCE, start);
        assert_eq!(
            failed.blocked_until(account, ip("203.0.113.7"), ALLOWANCE, start),
            None
        );

        let after = start + ALLOWANCE.window;
        for _ in 0..2 {
            failed.record(account, ip("203.0.113.7"), ALLOWANCE, after);
        }
        assert_eq!(
            failed.blocked_until(account, ip("203.0.113.7"), ALLOWANCE, after),
            None,
            "the first window's failures are forgotten: two in the new one"
        );
    }

    #[test]
    fn beyond_the_pair_cap_new_pairs_go_untracked() {
        let failed = FailedSignIns::default();
        let now = Utc::now();
        for n in 0..u32::try_from(MAX_PAIRS).unwrap() {
            failed.record(
                Uuid::now_v7(),
                Some(IpAddr::from(n.to_be_bytes())),
                ALLOWANCE,
                now,
            );
        }
        let account = Uuid::now_v7();
        for _ in 0..5 {
            failed.record(account, ip("203.0.113.7"), ALLOWANCE, now);
        }
        assert_eq!(
            failed.blocked_until(account, ip("203.0.113.7"), ALLOWANCE, now),
            None
        );
        assert_eq!(failed.table.lock().unwrap().pairs.len(), MAX_PAIRS);
    }
}
