//! Filters and mutation inputs for the compliance API.

use async_graphql::{Enum, InputObject, MaybeUndefined};
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::{ApiResult, ResolverError};
use leora_tenancy::graphql::{Date, Exact, Money};

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
    pub active_on: Option<Date>,
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
            in_force_on: self.active_on.map(|date| date.0),
        })
    }
}

#[derive(InputObject)]
pub struct CreateStateTaxRateInput {
    pub state: String,
    pub product_category: ProductCategory,
    pub rate_kind: TaxRateKind,
    pub rate: Exact,
    pub effective_from: Date,
    /// Exclusive; omit while the rate has no announced end.
    pub effective_until: Option<Date>,
}

impl From<CreateStateTaxRateInput> for NewTaxRate {
    fn from(input: CreateStateTaxRateInput) -> Self {
        NewTaxRate {
            state: input.state,
            category: input.product_category.into(),
            kind: input.rate_kind.into(),
            rate: input.rate.0,
            effective_from: input.effective_from.0,
            effective_until: input.effective_until.map(|date| date.0),
        }
    }
}

/// Omitted fields stay as they are; `effectiveUntil: null` removes the end.
#[derive(InputObject)]
pub struct UpdateStateTaxRateInput {
    pub state: Option<String>,
    pub product_category: Option<ProductCategory>,
    pub rate_kind: Option<TaxRateKind>,
    pub rate: Option<Exact>,
    pub effective_from: Option<Date>,
    pub effective_until: MaybeUndefined<Date>,
}

impl From<UpdateStateTaxRateInput> for TaxRateChanges {
    fn from(input: UpdateStateTaxRateInput) -> Self {
        TaxRateChanges {
            state: input.state,
            category: input.product_category.map(Into::into),
            kind: input.rate_kind.map(Into::into),
            rate: input.rate.map(|rate| rate.0),
            effective_from: input.effective_from.map(|date| date.0),
            effective_until: input.effective_until.map_value(|date| date.0).into(),
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
    pub due_from: Option<Date>,
    /// Due on or before.
    pub due_to: Option<Date>,
}

impl From<ComplianceFilingFilter> for FilingFilter {
    fn from(filter: ComplianceFilingFilter) -> Self {
        FilingFilter {
            state: filter.state,
            filing_type: filter.filing_type,
            statuses: any_of(filter.statuses),
            due_from: filter.due_from.map(|date| date.0),
            due_to: filter.due_to.map(|date| date.0),
        }
    }
}

#[derive(InputObject)]
pub struct CreateComplianceFilingInput {
    pub state: String,
    pub filing_type: String,
    pub period_start: Date,
    pub period_end: Date,
    pub due_date: Date,
    pub amount: Option<Money>,
    pub notes: Option<String>,
}

impl From<CreateComplianceFilingInput> for NewFiling {
    fn from(input: CreateComplianceFilingInput) -> Self {
        NewFiling {
            state: input.state,
            filing_type: input.filing_type,
            period_start: input.period_start.0,
            period_end: input.period_end.0,
            due_date: input.due_date.0,
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
