//! The operator commands besides serving: seeding, the tenants' life cycle (`tenants`), and what
//! the development server prints so a newcomer can sign in straight away.

pub mod tenants;

use crate::startup::StartupError;
use leora_seed::synthetic::{self, SyntheticOptions};
use leora_seed::well_crafted;
use leora_tenancy::TenantDb;
use sea_orm::DatabaseConnection;
use std::io::Write;

/// Writes to stdout: these lines are the command's output, not log records.
fn say(text: &str) -> Result<(), StartupError> {
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|source| StartupError::Output { source })
}

/// `owner` creates the tenant when it is missing (the application role may not); see
/// [`well_crafted::seed`].
pub async fn seed_demo(owner: &DatabaseConnection, db: &TenantDb) -> Result<(), StartupError> {
    let report = well_crafted::seed(owner, db)
        .await
        .map_err(StartupError::Seed)?;
    if report.created_tenant {
        tracing::info!(
            tenant = well_crafted::SLUG,
            "seeded the Well Crafted demo tenant"
        );
    }
    Ok(())
}

pub async fn seed_synthetic(
    owner: &DatabaseConnection,
    db: &TenantDb,
    options: SyntheticOptions,
) -> Result<(), StartupError> {
    let report = synthetic::generate(owner, db, options)
        .await
        .map_err(StartupError::Seed)?;
    let seconds = report.elapsed.as_secs_f64();
    let rate = report.order_lines as f64 / seconds.max(0.001);
    say(&format!(
        "synthetic: {} tenant(s) created, {} already present; {} orders, {} order lines in {seconds:.1} s ({rate:.0} lines/s)\n\
         every synthetic account's password: {}\n",
        report.tenants,
        report.skipped_existing,
        report.orders,
        report.order_lines,
        synthetic::SYNTHETIC_PASSWORD,
    ))
}

/// One health run per active tenant; a tenant that fails is reported and the others still run.
pub async fn refresh_account_health(db: &TenantDb) -> Result<(), StartupError> {
    let tenants = db
        .active_tenant_ids()
        .await
        .map_err(|error| StartupError::Job(error.to_string()))?;
    let mut failed = 0;
    for (tenant_id, outcome) in leora_intelligence::refresh_all_tenants(db, &tenants).await {
        match outcome {
            Ok(summary) => {
                let line =
                    serde_json::to_string(&summary).unwrap_or_else(|_| format!("{summary:?}"));
                say(&format!("{line}\n"))?;
            }
            Err(error) => {
                failed += 1;
                tracing::error!(%tenant_id, %error, "account health failed for a tenant");
            }
        }
    }
    if failed > 0 {
        return Err(StartupError::Job(format!(
            "{failed} of {} tenant(s) failed; see the log",
            tenants.len()
        )));
    }
    Ok(())
}

/// Where the demo accounts are announced: by the server once it serves, or by `leora seed`, and
/// whether the server it points to offers GraphiQL and runs from a checkout.
pub struct Announcement {
    pub base_url: String,
    pub serving: bool,
    pub graphiql: bool,
    pub development: bool,
}

/// Prints the demo accounts (and, where GraphiQL is served, how to try them there).
pub fn print_demo_credentials(announcement: &Announcement) -> Result<(), StartupError> {
    say(&demo_credentials(announcement))
}

fn demo_credentials(announcement: &Announcement) -> String {
    let Announcement {
        base_url,
        serving,
        graphiql,
        development,
    } = announcement;
    let (serving, graphiql, development) = (*serving, *graphiql, *development);
    let headline = match (serving, development) {
        (true, _) => "Leora is ready.",
        (false, true) => "Seeded. Start the server with `cargo run --bin leora`.",
        (false, false) => "Seeded the Well Crafted demo tenant.",
    };
    let password = well_crafted::DEMO_PASSWORD;
    let staff: Vec<String> = well_crafted::STAFF
        .iter()
        .map(|(email, _, role)| format!("    {email:<34} {role}"))
        .collect();
    let buyers: Vec<String> = well_crafted::CUSTOMERS
        .iter()
        .map(|(_, name, _, email, _)| format!("    {email:<34} portal admin of {name}"))
        .collect();
    let mut text = format!(
        "\n{headline}\n\nDemo accounts of the Well Crafted tenant (password {password}):\n{}\n{}\n",
        staff.join("\n"),
        buyers.join("\n"),
    );
    if graphiql {
        text.push_str(&format!(
            "\nSign in from GraphiQL at {base_url}/graphiql:\n\
             \x20   mutation {{ login(input: {{tenantSlug: \"{slug}\", email: \"{admin}\", password: \"{password}\"}}) {{ accessToken }} }}\n\
             then add the header  {{\"Authorization\": \"Bearer <accessToken>\"}}  and run\n\
             \x20   {{ products {{ edges {{ node {{ name skus {{ code basePrice inventory {{ available }} }} }} }} }} }}\n",
            slug = well_crafted::SLUG,
            admin = well_crafted::STAFF[0].0,
        ));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_a_production_database_points_to_no_graphiql_and_no_checkout() {
        let production = demo_credentials(&Announcement {
            base_url: "http://10.0.0.5:8080".to_owned(),
            serving: false,
            graphiql: false,
            development: false,
        });
        assert!(
            production.contains(well_crafted::STAFF[0].0),
            "{production}"
        );
        assert!(!production.contains("GraphiQL"), "{production}");
        assert!(!production.contains("cargo run"), "{production}");
        let local = demo_credentials(&Announcement {
            base_url: "http://127.0.0.1:8080".to_owned(),
            serving: false,
            graphiql: true,
            development: true,
        });
        assert!(local.contains("http://127.0.0.1:8080/graphiql"), "{local}");
        assert!(local.contains("cargo run --bin leora"), "{local}");
    }
}
