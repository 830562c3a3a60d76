//! `--hang-up`: clients that hang up mid-request. Every other request of the mix is abandoned
//! after a delay spread over 0–5 ms, which closes its connection at every stage of the server's
//! work, from before the request is read to after the commit. Afterwards the server's log must
//! hold no "transaction in progress" notice (a transaction left open on a pooled connection, see
//! docs/architecture.md), and every abandoned write must have been all or nothing: a writer's
//! request adds to its cart and checks the cart out in one transaction, so no active cart may be
//! left holding items.

use crate::gateway::{Principal, Principals, ServerHandle};
use crate::mix::Query;
use crate::server::Server;
use crate::{Options, Result};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const MIX: [Query; 3] = [Query::Catalog, Query::Orders, Query::Writes];

#[derive(Debug, Default)]
pub struct Outcome {
    pub completed: u64,
    pub abandoned: u64,
    pub errors: u64,
    pub notices: usize,
    pub carts_left_with_items: i64,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.notices == 0 && self.carts_left_with_items == 0
    }
}

pub async fn run(
    server: &Server,
    principals: &Principals,
    concurrency: usize,
    options: &Options,
    out_dir: &Path,
) -> Result<Outcome> {
    let completed = Arc::new(AtomicU64::new(0));
    let abandoned = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + options.duration();
    let mut clients = Vec::with_capacity(concurrency);
    for client in 0..concurrency {
        let server = ServerHandle::of(server);
        let principals: Vec<(Query, Principal)> = MIX
            .iter()
            .map(|&query| {
                let of_query = principals.for_query(query);
                (query, of_query[client % of_query.len()].clone())
            })
            .collect();
        let (completed, abandoned, errors) = (completed.clone(), abandoned.clone(), errors.clone());
        clients.push(tokio::spawn(async move {
            let mut iteration = 0_u64;
            while Instant::now() < end {
                let (query, principal) = &principals[iteration as usize % principals.len()];
                let variables = match query {
                    Query::Writes => {
                        json!({ "sku": principal.skus[iteration as usize % principal.skus.len()] })
                    }
                    _ => json!({}),
                };
                let request = server.post(&principal.token, query.text(), &variables);
                if iteration % 2 == 1 {
                    // A spread of moments, the same in every run.
                    let delay = (iteration * 7919 + client as u64 * 104_729) % 5_000;
                    match tokio::time::timeout(Duration::from_micros(delay), request).await {
                        Err(_) => abandoned.fetch_add(1, Ordering::Relaxed),
                        Ok(Ok(_)) => completed.fetch_add(1, Ordering::Relaxed),
                        Ok(Err(_)) => errors.fetch_add(1, Ordering::Relaxed),
                    };
                } else {
                    match request.await {
                        Ok(_) => completed.fetch_add(1, Ordering::Relaxed),
                        Err(_) => errors.fetch_add(1, Ordering::Relaxed),
                    };
                }
                iteration += 1;
            }
        }));
    }
    for client in clients {
        client.await?;
    }
    // Abandoned requests finish (or roll back) on the server after their clients have gone.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let log = std::fs::read_to_string(out_dir.join("server.log"))?;
    let notices = log.matches("transaction in progress").count();
    let db = Database::connect(options.database_url.as_str()).await?;
    let carts_left_with_items = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(DISTINCT c.id) FROM carts c JOIN cart_items i ON i.cart_id = c.id
              WHERE c.status = 'active'",
        ))
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    Ok(Outcome {
        completed: completed.load(Ordering::Relaxed),
        abandoned: abandoned.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        notices,
        carts_left_with_items,
    })
}
