//! A transaction abandoned by its caller — a request whose client hung up — wherever it stands:
//! its connection goes back to the pool with no transaction open, nothing it wrote is kept, and
//! the next transaction on that connection runs alone under its own settings.

use super::{app_role, database_with_tenants};
use leora_tenancy::db::{self, Deadlines, scope};
use leora_tenancy::{TenancyError, TenantContext, TenantDb};
use leora_test_db::TestDatabase;
use leora_test_db::sql::stmt;
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Wake, Waker};
use tokio::sync::Notify;
use uuid::Uuid;

/// Two tenants, and a pool of one connection so every transaction reuses the one before's.
struct OneConnection {
    _database: TestDatabase,
    owner: DatabaseConnection,
    pool: DatabaseConnection,
    db: TenantDb,
    portal: TenantContext,
    other_tenant: Uuid,
}

async fn one_connection() -> OneConnection {
    let (database, owner) = database_with_tenants(&["alpha", "beta"]).await;
    let mut options = ConnectOptions::new(database.url().to_owned());
    options.max_connections(1).sqlx_logging(false);
    let pool = db::connect(options).await.unwrap();
    let db = TenantDb::new(pool.clone(), app_role());
    let alpha = db.tenant_id_for_slug("alpha").await.unwrap();
    let other_tenant = db.tenant_id_for_slug("beta").await.unwrap();
    let id = |sql: &str| {
        let owner = owner.clone();
        let sql = sql.to_owned();
        async move {
            owner
                .query_one_raw(stmt(&sql, [alpha.into()]))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<Uuid>(0)
                .unwrap()
        }
    };
    let customer = id("SELECT id FROM customers WHERE tenant_id = $1 LIMIT 1").await;
    let portal_user = id("SELECT id FROM portal_users WHERE tenant_id = $1 LIMIT 1").await;
    OneConnection {
        _database: database,
        owner,
        pool,
        db,
        portal: TenantContext::portal_user(alpha, portal_user, customer),
        other_tenant,
    }
}

struct Woken(Notify);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.notify_one();
    }
}

/// Polls `future` until it completes or has been woken `wakeups` times, then drops it without
/// polling again: the moment a client's hang-up drops a request's future, with the awaited reply
/// already arrived but not yet read. Says whether it completed.
async fn abandon_after<F: Future>(future: F, wakeups: usize) -> bool {
    let mut future = std::pin::pin!(future);
    let woken = Arc::new(Woken(Notify::new()));
    let waker = Waker::from(Arc::clone(&woken));
    let mut cx = Context::from_waker(&waker);
    for _ in 0..wakeups {
        if future.as_mut().poll(&mut cx).is_ready() {
            return true;
        }
        woken.0.notified().await;
    }
    false
}

impl OneConnection {
    /// Opens the next transaction on the pool's one connection (waiting for it to come back) and
    /// checks it is a transaction of its own — begun after the abandoned one was given up — that
    /// sees only its own tenant, no customer, and the application role.
    /// Returns the connection's backend process id.
    async fn next_transaction_runs_alone(&self, after: &str) -> i32 {
        let given_up: chrono::DateTime<chrono::Utc> = self.scalar("SELECT clock_timestamp()").await;
        let next = TenantContext::system(self.other_tenant);
        let tx = self
            .db
            .begin(&next)
            .await
            .unwrap_or_else(|error| panic!("{after}: the next transaction failed: {error}"));
        let row = tx
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT now(), current_user::text, current_setting('app.current_tenant_id'),
                        current_setting('app.current_customer_id'), pg_backend_pid()",
            ))
            .await
            .unwrap()
            .unwrap();
        let began: chrono::DateTime<chrono::Utc> = row.try_get_by_index(0).unwrap();
        assert!(
            began >= given_up,
            "{after}: the next request ran inside a transaction begun at {began}, before {given_up}"
        );
        let settings: (String, String, String) = (
            row.try_get_by_index(1).unwrap(),
            row.try_get_by_index(2).unwrap(),
            row.try_get_by_index(3).unwrap(),
        );
        assert_eq!(
            settings,
            (
                app_role().as_str().to_owned(),
                self.other_tenant.to_string(),
                String::new()
            ),
            "{after}"
        );
        let backend: i32 = row.try_get_by_index(4).unwrap();
        db::commit(tx).await.unwrap();
        assert_eq!(
            self.scalar::<i64>(
                "SELECT count(*) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND state LIKE 'idle in transaction%'"
            )
            .await,
            0,
            "{after}: a connection is idle inside a transaction"
        );
        backend
    }

    async fn scalar<T: sea_orm::TryGetable>(&self, sql: &str) -> T {
        self.owner
            .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index(0)
            .unwrap()
    }
}

#[tokio::test]
async fn a_transaction_abandoned_while_opening_leaves_its_connection_idle() {
    let world = one_connection().await;
    let first = world.next_transaction_runs_alone("nothing abandoned").await;
    for wakeups in 1.. {
        let completed = abandon_after(world.db.begin(&world.portal), wakeups).await;
        let backend = world
            .next_transaction_runs_alone(&format!("opening abandoned after {wakeups} wake-ups"))
            .await;
        // Opening runs to its end and rolls back: the connection never needs discarding.
        assert_eq!(backend, first, "after {wakeups} wake-ups");
        if completed {
            break;
        }
    }
}

#[tokio::test]
async fn a_transaction_abandoned_after_its_first_write_keeps_nothing() {
    let world = one_connection().await;
    let wrote = Arc::new(AtomicBool::new(false));
    for wakeups in 1.. {
        let work = async {
            let tx = world.db.begin(&world.portal).await.unwrap();
            // An event, which a portal request may append (its checkout does).
            tx.execute_raw(stmt(
                "INSERT INTO webhook_events (tenant_id, event_type, payload)
                 VALUES ($1, 'order.placed', '{\"abandoned\": true}')",
                [world.portal.tenant_id().into()],
            ))
            .await
            .unwrap();
            wrote.store(true, Ordering::SeqCst);
            // Still working (a slow read, say) when the client hangs up. It yields, so every
            // poll is a wake-up and the future is dropped at the next one, `tx` still open.
            loop {
                tokio::task::yield_now().await;
            }
        };
        abandon_after(work, wakeups).await;
        world
            .next_transaction_runs_alone(&format!("write abandoned after {wakeups} wake-ups"))
            .await;
        if wrote.load(Ordering::SeqCst) {
            break;
        }
    }
    let kept: i64 = world
        .scalar("SELECT count(*) FROM webhook_events WHERE payload ? 'abandoned'")
        .await;
    assert_eq!(kept, 0);
}

#[tokio::test]
async fn a_transaction_opened_inside_another_refuses_to_run() {
    let world = one_connection().await;
    let tx = world.db.begin(&world.portal).await.unwrap();
    // As if the connection had been handed out with this transaction still open: the next
    // request's BEGIN would open nothing, and its scope would be set inside this one.
    let inherited = scope(
        &tx,
        &app_role(),
        Some(&TenantContext::system(world.other_tenant)),
        Deadlines::default(),
    )
    .await;
    assert!(
        matches!(inherited, Err(TenancyError::InheritedTransaction)),
        "{inherited:?}"
    );
    drop(tx);
    world
        .next_transaction_runs_alone("a refused transaction")
        .await;
}

#[tokio::test]
async fn a_connection_released_inside_a_transaction_is_closed_not_reused() {
    let world = one_connection().await;
    let pool = world.pool.get_postgres_connection_pool().clone();
    let mut conn = pool.acquire().await.unwrap();
    let first: i32 = sea_orm::sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    // A transaction begun by hand, behind the pool's back.
    sea_orm::sqlx::raw_sql("BEGIN")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    world
        .next_transaction_runs_alone("a connection released inside a transaction")
        .await;
    let mut conn = pool.acquire().await.unwrap();
    let next: i32 = sea_orm::sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_ne!(
        first, next,
        "the connection left inside a transaction was reused"
    );
}
