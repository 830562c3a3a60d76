//! Notifications in real time: each notification addressed to the subscriber, as it is created.

use super::types::Notification;
use crate::service::notifications;
use async_graphql::{Context, Subscription};
use leora_tenancy::graphql::live::{self, LiveEvent, LiveStream, Subscriber};
use leora_tenancy::graphql::{RequireAuthenticated, ResolverError};
use leora_tenancy::{Principal, TenantContext};

#[derive(Default)]
pub struct IntelligenceSubscription;

#[Subscription]
impl IntelligenceSubscription {
    /// Each of the subscriber's own notifications, as it is created (the `notifications` inbox
    /// lists them afterwards).
    #[graphql(guard = "RequireAuthenticated")]
    async fn notification_received(
        &self,
        ctx: &Context<'_>,
    ) -> Result<LiveStream<Notification>, ResolverError> {
        let me = *Subscriber::of(ctx)?.context();
        live::events(
            ctx,
            move |event: &LiveEvent| event.kind == live::NOTIFICATION && addressed_to(&me, event),
            |tx, event| async move {
                let found = notifications::own(&tx, event.id)
                    .await
                    .map_err(ResolverError::from)?;
                Ok(found.map(Notification))
            },
        )
    }
}

/// Whether the announcement names `me` as the recipient; the read that follows checks it again
/// under row-level security.
fn addressed_to(me: &TenantContext, event: &LiveEvent) -> bool {
    match me.principal() {
        Principal::User { user_id } => event.user_id == Some(user_id),
        Principal::PortalUser { portal_user_id, .. } => {
            event.portal_user_id == Some(portal_user_id)
        }
        Principal::System | Principal::Anonymous => false,
    }
}
