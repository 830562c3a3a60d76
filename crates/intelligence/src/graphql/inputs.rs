//! Filters and mutation inputs, converted to the services' types (ids parsed, naming the field).

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::ApiResult;
use leora_tenancy::graphql::ids::parse_optional_id;
use leora_tenancy::graphql::keyset::Keyset;
use leora_tenancy::graphql::pagination::SortDirection;
use leora_tenancy::graphql::{Date, Instant};
use uuid::Uuid;

use super::types::{
    ActivityKind, CallPlanStatus, MetricPeriod, MetricSubject, PaceStatus, Priority,
    SalesMetricKind, SampleApprovalStatus, TaskStatus, parse_id,
};
use crate::entities;
use crate::service::activities::{self, NewActivity, SamplePull};
use crate::service::call_plans::{self, NewCallPlan};
use crate::service::depletions;
use crate::service::health::OverviewFilter;
use crate::service::metrics::MetricsFilter;
use crate::service::tasks::{self, NewTask, TaskChanges};

#[derive(InputObject, Default)]
pub struct ActivityFilter {
    pub rep_id: Option<ID>,
    pub customer_id: Option<ID>,
    pub kind: Option<ActivityKind>,
    /// Any of these; all approval statuses when absent or empty.
    pub approval_statuses: Option<Vec<SampleApprovalStatus>>,
    /// Occurred at or after.
    pub occurred_from: Option<Instant>,
    /// Occurred at or before.
    pub occurred_to: Option<Instant>,
}

impl ActivityFilter {
    pub fn into_filter(self) -> ApiResult<activities::ActivityFilter> {
        Ok(activities::ActivityFilter {
            rep_id: parse_optional_id("filter.repId", self.rep_id.as_ref())?,
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            kind: self.kind.map(Into::into),
            approval_statuses: any_of(self.approval_statuses),
            occurred_from: self.occurred_from.map(|value| value.0),
            occurred_to: self.occurred_to.map(|value| value.0),
        })
    }
}

#[derive(InputObject)]
pub struct SamplePullInput {
    pub sku_id: ID,
    /// Units (bottles) pulled.
    pub quantity: i32,
}

#[derive(InputObject)]
pub struct LogActivityInput {
    /// Defaults to you; managers may log for their reports, admins for anyone.
    pub rep_id: Option<ID>,
    pub customer_id: ID,
    pub kind: ActivityKind,
    /// Defaults to now.
    pub occurred_at: Option<Instant>,
    pub notes: Option<String>,
    pub outcome: Option<String>,
    /// Required for, and only for, `SAMPLE` activities.
    pub sample: Option<SamplePullInput>,
}

impl LogActivityInput {
    pub fn into_new(self) -> ApiResult<NewActivity> {
        Ok(NewActivity {
            rep_id: parse_optional_id("repId", self.rep_id.as_ref())?,
            customer_id: parse_id("customerId", &self.customer_id)?,
            kind: self.kind.into(),
            occurred_at: self.occurred_at.map(|value| value.0),
            notes: self.notes,
            outcome: self.outcome,
            sample: self
                .sample
                .map(|sample| -> ApiResult<SamplePull> {
                    Ok(SamplePull {
                        sku_id: parse_id("sample.skuId", &sample.sku_id)?,
                        quantity: sample.quantity,
                    })
                })
                .transpose()?,
        })
    }
}

#[derive(InputObject, Default)]
pub struct CallPlanFilter {
    pub rep_id: Option<ID>,
    pub customer_id: Option<ID>,
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<CallPlanStatus>>,
    /// Scheduled at or after.
    pub scheduled_from: Option<Instant>,
    /// Scheduled at or before.
    pub scheduled_to: Option<Instant>,
}

impl CallPlanFilter {
    pub fn into_filter(self) -> ApiResult<call_plans::CallPlanFilter> {
        Ok(call_plans::CallPlanFilter {
            rep_id: parse_optional_id("filter.repId", self.rep_id.as_ref())?,
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            statuses: any_of(self.statuses),
            scheduled_from: self.scheduled_from.map(|value| value.0),
            scheduled_to: self.scheduled_to.map(|value| value.0),
        })
    }
}

#[derive(InputObject)]
pub struct ScheduleCallInput {
    /// Defaults to you; managers may schedule for their reports, admins for anyone.
    pub rep_id: Option<ID>,
    pub customer_id: ID,
    pub scheduled_for: Instant,
    pub objective: String,
}

impl ScheduleCallInput {
    pub fn into_new(self) -> ApiResult<NewCallPlan> {
        Ok(NewCallPlan {
            rep_id: parse_optional_id("repId", self.rep_id.as_ref())?,
            customer_id: parse_id("customerId", &self.customer_id)?,
            scheduled_for: self.scheduled_for.0,
            objective: self.objective,
        })
    }
}

#[derive(InputObject, Default)]
pub struct TaskFilter {
    pub assignee_id: Option<ID>,
    pub customer_id: Option<ID>,
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<TaskStatus>>,
    /// Due at or after.
    pub due_from: Option<Instant>,
    /// Due at or before.
    pub due_to: Option<Instant>,
}

impl TaskFilter {
    pub fn into_filter(self) -> ApiResult<tasks::TaskFilter> {
        Ok(tasks::TaskFilter {
            assignee_id: parse_optional_id("filter.assigneeId", self.assignee_id.as_ref())?,
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            statuses: any_of(self.statuses),
            due_from: self.due_from.map(|value| value.0),
            due_to: self.due_to.map(|value| value.0),
        })
    }
}

#[derive(InputObject)]
pub struct CreateTaskInput {
    /// Defaults to you; managers may assign to their reports, admins to anyone.
    pub assignee_id: Option<ID>,
    pub customer_id: Option<ID>,
    pub title: String,
    pub description: Option<String>,
    pub due_at: Option<Instant>,
    /// Defaults to `NORMAL`.
    pub priority: Option<Priority>,
}

impl CreateTaskInput {
    pub fn into_new(self) -> ApiResult<NewTask> {
        Ok(NewTask {
            assignee_id: parse_optional_id("assigneeId", self.assignee_id.as_ref())?,
            customer_id: parse_optional_id("customerId", self.customer_id.as_ref())?,
            title: self.title,
            description: self.description,
            due_at: self.due_at.map(|value| value.0),
            priority: self.priority.map(Into::into),
        })
    }
}

#[derive(InputObject)]
pub struct SalesMetricsFilter {
    pub period: MetricPeriod,
    /// All four when absent or empty.
    pub metrics: Option<Vec<SalesMetricKind>>,
    /// Rep, customer and tenant rows when absent.
    pub subject: Option<MetricSubject>,
    pub rep_id: Option<ID>,
    pub customer_id: Option<ID>,
    /// The first period: those starting on or after this day. Plain `from`/`to`, as they bound
    /// the metric periods themselves, each in or out whole.
    pub from: Option<Date>,
    /// The last period: those starting on or before this day.
    pub to: Option<Date>,
}

impl SalesMetricsFilter {
    pub fn into_filter(self) -> ApiResult<MetricsFilter> {
        Ok(MetricsFilter {
            period: self.period.into(),
            metrics: any_of(self.metrics),
            subject: self.subject.map(Into::into),
            rep_id: parse_optional_id("filter.repId", self.rep_id.as_ref())?,
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            from: self.from.map(|date| date.0),
            to: self.to.map(|date| date.0),
        })
    }
}

#[derive(InputObject, Default)]
pub struct AccountHealthFilter {
    #[graphql(default)]
    pub at_risk_only: bool,
    /// Any of these; all pace statuses when absent or empty.
    pub pace_statuses: Option<Vec<PaceStatus>>,
    /// Accounts assigned to this rep.
    pub rep_id: Option<ID>,
    /// Health scores at or below this.
    pub max_score: Option<i32>,
}

impl AccountHealthFilter {
    pub fn into_filter(self) -> ApiResult<OverviewFilter> {
        Ok(OverviewFilter {
            at_risk_only: self.at_risk_only,
            pace_statuses: any_of(self.pace_statuses),
            rep_id: parse_optional_id("filter.repId", self.rep_id.as_ref())?,
            max_score: self.max_score,
        })
    }
}

/// Omitted fields stay as they are; `null` clears `description` or `dueAt`.
#[derive(InputObject)]
pub struct UpdateTaskInput {
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub due_at: MaybeUndefined<Instant>,
    pub priority: Option<Priority>,
}

impl UpdateTaskInput {
    pub fn into_changes(self) -> TaskChanges {
        TaskChanges {
            title: self.title,
            description: self.description.into(),
            due_at: Option::<Option<Instant>>::from(self.due_at)
                .map(|due: Option<Instant>| due.map(|at| at.0)),
            priority: self.priority.map(Into::into),
        }
    }
}

/// Which order lines a depletion report covers: those of the days `from` to `to` (both included,
/// the tenant's calendar, at most 366 days apart), narrowed by each list given (any of its
/// values; absent or empty narrows nothing).
#[derive(InputObject)]
#[graphql(name = "DepletionFilter")]
pub struct DepletionFilterInput {
    pub from: Date,
    pub to: Date,
    pub sku_ids: Option<Vec<ID>>,
    pub product_ids: Option<Vec<ID>>,
    pub brands: Option<Vec<String>>,
    pub supplier_ids: Option<Vec<ID>>,
    pub customer_ids: Option<Vec<ID>>,
    /// The accounts' current reps.
    pub rep_ids: Option<Vec<ID>>,
    /// The customers' states, two-letter codes.
    pub states: Option<Vec<String>>,
}

impl DepletionFilterInput {
    pub fn into_filter(self) -> ApiResult<depletions::DepletionFilter> {
        Ok(depletions::DepletionFilter {
            from: self.from.0,
            to: self.to.0,
            sku_ids: ids("filter.skuIds", self.sku_ids)?,
            product_ids: ids("filter.productIds", self.product_ids)?,
            brands: self.brands.unwrap_or_default(),
            supplier_ids: ids("filter.supplierIds", self.supplier_ids)?,
            customer_ids: ids("filter.customerIds", self.customer_ids)?,
            rep_ids: ids("filter.repIds", self.rep_ids)?,
            states: self.states.unwrap_or_default(),
        })
    }
}

fn ids(field: &str, ids: Option<Vec<ID>>) -> ApiResult<Vec<Uuid>> {
    ids.unwrap_or_default()
        .iter()
        .map(|id| parse_id(field, id))
        .collect()
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActivitySortField {
    /// When it happened (a visit logged afterwards keeps its day).
    #[default]
    OccurredAt,
    /// When it was logged.
    CreatedAt,
}

/// How `activities` sorts: newest first by default.
#[derive(InputObject)]
pub struct ActivityOrder {
    #[graphql(default)]
    pub field: ActivitySortField,
    #[graphql(default_with = "SortDirection::Desc")]
    pub direction: SortDirection,
}

impl ActivityOrder {
    pub fn keyset(order: Option<Self>) -> Keyset<entities::activities::Column> {
        use entities::activities::Column;
        let Self { field, direction } = order.unwrap_or(Self {
            field: ActivitySortField::OccurredAt,
            direction: SortDirection::Desc,
        });
        let column = match field {
            ActivitySortField::OccurredAt => Column::OccurredAt,
            ActivitySortField::CreatedAt => Column::CreatedAt,
        };
        Keyset::by(column, direction.into(), Column::Id)
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
#[expect(
    clippy::enum_variant_names,
    reason = "the values name the columns clients sort by"
)]
pub enum TaskSortField {
    /// Tasks without a due date come last in either direction.
    #[default]
    DueAt,
    CreatedAt,
    UpdatedAt,
}

/// How `tasks` sorts: soonest due first by default.
#[derive(InputObject)]
pub struct TaskOrder {
    #[graphql(default)]
    pub field: TaskSortField,
    #[graphql(default)]
    pub direction: SortDirection,
}

impl TaskOrder {
    pub fn keyset(order: Option<Self>) -> Keyset<entities::tasks::Column> {
        use entities::tasks::Column;
        let Self { field, direction } = order.unwrap_or(Self {
            field: TaskSortField::DueAt,
            direction: SortDirection::Asc,
        });
        let column = match field {
            TaskSortField::DueAt => Column::DueAt,
            TaskSortField::CreatedAt => Column::CreatedAt,
            TaskSortField::UpdatedAt => Column::UpdatedAt,
        };
        Keyset::by(column, direction.into(), Column::Id)
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotificationSortField {
    #[default]
    CreatedAt,
    /// Unread notifications come last in either direction.
    ReadAt,
}

/// How `notifications` sorts: newest first by default.
#[derive(InputObject)]
pub struct NotificationOrder {
    #[graphql(default)]
    pub field: NotificationSortField,
    #[graphql(default_with = "SortDirection::Desc")]
    pub direction: SortDirection,
}

impl NotificationOrder {
    pub fn keyset(order: Option<Self>) -> Keyset<entities::notifications::Column> {
        use entities::notifications::Column;
        let Self { field, direction } = order.unwrap_or(Self {
            field: NotificationSortField::CreatedAt,
            direction: SortDirection::Desc,
        });
        let column = match field {
            NotificationSortField::CreatedAt => Column::CreatedAt,
            NotificationSortField::ReadAt => Column::ReadAt,
        };
        Keyset::by(column, direction.into(), Column::Id)
    }
}
