//! Saved lists of SKUs for a customer (favourites, order templates), owned by the portal user or
//! staff member who made them, and poured into a cart in one step.
//!
//! Anyone who can see a list may use it (row-level security shows a portal user its own customer's
//! lists). Changing one is for staff, or for the portal user who owns it. Adding a SKU already on
//! the list sets its default quantity and note rather than failing or adding up: a list says what
//! to order, so repeating an add is harmless.

use leora_catalog::entities::customers;
use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use uuid::Uuid;

use super::access::{Actor, portal_user};
use super::carts::{cart_for_change, touch, within_item_cap};
use super::sellable::sellable_sku;
use super::settings::Lock;
use super::validate::{self, MAX_LIST_ITEMS, MAX_QUANTITY};
use crate::entities::lists::{self, ListKind};
use crate::entities::{carts, list_items};
use crate::error::OrdersError;

const MAX_NAME_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 2000;
const MAX_NOTE_CHARS: usize = 1000;

#[derive(Debug, Clone)]
pub struct NewList {
    pub customer_id: Uuid,
    pub name: String,
    /// `None` is `custom`.
    pub kind: Option<ListKind>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewListItem {
    pub sku_id: Uuid,
    /// `None` is 1.
    pub default_quantity: Option<i32>,
    pub note: Option<String>,
}

/// The lists the transaction can see, of one customer when `customer_id` names one, by name (the
/// caller breaks ties).
pub fn lists(customer_id: Option<Uuid>) -> Select<lists::Entity> {
    let select = lists::Entity::find();
    let select = match customer_id {
        Some(customer_id) => select.filter(lists::Column::CustomerId.eq(customer_id)),
        None => select,
    };
    select.order_by_asc(lists::Column::Name)
}

/// Creates a list owned by the principal. A portal user's list is for its own customer
/// (`Forbidden` otherwise); a job has no one to own a list (`Forbidden`).
pub async fn create_list(tx: &TenantTx, input: NewList) -> Result<lists::Model, OrdersError> {
    let ctx = tx.context();
    let actor = Actor::of(ctx)?;
    actor.may_act_for(input.customer_id)?;
    if actor == Actor::System {
        return Err(OrdersError::Forbidden {
            reason: "a list belongs to a person",
        });
    }
    let name = validate::required_text("name", &input.name, MAX_NAME_CHARS)?;
    let description =
        validate::optional_text("description", input.description, MAX_DESCRIPTION_CHARS)?;
    customers::Entity::find_by_id(input.customer_id)
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found_at("customer", "customerId"))?;
    let list = lists::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(ctx.tenant_id()),
        customer_id: Set(input.customer_id),
        owner_portal_user_id: Set(actor.portal_user_id()),
        owner_user_id: Set(actor.user_id()),
        name: Set(name),
        kind: Set(input.kind.unwrap_or(ListKind::Custom)),
        description: Set(description),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(list)
}

/// Changes to a list: `None` leaves a field as it is; `Some(None)` clears the description.
#[derive(Debug, Clone, Default)]
pub struct ListChanges {
    pub name: Option<String>,
    pub kind: Option<ListKind>,
    pub description: Option<Option<String>>,
}

/// One list the transaction can see; any other → `NotFound`.
pub async fn list(tx: &DatabaseTransaction, id: Uuid) -> Result<lists::Model, OrdersError> {
    visible_list(tx, id, Lock::None).await
}

/// Renames or redescribes a list, with the rules of [`add_list_item`]: staff, or the portal user
/// who owns it. `BadInput` on `name` or `description`.
pub async fn update_list(
    tx: &TenantTx,
    id: Uuid,
    changes: ListChanges,
) -> Result<lists::Model, OrdersError> {
    let name = changes
        .name
        .map(|name| validate::required_text("name", &name, MAX_NAME_CHARS))
        .transpose()?;
    let description = changes
        .description
        .map(|text| validate::optional_text("description", text, MAX_DESCRIPTION_CHARS))
        .transpose()?;
    let list = list_to_change(tx, id).await?;
    let mut model: lists::ActiveModel = list.into();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(kind) = changes.kind {
        model.kind = Set(kind);
    }
    if let Some(description) = description {
        model.description = Set(description);
    }
    Ok(model.update(tx).await?)
}

/// Deletes a list and its items, with the rules of [`add_list_item`].
pub async fn delete_list(tx: &TenantTx, id: Uuid) -> Result<(), OrdersError> {
    let list = list_to_change(tx, id).await?;
    lists::Entity::delete_by_id(list.id).exec(tx).await?;
    Ok(())
}

/// Puts a SKU on the list (at the end), or, if it is there already, sets its default quantity and
/// note. A quantity outside 1‥[`MAX_QUANTITY`] → `BadInput` on `defaultQuantity`; an unknown SKU →
/// `NotFound`, one not for sale → `BadInput`, on `skuId`.
pub async fn add_list_item(
    tx: &TenantTx,
    list_id: Uuid,
    input: NewListItem,
) -> Result<list_items::Model, OrdersError> {
    let default_quantity =
        validate::quantity("defaultQuantity", input.default_quantity.unwrap_or(1))?;
    let note = validate::optional_text("note", input.note, MAX_NOTE_CHARS)?;
    let list = list_to_change(tx, list_id).await?;
    sellable_sku(tx, input.sku_id).await?;
    let item = list_items::Entity::find()
        .from_raw_sql(stmt(
            "INSERT INTO list_items
                    (id, tenant_id, customer_id, list_id, sku_id, default_quantity, note, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7,
                     (SELECT coalesce(max(position) + 1, 0) FROM list_items WHERE list_id = $4))
             ON CONFLICT (tenant_id, list_id, sku_id)
             DO UPDATE SET default_quantity = EXCLUDED.default_quantity, note = EXCLUDED.note
             RETURNING *",
            [
                Uuid::now_v7().into(),
                list.tenant_id.into(),
                list.customer_id.into(),
                list.id.into(),
                input.sku_id.into(),
                default_quantity.into(),
                note.into(),
            ],
        ))
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("list"))?;
    validate::rows_at_most(
        tx,
        "SELECT count(*) FROM list_items WHERE list_id = $1",
        list.id,
        MAX_LIST_ITEMS,
        "skuId",
        "a list holds at most this many SKUs:",
    )
    .await?;
    Ok(item)
}

/// Takes a SKU off the list; one not on it → `NotFound` on `skuId`.
pub async fn remove_list_item(
    tx: &TenantTx,
    list_id: Uuid,
    sku_id: Uuid,
) -> Result<(), OrdersError> {
    let list = list_to_change(tx, list_id).await?;
    let removed = tx
        .execute_raw(stmt(
            "DELETE FROM list_items WHERE list_id = $1 AND sku_id = $2",
            [list.id.into(), sku_id.into()],
        ))
        .await?;
    if removed.rows_affected() == 0 {
        return Err(OrdersError::not_found_at("list item", "skuId"));
    }
    Ok(())
}

/// Adds every item of the list, at its default quantity, to the portal user's cart, merging with
/// what is there (capped at [`MAX_QUANTITY`] per SKU). Items no longer for sale are left out: one
/// discontinued wine should not stop a template from working.
pub async fn add_list_to_cart(tx: &TenantTx, list_id: Uuid) -> Result<carts::Model, OrdersError> {
    let ctx = tx.context();
    portal_user(ctx)?;
    let list = visible_list(tx, list_id, Lock::None).await?;
    let (cart, settings) = cart_for_change(tx).await?;
    tx.execute_raw(stmt(
        "INSERT INTO cart_items (tenant_id, customer_id, cart_id, sku_id, quantity)
         SELECT $1, $2, $3, li.sku_id, li.default_quantity
           FROM list_items li
           JOIN skus s ON s.id = li.sku_id AND s.status = 'active'
           JOIN products p ON p.id = s.product_id AND p.status = 'active'
          WHERE li.list_id = $4
         ON CONFLICT (tenant_id, cart_id, sku_id)
         DO UPDATE SET quantity = least(cart_items.quantity + EXCLUDED.quantity, $5)",
        [
            cart.tenant_id.into(),
            cart.customer_id.into(),
            cart.id.into(),
            list.id.into(),
            MAX_QUANTITY.into(),
        ],
    ))
    .await?;
    within_item_cap(tx, &cart, "listId").await?;
    touch(tx, &cart, &settings).await
}

async fn visible_list(
    tx: &DatabaseTransaction,
    list_id: Uuid,
    lock: Lock,
) -> Result<lists::Model, OrdersError> {
    let select = lists::Entity::find_by_id(list_id);
    let select = match lock {
        Lock::None => select,
        Lock::ForUpdate => select.lock_exclusive(),
    };
    select
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found_at("list", "listId"))
}

async fn list_to_change(tx: &TenantTx, list_id: Uuid) -> Result<lists::Model, OrdersError> {
    let ctx = tx.context();
    let actor = Actor::of(ctx)?;
    // Locked: changes to one list queue, so its item cap holds.
    let list = visible_list(tx, list_id, Lock::ForUpdate).await?;
    if let Actor::Portal { portal_user_id, .. } = actor
        && list.owner_portal_user_id != Some(portal_user_id)
    {
        return Err(OrdersError::Forbidden {
            reason: "a portal user may change only its own lists",
        });
    }
    Ok(list)
}
