//! The order and invoice lists' filters, as the API states them: a range includes both of its
//! ends, and a list of statuses matches any of them.

use crate::support::*;
use chrono::{DateTime, Utc};
use leora_orders::entities::invoices::InvoiceStatus;
use leora_orders::entities::orders::OrderStatus;
use leora_orders::service::invoices::{InvoiceFilter, invoices};
use leora_orders::service::lifecycle::Action;
use leora_orders::service::orders::{OrderFilter, OrderSort, orders};
use leora_test_db::sql::exec;
use sea_orm::Order;
use std::collections::BTreeSet;
use uuid::Uuid;

fn time(value: &str) -> DateTime<Utc> {
    value.parse().unwrap()
}

fn ids<const N: usize>(ids: [Uuid; N]) -> BTreeSet<Uuid> {
    ids.into_iter().collect()
}

async fn order_ids(world: &World, filter: OrderFilter) -> BTreeSet<Uuid> {
    world
        .run(world.staff, async |tx| {
            let rows = orders(tx.context(), &filter, OrderSort::CreatedAt, Order::Desc)
                .all(tx)
                .await?;
            Ok(rows.into_iter().map(|order| order.id).collect())
        })
        .await
        .unwrap()
}

async fn invoice_ids(world: &World, filter: InvoiceFilter) -> BTreeSet<Uuid> {
    world
        .run(world.staff, async |tx| {
            let rows = invoices(tx.context(), &filter).all(tx).await?;
            Ok(rows.into_iter().map(|invoice| invoice.id).collect())
        })
        .await
        .unwrap()
}

async fn draft(world: &World) -> Uuid {
    world
        .create(
            world.staff,
            new_order(world.customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap()
        .order
        .id
}

/// Orders are placed "now"; the owner moves one to the instant a test needs.
async fn placed_at(world: &World, order: Uuid, at: &str) {
    exec(
        &world.owner,
        "UPDATE orders SET created_at = $2 WHERE id = $1",
        [order.into(), time(at).into()],
    )
    .await;
}

#[tokio::test]
async fn an_order_placed_exactly_at_placed_to_is_included() {
    let world = world().await;
    let (before, at_nine, after) = (
        draft(&world).await,
        draft(&world).await,
        draft(&world).await,
    );
    placed_at(&world, before, "2026-03-01T08:59:59.999999Z").await;
    placed_at(&world, at_nine, "2026-03-01T09:00:00Z").await;
    placed_at(&world, after, "2026-03-01T09:00:00.000001Z").await;
    let nine = Some(time("2026-03-01T09:00:00Z"));

    let up_to_nine = OrderFilter {
        placed_to: nine,
        ..OrderFilter::default()
    };
    assert_eq!(order_ids(&world, up_to_nine).await, ids([before, at_nine]));
    let from_nine = OrderFilter {
        placed_from: nine,
        ..OrderFilter::default()
    };
    assert_eq!(order_ids(&world, from_nine).await, ids([at_nine, after]));
    let exactly_nine = OrderFilter {
        placed_from: nine,
        placed_to: nine,
        ..OrderFilter::default()
    };
    assert_eq!(order_ids(&world, exactly_nine).await, ids([at_nine]));
}

#[tokio::test]
async fn orders_in_any_of_the_statuses_listed_and_no_others() {
    let world = world().await;
    let drafted = draft(&world).await;
    let submitted = world
        .create(
            world.staff,
            submitted(world.customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap()
        .order
        .id;
    let confirmed = draft(&world).await;
    for action in [Action::Submit, Action::Confirm] {
        world.act(world.staff, action, confirmed).await.unwrap();
    }
    let cancelled = draft(&world).await;
    world
        .act(world.staff, Action::Cancel, cancelled)
        .await
        .unwrap();

    let submitted_or_cancelled = OrderFilter {
        statuses: vec![OrderStatus::Submitted, OrderStatus::Cancelled],
        ..OrderFilter::default()
    };
    assert_eq!(
        order_ids(&world, submitted_or_cancelled).await,
        ids([submitted, cancelled])
    );
    let drafts = OrderFilter {
        statuses: vec![OrderStatus::Draft],
        ..OrderFilter::default()
    };
    assert_eq!(order_ids(&world, drafts).await, ids([drafted]));
    assert_eq!(
        order_ids(&world, OrderFilter::default()).await,
        ids([drafted, submitted, confirmed, cancelled]),
        "no statuses listed: every status"
    );
    assert!(
        order_ids(
            &world,
            OrderFilter {
                statuses: vec![OrderStatus::Delivered],
                ..OrderFilter::default()
            }
        )
        .await
        .is_empty()
    );
}

#[tokio::test]
async fn invoices_in_any_of_the_statuses_listed_and_one_issued_at_issued_to_is_included() {
    let world = world().await;
    let mut issued = Vec::new();
    for _ in 0..3 {
        let order = world.fulfilled_order(1).await;
        issued.push(world.issue(order.id).await.unwrap());
    }
    let (unpaid, part_paid, paid) = (issued[0].id, issued[1].id, issued[2].id);
    world.pay(part_paid, "1.00").await.unwrap();
    world.pay(paid, &issued[2].total.to_string()).await.unwrap();

    let unpaid_or_paid = InvoiceFilter {
        statuses: vec![InvoiceStatus::Issued, InvoiceStatus::Paid],
        ..InvoiceFilter::default()
    };
    assert_eq!(
        invoice_ids(&world, unpaid_or_paid).await,
        ids([unpaid, paid])
    );

    exec(
        &world.owner,
        "UPDATE invoices SET issued_at = $2 WHERE id = $1",
        [part_paid.into(), time("2026-03-01T09:00:00Z").into()],
    )
    .await;
    let up_to_nine = InvoiceFilter {
        issued_to: Some(time("2026-03-01T09:00:00Z")),
        ..InvoiceFilter::default()
    };
    assert_eq!(invoice_ids(&world, up_to_nine).await, ids([part_paid]));
}
