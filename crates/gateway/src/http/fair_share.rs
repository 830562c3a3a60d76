//! Fair shares of the server between tenants and principals (see `docs/architecture.md`,
//! "Fair shares"). A signed-in request executes only during one of its tenant's turns, and a
//! tenant's turns at once are capped: alone, at `tenant_concurrency`; while other tenants also
//! have requests running or waiting, at its share of that cap (the cap divided by the number of
//! such tenants, at least one). A tenant flooding the server keeps every turn while nobody else
//! asks, and gives turns up as soon as someone does: its running requests finish, and the freed
//! turns go to whoever is under its share. Past the wait, a request answers `RATE_LIMITED` with a
//! retry-after. Each principal may also be held to a request rate (a token bucket), off unless
//! configured.
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
    /// Requests of one tenant executing at once while no other tenant asks for a turn.
    pub tenant_concurrency: usize,
    /// How long a request beyond its tenant's share waits for a turn before it is refused.
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
    fn change(&self, tenant: Uuid, change: impl FnOnce(&mut Load, usize) -> bool) -> bool {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        let asking = tenants.len().max(1);
        let load = tenants.entry(tenant).or_default();
        let changed = change(load, asking);
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
        self.turns.change(self.tenant, |load, _| {
            load.running -= 1;
            true
        });
        self.turns.ended.notify_waiters();
    }
}

/// A request waiting for its tenant's turn; counted among the asking until it starts or gives up
/// (also when its client hangs up and the wait is dropped).
struct Waiting<'a> {
    turns: &'a Arc<Turns>,
    tenant: Uuid,
    cap: usize,
}

impl Waiting<'_> {
    fn try_start(self) -> Result<TenantTurn, Self> {
        let cap = self.cap;
        let started = self.turns.change(self.tenant, |load, asking| {
            let share = (cap / asking).max(1);
            let start = load.running < share;
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
        self.turns.change(self.tenant, |load, _| {
            load.waiting -= 1;
            true
        });
        // One tenant fewer asking may raise the others' shares.
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
        self.turns.change(tenant, |load, _| {
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
    async fn a_tenant_alone_has_the_whole_cap_and_shares_it_once_another_asks() {
        let share = share(None, 1.0);
        let (flooding, other, user) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let first = share.admit(flooding, user).await.unwrap();
        let second = share.admit(flooding, user).await.unwrap();
        // The other tenant is under its share (one of the two turns) and starts at once, though
        // the flooding tenant already holds both.
        let others = share.admit(other, user).await.unwrap();
        // While the other runs, the flooding tenant's share is one turn: a turn it gives back is
        // not its own to take again.
        drop(first);
        assert!(share.admit(flooding, user).await.is_err());
        // Once the other tenant is done, the whole cap is the flooding tenant's again.
        drop(others);
        let again = share.admit(flooding, user).await.unwrap();
        drop((second, again));
        assert!(share.turns.tenants.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_events_read_waits_past_the_requests_deadline_for_its_tenants_turn_and_spends_no_rate()
     {
        // A burst of two requests, and no more for a long while.
        let share = Arc::new(share(Some(0.001), 2.0));
        let (tenant, user) = (Uuid::now_v7(), Uuid::now_v7());
        let first = share.admit(tenant, user).await.unwrap();
        let second = share.turn_for_event(tenant).await;
        // The tenant holds its cap: a request is refused after its wait, an event waits on.
        let event = tokio::spawn({
            let share = Arc::clone(&share);
            async move { share.turn_for_event(tenant).await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!event.is_finished(), "no turn is free yet");
        drop(first);
        let third = tokio::time::timeout(Duration::from_secs(5), event)
            .await
            .unwrap()
            .unwrap();
        drop((second, third));
        // The events spent none of the principal's burst: its second request is admitted.
        assert!(share.admit(tenant, user).await.is_ok());
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
