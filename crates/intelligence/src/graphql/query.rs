//! Intelligence queries. The guards decide who may ask; the services decide what each principal
//! sees (reps their own, managers their team's, admins everything; notifications their own).

use async_graphql::{Context, ID, Object};
use leora_catalog::entities::customers;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::keyset::{Keyset, KeysetPage, paginate_keyset};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate, paginate_by_position};
use leora_tenancy::graphql::{
    ApiResult, Permission, RequireAuthenticated, RequirePermission, Session,
};

use super::inputs::{
    AccountHealthFilter, ActivityFilter, ActivityOrder, CallPlanFilter, DepletionFilterInput,
    NotificationOrder, SalesMetricsFilter, TaskFilter, TaskOrder,
};
use super::types::{
    AccountHealth, Activity, CallPlan, DepletionGroup, DepletionPeriod, DepletionRow,
    HealthSnapshot, LicenseExpiry, Notification, SalesMetric, Task, parse_id,
};
use crate::entities::{account_health_snapshots, call_plans, sales_metrics};
use crate::service::depletions::{DepletionRequest, MAX_DEPLETION_ROWS};
use crate::service::{self, settings};

#[derive(Default)]
pub struct IntelligenceQuery;

#[Object]
impl IntelligenceQuery {
    /// Activities, newest first unless sorted otherwise: yours and your accounts' (reps), your team's (managers), all
    /// (admins). Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "RequirePermission(Permission::ActivitiesView)"
    )]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActivityFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<ActivityOrder>,
    ) -> ApiResult<Page<Activity>> {
        let keyset = ActivityOrder::keyset(order_by);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = service::activities::activities(session.tx(), &filter).await?;
        Ok(paginate_keyset(session.tx(), select, &keyset, page, Activity).await?)
    }

    #[graphql(guard = "RequirePermission(Permission::ActivitiesView)")]
    async fn activity(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Activity> {
        let session = Session::of(ctx)?;
        let activity = service::activities::activity(session.tx(), parse_id("id", &id)?).await?;
        Ok(Activity(activity))
    }

    /// One call plan, with the visibility of `callPlans`.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesView)")]
    async fn call_plan(&self, ctx: &Context<'_>, id: ID) -> ApiResult<CallPlan> {
        let session = Session::of(ctx)?;
        let plan =
            crate::service::call_plans::call_plan(session.tx(), parse_id("id", &id)?).await?;
        Ok(CallPlan(plan))
    }

    /// One task, with the visibility of `tasks`.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesView)")]
    async fn task(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Task> {
        let session = Session::of(ctx)?;
        let task = crate::service::tasks::task(session.tx(), parse_id("id", &id)?).await?;
        Ok(Task(task))
    }

    /// Call plans, soonest first, with the visibility of `activities`. Pages both ways with
    /// stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "RequirePermission(Permission::ActivitiesView)"
    )]
    async fn call_plans(
        &self,
        ctx: &Context<'_>,
        filter: Option<CallPlanFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<CallPlan>> {
        let keyset = Keyset::by(
            call_plans::Column::ScheduledFor,
            sea_orm::Order::Asc,
            call_plans::Column::Id,
        );
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = service::call_plans::call_plans(session.tx(), &filter).await?;
        Ok(paginate_keyset(session.tx(), select, &keyset, page, CallPlan).await?)
    }

    /// Tasks, soonest due first (undated last) unless sorted otherwise: assigned to or created by you or your team, or about
    /// your team's accounts; all for admins.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "RequirePermission(Permission::ActivitiesView)"
    )]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<TaskOrder>,
    ) -> ApiResult<Page<Task>> {
        let keyset = TaskOrder::keyset(order_by);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = service::tasks::tasks(session.tx(), &filter).await?;
        Ok(paginate_keyset(session.tx(), select, &keyset, page, Task).await?)
    }

    /// A customer's latest health snapshot and its history. Reps and managers see their team's
    /// accounts only.
    #[graphql(guard = "RequirePermission(Permission::AnalyticsView)")]
    async fn account_health(&self, ctx: &Context<'_>, customer_id: ID) -> ApiResult<AccountHealth> {
        let session = Session::of(ctx)?;
        let customer_id = parse_id("customerId", &customer_id)?;
        let latest = service::health::latest(session.tx(), customer_id).await?;
        Ok(AccountHealth {
            customer_id,
            latest,
        })
    }

    /// The latest health run's snapshots of the accounts you may see, worst score first.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::AnalyticsView)"
    )]
    async fn account_health_overview(
        &self,
        ctx: &Context<'_>,
        filter: Option<AccountHealthFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<HealthSnapshot>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = service::health::overview(session.tx(), &filter).await?;
        Ok(paginate_by_position(
            session.tx(),
            select,
            account_health_snapshots::Column::Id,
            page,
            HealthSnapshot,
        )
        .await?)
    }

    /// Revenue, order count, average order value and units per period, by period start. Reps and
    /// managers see their team's rep figures and their team's accounts; tenant totals are for
    /// admins.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::AnalyticsView)"
    )]
    async fn sales_metrics(
        &self,
        ctx: &Context<'_>,
        filter: SalesMetricsFilter,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<SalesMetric>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.into_filter()?;
        let select = service::metrics::sales_metrics(session.tx(), &filter).await?;
        Ok(paginate(
            session.tx(),
            select,
            sales_metrics::Column::Id,
            page,
            SalesMetric,
        )
        .await?)
    }

    /// Depletions: units that left the warehouse on fulfilled and delivered orders, by the day
    /// each order was fulfilled (the tenant's calendar), grouped by up to three keys and
    /// optionally a period; one row per group and period, ordered by period, then the keys in the
    /// order given. Reps and managers get their team's accounts, admins every account. A report
    /// of more than 5,000 rows is refused (`BAD_USER_INPUT` on `groupBy`), never cut short.
    #[graphql(
        complexity = "cost::capped(MAX_DEPLETION_ROWS, child_complexity)",
        guard = "RequirePermission(Permission::AnalyticsView)"
    )]
    async fn depletions(
        &self,
        ctx: &Context<'_>,
        filter: DepletionFilterInput,
        group_by: Vec<DepletionGroup>,
        period: Option<DepletionPeriod>,
    ) -> ApiResult<Vec<DepletionRow>> {
        let session = Session::of(ctx)?;
        let request = DepletionRequest {
            filter: filter.into_filter()?,
            group_by: group_by.into_iter().map(Into::into).collect(),
            period: period.map(Into::into),
        };
        let rows = service::depletions::depletions(session.tx(), &request).await?;
        Ok(rows.into_iter().map(DepletionRow).collect())
    }

    /// Your notifications, newest first unless sorted otherwise (staff and portal users alike). Pages both ways with
    /// stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "RequireAuthenticated"
    )]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] unread_only: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<NotificationOrder>,
    ) -> ApiResult<Page<Notification>> {
        let keyset = NotificationOrder::keyset(order_by);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let select = service::notifications::inbox(session.context(), unread_only)?;
        Ok(paginate_keyset(session.tx(), select, &keyset, page, Notification).await?)
    }

    #[graphql(guard = "RequireAuthenticated")]
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        let session = Session::of(ctx)?;
        Ok(service::notifications::unread_count(session.tx()).await?)
    }

    /// Open customers whose liquor licence expires within `withinDays` days (from today, in the
    /// tenant's time zone), soonest first; with `includeExpired`, lapsed ones too.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::ComplianceView)"
    )]
    async fn expiring_licenses(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] within_days: i32,
        #[graphql(default)] include_expired: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<LicenseExpiry>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let today = settings::load(session.tx(), session.tenant_id())
            .await?
            .today;
        let select = service::licenses::expiring_licenses(today, within_days, include_expired)?;
        Ok(paginate(
            session.tx(),
            select,
            customers::Column::Id,
            page,
            |customer| LicenseExpiry { customer, today },
        )
        .await?)
    }
}
