//! Output types: newtypes over intelligence rows, with their relations batched through the
//! request's loaders.

use async_graphql::{Context, ID, Json, Object};
use chrono::NaiveDate;
use leora_catalog::graphql::loaders::{CustomerById, SkuById};
use leora_catalog::graphql::types::Sku;
use leora_identity::graphql::User;
use leora_orders::graphql::Customer;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{ApiResult, Session};
use leora_tenancy::graphql::{Date, Exact, Instant, Money};
use leora_tenancy::mirror_enum;
use uuid::Uuid;

use super::loaders::UserById;
use crate::entities::account_health_snapshots::{self as snapshot_rows, PaceStatus as StoredPace};
use crate::entities::activities::{
    self, ActivityKind as StoredActivityKind, SampleApprovalStatus as StoredApproval,
};
use crate::entities::call_plans::{self, CallPlanStatus as StoredCallPlanStatus};
use crate::entities::enums::Priority as StoredPriority;
use crate::entities::notifications;
use crate::entities::sales_metrics::{
    self, MetricKind as StoredMetricKind, MetricPeriod as StoredMetricPeriod,
};
use crate::entities::tasks::{self, TaskStatus as StoredTaskStatus};
use crate::service::depletions::{
    self, DepletionKey as StoredDepletionKey, DepletionPeriod as StoredDepletionPeriod,
};
use crate::service::health::rules::RiskFlag as StoredRiskFlag;
use crate::service::health::snapshots::risk_flags;
use crate::service::job::HealthRunSummary as Summary;
use crate::service::licenses;
use crate::service::metrics::MetricSubject as StoredMetricSubject;
pub(crate) use leora_tenancy::graphql::ids::{id, parse_id};

mirror_enum!(ActivityKind <=> StoredActivityKind { Visit, Call, Email, Tasting, Sample });
mirror_enum!(
    /// Whether a sample pull needed, and got, a manager's approval.
    SampleApprovalStatus <=> StoredApproval { NotRequired, Pending, Approved, Rejected }
);
mirror_enum!(CallPlanStatus <=> StoredCallPlanStatus { Planned, Completed, Cancelled, Missed });
mirror_enum!(TaskStatus <=> StoredTaskStatus { Open, InProgress, Completed, Cancelled });
mirror_enum!(Priority <=> StoredPriority { Low, Normal, High, Urgent });
mirror_enum!(
    /// Whether a customer reorders at its usual pace.
    PaceStatus <=> StoredPace { OnTrack, AtRisk, InsufficientData }
);
mirror_enum!(
    /// Why an account is at risk.
    RiskFlag <=> StoredRiskFlag { RevenueDrop, PaceAtRisk }
);
mirror_enum!(
    SalesMetricKind <=> StoredMetricKind { Revenue, OrderCount, AverageOrderValue, Units }
);
mirror_enum!(
    /// Days; ISO weeks starting on Monday; calendar months (in the tenant's time zone).
    MetricPeriod <=> StoredMetricPeriod { Day, Week, Month }
);

mirror_enum!(
    /// What a depletion report may group by. `REP` is the account's rep now; `STATE` the
    /// customer's state.
    DepletionGroup <=> StoredDepletionKey { Sku, Product, Brand, Supplier, Customer, Rep, State }
);
mirror_enum!(
    /// Days; ISO weeks starting on Monday; calendar months (in the tenant's time zone).
    DepletionPeriod <=> StoredDepletionPeriod { Day, Week, Month }
);

async fn customer(ctx: &Context<'_>, customer_id: Uuid) -> ApiResult<Option<Customer>> {
    let loader = Session::of(ctx)?.loader(CustomerById);
    Ok(loader.load_one(customer_id).await?.map(Customer))
}

async fn staff(ctx: &Context<'_>, user_id: Uuid) -> ApiResult<Option<User>> {
    let loader = Session::of(ctx)?.loader(UserById);
    Ok(loader.load_one(user_id).await?.map(User))
}

pub struct Activity(pub activities::Model);

#[Object]
impl Activity {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn kind(&self) -> ActivityKind {
        self.0.kind.into()
    }
    async fn occurred_at(&self) -> Instant {
        self.0.occurred_at.into()
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn rep_id(&self) -> ID {
        id(self.0.user_id)
    }
    /// The rep the activity is recorded for.
    async fn rep(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        staff(ctx, self.0.user_id).await
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Option<Customer>> {
        customer(ctx, self.0.customer_id).await
    }
    /// The SKU pulled, for sample activities.
    async fn sample_sku(&self, ctx: &Context<'_>) -> ApiResult<Option<Sku>> {
        let Some(sku_id) = self.0.sample_sku_id else {
            return Ok(None);
        };
        let loader = Session::of(ctx)?.loader(SkuById);
        Ok(loader.load_one(sku_id).await?.map(Sku))
    }
    /// Units pulled, for sample activities.
    async fn sample_quantity(&self) -> Option<i32> {
        self.0.sample_quantity
    }
    async fn sample_approval_status(&self) -> SampleApprovalStatus {
        self.0.sample_approval_status.into()
    }
    /// Who approved or rejected a pull beyond the allowance.
    async fn approved_by_id(&self) -> Option<ID> {
        self.0.approved_by_user_id.map(id)
    }
    async fn approved_at(&self) -> Option<Instant> {
        self.0.approved_at.map(Instant)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
}

pub struct CallPlan(pub call_plans::Model);

#[Object]
impl CallPlan {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn rep_id(&self) -> ID {
        id(self.0.user_id)
    }
    async fn rep(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        staff(ctx, self.0.user_id).await
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Option<Customer>> {
        customer(ctx, self.0.customer_id).await
    }
    async fn scheduled_for(&self) -> Instant {
        self.0.scheduled_for.into()
    }
    async fn objective(&self) -> &str {
        &self.0.objective
    }
    async fn status(&self) -> CallPlanStatus {
        self.0.status.into()
    }
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn completed_at(&self) -> Option<Instant> {
        self.0.completed_at.map(Instant)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
}

pub struct Task(pub tasks::Model);

#[Object]
impl Task {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn assignee_id(&self) -> ID {
        id(self.0.assignee_user_id)
    }
    async fn assignee(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        staff(ctx, self.0.assignee_user_id).await
    }
    async fn created_by_id(&self) -> Option<ID> {
        self.0.created_by_user_id.map(id)
    }
    async fn customer_id(&self) -> Option<ID> {
        self.0.customer_id.map(id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Option<Customer>> {
        match self.0.customer_id {
            Some(customer_id) => customer(ctx, customer_id).await,
            None => Ok(None),
        }
    }
    async fn due_at(&self) -> Option<Instant> {
        self.0.due_at.map(Instant)
    }
    async fn priority(&self) -> Priority {
        self.0.priority.into()
    }
    async fn status(&self) -> TaskStatus {
        self.0.status.into()
    }
    async fn completed_at(&self) -> Option<Instant> {
        self.0.completed_at.map(Instant)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
}

/// A customer's health on one date, computed by the health job.
pub struct HealthSnapshot(pub snapshot_rows::Model);

#[Object]
impl HealthSnapshot {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Option<Customer>> {
        customer(ctx, self.0.customer_id).await
    }
    async fn snapshot_date(&self) -> Date {
        self.0.snapshot_date.into()
    }
    /// Days in each compared revenue period.
    async fn period_days(&self) -> i32 {
        self.0.period_days
    }
    /// Revenue (order subtotals) in the period ending on the snapshot date.
    async fn revenue_current(&self) -> Money {
        Money(self.0.revenue_current)
    }
    /// Revenue in the period before it.
    async fn revenue_previous(&self) -> Money {
        Money(self.0.revenue_previous)
    }
    /// Percent change from the previous period (−15.5 is a 15.5 % drop); null without previous
    /// revenue.
    async fn revenue_change_pct(&self) -> Option<Exact> {
        self.0.revenue_change_pct.map(Exact)
    }
    /// Orders in the last year.
    async fn order_count(&self) -> i32 {
        self.0.order_count
    }
    async fn days_since_last_order(&self) -> Option<i32> {
        self.0.days_since_last_order
    }
    async fn avg_reorder_interval_days(&self) -> Option<Exact> {
        self.0.avg_reorder_interval_days.map(Exact)
    }
    async fn pace_status(&self) -> PaceStatus {
        self.0.pace_status.into()
    }
    /// 0 (lost) to 100 (healthy).
    async fn health_score(&self) -> i32 {
        self.0.health_score
    }
    async fn risk_flags(&self) -> Vec<RiskFlag> {
        risk_flags(&self.0)
            .into_iter()
            .map(RiskFlag::from)
            .collect()
    }
    async fn at_risk(&self) -> bool {
        !risk_flags(&self.0).is_empty()
    }
    /// Sample units pulled for the customer in the current period.
    async fn samples_used(&self) -> i32 {
        self.0.samples_used
    }
}

/// A customer's latest health snapshot and its history.
pub struct AccountHealth {
    pub customer_id: Uuid,
    pub latest: Option<snapshot_rows::Model>,
}

#[Object]
impl AccountHealth {
    /// The customer's id: there is one account health per customer.
    async fn id(&self) -> ID {
        id(self.customer_id)
    }
    async fn customer_id(&self) -> ID {
        id(self.customer_id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Option<Customer>> {
        customer(ctx, self.customer_id).await
    }
    /// Null until the health job has assessed the customer.
    async fn latest(&self) -> Option<HealthSnapshot> {
        self.latest.clone().map(HealthSnapshot)
    }
    /// Every snapshot, newest first.
    #[graphql(complexity = "cost::page(first, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<HealthSnapshot>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let select = crate::service::health::history(session.tx(), self.customer_id).await?;
        Ok(paginate(
            session.tx(),
            select,
            snapshot_rows::Column::Id,
            page,
            HealthSnapshot,
        )
        .await?)
    }
}

mirror_enum!(
    /// Whose figures a sales metric holds.
    MetricSubject <=> StoredMetricSubject { Rep, Customer, Tenant }
);

pub struct SalesMetric(pub sales_metrics::Model);

#[Object]
impl SalesMetric {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn metric(&self) -> SalesMetricKind {
        self.0.metric.into()
    }
    async fn period(&self) -> MetricPeriod {
        self.0.period.into()
    }
    async fn period_start(&self) -> Date {
        self.0.period_start.into()
    }
    /// Money for revenue and average order value; a count for orders and units.
    async fn value(&self) -> Exact {
        self.0.value.into()
    }
    async fn subject(&self) -> MetricSubject {
        StoredMetricSubject::of(&self.0).into()
    }
    async fn rep_id(&self) -> Option<ID> {
        self.0.user_id.map(id)
    }
    async fn rep(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match self.0.user_id {
            Some(user_id) => staff(ctx, user_id).await,
            None => Ok(None),
        }
    }
    async fn customer_id(&self) -> Option<ID> {
        self.0.customer_id.map(id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Option<Customer>> {
        match self.0.customer_id {
            Some(customer_id) => customer(ctx, customer_id).await,
            None => Ok(None),
        }
    }
}

pub struct Notification(pub notifications::Model);

#[Object]
impl Notification {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// What happened: `order.status_changed`, `account.at_risk`, `task.assigned`, `task.due`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn priority(&self) -> Priority {
        self.0.priority.into()
    }
    async fn read(&self) -> bool {
        self.0.read_at.is_some()
    }
    async fn read_at(&self) -> Option<Instant> {
        self.0.read_at.map(Instant)
    }
    /// Ids of what the notification is about (`orderId`, `customerId`, `taskId` …), with enum
    /// values spelt as the API's enums (`"to": "CONFIRMED"`, `"riskFlags": ["REVENUE_DROP"]`) and
    /// instants as `DateTime` writes them.
    async fn data(&self) -> Json<serde_json::Value> {
        Json(self.0.data.clone())
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
}

/// What one run of the health job did.
pub struct HealthRunSummary(pub Summary);

#[Object]
impl HealthRunSummary {
    async fn snapshot_date(&self) -> Date {
        self.0.snapshot_date.into()
    }
    async fn snapshots(&self) -> u64 {
        self.0.snapshots
    }
    async fn at_risk(&self) -> u64 {
        self.0.at_risk
    }
    async fn newly_at_risk(&self) -> u64 {
        self.0.newly_at_risk
    }
    async fn metric_rows(&self) -> u64 {
        self.0.metric_rows
    }
    async fn calls_missed(&self) -> u64 {
        self.0.calls_missed
    }
    async fn notifications(&self) -> u64 {
        self.0.notifications
    }
    async fn filings_updated(&self) -> u64 {
        self.0.filings_updated
    }
}

/// A customer whose liquor licence expires soon (or has expired).
pub struct LicenseExpiry {
    pub customer: leora_catalog::entities::customers::Model,
    pub today: NaiveDate,
}

#[Object]
impl LicenseExpiry {
    /// The customer's id: a customer holds one licence.
    async fn id(&self) -> ID {
        id(self.customer.id)
    }
    async fn customer(&self) -> Customer {
        Customer(self.customer.clone())
    }
    async fn license_number(&self) -> Option<&str> {
        self.customer.license_number.as_deref()
    }
    async fn license_state(&self) -> Option<&str> {
        self.customer.license_state.as_deref()
    }
    async fn expires_on(&self) -> Option<Date> {
        self.customer.license_expires_on.map(Date)
    }
    /// Negative once expired.
    async fn days_until_expiry(&self) -> Option<i64> {
        self.customer
            .license_expires_on
            .map(|on| licenses::days_until(self.today, on))
    }
    async fn expired(&self) -> bool {
        self.customer
            .license_expires_on
            .is_some_and(|on| licenses::has_expired(self.today, on))
    }
}

pub struct DepletionRow(pub depletions::DepletionRow);

/// One group of a depletion report. The keys the report was not grouped by are null; a key it was
/// grouped by is null for lines without one (a product without a brand or supplier, an account
/// without a rep).
#[Object]
impl DepletionRow {
    async fn sku_id(&self) -> Option<ID> {
        self.0.sku_id.map(id)
    }
    async fn product_id(&self) -> Option<ID> {
        self.0.product_id.map(id)
    }
    async fn brand(&self) -> Option<&str> {
        self.0.brand.as_deref()
    }
    async fn supplier_id(&self) -> Option<ID> {
        self.0.supplier_id.map(id)
    }
    async fn customer_id(&self) -> Option<ID> {
        self.0.customer_id.map(id)
    }
    /// The rep the account is assigned to now.
    async fn rep_id(&self) -> Option<ID> {
        self.0.rep_id.map(id)
    }
    /// The customer's state.
    async fn state(&self) -> Option<&str> {
        self.0.state.as_deref()
    }
    /// The first day of the period, when the report has one; the first and last periods hold
    /// only the days of the range.
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }
    /// Bottles that left the warehouse, samples included.
    async fn units(&self) -> i64 {
        self.0.units
    }
    /// Units over each SKU's units per case, summed exactly and rounded once to four places.
    async fn cases(&self) -> Exact {
        self.0.cases.into()
    }
    /// The lines' totals after discount and before tax; sample lines are not revenue.
    async fn revenue(&self) -> Money {
        self.0.revenue.into()
    }
    /// Distinct orders with a line in the group.
    async fn order_count(&self) -> i64 {
        self.0.order_count
    }
}
