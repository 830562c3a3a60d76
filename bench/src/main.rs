//! `leora-bench`: the benchmark described in docs/performance.md. It makes sure the synthetic
//! dataset exists, starts the real `leora` server, signs in portal buyers and reps across tenants,
//! and drives a fixed mix over HTTP at several concurrencies — then runs the same SQL straight
//! against PostgreSQL, in the same transaction shape, as the baseline. Results go to
//! `target/bench/results.{json,md}`.
//!
//! Built by `just bench` (which builds `leora` and `leora-bench` in release first); it builds
//! nothing itself.

#![allow(clippy::print_stdout)] // a command-line report

mod dataset;
mod deep_pages;
mod gateway;
mod hang_up;
mod instructions;
mod load;
mod mix;
mod noisy;
mod pgbouncer;
mod raw;
mod report;
mod server;
mod subscriptions;

use clap::Parser;
use std::path::PathBuf;
use std::time::Duration;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T, E = BoxError> = std::result::Result<T, E>;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "leora-bench",
    about = "Leora's HTTP benchmark and raw-SQL baseline"
)]
pub struct Options {
    /// The benchmark database (created and seeded when missing or too small). The server and the
    /// raw baseline both use it; over loopback TLS only burns CPU (sqlx prefers it when the
    /// server offers it), so the default turns it off.
    #[arg(
        long,
        env = "BENCH_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/leora_bench?sslmode=disable"
    )]
    pub database_url: String,
    /// Seconds measured per query and concurrency.
    #[arg(long, env = "BENCH_DURATION_SECS", default_value_t = 10)]
    pub duration_secs: u64,
    /// Seconds of unmeasured warm-up before each measurement.
    #[arg(long, env = "BENCH_WARMUP_SECS", default_value_t = 1)]
    pub warmup_secs: u64,
    /// Concurrency levels (closed loop: each client sends its next request when the last answered).
    #[arg(long, value_delimiter = ',', default_value = "1,8,32,64")]
    pub concurrency: Vec<usize>,
    /// Which parts of the mix to run: catalog, orders, accounts, writes, depletions (measured at
    /// the lowest `--concurrency` only).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "catalog,orders,accounts,writes,depletions"
    )]
    pub queries: Vec<String>,
    /// Skip the raw-SQL baseline.
    #[arg(long)]
    pub no_raw: bool,
    /// Instead of the load run: clients hang up on every other request at a spread of moments,
    /// at the highest `--concurrency`; then the server log must hold no "transaction in progress"
    /// notice and no write may be left half done.
    #[arg(long)]
    pub hang_up: bool,
    /// Instead of the load run: tenant A floods the server with orders-with-lines requests at the
    /// highest `--concurrency` while tenant B's buyers load catalog pages at c=4; then A sends
    /// the amplification query. Writes `noisy_neighbour.md` next to the results.
    #[arg(long)]
    pub noisy_neighbour: bool,
    /// Instead of the load run: page 1 and page 1,000 of a tenant's orders (10 a page) at c=1.
    /// Writes `deep_pages.md` next to the results.
    #[arg(long)]
    pub deep_pages: bool,
    /// Instead of the load run: 2,000 idle `orderUpdated` subscriptions over WebSocket (the
    /// server's RSS before and after), then 100 subscribers whose buyers place a draft order a
    /// second each for `--duration-secs` (commit-to-client latency). Writes `subscriptions.md`
    /// next to the results.
    #[arg(long)]
    pub subscriptions: bool,
    /// The server's DATABASE_POOL_MAX; the raw baseline uses a pool of the same size.
    #[arg(long, env = "BENCH_POOL_MAX", default_value_t = 8)]
    pub pool_max: u32,
    /// Extra environment for the server, `NAME=value` (repeatable), e.g.
    /// `--server-env MALLOC_ARENA_MAX=2`.
    #[arg(long = "server-env")]
    pub server_env: Vec<String>,
    /// Synthetic tenants the dataset must hold at least.
    #[arg(long, default_value_t = 20)]
    pub tenants: u32,
    /// Customers per synthetic tenant (only used when seeding).
    #[arg(long, default_value_t = 200)]
    pub customers: u32,
    /// Orders per customer over twelve months (only used when seeding).
    #[arg(long, default_value_t = 50)]
    pub orders: u32,
    /// Order lines the dataset must hold at least; more synthetic tenants are added until it does.
    #[arg(long, default_value_t = 1_000_000)]
    pub min_order_lines: i64,
    /// The server reaches the database through a PgBouncer in transaction mode that the bench
    /// starts from the installed `pgbouncer` program (configured for one that does not track
    /// prepared statements, as Debian 12's 1.18; the server with `DATABASE_POOLER=transaction`).
    /// The raw baseline stays direct. Compare with a run without it for the pooler's cost.
    #[arg(long, conflicts_with = "instructions")]
    pub pgbouncer: bool,
    /// PgBouncer's server connections (`default_pool_size`; default: `--pool-max`).
    #[arg(long, requires = "pgbouncer")]
    pub pgbouncer_pool_size: Option<u32>,
    /// Set at run time: the server's `DATABASE_URL` when it goes through PgBouncer.
    #[arg(skip)]
    pub pooled_url: Option<String>,
    /// The `leora` binary (default: next to this one).
    #[arg(long)]
    pub leora_bin: Option<PathBuf>,
    /// Instead of the load run: count the server's instructions per request under valgrind's
    /// callgrind, sending each query this many times in a row (deterministic, unlike timings on
    /// a shared machine; needs valgrind). Writes `instructions.md` next to the results.
    #[arg(long, value_name = "REQUESTS")]
    pub instructions: Option<u32>,
    /// Where results go (default: `target/bench`).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
}

impl Options {
    fn duration(&self) -> Duration {
        Duration::from_secs(self.duration_secs)
    }
    fn warmup(&self) -> Duration {
        Duration::from_secs(self.warmup_secs)
    }
    fn wants(&self, query: mix::Query) -> bool {
        self.queries.iter().any(|q| q == query.key())
    }
}

fn main() -> std::process::ExitCode {
    let options = Options::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("leora-bench: cannot start the runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("leora-bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(mut options: Options) -> Result<()> {
    let exe_dir = std::env::current_exe()?
        .parent()
        .map(PathBuf::from)
        .ok_or("cannot locate the bench binary's directory")?;
    let leora_bin = options
        .leora_bin
        .clone()
        .unwrap_or_else(|| exe_dir.join("leora"));
    if !leora_bin.exists() {
        return Err(format!(
            "{} does not exist: build it with `cargo build --release --bin leora` (or run `just bench`)",
            leora_bin.display()
        )
        .into());
    }
    let out_dir = options.out_dir.clone().unwrap_or_else(|| {
        exe_dir
            .parent()
            .map_or_else(|| PathBuf::from("target"), PathBuf::from)
            .join("bench")
    });
    std::fs::create_dir_all(&out_dir)?;

    let started = std::time::Instant::now();
    let dataset = dataset::ensure(&options, &leora_bin).await?;
    println!(
        "dataset: {} synthetic tenants, {} customers, {} orders, {} order lines, {} health snapshots",
        dataset.tenants, dataset.customers, dataset.orders, dataset.order_lines, dataset.snapshots
    );

    if let Some(requests) = options.instructions {
        let counted =
            instructions::count(&leora_bin, &options, &dataset, &out_dir, requests).await?;
        let table = instructions::markdown(&counted);
        let path = out_dir.join("instructions.md");
        std::fs::write(&path, &table)?;
        println!("\n{table}\nwrote {}", path.display());
        return Ok(());
    }

    if options.subscriptions {
        subscriptions::configure(&mut options, &dataset.slugs);
    }
    // Lives as long as the run (killed when dropped).
    let pgbouncer = if options.pgbouncer {
        let pgbouncer = pgbouncer::start(&options, &out_dir).await?;
        options.pooled_url = Some(pgbouncer.url.clone());
        Some(pgbouncer)
    } else {
        None
    };
    let server = server::Server::start(&leora_bin, &options, &out_dir).await?;
    println!(
        "server: pid {} on {} (DATABASE_POOL_MAX={})",
        server.pid, server.base, options.pool_max
    );
    if let Some(pgbouncer) = &pgbouncer {
        println!(
            "the server reaches PostgreSQL through PgBouncer {} (transaction mode, {} server connections) at {}",
            pgbouncer.version, pgbouncer.pool_size, pgbouncer.url
        );
    }
    if options.noisy_neighbour {
        let outcome = noisy::run(&server, &dataset.slugs, &options).await;
        server.stop().await;
        let outcome = outcome?;
        let path = out_dir.join("noisy_neighbour.md");
        std::fs::write(&path, &outcome.report)?;
        println!("\n{}\nwrote {}", outcome.report, path.display());
        return if outcome.passed {
            Ok(())
        } else {
            Err("the noisy-neighbour run missed a target".into())
        };
    }
    if options.subscriptions {
        let outcome = subscriptions::run(&server, &dataset.slugs, &options).await;
        server.stop().await;
        let outcome = outcome?;
        let path = out_dir.join("subscriptions.md");
        std::fs::write(&path, &outcome.report)?;
        println!("\n{}\nwrote {}", outcome.report, path.display());
        return if outcome.passed {
            Ok(())
        } else {
            Err("the subscriptions run missed a target".into())
        };
    }
    if options.deep_pages {
        let outcome = deep_pages::run(&server, &dataset.slugs, &options).await;
        server.stop().await;
        let outcome = outcome?;
        let path = out_dir.join("deep_pages.md");
        std::fs::write(&path, &outcome.report)?;
        println!("\n{}\nwrote {}", outcome.report, path.display());
        return if outcome.passed {
            Ok(())
        } else {
            Err("the deep page costs more than twice the first".into())
        };
    }
    let rss_ready = server.memory().map_or(0.0, |(rss, _)| rss);
    let max_concurrency = options.concurrency.iter().copied().max().unwrap_or(1);
    let principals =
        gateway::Principals::sign_in(&server, &options, &dataset, max_concurrency).await?;
    println!(
        "signed in {} readers, {} writers, {} reps and {} admins across {} tenants",
        principals.readers.len(),
        principals.writers.len(),
        principals.reps.len(),
        principals.admins.len(),
        dataset.slugs.len()
    );
    let rss_signed_in = server.memory().map_or(0.0, |(rss, _)| rss);
    println!("server RSS: {rss_ready:.1} MB when ready, {rss_signed_in:.1} MB after the sign-ins");
    if options.hang_up {
        let outcome = hang_up::run(&server, &principals, max_concurrency, &options, &out_dir).await;
        server.stop().await;
        let outcome = outcome?;
        println!(
            "hang-up: {} requests completed, {} abandoned, {} errors; {} \"transaction in progress\" notices in the server log; {} active carts left holding items",
            outcome.completed,
            outcome.abandoned,
            outcome.errors,
            outcome.notices,
            outcome.carts_left_with_items
        );
        return if outcome.passed() {
            Ok(())
        } else {
            Err("a hang-up left a transaction open or a write half done".into())
        };
    }
    let raw_pool = if options.no_raw {
        None
    } else {
        Some(raw::connect(&options).await?)
    };

    let mut results = Vec::new();
    let outcome = async {
        for query in mix::Query::ALL {
            if !options.wants(query) {
                continue;
            }
            for concurrency in query.levels(&options.concurrency) {
                let result =
                    gateway::measure(&server, &principals, query, concurrency, &options).await?;
                report::print_row(&result);
                results.push(result);
            }
            if let (Some(pool), true) = (&raw_pool, query.has_baseline()) {
                for &concurrency in &options.concurrency {
                    let result =
                        raw::measure(pool, &principals, query, concurrency, &options).await?;
                    report::print_row(&result);
                    results.push(result);
                }
            }
        }
        Ok::<_, BoxError>(())
    }
    .await;
    let (rss_now, peak) = server.memory().unwrap_or_default();
    server.stop().await;
    outcome?;

    let run = report::Run {
        generated_at: chrono::Utc::now().to_rfc3339(),
        duration_secs: options.duration_secs,
        warmup_secs: options.warmup_secs,
        pool_max: options.pool_max,
        pooler: pgbouncer.as_ref().map(|pgbouncer| {
            format!(
                "PgBouncer {} in transaction mode, {} server connections",
                pgbouncer.version, pgbouncer.pool_size
            )
        }),
        cpus: std::thread::available_parallelism().map_or(0, usize::from),
        dataset,
        server_rss_end_mb: rss_now,
        server_peak_rss_mb: peak,
        total_secs: started.elapsed().as_secs(),
        results,
    };
    let (json, markdown) = report::write(&run, &out_dir)?;
    println!("\n{}", report::markdown(&run));
    println!("wrote {} and {}", json.display(), markdown.display());
    Ok(())
}
