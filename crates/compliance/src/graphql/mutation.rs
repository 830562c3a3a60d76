//! Compliance administration: staff with `compliance.manage`.

use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session};

use super::inputs::{
    CreateComplianceFilingInput, CreateStateTaxRateInput, FilingReview,
    SubmitComplianceFilingInput, UpdateStateTaxRateInput,
};
use super::types::{ComplianceFiling, StateTaxRate, parse_id};
use crate::service::filings::{self, tenant_today};
use crate::service::tax_rates;

#[derive(Default)]
pub struct ComplianceMutation;

#[Object]
impl ComplianceMutation {
    /// Adds a rate; a window overlapping another rate of the same state and category is a
    /// `CONFLICT` on `effectiveFrom`.
    #[graphql(guard = "RequirePermission(Permission::ComplianceManage)")]
    async fn create_state_tax_rate(
        &self,
        ctx: &Context<'_>,
        input: CreateStateTaxRateInput,
    ) -> ApiResult<StateTaxRate> {
        let session = Session::of(ctx)?;
        let rate = tax_rates::create_state_tax_rate(session.tx(), input.into()).await?;
        Ok(StateTaxRate(rate))
    }

    #[graphql(guard = "RequirePermission(Permission::ComplianceManage)")]
    async fn update_state_tax_rate(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateStateTaxRateInput,
    ) -> ApiResult<StateTaxRate> {
        let tx = Session::of(ctx)?.tx();
        let rate = tax_rates::update_state_tax_rate(tx, parse_id("id", &id)?, input.into()).await?;
        Ok(StateTaxRate(rate))
    }

    #[graphql(guard = "RequirePermission(Permission::ComplianceManage)")]
    async fn delete_state_tax_rate(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let tx = Session::of(ctx)?.tx();
        tax_rates::delete_state_tax_rate(tx, parse_id("id", &id)?).await?;
        Ok(true)
    }

    /// Records a filing obligation; the same state, type and period start twice is a `CONFLICT`.
    #[graphql(guard = "RequirePermission(Permission::ComplianceManage)")]
    async fn create_compliance_filing(
        &self,
        ctx: &Context<'_>,
        input: CreateComplianceFilingInput,
    ) -> ApiResult<ComplianceFiling> {
        let session = Session::of(ctx)?;
        let (today, _) = tenant_today(session.tx()).await?;
        let filing = filings::create_filing(session.tx(), input.into(), today).await?;
        Ok(ComplianceFiling { filing, today })
    }

    /// Submits a due, overdue or rejected filing; anything else is an `INVALID_TRANSITION`.
    #[graphql(guard = "RequirePermission(Permission::ComplianceManage)")]
    async fn submit_compliance_filing(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: SubmitComplianceFilingInput,
    ) -> ApiResult<ComplianceFiling> {
        let tx = Session::of(ctx)?.tx();
        let (today, now) = tenant_today(tx).await?;
        let filing =
            filings::submit_filing(tx, parse_id("id", &id)?, input.into(), today, now).await?;
        Ok(ComplianceFiling { filing, today })
    }

    /// Records the regulator's acceptance or rejection of a submitted filing.
    #[graphql(guard = "RequirePermission(Permission::ComplianceManage)")]
    async fn review_compliance_filing(
        &self,
        ctx: &Context<'_>,
        id: ID,
        decision: FilingReview,
        notes: Option<String>,
    ) -> ApiResult<ComplianceFiling> {
        let tx = Session::of(ctx)?.tx();
        let (today, _) = tenant_today(tx).await?;
        let filing =
            filings::review_filing(tx, parse_id("id", &id)?, decision.into(), notes).await?;
        Ok(ComplianceFiling { filing, today })
    }
}
