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
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::path::Path;

/// How a request names its document.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SentAs {
    /// The document's text in `query` (parsed once per distinct text by the gateway's cache).
    Text,
    /// `documentId` of the manifest the server loaded at start-up.
    Trusted,
}

pub struct Counted {
    pub query: Query,
    pub requests: u32,
    /// Instructions per request with the document sent as text.
    pub as_text: f64,
    /// Instructions per request with the document named by its trusted id.
    pub as_trusted: f64,
}

/// The id a manifest gives `text`: `sha256:` and its SHA-256 in hex.
fn document_id(text: &str) -> String {
    let hex: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("sha256:{hex}")
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
    let queries: Vec<Query> = Query::ALL
        .into_iter()
        .filter(|q| options.wants(*q))
        .collect();
    // The bench's queries as the server's trusted documents, so each is counted both ways.
    let manifest: Map<String, Value> = queries
        .iter()
        .map(|query| (document_id(query.text()), json!(query.text())))
        .collect();
    let manifest_path = out_dir.join("trusted-documents.json");
    std::fs::write(&manifest_path, Value::Object(manifest).to_string())?;
    let mut options = options.clone();
    options.server_env.push(format!(
        "GRAPHQL_TRUSTED_DOCUMENTS={}",
        manifest_path.display()
    ));
    let launcher = [
        "valgrind".to_owned(),
        "--tool=callgrind".to_owned(),
        "--instr-atstart=no".to_owned(),
        format!("--callgrind-out-file={}/callgrind.%p", dumps.display()),
    ];
    let server = Server::start_under(&launcher, leora_bin, &options, out_dir).await?;
    let principals = Principals::sign_in(&server, &options, dataset, 1).await?;
    let mut counted = Vec::new();
    for query in queries {
        let principal = principals
            .for_query(query)
            .first()
            .ok_or("no principal signed in")?;
        let mut per_request = [0.0; 2];
        for (sent_as, counted) in [SentAs::Text, SentAs::Trusted]
            .into_iter()
            .zip(&mut per_request)
        {
            for iteration in 0..3 {
                send(&server, principal, query, sent_as, iteration).await?;
            }
            let dump = format!(
                "{}-{}",
                query.key(),
                if sent_as == SentAs::Text {
                    "text"
                } else {
                    "trusted"
                }
            );
            callgrind_control(&["-i", "on"], server.pid).await?;
            for iteration in 0..requests as usize {
                send(&server, principal, query, sent_as, iteration).await?;
            }
            callgrind_control(&["-i", "off"], server.pid).await?;
            callgrind_control(&["-d", &dump], server.pid).await?;
            callgrind_control(&["-z"], server.pid).await?;
            *counted = dumped_instructions(&dumps, &dump)? as f64 / f64::from(requests);
        }
        let [as_text, as_trusted] = per_request;
        counted.push(Counted {
            query,
            requests,
            as_text,
            as_trusted,
        });
    }
    server.stop().await;
    Ok(counted)
}

async fn send(
    server: &Server,
    principal: &Principal,
    query: Query,
    sent_as: SentAs,
    iteration: usize,
) -> Result<()> {
    let variables = match query {
        Query::Writes => json!({ "sku": principal.skus[iteration % principal.skus.len()] }),
        _ => query.variables(),
    };
    let token = Some(principal.token.as_str());
    match sent_as {
        SentAs::Text => gateway::post(server, token, query.text(), &variables).await?,
        SentAs::Trusted => {
            gateway::post_trusted(server, token, &document_id(query.text()), &variables).await?
        }
    };
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
    let mut text = String::from(
        "| Query | requests | as text | as a trusted document | change |\n|---|---:|---:|---:|---:|\n",
    );
    for row in counted {
        text.push_str(&format!(
            "| {} | {} | {:.2} M | {:.2} M | {:+.1} % |\n",
            row.query.label(),
            row.requests,
            row.as_text / 1e6,
            row.as_trusted / 1e6,
            (row.as_trusted / row.as_text - 1.0) * 100.0
        ));
    }
    text
}
