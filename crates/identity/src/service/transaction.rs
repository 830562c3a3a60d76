//! A tenant transaction for sign-in and refresh, whose failures may have to stand.

use leora_tenancy::{TenantContext, TenantDb, TenantTx, with_tenant};

use crate::error::IdentityError;

/// Runs `work` in one tenant transaction like [`leora_tenancy::with_tenant`], except that an
/// error whose [`IdentityError::commit_anyway`] is true is committed too: rolling back a counted
/// failed login or a revoked session family would undo the protection it records.
pub async fn with_tenant_committing<T, F>(
    db: &TenantDb,
    ctx: &TenantContext,
    work: F,
) -> Result<T, IdentityError>
where
    F: AsyncFnOnce(&TenantTx) -> Result<T, IdentityError>,
{
    with_tenant(db, ctx, async |tx| match work(tx).await {
        Ok(value) => Ok(Ok(value)),
        Err(error) if error.commit_anyway() => Ok(Err(error)),
        Err(error) => Err(error),
    })
    .await
    .and_then(|outcome| outcome)
}
