//! The delivery worker: fans new events out into deliveries, claims due deliveries, sends them
//! signed, and records each outcome — retrying with backoff, marking dead after the budget,
//! disabling an endpoint that keeps failing. Any number of workers (in servers or standalone) can
//! run against one database: they coordinate through row locks and leases only.

mod claim;
mod outcome;
pub mod retry;
pub mod sender;

use crate::crypto::SecretBox;
use crate::error::IntegrationsError;
use crate::safety::UrlPolicy;
use chrono::{DateTime, Utc};
use leora_tenancy::TenantDb;
use leora_tenancy::events::MAX_PAYLOAD_BYTES;
use retry::RetryPolicy;
use sender::{AttemptOutcome, ClientBuildError, Outgoing, Sender};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use uuid::Uuid;

pub use claim::envelope;
pub use outcome::SUBSCRIPTION_DISABLED_KIND;

/// Headroom over the payload cap for the envelope (id, type, times).
const ENVELOPE_BYTES: usize = 1024;
/// Tenants looked at per round; the rest wait for the next round.
const TENANTS_PER_ROUND: usize = 100;

/// How the worker behaves. [`WorkerConfig::new`] gives production defaults; every field is public
/// so the server's configuration (and tests) can change any of them.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Opens the subscriptions' signing secrets.
    pub secrets: Arc<SecretBox>,
    /// Which URLs may be sent to ([`UrlPolicy::PRODUCTION`] in production).
    pub url_policy: UrlPolicy,
    pub retry: RetryPolicy,
    /// Consecutive failed attempts after which a subscription is disabled.
    pub disable_after_failures: u32,
    /// The whole of one attempt: connecting, sending, and reading the reply.
    pub request_timeout: Duration,
    /// How long a claimed delivery stays this worker's before another may take it over; must
    /// exceed `request_timeout`.
    pub lease: Duration,
    /// Deliveries in flight at once.
    pub concurrency: usize,
    /// How long an idle worker waits before looking for work again.
    pub poll_interval: Duration,
    /// Events fanned out per tenant per round.
    pub fan_out_batch: u64,
    /// Bodies larger than this are not sent (the delivery is dead at once).
    pub max_body_bytes: usize,
}

impl WorkerConfig {
    pub fn new(secrets: Arc<SecretBox>, url_policy: UrlPolicy) -> Self {
        Self {
            secrets,
            url_policy,
            retry: RetryPolicy::default(),
            disable_after_failures: 50,
            request_timeout: Duration::from_secs(10),
            lease: Duration::from_secs(60),
            concurrency: 8,
            poll_interval: Duration::from_secs(1),
            fan_out_batch: 500,
            max_body_bytes: MAX_PAYLOAD_BYTES + ENVELOPE_BYTES,
        }
    }

    /// Sets the request timeout, lengthening the lease to at least three timeouts so that a
    /// slow attempt is never taken over while still in flight.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self.lease = self.lease.max(timeout.saturating_mul(3));
        self
    }
}

/// A configuration the worker cannot run with.
#[derive(Debug, thiserror::Error)]
pub enum WorkerSetupError {
    #[error("webhook worker: {0}")]
    Invalid(String),
    #[error("webhook worker: {0}")]
    Client(#[from] ClientBuildError),
}

/// One claimed delivery, ready to send.
pub(crate) struct Job {
    tenant_id: Uuid,
    delivery_id: Uuid,
    subscription_id: Uuid,
    event_id: Uuid,
    event_type: String,
    attempt: i32,
    claimed_at: DateTime<Utc>,
    url: String,
    secret: String,
    body: Vec<u8>,
}

/// A worker bound to a database; [`run`](Self::run) until shut down, or
/// [`run_once`](Self::run_once) for a single round.
#[derive(Clone)]
pub struct Worker {
    inner: Arc<Inner>,
}

struct Inner {
    db: TenantDb,
    config: WorkerConfig,
    sender: Sender,
}

impl Worker {
    pub fn new(db: TenantDb, config: WorkerConfig) -> Result<Self, WorkerSetupError> {
        let invalid = |message: &str| Err(WorkerSetupError::Invalid(message.to_owned()));
        if config.concurrency == 0 {
            return invalid("concurrency must be at least 1");
        }
        if config.retry.max_attempts == 0 {
            return invalid("the retry budget must allow at least one attempt");
        }
        if config.disable_after_failures == 0 {
            return invalid("disable_after_failures must be at least 1");
        }
        if config.lease <= config.request_timeout {
            // Otherwise a slow attempt's delivery could be claimed and sent again while in flight.
            return invalid("the lease must be longer than the request timeout");
        }
        let sender = Sender::new(config.url_policy, config.request_timeout)?;
        Ok(Self {
            inner: Arc::new(Inner { db, config, sender }),
        })
    }

    /// Works until `shutdown` completes, then stops claiming, lets the attempts in flight finish
    /// (each is bounded by the request timeout) and returns. A worker dropped without shutdown
    /// loses nothing either: its claimed deliveries fall due again when their lease runs out.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let config = &self.inner.config;
        tracing::info!(
            concurrency = config.concurrency,
            "webhook delivery worker started"
        );
        let permits = Arc::new(Semaphore::new(config.concurrency));
        let mut in_flight = JoinSet::new();
        let claim_threshold = config.concurrency.div_ceil(2);
        tokio::pin!(shutdown);
        loop {
            while let Some(finished) = in_flight.try_join_next() {
                log_join(finished);
            }
            let free = permits.available_permits();
            // Claiming costs a few transactions whatever its size, so a busy worker waits until
            // half its slots are free rather than claiming one delivery at a time.
            let free = if free >= claim_threshold || in_flight.is_empty() {
                free
            } else {
                0
            };
            let jobs = if free == 0 {
                Vec::new()
            } else {
                match self.claim_round(free).await {
                    Ok(jobs) => jobs,
                    Err(error) => {
                        tracing::error!(%error, "webhook worker round failed; retrying after the poll interval");
                        Vec::new()
                    }
                }
            };
            let saturated = free > 0 && jobs.len() == free;
            for job in jobs {
                let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
                    break;
                };
                let worker = self.clone();
                in_flight.spawn(async move {
                    worker.deliver(job).await;
                    drop(permit);
                });
            }
            // Busy: look again as soon as a slot frees. Idle: wait for the poll interval.
            let wait = if saturated || free == 0 {
                None
            } else {
                Some(config.poll_interval)
            };
            tokio::select! {
                () = &mut shutdown => break,
                Some(finished) = in_flight.join_next(), if wait.is_none() && !in_flight.is_empty() => log_join(finished),
                () = tokio::time::sleep(wait.unwrap_or(config.poll_interval)) => {}
            }
        }
        tracing::info!(
            in_flight = in_flight.len(),
            "webhook worker stopping; finishing attempts in flight"
        );
        while let Some(finished) = in_flight.join_next().await {
            log_join(finished);
        }
    }

    /// One round: fan out, claim up to `concurrency` due deliveries, send them all, record the
    /// outcomes. Returns how many were attempted. For tests and one-shot commands.
    pub async fn run_once(&self) -> Result<usize, IntegrationsError> {
        let jobs = self.claim_round(self.inner.config.concurrency).await?;
        let count = jobs.len();
        let mut attempts = JoinSet::new();
        for job in jobs {
            let worker = self.clone();
            attempts.spawn(async move { worker.deliver(job).await });
        }
        while let Some(finished) = attempts.join_next().await {
            log_join(finished);
        }
        Ok(count)
    }

    /// Fans out and claims across the tenants with work, sharing `capacity` among them so one
    /// tenant's backlog does not starve the others.
    async fn claim_round(&self, capacity: usize) -> Result<Vec<Job>, IntegrationsError> {
        let Inner { db, config, .. } = self.inner.as_ref();
        let tenants = claim::tenants_with_work(db, TENANTS_PER_ROUND).await?;
        if tenants.is_empty() {
            return Ok(Vec::new());
        }
        let share = capacity.div_ceil(tenants.len()).max(1);
        let mut jobs = Vec::new();
        for tenant_id in tenants {
            let (events, deliveries) = claim::fan_out(db, tenant_id, config.fan_out_batch).await?;
            if events > 0 {
                tracing::debug!(%tenant_id, events, deliveries, "webhook events fanned out");
            }
            let room = capacity.saturating_sub(jobs.len()).min(share);
            if room > 0 {
                jobs.extend(
                    claim::claim(db, &config.secrets, tenant_id, room, config.lease).await?,
                );
            }
        }
        Ok(jobs)
    }

    async fn deliver(&self, job: Job) {
        let Inner { db, config, sender } = self.inner.as_ref();
        let outcome = if job.body.len() > config.max_body_bytes {
            AttemptOutcome::refused(format!(
                "not sent: the body is {} bytes, over the {} byte limit",
                job.body.len(),
                config.max_body_bytes
            ))
        } else {
            sender
                .send(Outgoing {
                    url: &job.url,
                    secret: &job.secret,
                    event_id: job.event_id,
                    event_type: &job.event_type,
                    delivery_id: job.delivery_id,
                    attempt: job.attempt,
                    body: &job.body,
                })
                .await
        };
        match outcome::record(db, config, &job, &outcome).await {
            Ok(recorded) => tracing::debug!(
                delivery_id = %job.delivery_id,
                attempt = job.attempt,
                status = ?outcome.status_code,
                ?recorded,
                "webhook attempt recorded"
            ),
            // Unrecorded, the delivery falls due again when its lease ends: sent twice, not lost.
            Err(error) => tracing::error!(
                %error,
                delivery_id = %job.delivery_id,
                "webhook attempt could not be recorded"
            ),
        }
    }
}

fn log_join(finished: Result<(), tokio::task::JoinError>) {
    if let Err(error) = finished
        && error.is_panic()
    {
        tracing::error!(%error, "a webhook delivery task panicked");
    }
}

/// Runs a worker until `shutdown` completes (see [`Worker::run`]).
pub async fn run_worker(
    db: TenantDb,
    config: WorkerConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), WorkerSetupError> {
    Worker::new(db, config)?.run(shutdown).await;
    Ok(())
}
