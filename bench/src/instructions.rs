//! Instructions per request, counted by valgrind's callgrind (`--instructions N`). The same binary,
//! dataset and requests give the same count whatever else the machine is doing, so a change's
//! effect shows even where the load run's ±15 % noise hides it; it says nothing of waiting (I/O,
//! locks, PostgreSQL). The server runs tens of times slower under callgrind, so each query is sent
//! `N` times in a row, after three unmeasured requests, rather than under load.

use crate::dataset::Dataset;
use crate::gateway::{self, Principal, Principals};
use crate::mix::Query;
use crate::server::Server;
use crate::{Options, Result};
use serde_json::json;
use std::path::Path;

pub struct Counted {
    pub query: Query,
    pub requests: u32,
    pub instructions_per_request: f64,
}

pub async fn count(
    leora_bin: &Path,
    options: &Options,
    dataset: &Dataset,
    out_dir: &Path,
    requests: u32,
) -> Result<Vec<Counted>> {
    let dumps = out_dir.join("callgrind");
    if dumps.exists() {
        std::fs::remove_dir_all(&dumps)?;
    }
    std::fs::create_dir_all(&dumps)?;
    let launcher = [
        "valgrind".to_owned(),
        "--tool=callgrind".to_owned(),
        "--instr-atstart=no".to_owned(),
        format!("--callgrind-out-file={}/callgrind.%p", dumps.display()),
    ];
    let server = Server::start_under(&launcher, leora_bin, options, out_dir).await?;
    let principals = Principals::sign_in(&server, options, dataset, 1).await?;
    let mut counted = Vec::new();
    for query in Query::ALL.into_iter().filter(|q| options.wants(*q)) {
        let principal = principals
            .for_query(query)
            .first()
            .ok_or("no principal signed in")?;
        for iteration in 0..3 {
            send(&server, principal, query, iteration).await?;
        }
        callgrind_control(&["-i", "on"], server.pid).await?;
        for iteration in 0..requests as usize {
            send(&server, principal, query, iteration).await?;
        }
        callgrind_control(&["-i", "off"], server.pid).await?;
        callgrind_control(&["-d", query.key()], server.pid).await?;
        callgrind_control(&["-z"], server.pid).await?;
        let instructions = dumped_instructions(&dumps, query.key())?;
        counted.push(Counted {
            query,
            requests,
            instructions_per_request: instructions as f64 / f64::from(requests),
        });
    }
    server.stop().await;
    Ok(counted)
}

async fn send(
    server: &Server,
    principal: &Principal,
    query: Query,
    iteration: usize,
) -> Result<()> {
    let variables = match query {
        Query::Writes => json!({ "sku": principal.skus[iteration % principal.skus.len()] }),
        _ => query.variables(),
    };
    gateway::post(server, Some(&principal.token), query.text(), &variables).await?;
    Ok(())
}

async fn callgrind_control(args: &[&str], pid: u32) -> Result<()> {
    let output = tokio::process::Command::new("callgrind_control")
        .args(args)
        .arg(pid.to_string())
        .output()
        .await
        .map_err(|error| format!("callgrind_control (from valgrind) cannot run: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "callgrind_control {args:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(())
}

/// The instruction total of the dump callgrind wrote for `-d <name>`.
fn dumped_instructions(dir: &Path, name: &str) -> Result<u64> {
    let trigger = format!("desc: Trigger: dump {name}\n");
    for entry in std::fs::read_dir(dir)? {
        let text = std::fs::read_to_string(entry?.path())?;
        if !text.contains(&trigger) {
            continue;
        }
        let total = text
            .lines()
            .find_map(|line| line.strip_prefix("totals:"))
            .and_then(|total| total.trim().parse().ok())
            .ok_or_else(|| format!("the callgrind dump of {name} has no totals line"))?;
        return Ok(total);
    }
    Err(format!("callgrind wrote no dump for {name}").into())
}

pub fn markdown(counted: &[Counted]) -> String {
    let mut text =
        String::from("| Query | requests | instructions per request |\n|---|---:|---:|\n");
    for row in counted {
        text.push_str(&format!(
            "| {} | {} | {:.2} M |\n",
            row.query.label(),
            row.requests,
            row.instructions_per_request / 1e6
        ));
    }
    text
}
