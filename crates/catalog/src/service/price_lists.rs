//! Price-list entries: a SKU's price for a price tier or for one customer, from a minimum
//! quantity, within a validity window. How entries compete is [`super::pricing`]'s business;
//! overlapping entries are allowed, since the lowest applicable price wins anyway.

use chrono::{DateTime, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::error::{find_visible, not_found_unless_updated};
use leora_tenancy::sql::{Violation, violated_constraint};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait, Set};
use uuid::Uuid;

use super::validate::{money, positive, price_tier};
use crate::entities::price_list_entries;
use crate::error::CatalogError;

const ENTITY: &str = "price list entry";
/// `unit_price` is numeric(12, 2).
const PRICE_PRECISION: u32 = 12;

/// A whole entry: for one SKU, exactly one of `price_tier` and `customer_id`.
#[derive(Debug, Clone)]
pub struct PriceListEntryInput {
    /// `Some` replaces that entry; `None` adds one.
    pub id: Option<Uuid>,
    pub sku_id: Uuid,
    pub price_tier: Option<String>,
    pub customer_id: Option<Uuid>,
    pub unit_price: Decimal,
    /// At least 1.
    pub min_quantity: i32,
    /// `None`: from now for a new entry, unchanged for an existing one.
    pub valid_from: Option<DateTime<Utc>>,
    /// Exclusive; `None` for no end.
    pub valid_until: Option<DateTime<Utc>>,
}

/// Adds or replaces an entry. Both or neither of tier and customer → `BadInput` on `priceTier`;
/// a bad tier name, price, quantity or window → `BadInput` on `priceTier`, `unitPrice`,
/// `minQuantity` or `validUntil`; an unknown entry, or a SKU or customer the tenant does not
/// have → `NotFound`.
pub async fn upsert_price_list_entry(
    tx: &TenantTx,
    input: PriceListEntryInput,
) -> Result<price_list_entries::Model, CatalogError> {
    let tenant_id = tx.tenant_id();
    let price_tier = match (input.price_tier, input.customer_id) {
        (Some(tier), None) => Some(price_tier(&tier)?),
        (None, Some(_)) => None,
        _ => {
            return Err(CatalogError::bad_input(
                "priceTier",
                "give exactly one of priceTier and customerId",
            ));
        }
    };
    let unit_price = money("unitPrice", input.unit_price, PRICE_PRECISION)?;
    let min_quantity = positive("minQuantity", input.min_quantity)?;
    let current = match input.id {
        Some(id) => {
            Some(find_visible::<price_list_entries::Entity, CatalogError>(tx, id, ENTITY).await?)
        }
        None => None,
    };
    let valid_from = input
        .valid_from
        .or(current.as_ref().map(|entry| entry.valid_from))
        .unwrap_or_else(Utc::now);
    if input.valid_until.is_some_and(|until| until <= valid_from) {
        return Err(CatalogError::bad_input(
            "validUntil",
            "must be after validFrom",
        ));
    }

    let mut entry = match current {
        Some(current) => current.into(),
        None => price_list_entries::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(tenant_id),
            ..Default::default()
        },
    };
    entry.sku_id = Set(input.sku_id);
    entry.price_tier = Set(price_tier);
    entry.customer_id = Set(input.customer_id);
    entry.unit_price = Set(unit_price);
    entry.min_quantity = Set(min_quantity);
    entry.valid_from = Set(valid_from);
    entry.valid_until = Set(input.valid_until);
    let saved = if input.id.is_some() {
        entry.update(tx).await
    } else {
        entry.insert(tx).await
    };
    saved.map_err(write_error)
}

pub async fn delete_price_list_entry(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<(), CatalogError> {
    let deleted = price_list_entries::Entity::delete_by_id(id)
        .exec(tx)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(CatalogError::not_found(ENTITY));
    }
    Ok(())
}

fn write_error(error: DbErr) -> CatalogError {
    match violated_constraint(&error) {
        Some(Violation::ForeignKey("price_list_entries_tenant_id_sku_id_fkey")) => {
            CatalogError::not_found("sku")
        }
        Some(Violation::ForeignKey("price_list_entries_tenant_id_customer_id_fkey")) => {
            CatalogError::not_found("customer")
        }
        _ => not_found_unless_updated(ENTITY, error),
    }
}
