//! Tasks: to-dos for internal users, optionally about a customer.
//!
//! open | in_progress → completed | cancelled; open | in_progress tasks can be edited and
//! reassigned. Assigning a task to someone other than yourself notifies the assignee in the same
//! transaction.

use chrono::{DateTime, Utc};
use leora_catalog::entities::customers;
use leora_identity::entities::users;
use leora_tenancy::TenantTx;
use leora_tenancy::filter::FilterIfGiven;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::notifications::{NewNotification, Recipient, TASK_ASSIGNED, instant_value, notify};
use super::settings;
use super::validate::{note, title};
use super::viewer::Viewer;
use crate::entities::enums::Priority;
use crate::entities::tasks::{self, TaskStatus};
use crate::error::IntelligenceError;

const ENTITY: &str = "task";

#[derive(Debug, Clone)]
pub struct NewTask {
    /// `None` is the acting user; managers assign to their reports, admins to anyone.
    pub assignee_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    /// `None` is normal.
    pub priority: Option<Priority>,
}

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub assignee_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// Any of these; empty means any status.
    pub statuses: Vec<TaskStatus>,
    /// Inclusive, on `due_at`.
    pub due_from: Option<DateTime<Utc>>,
    /// Inclusive.
    pub due_to: Option<DateTime<Utc>>,
}

/// Creates an open task. `BadInput` on `title` or `description`; `Forbidden` for an assignee
/// outside the viewer's team; `NotFound` customer or user.
pub async fn create_task(tx: &TenantTx, input: NewTask) -> Result<tasks::Model, IntelligenceError> {
    let ctx = tx.context();
    let viewer = Viewer::resolve(tx).await?;
    let assignee = viewer.act_for(input.assignee_id, "assigneeId")?;
    let title = title("title", &input.title)?;
    let description = note("description", input.description)?;
    if let Some(customer) = input.customer_id
        && customers::Entity::find_by_id(customer)
            .one(tx)
            .await?
            .is_none()
    {
        return Err(IntelligenceError::not_found("customer"));
    }
    user_exists(tx, assignee).await?;
    let task = tasks::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(ctx.tenant_id()),
        assignee_user_id: Set(assignee),
        created_by_user_id: Set(viewer.user_id),
        customer_id: Set(input.customer_id),
        title: Set(title),
        description: Set(description),
        due_at: Set(input.due_at),
        priority: Set(input.priority.unwrap_or(Priority::Normal)),
        status: Set(TaskStatus::Open),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    notify_assignee(tx, &viewer, &task).await?;
    Ok(task)
}

/// Changes to a task: `None` leaves a field as it is; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub priority: Option<Priority>,
}

/// One task the viewer may see; any other → `NotFound`.
pub async fn task(tx: &TenantTx, id: Uuid) -> Result<tasks::Model, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    tasks::Entity::find_by_id(id)
        .filter(visible(&viewer))
        .one(tx)
        .await?
        .ok_or(IntelligenceError::not_found(ENTITY))
}

/// Edits an open or in-progress task, with the rules of [`complete_task`]: `BadInput` on `title`
/// or `description`.
pub async fn update_task(
    tx: &TenantTx,
    id: Uuid,
    changes: TaskChanges,
) -> Result<tasks::Model, IntelligenceError> {
    let title = changes.title.map(|raw| title("title", &raw)).transpose()?;
    let description = changes
        .description
        .map(|raw| note("description", raw))
        .transpose()?;
    let task = assignees_active_task(tx, id, "update").await?;
    let mut model: tasks::ActiveModel = task.into();
    if let Some(title) = title {
        model.title = Set(title);
    }
    if let Some(description) = description {
        model.description = Set(description);
    }
    if let Some(due_at) = changes.due_at {
        model.due_at = Set(due_at);
    }
    if let Some(priority) = changes.priority {
        model.priority = Set(priority);
    }
    Ok(model.update(tx).await?)
}

/// Cancels an open or in-progress task, with the rules of [`complete_task`].
pub async fn cancel_task(tx: &TenantTx, id: Uuid) -> Result<tasks::Model, IntelligenceError> {
    let task = assignees_active_task(tx, id, "cancel").await?;
    let mut model: tasks::ActiveModel = task.into();
    model.status = Set(TaskStatus::Cancelled);
    Ok(model.update(tx).await?)
}

/// An open or in-progress task the viewer sees and may act on for its assignee, locked.
async fn assignees_active_task(
    tx: &TenantTx,
    id: Uuid,
    action: &'static str,
) -> Result<tasks::Model, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    let task = visible_for_update(tx, &viewer, id).await?;
    viewer.check_act_for(task.assignee_user_id)?;
    require_active(&task, action)?;
    Ok(task)
}

/// Completes an open or in-progress task the viewer can see.
pub async fn complete_task(tx: &TenantTx, id: Uuid) -> Result<tasks::Model, IntelligenceError> {
    let ctx = tx.context();
    // A colleague who shares the account sees the task but does not close it for its assignee.
    let task = assignees_active_task(tx, id, "complete").await?;
    let now = settings::load(tx, ctx.tenant_id()).await?.now;
    let mut model: tasks::ActiveModel = task.into();
    model.status = Set(TaskStatus::Completed);
    model.completed_at = Set(Some(now));
    Ok(model.update(tx).await?)
}

/// Gives an open or in-progress task to another member of the viewer's team (anyone, for
/// admins), and notifies them.
pub async fn reassign_task(
    tx: &TenantTx,
    id: Uuid,
    assignee_id: Uuid,
) -> Result<tasks::Model, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    let task = visible_for_update(tx, &viewer, id).await?;
    viewer.check_act_for(task.assignee_user_id)?;
    viewer.check_act_for(assignee_id)?;
    require_active(&task, "reassign")?;
    user_exists(tx, assignee_id).await?;
    if task.assignee_user_id == assignee_id {
        return Ok(task);
    }
    let mut model: tasks::ActiveModel = task.into();
    model.assignee_user_id = Set(assignee_id);
    let task = model.update(tx).await?;
    notify_assignee(tx, &viewer, &task).await?;
    Ok(task)
}

/// The tasks the viewer may see that match `filter`, by due date (undated last).
pub async fn tasks(
    tx: &TenantTx,
    filter: &TaskFilter,
) -> Result<Select<tasks::Entity>, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    let select = tasks::Entity::find()
        .filter(visible(&viewer))
        .filter_eq(tasks::Column::AssigneeUserId, filter.assignee_id)
        .filter_eq(tasks::Column::CustomerId, filter.customer_id)
        .filter_in(tasks::Column::Status, filter.statuses.iter().copied())
        .filter_within(tasks::Column::DueAt, filter.due_from, filter.due_to);
    Ok(select.order_by_with_nulls(
        tasks::Column::DueAt,
        sea_orm::Order::Asc,
        sea_orm::sea_query::NullOrdering::Last,
    ))
}

fn visible(viewer: &Viewer) -> sea_orm::Condition {
    viewer.sees(
        &[
            tasks::Column::AssigneeUserId,
            tasks::Column::CreatedByUserId,
        ],
        tasks::Column::CustomerId,
    )
}

async fn visible_for_update(
    tx: &DatabaseTransaction,
    viewer: &Viewer,
    id: Uuid,
) -> Result<tasks::Model, IntelligenceError> {
    tasks::Entity::find_by_id(id)
        .filter(visible(viewer))
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(IntelligenceError::not_found(ENTITY))
}

fn require_active(task: &tasks::Model, action: &'static str) -> Result<(), IntelligenceError> {
    if matches!(task.status, TaskStatus::Open | TaskStatus::InProgress) {
        Ok(())
    } else {
        Err(IntelligenceError::invalid_transition(
            "a task",
            task.status.to_value(),
            action,
        ))
    }
}

async fn user_exists(tx: &DatabaseTransaction, id: Uuid) -> Result<(), IntelligenceError> {
    users::Entity::find_by_id(id)
        .one(tx)
        .await?
        .map(drop)
        .ok_or(IntelligenceError::not_found("user"))
}

/// Tells the assignee, unless they assigned the task to themselves.
async fn notify_assignee(
    tx: &DatabaseTransaction,
    viewer: &Viewer,
    task: &tasks::Model,
) -> Result<(), IntelligenceError> {
    if viewer.user_id == Some(task.assignee_user_id) {
        return Ok(());
    }
    let notification = NewNotification {
        recipient: Recipient::User(task.assignee_user_id),
        kind: TASK_ASSIGNED,
        title: format!("New task: {}", task.title),
        body: task.description.clone().unwrap_or_default(),
        priority: task.priority,
        data: json!({
            "taskId": task.id,
            "customerId": task.customer_id,
            "assignedBy": viewer.user_id,
            "dueAt": task.due_at.map(instant_value),
        }),
    };
    notify(tx, task.tenant_id, vec![notification]).await?;
    Ok(())
}
