//! The outbox as administrators read it.

use crate::entities::webhook_events;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select};

/// The recorded events, of one type when `event_type` names one, newest first (the caller breaks
/// ties).
pub fn events(event_type: Option<&str>) -> Select<webhook_events::Entity> {
    let select = webhook_events::Entity::find().order_by_desc(webhook_events::Column::OccurredAt);
    match event_type {
        Some(event_type) => select.filter(webhook_events::Column::EventType.eq(event_type.trim())),
        None => select,
    }
}
