//! Filters and mutation inputs for the compliance API.

use async_graphql::{Enum, InputObject, MaybeUndefined};
use chrono::NaiveDate;
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::Money;
use leora_tenancy::graphql::{ApiResult, ResolverError};
use rust_decimal::Decimal;

use super::types::{FilingStatus, ProductCategory, TaxRateKind};
use crate::service::filings::{FilingFilter, NewFiling, Review, Submission};
use crate::service::states::parse_state_code;
use crate::service::tax_rates::{NewTaxRate, TaxRateChanges, TaxRateFilter};

#[derive(InputObject, Default)]
pub struct StateTaxRateFilter {
    /// Two-letter code.
    pub state: Option<String>,
    pub product_category: Option<ProductCategory>,
    /// Only the rates in force on this day.
    pub active_on: Option<NaiveDate>,
}

impl StateTaxRateFilter {
    pub fn into_filter(self) -> ApiResult<TaxRateFilter> {
        let state = self
            .state
            .map(|state| {
                parse_state_code(&state).ok_or_else(|| {
                    ResolverError::bad_input(
                        "filter.state",
                        "must be a two-letter state code such as CA",
                    )
                })
            })
            .transpose()?;
        Ok(TaxRateFilter {
            state,
            category: self.product_category.map(Into::into),
            in_force_on: self.active_on,
        })
    }
}

#[derive(InputObject)]
pub struct CreateStateTaxRateInput {
    pub state: String,
    pub product_category: ProductCategory,
    pub rate_kind: TaxRateKind,
    pub rate: Decimal,
    pub effective_from: NaiveDate,
    /// Exclusive; omit while the rate has no announced end.
    pub effective_until: Option<NaiveDate>,
}

impl From<CreateStateTaxRateInput> for NewTaxRate {
    fn from(input: CreateStateTaxRateInput) -> Self {
        NewTaxRate {
            state: input.state,
            category: input.product_category.into(),
            kind: input.rate_kind.into(),
            rate: input.rate,
            effective_from: input.effective_from,
            effective_until: input.effective_until,
        }
    }
}

/// Omitted fields stay as they are; `effectiveUntil: null` removes the end.
#[derive(InputObject)]
pub struct UpdateStateTaxRateInput {
    pub state: Option<String>,
    pub product_category: Option<ProductCategory>,
    pub rate_kind: Option<TaxRateKind>,
    pub rate: Option<Decimal>,
    pub effective_from: Option<NaiveDate>,
    pub effective_until: MaybeUndefined<NaiveDate>,
}

impl From<UpdateStateTaxRateInput> for TaxRateChanges {
    fn from(input: UpdateStateTaxRateInput) -> Self {
        TaxRateChanges {
            state: input.state,
            category: input.product_category.map(Into::into),
            kind: input.rate_kind.map(Into::into),
            rate: input.rate,
            effective_from: input.effective_from,
            effective_until: input.effective_until.into(),
        }
    }
}

#[derive(InputObject, Default)]
pub struct ComplianceFilingFilter {
    pub state: Option<String>,
    pub filing_type: Option<String>,
    /// Any of these statuses (as of today); all when absent or empty.
    pub statuses: Option<Vec<FilingStatus>>,
    /// Due on or after.
    pub due_from: Option<NaiveDate>,
    /// Due on or before.
    pub due_to: Option<NaiveDate>,
}

impl From<ComplianceFilingFilter> for FilingFilter {
    fn from(filter: ComplianceFilingFilter) -> Self {
        FilingFilter {
            state: filter.state,
            filing_type: filter.filing_type,
            statuses: any_of(filter.statuses),
            due_from: filter.due_from,
            due_to: filter.due_to,
        }
    }
}

#[derive(InputObject)]
pub struct CreateComplianceFilingInput {
    pub state: String,
    pub filing_type: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: Option<Money>,
    pub notes: Option<String>,
}

impl From<CreateComplianceFilingInput> for NewFiling {
    fn from(input: CreateComplianceFilingInput) -> Self {
        NewFiling {
            state: input.state,
            filing_type: input.filing_type,
            period_start: input.period_start,
            period_end: input.period_end,
            due_date: input.due_date,
            amount: input.amount.map(|value| value.0),
            notes: input.notes,
        }
    }
}

#[derive(InputObject)]
pub struct SubmitComplianceFilingInput {
    /// The regulator's confirmation number.
    pub reference: String,
    /// The amount filed; omit to keep the amount recorded earlier.
    pub amount: Option<Money>,
    pub notes: Option<String>,
}

impl From<SubmitComplianceFilingInput> for Submission {
    fn from(input: SubmitComplianceFilingInput) -> Self {
        Submission {
            reference: input.reference,
            amount: input.amount.map(|value| value.0),
            notes: input.notes,
        }
    }
}

/// The regulator's verdict on a submitted filing.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum FilingReview {
    Accept,
    Reject,
}

impl From<FilingReview> for Review {
    fn from(review: FilingReview) -> Self {
        match review {
            FilingReview::Accept => Review::Accept,
            FilingReview::Reject => Review::Reject,
        }
    }
}
