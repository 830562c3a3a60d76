use super::*;
use futures_util::future::join_all;
use std::task::Poll;

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
