//! The real server as a subprocess: started on a free port, waited for (`/readyz`), scraped
//! (`/metrics`, `/proc/<pid>/status`) and stopped.

use crate::{Options, Result};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Fixed so the bench can sign in the same way every run; the server is private to the bench.
const JWT_SECRET: &str = "leora-bench-secret-leora-bench-secret-0123456789";

pub struct Server {
    child: tokio::process::Child,
    pub pid: u32,
    pub base: String,
    pub client: reqwest::Client,
}

/// The counters of `GET /metrics` the bench divides.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counters {
    pub sql_statements: u64,
    pub graphql_requests: u64,
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl Server {
    pub async fn start(leora_bin: &Path, options: &Options, out_dir: &Path) -> Result<Self> {
        Self::start_under(&[], leora_bin, options, out_dir).await
    }

    /// As [`Server::start`], run by `launcher` (a program and its arguments, e.g. valgrind).
    pub async fn start_under(
        launcher: &[String],
        leora_bin: &Path,
        options: &Options,
        out_dir: &Path,
    ) -> Result<Self> {
        let port = free_port()?;
        let log = std::fs::File::create(out_dir.join("server.log"))?;
        let mut command = match launcher.split_first() {
            Some((program, args)) => {
                let mut command = tokio::process::Command::new(program);
                command.args(args).arg(leora_bin);
                command
            }
            None => tokio::process::Command::new(leora_bin),
        };
        command
            .arg("serve")
            .env("LEORA_ENV", "development")
            .env(
                "DATABASE_URL",
                options.pooled_url.as_ref().unwrap_or(&options.database_url),
            )
            .env("DATABASE_POOL_MAX", options.pool_max.to_string())
            .env("LEORA_LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("JWT_SECRET", JWT_SECRET)
            .env("ACCESS_TOKEN_TTL_SECONDS", "7200")
            .env("WEBHOOK_WORKER_ENABLED", "false")
            .env("RUST_LOG", "warn")
            // Every client signs in from 127.0.0.1, 3 × 64 of them within seconds.
            .env("LOGIN_ATTEMPTS_PER_MINUTE_PER_ADDRESS", "100000")
            .env("LOG_FORMAT", "json")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true);
        if options.pooled_url.is_some() {
            command
                .env("DATABASE_POOLER", "transaction")
                .env("DIRECT_URL", &options.database_url);
        }
        for pair in &options.server_env {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("--server-env {pair:?} is not NAME=value"))?;
            command.env(name, value);
        }
        let mut child = command.spawn().map_err(|error| {
            format!(
                "cannot start {}: {error}",
                launcher.first().map_or(leora_bin, Path::new).display()
            )
        })?;
        let pid = child.id().ok_or("the server exited at once")?;
        let client = http_client()?;
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = child.try_wait()? {
                return Err(format!(
                    "the server exited ({status}); see {}",
                    out_dir.join("server.log").display()
                )
                .into());
            }
            let ready = client
                .get(format!("{base}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                break;
            }
            if Instant::now() > deadline {
                return Err("the server did not become ready within 120 s".into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(Self {
            child,
            pid,
            base,
            client,
        })
    }

    pub async fn counters(&self) -> Result<Counters> {
        let text = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        let value = |series: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(series)?.trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        Ok(Counters {
            sql_statements: value("leora_sql_statements_total "),
            graphql_requests: value("leora_http_requests_total{route=\"/graphql\"} "),
        })
    }

    /// (current RSS, peak RSS) in MB, from `/proc/<pid>/status` (VmRSS, VmHWM).
    pub fn memory(&self) -> Option<(f64, f64)> {
        memory_of(self.pid)
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

pub fn memory_of(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status.lines().find_map(|line| {
            let kb: f64 = line
                .strip_prefix(name)?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()?;
            Some(kb / 1024.0)
        })
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// CPU time (user + system) the process has used so far, in milliseconds.
pub fn cpu_ms_of(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it are space-separated.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux the bench runs on.
    Some(ticks * 10.0)
}

/// The load generator's HTTP client: keeps a connection per concurrent client.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
}
