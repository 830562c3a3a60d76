//! Request-scoped batch loaders. Each loader reads through the request's own tenant transaction, so
//! batching never steps outside the tenant (a loader built once for the whole schema would), and
//! each is created on first use, so the gateway need not know every crate's loaders.
//!
//! Batches are formed by the request's execution, not by a timer. A request's resolvers all run
//! in its one task, driven by [`Batching::run`]. The first field to ask a loader for a key leads
//! the batch and waits; every other field that asks meanwhile joins it. When the execution can make
//! no more progress on its own (it returned `Pending` without waking itself: every runnable field
//! has asked for what it needs), the driver closes the open batches; each leader then issues one
//! statement for all of its keys and hands every waiting field its row. A page of fifty products
//! is therefore one statement per relation however busy the machine is, and no request waits on a
//! timer.
//!
//! `batcher.rs` gathers one loader's keys into batches; `driver.rs` decides when a batch closes;
//! this module holds the loader trait, the macro that declares loaders and the per-request
//! registry.

mod batcher;
mod driver;

pub use batcher::Batcher;
pub use driver::Batching;

use super::error::ResolverError;
use crate::TenantTx;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

/// Loads the rows for a batch of keys with one statement (or a fixed few).
pub trait BatchLoad<K>: Send + Sync + 'static {
    type Value: Clone + Send + Sync + 'static;

    /// The rows found, by key; a key without a row is absent.
    fn load(
        &self,
        keys: &[K],
    ) -> impl Future<Output = Result<HashMap<K, Self::Value>, LoadFailed>> + Send;
}

/// The error every loader reports: cheap to clone (every waiting field gets it), already logged.
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

/// Declares a loader: a struct around the request's transaction (so it is made per request, with
/// [`Session::loader`](super::Session::loader)) whose [`BatchLoad`] is one batched read, its error
/// logged as [`LoadFailed`].
///
/// `Name: Key => Value, read` loads with `read(&DatabaseTransaction, &[Key])`, an async function
/// returning the values by key. `Name: entity by id` reads `entity::Entity` rows whose `id` is
/// among the keys, by position (its model implements [`ByPosition`](crate::rows::ByPosition)).
///
/// ```text
/// batch_loader!(
///     /// An order's lines, by line number.
///     LinesOfOrder: Uuid => Vec<order_lines::Model>, batch::lines_of_orders
/// );
/// batch_loader!(
///     /// Products by id.
///     ProductById: products by id
/// );
/// ```
#[macro_export]
macro_rules! batch_loader {
    ($(#[$meta:meta])* $name:ident: $entity:ident by id) => {
        $crate::batch_loader!(
            $(#[$meta])* $name: ::uuid::Uuid => $entity::Model, $name::read_by_id
        );

        impl $name {
            async fn read_by_id(
                tx: &::sea_orm::DatabaseTransaction,
                ids: &[::uuid::Uuid],
            ) -> ::std::result::Result<
                ::std::collections::HashMap<::uuid::Uuid, $entity::Model>,
                ::sea_orm::DbErr,
            > {
                let select = ::sea_orm::QueryFilter::filter(
                    <$entity::Entity as ::sea_orm::EntityTrait>::find(),
                    ::sea_orm::ColumnTrait::is_in(&$entity::Column::Id, ids.iter().copied()),
                );
                let rows = $crate::rows::all(tx, select).await?;
                Ok(rows.into_iter().map(|row| (row.id, row)).collect())
            }
        }
    };
    ($(#[$meta:meta])* $name:ident: $key:ty => $value:ty, $read:path) => {
        $(#[$meta])*
        pub struct $name(pub ::std::sync::Arc<$crate::TenantTx>);

        impl $crate::graphql::BatchLoad<$key> for $name {
            type Value = $value;

            async fn load(
                &self,
                keys: &[$key],
            ) -> ::std::result::Result<
                ::std::collections::HashMap<$key, $value>,
                $crate::graphql::LoadFailed,
            > {
                $read(&self.0, keys)
                    .await
                    .map_err($crate::graphql::LoadFailed::log)
            }
        }
    };
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Default)]
pub struct Loaders {
    batching: Batching,
    loaders: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Loaders {
    pub(super) fn batching(&self) -> &Batching {
        &self.batching
    }

    pub(super) fn get_or_create<K, L>(
        &self,
        tx: &Arc<TenantTx>,
        make: impl FnOnce(Arc<TenantTx>) -> L,
    ) -> Arc<Batcher<K, L>>
    where
        K: Clone + Eq + Hash + Send + Sync + 'static,
        L: BatchLoad<K>,
    {
        let mut loaders = lock(&self.loaders);
        let entry = loaders
            .entry(TypeId::of::<Batcher<K, L>>())
            .or_insert_with(|| Arc::new(Batcher::new(make(Arc::clone(tx)), self.batching.clone())));
        match Arc::clone(entry).downcast::<Batcher<K, L>>() {
            Ok(batcher) => batcher,
            // The map is keyed by the batcher's own TypeId, so the downcast cannot miss.
            Err(_) => unreachable!("loader registry holds a value of another type"),
        }
    }
}

#[cfg(test)]
mod tests;
