//! Fair shares of the server between tenants and principals (see `docs/architecture.md`,
//! "Fair shares"). A signed-in request executes only while it holds one of its tenant's permits:
//! one tenant saturating the server holds at most that many pool connections and leaves the rest
//! to the others. Past the cap a request waits briefly for a permit, then answers `RATE_LIMITED`
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

/// Beyond this many tracked tenants or principals, idle entries are dropped.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Clone, Copy)]
pub struct FairShareConfig {
    /// Requests of one tenant executing at once.
    pub tenant_concurrency: usize,
    /// How long a request over its tenant's cap waits for a permit before it is refused.
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
    tenants: Mutex<HashMap<Uuid, Arc<Semaphore>>>,
    buckets: Mutex<HashMap<(Uuid, Uuid), Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl FairShare {
    pub fn new(config: FairShareConfig) -> Self {
        Self {
            config,
            tenants: Mutex::default(),
            buckets: Mutex::default(),
        }
    }

    /// Admits one request of `principal` in `tenant`: spends a token of the principal's rate,
    /// then waits (briefly) for one of the tenant's permits, held until the request has ended.
    pub async fn admit(&self, tenant: Uuid, principal: Uuid) -> Result<OwnedSemaphorePermit, Busy> {
        self.take_token(tenant, principal, Instant::now())?;
        let semaphore = self.tenant_semaphore(tenant);
        match tokio::time::timeout(self.config.tenant_wait, semaphore.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(Busy {
                retry_after: Duration::from_secs(1),
                reason: "the tenant already has as many requests running as it may: retry shortly",
            }),
        }
    }

    fn tenant_semaphore(&self, tenant: Uuid) -> Arc<Semaphore> {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        if tenants.len() > PRUNE_ABOVE {
            let cap = self.config.tenant_concurrency;
            tenants.retain(|_, semaphore| semaphore.available_permits() < cap);
        }
        Arc::clone(
            tenants
                .entry(tenant)
                .or_insert_with(|| Arc::new(Semaphore::new(self.config.tenant_concurrency))),
        )
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
        let _first = share.admit(busy_tenant, user).await.unwrap();
        let _second = share.admit(busy_tenant, user).await.unwrap();
        let refused = share.admit(busy_tenant, user).await.unwrap_err();
        assert!(refused.retry_after >= Duration::from_secs(1));
        assert!(share.admit(other_tenant, user).await.is_ok());
        drop(_first);
        assert!(share.admit(busy_tenant, user).await.is_ok());
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
