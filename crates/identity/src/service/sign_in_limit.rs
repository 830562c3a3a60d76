//! Sign-in attempts per client address. The per-account lock-out stops guessing one account's
//! password; this stops one address from trying a few passwords on every account of a tenant
//! (password spraying), which never trips a lock-out. An address gets `per_minute` attempts in a
//! one-minute window that starts with its first attempt; further attempts are refused with
//! `RATE_LIMITED` until the window ends, before any account is looked at (so they cannot lock
//! anyone out either). An IPv6 client is counted by its /64, the block one subscriber gets.
//!
//! The counts live in the server's memory: each instance limits on its own, and a restart forgets
//! them. The table is bounded: expired windows are swept (at most once a second) when it passes
//! [`SWEEP_ABOVE`] addresses, and beyond [`MAX_ADDRESSES`] live ones, new addresses share one
//! allowance, so a flood of addresses costs a bounded amount of memory and lock time.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
const SWEEP_ABOVE: usize = 10_000;
const SWEEP_INTERVAL: Duration = Duration::from_secs(1);
const MAX_ADDRESSES: usize = 100_000;

/// Whom an attempt is counted against.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Source {
    V4([u8; 4]),
    V6Block([u8; 8]),
    /// No address known, or the table is full: one shared allowance.
    Unknown,
}

impl Source {
    pub(crate) fn of(address: Option<IpAddr>) -> Self {
        match address.map(|address| address.to_canonical()) {
            Some(IpAddr::V4(v4)) => Self::V4(v4.octets()),
            Some(IpAddr::V6(v6)) => Self::V6Block(block_of(v6)),
            None => Self::Unknown,
        }
    }
}

fn block_of(address: Ipv6Addr) -> [u8; 8] {
    let mut block = [0; 8];
    block.copy_from_slice(&address.octets()[..8]);
    block
}

struct Window {
    started: Instant,
    attempts: u32,
}

impl Window {
    fn expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.started) >= WINDOW
    }
}

struct Table {
    windows: HashMap<Source, Window>,
    last_sweep: Option<Instant>,
}

pub struct SignInLimiter {
    per_minute: u32,
    table: Mutex<Table>,
}

impl SignInLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            table: Mutex::new(Table {
                windows: HashMap::new(),
                last_sweep: None,
            }),
        }
    }

    /// Counts an attempt from `address` (`None`: unknown, and all such attempts share one
    /// allowance). Refused: how long until the address may try again.
    pub fn admit(&self, address: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        // The table is consistent after every statement, so a panic elsewhere cannot leave it
        // half-updated.
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let sweep_due = table
            .last_sweep
            .is_none_or(|last| now.saturating_duration_since(last) >= SWEEP_INTERVAL);
        if table.windows.len() > SWEEP_ABOVE && sweep_due {
            table.windows.retain(|_, window| !window.expired(now));
            table.last_sweep = Some(now);
        }
        let mut source = Source::of(address);
        if table.windows.len() >= MAX_ADDRESSES && !table.windows.contains_key(&source) {
            source = Source::Unknown;
        }
        let window = table.windows.entry(source).or_insert(Window {
            started: now,
            attempts: 0,
        });
        if window.expired(now) {
            *window = Window {
                started: now,
                attempts: 0,
            };
        }
        if window.attempts >= self.per_minute {
            return Err(WINDOW.saturating_sub(now.saturating_duration_since(window.started)));
        }
        window.attempts += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    /// One attempt from each of `count` distinct IPv4 addresses.
    fn fill(limiter: &SignInLimiter, count: usize, now: Instant) {
        for n in 0..u32::try_from(count).unwrap() {
            limiter
                .admit(Some(IpAddr::from(n.to_be_bytes())), now)
                .unwrap();
        }
    }

    #[test]
    fn an_address_gets_its_attempts_per_minute_then_waits_for_the_window_to_end() {
        let limiter = SignInLimiter::new(3);
        let start = Instant::now();
        for second in 0..3 {
            assert_eq!(
                limiter.admit(ip("203.0.113.7"), start + Duration::from_secs(second)),
                Ok(())
            );
        }
        assert_eq!(
            limiter.admit(ip("203.0.113.7"), start + Duration::from_secs(20)),
            Err(Duration::from_secs(40))
        );
        assert_eq!(
            limiter.admit(ip("203.0.113.7"), start + Duration::from_secs(60)),
            Ok(()),
            "a new window starts a minute after the first attempt"
        );
    }

    #[test]
    fn addresses_are_limited_separately_and_unknown_ones_share_an_allowance() {
        let limiter = SignInLimiter::new(1);
        let now = Instant::now();
        assert_eq!(limiter.admit(ip("203.0.113.7"), now), Ok(()));
        assert!(limiter.admit(ip("203.0.113.7"), now).is_err());
        assert!(
            limiter.admit(ip("::ffff:203.0.113.7"), now).is_err(),
            "an IPv4-mapped address is the IPv4 address"
        );
        assert_eq!(limiter.admit(ip("198.51.100.1"), now), Ok(()));
        assert_eq!(limiter.admit(None, now), Ok(()));
        assert!(limiter.admit(None, now).is_err());
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_block() {
        let limiter = SignInLimiter::new(1);
        let now = Instant::now();
        assert_eq!(limiter.admit(ip("2001:db8:1:2::1"), now), Ok(()));
        assert!(limiter.admit(ip("2001:db8:1:2:ffff::9"), now).is_err());
        assert_eq!(limiter.admit(ip("2001:db8:1:3::1"), now), Ok(()));
    }

    #[test]
    fn expired_windows_are_swept_once_the_table_is_large() {
        let limiter = SignInLimiter::new(1);
        let start = Instant::now();
        fill(&limiter, SWEEP_ABOVE + 1, start);
        limiter
            .admit(ip("198.51.100.1"), start + Duration::from_secs(61))
            .unwrap();
        let table = limiter.table.lock().unwrap();
        assert_eq!(table.windows.len(), 1, "only the live window is kept");
    }

    #[test]
    fn beyond_the_address_cap_new_addresses_share_one_allowance() {
        let limiter = SignInLimiter::new(1);
        let now = Instant::now();
        fill(&limiter, MAX_ADDRESSES, now);
        assert_eq!(limiter.admit(ip("198.51.100.1"), now), Ok(()));
        assert!(limiter.admit(ip("198.51.100.2"), now).is_err());
        assert_eq!(
            limiter.table.lock().unwrap().windows.len(),
            MAX_ADDRESSES + 1
        );
    }
}
