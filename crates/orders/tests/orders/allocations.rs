//! Allocations: an allocated SKU is sold to a customer only within what was allocated to it for
//! the day's period; drafts are saved freely and checked at submission; cancelling gives back.

use crate::support::*;
use chrono::{Duration, NaiveDate};
use leora_catalog::service::skus::set_allocated;
use leora_orders::error::OrdersError;
use leora_orders::service::allocations::{AllocationInput, set_allocation};
use leora_orders::service::lifecycle::Action;
use leora_orders::service::orders::{NewLine, create_order};
use leora_tenancy::{ApiError, ErrorCode, with_tenant};
use leora_test_db::fixtures::{Span, steady_time_zone, tenant_today};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The tenant's today, with `cab` marked allocated.
async fn allocated_cab(w: &World) -> NaiveDate {
    steady_time_zone(&w.owner, w.tenant, Span::Day).await;
    w.run(w.manager, async |tx| {
        Ok(set_allocated(tx, w.cab, true).await?)
    })
    .await
    .unwrap();
    tenant_today(&w.owner, w.tenant).await
}

fn allocation(customer_id: Uuid, sku_id: Uuid, day: NaiveDate, quantity: i32) -> AllocationInput {
    AllocationInput {
        customer_id,
        sku_id,
        period_start: day,
        period_end: day,
        quantity,
    }
}

async fn allocate(w: &World, input: AllocationInput) {
    w.run(w.manager, async |tx| set_allocation(tx, input).await)
        .await
        .unwrap();
}

/// `extensions` of an `ALLOCATION_EXCEEDED`, and the field it names.
fn exceeded(
    result: Result<impl std::fmt::Debug, OrdersError>,
) -> (BTreeMap<String, String>, String) {
    let error = result.unwrap_err();
    assert_eq!(error.code(), ErrorCode::AllocationExceeded, "{error:?}");
    let details = error
        .details()
        .into_iter()
        .map(|(key, value)| {
            (
                key.to_owned(),
                value.to_string().trim_matches('"').to_owned(),
            )
        })
        .collect();
    (details, error.field().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn an_allocated_sku_is_sold_only_within_the_customers_allocation_for_the_day() {
    let w = world().await;
    let today = allocated_cab(&w).await;
    let orders_before = w.count("SELECT count(*) FROM orders", []).await;
    let stock_before = w.stock(w.cab).await;
    let (details, field) = exceeded(
        w.create(
            w.staff,
            submitted(w.customer, vec![line(w.gin, 1), line(w.cab, 1)]),
        )
        .await,
    );
    assert_eq!(
        field, "lines[1].quantity",
        "no allocation: none may be ordered"
    );
    assert_eq!(details["remaining"], "0");
    assert_eq!(details["allocated"], "0");
    assert_eq!(details["skuCode"], "CAB-750");
    assert_eq!(
        w.count("SELECT count(*) FROM orders", []).await,
        orders_before
    );
    assert_eq!(w.stock(w.cab).await, stock_before, "nothing reserved");

    // Another customer's allocation, or one for another day, is not this customer's.
    allocate(&w, allocation(w.other_customer, w.cab, today, 50)).await;
    allocate(
        &w,
        allocation(w.customer, w.cab, today - Duration::days(1), 50),
    )
    .await;
    assert!(
        w.create(w.staff, submitted(w.customer, vec![line(w.cab, 1)]))
            .await
            .is_err()
    );

    allocate(&w, allocation(w.customer, w.cab, today, 5)).await;
    w.create(w.staff, submitted(w.customer, vec![line(w.cab, 3)]))
        .await
        .unwrap();
    let (details, field) = exceeded(
        w.create(w.staff, submitted(w.customer, vec![line(w.cab, 3)]))
            .await,
    );
    assert_eq!(field, "lines[0].quantity");
    assert_eq!(
        (
            details["allocated"].as_str(),
            details["remaining"].as_str(),
            details["requested"].as_str()
        ),
        ("5", "2", "3")
    );
    // Exactly what is left may be ordered; a SKU that is not allocated needs no allocation.
    w.create(
        w.staff,
        submitted(w.customer, vec![line(w.cab, 2), line(w.gin, 7)]),
    )
    .await
    .unwrap();
    let (details, _) = exceeded(
        w.create(w.staff, submitted(w.customer, vec![line(w.cab, 1)]))
            .await,
    );
    assert_eq!(details["remaining"], "0");
}

#[tokio::test]
async fn sold_and_sample_lines_of_one_sku_count_together() {
    let w = world().await;
    let today = allocated_cab(&w).await;
    allocate(&w, allocation(w.customer, w.cab, today, 4)).await;
    let samples = NewLine {
        is_sample: true,
        ..line(w.cab, 3)
    };
    let (details, field) = exceeded(
        w.create(
            w.staff,
            submitted(w.customer, vec![line(w.cab, 2), line(w.gin, 1), samples]),
        )
        .await,
    );
    assert_eq!(field, "lines[0].quantity");
    assert_eq!(details["requested"], "5");
}

#[tokio::test]
async fn cancelling_an_order_gives_its_allocation_back() {
    let w = world().await;
    let today = allocated_cab(&w).await;
    allocate(&w, allocation(w.customer, w.cab, today, 4)).await;
    let first = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 4)]))
        .await
        .unwrap();
    assert!(
        w.create(w.staff, submitted(w.customer, vec![line(w.cab, 1)]))
            .await
            .is_err()
    );
    w.act(w.staff, Action::Cancel, first.order.id)
        .await
        .unwrap();
    w.create(w.staff, submitted(w.customer, vec![line(w.cab, 4)]))
        .await
        .unwrap();
}

#[tokio::test]
async fn drafts_are_saved_beyond_the_allocation_and_refused_at_submission_and_checkout() {
    let w = world().await;
    let today = allocated_cab(&w).await;
    allocate(&w, allocation(w.customer, w.cab, today, 2)).await;
    let draft = w
        .create(w.staff, new_order(w.customer, vec![line(w.cab, 3)]))
        .await
        .unwrap();
    let (details, field) = exceeded(w.act(w.staff, Action::Submit, draft.order.id).await);
    assert_eq!(field, "lines[0].quantity");
    assert_eq!(details["remaining"], "2");
    w.add(w.portal, w.cab, 3).await.unwrap();
    let (_, field) = exceeded(w.checkout(w.portal, None).await);
    assert_eq!(field, "items[0].quantity");
    // A draft does not use the allocation: two units may still be submitted.
    w.create(w.staff, submitted(w.customer, vec![line(w.cab, 2)]))
        .await
        .unwrap();
}

#[tokio::test]
async fn concurrent_submissions_cannot_both_take_the_last_of_an_allocation() {
    let w = world().await;
    let today = allocated_cab(&w).await;
    allocate(&w, allocation(w.customer, w.cab, today, 1)).await;
    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let (db, ctx) = (w.db.clone(), w.staff);
        let order = submitted(w.customer, vec![line(w.cab, 1)]);
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| create_order(tx, order).await).await
        });
    }
    let refused = the_one_refused(tasks.join_all().await);
    let (details, _) = exceeded(refused);
    assert_eq!(details["remaining"], "0");
}

#[tokio::test]
async fn set_allocation_names_bad_fields_refuses_overlaps_and_changes_the_period_it_starts() {
    let w = world().await;
    let today = allocated_cab(&w).await;
    let set = |input: AllocationInput| w.run(w.manager, async |tx| set_allocation(tx, input).await);
    let cases = [
        (
            AllocationInput {
                quantity: -1,
                ..allocation(w.customer, w.cab, today, 0)
            },
            (ErrorCode::BadUserInput, Some("quantity".to_owned())),
        ),
        (
            AllocationInput {
                period_end: today - Duration::days(1),
                ..allocation(w.customer, w.cab, today, 1)
            },
            (ErrorCode::BadUserInput, Some("periodEnd".to_owned())),
        ),
        (
            allocation(w.customer, Uuid::now_v7(), today, 1),
            (ErrorCode::NotFound, Some("skuId".to_owned())),
        ),
        (
            allocation(w.foreign_customer, w.cab, today, 1),
            (ErrorCode::NotFound, Some("customerId".to_owned())),
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(code_and_field(set(input).await), expected);
    }
    let month = AllocationInput {
        period_end: today + Duration::days(30),
        ..allocation(w.customer, w.cab, today, 6)
    };
    let first = set(month.clone()).await.unwrap();
    let overlapping = AllocationInput {
        period_start: today + Duration::days(10),
        period_end: today + Duration::days(40),
        ..month.clone()
    };
    assert_eq!(
        code_and_field(set(overlapping).await),
        (ErrorCode::Conflict, Some("periodStart".to_owned()))
    );
    let changed = set(AllocationInput {
        quantity: 9,
        ..month
    })
    .await
    .unwrap();
    assert_eq!((changed.id, changed.quantity), (first.id, 9));
    assert_eq!(
        w.count("SELECT count(*) FROM allocations", []).await,
        1,
        "refused inputs wrote nothing"
    );
}

#[tokio::test]
async fn a_rep_sets_no_allocation_for_an_account_out_of_reach_and_portal_users_none_at_all() {
    let w = world().await;
    let today = allocated_cab(&w).await;
    let portal = w
        .run(w.portal, async |tx| {
            set_allocation(tx, allocation(w.customer, w.cab, today, 100)).await
        })
        .await;
    assert!(
        portal.is_err(),
        "the database keeps portal requests from writing allocations"
    );
    assert_eq!(w.count("SELECT count(*) FROM allocations", []).await, 0);
}
