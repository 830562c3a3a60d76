//! Portal carts (docs/domain-rules.md, "Carts and saved lists"): one active cart per portal user,
//! items merged by SKU, a lifetime of the tenant's `cart_ttl_hours`, and checkout into a submitted
//! order.
//!
//! Expiry slides: every change to a cart pushes `expires_at` to now + TTL, so a cart expires after
//! that long untouched. An expired cart is not revived: reading returns it as it is (the client
//! sees `expires_at` in the past), changing an item of it or checking it out is `CartExpired`, and
//! adding marks it `expired` and starts a new cart.
//!
//! Every change locks the active cart row, and checkout locks it too, so an item added while a
//! checkout runs lands either in the order or in the next cart, never in a converted one.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::access::{Actor, portal_user};
use super::orders::OrderWithLines;
use super::placing::{LineRequest, OrderRequest, find_by_key, place};
use super::sellable::sellable_sku;
use super::settings::{self, Lock, TenantSettings};
use super::validate::{self, MAX_CART_ITEMS, MAX_QUANTITY};
use crate::entities::cart_items;
use crate::entities::carts::{self, CartStatus};
use crate::error::OrdersError;

const MAX_NOTES_CHARS: usize = 2000;

/// What a checkout adds to the cart's items.
#[derive(Debug, Clone, Default)]
pub struct Checkout {
    /// A retried checkout with the same key returns the same order.
    pub idempotency_key: Option<String>,
    pub requested_delivery_date: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// The portal user's active cart, started if there is none. An expired one is returned as it is.
pub async fn active_cart(tx: &TenantTx) -> Result<carts::Model, OrdersError> {
    let ctx = tx.context();
    let (portal_user_id, customer_id) = portal_user(ctx)?;
    if let Some(cart) = find_active(tx, portal_user_id, Lock::None).await? {
        return Ok(cart);
    }
    let settings = settings::load(tx, Lock::None).await?;
    start_cart(tx, portal_user_id, customer_id, &settings).await
}

/// Adds `quantity` of a SKU to the cart, on top of any already there. A quantity outside
/// 1‥[`MAX_QUANTITY`], or a total for the SKU beyond it → `BadInput` on `quantity`; an unknown SKU →
/// `NotFound`, one not for sale → `BadInput`, on `skuId`.
pub async fn add_to_cart(
    tx: &TenantTx,
    sku_id: Uuid,
    quantity: i32,
) -> Result<carts::Model, OrdersError> {
    let ctx = tx.context();
    portal_user(ctx)?;
    let quantity = validate::quantity("quantity", quantity)?;
    sellable_sku(tx, sku_id).await?;
    let (cart, settings) = cart_for_change(tx).await?;
    let merged = tx
        .query_one_raw(stmt(
            "INSERT INTO cart_items (id, tenant_id, customer_id, cart_id, sku_id, quantity)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (tenant_id, cart_id, sku_id)
             DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity
             WHERE cart_items.quantity + EXCLUDED.quantity <= $7
             RETURNING id",
            [
                Uuid::now_v7().into(),
                cart.tenant_id.into(),
                cart.customer_id.into(),
                cart.id.into(),
                sku_id.into(),
                quantity.into(),
                MAX_QUANTITY.into(),
            ],
        ))
        .await?;
    if merged.is_none() {
        return Err(OrdersError::bad_input(
            "quantity",
            format!("a cart may hold at most {MAX_QUANTITY} of one sku"),
        ));
    }
    within_item_cap(tx, &cart, "skuId").await?;
    touch(tx, &cart, &settings).await
}

/// Refuses a change that left the (locked) cart with more SKUs than [`MAX_CART_ITEMS`].
pub(crate) async fn within_item_cap(
    tx: &TenantTx,
    cart: &carts::Model,
    field: &str,
) -> Result<(), OrdersError> {
    validate::rows_at_most(
        tx,
        "SELECT count(*) FROM cart_items WHERE cart_id = $1",
        cart.id,
        MAX_CART_ITEMS,
        field,
        "a cart holds at most this many different SKUs:",
    )
    .await
}

/// Sets a cart item's quantity; 0 removes it. A SKU not in the cart → `NotFound` on `skuId`; an
/// expired cart → `CartExpired`.
pub async fn update_cart_item(
    tx: &TenantTx,
    sku_id: Uuid,
    quantity: i32,
) -> Result<carts::Model, OrdersError> {
    let ctx = tx.context();
    let (portal_user_id, _) = portal_user(ctx)?;
    if quantity != 0 {
        validate::quantity("quantity", quantity)?;
    }
    let settings = settings::load(tx, Lock::None).await?;
    let cart = find_active(tx, portal_user_id, Lock::ForUpdate)
        .await?
        .ok_or_else(not_in_cart)?;
    if cart.expires_at <= settings.now {
        return Err(OrdersError::CartExpired);
    }
    let change = if quantity == 0 {
        stmt(
            "DELETE FROM cart_items WHERE cart_id = $1 AND sku_id = $2",
            [cart.id.into(), sku_id.into()],
        )
    } else {
        stmt(
            "UPDATE cart_items SET quantity = $3 WHERE cart_id = $1 AND sku_id = $2",
            [cart.id.into(), sku_id.into(), quantity.into()],
        )
    };
    let changed = tx.execute_raw(change).await?;
    if changed.rows_affected() == 0 {
        return Err(not_in_cart());
    }
    touch(tx, &cart, &settings).await
}

pub async fn remove_from_cart(tx: &TenantTx, sku_id: Uuid) -> Result<carts::Model, OrdersError> {
    update_cart_item(tx, sku_id, 0).await
}

/// Turns the active cart into a submitted order (stock reserved) and marks the cart `converted`,
/// all in the caller's transaction. An expired cart → `CartExpired`; no active cart or no items →
/// `Conflict`; otherwise the refusals of `create_order`, with fields on `items[i]`.
///
/// With a key, a retry returns the order the first checkout created, whatever has happened to the
/// cart since.
pub async fn checkout_cart(tx: &TenantTx, input: Checkout) -> Result<OrderWithLines, OrdersError> {
    let ctx = tx.context();
    let (portal_user_id, customer_id) = portal_user(ctx)?;
    let idempotency_key = validate::idempotency_key(input.idempotency_key)?;
    let notes = validate::optional_text("notes", input.notes, MAX_NOTES_CHARS)?;
    let settings = settings::load(tx, Lock::ForUpdate).await?;
    if let Some(key) = &idempotency_key
        && let Some(existing) = find_by_key(tx, key, customer_id).await?
    {
        return Ok(existing);
    }
    let cart = find_active(tx, portal_user_id, Lock::ForUpdate)
        .await?
        .ok_or_else(empty_cart)?;
    if cart.expires_at <= settings.now {
        return Err(OrdersError::CartExpired);
    }
    let items = cart_items::Entity::find()
        .filter(cart_items::Column::CartId.eq(cart.id))
        .order_by_asc(cart_items::Column::CreatedAt)
        .order_by_asc(cart_items::Column::Id)
        .all(tx)
        .await?;
    if items.is_empty() {
        return Err(empty_cart());
    }
    let request = OrderRequest {
        customer_id,
        lines: items
            .iter()
            .map(|item| LineRequest {
                sku_id: item.sku_id,
                quantity: item.quantity,
                discount: Decimal::ZERO,
                is_sample: false,
            })
            .collect(),
        requested_delivery_date: input.requested_delivery_date,
        idempotency_key,
        notes,
        submit: true,
        source: "items",
    };
    let placed = place(tx, Actor::of(ctx)?, ctx.tenant_id(), &settings, request).await?;
    tx.execute_raw(stmt(
        "UPDATE carts SET status = 'converted', converted_order_id = $2, converted_at = now()
          WHERE id = $1",
        [cart.id.into(), placed.order.id.into()],
    ))
    .await?;
    Ok(placed)
}

/// The active cart to change, locked: the current one if unexpired, else a new one (an expired
/// one is marked so first).
pub(crate) async fn cart_for_change(
    tx: &TenantTx,
) -> Result<(carts::Model, TenantSettings), OrdersError> {
    let ctx = tx.context();
    let (portal_user_id, customer_id) = portal_user(ctx)?;
    let settings = settings::load(tx, Lock::None).await?;
    match find_active(tx, portal_user_id, Lock::ForUpdate).await? {
        Some(cart) if cart.expires_at > settings.now => return Ok((cart, settings)),
        Some(expired) => {
            tx.execute_raw(stmt(
                "UPDATE carts SET status = 'expired' WHERE id = $1",
                [expired.id.into()],
            ))
            .await?;
        }
        None => {}
    }
    let cart = start_cart(tx, portal_user_id, customer_id, &settings).await?;
    Ok((cart, settings))
}

/// Pushes the cart's expiry to now + TTL after a change.
pub(crate) async fn touch(
    tx: &DatabaseTransaction,
    cart: &carts::Model,
    settings: &TenantSettings,
) -> Result<carts::Model, OrdersError> {
    carts::Entity::find()
        .from_raw_sql(stmt(
            "UPDATE carts SET expires_at = $2 WHERE id = $1 RETURNING *",
            [cart.id.into(), expiry(settings).into()],
        ))
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("cart"))
}

async fn find_active(
    tx: &DatabaseTransaction,
    portal_user_id: Uuid,
    lock: Lock,
) -> Result<Option<carts::Model>, OrdersError> {
    let query = carts::Entity::find()
        .filter(carts::Column::PortalUserId.eq(portal_user_id))
        .filter(carts::Column::Status.eq(CartStatus::Active));
    let query = match lock {
        Lock::None => query,
        Lock::ForUpdate => query.lock_exclusive(),
    };
    Ok(query.one(tx).await?)
}

/// Starts the portal user's active cart. Two requests may race to start it: the partial unique
/// index lets one insert win and the other wait for it, then both read (and lock) the winner's.
async fn start_cart(
    tx: &TenantTx,
    portal_user_id: Uuid,
    customer_id: Uuid,
    settings: &TenantSettings,
) -> Result<carts::Model, OrdersError> {
    let tenant_id = tx.tenant_id();
    tx.execute_raw(stmt(
        "INSERT INTO carts (id, tenant_id, customer_id, portal_user_id, expires_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, portal_user_id) WHERE status = 'active' DO NOTHING",
        [
            Uuid::now_v7().into(),
            tenant_id.into(),
            customer_id.into(),
            portal_user_id.into(),
            expiry(settings).into(),
        ],
    ))
    .await?;
    find_active(tx, portal_user_id, Lock::ForUpdate)
        .await?
        .ok_or_else(|| OrdersError::not_found("cart"))
}

fn expiry(settings: &TenantSettings) -> DateTime<Utc> {
    settings.now + Duration::hours(i64::from(settings.cart_ttl_hours))
}

fn not_in_cart() -> OrdersError {
    OrdersError::not_found_at("cart item", "skuId")
}

fn empty_cart() -> OrdersError {
    OrdersError::state_conflict("the cart is empty")
}
