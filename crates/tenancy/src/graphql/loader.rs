//! Request-scoped DataLoaders. Each loader reads through the request's own tenant transaction, so
//! batching never steps outside the tenant (a loader built once for the whole schema would), and
//! each is created on first use, so the gateway need not know every crate's loaders.

use super::error::ResolverError;
use async_graphql::dataloader::DataLoader;
use sea_orm::DatabaseTransaction;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Loaders(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl Loaders {
    pub(super) fn get_or_create<L: Send + Sync + 'static>(
        &self,
        tx: &Arc<DatabaseTransaction>,
        make: impl FnOnce(Arc<DatabaseTransaction>) -> L,
    ) -> Arc<DataLoader<L>> {
        let mut loaders = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = loaders.entry(TypeId::of::<L>()).or_insert_with(|| {
            Arc::new(Arc::new(DataLoader::new(
                make(Arc::clone(tx)),
                tokio::spawn,
            )))
        });
        match entry.downcast_ref::<Arc<DataLoader<L>>>() {
            Some(loader) => Arc::clone(loader),
            // The map is keyed by the loader's own TypeId, so the downcast cannot miss.
            None => unreachable!("loader registry holds a value of another type"),
        }
    }
}

/// The error every loader reports: cheap to clone (DataLoader requires it), already logged.
#[derive(Debug, Clone)]
pub struct LoadFailed;

impl LoadFailed {
    pub fn log(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "batch load failed");
        Self
    }
}

impl From<LoadFailed> for ResolverError {
    fn from(_: LoadFailed) -> Self {
        ResolverError::internal()
    }
}
