//! One listening connection per server instance: every committed outbox event and notification
//! arrives once on PostgreSQL's `leora_events` channel (migration 17) and is fanned out to this
//! instance's subscriptions through one bounded broadcast channel. Each subscription then reads
//! what an event is about as its own subscriber (`leora_tenancy::graphql::live`).
//!
//! When the listening connection drops, the announcements made meanwhile are lost with it, so
//! after listening again the hub reads them back from the tables by position
//! (`live_events_since`, a `SECURITY DEFINER` function that returns the same ids NOTIFY carries,
//! across tenants): everything since the last announcement heard, less [`CATCH_UP_MARGIN`], with
//! what was already fanned out skipped.

use crate::config::LiveConfig;
use leora_tenancy::graphql::live::LiveEvent;
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenancyError, TenantContext, TenantDb, with_tenant};
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// The channel the triggers of migration 17 announce on.
pub const CHANNEL: &str = "leora_events";

/// How far before the last announcement heard a catch-up starts reading. An event's instant is
/// its transaction's start, and a transaction that began earlier may commit later: one that
/// commits while the listener is away can carry an instant before the last one heard. Requests
/// end within their deadline (15 s by default), so a minute covers them; announcements already fanned out
/// are skipped.
const CATCH_UP_MARGIN: chrono::Duration = chrono::Duration::seconds(60);

/// Announcements read per catch-up statement.
const CATCH_UP_PAGE: i32 = 1_000;

/// Announcements fanned out lately, to skip them when a catch-up reads them again.
const REMEMBERED_IDS: usize = 10_000;

/// How long the hub waits before listening again after its connection failed.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

pub struct LiveHub {
    events: broadcast::Sender<Arc<LiveEvent>>,
    db: TenantDb,
    pool: DatabaseConnection,
    /// A direct connection for LISTEN when `DATABASE_URL` goes through a transaction pooler,
    /// which keeps no session to listen in.
    direct_url: Option<String>,
    started: AtomicBool,
    /// True while the hub listens: a connection is acknowledged only then, so that nothing
    /// committed after its subscriptions start is missed.
    listening: watch::Sender<bool>,
    /// Set when the server shuts down: every WebSocket connection closes (1001).
    closing: watch::Sender<bool>,
    /// Subscriptions per tenant on this instance.
    tenants: Mutex<HashMap<Uuid, usize>>,
    pub config: LiveConfig,
}

impl LiveHub {
    pub fn new(
        db: TenantDb,
        pool: DatabaseConnection,
        direct_url: Option<String>,
        config: LiveConfig,
    ) -> Self {
        Self {
            events: broadcast::channel(config.event_buffer).0,
            db,
            pool,
            direct_url,
            started: AtomicBool::new(false),
            listening: watch::channel(false).0,
            closing: watch::channel(false).0,
            tenants: Mutex::default(),
            config,
        }
    }

    /// Every event from now on.
    pub fn events(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.events.subscribe()
    }

    /// Starts listening on first use (a server that nobody subscribes to holds no listening
    /// connection), and waits up to `wait` until the hub listens. False if it does not by then.
    pub async fn listening(&self, wait: Duration) -> bool {
        if !self.started.swap(true, Ordering::AcqRel) {
            let listener = Listener {
                events: self.events.clone(),
                db: self.db.clone(),
                pool: self.pool.clone(),
                direct_url: self.direct_url.clone(),
                listening: self.listening.clone(),
                last_heard: None,
                recent: Recent::default(),
            };
            tokio::spawn(listener.run(self.closing.subscribe()));
        }
        let mut listening = self.listening.subscribe();
        tokio::time::timeout(wait, listening.wait_for(|listening| *listening))
            .await
            .is_ok_and(|waited| waited.is_ok())
    }

    /// Tells every connection to close, and the listener to stop.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once the server is shutting down.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        until_closed(self.closing.subscribe())
    }

    /// Counts one more subscription of `tenant`, unless it holds the most it may.
    pub fn admit(self: &Arc<Self>, tenant: Uuid) -> Option<TenantSubscription> {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        let held = tenants.entry(tenant).or_default();
        if *held >= self.config.max_per_tenant {
            return None;
        }
        *held += 1;
        Some(TenantSubscription {
            hub: Arc::clone(self),
            tenant,
        })
    }
}

/// Resolves once `closing` is set (never, if its sender is gone without setting it).
async fn until_closed(mut closing: watch::Receiver<bool>) {
    loop {
        let closed = *closing.borrow_and_update();
        if closed {
            return;
        }
        if closing.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// One subscription counted against its tenant's limit, until dropped.
pub struct TenantSubscription {
    hub: Arc<LiveHub>,
    tenant: Uuid,
}

impl Drop for TenantSubscription {
    fn drop(&mut self) {
        let mut tenants = self
            .hub
            .tenants
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = tenants.get_mut(&self.tenant) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                tenants.remove(&self.tenant);
            }
        }
    }
}

/// An announcement's identity: its row and instant (a webhook delivery is announced again, with a
/// later instant, at each change).
type Heard = (Uuid, chrono::DateTime<chrono::Utc>);

/// The announcements fanned out lately, oldest forgotten first.
#[derive(Default)]
struct Recent {
    ids: HashSet<Heard>,
    order: VecDeque<Heard>,
}

impl Recent {
    /// False if `heard` was fanned out already.
    fn first_time(&mut self, heard: Heard) -> bool {
        if !self.ids.insert(heard) {
            return false;
        }
        self.order.push_back(heard);
        if self.order.len() > REMEMBERED_IDS
            && let Some(oldest) = self.order.pop_front()
        {
            self.ids.remove(&oldest);
        }
        true
    }
}

struct Listener {
    events: broadcast::Sender<Arc<LiveEvent>>,
    db: TenantDb,
    pool: DatabaseConnection,
    direct_url: Option<String>,
    listening: watch::Sender<bool>,
    /// The instant of the latest announcement heard, where a catch-up starts.
    last_heard: Option<chrono::DateTime<chrono::Utc>>,
    recent: Recent,
}

impl Listener {
    async fn run(mut self, closing: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                () = until_closed(closing.clone()) => return,
                () = self.listen_until_lost() => {}
            }
            self.listening.send_replace(false);
            tokio::select! {
                () = until_closed(closing.clone()) => return,
                () = tokio::time::sleep(RECONNECT_DELAY) => {}
            }
        }
    }

    /// Listens, catches up on what was missed since the last announcement heard, then fans out
    /// announcements until the connection is lost.
    async fn listen_until_lost(&mut self) {
        let mut listener = match self.connect().await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "live events: cannot listen; retrying");
                return;
            }
        };
        match self.last_heard {
            Some(since) => {
                if let Err(error) = self.catch_up(since - CATCH_UP_MARGIN).await {
                    tracing::warn!(%error, "live events: catch-up failed; listening again");
                    return;
                }
            }
            // Nobody subscribed before the hub first listened: the position starts now.
            None => self.last_heard = Some(chrono::Utc::now()),
        }
        self.listening.send_replace(true);
        tracing::info!("live events: listening");
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => self.announce(notification.payload()),
                Ok(None) => {
                    tracing::warn!("live events: the listening connection was lost");
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, "live events: listening failed");
                    return;
                }
            }
        }
    }

    async fn connect(&self) -> Result<PgListener, sea_orm::sqlx::Error> {
        let mut listener = match &self.direct_url {
            Some(url) => PgListener::connect(url).await?,
            None => PgListener::connect_with(self.pool.get_postgres_connection_pool()).await?,
        };
        listener.listen(CHANNEL).await?;
        Ok(listener)
    }

    fn announce(&mut self, payload: &str) {
        match serde_json::from_str::<LiveEvent>(payload) {
            Ok(event) => {
                self.fan_out(event);
            }
            Err(error) => tracing::warn!(%error, payload, "live events: unreadable announcement"),
        }
    }

    /// False if the event was fanned out already.
    fn fan_out(&mut self, event: LiveEvent) -> bool {
        if !self.recent.first_time((event.id, event.at)) {
            return false;
        }
        self.last_heard = Some(self.last_heard.map_or(event.at, |last| last.max(event.at)));
        // No receiver (nobody subscribes right now) is not an error.
        let _ = self.events.send(Arc::new(event));
        true
    }

    /// Fans out the announcements made since `since`, oldest first, skipping those already
    /// fanned out. The listener has no tenant: it reads through the one function that returns
    /// them across tenants, in a transaction that itself sees no tenant's rows.
    async fn catch_up(
        &mut self,
        mut since: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), TenancyError> {
        let mut recovered = 0_usize;
        loop {
            let page: Vec<serde_json::Value> =
                with_tenant(&self.db, &TenantContext::system(Uuid::nil()), async |tx| {
                    let rows = tx
                        .query_all_raw(stmt(
                            "SELECT live_events_since($1, $2) AS event",
                            [since.into(), CATCH_UP_PAGE.into()],
                        ))
                        .await?;
                    rows.iter()
                        .map(|row| row.try_get::<serde_json::Value>("", "event"))
                        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
                        .map_err(TenancyError::from)
                })
                .await?;
            let full = page.len() == usize::try_from(CATCH_UP_PAGE).unwrap_or(usize::MAX);
            let mut latest = since;
            for value in page {
                match serde_json::from_value::<LiveEvent>(value) {
                    Ok(event) => {
                        latest = latest.max(event.at);
                        recovered += usize::from(self.fan_out(event));
                    }
                    Err(error) => tracing::warn!(%error, "live events: unreadable catch-up row"),
                }
            }
            // A full page all of one instant cannot move the position on; what it held is
            // fanned out and the rest is left, rather than reading the same page for ever.
            if !full || latest == since {
                break;
            }
            since = latest;
        }
        tracing::info!(recovered, "live events: caught up after a lost connection");
        Ok(())
    }
}
