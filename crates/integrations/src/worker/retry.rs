//! When a failed delivery is tried again: exponential backoff from a base delay, capped, with
//! jitter so that deliveries failing together (a receiver's outage) do not retry together.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; a delivery failing the last one is dead.
    pub max_attempts: u32,
    /// The delay after the first failure; it doubles with each further failure.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How far (a fraction, 0 to 1) each delay may stray either way from its nominal value.
    pub jitter: f64,
}

impl Default for RetryPolicy {
    /// 12 attempts over about 8½ hours: 15 s, 30 s, 1 min, 2 min … 4 h 16 min, each ±20 %.
    fn default() -> Self {
        Self {
            max_attempts: 12,
            base_delay: Duration::from_secs(15),
            max_delay: Duration::from_secs(6 * 60 * 60),
            jitter: 0.2,
        }
    }
}

impl RetryPolicy {
    /// The delay before the next attempt after `failed_attempts` (≥ 1) failures, without jitter:
    /// `base × 2^(failed_attempts − 1)`, at most `max_delay`.
    pub fn nominal_delay(&self, failed_attempts: u32) -> Duration {
        let doublings = failed_attempts.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1_u32 << doublings)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The nominal delay scaled by a factor in `[1 − jitter, 1 + jitter]` chosen by `unit` (a
    /// number in `[0, 1)`, random in production), then capped again.
    pub fn delay(&self, failed_attempts: u32, unit: f64) -> Duration {
        let jitter = self.jitter.clamp(0.0, 1.0);
        let factor = 1.0 - jitter + 2.0 * jitter * unit.clamp(0.0, 1.0);
        self.nominal_delay(failed_attempts)
            .mul_f64(factor)
            .min(self.max_delay)
    }

    /// [`delay`](Self::delay) with a random jitter.
    pub fn random_delay(&self, failed_attempts: u32) -> Duration {
        self.delay(failed_attempts, random_unit())
    }

    /// Whether a delivery that has failed `attempts` times gets no further attempt.
    pub fn exhausted(&self, attempts: u32) -> bool {
        attempts >= self.max_attempts
    }
}

/// A uniform number in `[0, 1)`; the middle (no jitter) if the system RNG fails, which only
/// loses the spreading, never a retry.
fn random_unit() -> f64 {
    match getrandom::u64() {
        Ok(bits) => (bits >> 11) as f64 / (1_u64 << 53) as f64,
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(jitter: f64) -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            jitter,
        }
    }

    #[test]
    fn delays_double_from_the_base_up_to_the_cap() {
        let p = policy(0.0);
        let delays: Vec<u64> = (1..=6).map(|n| p.nominal_delay(n).as_secs()).collect();
        assert_eq!(delays, [10, 20, 40, 60, 60, 60]);
        assert_eq!(p.delay(3, 0.9), Duration::from_secs(40));
        assert_eq!(p.nominal_delay(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn jitter_stays_within_its_band_and_under_the_cap() {
        let p = policy(0.2);
        assert_eq!(p.delay(1, 0.0), Duration::from_secs(8));
        assert_eq!(p.delay(1, 0.5), Duration::from_secs(10));
        assert!(p.delay(1, 0.999_999) <= Duration::from_secs(12));
        assert_eq!(p.delay(5, 0.999), Duration::from_secs(60));
        for failures in 1..=4 {
            let nominal = p.nominal_delay(failures);
            for _ in 0..100 {
                let delay = p.random_delay(failures);
                assert!(delay >= nominal.mul_f64(0.8) && delay <= nominal.mul_f64(1.2));
            }
        }
    }

    #[test]
    fn random_delays_spread_out() {
        let p = policy(0.2);
        let delays: std::collections::HashSet<_> = (0..20).map(|_| p.random_delay(2)).collect();
        assert!(delays.len() > 1);
    }

    #[test]
    fn the_budget_counts_every_attempt() {
        let p = policy(0.2);
        assert!(!p.exhausted(4));
        assert!(p.exhausted(5));
    }

    #[test]
    fn the_default_schedule_spans_hours() {
        let p = RetryPolicy::default();
        let total: Duration = (1..p.max_attempts).map(|n| p.nominal_delay(n)).sum();
        assert!(total > Duration::from_secs(8 * 3600) && total < Duration::from_secs(9 * 3600));
    }
}
