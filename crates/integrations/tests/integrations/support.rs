//! Two tenants, the encryption keys, and the world's ways to subscribe, record events and run
//! delivery workers.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use leora_integrations::service::subscriptions::{self, NewSubscription, WithSecret};
use leora_integrations::{
    IntegrationsError, RetryPolicy, SecretBox, UrlPolicy, WorkerConfig, run_worker,
};
use leora_tenancy::TenantTx;
use leora_tenancy::events::{self, EventType};
use leora_tenancy::{TenantContext, with_tenant};
use leora_test_db::Pools;
use leora_test_db::fixtures::{create_tenant, create_user, grant_role};
use leora_test_db::sql::scalar;
use sea_orm::DatabaseConnection;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub const KEY_ID: &str = "t1";

pub fn key_spec(id: &str, byte: u8) -> String {
    format!("{id}:{}", STANDARD.encode([byte; 32]))
}

pub fn keys() -> Arc<SecretBox> {
    Arc::new(SecretBox::parse(&key_spec(KEY_ID, 7)).unwrap())
}

pub struct World {
    pub pools: Pools,
    pub secrets: Arc<SecretBox>,
    pub a: Uuid,
    pub b: Uuid,
}

pub async fn world() -> World {
    let pools = Pools::new().await;
    let a = create_tenant(&pools.owner, "alpha").await;
    let b = create_tenant(&pools.owner, "beta").await;
    World {
        pools,
        secrets: keys(),
        a,
        b,
    }
}

/// A user of `tenant` holding the system role `role`.
pub async fn add_user(owner: &DatabaseConnection, tenant: Uuid, email: &str, role: &str) -> Uuid {
    let user = create_user(owner, tenant, email, email, None).await;
    grant_role(owner, tenant, user, role).await;
    user
}

impl World {
    pub async fn count(&self, sql: &str, values: impl IntoIterator<Item = sea_orm::Value>) -> i64 {
        scalar(&self.pools.owner, sql, values).await
    }

    pub async fn text(
        &self,
        sql: &str,
        values: impl IntoIterator<Item = sea_orm::Value>,
    ) -> String {
        scalar(&self.pools.owner, sql, values).await
    }

    pub async fn run<T>(
        &self,
        tenant: Uuid,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, IntegrationsError>,
    ) -> Result<T, IntegrationsError> {
        with_tenant(&self.pools.db, &TenantContext::system(tenant), work).await
    }

    pub async fn subscribe(&self, tenant: Uuid, url: &str, types: &[EventType]) -> WithSecret {
        let input = NewSubscription {
            url: url.to_owned(),
            description: Some("test receiver".into()),
            event_types: types.iter().map(|t| t.name().to_owned()).collect(),
        };
        let secrets = Arc::clone(&self.secrets);
        self.run(tenant, async |tx| {
            subscriptions::create_subscription(tx, &secrets, UrlPolicy::DEVELOPMENT, 20, input)
                .await
        })
        .await
        .unwrap()
    }

    /// Records `count` events of one type in one committed transaction; returns their ids.
    pub async fn record(&self, tenant: Uuid, event: EventType, count: usize) -> Vec<Uuid> {
        self.run(tenant, async |tx| {
            let mut ids = Vec::with_capacity(count);
            for n in 0..count {
                ids.push(
                    events::record(
                        tx,
                        tenant,
                        event,
                        json!({ "n": n, "orderId": format!("o-{n}") }),
                    )
                    .await?,
                );
            }
            Ok(ids)
        })
        .await
        .unwrap()
    }

    pub async fn deliveries_with_status(&self, status: &str) -> i64 {
        self.count(
            "SELECT count(*) FROM webhook_deliveries WHERE status = $1",
            [status.into()],
        )
        .await
    }

    /// Polls (as the owner) until `sql` counts `expected`, or fails after ten seconds.
    pub async fn wait_for_count(&self, sql: &str, expected: i64) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = self.count(sql, []).await;
            if now == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for `{sql}` to reach {expected} (it is {now})"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn config(&self) -> WorkerConfig {
        let mut config = WorkerConfig::new(Arc::clone(&self.secrets), UrlPolicy::DEVELOPMENT);
        config.retry = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_secs(1),
            jitter: 0.2,
        };
        config.request_timeout = Duration::from_secs(2);
        config.lease = Duration::from_secs(3);
        config.poll_interval = Duration::from_millis(20);
        config
    }

    pub fn spawn_worker(&self, config: WorkerConfig) -> RunningWorker {
        let (stop, stopped) = oneshot::channel::<()>();
        let db = self.pools.db.clone();
        let handle = tokio::spawn(async move {
            run_worker(db, config, async move {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        RunningWorker { stop, handle }
    }
}

pub struct RunningWorker {
    stop: oneshot::Sender<()>,
    handle: JoinHandle<()>,
}

impl RunningWorker {
    /// Asks the worker to stop and waits until it has (attempts in flight finish first).
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.handle.await.unwrap();
    }

    /// Kills the worker mid-flight, as a crash would: nothing is recorded for its attempts.
    pub async fn kill(self) {
        self.handle.abort();
        assert!(self.handle.await.unwrap_err().is_cancelled());
    }
}
