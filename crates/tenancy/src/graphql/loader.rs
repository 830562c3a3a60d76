//! Request-scoped DataLoaders. Each loader reads through the request's own tenant transaction, so
//! batching never steps outside the tenant (a loader built once for the whole schema would), and
//! each is created on first use, so the gateway need not know every crate's loaders.

use super::error::ResolverError;
use async_graphql::dataloader::DataLoader;
use sea_orm::DatabaseTransaction;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request's loaders. `delay` is how long a loader gathers keys before it queries: long enough
/// for every sibling field of a page to ask, so one page is one query per relation.
pub struct Loaders {
    delay: Duration,
    loaders: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Loaders {
    pub fn new(delay: Duration) -> Self {
        Self {
            delay,
            loaders: Mutex::default(),
        }
    }

    pub(super) fn get_or_create<L: Send + Sync + 'static>(
        &self,
        tx: &Arc<DatabaseTransaction>,
        make: impl FnOnce(Arc<DatabaseTransaction>) -> L,
    ) -> Arc<DataLoader<L>> {
        let mut loaders = self
            .loaders
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = loaders.entry(TypeId::of::<L>()).or_insert_with(|| {
            let loader = DataLoader::new(make(Arc::clone(tx)), tokio::spawn).delay(self.delay);
            Arc::new(Arc::new(loader))
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
