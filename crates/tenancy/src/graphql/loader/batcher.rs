//! One loader of one request: the keys its fields ask for, gathered into a batch that its first
//! asker leads and loads once the driver closes it.

use super::driver::{Batching, Gate, GateClosed};
use super::{BatchLoad, LoadFailed, lock};
// Not tokio's oneshot: tokio's charges the task's cooperative budget, and a waiter refused by an
// exhausted budget would ask for its next key only after the next batch had left without it.
use futures_channel::oneshot;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex};

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
    pub(super) fn new(loader: L, batching: Batching) -> Self {
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
