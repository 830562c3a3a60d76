//! The portal's feature switches: `tenant_settings.portal_features`, a jsonb object with one
//! boolean per feature. A tenant turns a feature off for its customers' portal users; the guard
//! `graphql::guard::PortalFeature` then refuses the feature's operations to them (staff are never
//! affected). docs/domain-rules.md, "Tenant settings", lists which operations each one covers.

use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value;
use uuid::Uuid;

use crate::sql::stmt;

/// One switch of `tenant_settings.portal_features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    Catalog,
    Cart,
    Orders,
    Invoices,
    Lists,
    Payments,
}

impl Feature {
    pub const ALL: [Feature; 6] = [
        Self::Catalog,
        Self::Cart,
        Self::Orders,
        Self::Invoices,
        Self::Lists,
        Self::Payments,
    ];

    /// Its key in the jsonb object.
    pub fn key(self) -> &'static str {
        match self {
            Self::Catalog => "catalog",
            Self::Cart => "cart",
            Self::Orders => "orders",
            Self::Invoices => "invoices",
            Self::Lists => "lists",
            Self::Payments => "payments",
        }
    }
}

/// Which features a tenant's portal offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalFeatures([bool; Feature::ALL.len()]);

impl Default for PortalFeatures {
    /// Every feature on: the column's default, and what a tenant without a settings row gets.
    fn default() -> Self {
        Self([true; Feature::ALL.len()])
    }
}

impl PortalFeatures {
    /// Read from the stored object. Only an explicit `false` turns a feature off: a key missing
    /// (a feature added after the row was written) or of another type leaves it on, as the
    /// column's default has it.
    pub fn from_json(stored: &Value) -> Self {
        let mut features = Self::default();
        for feature in Feature::ALL {
            if stored.get(feature.key()) == Some(&Value::Bool(false)) {
                features.set(feature, false);
            }
        }
        features
    }

    /// The object to store, every key present.
    pub fn to_json(self) -> Value {
        Value::Object(
            Feature::ALL
                .into_iter()
                .map(|feature| (feature.key().to_owned(), Value::Bool(self.allows(feature))))
                .collect(),
        )
    }

    pub fn allows(self, feature: Feature) -> bool {
        self.0[feature as usize]
    }

    pub fn set(&mut self, feature: Feature, on: bool) {
        self.0[feature as usize] = on;
    }
}

/// The tenant's portal features, as the transaction sees its settings row (every feature on when
/// there is none).
pub async fn load(db: &impl ConnectionTrait, tenant_id: Uuid) -> Result<PortalFeatures, DbErr> {
    let row = db
        .query_one_raw(stmt(
            "SELECT portal_features FROM tenant_settings WHERE tenant_id = $1",
            [tenant_id.into()],
        ))
        .await?;
    match row {
        Some(row) => Ok(PortalFeatures::from_json(
            &row.try_get::<Value>("", "portal_features")?,
        )),
        None => Ok(PortalFeatures::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_an_explicit_false_turns_a_feature_off() {
        let features = PortalFeatures::from_json(&json!({
            "catalog": true, "cart": false, "orders": "no", "lists": null, "payments": false
        }));
        let off: Vec<&str> = Feature::ALL
            .into_iter()
            .filter(|feature| !features.allows(*feature))
            .map(Feature::key)
            .collect();
        assert_eq!(off, ["cart", "payments"]);
        assert_eq!(
            PortalFeatures::from_json(&json!([])),
            PortalFeatures::default()
        );
    }

    #[test]
    fn stored_features_round_trip_with_every_key() {
        let mut features = PortalFeatures::default();
        features.set(Feature::Invoices, false);
        let stored = features.to_json();
        assert_eq!(stored.as_object().map(|keys| keys.len()), Some(6));
        assert_eq!(stored["invoices"], json!(false));
        assert_eq!(PortalFeatures::from_json(&stored), features);
    }
}
