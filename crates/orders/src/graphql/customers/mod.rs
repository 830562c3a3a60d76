//! Customer accounts: the account hub a rep or a buyer starts from, with its orders, invoices and
//! portal users. The rows and rules are the catalog's (`leora_catalog::service::customers`); the
//! GraphQL type lives here, above catalog, orders and identity, so that one `Customer` can link to
//! all three.

mod inputs;
mod types;

pub use types::{Customer, CustomerStatus, PaymentTerms};

use async_graphql::{Context, ID, Object};
use inputs::{CreateCustomerInput, CustomerFilter, CustomerOrder, UpdateCustomerInput};
use leora_catalog::entities;
use leora_catalog::service::customers;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::ids::parse_id;
use leora_tenancy::graphql::keyset::{Keyset, KeysetPage, paginate_keyset};
use leora_tenancy::graphql::pagination::Page;
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session, StaffOrPortal};

#[derive(Default)]
pub struct CustomersQuery;

#[Object]
impl CustomersQuery {
    /// Customer accounts; a portal user sees only its own. Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "StaffOrPortal(Permission::CustomersView, Permission::PortalCatalogView)"
    )]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        filter: Option<CustomerFilter>,
        order_by: Option<CustomerOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Customer>> {
        let filter = filter.unwrap_or_default().into_filter()?;
        let order = order_by.unwrap_or_default();
        let (sort, direction): (_, sea_orm::Order) = (order.field.into(), order.direction.into());
        let id = entities::customers::Column::Id;
        let keyset = Keyset::by(customers::sort_column(sort), direction.clone(), id);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let select = customers::customers(&filter, sort, direction);
        let tx = Session::of(ctx)?.tx();
        Ok(paginate_keyset(tx, select, &keyset, page, Customer).await?)
    }

    #[graphql(guard = "StaffOrPortal(Permission::CustomersView, Permission::PortalCatalogView)")]
    async fn customer(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Customer> {
        let session = Session::of(ctx)?;
        let customer = customers::customer(session.tx(), parse_id("id", &id)?).await?;
        Ok(Customer(customer))
    }
}

#[derive(Default)]
pub struct CustomersMutation;

#[Object]
impl CustomersMutation {
    #[graphql(guard = "RequirePermission(Permission::CustomersManage)")]
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> ApiResult<Customer> {
        let session = Session::of(ctx)?;
        Ok(Customer(
            customers::create_customer(session.tx(), input.into_new()?).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::CustomersManage)")]
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateCustomerInput,
    ) -> ApiResult<Customer> {
        let tx = Session::of(ctx)?.tx();
        Ok(Customer(
            customers::update_customer(tx, parse_id("id", &id)?, input.into_changes()?).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::CustomersManage)")]
    async fn deactivate_customer(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Customer> {
        let tx = Session::of(ctx)?.tx();
        Ok(Customer(
            customers::deactivate_customer(tx, parse_id("id", &id)?).await?,
        ))
    }
}
