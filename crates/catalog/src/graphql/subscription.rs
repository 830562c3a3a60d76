//! Stock in real time: the available stock of the SKUs a subscriber watches, each time it changes.

use super::types::StockLevel;
use crate::service::inventory;
use async_graphql::{Context, ID, Subscription};
use leora_tenancy::graphql::ids::parse_id;
use leora_tenancy::graphql::live::{self, LiveEvent, LiveStream};
use leora_tenancy::graphql::{
    ApiResult, Feature, Permission, PortalFeature, ResolverError, StaffOrPortal,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use uuid::Uuid;

/// The most SKUs one subscription watches: each event after which their stock may have moved
/// reads all of them.
pub const MAX_WATCHED_SKUS: usize = 100;

/// Stock moves by hand (`inventory.adjusted`, and `inventory.low` after it) and with orders:
/// placing or submitting one reserves, cancelling releases, fulfilling consumes.
const STOCK_EVENTS: [&str; 4] = [
    "inventory.adjusted",
    "inventory.low",
    "order.placed",
    "order.status_changed",
];

#[derive(Default)]
pub struct CatalogSubscription;

#[Subscription]
impl CatalogSubscription {
    /// The stock of the SKUs in `skuIds` (at most 100) whose available quantity changed, each
    /// time stock moves: after an adjustment of one of them, and after each order placed or
    /// changing status (which may reserve, release or consume any of them). The first message
    /// carries every one of them.
    #[graphql(
        guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView).and(PortalFeature(Feature::Catalog))"
    )]
    async fn stock_changed(
        &self,
        ctx: &Context<'_>,
        sku_ids: Vec<ID>,
    ) -> Result<LiveStream<Vec<StockLevel>>, ResolverError> {
        if sku_ids.is_empty() || sku_ids.len() > MAX_WATCHED_SKUS {
            return Err(ResolverError::bad_input(
                "skuIds",
                format!("watch 1 to {MAX_WATCHED_SKUS} SKUs"),
            ));
        }
        let mut watched = sku_ids
            .iter()
            .map(|id| parse_id("skuIds", id))
            .collect::<ApiResult<Vec<Uuid>>>()?;
        watched.sort_unstable();
        watched.dedup();
        let watched = Arc::new(watched);
        // What each SKU's subscriber was last told: a change is what differs from it.
        let told: Arc<Mutex<HashMap<Uuid, i64>>> = Arc::default();
        let filter = Arc::clone(&watched);
        live::events(
            ctx,
            move |event: &LiveEvent| {
                STOCK_EVENTS.contains(&event.kind.as_str())
                    && event
                        .sku_id
                        .is_none_or(|sku| filter.binary_search(&sku).is_ok())
            },
            move |tx, _event| {
                let watched = Arc::clone(&watched);
                let told = Arc::clone(&told);
                async move {
                    let now = inventory::availability(&tx, &watched)
                        .await
                        .map_err(ResolverError::from)?;
                    let mut told = told.lock().unwrap_or_else(PoisonError::into_inner);
                    let changed: Vec<StockLevel> = watched
                        .iter()
                        .filter_map(|sku| {
                            let stock = *now.get(sku)?;
                            let before = told.insert(*sku, stock.available);
                            (before != Some(stock.available)).then_some(StockLevel {
                                sku_id: *sku,
                                stock,
                            })
                        })
                        .collect();
                    Ok((!changed.is_empty()).then_some(changed))
                }
            },
        )
    }
}
