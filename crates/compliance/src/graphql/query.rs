//! Compliance queries: staff with `compliance.view`.

use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, ResolverError, Session};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use super::inputs::{ComplianceFilingFilter, StateTaxRateFilter};
use super::types::{ComplianceFiling, StateFilingCalendar, StateTaxRate, parse_id};
use crate::entities::{compliance_filings, state_tax_rates};
use crate::error::ComplianceError;
use crate::service::filings::{self, tenant_today};
use crate::service::states::parse_state_code;

#[derive(Default)]
pub struct ComplianceQuery;

#[Object]
impl ComplianceQuery {
    /// Excise rates by state, category and start date.
    #[graphql(guard = "RequirePermission(Permission::ComplianceView)")]
    async fn state_tax_rates(
        &self,
        ctx: &Context<'_>,
        filter: Option<StateTaxRateFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<StateTaxRate>> {
        use state_tax_rates::Column;
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default();
        let mut select = state_tax_rates::Entity::find();
        if let Some(state) = &filter.state {
            let state = parse_state_code(state).ok_or_else(|| {
                ResolverError::bad_input(
                    "filter.state",
                    "must be a two-letter state code such as CA",
                )
            })?;
            select = select.filter(Column::State.eq(state));
        }
        if let Some(category) = filter.product_category {
            let category: crate::entities::enums::ProductCategory = category.into();
            select = select.filter(Column::ProductCategory.eq(category));
        }
        if let Some(on) = filter.active_on {
            select = select.filter(Column::EffectiveFrom.lte(on)).filter(
                Condition::any()
                    .add(Column::EffectiveUntil.is_null())
                    .add(Column::EffectiveUntil.gt(on)),
            );
        }
        let select = select
            .order_by_asc(Column::State)
            .order_by_asc(Column::ProductCategory)
            .order_by_asc(Column::EffectiveFrom);
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            Column::Id,
            page,
            StateTaxRate,
        )
        .await?)
    }

    /// Filings by due date; statuses are as of today in the tenant's time zone.
    #[graphql(guard = "RequirePermission(Permission::ComplianceView)")]
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
        let filing = compliance_filings::Entity::find_by_id(parse_id("id", &id)?)
            .one(tx)
            .await?
            .ok_or(ComplianceError::NotFound {
                entity: "compliance filing",
            })?;
        Ok(ComplianceFiling { filing, today })
    }

    /// What falls due from `from` to `to` (inclusive), state by state.
    #[graphql(guard = "RequirePermission(Permission::ComplianceView)")]
    async fn compliance_calendar(
        &self,
        ctx: &Context<'_>,
        from: NaiveDate,
        to: NaiveDate,
        state: Option<String>,
    ) -> ApiResult<Vec<StateFilingCalendar>> {
        let tx = Session::of(ctx)?.tx();
        let (today, _) = tenant_today(tx).await?;
        let calendar = filings::calendar(tx, from, to, state.as_deref()).await?;
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
