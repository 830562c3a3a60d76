//! Request-scoped batch loaders. Each loader reads through the request's own tenant transaction, so
//! batching never steps outside the tenant (a loader built once for the whole schema would), and
//! each is created on first use, so the gateway need not know every crate's loaders.
//!
//! Batches are formed by the request's execution, not by a timer. A request's resolvers all run
//! in its one task, driven by [`Batching::run`]. The first field to ask a loader for a key leads
//! the batch and waits; every other field that asks meanwhile joins it. When the execution can make
//! no more progress on its own (it returned `Pending` without waking itself: every runnable field
//! has asked for what it needs), the driver closes the open batches; each leader then issues one
//! statement for all of its keys and hands every waiting field its row. A page of fifty products
//! is therefore one statement per relation however busy the machine is, and no request waits on a
//! timer.

use super::error::ResolverError;
// Not tokio's oneshot: tokio's charges the task's cooperative budget, and a waiter refused by an
// exhausted budget would ask for its next key only after the next batch had left without it.
use futures_channel::oneshot;
use sea_orm::DatabaseTransaction;
use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

/// Loads the rows for a batch of keys with one statement (or a fixed few).
pub trait BatchLoad<K>: Send + Sync + 'static {
    type Value: Clone + Send + Sync + 'static;

    /// The rows found, by key; a key without a row is absent.
    fn load(
        &self,
        keys: &[K],
    ) -> impl Future<Output = Result<HashMap<K, Self::Value>, LoadFailed>> + Send;
}

/// The error every loader reports: cheap to clone (every waiting field gets it), already logged.
#[derive(Debug, Clone)]
pub struct LoadFailed;

impl LoadFailed {
    pub fn log(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "batch load failed");
        Self
    }
}

impl From<LoadFailed> for ResolverError {
    fn from(_: LoadFailed) -> Self {
        ResolverError::internal()
    }
}

/// Declares a loader: a struct around the request's transaction (so it is made per request, with
/// [`Session::loader`](super::Session::loader)) whose [`BatchLoad`] is one batched read, its error
/// logged as [`LoadFailed`].
///
/// `Name: Key => Value, read` loads with `read(&DatabaseTransaction, &[Key])`, an async function
/// returning the values by key. `Name: entity by id` reads `entity::Entity` rows whose `id` is
/// among the keys, by position (its model implements [`ByPosition`](crate::rows::ByPosition)).
///
/// ```ignore
/// batch_loader!(
///     /// An order's lines, by line number.
///     LinesOfOrder: Uuid => Vec<order_lines::Model>, batch::lines_of_orders
/// );
/// batch_loader!(
///     /// Products by id.
///     ProductById: products by id
/// );
/// ```
#[macro_export]
macro_rules! batch_loader {
    ($(#[$meta:meta])* $name:ident: $entity:ident by id) => {
        $crate::batch_loader!(
            $(#[$meta])* $name: ::uuid::Uuid => $entity::Model, $name::read_by_id
        );

        impl $name {
            async fn read_by_id(
                tx: &::sea_orm::DatabaseTransaction,
                ids: &[::uuid::Uuid],
            ) -> ::std::result::Result<
                ::std::collections::HashMap<::uuid::Uuid, $entity::Model>,
                ::sea_orm::DbErr,
            > {
                let select = ::sea_orm::QueryFilter::filter(
                    <$entity::Entity as ::sea_orm::EntityTrait>::find(),
                    ::sea_orm::ColumnTrait::is_in(&$entity::Column::Id, ids.iter().copied()),
                );
                let rows = $crate::rows::all(tx, select).await?;
                Ok(rows.into_iter().map(|row| (row.id, row)).collect())
            }
        }
    };
    ($(#[$meta:meta])* $name:ident: $key:ty => $value:ty, $read:path) => {
        $(#[$meta])*
        pub struct $name(pub ::std::sync::Arc<::sea_orm::DatabaseTransaction>);

        impl $crate::graphql::BatchLoad<$key> for $name {
            type Value = $value;

            async fn load(
                &self,
                keys: &[$key],
            ) -> ::std::result::Result<
                ::std::collections::HashMap<$key, $value>,
                $crate::graphql::LoadFailed,
            > {
                $read(self.0.as_ref(), keys)
                    .await
                    .map_err($crate::graphql::LoadFailed::log)
            }
        }
    };
}

type Outcome<K, V> = Result<Arc<HashMap<K, V>>, LoadFailed>;

/// The keys asked for since the batch opened, and the fields (other than its leader) waiting.
struct Round<K, V> {
    keys: HashSet<K>,
    waiters: Vec<oneshot::Sender<Outcome<K, V>>>,
}

/// One loader of one request: `L` plus the batch it is gathering.
pub struct Batcher<K, L: BatchLoad<K>> {
    loader: L,
    batching: Batching,
    gathering: Mutex<Option<Round<K, L::Value>>>,
}

impl<K, L> Batcher<K, L>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    L: BatchLoad<K>,
{
    fn new(loader: L, batching: Batching) -> Self {
        Self {
            loader,
            batching,
            gathering: Mutex::new(None),
        }
    }

    /// The row for `key`, loaded together with every key its sibling fields ask for.
    pub async fn load_one(&self, key: K) -> Result<Option<L::Value>, LoadFailed> {
        loop {
            let waiting = {
                let mut gathering = lock(&self.gathering);
                match gathering.as_mut() {
                    Some(round) => {
                        round.keys.insert(key.clone());
                        let (sender, receiver) = oneshot::channel();
                        round.waiters.push(sender);
                        Err(receiver)
                    }
                    None => {
                        *gathering = Some(Round {
                            keys: HashSet::from([key.clone()]),
                            waiters: Vec::new(),
                        });
                        Ok(self.batching.open_gate())
                    }
                }
            };
            let outcome = match waiting {
                // Boxed: the load's future (a whole statement's state) would otherwise be inlined
                // into every field that asks a loader, and async-graphql moves each field's future
                // into a box of its own: every scalar field of the type would copy it.
                Ok(gate) => Box::pin(self.lead(gate)).await,
                Err(receiver) => match receiver.await {
                    Ok(outcome) => outcome,
                    // The leader was cancelled (its field's parent failed): gather again.
                    Err(_) => continue,
                },
            };
            return outcome.map(|rows| rows.get(&key).cloned());
        }
    }

    /// The rows for `key`, each wrapped by `wrap` (as a GraphQL type around a model); a key
    /// without rows has none.
    pub async fn load_many<T, R>(
        &self,
        key: K,
        wrap: impl FnMut(T) -> R,
    ) -> Result<Vec<R>, LoadFailed>
    where
        L: BatchLoad<K, Value = Vec<T>>,
    {
        Ok(self
            .load_one(key)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(wrap)
            .collect())
    }

    async fn lead(&self, gate: Arc<Gate>) -> Outcome<K, L::Value> {
        let mut claim = RoundClaim {
            gathering: &self.gathering,
            taken: false,
        };
        if !self.batching.is_driven() {
            return Err(LoadFailed::log(
                "a loader was used outside Batching::run, which would never close its batch",
            ));
        }
        GateClosed(gate).await;
        let Some(round) = claim.take() else {
            // Only the leader takes the round, so it is still there.
            return Err(LoadFailed::log(
                "batch round vanished before its leader ran",
            ));
        };
        let keys: Vec<K> = round.keys.into_iter().collect();
        let outcome = self.loader.load(&keys).await.map(Arc::new);
        for waiter in round.waiters {
            // A waiter whose field was cancelled no longer listens; nothing to do.
            let _ = waiter.send(outcome.clone());
        }
        outcome
    }
}

/// The leader's hold on the round it gathers. Dropped before the leader takes the round (its
/// field was cancelled), it discards the round, so the waiters gather a new one. Once taken, the
/// round in `gathering` is a later one, led by another field, and is left alone.
struct RoundClaim<'a, K, V> {
    gathering: &'a Mutex<Option<Round<K, V>>>,
    taken: bool,
}

impl<K, V> RoundClaim<'_, K, V> {
    /// Until the leader takes it, the round in `gathering` is the leader's own: no other round
    /// can open while one is gathering.
    fn take(&mut self) -> Option<Round<K, V>> {
        self.taken = true;
        lock(self.gathering).take()
    }
}

impl<K, V> Drop for RoundClaim<'_, K, V> {
    fn drop(&mut self) {
        if !self.taken {
            lock(self.gathering).take();
        }
    }
}

/// A leader's batch, open until the driver closes it.
#[derive(Default)]
struct Gate {
    closed: AtomicBool,
    leader: Mutex<Option<Waker>>,
}

impl Gate {
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        if let Some(leader) = lock(&self.leader).take() {
            leader.wake();
        }
    }
}

struct GateClosed(Arc<Gate>);

impl Future for GateClosed {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0.closed.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        *lock(&self.0.leader) = Some(cx.waker().clone());
        // Closed between the check and storing the waker: nobody would wake us.
        if self.0.closed.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

/// A request's open batches, and whether its execution runs under [`Batching::run`].
#[derive(Clone, Default)]
pub struct Batching(Arc<BatchingState>);

#[derive(Default)]
struct BatchingState {
    driven: AtomicBool,
    open: Mutex<Vec<Arc<Gate>>>,
}

impl Batching {
    /// Runs a request's execution, closing its loaders' batches whenever it can make no progress
    /// without them.
    pub fn run<F: Future>(&self, execution: F) -> impl Future<Output = F::Output> {
        self.0.driven.store(true, Ordering::Release);
        Driven {
            execution: Box::pin(execution),
            batching: self.clone(),
            watch: None,
        }
    }

    fn is_driven(&self) -> bool {
        self.0.driven.load(Ordering::Acquire)
    }

    fn open_gate(&self) -> Arc<Gate> {
        let gate = Arc::new(Gate::default());
        lock(&self.0.open).push(Arc::clone(&gate));
        gate
    }

    /// Closes every open batch; false when there was none.
    fn close_all(&self) -> bool {
        let open = std::mem::take(&mut *lock(&self.0.open));
        for gate in &open {
            gate.close();
        }
        !open.is_empty()
    }
}

struct Driven<F> {
    execution: Pin<Box<F>>,
    batching: Batching,
    watch: Option<Arc<WakeWatch>>,
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // One watch for the whole execution: the wakers its futures hold point at it, so a new
        // executor waker is swapped in rather than a new watch made.
        let watch = match &self.watch {
            Some(watch) => {
                let mut waker = lock(&watch.waker);
                if !waker.will_wake(cx.waker()) {
                    *waker = cx.waker().clone();
                }
                drop(waker);
                Arc::clone(watch)
            }
            None => {
                let watch = Arc::new(WakeWatch {
                    woken: AtomicBool::new(false),
                    forwarding: AtomicBool::new(true),
                    waker: Mutex::new(cx.waker().clone()),
                });
                self.watch = Some(Arc::clone(&watch));
                watch
            }
        };
        let waker = Waker::from(Arc::clone(&watch));
        loop {
            watch.woken.store(false, Ordering::SeqCst);
            if let Poll::Ready(output) = self
                .execution
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
            {
                return Poll::Ready(output);
            }
            // Woken while polled: something can still run (and may yet ask for keys), and the
            // executor has been told to poll again. Not woken: every field waits on a batch or
            // on the database, so close the batches and let their leaders run.
            if watch.woken.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
            // The leaders are polled again right here, so their wakes need not reach the
            // executor (which would poll the whole execution once more for nothing). A wake from
            // elsewhere meanwhile is seen by that same poll. SeqCst on both flags, here and in
            // `WakeWatch::wake_by_ref`: with acquire/release alone, this thread could read `woken`
            // unset while a waking thread read `forwarding` unset, and the wake would be lost.
            watch.forwarding.store(false, Ordering::SeqCst);
            let closed = self.batching.close_all();
            watch.forwarding.store(true, Ordering::SeqCst);
            if !closed && !watch.woken.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
        }
    }
}

/// Forwards wakes to the executor and remembers that one happened.
struct WakeWatch {
    woken: AtomicBool,
    forwarding: AtomicBool,
    waker: Mutex<Waker>,
}

impl Wake for WakeWatch {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        if self.forwarding.load(Ordering::SeqCst) {
            lock(&self.waker).wake_by_ref();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A request's loaders, by type, and the batching they share.
#[derive(Default)]
pub struct Loaders {
    batching: Batching,
    loaders: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Loaders {
    pub(super) fn batching(&self) -> &Batching {
        &self.batching
    }

    pub(super) fn get_or_create<K, L>(
        &self,
        tx: &Arc<DatabaseTransaction>,
        make: impl FnOnce(Arc<DatabaseTransaction>) -> L,
    ) -> Arc<Batcher<K, L>>
    where
        K: Clone + Eq + Hash + Send + Sync + 'static,
        L: BatchLoad<K>,
    {
        let mut loaders = lock(&self.loaders);
        let entry = loaders
            .entry(TypeId::of::<Batcher<K, L>>())
            .or_insert_with(|| Arc::new(Batcher::new(make(Arc::clone(tx)), self.batching.clone())));
        match Arc::clone(entry).downcast::<Batcher<K, L>>() {
            Ok(batcher) => batcher,
            // The map is keyed by the batcher's own TypeId, so the downcast cannot miss.
            Err(_) => unreachable!("loader registry holds a value of another type"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::future::join_all;

    /// Doubles its keys and records every batch it was asked for.
    #[derive(Default)]
    struct Doubler {
        batches: Mutex<Vec<Vec<u32>>>,
    }

    impl BatchLoad<u32> for Arc<Doubler> {
        type Value = u32;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, LoadFailed> {
            let mut sorted = keys.to_vec();
            sorted.sort_unstable();
            lock(&self.batches).push(sorted);
            // A statement's round trip: the task waits on something outside itself.
            tokio::task::yield_now().await;
            Ok(keys.iter().map(|key| (*key, key * 2)).collect())
        }
    }

    fn batcher(batching: &Batching) -> (Arc<Doubler>, Batcher<u32, Arc<Doubler>>) {
        let doubler = Arc::new(Doubler::default());
        (
            Arc::clone(&doubler),
            Batcher::new(doubler, batching.clone()),
        )
    }

    fn batches(doubler: &Doubler) -> Vec<Vec<u32>> {
        lock(&doubler.batches).clone()
    }

    #[tokio::test]
    async fn sibling_fields_share_one_batch_of_distinct_keys() {
        let batching = Batching::default();
        let (doubler, batcher) = batcher(&batching);
        let values = batching
            .run(join_all((0..60).map(|n| batcher.load_one(n % 50))))
            .await;
        assert!(values.iter().all(Result::is_ok));
        assert_eq!(values[55].as_ref().ok(), Some(&Some(10)));
        assert_eq!(batches(&doubler), vec![(0..50).collect::<Vec<_>>()]);
    }

    /// Uneven subtrees (one parent's first child leads the next batch while its siblings are still
    /// being handed their parents), and more waiters than tokio's cooperative budget lets one task
    /// poll (128): no field may miss the batch of its level.
    #[tokio::test]
    async fn fields_woken_by_one_batch_share_the_next() {
        let batching = Batching::default();
        let (first, parents) = batcher(&batching);
        let (second, children) = batcher(&batching);
        let (parents, children) = (&parents, &children);
        let chained = batching
            .run(join_all((0..300).map(|n| async move {
                let parent = parents.load_one(n).await.ok().flatten().unwrap_or_default();
                join_all((0..n % 3 + 1).map(|k| children.load_one(parent * 10 + k))).await
            })))
            .await;
        assert_eq!(chained[3].len(), 1);
        assert_eq!(chained[4][1].as_ref().ok(), Some(&Some(162)));
        assert_eq!(batches(&first).len(), 1);
        assert_eq!(batches(&second).len(), 1);
    }

    /// A field asks again while the loader's previous batch is still at the database: the new
    /// batch is its own, and the previous leader finishing must not discard it.
    #[tokio::test]
    async fn a_batch_opened_while_the_previous_one_loads_is_loaded_too() {
        let batching = Batching::default();
        let (doubler, batcher) = batcher(&batching);
        let mut first = Box::pin(batcher.load_one(1));
        let mut second = Box::pin(batcher.load_one(2));
        let (mut first_out, mut second_out) = (None, None);
        let mut step = 0;
        batching
            .run(std::future::poll_fn(|cx| {
                step += 1;
                if step == 2 {
                    // The first batch is closed and at the database: now the second key asks.
                    assert!(first.as_mut().poll(cx).is_pending());
                    assert!(second.as_mut().poll(cx).is_pending());
                    return Poll::Pending;
                }
                if first_out.is_none()
                    && let Poll::Ready(out) = first.as_mut().poll(cx)
                {
                    first_out = Some(out);
                }
                if step > 2
                    && second_out.is_none()
                    && let Poll::Ready(out) = second.as_mut().poll(cx)
                {
                    second_out = Some(out);
                }
                if first_out.is_some() && second_out.is_some() {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }))
            .await;
        assert_eq!(first_out.and_then(Result::ok), Some(Some(2)));
        assert_eq!(second_out.and_then(Result::ok), Some(Some(4)));
        assert_eq!(batches(&doubler), vec![vec![1], vec![2]]);
    }

    #[tokio::test]
    async fn a_key_missing_from_the_rows_is_none() {
        struct Nothing;
        impl BatchLoad<u32> for Nothing {
            type Value = u32;
            async fn load(&self, _: &[u32]) -> Result<HashMap<u32, u32>, LoadFailed> {
                Ok(HashMap::new())
            }
        }
        let batching = Batching::default();
        let batcher = Batcher::new(Nothing, batching.clone());
        assert_eq!(batching.run(batcher.load_one(7)).await.ok(), Some(None));
    }

    #[tokio::test]
    async fn many_rows_are_wrapped_and_a_key_without_rows_has_an_empty_list() {
        /// Each key's first two multiples; zero has none.
        struct Multiples;
        impl BatchLoad<u32> for Multiples {
            type Value = Vec<u32>;
            async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, Vec<u32>>, LoadFailed> {
                Ok(keys
                    .iter()
                    .filter(|key| **key != 0)
                    .map(|key| (*key, vec![*key, key * 2]))
                    .collect())
            }
        }
        let batching = Batching::default();
        let batcher = Batcher::new(Multiples, batching.clone());
        let lists = batching
            .run(join_all(
                [3, 0].map(|key| batcher.load_many(key, u64::from)),
            ))
            .await;
        assert_eq!(lists[0].as_ref().ok(), Some(&vec![3, 6]));
        assert_eq!(lists[1].as_ref().ok(), Some(&vec![]));
    }

    #[tokio::test]
    async fn a_loader_outside_a_driven_execution_fails_instead_of_waiting_forever() {
        let batching = Batching::default();
        let (doubler, batcher) = batcher(&batching);
        assert!(batcher.load_one(1).await.is_err());
        assert!(batches(&doubler).is_empty());
    }

    #[tokio::test]
    async fn a_cancelled_leader_leaves_its_waiters_to_gather_again() {
        let batching = Batching::default();
        let (doubler, batcher) = batcher(&batching);
        let mut leader = Box::pin(batcher.load_one(1));
        let mut follower = Box::pin(batcher.load_one(2));
        let follower = batching.run(async move {
            std::future::poll_fn(|cx| {
                assert!(leader.as_mut().poll(cx).is_pending());
                assert!(follower.as_mut().poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            drop(leader);
            follower.await
        });
        assert_eq!(follower.await.ok(), Some(Some(4)));
        assert_eq!(batches(&doubler), vec![vec![2]]);
    }
}
