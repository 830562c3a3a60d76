//! Each top-level mutation field succeeds or fails on its own, inside the request's one
//! transaction: it runs after a `SAVEPOINT`, and an error it returns rolls back to that savepoint,
//! leaving nothing of it behind, while what the fields before it did stays. The gateway then
//! commits whatever succeeded. So a response never reports as done what was undone, and an error
//! while reading a nullable field of a result (which the field absorbs as `null`) never undoes
//! the write. Work that must be all or nothing across several steps belongs inside one mutation
//! (`checkoutCart`), not across fields. See `docs/api.md`, "What a response promises".

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerError, ServerResult, Value};
use leora_tenancy::graphql::RequestScope;
use sea_orm::ConnectionTrait;
use std::sync::Arc;

const SAVEPOINT: &str = "SAVEPOINT leora_mutation_field";
const RELEASE: &str = "RELEASE SAVEPOINT leora_mutation_field";
const ROLLBACK: &str = "ROLLBACK TO SAVEPOINT leora_mutation_field";

/// Wraps the root fields of the schema's mutation type (named `mutation_type`).
pub struct MutationSavepoints {
    pub mutation_type: String,
}

impl ExtensionFactory for MutationSavepoints {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FieldSavepoint {
            mutation_type: self.mutation_type.clone(),
        })
    }
}

struct FieldSavepoint {
    mutation_type: String,
}

#[async_graphql::async_trait::async_trait]
impl Extension for FieldSavepoint {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let root_mutation =
            info.path_node.parent.is_none() && info.parent_type == self.mutation_type;
        let session = match ctx.data_opt::<Arc<RequestScope>>().map(AsRef::as_ref) {
            Some(RequestScope::Authenticated(session)) if root_mutation => session,
            // Sign-in mutations run without the request transaction, in transactions of their own.
            _ => return next.run(ctx, info).await,
        };
        let tx = session.tx();
        if let Err(error) = tx.execute_unprepared(SAVEPOINT).await {
            tracing::error!(%error, "cannot set a mutation field's savepoint");
            return Err(internal(&info));
        }
        let outcome = next.run(ctx, info).await;
        let end = if outcome.is_ok() { RELEASE } else { ROLLBACK };
        if let Err(error) = tx.execute_unprepared(end).await {
            // The transaction is unusable now; its commit fails and the response says so.
            tracing::error!(%error, "cannot end a mutation field's savepoint");
        }
        outcome
    }
}

fn internal(info: &ResolveInfo<'_>) -> ServerError {
    let mut error = ServerError::new("internal error", Some(info.field.name.pos));
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", leora_tenancy::ErrorCode::Internal.as_str());
    error.extensions = Some(extensions);
    error
}
