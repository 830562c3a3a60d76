//! Each top-level mutation field succeeds or fails on its own, inside the request's one
//! transaction: it runs after a `SAVEPOINT`, and an error it returns rolls back to that savepoint,
//! leaving nothing of it behind, while what the fields before it did stays. The gateway then
//! commits whatever succeeded. So a response never reports as done what was undone, and an error
//! while reading a nullable field of a result (which the field absorbs as `null`) never undoes
//! the write. Work that must be all or nothing across several steps belongs inside one mutation
//! (`checkoutCart`), not across fields. See `docs/api.md`, "What a response promises".
//!
//! The savepoints wrap the mutation root itself rather than hooking every field's resolution:
//! only root mutation fields need one, and a per-field hook would cost every field of every
//! query.

use crate::errors::coded;
use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaType, Registry};
use async_graphql::resolver_utils::{ContainerType, resolve_container};
use async_graphql::{
    Context, ContextSelectionSet, ObjectType, OutputType, Positioned, ServerResult, Value,
};
use leora_tenancy::ErrorCode;
use leora_tenancy::graphql::RequestScope;
use sea_orm::ConnectionTrait;
use std::borrow::Cow;
use std::sync::Arc;

const SAVEPOINT: &str = "SAVEPOINT leora_mutation_field";
const RELEASE: &str = "RELEASE SAVEPOINT leora_mutation_field";
const ROLLBACK: &str = "ROLLBACK TO SAVEPOINT leora_mutation_field";

/// A mutation root whose every field runs in a savepoint of its own. It is the GraphQL type `M`
/// (name and fields), except that every field may be `null`: a field that fails is `null` in
/// `data` while its siblings' results stand, where a non-null field would null them all
/// (`crate::results`) and hide work that was done.
#[derive(Default)]
pub struct Savepointed<M>(pub M);

impl<M: ContainerType> OutputType for Savepointed<M> {
    fn type_name() -> Cow<'static, str> {
        M::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        let name = M::create_type_info(registry);
        if let Some(MetaType::Object { fields, .. }) = registry.types.get_mut(&*M::type_name()) {
            for field in fields.values_mut() {
                if let Some(nullable) = field.ty.strip_suffix('!') {
                    field.ty = nullable.to_owned();
                }
            }
        }
        name
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        resolve_container(ctx, self).await
    }
}

impl<M: ContainerType> ContainerType for Savepointed<M> {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        let session = match ctx.data_opt::<Arc<RequestScope>>().map(AsRef::as_ref) {
            Some(RequestScope::Authenticated(session)) => session,
            // Sign-in mutations run without the request transaction, in transactions of their own.
            _ => return self.0.resolve_field(ctx).await,
        };
        let tx = session.tx();
        if let Err(error) = tx.execute_unprepared(SAVEPOINT).await {
            tracing::error!(%error, "cannot set a mutation field's savepoint");
            return Err(coded(ErrorCode::Internal, "internal error"));
        }
        let outcome = self.0.resolve_field(ctx).await;
        let end = if outcome.is_ok() { RELEASE } else { ROLLBACK };
        if let Err(error) = tx.execute_unprepared(end).await {
            // The transaction is unusable now; its commit fails and the response says so.
            tracing::error!(%error, "cannot end a mutation field's savepoint");
        }
        outcome
    }
}

impl<M: ObjectType> ObjectType for Savepointed<M> {}
