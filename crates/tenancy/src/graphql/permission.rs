//! The permission catalogue as a Rust enum, so guards cannot name a permission that does not exist.
//! It mirrors the `permissions` reference data; a test in the gateway compares the two.

use std::collections::HashSet;

macro_rules! permissions {
    ($($variant:ident => $key:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Permission { $($variant),+ }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $(Permission::$variant => $key),+ }
            }

            pub fn from_key(key: &str) -> Option<Self> {
                match key { $($key => Some(Permission::$variant),)+ _ => None }
            }
        }
    };
}

permissions! {
    ProductsView => "products.view",
    ProductsManage => "products.manage",
    CustomersView => "customers.view",
    CustomersManage => "customers.manage",
    AccountsViewAll => "accounts.view_all",
    OrdersView => "orders.view",
    OrdersCreate => "orders.create",
    OrdersManage => "orders.manage",
    OrdersOverrideCredit => "orders.override_credit",
    InvoicesView => "invoices.view",
    InvoicesManage => "invoices.manage",
    PaymentsRefund => "payments.refund",
    AllocationsManage => "allocations.manage",
    ActivitiesView => "activities.view",
    ActivitiesManage => "activities.manage",
    SamplesApprove => "samples.approve",
    AnalyticsView => "analytics.view",
    AnalyticsManage => "analytics.manage",
    ComplianceView => "compliance.view",
    ComplianceManage => "compliance.manage",
    IntegrationsManage => "integrations.manage",
    UsersManage => "users.manage",
    PortalCatalogView => "portal.catalog.view",
    PortalOrdersView => "portal.orders.view",
    PortalOrdersCreate => "portal.orders.create",
    PortalInvoicesView => "portal.invoices.view",
    PortalUsersManage => "portal.users.manage",
}

/// The permissions a principal holds, from its roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionSet(HashSet<Permission>);

impl PermissionSet {
    /// Keys the code does not know (added to the database ahead of the code) grant nothing.
    pub fn from_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        Self(keys.into_iter().filter_map(Permission::from_key).collect())
    }

    pub fn contains(&self, permission: Permission) -> bool {
        self.0.contains(&permission)
    }

    pub fn keys(&self) -> Vec<&'static str> {
        let mut keys: Vec<_> = self.0.iter().map(|p| p.key()).collect();
        keys.sort_unstable();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for permission in Permission::ALL {
            assert_eq!(Permission::from_key(permission.key()), Some(*permission));
        }
        assert_eq!(
            PermissionSet::from_keys(["orders.view", "made.up"]).keys(),
            vec!["orders.view"]
        );
    }
}
