//! Fair shares of the server between tenants and principals (see `docs/architecture.md`,
//! "Fair shares"). A signed-in request executes only during one of its tenant's turns, and a
//! tenant has at most `tenant_concurrency` turns at once, so one tenant flooding the server holds
//! at most that many pool connections and cores and leaves the rest to the others. (Dividing the
//! cap between the tenants asking at the same time was measured too: it halves a light tenant's
//! own concurrency while a neighbour floods, and its p99 suffered more than under a fixed cap;
//! docs/performance.md, "A noisy neighbour".) A tenant's waiting requests queue first come, first
//! served, and a turn that ends wakes exactly the next one of its own tenant: a flood of waiting
//! requests costs the other tenants nothing. Past the wait, a request answers `RATE_LIMITED`
//! with a retry-after. Each principal may also be held to a request rate (a token bucket), off
//! unless configured.
//!
//! Both live in the server's memory and are per instance: N instances admit N × the cap per
//! tenant and N × the rate per principal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
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
    queues: Arc<Queues>,
    buckets: Mutex<HashMap<(Uuid, Uuid), Bucket>>,
}

/// A queue of turns per tenant with requests running or waiting; no other tenant has an entry,
/// so the map is bounded by the requests in flight.
#[derive(Default)]
struct Queues(Mutex<HashMap<Uuid, Queue>>);

struct Queue {
    turns: Arc<Semaphore>,
    /// Requests holding or waiting for a turn.
    requests: usize,
}

/// A request's place in its tenant's queue, from when it starts waiting until its turn ends
/// (or it gives up, also when its client hangs up and the wait is dropped).
struct Place {
    queues: Arc<Queues>,
    tenant: Uuid,
}

impl Queues {
    fn join(self: &Arc<Self>, tenant: Uuid, cap: usize) -> (Place, Arc<Semaphore>) {
        let mut queues = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = queues.entry(tenant).or_insert_with(|| Queue {
            turns: Arc::new(Semaphore::new(cap)),
            requests: 0,
        });
        queue.requests += 1;
        let place = Place {
            queues: Arc::clone(self),
            tenant,
        };
        (place, Arc::clone(&queue.turns))
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut queues = self.queues.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(queue) = queues.get_mut(&self.tenant) {
            queue.requests -= 1;
            if queue.requests == 0 {
                queues.remove(&self.tenant);
            }
        }
    }
}

/// A tenant's turn: one of its requests may execute until this drops.
pub struct TenantTurn {
    // Released before the place, so the next request in the queue starts before this one's
    // entry may be removed.
    _permit: OwnedSemaphorePermit,
    _place: Place,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl FairShare {
    pub fn new(config: FairShareConfig) -> Self {
        Self {
            config,
            queues: Arc::default(),
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
        let (place, turns) = self
            .queues
            .join(tenant, self.config.tenant_concurrency.max(1));
        let permit = match deadline {
            None => turns.acquire_owned().await,
            Some(deadline) => tokio::time::timeout_at(deadline, turns.acquire_owned())
                .await
                .map_err(|_| Busy {
                    retry_after: Duration::from_secs(1),
                    reason: "the tenant already has as many requests running as it may: retry shortly",
                })?,
        };
        // The semaphore is never closed.
        let permit = permit.map_err(|_| Busy {
            retry_after: Duration::from_secs(1),
            reason: "the server is shutting down",
        })?;
        Ok(TenantTurn {
            _permit: permit,
            _place: place,
        })
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

    /// Requests of `tenant` holding or waiting for a turn.
    fn requests(share: &FairShare, tenant: Uuid) -> usize {
        share
            .queues
            .0
            .lock()
            .unwrap()
            .get(&tenant)
            .map_or(0, |queue| queue.requests)
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
        while requests(&share, tenant) < 2 {
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
        while requests(&share, tenant) < 2 {
            tokio::task::yield_now().await;
        }
        abandoned.abort();
        assert!(abandoned.await.is_err());
        assert_eq!(requests(&share, tenant), 1);
        drop(held);
        assert!(share.queues.0.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_tenants_waiting_requests_take_their_turns_in_the_order_they_came() {
        let share = Arc::new(FairShare::new(FairShareConfig {
            tenant_concurrency: 1,
            tenant_wait: Duration::from_secs(30),
            principal_rate: None,
            principal_burst: 1.0,
        }));
        let (tenant, user) = (Uuid::now_v7(), Uuid::now_v7());
        let running = share.admit(tenant, user).await.unwrap();
        let (started, mut order) = tokio::sync::mpsc::unbounded_channel();
        let mut waiters = Vec::new();
        for arrival in 0..5 {
            let (waiting, started) = (Arc::clone(&share), started.clone());
            waiters.push(tokio::spawn(async move {
                let _turn = waiting.admit(tenant, user).await.unwrap();
                started.send(arrival).unwrap();
            }));
            while requests(&share, tenant) < arrival + 2 {
                tokio::task::yield_now().await;
            }
        }
        drop(running);
        for waiter in waiters {
            waiter.await.unwrap();
        }
        let mut arrivals = Vec::new();
        while let Ok(arrival) = order.try_recv() {
            arrivals.push(arrival);
        }
        assert_eq!(arrivals, [0, 1, 2, 3, 4]);
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
