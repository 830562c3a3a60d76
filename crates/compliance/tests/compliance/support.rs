//! Two tenants, and the builders and checks every compliance test uses.

use chrono::NaiveDate;
use leora_compliance::entities::enums::ProductCategory;
use leora_compliance::entities::state_tax_rates::TaxRateKind;
use leora_compliance::error::ComplianceError;
use leora_compliance::service::tax::rates_on;
use leora_compliance::service::tax_rates::{NewTaxRate, create_state_tax_rate};
use leora_tenancy::TenantTx;
use leora_tenancy::{ErrorCode, TenantContext, with_tenant};
use leora_test_db::Pools;
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::fixtures::create_tenant;
use leora_test_db::sql::scalar;
use rust_decimal::Decimal;
use uuid::Uuid;

pub struct World {
    pub pools: Pools,
    pub a: Uuid,
    pub b: Uuid,
}

pub async fn two_tenants() -> World {
    let pools = Pools::new().await;
    let a = create_tenant(&pools.owner, "alpha").await;
    let b = create_tenant(&pools.owner, "beta").await;
    World { pools, a, b }
}

impl World {
    pub async fn run<T>(
        &self,
        tenant: Uuid,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, ComplianceError>,
    ) -> Result<T, ComplianceError> {
        with_tenant(&self.pools.db, &TenantContext::system(tenant), work).await
    }

    pub async fn create(&self, tenant: Uuid, input: NewTaxRate) -> Result<Uuid, ComplianceError> {
        self.run(tenant, async |tx| {
            Ok(create_state_tax_rate(tx, input).await?.id)
        })
        .await
    }

    /// The rates of `state` a tenant sees on `on`, as (category, rate).
    pub async fn rates(
        &self,
        tenant: Uuid,
        state: &str,
        on: NaiveDate,
    ) -> Vec<(ProductCategory, Decimal)> {
        let categories = [
            ProductCategory::Wine,
            ProductCategory::Spirits,
            ProductCategory::Beer,
            ProductCategory::Other,
        ];
        let found = self
            .run(tenant, async |tx| {
                rates_on(tx, state, &categories, on).await
            })
            .await
            .unwrap();
        categories
            .into_iter()
            .filter_map(|category| found.get(&category).map(|rate| (category, rate.rate)))
            .collect()
    }

    pub async fn rate_count(&self, tenant: Uuid) -> i64 {
        scalar(
            &self.pools.owner,
            "SELECT count(*) FROM state_tax_rates WHERE tenant_id = $1",
            [tenant.into()],
        )
        .await
    }
}

pub fn date(value: &str) -> NaiveDate {
    value.parse().unwrap()
}

pub fn dec(value: &str) -> Decimal {
    value.parse().unwrap()
}

pub fn rate(
    state: &str,
    category: ProductCategory,
    amount: &str,
    from: &str,
    until: Option<&str>,
) -> NewTaxRate {
    NewTaxRate {
        state: state.to_owned(),
        category,
        kind: TaxRateKind::PerGallon,
        rate: dec(amount),
        effective_from: date(from),
        effective_until: until.map(date),
    }
}

#[track_caller]
pub fn assert_bad_input<T: std::fmt::Debug>(outcome: Result<T, ComplianceError>, field: &str) {
    assert_code_and_field(outcome, ErrorCode::BadUserInput, Some(field));
}
