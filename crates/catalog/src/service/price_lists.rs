//! Price-list entries: a SKU's price for a price tier or for one customer, from a minimum
//! quantity, within a validity window. How entries compete is [`super::pricing`]'s business;
//! overlapping entries are allowed, since the lowest applicable price wins anyway.
//!
//! The price book is read as a list ([`entries`]; row-level security shows a portal user only its
//! own customer's entries and its tier's) and written one entry at a time or imported in bulk
//! ([`import_price_list`]: validated whole before anything is written, then one statement).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::error::{find_visible, not_found_unless_updated};
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::{Violation, stmt, violated_constraint};
use rust_decimal::Decimal;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Select, Set,
};
use uuid::Uuid;

use super::validate::{money, positive, price_tier};
use crate::entities::{customers, price_list_entries};
use crate::error::CatalogError;

/// The most entries one import may carry: a distributor's whole book for a season fits, and the
/// request stays well inside the body limit (`GRAPHQL_MAX_BODY_BYTES`, 1 MiB by default).
pub const MAX_IMPORT_ENTRIES: usize = 5_000;

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
    let Terms {
        price_tier,
        unit_price,
        min_quantity,
    } = terms(
        input.price_tier,
        input.customer_id,
        input.unit_price,
        input.min_quantity,
    )?;
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
    window(valid_from, input.valid_until)?;

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

/// What an entry says, checked: a tier (normalised) or a customer, a price and a quantity.
struct Terms {
    price_tier: Option<String>,
    unit_price: Decimal,
    min_quantity: i32,
}

/// Both or neither of tier and customer → `BadInput` on `priceTier`; a bad tier name, price or
/// quantity → `BadInput` on `priceTier`, `unitPrice` or `minQuantity`.
fn terms(
    price_tier_name: Option<String>,
    customer_id: Option<Uuid>,
    unit_price: Decimal,
    min_quantity: i32,
) -> Result<Terms, CatalogError> {
    let price_tier = match (price_tier_name, customer_id) {
        (Some(tier), None) => Some(price_tier(&tier)?),
        (None, Some(_)) => None,
        _ => {
            return Err(CatalogError::bad_input(
                "priceTier",
                "give exactly one of priceTier and customerId",
            ));
        }
    };
    Ok(Terms {
        price_tier,
        unit_price: money("unitPrice", unit_price, PRICE_PRECISION)?,
        min_quantity: positive("minQuantity", min_quantity)?,
    })
}

/// `BadInput` on `validUntil` unless the window ends after it starts.
fn window(
    valid_from: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
) -> Result<(), CatalogError> {
    if valid_until.is_some_and(|until| until <= valid_from) {
        return Err(CatalogError::bad_input(
            "validUntil",
            "must be after validFrom",
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct PriceListFilter {
    pub sku_id: Option<Uuid>,
    pub price_tier: Option<String>,
    pub customer_id: Option<Uuid>,
    /// Only entries in force at this instant.
    pub active_at: Option<DateTime<Utc>>,
}

/// The price book's entries matching `filter`, by SKU then from the largest minimum quantity down
/// (the order pricing reads them in).
pub fn entries(filter: &PriceListFilter) -> Select<price_list_entries::Entity> {
    use price_list_entries::Column;
    let mut select = price_list_entries::Entity::find()
        .filter_eq(Column::SkuId, filter.sku_id)
        .filter_eq(
            Column::PriceTier,
            filter
                .price_tier
                .as_deref()
                .map(|tier| tier.trim().to_ascii_lowercase()),
        )
        .filter_eq(Column::CustomerId, filter.customer_id);
    if let Some(at) = filter.active_at {
        select = select.filter(Column::ValidFrom.lte(at)).filter(
            Condition::any()
                .add(Column::ValidUntil.is_null())
                .add(Column::ValidUntil.gt(at)),
        );
    }
    select
        .order_by_asc(Column::SkuId)
        .order_by_desc(Column::MinQuantity)
}

/// Which SKU an imported entry is for: by id, or by the tenant's SKU code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkuRef {
    Id(Uuid),
    Code(String),
}

/// One entry of an import: like [`PriceListEntryInput`], always a new entry.
#[derive(Debug, Clone)]
pub struct ImportedEntry {
    pub sku: SkuRef,
    pub price_tier: Option<String>,
    pub customer_id: Option<Uuid>,
    pub unit_price: Decimal,
    pub min_quantity: i32,
    /// `None`: from the time of the import.
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct KnownSku {
    id: Uuid,
    code: String,
}

/// Adds every entry of `entries` (at most [`MAX_IMPORT_ENTRIES`]), or none: each is checked
/// before anything is written, and the first bad one is answered with `BadInput` at its path
/// (`entries.412.unitPrice`, `entries.7.skuCode` for a code the tenant has no SKU for). Then one
/// statement writes them all. Returns how many were added.
pub async fn import_price_list(
    tx: &TenantTx,
    entries: Vec<ImportedEntry>,
) -> Result<usize, CatalogError> {
    if entries.is_empty() || entries.len() > MAX_IMPORT_ENTRIES {
        return Err(CatalogError::bad_input(
            "entries",
            format!("give between 1 and {MAX_IMPORT_ENTRIES} entries"),
        ));
    }
    let now = Utc::now();
    let (ids, codes): (Vec<Uuid>, Vec<String>) =
        entries
            .iter()
            .fold((Vec::new(), Vec::new()), |(mut ids, mut codes), entry| {
                match &entry.sku {
                    SkuRef::Id(id) => ids.push(*id),
                    SkuRef::Code(code) => codes.push(code.trim().to_owned()),
                }
                (ids, codes)
            });
    let skus = KnownSku::find_by_statement(stmt(
        "SELECT id, code FROM skus WHERE id = ANY($1) OR code = ANY($2)",
        [ids.into(), codes.into()],
    ))
    .all(tx)
    .await?;
    let sku_by_id: HashMap<Uuid, Uuid> = skus.iter().map(|sku| (sku.id, sku.id)).collect();
    let sku_by_code: HashMap<&str, Uuid> =
        skus.iter().map(|sku| (sku.code.as_str(), sku.id)).collect();
    let named_customers: Vec<Uuid> = entries.iter().filter_map(|e| e.customer_id).collect();
    let customers: std::collections::HashSet<Uuid> = customers::Entity::find()
        .filter(customers::Column::Id.is_in(named_customers))
        .all(tx)
        .await?
        .into_iter()
        .map(|customer| customer.id)
        .collect();

    let mut rows = Rows::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let checked = (|| {
            let sku_id = match &entry.sku {
                SkuRef::Id(id) => sku_by_id
                    .get(id)
                    .copied()
                    .ok_or_else(|| CatalogError::bad_input("skuId", "no such SKU"))?,
                SkuRef::Code(code) => sku_by_code
                    .get(code.trim())
                    .copied()
                    .ok_or_else(|| CatalogError::bad_input("skuCode", "no SKU has this code"))?,
            };
            if entry.customer_id.is_some_and(|id| !customers.contains(&id)) {
                return Err(CatalogError::bad_input("customerId", "no such customer"));
            }
            let terms = terms(
                entry.price_tier,
                entry.customer_id,
                entry.unit_price,
                entry.min_quantity,
            )?;
            let valid_from = entry.valid_from.unwrap_or(now);
            window(valid_from, entry.valid_until)?;
            Ok((sku_id, terms, valid_from))
        })();
        let (sku_id, terms, valid_from) =
            checked.map_err(|error| error.at_item("entries", index))?;
        rows.push(
            sku_id,
            terms,
            entry.customer_id,
            valid_from,
            entry.valid_until,
        );
    }
    let added = rows.len();
    rows.insert(tx).await?;
    Ok(added)
}

/// Checked entries as columns, for one `INSERT … SELECT FROM unnest(…)`. The driver binds no
/// NULL inside an array, so the optional columns travel as text, empty for "none".
struct Rows {
    sku_ids: Vec<Uuid>,
    tiers: Vec<String>,
    customer_ids: Vec<String>,
    prices: Vec<Decimal>,
    min_quantities: Vec<i32>,
    valid_from: Vec<DateTime<Utc>>,
    valid_until: Vec<String>,
}

impl Rows {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            sku_ids: Vec::with_capacity(capacity),
            tiers: Vec::with_capacity(capacity),
            customer_ids: Vec::with_capacity(capacity),
            prices: Vec::with_capacity(capacity),
            min_quantities: Vec::with_capacity(capacity),
            valid_from: Vec::with_capacity(capacity),
            valid_until: Vec::with_capacity(capacity),
        }
    }

    fn push(
        &mut self,
        sku_id: Uuid,
        terms: Terms,
        customer_id: Option<Uuid>,
        valid_from: DateTime<Utc>,
        valid_until: Option<DateTime<Utc>>,
    ) {
        self.sku_ids.push(sku_id);
        self.tiers.push(terms.price_tier.unwrap_or_default());
        self.customer_ids
            .push(customer_id.map(|id| id.to_string()).unwrap_or_default());
        self.prices.push(terms.unit_price);
        self.min_quantities.push(terms.min_quantity);
        self.valid_from.push(valid_from);
        self.valid_until
            .push(valid_until.map(|at| at.to_rfc3339()).unwrap_or_default());
    }

    fn len(&self) -> usize {
        self.sku_ids.len()
    }

    /// One statement whatever the number of rows.
    async fn insert(self, tx: &TenantTx) -> Result<(), CatalogError> {
        tx.execute_raw(stmt(
            "INSERT INTO price_list_entries
                    (tenant_id, sku_id, price_tier, customer_id, unit_price, min_quantity,
                     valid_from, valid_until)
             SELECT $1, sku_id, nullif(price_tier, ''), nullif(customer_id, '')::uuid,
                    unit_price, min_quantity, valid_from, nullif(valid_until, '')::timestamptz
               FROM unnest($2::uuid[], $3::text[], $4::text[], $5::numeric[], $6::int4[],
                           $7::timestamptz[], $8::text[])
                 AS e(sku_id, price_tier, customer_id, unit_price, min_quantity, valid_from,
                      valid_until)",
            [
                tx.tenant_id().into(),
                self.sku_ids.into(),
                self.tiers.into(),
                self.customer_ids.into(),
                self.prices.into(),
                self.min_quantities.into(),
                self.valid_from.into(),
                self.valid_until.into(),
            ],
        ))
        .await
        .map_err(write_error)?;
        Ok(())
    }
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
