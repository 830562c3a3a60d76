//! Customer accounts: the licensed restaurants, shops and bars a tenant sells to.

use chrono::NaiveDate;
use leora_tenancy::TenantTx;
use leora_tenancy::error::{find_visible, not_found_unless_updated};
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::search::search_pattern;
use leora_tenancy::sql::{Violation, violated_constraint};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, Order, QueryFilter, QueryOrder, Select, Set, Statement,
};
use serde_json::Value;
use uuid::Uuid;

use super::validate::{
    json_object, money, optional_email, optional_text, price_tier, required_text, state,
};
use crate::entities::customers::{self, CustomerStatus, PaymentTerms};
use crate::error::CatalogError;

const ENTITY: &str = "customer";
/// `credit_limit` is numeric(14, 2).
const CREDIT_PRECISION: u32 = 14;

#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    /// Any of these; empty means any status.
    pub statuses: Vec<CustomerStatus>,
    pub assigned_rep_id: Option<Uuid>,
    /// A state code, in any case.
    pub state: Option<String>,
    /// Matches the name, ignoring case; blank matches every customer.
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerSort {
    Name,
    AccountNumber,
    CreatedAt,
}

/// The customers matching `filter`, sorted by `sort` in `direction` (the caller breaks ties).
/// Row-level security shows a portal user its own customer only.
pub fn customers(
    filter: &CustomerFilter,
    sort: CustomerSort,
    direction: Order,
) -> Select<customers::Entity> {
    let mut select = customers::Entity::find()
        .filter_in(customers::Column::Status, filter.statuses.iter().copied())
        .filter_eq(customers::Column::AssignedRepId, filter.assigned_rep_id);
    if let Some(state) = &filter.state {
        select = select.filter(customers::Column::State.eq(state.trim().to_uppercase()));
    }
    if let Some(pattern) = search_pattern(filter.search.as_deref()) {
        select = select.filter(Expr::cust_with_values("name ILIKE $1", [pattern]));
    }
    select.order_by(sort_column(sort), direction)
}

/// The column a customer sort sorts on.
pub fn sort_column(sort: CustomerSort) -> customers::Column {
    match sort {
        CustomerSort::Name => customers::Column::Name,
        CustomerSort::AccountNumber => customers::Column::AccountNumber,
        CustomerSort::CreatedAt => customers::Column::CreatedAt,
    }
}

/// One customer the transaction can see; any other → `NotFound`.
pub async fn customer(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<customers::Model, CatalogError> {
    find_visible::<customers::Entity, _>(tx, id, ENTITY).await
}

#[derive(Debug, Clone)]
pub struct NewCustomer {
    /// Unique within the tenant.
    pub account_number: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub license_number: Option<String>,
    pub license_state: Option<String>,
    pub license_expires_on: Option<NaiveDate>,
    /// Where the customer is, which decides its excise tax.
    pub state: String,
    pub price_tier: Option<String>,
    /// `None` is net 30.
    pub payment_terms: Option<PaymentTerms>,
    pub credit_limit: Option<Decimal>,
    pub assigned_rep_id: Option<Uuid>,
    pub billing_address: Option<Value>,
    pub shipping_address: Option<Value>,
}

/// Changes to a customer: `None` leaves a field as it is; for optional fields `Some(None)`
/// clears it.
#[derive(Debug, Clone, Default)]
pub struct CustomerChanges {
    pub account_number: Option<String>,
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub license_number: Option<Option<String>>,
    pub license_state: Option<Option<String>>,
    pub license_expires_on: Option<Option<NaiveDate>>,
    pub state: Option<String>,
    pub price_tier: Option<Option<String>>,
    pub payment_terms: Option<PaymentTerms>,
    pub credit_limit: Option<Option<Decimal>>,
    pub assigned_rep_id: Option<Option<Uuid>>,
    pub billing_address: Option<Option<Value>>,
    pub shipping_address: Option<Option<Value>>,
    pub status: Option<CustomerStatus>,
}

/// Adds an active customer. Bad input → `BadInput` naming the field (`accountNumber`, `name`,
/// `email`, `licenseState`, `state`, `priceTier`, `creditLimit`, `billingAddress`,
/// `shippingAddress`); an account number the tenant already uses → `Conflict` on
/// `accountNumber`; a rep the tenant does not have → `NotFound` user. A user who sees only their
/// team's accounts creates them for their team: assigned to themselves when they name no rep, and
/// `Forbidden` when they name one outside it.
pub async fn create_customer(
    tx: &TenantTx,
    input: NewCustomer,
) -> Result<customers::Model, CatalogError> {
    let tenant_id = tx.tenant_id();
    let assigned_rep_id = match (account_team(tx).await?, input.assigned_rep_id) {
        (Some(_), None) => tx.context().user_id(),
        (Some(team), Some(rep)) => Some(within_team(&team, rep)?),
        (None, named) => named,
    };
    customers::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        account_number: Set(required_text("accountNumber", &input.account_number)?),
        name: Set(required_text("name", &input.name)?),
        email: Set(optional_email("email", input.email)?),
        phone: Set(optional_text(input.phone)),
        license_number: Set(optional_text(input.license_number)),
        license_state: Set(license_state(input.license_state)?),
        license_expires_on: Set(input.license_expires_on),
        state: Set(state("state", &input.state)?),
        price_tier: Set(tier(input.price_tier)?),
        payment_terms: Set(input.payment_terms.unwrap_or(PaymentTerms::Net30)),
        credit_limit: Set(credit_limit(input.credit_limit)?),
        assigned_rep_id: Set(assigned_rep_id),
        billing_address: Set(address("billingAddress", input.billing_address)?),
        shipping_address: Set(address("shippingAddress", input.shipping_address)?),
        status: Set(CustomerStatus::Active),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(write_error)
}

/// Changes a customer, with the rules of [`create_customer`]; a user who sees only their team's
/// accounts may hand one only to another team member, never leave it unassigned.
pub async fn update_customer(
    tx: &DatabaseTransaction,
    id: Uuid,
    changes: CustomerChanges,
) -> Result<customers::Model, CatalogError> {
    let mut customer: customers::ActiveModel = customer(tx, id).await?.into();
    if let Some(account_number) = changes.account_number {
        customer.account_number = Set(required_text("accountNumber", &account_number)?);
    }
    if let Some(name) = changes.name {
        customer.name = Set(required_text("name", &name)?);
    }
    if let Some(email) = changes.email {
        customer.email = Set(optional_email("email", email)?);
    }
    if let Some(phone) = changes.phone {
        customer.phone = Set(optional_text(phone));
    }
    if let Some(license_number) = changes.license_number {
        customer.license_number = Set(optional_text(license_number));
    }
    if let Some(value) = changes.license_state {
        customer.license_state = Set(license_state(value)?);
    }
    if let Some(license_expires_on) = changes.license_expires_on {
        customer.license_expires_on = Set(license_expires_on);
    }
    if let Some(value) = changes.state {
        customer.state = Set(state("state", &value)?);
    }
    if let Some(value) = changes.price_tier {
        customer.price_tier = Set(tier(value)?);
    }
    if let Some(payment_terms) = changes.payment_terms {
        customer.payment_terms = Set(payment_terms);
    }
    if let Some(value) = changes.credit_limit {
        customer.credit_limit = Set(credit_limit(value)?);
    }
    if let Some(assigned_rep_id) = changes.assigned_rep_id {
        if let Some(team) = account_team(tx).await? {
            let rep = assigned_rep_id.ok_or(OUT_OF_TEAM)?;
            within_team(&team, rep)?;
        }
        customer.assigned_rep_id = Set(assigned_rep_id);
    }
    if let Some(value) = changes.billing_address {
        customer.billing_address = Set(address("billingAddress", value)?);
    }
    if let Some(value) = changes.shipping_address {
        customer.shipping_address = Set(address("shippingAddress", value)?);
    }
    if let Some(status) = changes.status {
        customer.status = Set(status);
    }
    customer.update(tx).await.map_err(write_error)
}

/// Marks a customer inactive; its orders, invoices and portal users stay.
pub async fn deactivate_customer(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<customers::Model, CatalogError> {
    let changes = CustomerChanges {
        status: Some(CustomerStatus::Inactive),
        ..Default::default()
    };
    update_customer(tx, id, changes).await
}

/// The users whose accounts the transaction's user may see (themselves and their direct reports),
/// or `None` when it sees every account. The database's `get_account_team()`, which the
/// account-scope policies apply (`docs/architecture.md`, "Account scope").
pub async fn account_team(tx: &DatabaseTransaction) -> Result<Option<Vec<Uuid>>, CatalogError> {
    let row = tx
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT get_account_team() AS team",
        ))
        .await?;
    Ok(row
        .map(|row| row.try_get::<Option<Vec<Uuid>>>("", "team"))
        .transpose()?
        .flatten())
}

const OUT_OF_TEAM: CatalogError = CatalogError::Forbidden {
    reason: "an account may be assigned only to you or your direct reports",
};

fn within_team(team: &[Uuid], rep: Uuid) -> Result<Uuid, CatalogError> {
    if team.contains(&rep) {
        Ok(rep)
    } else {
        Err(OUT_OF_TEAM)
    }
}

fn license_state(raw: Option<String>) -> Result<Option<String>, CatalogError> {
    optional_text(raw)
        .map(|raw| state("licenseState", &raw))
        .transpose()
}

fn tier(raw: Option<String>) -> Result<Option<String>, CatalogError> {
    optional_text(raw).map(|raw| price_tier(&raw)).transpose()
}

fn credit_limit(limit: Option<Decimal>) -> Result<Option<Decimal>, CatalogError> {
    limit
        .map(|limit| money("creditLimit", limit, CREDIT_PRECISION))
        .transpose()
}

fn address(field: &'static str, value: Option<Value>) -> Result<Option<Value>, CatalogError> {
    value.map(|value| json_object(field, value)).transpose()
}

fn write_error(error: DbErr) -> CatalogError {
    match violated_constraint(&error) {
        Some(Violation::Unique("customers_tenant_id_account_number_key")) => {
            CatalogError::conflict(
                "accountNumber",
                "a customer with this account number already exists",
            )
        }
        Some(Violation::ForeignKey("customers_tenant_id_assigned_rep_id_fkey")) => {
            CatalogError::not_found("user")
        }
        _ => not_found_unless_updated(ENTITY, error),
    }
}
