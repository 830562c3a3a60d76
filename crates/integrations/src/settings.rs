//! What the integrations API needs from the server, inserted into every GraphQL request as
//! `Arc<IntegrationsSettings>`.

use crate::crypto::SecretBox;
use crate::safety::UrlPolicy;
use async_graphql::Context;
use leora_tenancy::graphql::{ApiResult, ResolverError};
use std::sync::Arc;

#[derive(Debug)]
pub struct IntegrationsSettings {
    /// Seals and opens webhook secrets and integration tokens.
    pub secrets: Arc<SecretBox>,
    /// Which subscription URLs are accepted.
    pub url_policy: UrlPolicy,
    /// How many webhook subscriptions one tenant may hold.
    pub max_subscriptions: usize,
}

impl IntegrationsSettings {
    pub fn new(secrets: Arc<SecretBox>, url_policy: UrlPolicy, max_subscriptions: usize) -> Self {
        Self {
            secrets,
            url_policy,
            max_subscriptions,
        }
    }

    pub(crate) fn of<'a>(ctx: &Context<'a>) -> ApiResult<&'a Self> {
        ctx.data::<Arc<Self>>().map(AsRef::as_ref).map_err(|_| {
            tracing::error!("IntegrationsSettings missing from the GraphQL request data");
            ResolverError::internal()
        })
    }
}
