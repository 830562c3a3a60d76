//! Request-scoped batch loaders for the relations catalog does not already batch.

use leora_identity::entities::users;
use leora_tenancy::TenantTx;
use leora_tenancy::graphql::BatchLoad;
use leora_tenancy::graphql::LoadFailed;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Internal users by id (reps of activities and call plans, task assignees).
pub struct UserById(pub Arc<TenantTx>);

impl BatchLoad<Uuid> for UserById {
    type Value = users::Model;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, users::Model>, LoadFailed> {
        let rows = users::Entity::find()
            .filter(users::Column::Id.is_in(ids.iter().copied()))
            .all(self.0.as_ref())
            .await
            .map_err(LoadFailed::log)?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}
