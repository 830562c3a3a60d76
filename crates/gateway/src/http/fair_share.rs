//! Fair shares of the server between tenants and principals (see `docs/architecture.md`,
//! "Fair shares"). A signed-in request executes only during one of its tenant's turns, and a
//! tenant has at most `tenant_concurrency` turns at once, so one tenant flooding the server holds
//! at most that many pool connections and cores and leaves the rest to the others. (Dividing the
//! cap between the tenants asking at the same time was measured too: it halves a light tenant's
//! own concurrency while a neighbour floods, and its p99 suffered more than under a fixed cap;
//! docs/performance.md, "A noisy neighbour".) Past the wait, a request answers `RATE_LIMITED`
//! with a retry-after. Each principal may also be held to a request rate (a token bucket), off
//! unless configured.
//!
//! Both live in the server's memory and are per instance: N instances admit N × the cap per
//! tenant and N × the rate per principal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use uuid::Uuid;

/// Beyond this many tracked principals, idle entries are dropped.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Clone, Copy)]
pub struct FairShareConfig {
    /// Requests of one tenant executing at once.
    pub tenant_concurrency: usize,
    /// How long a request beyond its tenant's cap waits for a turn before it is refused.
    pub tenant_wait: Duration,
    /// Requests per second one principal may make (sustained); `None`: no limit.
    pub principal_rate: Option<f64>,
    /// Requests one principal may make in a burst above the rate.
    pub principal_burst: f64,
}

/// Why a request was not admitted, and when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub retry_after: Duration,
    pub reason: &'static str,
}

pub struct FairShare {
    config: FairShareConfig,
    turns: Arc<Turns>,
    buckets: Mutex<HashMap<(Uuid, Uuid), Bucket>>,
}

/// The tenants with requests running or waiting (no other tenant has an entry, so the map is
/// bounded by the requests in flight), and a wake-up for the waiting when a turn ends.
#[derive(Default)]
struct Turns {
    tenants: Mutex<HashMap<Uuid, Load>>,
    ended: Notify,
}

#[derive(Default, Clone, Copy)]
struct Load {
    running: usize,
    waiting: usize,
}

impl Load {
    fn is_idle(self) -> bool {
        self.running == 0 && self.waiting == 0
    }
}

impl Turns {
    fn change(&self, tenant: Uuid, change: impl FnOnce(&mut Load) -> bool) -> bool {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        let load = tenants.entry(tenant).or_default();
        let changed = change(load);
        if load.is_idle() {
            tenants.remove(&tenant);
        }
        changed
    }
}

/// A tenant's turn: one of its requests may execute until this drops.
pub struct TenantTurn {
    turns: Arc<Turns>,
    tenant: Uuid,
}

impl Drop for TenantTurn {
    fn drop(&mut self) {
        self.turns.change(self.tenant, |load| {
            load.running -= 1;
            true
        });
        self.turns.ended.notify_waiters();
    }
}

/// A request waiting for its tenant's turn; counted as waiting until it starts or gives up
/// (also when its client hangs up and the wait is dropped).
struct Waiting<'a> {
    turns: &'a Arc<Turns>,
    tenant: Uuid,
    cap: usize,
}

impl Waiting<'_> {
    fn try_start(self) -> Result<TenantTurn, Self> {
        let cap = self.cap;
        let started = self.turns.change(self.tenant, |load| {
            let start = load.running < cap;
            if start {
                load.waiting -= 1;
                load.running += 1;
            }
            start
        });
        if !started {
            return Err(self);
        }
        let turn = TenantTurn {
            turns: Arc::clone(self.turns),
            tenant: self.tenant,
        };
        std::mem::forget(self);
        Ok(turn)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.turns.change(self.tenant, |load| {
            load.waiting -= 1;
            true
        });
        self.turns.ended.notify_waiters();
    }
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl FairShare {
    pub fn new(config: FairShareConfig) -> Self {
        Self {
            config,
            turns: Arc::default(),
            buckets: Mutex::default(),
        }
    }

    /// Admits one request of `principal` in `tenant`: spends a token of the principal's rate,
    /// then waits (briefly) for a turn of the tenant, held until the request has ended.
    pub async fn admit(&self, tenant: Uuid, principal: Uuid) -> Result<TenantTurn, Busy> {
        self.take_token(tenant, principal, Instant::now())?;
        let deadline = tokio::time::Instant::now() + self.config.tenant_wait;
        self.turn(tenant, Some(deadline)).await
    }

    /// A turn of `tenant` for reading a subscription's event (`crate::live`), waited for as long
    /// as it takes: an event cannot be answered "retry later", and how far a subscription may fall
    /// behind meanwhile is bounded by the event buffer. No principal's rate is spent: the events
    /// come from the server, not from requests.
    pub async fn turn_for_event(&self, tenant: Uuid) -> TenantTurn {
        match self.turn(tenant, None).await {
            Ok(turn) => turn,
            // Without a deadline the wait only ends with a turn.
            Err(_) => std::future::pending().await,
        }
    }

    async fn turn(
        &self,
        tenant: Uuid,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<TenantTurn, Busy> {
        self.turns.change(tenant, |load| {
            load.waiting += 1;
            true
        });
        let mut waiting = Waiting {
            turns: &self.turns,
            tenant,
            cap: self.config.tenant_concurrency.max(1),
        };
        loop {
            // Registered before the check, so a turn ending between the two still wakes us.
            let ended = self.turns.ended.notified();
            tokio::pin!(ended);
            ended.as_mut().enable();
            waiting = match waiting.try_start() {
                Ok(turn) => return Ok(turn),
                Err(waiting) => waiting,
            };
            let Some(deadline) = deadline else {
                ended.await;
                continue;
            };
            if tokio::time::timeout_at(deadline, ended).await.is_err() {
                return Err(Busy {
                    retry_after: Duration::from_secs(1),
                    reason: "the tenant already has as many requests running as it may: retry shortly",
                });
            }
        }
    }

    fn take_token(&self, tenant: Uuid, principal: Uuid, now: Instant) -> Result<(), Busy> {
        let Some(rate) = self.config.principal_rate else {
            return Ok(());
        };
        let burst = self.config.principal_burst.max(1.0);
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, bucket| refill(bucket, rate, burst, now) < burst);
        }
        let bucket = buckets.entry((tenant, principal)).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let tokens = refill(bucket, rate, burst, now);
        if tokens >= 1.0 {
            bucket.tokens = tokens - 1.0;
            return Ok(());
        }
        Err(Busy {
            retry_after: Duration::from_secs_f64(((1.0 - tokens) / rate).max(0.001))
                .max(Duration::from_secs(1)),
            reason: "too many requests from this principal: retry later",
        })
    }
}

/// Brings `bucket` up to `now` and returns its tokens.
fn refill(bucket: &mut Bucket, rate: f64, burst: f64, now: Instant) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
    bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
    bucket.updated = now;
    bucket.tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(rate: Option<f64>, burst: f64) -> FairShare {
        FairShare::new(FairShareConfig {
            tenant_concurrency: 2,
            tenant_wait: Duration::from_millis(20),
            principal_rate: rate,
            principal_burst: burst,
        })
    }

    #[tokio::test]
    async fn a_tenant_over_its_cap_is_refused_while_another_tenant_is_admitted() {
        let share = share(None, 1.0);
        let (busy_tenant, other_tenant, user) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let first = share.admit(busy_tenant, user).await.unwrap();
        let _second = share.admit(busy_tenant, user).await.unwrap();
        let refused = share.admit(busy_tenant, user).await.err().unwrap();
        assert!(refused.retry_after >= Duration::from_secs(1));
        assert!(share.admit(other_tenant, user).await.is_ok());
        drop(first);
        assert!(share.admit(busy_tenant, user).await.is_ok());
    }

    #[tokio::test]
    async fn a_waiting_request_starts_when_a_turn_ends_and_a_given_up_wait_leaves_no_trace() {
        let share = Arc::new(FairShare::new(FairShareConfig {
            tenant_concurrency: 1,
            tenant_wait: Duration::from_secs(30),
            principal_rate: None,
            principal_burst: 1.0,
        }));
        let (tenant, user) = (Uuid::now_v7(), Uuid::now_v7());
        let running = share.admit(tenant, user).await.unwrap();
        let waiter = {
            let share = Arc::clone(&share);
            tokio::spawn(async move { share.admit(tenant, user).await.is_ok() })
        };
        while share.turns.tenants.lock().unwrap()[&tenant].waiting == 0 {
            tokio::task::yield_now().await;
        }
        drop(running);
        assert!(waiter.await.unwrap(), "the waiter got the turn that ended");
        // A wait dropped by its caller (a client that hung up) is no longer counted.
        let held = share.admit(tenant, user).await.unwrap();
        let abandoned = {
            let share = Arc::clone(&share);
            tokio::spawn(async move { share.admit(tenant, user).await.is_ok() })
        };
        while share.turns.tenants.lock().unwrap()[&tenant].waiting == 0 {
            tokio::task::yield_now().await;
        }
        abandoned.abort();
        assert!(abandoned.await.is_err());
        drop(held);
        assert!(share.turns.tenants.lock().unwrap().is_empty());
    }

    #[test]
    fn a_principal_gets_its_burst_then_its_rate() {
        let share = share(Some(2.0), 3.0);
        let (tenant, user, other) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let start = Instant::now();
        for _ in 0..3 {
            share.take_token(tenant, user, start).unwrap();
        }
        assert!(share.take_token(tenant, user, start).is_err());
        assert!(share.take_token(tenant, other, start).is_ok());
        let later = start + Duration::from_millis(500);
        assert!(share.take_token(tenant, user, later).is_ok());
        assert!(share.take_token(tenant, user, later).is_err());
    }
}
