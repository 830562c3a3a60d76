//! The signed-in principal's distributor (`tenant`) and its settings (`tenantSettings`,
//! `updateTenantSettings`). Staff read every setting; a portal user only what a portal needs
//! (currency, time zone, cart lifetime, which portal features are on): the thresholds and limits
//! that steer the distributor's own staff are `null` with `FORBIDDEN` for them.

use super::types::Tenant;
use crate::service::tenant_settings::{
    self, MAX_DISCOUNT_LIMITS, SettingsChanges, line_discount_limits,
};
use async_graphql::{Context, ID, InputObject, Object};
use leora_tenancy::entities::tenant_settings::Model as SettingsRow;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::{
    ApiResult, Exact, Feature, Permission as Perm, RequireAuthenticated, RequirePermission,
    RequireStaff, Session,
};
use leora_tenancy::portal::PortalFeatures as Features;
use sea_orm::prelude::Decimal;

#[derive(Default)]
pub struct TenantQuery;

#[Object]
impl TenantQuery {
    /// The distributor the signed-in principal (staff or portal user) belongs to.
    #[graphql(guard = "RequireAuthenticated")]
    async fn tenant(&self, ctx: &Context<'_>) -> ApiResult<Tenant> {
        let tx = Session::of(ctx)?.tx();
        Ok(Tenant(tenant_settings::tenant(tx).await?))
    }

    /// The distributor's settings. Every signed-in principal reads the currency, time zone, cart
    /// lifetime and portal features; the other fields are for staff (`FORBIDDEN` and `null` for a
    /// portal user).
    #[graphql(guard = "RequireAuthenticated")]
    async fn tenant_settings(&self, ctx: &Context<'_>) -> ApiResult<TenantSettings> {
        let tx = Session::of(ctx)?.tx();
        Ok(TenantSettings(tenant_settings::settings(tx).await?))
    }
}

#[derive(Default)]
pub struct TenantMutation;

#[Object]
impl TenantMutation {
    /// Change the distributor's settings (permission `users.manage`). Every field is optional: a
    /// field left out (or `null`) keeps its value; `lineDiscountLimits` sets the roles it names
    /// and keeps the others; `portalFeatures` switches the features it names. One bad field
    /// refuses the whole change (`BAD_USER_INPUT`, `extensions.field` naming it) and nothing is
    /// written.
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn update_tenant_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateTenantSettingsInput,
    ) -> ApiResult<TenantSettings> {
        let tx = Session::of(ctx)?.tx();
        let row = tenant_settings::update_settings(tx, input.into_changes()).await?;
        Ok(TenantSettings(row))
    }
}

/// What `updateTenantSettings` changes; every field is optional.
#[derive(InputObject, Default)]
pub struct UpdateTenantSettingsInput {
    /// The revenue drop that flags an account's health, as a fraction from 0 to 1 (`"0.15"` is
    /// 15 %), at most 4 decimal places.
    pub health_revenue_drop_threshold: Option<Exact>,
    /// Orders an account needs before a revenue drop counts: 0 to 1,000.
    pub health_min_orders: Option<i32>,
    /// Sample units a rep may pull per calendar month before a manager must approve: 0 to
    /// 100,000.
    pub sample_pulls_per_rep_per_month: Option<i32>,
    /// Whether pulls beyond the allowance wait for a manager's approval.
    pub sample_manager_approval_required: Option<bool>,
    /// Orders an account needs before its ordering pace is judged: 0 to 1,000.
    pub pace_min_orders: Option<i32>,
    /// Days past its expected reorder date before an account is at risk: 0 to 365.
    pub pace_risk_threshold_days: Option<i32>,
    /// How long a portal cart lives: 1 to 8,784 hours.
    pub cart_ttl_hours: Option<i32>,
    /// An IANA time zone (`America/New_York`): the distributor's calendar.
    pub timezone: Option<String>,
    /// The currency of new orders: an ISO 4217 code, three capital letters.
    pub currency: Option<String>,
    /// The largest line discount per internal role, in percent (0 to 100); roles not named keep
    /// their limit.
    pub line_discount_limits: Option<Vec<LineDiscountLimitInput>>,
    /// The portal features to switch on or off; those not named stay as they are.
    pub portal_features: Option<PortalFeaturesInput>,
}

#[derive(InputObject)]
pub struct LineDiscountLimitInput {
    /// An internal role's name (`sales_rep`, or one of the distributor's own roles).
    pub role: String,
    /// 0 to 100, at most 2 decimal places.
    pub percent: Exact,
}

/// Each switch given turns its portal feature on or off for the distributor's customers.
#[derive(InputObject, Default)]
pub struct PortalFeaturesInput {
    pub catalog: Option<bool>,
    pub cart: Option<bool>,
    pub orders: Option<bool>,
    pub invoices: Option<bool>,
    pub lists: Option<bool>,
    pub payments: Option<bool>,
}

impl UpdateTenantSettingsInput {
    fn into_changes(self) -> SettingsChanges {
        let features = self.portal_features.unwrap_or_default();
        let switches = [
            (Feature::Catalog, features.catalog),
            (Feature::Cart, features.cart),
            (Feature::Orders, features.orders),
            (Feature::Invoices, features.invoices),
            (Feature::Lists, features.lists),
            (Feature::Payments, features.payments),
        ];
        SettingsChanges {
            health_revenue_drop_threshold: self.health_revenue_drop_threshold.map(|d| d.0),
            health_min_orders: self.health_min_orders,
            sample_pulls_per_rep_per_month: self.sample_pulls_per_rep_per_month,
            sample_manager_approval_required: self.sample_manager_approval_required,
            pace_min_orders: self.pace_min_orders,
            pace_risk_threshold_days: self.pace_risk_threshold_days,
            cart_ttl_hours: self.cart_ttl_hours,
            timezone: self.timezone,
            currency: self.currency,
            line_discount_limits: self.line_discount_limits.map(|limits| {
                limits
                    .into_iter()
                    .map(|limit| (limit.role, limit.percent.0))
                    .collect()
            }),
            portal_features: switches
                .into_iter()
                .filter_map(|(feature, on)| on.map(|on| (feature, on)))
                .collect(),
        }
    }
}

/// The distributor's settings (docs/domain-rules.md, "Tenant settings"). Its `id` is the
/// tenant's: one settings object per tenant.
pub struct TenantSettings(pub SettingsRow);

#[Object]
impl TenantSettings {
    async fn id(&self) -> ID {
        ID(self.0.tenant_id.to_string())
    }

    /// The revenue drop that flags an account's health, as a fraction (`"0.15"`). Staff only.
    #[graphql(guard = "RequireStaff")]
    async fn health_revenue_drop_threshold(&self) -> Option<Exact> {
        Some(Exact(self.0.health_revenue_drop_threshold))
    }

    /// Orders an account needs before a revenue drop counts. Staff only.
    #[graphql(guard = "RequireStaff")]
    async fn health_min_orders(&self) -> Option<i32> {
        Some(self.0.health_min_orders)
    }

    /// Sample units a rep may pull per calendar month without approval. Staff only.
    #[graphql(guard = "RequireStaff")]
    async fn sample_pulls_per_rep_per_month(&self) -> Option<i32> {
        Some(self.0.sample_pulls_per_rep_per_month)
    }

    /// Whether pulls beyond the allowance wait for a manager's approval. Staff only.
    #[graphql(guard = "RequireStaff")]
    async fn sample_manager_approval_required(&self) -> Option<bool> {
        Some(self.0.sample_manager_approval_required)
    }

    /// Orders an account needs before its pace is judged. Staff only.
    #[graphql(guard = "RequireStaff")]
    async fn pace_min_orders(&self) -> Option<i32> {
        Some(self.0.pace_min_orders)
    }

    /// Days past its expected reorder date before an account is at risk. Staff only.
    #[graphql(guard = "RequireStaff")]
    async fn pace_risk_threshold_days(&self) -> Option<i32> {
        Some(self.0.pace_risk_threshold_days)
    }

    /// How long a portal cart lives, in hours.
    async fn cart_ttl_hours(&self) -> i32 {
        self.0.cart_ttl_hours
    }

    /// The currency of new orders (ISO 4217).
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// The distributor's IANA time zone: the calendar every "today" is reckoned in.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }

    /// The largest line discount each internal role may give, in percent, by role name; a role
    /// not listed gives none. Staff only.
    #[graphql(
        guard = "RequireStaff",
        complexity = "cost::capped(MAX_DISCOUNT_LIMITS, child_complexity)"
    )]
    async fn line_discount_limits(&self) -> Option<Vec<LineDiscountLimit>> {
        Some(
            line_discount_limits(&self.0)
                .into_iter()
                .map(|(role, percent)| LineDiscountLimit { role, percent })
                .collect(),
        )
    }

    /// Which portal features the distributor's customers have. An operation of a feature that
    /// is off answers `FORBIDDEN` to portal users.
    async fn portal_features(&self) -> PortalFeatures {
        PortalFeatures(tenant_settings::portal_features(&self.0))
    }
}

/// One internal role's largest line discount.
pub struct LineDiscountLimit {
    role: String,
    percent: Decimal,
}

#[Object]
impl LineDiscountLimit {
    async fn role(&self) -> &str {
        &self.role
    }

    /// In percent of the line before discount (`"10"` is 10 %).
    async fn percent(&self) -> Exact {
        Exact(self.percent)
    }
}

/// The portal's feature switches: `false` means the feature's operations answer `FORBIDDEN` to
/// the distributor's portal users.
pub struct PortalFeatures(Features);

#[Object]
impl PortalFeatures {
    /// Products, their prices and stock (`products`, `product`).
    async fn catalog(&self) -> bool {
        self.0.allows(Feature::Catalog)
    }

    /// The cart and checking it out (`cart`, `addToCart`, `checkoutCart` …).
    async fn cart(&self) -> bool {
        self.0.allows(Feature::Cart)
    }

    /// Orders: reading them and placing them directly (`orders`, `createOrder` …).
    async fn orders(&self) -> bool {
        self.0.allows(Feature::Orders)
    }

    /// Invoices (`invoices`, `invoice`, `Order.invoice`).
    async fn invoices(&self) -> bool {
        self.0.allows(Feature::Invoices)
    }

    /// Saved lists (`lists`, `createList`, `addListToCart` …).
    async fn lists(&self) -> bool {
        self.0.allows(Feature::Lists)
    }

    /// The payments of an invoice (`Invoice.payments`).
    async fn payments(&self) -> bool {
        self.0.allows(Feature::Payments)
    }
}
