//! `leora`: the server, and the operator commands that go with it.

use clap::{Parser, Subcommand};
use leora_gateway::config::{Config, Environment};
use leora_gateway::startup::{self, StartupError};
use leora_gateway::{AppState, commands, router};
use std::process::ExitCode;

/// mimalloc returns freed memory to the system instead of keeping it per thread (each password
/// hash allocates ~19 MiB), and its allocations are cheaper on the request path.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "leora",
    about = "Leora: multi-tenant commerce for beverage-alcohol distributors"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default). Development migrates first; production only checks.
    Serve,
    /// Apply pending migrations (through DIRECT_URL when set), then exit.
    Migrate,
    /// Print the GraphQL schema (SDL), sorted; `schema.graphql` is this output.
    Schema,
    /// Run the scheduled jobs once: `leora jobs health` refreshes account health snapshots, sales
    /// metrics and notifications for every active tenant.
    Jobs {
        #[command(subcommand)]
        job: Job,
    },
    /// Run a webhook delivery worker until SIGINT/SIGTERM (any number may run at once).
    Worker,
    /// Seed the Well Crafted demo tenant (idempotent), or with --synthetic generate benchmark
    /// tenants `synthetic-000` … (existing ones are kept).
    Seed(SeedArgs),
    /// Create, list, suspend and reactivate tenants (through DIRECT_URL when set).
    Tenants {
        #[command(subcommand)]
        command: TenantsCommand,
    },
}

#[derive(Subcommand)]
enum TenantsCommand {
    /// Create a tenant, its settings and its first admin; prints the admin's single-use
    /// set-password token (valid 24 hours), which is shown nowhere else.
    Create {
        /// Lower-case letters and digits, words joined by hyphens (the tenant's sign-in name).
        #[arg(long)]
        slug: String,
        /// The distributor's name.
        #[arg(long)]
        name: String,
        /// The first admin's email.
        #[arg(long)]
        admin_email: String,
        /// An IANA time zone (default America/Los_Angeles): the tenant's calendar.
        #[arg(long)]
        timezone: Option<String>,
        /// An ISO 4217 code, three capital letters (default USD).
        #[arg(long)]
        currency: Option<String>,
    },
    /// List every tenant: slug, name, status, created.
    List,
    /// Shut a tenant out at once (sessions, sign-in, jobs, webhooks); nothing is deleted.
    Suspend {
        #[arg(long)]
        slug: String,
    },
    /// Print a new single-use set-password token (valid 24 hours) for one of the tenant's users,
    /// such as a first admin whose token expired; any earlier token of theirs stops working.
    ResetPassword {
        #[arg(long)]
        slug: String,
        /// The user's email.
        #[arg(long)]
        email: String,
    },
    /// Make a suspended (or cancelled) tenant active again.
    Activate {
        #[arg(long)]
        slug: String,
    },
}

#[derive(Subcommand)]
enum Job {
    /// Account health snapshots, sales metrics, missed calls, notifications, filing statuses.
    Health,
}

#[derive(clap::Args)]
struct SeedArgs {
    /// Generate synthetic tenants instead of the demo tenant.
    #[arg(long)]
    synthetic: bool,
    #[arg(long, default_value_t = 20)]
    tenants: u32,
    /// Customers per tenant.
    #[arg(long, default_value_t = 200)]
    customers: u32,
    /// Orders per customer, spread over the last twelve months.
    #[arg(long, default_value_t = 50)]
    orders: u32,
    /// Products per tenant (one SKU each).
    #[arg(long, default_value_t = 200)]
    products: u32,
    /// Sales reps per tenant.
    #[arg(long, default_value_t = 10)]
    reps: u32,
    /// The same number gives the same data.
    #[arg(long, default_value_t = 42)]
    seed: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("leora: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), StartupError> {
    if let Command::Schema = command {
        use std::io::Write;
        let sdl = leora_gateway::schema::sdl();
        return std::io::stdout()
            .write_all(sdl.as_bytes())
            .map_err(|source| StartupError::Output { source });
    }
    let config = load_config()?;
    let telemetry = leora_gateway::telemetry::init(&config)?;
    let outcome = run_with(command, config).await;
    // After the drain: the spans of the last requests are still queued.
    telemetry.shutdown().await;
    outcome
}

async fn run_with(command: Command, config: Config) -> Result<(), StartupError> {
    match command {
        Command::Serve => serve(config).await,
        Command::Schema => Ok(()),
        Command::Seed(args) => seed(&config, args).await,
        Command::Jobs { job: Job::Health } => {
            let pool = startup::prepare_database(&config).await?;
            let db = leora_tenancy::TenantDb::new(pool, config.app_role.clone());
            commands::refresh_account_health(&db).await
        }
        Command::Worker => {
            let pool = startup::prepare_database(&config).await?;
            let db = leora_tenancy::TenantDb::new(pool, config.app_role.clone());
            leora_integrations::verify_encryption_keys(&db, &config.integrations.secrets).await?;
            tracing::info!("webhook worker running");
            let worker = worker_config(&config);
            Ok(leora_integrations::run_worker(db, worker, shutdown_signal()).await?)
        }
        Command::Tenants { command } => tenants(&config, command).await,
        Command::Migrate => {
            let url = startup::database_url(&config).await?;
            startup::migrate(&config, &url).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}

async fn seed(config: &Config, args: SeedArgs) -> Result<(), StartupError> {
    let pool = startup::prepare_database(config).await?;
    let owner = startup::owner_connection(config).await?;
    let db = leora_tenancy::TenantDb::new(pool, config.app_role.clone());
    if args.synthetic {
        let options = leora_seed::synthetic::SyntheticOptions {
            tenants: args.tenants,
            customers_per_tenant: args.customers,
            orders_per_customer: args.orders,
            products_per_tenant: args.products,
            reps_per_tenant: args.reps,
            seed: args.seed,
        };
        commands::seed_synthetic(&owner, &db, options).await
    } else {
        commands::seed_demo(&owner, &db).await?;
        commands::print_demo_credentials(&announcement(config, false))
    }
}

async fn tenants(config: &Config, command: TenantsCommand) -> Result<(), StartupError> {
    use commands::tenants;
    // The command's output is its result (for `create`, the only copy of the admin's token):
    // stdout, never the log.
    let mut out = std::io::stdout();
    let owner = startup::owner_connection(config).await?;
    match command {
        TenantsCommand::Create {
            slug,
            name,
            admin_email,
            timezone,
            currency,
        } => {
            let pool = startup::prepare_database(config).await?;
            let db = leora_tenancy::TenantDb::new(pool, config.app_role.clone());
            let input = tenants::CreateTenant {
                slug,
                name,
                admin_email,
                timezone,
                currency,
            };
            tenants::create(&owner, &db, input, &mut out).await?;
        }
        TenantsCommand::ResetPassword { slug, email } => {
            let pool = startup::prepare_database(config).await?;
            let db = leora_tenancy::TenantDb::new(pool, config.app_role.clone());
            tenants::reset_password(&owner, &db, &slug, &email, &mut out).await?;
        }
        TenantsCommand::List => tenants::list(&owner, &mut out).await?,
        TenantsCommand::Suspend { slug } => tenants::suspend(&owner, &slug, &mut out).await?,
        TenantsCommand::Activate { slug } => tenants::activate(&owner, &slug, &mut out).await?,
    }
    Ok(())
}

fn announcement(config: &Config, serving: bool) -> commands::Announcement {
    commands::Announcement {
        base_url: format!("http://{}", config.listen_addr),
        serving,
        graphiql: config.graphql.graphiql,
        development: config.environment == leora_gateway::config::Environment::Development,
    }
}

fn load_config() -> Result<Config, StartupError> {
    // `.env` is a development convenience; production takes its environment as given.
    if std::env::var("LEORA_ENV").as_deref() != Ok("production") {
        dotenvy::dotenv().ok();
    }
    Ok(Config::from_env()?)
}

async fn serve(config: Config) -> Result<(), StartupError> {
    let mut pool = startup::prepare_database(&config).await?;
    let metrics = std::sync::Arc::new(leora_gateway::http::metrics::Metrics::default());
    metrics.count_sql_statements(&mut pool);
    let state = AppState::with_metrics(&config, pool, metrics);
    leora_integrations::verify_encryption_keys(&state.db, &config.integrations.secrets).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let worker = if config.integrations.worker_enabled {
        let worker = leora_integrations::Worker::new(state.db.clone(), worker_config(&config))?;
        Some(tokio::spawn(worker.run(until_stopped(stopped.clone()))))
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(config.listen_addr)
        .await
        .map_err(|source| StartupError::Bind {
            addr: config.listen_addr,
            source,
        })?;
    if config.seeds_demo_tenant() {
        commands::seed_demo(&state.pool, &state.db).await?;
        commands::print_demo_credentials(&announcement(&config, true))?;
    } else if config.environment == Environment::Development {
        tracing::info!(addr = %config.listen_addr, "Leora is serving (development; `leora seed` adds the demo tenant)");
    } else {
        tracing::info!(addr = %config.listen_addr, "Leora is serving (production)");
    }
    // Subscriptions' connections stay open until told to close; shutdown waits for them.
    let live = std::sync::Arc::clone(&state.live);
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    // On SIGTERM: stop accepting, close the subscriptions' connections, let the requests in
    // flight finish (each is bounded by REQUEST_TIMEOUT_MS), and let the worker finish the attempts
    // it has started (each bounded by its request timeout) rather than dropping them with the
    // process.
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            until_stopped(stopped).await;
            live.close();
        })
        .await
        .map_err(|source| StartupError::Bind {
            addr: config.listen_addr,
            source,
        });
    if let Some(worker) = worker
        && let Err(error) = worker.await
    {
        tracing::error!(%error, "the webhook worker ended abnormally");
    }
    tracing::info!("stopped");
    served
}

fn worker_config(config: &Config) -> leora_integrations::WorkerConfig {
    let production = config.environment == Environment::Production;
    leora_integrations::WorkerConfig::new(
        std::sync::Arc::clone(&config.integrations.secrets),
        leora_integrations::UrlPolicy::for_environment(production),
    )
}

/// Resolves once the shutdown signal has been seen, for every task that must stop with it.
async fn until_stopped(mut stopped: tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Resolves on SIGINT or SIGTERM; axum then stops accepting and finishes in-flight requests.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
