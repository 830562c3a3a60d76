//! Gapless, ordered order and invoice numbers per tenant (`SO-000042`, `INV-000042`).
//!
//! The counters live on the tenant's settings row. Incrementing one locks that row until the
//! transaction ends, so a second transaction of the tenant waits for the first to commit (and then
//! takes the next number) or roll back (and then takes the same number again): numbers follow
//! commit order and a failed creation leaves no gap.

use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use sea_orm::ConnectionTrait;

use super::settings::ensure_row;
use crate::error::OrdersError;

#[derive(Debug, Clone, Copy)]
enum Counter {
    Order,
    Invoice,
}

impl Counter {
    fn prefix(self) -> &'static str {
        match self {
            Self::Order => "SO",
            Self::Invoice => "INV",
        }
    }

    fn increment_sql(self) -> &'static str {
        match self {
            Self::Order => {
                "UPDATE tenant_settings SET last_order_number = last_order_number + 1
                  WHERE tenant_id = $1 RETURNING last_order_number"
            }
            Self::Invoice => {
                "UPDATE tenant_settings SET last_invoice_number = last_invoice_number + 1
                  WHERE tenant_id = $1 RETURNING last_invoice_number"
            }
        }
    }
}

pub async fn next_order_number(tx: &TenantTx) -> Result<String, OrdersError> {
    next(tx, Counter::Order).await
}

pub async fn next_invoice_number(tx: &TenantTx) -> Result<String, OrdersError> {
    next(tx, Counter::Invoice).await
}

/// `SO-000042`: six digits, more once a tenant passes 999 999.
pub fn format_number(prefix: &str, number: i64) -> String {
    format!("{prefix}-{number:06}")
}

async fn next(tx: &TenantTx, counter: Counter) -> Result<String, OrdersError> {
    let number = match increment(tx, counter).await? {
        Some(number) => number,
        None => {
            ensure_row(tx).await?;
            increment(tx, counter)
                .await?
                .ok_or(OrdersError::not_found("tenant settings"))?
        }
    };
    Ok(format_number(counter.prefix(), number))
}

async fn increment(tx: &TenantTx, counter: Counter) -> Result<Option<i64>, OrdersError> {
    let tenant_id = tx.tenant_id();
    let row = tx
        .query_one_raw(stmt(counter.increment_sql(), [tenant_id.into()]))
        .await?;
    Ok(row.map(|row| row.try_get_by_index::<i64>(0)).transpose()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_six_digits_until_they_need_more() {
        assert_eq!(format_number("SO", 42), "SO-000042");
        assert_eq!(format_number("INV", 1), "INV-000001");
        assert_eq!(format_number("SO", 1_234_567), "SO-1234567");
    }
}
