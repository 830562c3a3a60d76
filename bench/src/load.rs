//! A closed-loop load driver: `concurrency` clients, each sending its next request as soon as the
//! last one answered; a warm-up that is not recorded, then a measured window.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
pub struct Measured {
    /// Latencies of the requests started inside the window, in microseconds, sorted.
    pub latencies_us: Vec<u64>,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Requests sent in all (warm-up included), for dividing server counters.
    pub sent: u64,
    pub window: Duration,
}

impl Measured {
    pub fn requests(&self) -> u64 {
        self.latencies_us.len() as u64
    }

    pub fn per_second(&self) -> f64 {
        self.requests() as f64 / self.window.as_secs_f64()
    }

    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * self.latencies_us.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies_us.len()) - 1;
        self.latencies_us[index] as f64 / 1000.0
    }
}

/// Runs `request(client, iteration)` from `concurrency` clients for `warmup + window`.
pub async fn drive<F, Fut>(
    concurrency: usize,
    warmup: Duration,
    window: Duration,
    request: F,
) -> Measured
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let request = Arc::new(request);
    let start = Instant::now();
    let measure_from = start + warmup;
    let end = measure_from + window;
    let mut tasks = Vec::with_capacity(concurrency);
    for client in 0..concurrency {
        let request = Arc::clone(&request);
        tasks.push(tokio::spawn(async move {
            let mut mine = Measured::default();
            let mut iteration = 0_u64;
            loop {
                let sent_at = Instant::now();
                if sent_at >= end {
                    break;
                }
                let outcome = request(client, iteration).await;
                iteration += 1;
                mine.sent += 1;
                // Errors count whenever they happen; latencies only inside the window.
                match outcome {
                    Ok(()) if sent_at >= measure_from => {
                        mine.latencies_us.push(sent_at.elapsed().as_micros() as u64)
                    }
                    Ok(()) => {}
                    Err(error) => {
                        mine.errors += 1;
                        mine.first_error.get_or_insert(error);
                    }
                }
            }
            mine
        }));
    }
    let mut all = Measured {
        window,
        ..Measured::default()
    };
    for task in tasks {
        match task.await {
            Ok(mine) => {
                all.latencies_us.extend(mine.latencies_us);
                all.errors += mine.errors;
                all.sent += mine.sent;
                if all.first_error.is_none() {
                    all.first_error = mine.first_error;
                }
            }
            Err(error) => {
                all.errors += 1;
                all.first_error
                    .get_or_insert(format!("client panicked: {error}"));
            }
        }
    }
    all.latencies_us.sort_unstable();
    all
}

/// Samples the server's resident memory while `work` runs: (peak VmRSS seen, VmHWM after), in MB.
pub async fn with_rss_sampling<T>(pid: u32, work: impl Future<Output = T>) -> (T, f64, f64) {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let sampler = tokio::spawn(async move {
        let mut peak = 0.0_f64;
        loop {
            if let Some((rss, _)) = crate::server::memory_of(pid) {
                peak = peak.max(rss);
            }
            tokio::select! {
                _ = stopped.changed() => break,
                () = tokio::time::sleep(Duration::from_millis(50)) => {}
            }
        }
        peak
    });
    let value = work.await;
    let _ = stop.send(true);
    let peak = sampler.await.unwrap_or(0.0);
    let hwm = crate::server::memory_of(pid).map_or(0.0, |(_, hwm)| hwm);
    (value, peak, hwm)
}
