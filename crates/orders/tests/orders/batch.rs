//! Batched reads group rows by their key, under row-level security.

use crate::support::*;
use leora_orders::service::batch::{invoices_of_orders, lines_of_orders};
use uuid::Uuid;

#[tokio::test]
async fn batched_reads_group_rows_by_key() {
    let world = world().await;
    let staff = world.staff;
    let one = world
        .create(
            staff,
            new_order(world.customer, vec![line(world.cab, 1), line(world.gin, 2)]),
        )
        .await
        .unwrap();
    let two = world
        .create(
            staff,
            new_order(world.other_customer, vec![line(world.gin, 3)]),
        )
        .await
        .unwrap();
    let invoiced = world.fulfilled_order(1).await;
    let invoice = world.issue(invoiced.id).await.unwrap();
    let missing = Uuid::now_v7();

    let ids = [one.order.id, two.order.id, missing];
    let lines = world
        .run(staff, async |tx| lines_of_orders(tx, &ids).await)
        .await
        .unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[&one.order.id], one.lines);
    assert_eq!(lines[&two.order.id], two.lines);

    let ids = [one.order.id, invoiced.id];
    let invoices = world
        .run(staff, async |tx| invoices_of_orders(tx, &ids).await)
        .await
        .unwrap();
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[&invoiced.id], invoice);

    // Row-level security applies: a portal user's batch holds only its own customer's rows.
    let portal = world.portal;
    let ids = [one.order.id, two.order.id];
    let seen = world
        .run(portal, async |tx| lines_of_orders(tx, &ids).await)
        .await
        .unwrap();
    assert_eq!(seen.keys().copied().collect::<Vec<_>>(), vec![one.order.id]);

    let empty = world
        .run(staff, async |tx| lines_of_orders(tx, &[]).await)
        .await
        .unwrap();
    assert!(empty.is_empty());
}
