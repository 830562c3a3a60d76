//! Notifications: messages to one user or portal user, created from domain events.
//!
//! Sources:
//! * `task.assigned`: written by [`super::tasks`] in the transaction that assigns the task;
//! * `task.due`, `account.at_risk` and `order.status_changed`: written by the health job
//!   ([`super::job`]). Order status changes arrive as `order.status_changed` events in the outbox
//!   (the orders crate sits below this one and cannot call it); [`notify_from_events`] turns the
//!   recent ones that have not yet been turned into notifications for the order's customer's portal
//!   users. "Not yet" is read from the notifications themselves (their `data.eventId`), so the
//!   function is idempotent and needs no bookkeeping column: running it twice, or from two workers
//!   (it serialises per tenant), notifies each portal user once per event.
//!
//! A user sees only their own notifications: the resolver and these functions filter by recipient,
//! and for portal users row-level security also confines them to their customer.

use chrono::{DateTime, NaiveDate, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use leora_tenancy::{Principal, TenantContext};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, Select, Set, sea_query::Expr,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::settings;
use crate::entities::enums::Priority;
use crate::entities::notifications;
use crate::error::IntelligenceError;

pub const ORDER_STATUS_CHANGED: &str = "order.status_changed";
pub const ACCOUNT_AT_RISK: &str = "account.at_risk";
pub const TASK_ASSIGNED: &str = "task.assigned";
pub const TASK_DUE: &str = "task.due";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    User(Uuid),
    PortalUser {
        portal_user_id: Uuid,
        customer_id: Uuid,
    },
}

impl Recipient {
    /// The recipient a principal reads notifications as; background jobs have no inbox.
    pub fn of(ctx: &TenantContext) -> Result<Self, IntelligenceError> {
        match ctx.principal() {
            Principal::User { user_id } => Ok(Self::User(user_id)),
            Principal::PortalUser {
                portal_user_id,
                customer_id,
            } => Ok(Self::PortalUser {
                portal_user_id,
                customer_id,
            }),
            Principal::System | Principal::Anonymous => Err(IntelligenceError::Forbidden {
                reason: "only a signed-in user has notifications",
            }),
        }
    }

    fn condition(self) -> Condition {
        match self {
            Self::User(user_id) => {
                Condition::all().add(notifications::Column::RecipientUserId.eq(user_id))
            }
            Self::PortalUser {
                portal_user_id,
                customer_id,
            } => Condition::all()
                .add(notifications::Column::CustomerId.eq(customer_id))
                .add(notifications::Column::RecipientPortalUserId.eq(portal_user_id)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewNotification {
    pub recipient: Recipient,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub priority: Priority,
    pub data: Value,
}

impl NewNotification {
    fn into_active_model(self, tenant_id: Uuid) -> notifications::ActiveModel {
        let (user, portal_user, customer) = match self.recipient {
            Recipient::User(id) => (Some(id), None, None),
            Recipient::PortalUser {
                portal_user_id,
                customer_id,
            } => (None, Some(portal_user_id), Some(customer_id)),
        };
        notifications::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(tenant_id),
            recipient_user_id: Set(user),
            recipient_portal_user_id: Set(portal_user),
            customer_id: Set(customer),
            kind: Set(self.kind.to_owned()),
            title: Set(self.title),
            body: Set(self.body),
            priority: Set(self.priority),
            data: Set(self.data),
            ..Default::default()
        }
    }
}

/// Writes notifications; returns how many.
pub async fn notify(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    notifications: Vec<NewNotification>,
) -> Result<u64, IntelligenceError> {
    let rows = notifications
        .into_iter()
        .map(|n| n.into_active_model(tenant_id));
    Ok(notifications::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?)
}

/// The principal's own notifications, newest first.
pub fn inbox(
    ctx: &TenantContext,
    unread_only: bool,
) -> Result<Select<notifications::Entity>, IntelligenceError> {
    let mut select = notifications::Entity::find().filter(Recipient::of(ctx)?.condition());
    if unread_only {
        select = select.filter(notifications::Column::ReadAt.is_null());
    }
    Ok(select.order_by_desc(notifications::Column::CreatedAt))
}

/// One of the principal's own notifications by id, for its subscription; `None` for another
/// recipient's (or one that does not exist).
pub async fn own(
    tx: &TenantTx,
    id: Uuid,
) -> Result<Option<notifications::Model>, IntelligenceError> {
    Ok(notifications::Entity::find_by_id(id)
        .filter(Recipient::of(tx.context())?.condition())
        .one(tx)
        .await?)
}

pub async fn unread_count(tx: &TenantTx) -> Result<u64, IntelligenceError> {
    let ctx = tx.context();
    Ok(inbox(ctx, true)?.count(tx).await?)
}

/// Marks one of the principal's notifications read (again: no error, the first time stays).
/// Another recipient's notification is `NotFound`.
pub async fn mark_read(tx: &TenantTx, id: Uuid) -> Result<notifications::Model, IntelligenceError> {
    let ctx = tx.context();
    let notification = notifications::Entity::find_by_id(id)
        .filter(Recipient::of(ctx)?.condition())
        .one(tx)
        .await?
        .ok_or(IntelligenceError::not_found("notification"))?;
    if notification.read_at.is_some() {
        return Ok(notification);
    }
    let now = settings::load(tx, ctx.tenant_id()).await?.now;
    let mut model: notifications::ActiveModel = notification.into();
    model.read_at = Set(Some(now));
    Ok(model.update(tx).await?)
}

/// Marks all of the principal's unread notifications read; returns how many.
pub async fn mark_all_read(tx: &TenantTx) -> Result<u64, IntelligenceError> {
    let ctx = tx.context();
    let result = notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::current_timestamp())
        .filter(Recipient::of(ctx)?.condition())
        .filter(notifications::Column::ReadAt.is_null())
        .exec(tx)
        .await?;
    Ok(result.rows_affected)
}

/// Serialises the event-driven notification writers of one tenant until the transaction ends, so
/// two runs cannot both decide an event is not yet notified.
pub(crate) async fn lock_tenant_notifier(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<(), IntelligenceError> {
    db.execute_raw(stmt(
        "SELECT pg_advisory_xact_lock(hashtextextended('leora.notifier:' || $1::text, 0))",
        [tenant_id.into()],
    ))
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct StatusChange {
    event_id: Uuid,
    payload: Value,
    portal_user_id: Uuid,
    customer_id: Uuid,
}

/// Notifies the portal users of each order's customer about `order.status_changed` events since
/// `since` that they have not yet been notified of; returns how many notifications were written.
///
/// Events before `since` are never looked at, which bounds the scan; a portal user created after
/// an event is not told about it.
pub async fn notify_from_events(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, IntelligenceError> {
    lock_tenant_notifier(db, tenant_id).await?;
    let changes = StatusChange::find_by_statement(stmt(
        "SELECT e.id AS event_id, e.payload, pu.id AS portal_user_id, pu.customer_id
           FROM webhook_events e
           JOIN portal_users pu ON pu.customer_id::text = e.payload->>'customerId'
          WHERE e.event_type = $1
            AND e.occurred_at >= $2
            AND pu.status <> 'disabled'
            AND pu.created_at <= e.occurred_at
            AND NOT EXISTS (
                  SELECT 1 FROM notifications n
                   WHERE n.customer_id = pu.customer_id
                     AND n.recipient_portal_user_id = pu.id
                     AND n.kind = $1
                     AND n.data->>'eventId' = e.id::text)
          ORDER BY e.occurred_at, e.id, pu.id",
        [ORDER_STATUS_CHANGED.into(), since.into()],
    ))
    .all(db)
    .await?;
    let notifications = changes
        .into_iter()
        .map(|change| {
            let message = order_status_message(&change.payload);
            NewNotification {
                recipient: Recipient::PortalUser {
                    portal_user_id: change.portal_user_id,
                    customer_id: change.customer_id,
                },
                kind: ORDER_STATUS_CHANGED,
                title: message.title,
                body: message.body,
                priority: message.priority,
                data: json!({
                    "eventId": change.event_id,
                    "orderId": change.payload.get("orderId"),
                    "orderNumber": change.payload.get("orderNumber"),
                    "from": change.payload.get("from").and_then(Value::as_str).map(enum_value),
                    "to": change.payload.get("to").and_then(Value::as_str).map(enum_value),
                }),
            }
        })
        .collect();
    notify(db, tenant_id, notifications).await
}

/// Notification `data` speaks the API's words: an enum value as its GraphQL enum spells it
/// (`SUBMITTED`, not the stored `submitted`).
pub(crate) fn enum_value(key: &str) -> Value {
    Value::from(key.to_ascii_uppercase())
}

/// An instant as the `DateTime` scalar writes it.
pub(crate) fn instant_value(instant: DateTime<Utc>) -> Value {
    Value::from(leora_tenancy::graphql::scalars::instant_text(instant))
}

pub struct Message {
    pub title: String,
    pub body: String,
    pub priority: Priority,
}

/// What a portal user is told about an order moving to a new status. A cancellation is the one
/// change the customer may not expect, so it is the one raised above normal.
pub fn order_status_message(payload: &Value) -> Message {
    let number = payload
        .get("orderNumber")
        .and_then(Value::as_str)
        .unwrap_or("your order");
    let to = payload.get("to").and_then(Value::as_str).unwrap_or("");
    let (title, body, priority) = match to {
        "submitted" => (
            format!("Order {number} received"),
            format!("We have received order {number} and will confirm it shortly."),
            Priority::Normal,
        ),
        "confirmed" => (
            format!("Order {number} confirmed"),
            format!("Order {number} is confirmed and being prepared."),
            Priority::Normal,
        ),
        "fulfilled" => (
            format!("Order {number} shipped"),
            format!("Order {number} has left our warehouse."),
            Priority::Normal,
        ),
        "delivered" => (
            format!("Order {number} delivered"),
            format!("Order {number} has been delivered."),
            Priority::Normal,
        ),
        "cancelled" => (
            format!("Order {number} cancelled"),
            format!("Order {number} has been cancelled. Contact your rep with any questions."),
            Priority::High,
        ),
        other => (
            format!("Order {number} updated"),
            format!("Order {number} is now {other}."),
            Priority::Normal,
        ),
    };
    Message {
        title,
        body,
        priority,
    }
}

#[derive(FromQueryResult)]
struct DueTask {
    id: Uuid,
    assignee_user_id: Uuid,
    customer_id: Option<Uuid>,
    title: String,
    due_at: DateTime<Utc>,
    priority: Priority,
    overdue: bool,
}

/// Tells assignees about their open tasks due by the end of `today` (tenant time), once per task;
/// returns how many notifications were written. Overdue tasks are raised to at least high.
pub async fn notify_due_tasks(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: NaiveDate,
    timezone: &str,
) -> Result<u64, IntelligenceError> {
    lock_tenant_notifier(db, tenant_id).await?;
    let due = DueTask::find_by_statement(stmt(
        "SELECT t.id, t.assignee_user_id, t.customer_id, t.title, t.due_at, t.priority,
                t.due_at < ($1::date::timestamp AT TIME ZONE $2) AS overdue
           FROM tasks t
          WHERE t.status IN ('open', 'in_progress')
            AND t.due_at < (($1::date + 1)::timestamp AT TIME ZONE $2)
            AND NOT EXISTS (
                  SELECT 1 FROM notifications n
                   WHERE n.recipient_user_id = t.assignee_user_id
                     AND n.kind = $3
                     AND n.data->>'taskId' = t.id::text)
          ORDER BY t.due_at, t.id",
        [today.into(), timezone.into(), TASK_DUE.into()],
    ))
    .all(db)
    .await?;
    let notifications = due
        .into_iter()
        .map(|task| {
            let (title, tense, priority) = if task.overdue {
                let priority = task.priority.max(Priority::High);
                (format!("Overdue: {}", task.title), "was", priority)
            } else {
                (format!("Due today: {}", task.title), "is", task.priority)
            };
            NewNotification {
                recipient: Recipient::User(task.assignee_user_id),
                kind: TASK_DUE,
                title,
                body: format!(
                    "Task \"{}\" {tense} due {}.",
                    task.title,
                    task.due_at.to_rfc3339()
                ),
                priority,
                data: json!({
                    "taskId": task.id,
                    "customerId": task.customer_id,
                    "dueAt": instant_value(task.due_at),
                }),
            }
        })
        .collect();
    notify(db, tenant_id, notifications).await
}
