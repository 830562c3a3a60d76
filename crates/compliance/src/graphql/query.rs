//! Compliance queries: staff with `compliance.view`.

use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{ApiResult, Date, Permission, RequirePermission, Session};

use super::inputs::{ComplianceFilingFilter, StateTaxRateFilter};
use super::types::{ComplianceFiling, StateFilingCalendar, StateTaxRate, parse_id};
use crate::entities::{compliance_filings, state_tax_rates};
use crate::service::filings::{self, tenant_today};
use crate::service::tax_rates;

#[derive(Default)]
pub struct ComplianceQuery;

#[Object]
impl ComplianceQuery {
    /// Excise rates by state, category and start date.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::ComplianceView)"
    )]
    async fn state_tax_rates(
        &self,
        ctx: &Context<'_>,
        filter: Option<StateTaxRateFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<StateTaxRate>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = tax_rates::state_tax_rates(&filter);
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            state_tax_rates::Column::Id,
            page,
            StateTaxRate,
        )
        .await?)
    }

    /// Filings by due date; statuses are as of today in the tenant's time zone.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::ComplianceView)"
    )]
    async fn compliance_filings(
        &self,
        ctx: &Context<'_>,
        filter: Option<ComplianceFilingFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<ComplianceFiling>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let tx = Session::of(ctx)?.tx();
        let (today, _) = tenant_today(tx).await?;
        let select = filings::filings(&filter.unwrap_or_default().into(), today)?;
        Ok(
            paginate(tx, select, compliance_filings::Column::Id, page, |filing| {
                ComplianceFiling { filing, today }
            })
            .await?,
        )
    }

    #[graphql(guard = "RequirePermission(Permission::ComplianceView)")]
    async fn compliance_filing(&self, ctx: &Context<'_>, id: ID) -> ApiResult<ComplianceFiling> {
        let tx = Session::of(ctx)?.tx();
        let (today, _) = tenant_today(tx).await?;
        let filing = filings::filing(tx, parse_id("id", &id)?).await?;
        Ok(ComplianceFiling { filing, today })
    }

    /// What falls due from `from` to `to` (inclusive), state by state.
    #[graphql(guard = "RequirePermission(Permission::ComplianceView)")]
    async fn compliance_calendar(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        state: Option<String>,
    ) -> ApiResult<Vec<StateFilingCalendar>> {
        let tx = Session::of(ctx)?.tx();
        let (today, _) = tenant_today(tx).await?;
        let calendar = filings::calendar(tx, from.0, to.0, state.as_deref()).await?;
        Ok(calendar
            .into_iter()
            .map(|(state, filings)| StateFilingCalendar {
                state,
                filings,
                today,
            })
            .collect())
    }
}
