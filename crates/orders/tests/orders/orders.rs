//! Orders: server-side pricing, every status transition, stock through the lifecycle, retries,
//! concurrency, what portal users may order, and bad input.

use crate::support::*;
use chrono::Days;
use leora_orders::entities::order_lines::PricingRule;
use leora_orders::entities::orders::OrderStatus;
use leora_orders::error::OrdersError;
use leora_orders::service::carts::{Checkout, checkout_cart};
use leora_orders::service::lifecycle::{Action, next_status};
use leora_orders::service::orders::{
    NewLine, NewOrder, OrderWithLines, cancel_order, create_order,
};
use leora_tenancy::{ApiError, ErrorCode, TenantContext, with_tenant};
use leora_test_db::errors::assert_code;
use leora_test_db::fixtures::tenant_today;
use leora_test_db::sql::scalar;
use leora_test_db::sql::{exec, stmt};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, Iterable};
use std::collections::BTreeSet;
use uuid::Uuid;

#[tokio::test]
async fn order_totals_are_priced_server_side_with_state_tax() {
    let world = world().await;
    let input = NewOrder {
        notes: Some("  back door  ".into()),
        ..new_order(
            world.customer,
            vec![
                line(world.cab, 12),
                NewLine {
                    discount: Some(d("5.00")),
                    ..line(world.gin, 2)
                },
            ],
        )
    };
    let OrderWithLines { order, lines } = world.create(world.staff, input).await.unwrap();

    // CAB: tier price 18.00 × 12 = 216.00; CA wine excise 0.20 $/gal on 9 l (2.3775 gal) = 0.48.
    // GIN: customer price 27.50 × 2 − 5.00 = 50.00; no CA spirits rate, so untaxed.
    assert_eq!(lines.len(), 2);
    let (cab, gin) = (&lines[0], &lines[1]);
    assert_eq!((cab.line_number, cab.sku_id), (1, world.cab));
    assert_eq!(cab.unit_price, d("18.00"));
    assert_eq!(cab.pricing_rule, PricingRule::PriceTier);
    assert_eq!(cab.price_list_entry_id, Some(world.tier_entry));
    assert_eq!(cab.line_total, d("216.00"));
    assert_eq!(cab.tax_amount, d("0.48"));
    assert_eq!((gin.line_number, gin.sku_id), (2, world.gin));
    assert_eq!(gin.unit_price, d("27.50"));
    assert_eq!(gin.pricing_rule, PricingRule::CustomerPrice);
    assert_eq!(gin.price_list_entry_id, Some(world.customer_entry));
    assert_eq!(gin.discount, d("5.00"));
    assert_eq!(gin.line_total, d("50.00"));
    assert_eq!(gin.tax_amount, Decimal::ZERO);

    assert_eq!(order.subtotal, d("266.00"));
    assert_eq!(order.tax_total, d("0.48"));
    assert_eq!(order.total, d("266.48"));
    assert_eq!(order.currency, "USD");
    assert_eq!(order.status, OrderStatus::Draft);
    assert_eq!(order.order_number, "SO-000001");
    assert_eq!(order.notes.as_deref(), Some("back door"));
    assert_eq!(order.placed_by_user_id, world.staff_user_id());
    assert_eq!(order.placed_by_portal_user_id, None);
    // A draft reserves nothing.
    assert_eq!(world.stock(world.cab).await, (100, 0));

    let placed = world.events("order.placed").await;
    assert_eq!(placed.len(), 1);
    assert_eq!(placed[0]["orderId"], order.id.to_string());
    assert_eq!(placed[0]["total"], "266.48");
    assert!(world.events("order.status_changed").await.is_empty());

    // A customer without a tier pays the base price, and a portal order records its placer.
    let base = world
        .create(
            world.staff,
            new_order(world.other_customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap();
    assert_eq!(base.lines[0].unit_price, d("20.00"));
    assert_eq!(base.lines[0].pricing_rule, PricingRule::BasePrice);
    assert_eq!(base.lines[0].price_list_entry_id, None);
    let portal = world
        .create(
            world.portal,
            new_order(world.customer, vec![line(world.gin, 1)]),
        )
        .await
        .unwrap()
        .order;
    assert_eq!(portal.placed_by_portal_user_id, Some(world.portal_user));
    assert_eq!(portal.placed_by_user_id, None);
}

/// The actions that bring a new draft into each status.
fn path_to(status: OrderStatus) -> &'static [Action] {
    match status {
        OrderStatus::Draft => &[],
        OrderStatus::Submitted => &[Action::Submit],
        OrderStatus::Confirmed => &[Action::Submit, Action::Confirm],
        OrderStatus::Fulfilled => &[Action::Submit, Action::Confirm, Action::Fulfill],
        OrderStatus::Delivered => &[
            Action::Submit,
            Action::Confirm,
            Action::Fulfill,
            Action::Deliver,
        ],
        OrderStatus::Cancelled => &[Action::Cancel],
    }
}

#[tokio::test]
async fn every_allowed_transition_works_and_every_other_is_invalid() {
    let world = world().await;
    for from in OrderStatus::iter() {
        for action in Action::ALL {
            let order = world
                .create(
                    world.staff,
                    new_order(world.customer, vec![line(world.cab, 1)]),
                )
                .await
                .unwrap()
                .order;
            for step in path_to(from) {
                world.act(world.staff, *step, order.id).await.unwrap();
            }
            let outcome = world.act(world.staff, action, order.id).await;
            let stored: String = scalar(
                &world.owner,
                "SELECT status FROM orders WHERE id = $1",
                [order.id.into()],
            )
            .await;
            match next_status(from, action) {
                Ok(to) => {
                    let updated = outcome.unwrap();
                    assert_eq!(updated.status, to, "{from:?} {action:?}");
                    assert_eq!(stored, sea_orm::ActiveEnum::to_value(&to));
                }
                Err(_) => {
                    let error = assert_code(outcome, ErrorCode::InvalidTransition);
                    assert!(error.to_string().contains(action.verb()), "{error}");
                    assert_eq!(stored, sea_orm::ActiveEnum::to_value(&from), "unchanged");
                }
            }
        }
    }
    // Whatever was cancelled released its stock, whatever shipped consumed it: reserved stock is
    // exactly the submitted and confirmed orders' units.
    let held = world
        .count(
            "SELECT coalesce(sum(l.quantity), 0)::bigint FROM order_lines l JOIN orders o ON o.id = l.order_id
              WHERE o.status IN ('submitted', 'confirmed')",
            [],
        )
        .await;
    let (_, reserved) = world.stock(world.cab).await;
    assert_eq!(i64::from(reserved), held);
}

#[tokio::test]
async fn submitting_reserves_cancelling_releases_fulfilling_consumes() {
    let world = world().await;
    let staff = world.staff;
    let order = world
        .create(
            staff,
            new_order(world.customer, vec![line(world.cab, 5), line(world.gin, 2)]),
        )
        .await
        .unwrap()
        .order;
    assert_eq!(world.stock(world.cab).await, (100, 0));

    let order = world.act(staff, Action::Submit, order.id).await.unwrap();
    assert!(order.submitted_at.is_some());
    assert_eq!(world.stock(world.cab).await, (100, 5));
    assert_eq!(world.stock(world.gin).await, (100, 2));

    let order = world.act(staff, Action::Cancel, order.id).await.unwrap();
    assert!(order.cancelled_at.is_some());
    assert_eq!(world.stock(world.cab).await, (100, 0));
    assert_eq!(world.stock(world.gin).await, (100, 0));

    // Cancelling a draft has nothing to release (another order's reservation stays).
    let held = world
        .create(staff, submitted(world.customer, vec![line(world.cab, 3)]))
        .await
        .unwrap()
        .order;
    let draft = world
        .create(staff, new_order(world.customer, vec![line(world.cab, 4)]))
        .await
        .unwrap()
        .order;
    world.act(staff, Action::Cancel, draft.id).await.unwrap();
    assert_eq!(world.stock(world.cab).await, (100, 3));

    let confirmed = world.act(staff, Action::Confirm, held.id).await.unwrap();
    assert!(confirmed.confirmed_at.is_some());
    assert_eq!(world.stock(world.cab).await, (100, 3));
    let fulfilled = world.act(staff, Action::Fulfill, held.id).await.unwrap();
    assert!(fulfilled.fulfilled_at.is_some());
    assert_eq!(world.stock(world.cab).await, (97, 0));
    let delivered = world.act(staff, Action::Deliver, held.id).await.unwrap();
    assert!(delivered.delivered_at.is_some());
    assert_eq!(world.stock(world.cab).await, (97, 0));

    // Short stock refuses the submission and leaves the draft as it was.
    let greedy = world
        .create(
            staff,
            new_order(world.customer, vec![line(world.scarce, 11)]),
        )
        .await
        .unwrap()
        .order;
    let error = assert_code(
        world.act(staff, Action::Submit, greedy.id).await,
        ErrorCode::InsufficientInventory,
    );
    assert!(matches!(
        error,
        OrdersError::InsufficientInventory {
            requested: 11,
            available: 10,
            ..
        }
    ));
    assert_eq!(world.stock(world.scarce).await, (10, 0));

    let changes: Vec<(String, String)> = world
        .events("order.status_changed")
        .await
        .iter()
        .filter(|event| event["orderId"] == held.id.to_string())
        .map(|event| {
            (
                event["from"].as_str().unwrap().to_owned(),
                event["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("draft", "submitted"),
        ("submitted", "confirmed"),
        ("confirmed", "fulfilled"),
        ("fulfilled", "delivered"),
    ]
    .map(|(from, to)| (from.to_owned(), to.to_owned()));
    assert_eq!(changes, expected);
}

#[tokio::test]
async fn a_retried_create_order_returns_the_same_order_and_reserves_once() {
    let world = world().await;
    let keyed = || NewOrder {
        idempotency_key: Some("order-7f3a".into()),
        ..submitted(world.customer, vec![line(world.cab, 3)])
    };
    let first = world.create(world.staff, keyed()).await.unwrap();
    let retry = world.create(world.staff, keyed()).await.unwrap();
    assert_eq!(retry, first);

    // Concurrent retries queue on the tenant's counter and all find the first order.
    let _heavy = HEAVY.lock().await;
    for outcome in create_concurrently(&world, (0..8).map(|_| keyed())).await {
        assert_eq!(outcome.unwrap().order.id, first.order.id);
    }

    assert_eq!(world.stock(world.cab).await, (100, 3));
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 1);
    assert_eq!(world.events("order.placed").await.len(), 1);
    assert_eq!(
        world.order_numbers().await,
        BTreeSet::from(["SO-000001".to_owned()])
    );
}

#[tokio::test]
async fn an_idempotency_key_is_the_customers_own_and_another_customer_may_use_the_same() {
    let world = world().await;
    let keyed = |customer| NewOrder {
        idempotency_key: Some("order-7f3a".into()),
        ..new_order(customer, vec![line(world.cab, 1)])
    };
    let first = world
        .create(world.staff, keyed(world.customer))
        .await
        .unwrap();
    let others = world
        .create(world.staff, keyed(world.other_customer))
        .await
        .unwrap();
    assert_ne!(
        others.order.id, first.order.id,
        "a key tells nothing of another customer's orders"
    );
    let stranger = insert_portal_user(
        &world.owner,
        world.tenant,
        world.other_customer,
        "x@c2.test",
    )
    .await;
    let stranger = TenantContext::portal_user(world.tenant, stranger, world.other_customer);
    let retried = world
        .create(stranger, keyed(world.other_customer))
        .await
        .unwrap();
    assert_eq!(
        retried.order.id, others.order.id,
        "and within the customer it still deduplicates"
    );
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 2);
}

#[tokio::test]
async fn fifty_concurrent_one_unit_orders_for_ten_units_succeed_exactly_ten_times() {
    let world = world().await;
    let _heavy = HEAVY.lock().await;
    let inputs = (0..50).map(|_| submitted(world.customer, vec![line(world.scarce, 1)]));
    let outcomes = create_concurrently(&world, inputs).await;
    assert_eq!(succeeded_and_short(&outcomes), (10, 40), "{outcomes:?}");
    assert_eq!(world.stock(world.scarce).await, (10, 10));
    let expected: BTreeSet<String> = (1..=10).map(|n| format!("SO-{n:06}")).collect();
    assert_eq!(world.order_numbers().await, expected);
    assert_eq!(world.events("order.placed").await.len(), 10);
}

#[tokio::test]
async fn fifty_concurrent_checkouts_for_ten_units_succeed_exactly_ten_times() {
    let world = world().await;
    let buyers: Vec<Uuid> = world
        .owner
        .query_all_raw(stmt(
            "INSERT INTO portal_users (tenant_id, customer_id, email, password_hash, full_name)
             SELECT $1, $2, 'buyer' || g || '@c1.test', 'x', 'Buyer ' || g
               FROM generate_series(1, 50) g RETURNING id",
            [world.tenant.into(), world.customer.into()],
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    let contexts: Vec<TenantContext> = buyers
        .iter()
        .map(|buyer| TenantContext::portal_user(world.tenant, *buyer, world.customer))
        .collect();
    for ctx in &contexts {
        world.add(*ctx, world.scarce, 1).await.unwrap();
    }

    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for (n, ctx) in contexts.iter().copied().enumerate() {
        let db = world.db.clone();
        let input = Checkout {
            idempotency_key: Some(format!("checkout-{n}")),
            ..Checkout::default()
        };
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| checkout_cart(tx, input).await).await
        });
    }
    let outcomes = tasks.join_all().await;
    assert_eq!(succeeded_and_short(&outcomes), (10, 40), "{outcomes:?}");
    assert_eq!(world.stock(world.scarce).await, (10, 10));
    assert_eq!(
        world
            .count("SELECT count(*) FROM carts WHERE status = 'converted'", [])
            .await,
        10
    );
    assert_eq!(
        world
            .count("SELECT count(*) FROM carts WHERE status = 'active'", [])
            .await,
        40
    );
    let expected: BTreeSet<String> = (1..=10).map(|n| format!("SO-{n:06}")).collect();
    assert_eq!(world.order_numbers().await, expected);
}

#[tokio::test]
async fn order_numbers_have_no_gaps_under_concurrency() {
    let world = world().await;
    // A creation that rolls back gives its number back.
    let rolled_back: Result<(), OrdersError> = world
        .run(world.staff, async |tx| {
            create_order(tx, new_order(world.customer, vec![line(world.cab, 1)])).await?;
            Err(OrdersError::Forbidden {
                reason: "test rollback",
            })
        })
        .await;
    assert!(rolled_back.is_err());
    assert!(world.order_numbers().await.is_empty());

    let _heavy = HEAVY.lock().await;
    // Every fifth one fails (short stock) while its neighbours succeed: no hole may remain.
    let inputs = (0..25).map(|n| {
        let quantity = if n % 5 == 4 { 1000 } else { 1 };
        submitted(world.customer, vec![line(world.cab, quantity)])
    });
    let outcomes = create_concurrently(&world, inputs).await;
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 20);
    let expected: BTreeSet<String> = (1..=20).map(|n| format!("SO-{n:06}")).collect();
    assert_eq!(world.order_numbers().await, expected);
}

/// Creates the orders all at once as the staff member, each in its own transaction, as
/// concurrent requests would.
async fn create_concurrently(
    world: &World,
    inputs: impl IntoIterator<Item = NewOrder>,
) -> Vec<Result<OrderWithLines, OrdersError>> {
    let mut tasks = tokio::task::JoinSet::new();
    for input in inputs {
        let (db, ctx) = (world.db.clone(), world.staff);
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| create_order(tx, input).await).await
        });
    }
    tasks.join_all().await
}

/// How many of `outcomes` succeeded, and how many were refused for short stock.
fn succeeded_and_short<T>(outcomes: &[Result<T, OrdersError>]) -> (usize, usize) {
    let succeeded = outcomes.iter().filter(|o| o.is_ok()).count();
    let short = outcomes
        .iter()
        .filter(|o| matches!(o, Err(e) if e.code() == ErrorCode::InsufficientInventory))
        .count();
    (succeeded, short)
}

#[tokio::test]
async fn a_portal_user_cannot_order_for_another_customer() {
    let world = world().await;
    let portal = world.portal;
    assert_code(
        world
            .create(
                portal,
                new_order(world.other_customer, vec![line(world.cab, 1)]),
            )
            .await,
        ErrorCode::Forbidden,
    );
    // Nor touch another customer's order: row-level security hides it.
    let theirs = world
        .create(
            world.staff,
            new_order(world.other_customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap()
        .order;
    assert_code(
        world.act(portal, Action::Submit, theirs.id).await,
        ErrorCode::NotFound,
    );
    assert_code(
        world.act(portal, Action::Cancel, theirs.id).await,
        ErrorCode::NotFound,
    );
    // Nor give itself a discount, nor run the distributor's side of the lifecycle.
    assert_code(
        world
            .create(
                portal,
                new_order(
                    world.customer,
                    vec![NewLine {
                        discount: Some(d("1.00")),
                        ..line(world.cab, 1)
                    }],
                ),
            )
            .await,
        ErrorCode::Forbidden,
    );
    let own = world
        .create(portal, submitted(world.customer, vec![line(world.cab, 1)]))
        .await
        .unwrap()
        .order;
    for action in [Action::Confirm, Action::Fulfill, Action::Deliver] {
        assert_code(
            world.act(portal, action, own.id).await,
            ErrorCode::Forbidden,
        );
    }
    world.act(portal, Action::Cancel, own.id).await.unwrap();
    // Staff cannot reach another tenant's customer either.
    let (code, field) = code_and_field(
        world
            .create(
                world.staff,
                new_order(world.foreign_customer, vec![line(world.cab, 1)]),
            )
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::NotFound, Some("customerId"))
    );
    // And no one signed out can order.
    assert_code(
        world
            .create(
                TenantContext::anonymous(world.tenant),
                new_order(world.customer, vec![line(world.cab, 1)]),
            )
            .await,
        ErrorCode::Forbidden,
    );
}

#[tokio::test]
async fn bad_input_changes_nothing() {
    let world = world().await;
    let snapshot = async || {
        (
            world.count("SELECT count(*) FROM orders", []).await,
            world.count("SELECT count(*) FROM order_lines", []).await,
            world
                .count(
                    "SELECT coalesce(sum(reserved), 0)::bigint FROM inventory",
                    [],
                )
                .await,
            world.count("SELECT count(*) FROM webhook_events", []).await,
            world
                .count("SELECT last_order_number FROM tenant_settings", [])
                .await,
        )
    };
    let before = snapshot().await;
    let yesterday = tenant_today(&world.owner, world.tenant)
        .await
        .checked_sub_days(Days::new(1))
        .unwrap();
    let cases: Vec<(NewOrder, ErrorCode, Option<&str>)> = vec![
        (
            submitted(world.customer, vec![]),
            ErrorCode::BadUserInput,
            Some("lines"),
        ),
        (
            submitted(world.customer, vec![line(world.cab, 1), line(world.gin, 0)]),
            ErrorCode::BadUserInput,
            Some("lines[1].quantity"),
        ),
        (
            submitted(world.customer, vec![line(world.cab, -3)]),
            ErrorCode::BadUserInput,
            Some("lines[0].quantity"),
        ),
        (
            submitted(
                world.customer,
                vec![
                    line(world.cab, 1),
                    NewLine {
                        discount: Some(d("-1.00")),
                        ..line(world.gin, 1)
                    },
                ],
            ),
            ErrorCode::BadUserInput,
            Some("lines[1].discount"),
        ),
        (
            submitted(
                world.customer,
                vec![NewLine {
                    discount: Some(d("0.001")),
                    ..line(world.cab, 1)
                }],
            ),
            ErrorCode::BadUserInput,
            Some("lines[0].discount"),
        ),
        (
            submitted(world.customer, vec![line(world.cab, 1), line(world.cab, 2)]),
            ErrorCode::BadUserInput,
            Some("lines[1].skuId"),
        ),
        (
            submitted(
                world.customer,
                vec![line(world.cab, 1), line(Uuid::now_v7(), 1)],
            ),
            ErrorCode::NotFound,
            Some("lines[1].skuId"),
        ),
        (
            submitted(world.customer, vec![line(world.retired, 1)]),
            ErrorCode::BadUserInput,
            Some("lines[0].skuId"),
        ),
        (
            submitted(Uuid::now_v7(), vec![line(world.cab, 1)]),
            ErrorCode::NotFound,
            Some("customerId"),
        ),
        (
            submitted(world.inactive_customer, vec![line(world.cab, 1)]),
            ErrorCode::BadUserInput,
            Some("customerId"),
        ),
        (
            NewOrder {
                idempotency_key: Some("   ".into()),
                ..submitted(world.customer, vec![line(world.cab, 1)])
            },
            ErrorCode::BadUserInput,
            Some("idempotencyKey"),
        ),
        (
            NewOrder {
                requested_delivery_date: Some(yesterday),
                ..submitted(world.customer, vec![line(world.cab, 1)])
            },
            ErrorCode::BadUserInput,
            Some("requestedDeliveryDate"),
        ),
        (
            NewOrder {
                notes: Some("x".repeat(2001)),
                ..submitted(world.customer, vec![line(world.cab, 1)])
            },
            ErrorCode::BadUserInput,
            Some("notes"),
        ),
        (
            // The first line reserves before the second runs short: all of it rolls back.
            submitted(
                world.customer,
                vec![line(world.cab, 5), line(world.scarce, 11)],
            ),
            ErrorCode::InsufficientInventory,
            None,
        ),
    ];
    for (input, code, field) in cases {
        let described = format!("{:?}", input.lines);
        let outcome = world.create(world.staff, input).await;
        assert_eq!(
            code_and_field(outcome),
            (code, field.map(str::to_owned)),
            "{described}"
        );
    }
    assert_eq!(snapshot().await, before);
}

#[tokio::test]
async fn a_rolled_back_order_leaves_no_event() {
    let world = world().await;
    let rolled_back: Result<(), OrdersError> = world
        .run(world.staff, async |tx| {
            let placed =
                create_order(tx, submitted(world.customer, vec![line(world.cab, 2)])).await?;
            cancel_order(tx, placed.order.id).await?;
            Err(OrdersError::Forbidden {
                reason: "test rollback",
            })
        })
        .await;
    assert!(rolled_back.is_err());
    assert_eq!(
        world.count("SELECT count(*) FROM webhook_events", []).await,
        0
    );
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 0);
    assert_eq!(world.stock(world.cab).await, (100, 0));

    let placed = world
        .create(
            world.staff,
            submitted(world.customer, vec![line(world.cab, 2)]),
        )
        .await
        .unwrap()
        .order;
    assert_eq!(placed.order_number, "SO-000001");
    assert_eq!(world.events("order.placed").await.len(), 1);
    let changes = world.events("order.status_changed").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0]["from"].as_str(), changes[0]["to"].as_str()),
        (Some("draft"), Some("submitted"))
    );
}

#[tokio::test]
async fn a_tenant_without_settings_gets_the_defaults_on_first_order() {
    let world = world().await;
    exec(
        &world.owner,
        "DELETE FROM tenant_settings WHERE tenant_id = $1",
        [world.tenant.into()],
    )
    .await;
    let placed = world
        .create(
            world.staff,
            new_order(world.customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap();
    assert_eq!(placed.order.order_number, "SO-000001");
    assert_eq!(
        world
            .count("SELECT last_order_number FROM tenant_settings", [])
            .await,
        1
    );
}
