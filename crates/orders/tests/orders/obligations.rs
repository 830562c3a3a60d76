//! What an order must clear to be submitted — the customer's licence and credit — and the line
//! discounts each role may give.

use crate::support::*;
use chrono::{Duration, NaiveDate};
use leora_orders::error::OrdersError;
use leora_orders::service::lifecycle::Action;
use leora_orders::service::orders::NewLine;
use leora_tenancy::{ApiError, ErrorCode};
use leora_test_db::fixtures::{Span, steady_time_zone, tenant_today};
use leora_test_db::sql::exec;

async fn set_licence(w: &World, number: Option<&str>, state: &str, expires_on: NaiveDate) {
    exec(
        &w.owner,
        "UPDATE customers SET license_number = $2, license_state = $3, license_expires_on = $4
          WHERE id = $1",
        [
            w.customer.into(),
            number.into(),
            state.into(),
            expires_on.into(),
        ],
    )
    .await;
}

fn blocked_because(result: Result<impl std::fmt::Debug, OrdersError>) -> String {
    let error = result.unwrap_err();
    assert_eq!(error.code(), ErrorCode::ComplianceBlocked, "{error:?}");
    let reason = error
        .details()
        .into_iter()
        .find(|(key, _)| *key == "reason")
        .map(|(_, value)| value.to_string())
        .unwrap_or_default();
    reason.trim_matches('"').to_owned()
}

#[tokio::test]
async fn a_licence_is_good_through_its_expiry_date_and_blocks_the_day_after() {
    let w = world().await;
    steady_time_zone(&w.owner, w.tenant, Span::Day).await;
    let today = tenant_today(&w.owner, w.tenant).await;
    set_licence(&w, Some("CA-1"), "CA", today).await;
    let on_the_day = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 1)]))
        .await;
    assert!(on_the_day.is_ok(), "{on_the_day:?}");

    set_licence(&w, Some("CA-1"), "CA", today - Duration::days(1)).await;
    let (on_hand, reserved) = w.stock(w.cab).await;
    let orders_before = w.count("SELECT count(*) FROM orders", []).await;
    let refused = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 1)]))
        .await;
    assert_eq!(blocked_because(refused), "LICENSE_EXPIRED");
    assert_eq!(
        w.stock(w.cab).await,
        (on_hand, reserved),
        "nothing reserved"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM orders", []).await,
        orders_before,
        "nothing written"
    );

    // A draft may still be saved; submitting it is blocked the same way, for the portal too.
    let draft = w
        .create(w.staff, new_order(w.customer, vec![line(w.cab, 1)]))
        .await
        .unwrap();
    assert_eq!(
        blocked_because(w.act(w.staff, Action::Submit, draft.order.id).await),
        "LICENSE_EXPIRED"
    );
    w.add(w.portal, w.cab, 1).await.unwrap();
    assert_eq!(
        blocked_because(w.checkout(w.portal, None).await),
        "LICENSE_EXPIRED"
    );
}

#[tokio::test]
async fn a_missing_licence_or_one_for_another_state_blocks_submission() {
    let w = world().await;
    let next_year = tenant_today(&w.owner, w.tenant).await + Duration::days(365);
    set_licence(&w, Some("NV-1"), "NV", next_year).await;
    let order = || submitted(w.customer, vec![line(w.cab, 1)]);
    assert_eq!(
        blocked_because(w.create(w.staff, order()).await),
        "LICENSE_STATE_MISMATCH"
    );
    set_licence(&w, None, "CA", next_year).await;
    assert_eq!(
        blocked_because(w.create(w.staff, order()).await),
        "LICENSE_MISSING"
    );
    // Shipping to the licence's state is what matters, not where the account is billed.
    set_licence(&w, Some("NV-1"), "NV", next_year).await;
    exec(
        &w.owner,
        r#"UPDATE customers SET shipping_address = '{"state": "NV"}' WHERE id = $1"#,
        [w.customer.into()],
    )
    .await;
    assert!(w.create(w.staff, order()).await.is_ok());
}

async fn set_credit_limit(w: &World, limit: Option<&str>) {
    exec(
        &w.owner,
        "UPDATE customers SET credit_limit = $2::numeric WHERE id = $1",
        [w.customer.into(), limit.into()],
    )
    .await;
}

#[tokio::test]
async fn submitting_beyond_the_credit_limit_is_refused_unless_a_manager_overrides() {
    let w = world().await;
    // CAB at the tier's 18.00 plus CA wine excise: 12 bottles are 216.48.
    set_credit_limit(&w, Some("300.00")).await;
    let first = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 12)]))
        .await
        .unwrap();
    assert_eq!(first.order.total, d("216.48"));

    let refused = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 5)]))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::CreditLimitExceeded);
    let details: Vec<(String, String)> = refused
        .details()
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value.to_string()))
        .collect();
    assert_eq!(
        details,
        [
            ("exposure".to_owned(), "\"216.48\"".to_owned()),
            ("creditLimit".to_owned(), "\"300.00\"".to_owned()),
            ("orderTotal".to_owned(), "\"90.20\"".to_owned()),
        ]
    );

    // A draft is not exposure; submitting it is judged like any submission.
    let draft = w
        .create(w.staff, new_order(w.customer, vec![line(w.cab, 5)]))
        .await
        .unwrap();
    let refused = w.act(w.staff, Action::Submit, draft.order.id).await;
    assert_eq!(code_and_field(refused).0, ErrorCode::CreditLimitExceeded);

    // The manager holds orders.override_credit: the override is recorded on the order and event.
    let overridden = w
        .act(w.manager, Action::Submit, draft.order.id)
        .await
        .unwrap();
    let manager_id = match w.manager.principal() {
        leora_tenancy::Principal::User { user_id } => user_id,
        _ => unreachable!(),
    };
    assert_eq!(overridden.credit_override_by_user_id, Some(manager_id));
    let submissions = w.events("order.status_changed").await;
    let last = submissions.last().unwrap();
    assert_eq!(last["orderId"], serde_json::json!(draft.order.id));
    assert_eq!(
        last["creditOverride"]["byUserId"],
        serde_json::json!(manager_id)
    );
    assert_eq!(last["creditOverride"]["exposure"], "216.48");

    // Exactly reaching the limit is allowed; a customer without a limit is unlimited.
    set_credit_limit(&w, Some("396.88")).await;
    let at_limit = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 5)]))
        .await;
    assert!(at_limit.is_ok(), "{at_limit:?}");
    set_credit_limit(&w, None).await;
    assert!(
        w.create(w.staff, submitted(w.customer, vec![line(w.cab, 50)]))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_cancelled_order_and_a_paid_invoice_free_their_credit() {
    let w = world().await;
    set_credit_limit(&w, Some("250.00")).await;
    let first = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 12)]))
        .await
        .unwrap();
    let more = || submitted(w.customer, vec![line(w.cab, 2)]);
    assert_eq!(
        code_and_field(w.create(w.staff, more()).await).0,
        ErrorCode::CreditLimitExceeded
    );
    w.act(w.staff, Action::Cancel, first.order.id)
        .await
        .unwrap();
    assert!(
        w.create(w.staff, more()).await.is_ok(),
        "cancelled: no exposure"
    );

    // Invoiced, an order's exposure is its invoice's balance (counted once); paid, nothing.
    set_credit_limit(&w, None).await;
    let fulfilled = w.fulfilled_order(12).await;
    let invoice = w.issue(fulfilled.id).await.unwrap();
    // Exposure now: the 36.08 just submitted and the 216.48 invoice.
    set_credit_limit(&w, Some("288.64")).await;
    assert!(w.create(w.staff, more()).await.is_ok(), "exactly the limit");
    assert_eq!(
        code_and_field(w.create(w.staff, more()).await).0,
        ErrorCode::CreditLimitExceeded
    );
    w.pay(invoice.id, &invoice.balance.to_string())
        .await
        .unwrap();
    assert!(w.create(w.staff, more()).await.is_ok(), "paid: no exposure");
}

fn discounted(sku: uuid::Uuid, quantity: i32, discount: &str) -> NewLine {
    NewLine {
        discount: Some(d(discount)),
        ..line(sku, quantity)
    }
}

#[tokio::test]
async fn a_line_discount_above_the_roles_limit_is_refused_with_the_lines_path() {
    let w = world().await;
    // 10 CAB at 18.00 is a 180.00 line: a rep may take 10 % (18.00) off it, a manager 25 %.
    let order = |discount: &str| {
        new_order(
            w.customer,
            vec![line(w.gin, 1), discounted(w.cab, 10, discount)],
        )
    };
    assert!(w.create(w.staff, order("18.00")).await.is_ok());
    let refused = w.create(w.staff, order("18.01")).await;
    assert_eq!(
        code_and_field(refused),
        (ErrorCode::Forbidden, Some("lines[1].discount".to_owned()))
    );
    assert!(w.create(w.manager, order("45.00")).await.is_ok());
    assert_eq!(
        code_and_field(w.create(w.manager, order("45.01")).await).0,
        ErrorCode::Forbidden
    );

    // The tenant sets the limits; a role it does not name gives no discount.
    exec(
        &w.owner,
        r#"UPDATE tenant_settings SET line_discount_limits = '{"sales_rep": 5}' WHERE tenant_id = $1"#,
        [w.tenant.into()],
    )
    .await;
    assert_eq!(
        code_and_field(w.create(w.staff, order("18.00")).await).0,
        ErrorCode::Forbidden
    );
    assert!(w.create(w.staff, order("9.00")).await.is_ok());
    assert_eq!(
        code_and_field(w.create(w.manager, order("0.01")).await).0,
        ErrorCode::Forbidden
    );
}
