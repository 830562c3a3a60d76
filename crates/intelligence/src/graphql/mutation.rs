//! Intelligence mutations. Rep workflow writes need `activities.manage`, deciding sample pulls
//! `samples.approve`, running the health job `analytics.manage`; anyone signed in manages their own
//! notifications.

use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::{
    ApiResult, Instant, Permission, RequireAuthenticated, RequirePermission, Session,
};

use super::inputs::{CreateTaskInput, LogActivityInput, ScheduleCallInput, UpdateTaskInput};
use super::types::{Activity, CallPlan, HealthRunSummary, Notification, Task, parse_id};
use crate::service::samples::{SampleDecision, decide_sample_pull};
use crate::service::{activities, call_plans, job, notifications, tasks};

#[derive(Default)]
pub struct IntelligenceMutation;

#[Object]
impl IntelligenceMutation {
    /// Records a visit, call, email, tasting or sample pull. A pull beyond the rep's monthly
    /// allowance is recorded with `sampleApprovalStatus: PENDING` until a manager decides it.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn log_activity(
        &self,
        ctx: &Context<'_>,
        input: LogActivityInput,
    ) -> ApiResult<Activity> {
        let session = Session::of(ctx)?;
        let activity = activities::log_activity(session.tx(), input.into_new()?).await?;
        Ok(Activity(activity))
    }

    /// Approves a pending sample pull of one of your reports (any, for admins); never your own.
    #[graphql(guard = "RequirePermission(Permission::SamplesApprove)")]
    async fn approve_sample_pull(&self, ctx: &Context<'_>, activity_id: ID) -> ApiResult<Activity> {
        decide(ctx, &activity_id, SampleDecision::Approve).await
    }

    /// Rejects a pending sample pull; it then no longer counts against the allowance.
    #[graphql(guard = "RequirePermission(Permission::SamplesApprove)")]
    async fn reject_sample_pull(&self, ctx: &Context<'_>, activity_id: ID) -> ApiResult<Activity> {
        decide(ctx, &activity_id, SampleDecision::Reject).await
    }

    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn schedule_call(
        &self,
        ctx: &Context<'_>,
        input: ScheduleCallInput,
    ) -> ApiResult<CallPlan> {
        let session = Session::of(ctx)?;
        let plan = call_plans::schedule_call(session.tx(), input.into_new()?).await?;
        Ok(CallPlan(plan))
    }

    /// Completes a planned (or missed) call.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn complete_call(
        &self,
        ctx: &Context<'_>,
        id: ID,
        outcome: Option<String>,
    ) -> ApiResult<CallPlan> {
        let session = Session::of(ctx)?;
        let plan = call_plans::complete_call(session.tx(), parse_id("id", &id)?, outcome).await?;
        Ok(CallPlan(plan))
    }

    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn cancel_call(&self, ctx: &Context<'_>, id: ID) -> ApiResult<CallPlan> {
        let session = Session::of(ctx)?;
        let plan = call_plans::cancel_call(session.tx(), parse_id("id", &id)?).await?;
        Ok(CallPlan(plan))
    }

    /// Moves a planned or missed call to another time; it is planned again. The rep, their
    /// manager or an admin.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn reschedule_call(
        &self,
        ctx: &Context<'_>,
        id: ID,
        scheduled_for: Instant,
    ) -> ApiResult<CallPlan> {
        let session = Session::of(ctx)?;
        let plan = call_plans::reschedule_call(session.tx(), parse_id("id", &id)?, scheduled_for.0)
            .await?;
        Ok(CallPlan(plan))
    }

    /// Creates a task; assigning it to someone else notifies them.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn create_task(&self, ctx: &Context<'_>, input: CreateTaskInput) -> ApiResult<Task> {
        let session = Session::of(ctx)?;
        let task = tasks::create_task(session.tx(), input.into_new()?).await?;
        Ok(Task(task))
    }

    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn complete_task(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Task> {
        let session = Session::of(ctx)?;
        let task = tasks::complete_task(session.tx(), parse_id("id", &id)?).await?;
        Ok(Task(task))
    }

    /// Edits an open or in-progress task: its assignee, their manager or an admin.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn update_task(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateTaskInput,
    ) -> ApiResult<Task> {
        let session = Session::of(ctx)?;
        let task =
            tasks::update_task(session.tx(), parse_id("id", &id)?, input.into_changes()).await?;
        Ok(Task(task))
    }

    /// Cancels an open or in-progress task: its assignee, their manager or an admin.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn cancel_task(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Task> {
        let session = Session::of(ctx)?;
        let task = tasks::cancel_task(session.tx(), parse_id("id", &id)?).await?;
        Ok(Task(task))
    }

    /// Gives a task to another member of your team (anyone, for admins) and notifies them.
    #[graphql(guard = "RequirePermission(Permission::ActivitiesManage)")]
    async fn reassign_task(&self, ctx: &Context<'_>, id: ID, assignee_id: ID) -> ApiResult<Task> {
        let session = Session::of(ctx)?;
        let task = tasks::reassign_task(
            session.tx(),
            parse_id("id", &id)?,
            parse_id("assigneeId", &assignee_id)?,
        )
        .await?;
        Ok(Task(task))
    }

    /// Runs the health job for the tenant now (as `leora jobs health` does): snapshots, sales
    /// metrics, missed calls, notifications, filing statuses, over every account of the tenant.
    /// Managers and admins.
    #[graphql(guard = "RequirePermission(Permission::AnalyticsManage)")]
    async fn refresh_account_health(&self, ctx: &Context<'_>) -> ApiResult<HealthRunSummary> {
        let session = Session::of(ctx)?;
        let tenant_id = session.tenant_id();
        let summary = session
            .tx()
            .over_every_account(async |tx| job::run(tx, tenant_id, None).await)
            .await?;
        Ok(HealthRunSummary(summary))
    }

    #[graphql(guard = "RequireAuthenticated")]
    async fn mark_notification_read(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Notification> {
        let session = Session::of(ctx)?;
        let notification = notifications::mark_read(session.tx(), parse_id("id", &id)?).await?;
        Ok(Notification(notification))
    }

    /// Marks all your unread notifications read; returns how many.
    #[graphql(guard = "RequireAuthenticated")]
    async fn mark_all_notifications_read(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        let session = Session::of(ctx)?;
        Ok(notifications::mark_all_read(session.tx()).await?)
    }
}

async fn decide(
    ctx: &Context<'_>,
    activity_id: &ID,
    decision: SampleDecision,
) -> ApiResult<Activity> {
    let session = Session::of(ctx)?;
    let activity =
        decide_sample_pull(session.tx(), parse_id("activityId", activity_id)?, decision).await?;
    Ok(Activity(activity))
}
