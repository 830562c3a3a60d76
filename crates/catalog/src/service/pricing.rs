//! What a customer pays for a SKU (the rule is summarised in docs/domain-rules.md, "Pricing").
//!
//! A price-list entry applies when it is valid at the moment of pricing (`valid_from ≤ at <
//! valid_until`, or no end) and the quantity reaches its `min_quantity`. Among applicable entries,
//! one for this very customer beats one for the customer's price tier, which beats the SKU's base
//! price. Within the winning class the lowest unit price wins, which is how volume breaks work: a
//! 12+ entry below the 1+ entry takes over at twelve.
//!
//! [`best_price`] is the rule alone, pure; [`quote`], [`quote_many`] and [`quote_known`] load its
//! inputs.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use leora_tenancy::{TenantContext, rows};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{customers, price_list_entries, skus};
use crate::error::CatalogError;

/// Where a quoted price came from, weakest first (the order is the precedence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PriceSource {
    BasePrice,
    PriceTier,
    CustomerPrice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceQuote {
    pub unit_price: Decimal,
    pub rule: PriceSource,
    /// The price-list entry that set the price; `None` for the base price.
    pub entry_id: Option<Uuid>,
}

impl PriceQuote {
    /// The SKU's list price, before tier and customer pricing.
    pub fn base(base_price: Decimal) -> Self {
        Self {
            unit_price: base_price,
            rule: PriceSource::BasePrice,
            entry_id: None,
        }
    }
}

/// Whose price `ctx` is quoted when it names the customer `requested` (or none): a portal user
/// its own customer's, and it may name no other (`OtherCustomersPrice`); staff the named
/// customer's, or the base price (`None`) when they name none.
pub fn priced_customer(
    ctx: &TenantContext,
    requested: Option<Uuid>,
) -> Result<Option<Uuid>, CatalogError> {
    match (ctx.customer_id(), requested) {
        (Some(own), Some(other)) if own != other => Err(CatalogError::OtherCustomersPrice),
        (Some(own), _) => Ok(Some(own)),
        (None, requested) => Ok(requested),
    }
}

/// The customer as pricing sees it.
#[derive(Debug, Clone, Copy)]
pub struct PricedCustomer<'a> {
    pub id: Uuid,
    pub price_tier: Option<&'a str>,
}

impl<'a> From<&'a customers::Model> for PricedCustomer<'a> {
    fn from(customer: &'a customers::Model) -> Self {
        Self {
            id: customer.id,
            price_tier: customer.price_tier.as_deref(),
        }
    }
}

/// The price of `quantity` units of a SKU with `base_price`, given that SKU's candidate
/// price-list `entries` (entries for other customers, other tiers or other times are ignored).
/// Ties between equal prices go to the oldest entry, so a quote never flips between requests.
pub fn best_price(
    base_price: Decimal,
    customer: PricedCustomer<'_>,
    quantity: i32,
    at: DateTime<Utc>,
    entries: &[price_list_entries::Model],
) -> PriceQuote {
    entries
        .iter()
        .filter(|entry| applies(entry, quantity, at))
        .filter_map(|entry| Some((source(entry, customer)?, entry)))
        .max_by(|(a_source, a), (b_source, b)| {
            a_source
                .cmp(b_source)
                .then_with(|| b.unit_price.cmp(&a.unit_price))
                .then_with(|| b.id.cmp(&a.id))
        })
        .map_or(PriceQuote::base(base_price), |(rule, entry)| PriceQuote {
            unit_price: entry.unit_price,
            rule,
            entry_id: Some(entry.id),
        })
}

fn applies(entry: &price_list_entries::Model, quantity: i32, at: DateTime<Utc>) -> bool {
    entry.valid_from <= at
        && entry.valid_until.is_none_or(|until| at < until)
        && quantity >= entry.min_quantity
}

/// Which class an entry belongs to for this customer; `None` when it is not theirs.
fn source(entry: &price_list_entries::Model, customer: PricedCustomer<'_>) -> Option<PriceSource> {
    match (entry.customer_id, entry.price_tier.as_deref()) {
        (Some(id), _) if id == customer.id => Some(PriceSource::CustomerPrice),
        (None, Some(tier)) if Some(tier) == customer.price_tier => Some(PriceSource::PriceTier),
        _ => None,
    }
}

/// The price of `quantity` units of one SKU for a customer at `at`. An unknown customer or SKU
/// (or another tenant's) → `NotFound`; a quantity below 1 → `BadInput` on `quantity`. Any SKU the
/// transaction sees is priced, whatever its status: whether it may be sold is the caller's rule.
pub async fn quote(
    tx: &DatabaseTransaction,
    customer_id: Uuid,
    sku_id: Uuid,
    quantity: i32,
    at: DateTime<Utc>,
) -> Result<PriceQuote, CatalogError> {
    let mut quotes = quote_many(tx, customer_id, &[(sku_id, quantity)], at).await?;
    quotes.remove(&sku_id).ok_or(CatalogError::not_found("sku"))
}

/// Prices several SKUs for one customer in three statements whatever their number (customer,
/// SKUs, entries): for order totals. Each SKU may appear once (`BadInput` on `items` otherwise);
/// any unknown SKU fails the whole call with `NotFound`.
pub async fn quote_many(
    tx: &DatabaseTransaction,
    customer_id: Uuid,
    items: &[(Uuid, i32)],
    at: DateTime<Utc>,
) -> Result<HashMap<Uuid, PriceQuote>, CatalogError> {
    let sku_ids = distinct_skus(items)?;
    if let Some((_, quantity)) = items.iter().find(|(_, quantity)| *quantity < 1) {
        return Err(CatalogError::bad_input(
            "quantity",
            format!("must be at least 1, not {quantity}"),
        ));
    }
    let customer = super::customers::customer(tx, customer_id).await?;
    if items.is_empty() {
        return Ok(HashMap::new());
    }
    let base_prices: HashMap<Uuid, Decimal> = skus::Entity::find()
        .filter(skus::Column::Id.is_in(sku_ids))
        .all(tx)
        .await?
        .into_iter()
        .map(|sku| (sku.id, sku.base_price))
        .collect();
    let known = items
        .iter()
        .map(|&(sku_id, quantity)| {
            let base_price = *base_prices
                .get(&sku_id)
                .ok_or(CatalogError::not_found("sku"))?;
            Ok(KnownSku {
                sku_id,
                base_price,
                quantity,
            })
        })
        .collect::<Result<Vec<_>, CatalogError>>()?;
    quote_known(tx, PricedCustomer::from(&customer), &known, at).await
}

/// A SKU to price whose base price the caller has already read.
#[derive(Debug, Clone, Copy)]
pub struct KnownSku {
    pub sku_id: Uuid,
    pub base_price: Decimal,
    pub quantity: i32,
}

/// Prices SKUs the caller has already read for a customer it has already read: one statement
/// (the candidate entries), for DataLoaders whose page holds both. Each SKU may appear once.
pub async fn quote_known(
    tx: &DatabaseTransaction,
    customer: PricedCustomer<'_>,
    items: &[KnownSku],
    at: DateTime<Utc>,
) -> Result<HashMap<Uuid, PriceQuote>, CatalogError> {
    if items.is_empty() {
        return Ok(HashMap::new());
    }
    let sku_ids = items.iter().map(|item| item.sku_id);
    let mut entries: HashMap<Uuid, Vec<price_list_entries::Model>> = HashMap::new();
    for entry in rows::all(tx, candidate_entries(customer, sku_ids, at)).await? {
        entries.entry(entry.sku_id).or_default().push(entry);
    }
    Ok(items
        .iter()
        .map(|item| {
            let candidates = entries.get(&item.sku_id).map_or(&[][..], Vec::as_slice);
            let quote = best_price(item.base_price, customer, item.quantity, at, candidates);
            (item.sku_id, quote)
        })
        .collect())
}

fn distinct_skus(items: &[(Uuid, i32)]) -> Result<Vec<Uuid>, CatalogError> {
    let mut seen = HashSet::with_capacity(items.len());
    for (sku_id, _) in items {
        if !seen.insert(*sku_id) {
            return Err(CatalogError::bad_input(
                "items",
                format!("sku {sku_id} is listed more than once"),
            ));
        }
    }
    Ok(items.iter().map(|(sku_id, _)| *sku_id).collect())
}

/// The entries that could apply to this customer at `at`; the quantity is checked per SKU by
/// [`best_price`], which re-checks everything else too and so stays the one statement of the rule.
fn candidate_entries(
    customer: PricedCustomer<'_>,
    sku_ids: impl IntoIterator<Item = Uuid>,
    at: DateTime<Utc>,
) -> sea_orm::Select<price_list_entries::Entity> {
    use price_list_entries::Column;
    let mut whose = Condition::any().add(Column::CustomerId.eq(customer.id));
    if let Some(tier) = customer.price_tier {
        whose = whose.add(
            Condition::all()
                .add(Column::CustomerId.is_null())
                .add(Column::PriceTier.eq(tier)),
        );
    }
    price_list_entries::Entity::find()
        .filter(Column::SkuId.is_in(sku_ids))
        .filter(whose)
        .filter(Column::ValidFrom.lte(at))
        .filter(
            Condition::any()
                .add(Column::ValidUntil.is_null())
                .add(Column::ValidUntil.gt(at)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const SKU: Uuid = Uuid::from_u128(0x5c);
    const CUSTOMER: Uuid = Uuid::from_u128(0xc1);
    const OTHER_CUSTOMER: Uuid = Uuid::from_u128(0xc2);

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    fn day(n: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, n, 0, 0, 0).unwrap()
    }

    /// A test entry, valid from day 1 on, from one unit.
    struct Entry {
        id: u128,
        tier: Option<&'static str>,
        customer: Option<Uuid>,
        price: &'static str,
        min_quantity: i32,
        from: u32,
        until: Option<u32>,
    }

    impl Entry {
        fn tier(id: u128, tier: &'static str, price: &'static str) -> Self {
            Self {
                id,
                tier: Some(tier),
                customer: None,
                price,
                min_quantity: 1,
                from: 1,
                until: None,
            }
        }

        fn customer(id: u128, customer: Uuid, price: &'static str) -> Self {
            Self {
                customer: Some(customer),
                tier: None,
                ..Self::tier(id, "", price)
            }
        }

        fn at_least(self, min_quantity: i32) -> Self {
            Self {
                min_quantity,
                ..self
            }
        }

        fn valid(self, from: u32, until: Option<u32>) -> Self {
            Self {
                from,
                until,
                ..self
            }
        }

        fn model(&self) -> price_list_entries::Model {
            price_list_entries::Model {
                id: Uuid::from_u128(self.id),
                tenant_id: Uuid::nil(),
                sku_id: SKU,
                price_tier: self.tier.map(str::to_owned),
                customer_id: self.customer,
                unit_price: d(self.price),
                min_quantity: self.min_quantity,
                valid_from: day(self.from),
                valid_until: self.until.map(day),
                created_at: day(1),
                updated_at: day(1),
            }
        }
    }

    struct Case {
        name: &'static str,
        entries: Vec<Entry>,
        quantity: i32,
        at: u32,
        /// (rule, price, winning entry id)
        expected: (PriceSource, &'static str, Option<u128>),
    }

    const BASE: &str = "20.00";

    fn base() -> (PriceSource, &'static str, Option<u128>) {
        (PriceSource::BasePrice, BASE, None)
    }

    fn cases() -> Vec<Case> {
        use PriceSource::{CustomerPrice, PriceTier};
        vec![
            Case {
                name: "no entries: base price",
                entries: vec![],
                quantity: 1,
                at: 10,
                expected: base(),
            },
            Case {
                name: "a tier entry beats the base price",
                entries: vec![Entry::tier(1, "wholesale", "18.00")],
                quantity: 1,
                at: 10,
                expected: (PriceTier, "18.00", Some(1)),
            },
            Case {
                name: "a customer entry beats a tier entry",
                entries: vec![
                    Entry::tier(1, "wholesale", "18.00"),
                    Entry::customer(2, CUSTOMER, "19.00"),
                ],
                quantity: 1,
                at: 10,
                expected: (CustomerPrice, "19.00", Some(2)),
            },
            Case {
                name: "a customer entry beats the base price even when dearer",
                entries: vec![Entry::customer(2, CUSTOMER, "21.00")],
                quantity: 1,
                at: 10,
                expected: (CustomerPrice, "21.00", Some(2)),
            },
            Case {
                name: "an expired entry is ignored",
                entries: vec![Entry::tier(1, "wholesale", "18.00").valid(1, Some(5))],
                quantity: 1,
                at: 10,
                expected: base(),
            },
            Case {
                name: "an entry is excluded at its valid_until",
                entries: vec![Entry::customer(2, CUSTOMER, "17.00").valid(1, Some(10))],
                quantity: 1,
                at: 10,
                expected: base(),
            },
            Case {
                name: "an entry applies on its last moment before valid_until",
                entries: vec![Entry::customer(2, CUSTOMER, "17.00").valid(1, Some(11))],
                quantity: 1,
                at: 10,
                expected: (CustomerPrice, "17.00", Some(2)),
            },
            Case {
                name: "a not-yet-valid entry is ignored",
                entries: vec![Entry::customer(2, CUSTOMER, "17.00").valid(11, None)],
                quantity: 1,
                at: 10,
                expected: base(),
            },
            Case {
                name: "an entry applies from its valid_from",
                entries: vec![Entry::customer(2, CUSTOMER, "17.00").valid(10, None)],
                quantity: 1,
                at: 10,
                expected: (CustomerPrice, "17.00", Some(2)),
            },
            Case {
                name: "an expired customer entry falls back to the tier",
                entries: vec![
                    Entry::tier(1, "wholesale", "18.00"),
                    Entry::customer(2, CUSTOMER, "17.00").valid(1, Some(5)),
                ],
                quantity: 1,
                at: 10,
                expected: (PriceTier, "18.00", Some(1)),
            },
            Case {
                name: "below the minimum quantity an entry is ignored",
                entries: vec![Entry::tier(1, "wholesale", "15.00").at_least(12)],
                quantity: 11,
                at: 10,
                expected: base(),
            },
            Case {
                name: "exactly at the minimum quantity an entry applies",
                entries: vec![Entry::tier(1, "wholesale", "15.00").at_least(12)],
                quantity: 12,
                at: 10,
                expected: (PriceTier, "15.00", Some(1)),
            },
            Case {
                name: "of two tier breaks both reached, the lower price wins",
                entries: vec![
                    Entry::tier(1, "wholesale", "18.00"),
                    Entry::tier(2, "wholesale", "16.50").at_least(12),
                ],
                quantity: 24,
                at: 10,
                expected: (PriceTier, "16.50", Some(2)),
            },
            Case {
                name: "of two tier breaks, the one not reached is ignored",
                entries: vec![
                    Entry::tier(1, "wholesale", "18.00"),
                    Entry::tier(2, "wholesale", "16.50").at_least(12),
                ],
                quantity: 6,
                at: 10,
                expected: (PriceTier, "18.00", Some(1)),
            },
            Case {
                name: "a customer entry not reached in quantity yields to the tier",
                entries: vec![
                    Entry::tier(1, "wholesale", "18.00"),
                    Entry::customer(2, CUSTOMER, "14.00").at_least(48),
                ],
                quantity: 12,
                at: 10,
                expected: (PriceTier, "18.00", Some(1)),
            },
            Case {
                name: "another customer's entry is ignored",
                entries: vec![Entry::customer(2, OTHER_CUSTOMER, "10.00")],
                quantity: 1,
                at: 10,
                expected: base(),
            },
            Case {
                name: "another tier's entry is ignored",
                entries: vec![
                    Entry::tier(1, "on_premise", "10.00"),
                    Entry::tier(2, "wholesale", "18.00"),
                ],
                quantity: 1,
                at: 10,
                expected: (PriceTier, "18.00", Some(2)),
            },
            Case {
                name: "equal prices go to the oldest entry",
                entries: vec![
                    Entry::tier(7, "wholesale", "18.00"),
                    Entry::tier(3, "wholesale", "18.00").at_least(6),
                ],
                quantity: 6,
                at: 10,
                expected: (PriceTier, "18.00", Some(3)),
            },
        ]
    }

    #[test]
    fn the_best_valid_entry_of_the_strongest_class_sets_the_price() {
        let customer = PricedCustomer {
            id: CUSTOMER,
            price_tier: Some("wholesale"),
        };
        for case in cases() {
            let entries: Vec<_> = case.entries.iter().map(Entry::model).collect();
            let quote = best_price(d(BASE), customer, case.quantity, day(case.at), &entries);
            let (rule, price, entry) = case.expected;
            assert_eq!(
                quote,
                PriceQuote {
                    unit_price: d(price),
                    rule,
                    entry_id: entry.map(Uuid::from_u128),
                },
                "{}",
                case.name
            );
        }
    }

    #[test]
    fn a_customer_without_a_tier_gets_no_tier_price() {
        let customer = PricedCustomer {
            id: CUSTOMER,
            price_tier: None,
        };
        let entries = [Entry::tier(1, "wholesale", "18.00").model()];
        let quote = best_price(d(BASE), customer, 1, day(10), &entries);
        assert_eq!(quote.rule, PriceSource::BasePrice);
    }
}
