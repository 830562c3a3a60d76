//! Results: one line printed per measurement, then `results.json` and `results.md`.

use crate::dataset::Dataset;
use crate::load::Measured;
use crate::mix::Query;
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize)]
pub struct Measurement {
    pub query: &'static str,
    pub label: &'static str,
    /// `gateway` (HTTP through the server) or `raw` (the same SQL straight to PostgreSQL).
    pub mode: &'static str,
    pub concurrency: usize,
    pub requests: u64,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub errors: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
    /// SQL statements per request, BEGIN/COMMIT not included (gateway: from `/metrics`; raw:
    /// what the baseline issues).
    pub sql_per_request: f64,
    /// Highest VmRSS sampled during the run (gateway only), MB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_rss_peak_mb: Option<f64>,
    /// Server CPU time (user + system) per request, ms (gateway only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_cpu_ms_per_request: Option<f64>,
    /// The server's VmHWM (peak RSS since start) after the run, MB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_vmhwm_mb: Option<f64>,
}

impl Measurement {
    pub fn new(
        query: Query,
        mode: &'static str,
        concurrency: usize,
        measured: &Measured,
        sql_per_request: f64,
        rss: Option<(f64, f64)>,
    ) -> Self {
        Self {
            query: query.key(),
            label: query.label(),
            mode,
            concurrency,
            requests: measured.requests(),
            requests_per_sec: measured.per_second(),
            p50_ms: measured.percentile_ms(50.0),
            p95_ms: measured.percentile_ms(95.0),
            p99_ms: measured.percentile_ms(99.0),
            max_ms: measured.percentile_ms(100.0),
            errors: measured.errors,
            first_error: measured.first_error.clone(),
            sql_per_request,
            server_rss_peak_mb: rss.map(|(peak, _)| peak),
            server_cpu_ms_per_request: None,
            server_vmhwm_mb: rss.map(|(_, hwm)| hwm),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Run {
    pub generated_at: String,
    pub duration_secs: u64,
    pub warmup_secs: u64,
    pub pool_max: u32,
    /// What the server reached PostgreSQL through (`--pgbouncer`); `None`: directly.
    pub pooler: Option<String>,
    pub cpus: usize,
    pub dataset: Dataset,
    pub server_rss_end_mb: f64,
    pub server_peak_rss_mb: f64,
    pub total_secs: u64,
    pub results: Vec<Measurement>,
}

pub fn print_row(m: &Measurement) {
    let rss = m
        .server_rss_peak_mb
        .map_or(String::new(), |rss| format!("  rss {rss:.1} MB"));
    let cpu = m
        .server_cpu_ms_per_request
        .map_or(String::new(), |cpu| format!("  server cpu {cpu:.2} ms/req"));
    let error = m
        .first_error
        .as_deref()
        .map_or(String::new(), |e| format!("  first error: {e}"));
    println!(
        "{:<24} {:<7} c={:<3} {:>8.1} req/s  p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  errors {}  sql/req {:.1}{cpu}{rss}{error}",
        m.label,
        m.mode,
        m.concurrency,
        m.requests_per_sec,
        m.p50_ms,
        m.p95_ms,
        m.p99_ms,
        m.errors,
        m.sql_per_request
    );
}

fn find<'a>(run: &'a Run, query: &str, mode: &str, c: usize) -> Option<&'a Measurement> {
    run.results
        .iter()
        .find(|m| m.query == query && m.mode == mode && m.concurrency == c)
}

pub fn markdown(run: &Run) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "Dataset: {} synthetic tenants, {} customers, {} orders, {} order lines. {} s measured per row after {} s warm-up; \
         server DATABASE_POOL_MAX={}{} (raw baseline: a pool of the same size, direct); {} CPUs shared by PostgreSQL, the server and the load generator.\n",
        run.dataset.tenants,
        run.dataset.customers,
        run.dataset.orders,
        run.dataset.order_lines,
        run.duration_secs,
        run.warmup_secs,
        run.pool_max,
        run.pooler
            .as_ref()
            .map_or(String::new(), |pooler| format!(", through {pooler}")),
        run.cpus
    );
    let _ = writeln!(
        md,
        "| Query | c | req/s | raw SQL req/s | % of raw | p50 ms | p95 ms | p99 ms | raw p99 ms | errors | SQL/req | raw SQL/req | server CPU ms/req | server RSS MB |"
    );
    let _ = writeln!(
        md,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for query in Query::ALL {
        let mut levels: Vec<usize> = run
            .results
            .iter()
            .filter(|m| m.query == query.key() && m.mode == "gateway")
            .map(|m| m.concurrency)
            .collect();
        levels.dedup();
        for c in levels {
            let Some(g) = find(run, query.key(), "gateway", c) else {
                continue;
            };
            let raw = find(run, query.key(), "raw", c);
            let dash = || "–".to_owned();
            let _ = writeln!(
                md,
                "| {} | {} | {:.0} | {} | {} | {:.2} | {:.2} | {:.2} | {} | {} | {:.1} | {} | {} | {} |",
                query.label(),
                c,
                g.requests_per_sec,
                raw.map_or_else(dash, |r| format!("{:.0}", r.requests_per_sec)),
                raw.filter(|r| r.requests_per_sec > 0.0)
                    .map_or_else(dash, |r| format!(
                        "{:.0} %",
                        100.0 * g.requests_per_sec / r.requests_per_sec
                    )),
                g.p50_ms,
                g.p95_ms,
                g.p99_ms,
                raw.map_or_else(dash, |r| format!("{:.2}", r.p99_ms)),
                g.errors + raw.map_or(0, |r| r.errors),
                g.sql_per_request,
                raw.map_or_else(dash, |r| format!("{:.0}", r.sql_per_request)),
                g.server_cpu_ms_per_request
                    .map_or_else(dash, |cpu| format!("{cpu:.2}")),
                g.server_rss_peak_mb
                    .map_or_else(dash, |rss| format!("{rss:.0}")),
            );
        }
    }
    let _ = writeln!(
        md,
        "\nServer peak RSS (VmHWM) over the whole run: {:.0} MB; RSS at the end: {:.0} MB.",
        run.server_peak_rss_mb, run.server_rss_end_mb
    );
    md
}

pub fn write(run: &Run, dir: &Path) -> std::io::Result<(PathBuf, PathBuf)> {
    let json = dir.join("results.json");
    let md = dir.join("results.md");
    std::fs::write(
        &json,
        serde_json::to_string_pretty(run).map_err(std::io::Error::other)?,
    )?;
    std::fs::write(
        &md,
        format!(
            "# Leora benchmark — {}\n\n{}",
            run.generated_at,
            markdown(run)
        ),
    )?;
    Ok((json, md))
}
