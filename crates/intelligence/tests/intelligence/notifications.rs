//! Notifications from order status events and from due and overdue tasks, each sent once.

use crate::support::*;
use chrono::{Duration, Utc};
use leora_intelligence::entities::enums::Priority;
use leora_intelligence::entities::notifications as notification_rows;
use leora_intelligence::service::notifications::{
    inbox, mark_all_read, mark_read, notify_due_tasks, notify_from_events, unread_count,
};
use leora_intelligence::service::tasks::{NewTask, create_task};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::fixtures::tenant_today;
use leora_test_db::sql::exec;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

async fn status_event(w: &World, order: Uuid, customer: Uuid, from: &str, to: &str) {
    exec(
        &w.pools.owner,
        "INSERT INTO webhook_events (tenant_id, event_type, payload) VALUES ($1, 'order.status_changed', $2)",
        [
            w.t.tenant.into(),
            json!({ "orderId": order, "orderNumber": "SO-42", "customerId": customer, "action": "x", "from": from, "to": to }).into(),
        ],
    )
    .await;
}

#[tokio::test]
async fn order_status_events_notify_the_customers_portal_users_once() {
    let w = world().await;
    let t = w.t;
    let today = tenant_today(&w.pools.owner, t.tenant).await;
    let disabled = portal_user(&w.pools.owner, t.tenant, t.c1, "gone", "disabled").await;
    let o1 = w.order(t.c1, today, 0, "10.00", "confirmed", 1).await;
    let o2 = w.order(t.c2, today, 0, "10.00", "cancelled", 1).await;
    status_event(&w, o1, t.c1, "submitted", "confirmed").await;
    status_event(&w, o2, t.c2, "submitted", "cancelled").await;
    // Other kinds of event, and events too old to report, are not turned into notifications.
    exec(&w.pools.owner, "INSERT INTO webhook_events (tenant_id, event_type, payload, occurred_at) VALUES ($1, 'order.status_changed', $2, now() - interval '30 days')",
        [t.tenant.into(), json!({ "orderId": o1, "orderNumber": "SO-1", "customerId": t.c1, "from": "draft", "to": "submitted" }).into()]).await;
    exec(&w.pools.owner, "INSERT INTO webhook_events (tenant_id, event_type, payload) VALUES ($1, 'order.placed', $2)",
        [t.tenant.into(), json!({ "orderId": o1, "customerId": t.c1 }).into()]).await;

    let since = Utc::now() - Duration::days(7);
    let written = w
        .run(t.system(), async |tx| {
            notify_from_events(tx, t.tenant, since).await
        })
        .await
        .unwrap();
    assert_eq!(
        written, 2,
        "one per active portal user of each order's customer"
    );
    let again = w
        .run(t.system(), async |tx| {
            notify_from_events(tx, t.tenant, since).await
        })
        .await
        .unwrap();
    assert_eq!(again, 0);

    let inbox_of = |ctx: TenantContext, unread_only: bool| {
        w.run(ctx, async move |tx| {
            Ok(inbox(tx.context(), unread_only)?.all(tx).await?)
        })
    };
    let buyer1 = t.as_portal(t.portal1, t.c1);
    let buyer2 = t.as_portal(t.portal2, t.c2);
    let mine = inbox_of(buyer1, false).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].title.as_str(), mine[0].priority),
        ("Order SO-42 confirmed", Priority::Normal)
    );
    assert_eq!(mine[0].data["orderId"], json!(o1));
    assert_eq!(
        (&mine[0].data["from"], &mine[0].data["to"]),
        (&json!("SUBMITTED"), &json!("CONFIRMED")),
        "statuses as the OrderStatus enum spells them"
    );
    let theirs = inbox_of(buyer2, false).await.unwrap();
    assert_eq!(
        (theirs[0].title.as_str(), theirs[0].priority),
        ("Order SO-42 cancelled", Priority::High)
    );
    assert!(
        inbox_of(t.as_portal(disabled, t.c1), false)
            .await
            .unwrap()
            .is_empty()
    );
    // Staff inboxes hold none of the portal users' notifications.
    assert!(
        inbox_of(t.as_user(t.admin), false)
            .await
            .unwrap()
            .is_empty()
    );
    assert_code_and_field(
        inbox_of(t.system(), false).await,
        ErrorCode::Forbidden,
        None,
    );

    // Reading: only your own.
    let theirs_id = theirs[0].id;
    assert_code_and_field(
        w.run(buyer1, async |tx| mark_read(tx, theirs_id).await)
            .await,
        ErrorCode::NotFound,
        None,
    );
    assert_code_and_field(
        w.run(t.as_user(t.admin), async |tx| {
            mark_read(tx, theirs_id).await
        })
        .await,
        ErrorCode::NotFound,
        None,
    );
    assert_eq!(
        w.run(buyer1, async |tx| unread_count(tx).await)
            .await
            .unwrap(),
        1
    );
    let read = w
        .run(buyer1, async |tx| mark_read(tx, mine[0].id).await)
        .await
        .unwrap();
    let first_read = read.read_at.unwrap();
    let reread = w
        .run(buyer1, async |tx| mark_read(tx, mine[0].id).await)
        .await
        .unwrap();
    assert_eq!(
        reread.read_at,
        Some(first_read),
        "reading again keeps the first time"
    );
    assert!(inbox_of(buyer1, true).await.unwrap().is_empty());
    assert_eq!(
        w.run(buyer2, async |tx| mark_all_read(tx).await)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        w.run(buyer2, async |tx| mark_all_read(tx).await)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM notifications WHERE read_at IS NULL",
            vec![]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn due_and_overdue_tasks_are_announced_once() {
    let w = world().await;
    let t = w.t;
    let today = date(TODAY);
    let create = |due: &str, priority: Priority| {
        let input = NewTask {
            due_at: Some(time(due)),
            priority: Some(priority),
            ..task("Renew licence", Some(t.c1))
        };
        w.run(t.as_user(t.rep1), async move |tx| {
            create_task(tx, input).await
        })
    };
    let today_task = create("2025-06-30T23:00:00Z", Priority::Low).await.unwrap();
    let overdue = create("2025-06-29T09:00:00Z", Priority::Normal)
        .await
        .unwrap();
    create("2025-07-01T00:00:00Z", Priority::Normal)
        .await
        .unwrap();
    let written = w
        .run(t.system(), async |tx| {
            notify_due_tasks(tx, t.tenant, today, "UTC").await
        })
        .await
        .unwrap();
    assert_eq!(written, 2);
    assert_eq!(
        w.run(t.system(), async |tx| notify_due_tasks(
            tx, t.tenant, today, "UTC"
        )
        .await)
            .await
            .unwrap(),
        0
    );
    let inbox = w
        .run(t.as_user(t.rep1), async |tx| {
            Ok(inbox(tx.context(), false)?.all(tx).await?)
        })
        .await
        .unwrap();
    let by_task = |id: Uuid| {
        inbox
            .iter()
            .find(|n| n.data["taskId"] == json!(id))
            .unwrap()
    };
    assert_eq!(by_task(today_task.id).priority, Priority::Low);
    assert_eq!(
        by_task(overdue.id).priority,
        Priority::High,
        "overdue is raised to at least high"
    );
    assert!(by_task(overdue.id).title.starts_with("Overdue"));
    let rows = notification_rows::Entity::find()
        .filter(notification_rows::Column::Kind.eq("task.due"))
        .all(&w.pools.owner)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
}
