//! What the integrations API needs from the server, inserted into every GraphQL request as
//! `Arc<IntegrationsSettings>`.

use crate::crypto::SecretBox;
use crate::safety::UrlPolicy;
use crate::worker::sender::{ClientBuildError, Sender};
use async_graphql::Context;
use leora_tenancy::graphql::{ApiResult, ResolverError};
use std::sync::Arc;
use std::time::Duration;

const TEST_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct IntegrationsSettings {
    /// Seals and opens webhook secrets and integration tokens.
    pub secrets: Arc<SecretBox>,
    /// Which subscription URLs are accepted.
    pub url_policy: UrlPolicy,
    /// Sends `sendTestWebhook`'s request, under the same policy as the worker.
    sender: Sender,
}

impl IntegrationsSettings {
    pub fn new(secrets: Arc<SecretBox>, url_policy: UrlPolicy) -> Result<Self, ClientBuildError> {
        Self::with_test_timeout(secrets, url_policy, TEST_WEBHOOK_TIMEOUT)
    }

    /// As [`new`](Self::new), with the time `sendTestWebhook` waits for the receiver.
    pub fn with_test_timeout(
        secrets: Arc<SecretBox>,
        url_policy: UrlPolicy,
        timeout: Duration,
    ) -> Result<Self, ClientBuildError> {
        Ok(Self {
            secrets,
            url_policy,
            sender: Sender::new(url_policy, timeout)?,
        })
    }

    pub fn sender(&self) -> &Sender {
        &self.sender
    }

    pub(crate) fn of<'a>(ctx: &Context<'a>) -> ApiResult<&'a Self> {
        ctx.data::<Arc<Self>>().map(AsRef::as_ref).map_err(|_| {
            tracing::error!("IntegrationsSettings missing from the GraphQL request data");
            ResolverError::internal()
        })
    }
}
