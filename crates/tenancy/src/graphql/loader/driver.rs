//! When a batch closes: [`Batching::run`] drives a request's execution and closes every open
//! batch when the execution can make no progress without them.

use super::lock;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// A leader's batch, open until the driver closes it.
#[derive(Default)]
pub(super) struct Gate {
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

pub(super) struct GateClosed(pub(super) Arc<Gate>);

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

    pub(super) fn is_driven(&self) -> bool {
        self.0.driven.load(Ordering::Acquire)
    }

    pub(super) fn open_gate(&self) -> Arc<Gate> {
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
