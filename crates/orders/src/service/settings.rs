//! What the order services read from the tenant's settings row: the database's clock in the
//! tenant's time zone, and the cart lifetime. Locking the row is how order and invoice creation
//! serialise per tenant (see `numbers`).

use chrono::{DateTime, NaiveDate, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::OrdersError;

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct TenantSettings {
    /// The transaction's start time: every timestamp a transaction writes agrees with it.
    pub now: DateTime<Utc>,
    /// `now` as a date in the tenant's time zone: the day tax rates and due dates are reckoned on.
    pub today: NaiveDate,
    pub cart_ttl_hours: i32,
    /// Orders are in the tenant's currency.
    pub currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    None,
    /// Held to commit: no other transaction of the tenant can take an order or invoice number
    /// until this one ends.
    ForUpdate,
}

/// The tenant's settings, creating the row with its defaults if the tenant has none yet.
pub(crate) async fn load(tx: &TenantTx, lock: Lock) -> Result<TenantSettings, OrdersError> {
    if let Some(settings) = select(tx, lock).await? {
        return Ok(settings);
    }
    ensure_row(tx).await?;
    select(tx, lock)
        .await?
        .ok_or(OrdersError::not_found("tenant settings"))
}

/// Inserts the default settings row if there is none; a concurrent insert wins quietly.
pub(crate) async fn ensure_row(tx: &TenantTx) -> Result<(), OrdersError> {
    let tenant_id = tx.tenant_id();
    tx.execute_raw(stmt(
        "INSERT INTO tenant_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING",
        [tenant_id.into()],
    ))
    .await?;
    Ok(())
}

async fn select(tx: &TenantTx, lock: Lock) -> Result<Option<TenantSettings>, OrdersError> {
    let tenant_id = tx.tenant_id();
    let sql = match lock {
        Lock::None => {
            "SELECT now() AS now, (now() AT TIME ZONE timezone)::date AS today,
                    cart_ttl_hours, currency
               FROM tenant_settings WHERE tenant_id = $1"
        }
        Lock::ForUpdate => {
            "SELECT now() AS now, (now() AT TIME ZONE timezone)::date AS today,
                    cart_ttl_hours, currency
               FROM tenant_settings WHERE tenant_id = $1 FOR UPDATE"
        }
    };
    let settings = TenantSettings::find_by_statement(stmt(sql, [tenant_id.into()]))
        .one(tx)
        .await?;
    Ok(settings)
}
