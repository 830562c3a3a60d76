//! The customer filter, sort order and mutation inputs. Updates use `MaybeUndefined` for nullable
//! fields: omitted leaves a field as it is, `null` clears it.

use super::types::{CustomerStatus, PaymentTerms};
use async_graphql::{Enum, ID, InputObject, Json, MaybeUndefined};
use leora_catalog::service::customers::{self, CustomerChanges, CustomerSort, NewCustomer};
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::ApiResult;
use leora_tenancy::graphql::ids::parse_optional_id;
use leora_tenancy::graphql::pagination::SortDirection;
use leora_tenancy::graphql::patch::{patch, patch_id};
use leora_tenancy::graphql::{Date, Money};
use serde_json::Value;

#[derive(InputObject, Default)]
pub struct CustomerFilter {
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<CustomerStatus>>,
    pub assigned_rep_id: Option<ID>,
    pub state: Option<String>,
    /// Matches the name, ignoring case.
    pub search: Option<String>,
}

impl CustomerFilter {
    pub fn into_filter(self) -> ApiResult<customers::CustomerFilter> {
        Ok(customers::CustomerFilter {
            statuses: any_of(self.statuses),
            assigned_rep_id: parse_optional_id(
                "filter.assignedRepId",
                self.assigned_rep_id.as_ref(),
            )?,
            state: self.state,
            search: self.search,
        })
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerSortField {
    #[default]
    Name,
    AccountNumber,
    CreatedAt,
}

impl From<CustomerSortField> for CustomerSort {
    fn from(field: CustomerSortField) -> Self {
        match field {
            CustomerSortField::Name => Self::Name,
            CustomerSortField::AccountNumber => Self::AccountNumber,
            CustomerSortField::CreatedAt => Self::CreatedAt,
        }
    }
}

#[derive(InputObject, Default)]
pub struct CustomerOrder {
    #[graphql(default)]
    pub field: CustomerSortField,
    #[graphql(default)]
    pub direction: SortDirection,
}

#[derive(InputObject)]
pub struct CreateCustomerInput {
    pub account_number: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub license_number: Option<String>,
    pub license_state: Option<String>,
    pub license_expires_on: Option<Date>,
    /// Two-letter state code; decides excise tax.
    pub state: String,
    pub price_tier: Option<String>,
    pub payment_terms: Option<PaymentTerms>,
    pub credit_limit: Option<Money>,
    pub assigned_rep_id: Option<ID>,
    pub billing_address: Option<Json<Value>>,
    pub shipping_address: Option<Json<Value>>,
}

impl CreateCustomerInput {
    pub fn into_new(self) -> ApiResult<NewCustomer> {
        Ok(NewCustomer {
            account_number: self.account_number,
            name: self.name,
            email: self.email,
            phone: self.phone,
            license_number: self.license_number,
            license_state: self.license_state,
            license_expires_on: self.license_expires_on.map(|date| date.0),
            state: self.state,
            price_tier: self.price_tier,
            payment_terms: self.payment_terms.map(Into::into),
            credit_limit: self.credit_limit.map(|value| value.0),
            assigned_rep_id: parse_optional_id("assignedRepId", self.assigned_rep_id.as_ref())?,
            billing_address: self.billing_address.map(|a| a.0),
            shipping_address: self.shipping_address.map(|a| a.0),
        })
    }
}

#[derive(InputObject)]
pub struct UpdateCustomerInput {
    pub account_number: Option<String>,
    pub name: Option<String>,
    pub email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub license_number: MaybeUndefined<String>,
    pub license_state: MaybeUndefined<String>,
    pub license_expires_on: MaybeUndefined<Date>,
    pub state: Option<String>,
    pub price_tier: MaybeUndefined<String>,
    pub payment_terms: Option<PaymentTerms>,
    pub credit_limit: MaybeUndefined<Money>,
    pub assigned_rep_id: MaybeUndefined<ID>,
    pub billing_address: MaybeUndefined<Json<Value>>,
    pub shipping_address: MaybeUndefined<Json<Value>>,
    pub status: Option<CustomerStatus>,
}

impl UpdateCustomerInput {
    pub fn into_changes(self) -> ApiResult<CustomerChanges> {
        Ok(CustomerChanges {
            account_number: self.account_number,
            name: self.name,
            email: patch(self.email),
            phone: patch(self.phone),
            license_number: patch(self.license_number),
            license_state: patch(self.license_state),
            license_expires_on: patch(self.license_expires_on.map_value(|date| date.0)),
            state: self.state,
            price_tier: patch(self.price_tier),
            payment_terms: self.payment_terms.map(Into::into),
            credit_limit: patch(self.credit_limit.map_value(|value| value.0)),
            assigned_rep_id: patch_id("assignedRepId", self.assigned_rep_id)?,
            billing_address: patch(self.billing_address).map(|a| a.map(|a| a.0)),
            shipping_address: patch(self.shipping_address).map(|a| a.map(|a| a.0)),
            status: self.status.map(Into::into),
        })
    }
}
