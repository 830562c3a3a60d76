//! Sign-in attempts per client address. The per-account lock-out stops guessing one account's
//! password; this stops one address from trying a few passwords on every account of a tenant
//! (password spraying), which never trips a lock-out. An address gets `per_minute` attempts in a
//! one-minute window that starts with its first attempt; further attempts are refused with
//! `RATE_LIMITED` until the window ends, before any account is looked at (so they cannot lock
//! anyone out either).
//!
//! The counts live in the server's memory: each instance limits on its own, and a restart
//! forgets them. Expired windows are dropped once the table grows past [`PRUNE_ABOVE`] entries,
//! so the table stays bounded by the addresses seen in the last minute.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
const PRUNE_ABOVE: usize = 10_000;

pub struct SignInLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, Window>>,
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

impl SignInLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Mutex::default(),
        }
    }

    /// Counts an attempt from `address` (`None`: the address is unknown, and all such attempts
    /// share one allowance). Refused: how long until the address may try again.
    pub fn admit(&self, address: Option<&str>, now: Instant) -> Result<(), Duration> {
        // The table is consistent after every statement, so a panic elsewhere cannot leave it
        // half-updated.
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, window| !window.expired(now));
        }
        let window = windows
            .entry(address.unwrap_or_default().to_owned())
            .or_insert(Window {
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

    #[test]
    fn an_address_gets_its_attempts_per_minute_then_waits_for_the_window_to_end() {
        let limiter = SignInLimiter::new(3);
        let start = Instant::now();
        for second in 0..3 {
            assert_eq!(
                limiter.admit(Some("203.0.113.7"), start + Duration::from_secs(second)),
                Ok(())
            );
        }
        assert_eq!(
            limiter.admit(Some("203.0.113.7"), start + Duration::from_secs(20)),
            Err(Duration::from_secs(40))
        );
        assert_eq!(
            limiter.admit(Some("203.0.113.7"), start + Duration::from_secs(60)),
            Ok(()),
            "a new window starts a minute after the first attempt"
        );
    }

    #[test]
    fn addresses_are_limited_separately_and_unknown_ones_share_an_allowance() {
        let limiter = SignInLimiter::new(1);
        let now = Instant::now();
        assert_eq!(limiter.admit(Some("203.0.113.7"), now), Ok(()));
        assert!(limiter.admit(Some("203.0.113.7"), now).is_err());
        assert_eq!(limiter.admit(Some("198.51.100.1"), now), Ok(()));
        assert_eq!(limiter.admit(None, now), Ok(()));
        assert!(limiter.admit(None, now).is_err());
    }

    #[test]
    fn expired_windows_are_dropped_once_the_table_is_large() {
        let limiter = SignInLimiter::new(1);
        let start = Instant::now();
        for address in 0..=PRUNE_ABOVE {
            limiter.admit(Some(&address.to_string()), start).unwrap();
        }
        limiter
            .admit(Some("late"), start + Duration::from_secs(61))
            .unwrap();
        let windows = limiter.windows.lock().unwrap();
        assert_eq!(windows.len(), 1, "only the live window is kept");
    }
}
