//! Refunds: money returned against a completed payment, never more than is left of it; the
//! invoice's balance and status follow, and an invoice whose payments are refunded in full can be
//! voided.

use crate::support::*;
use leora_orders::entities::invoices::InvoiceStatus;
use leora_orders::entities::payments::PaymentStatus;
use leora_orders::service::invoices::{NewRefund, refund_payment, void_invoice};
use leora_tenancy::{ErrorCode, with_tenant};
use leora_test_db::errors::{assert_code, assert_code_and_field};
use leora_test_db::sql::{exec, scalar};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

/// The money on an invoice as the owner reads it: its status, amount paid and balance, then each
/// payment's status and refunded amount, then how many refunds the outbox holds.
async fn books(world: &World, invoice_id: Uuid) -> String {
    let line: String = scalar(
        &world.owner,
        "SELECT i.status || ' paid ' || i.amount_paid || ' owed ' || i.balance || ' | '
                || coalesce(string_agg(p.status || ' ' || p.refunded_amount, ', '
                                       ORDER BY p.created_at, p.id), '')
           FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id
          WHERE i.id = $1
          GROUP BY i.id",
        [invoice_id.into()],
    )
    .await;
    let refunds = world.events("payment.refunded").await.len();
    format!("{line} | {refunds} refund event(s)")
}

/// An issued invoice of 180.40 (10 CAB at 18.00 plus 0.40 wine tax).
async fn invoice(world: &World) -> leora_orders::entities::invoices::Model {
    let order = world.fulfilled_order(10).await;
    let invoice = world.issue(order.id).await.unwrap();
    assert_eq!(invoice.total, d("180.40"));
    invoice
}

#[tokio::test]
async fn a_partial_refund_of_a_paid_invoice_leaves_it_partially_paid() {
    let world = world().await;
    let invoice = invoice(&world).await;
    let paid = world.pay(invoice.id, "180.40").await.unwrap();
    assert_eq!(paid.invoice.status, InvoiceStatus::Paid);
    assert_eq!(paid.payment.refunded_amount, Decimal::ZERO);

    let refunded = world
        .refund(paid.payment.id, "30.40", " two bottles corked ")
        .await
        .unwrap();
    assert_eq!(refunded.payment.refunded_amount, d("30.40"));
    assert_eq!(refunded.payment.amount, d("180.40"));
    assert_eq!(
        refunded.payment.status,
        PaymentStatus::Completed,
        "a payment refunded in part is still completed"
    );
    assert_eq!(refunded.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(
        (refunded.invoice.amount_paid, refunded.invoice.balance),
        (d("150.00"), d("30.40"))
    );
    assert_eq!(refunded.invoice.paid_at, None, "no longer paid");

    let events = world.events("payment.refunded").await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0],
        json!({
            "paymentId": paid.payment.id,
            "invoiceId": invoice.id,
            "invoiceNumber": invoice.invoice_number,
            "customerId": world.customer,
            "amount": "30.40",
            "reason": "two bottles corked",
            "refundedAmount": "30.40",
            "paymentAmount": "180.40",
            "paymentStatus": "completed",
            "balance": "30.40",
            "invoiceStatus": "partially_paid",
            "refundedByUserId": world.staff_user_id(),
        })
    );

    // The balance a refund opens is paid like any other.
    let repaid = world.pay(invoice.id, "30.40").await.unwrap();
    assert_eq!(repaid.invoice.status, InvoiceStatus::Paid);
    assert_eq!(repaid.invoice.balance, Decimal::ZERO);
    assert!(repaid.invoice.paid_at.is_some());
}

#[tokio::test]
async fn a_payment_refunded_in_full_is_refunded_and_an_invoice_with_nothing_paid_is_issued() {
    let world = world().await;
    let invoice = invoice(&world).await;
    let first = world.pay(invoice.id, "100.00").await.unwrap().payment;
    let second = world.pay(invoice.id, "80.40").await.unwrap().payment;

    let whole = world
        .refund(first.id, "100.00", "returned case")
        .await
        .unwrap();
    assert_eq!(whole.payment.status, PaymentStatus::Refunded);
    assert_eq!(whole.payment.refunded_amount, d("100.00"));
    assert_eq!(whole.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(
        (whole.invoice.amount_paid, whole.invoice.balance),
        (d("80.40"), d("100.00"))
    );

    world.refund(second.id, "40.00", "goodwill").await.unwrap();
    let rest = world
        .refund(second.id, "40.40", "order cancelled")
        .await
        .unwrap();
    assert_eq!(rest.payment.status, PaymentStatus::Refunded);
    assert_eq!(rest.payment.refunded_amount, d("80.40"));
    assert_eq!(rest.invoice.status, InvoiceStatus::Issued);
    assert_eq!(
        (rest.invoice.amount_paid, rest.invoice.balance),
        (Decimal::ZERO, d("180.40"))
    );
    let events = world.events("payment.refunded").await;
    assert_eq!(events.len(), 3);
    assert_eq!(
        (&events[2]["paymentStatus"], &events[2]["refundedAmount"]),
        (&json!("refunded"), &json!("80.40"))
    );
}

#[tokio::test]
async fn a_refund_never_exceeds_what_was_paid() {
    let world = world().await;
    let invoice = invoice(&world).await;
    let payment = world.pay(invoice.id, "100.00").await.unwrap().payment;
    let before = books(&world, invoice.id).await;

    assert_code_and_field(
        world.refund(payment.id, "100.01", "too much").await,
        ErrorCode::BadUserInput,
        Some("amount"),
    );
    assert_eq!(books(&world, invoice.id).await, before, "nothing changed");

    world
        .refund(payment.id, "60.00", "short shipment")
        .await
        .unwrap();
    // Another payment raises what the invoice holds, not what this payment has left to refund.
    world.pay(invoice.id, "80.40").await.unwrap();
    let before = books(&world, invoice.id).await;
    assert_eq!(
        before,
        "partially_paid paid 120.40 owed 60.00 | completed 60.00, completed 0.00 | 1 refund event(s)"
    );
    let over = assert_code_and_field(
        world.refund(payment.id, "40.01", "a cent too much").await,
        ErrorCode::BadUserInput,
        Some("amount"),
    );
    assert!(over.to_string().contains("40.00 left"), "{over}");
    assert_eq!(books(&world, invoice.id).await, before, "nothing changed");

    let last = world.refund(payment.id, "40.00", "the rest").await.unwrap();
    assert_eq!(last.payment.status, PaymentStatus::Refunded);
    assert_eq!(last.invoice.amount_paid, d("80.40"));
}

#[tokio::test]
async fn a_refund_is_a_positive_amount_in_whole_cents_with_a_reason() {
    let world = world().await;
    let invoice = invoice(&world).await;
    let payment = world.pay(invoice.id, "100.00").await.unwrap().payment;
    let before = books(&world, invoice.id).await;

    for (amount, why) in [
        ("0", "zero"),
        ("-5.00", "negative"),
        ("1.005", "a fraction of a cent"),
        ("1000000000000", "beyond the column"),
    ] {
        assert_code_and_field(
            world.refund(payment.id, amount, "a reason").await,
            ErrorCode::BadUserInput,
            Some("amount"),
        );
        assert_eq!(books(&world, invoice.id).await, before, "{why}");
    }
    let too_long = "x".repeat(501);
    for reason in ["", "   ", too_long.as_str()] {
        assert_code_and_field(
            world.refund(payment.id, "1.00", reason).await,
            ErrorCode::BadUserInput,
            Some("reason"),
        );
    }
    assert_eq!(books(&world, invoice.id).await, before);
    // Trailing zeros are the same amount.
    let refunded = world.refund(payment.id, "1.500", "a reason").await.unwrap();
    assert_eq!(refunded.payment.refunded_amount, d("1.50"));
}

#[tokio::test]
async fn only_a_completed_payment_is_refunded() {
    let world = world().await;
    let invoice = invoice(&world).await;
    let payment = world.pay(invoice.id, "100.00").await.unwrap().payment;
    world
        .refund(payment.id, "100.00", "returned")
        .await
        .unwrap();
    let before = books(&world, invoice.id).await;
    let again = assert_code(
        world.refund(payment.id, "0.01", "once more").await,
        ErrorCode::InvalidTransition,
    );
    assert_eq!(
        again.to_string(),
        "cannot refund a payment that is refunded"
    );
    assert_eq!(books(&world, invoice.id).await, before);

    // Pending and failed payments, which no service records today, moved no money to return.
    let other = world.pay(invoice.id, "50.00").await.unwrap().payment;
    for status in ["pending", "failed"] {
        exec(
            &world.owner,
            "UPDATE payments SET status = $2 WHERE id = $1",
            [other.id.into(), status.into()],
        )
        .await;
        let before = books(&world, invoice.id).await;
        assert_code(
            world.refund(other.id, "1.00", "never received").await,
            ErrorCode::InvalidTransition,
        );
        assert_eq!(books(&world, invoice.id).await, before, "{status}");
    }
}

#[tokio::test]
async fn a_portal_user_never_refunds() {
    let world = world().await;
    let invoice = invoice(&world).await;
    let payment = world.pay(invoice.id, "180.40").await.unwrap().payment;
    let before = books(&world, invoice.id).await;
    assert_code(
        world
            .refund_as(world.portal, payment.id, "10.00", "we want it back")
            .await,
        ErrorCode::Forbidden,
    );
    assert_eq!(books(&world, invoice.id).await, before);
}

#[tokio::test]
async fn another_tenants_payment_is_not_found_and_untouched() {
    let world = world().await;
    let beta: Uuid = scalar(
        &world.owner,
        "SELECT tenant_id FROM customers WHERE id = $1",
        [world.foreign_customer.into()],
    )
    .await;
    let foreign_invoice: Uuid = scalar(
        &world.owner,
        "WITH o AS (
           INSERT INTO orders (tenant_id, customer_id, order_number, status, subtotal, total)
           VALUES ($1, $2, 'ORD-000001', 'fulfilled', 50.00, 50.00) RETURNING tenant_id, customer_id, id)
         INSERT INTO invoices (tenant_id, customer_id, order_id, invoice_number, status, due_date,
                               subtotal, tax_total, total, amount_paid, balance)
         SELECT tenant_id, customer_id, id, 'INV-000001', 'paid', current_date, 50.00, 0, 50.00, 50.00, 0
           FROM o RETURNING id",
        [beta.into(), world.foreign_customer.into()],
    )
    .await;
    let foreign_payment: Uuid = scalar(
        &world.owner,
        "INSERT INTO payments (tenant_id, customer_id, invoice_id, amount, method)
         VALUES ($1, $2, $3, 50.00, 'wire') RETURNING id",
        [
            beta.into(),
            world.foreign_customer.into(),
            foreign_invoice.into(),
        ],
    )
    .await;
    let before = books(&world, foreign_invoice).await;

    assert_code(
        world
            .refund(foreign_payment, "10.00", "not ours to give")
            .await,
        ErrorCode::NotFound,
    );
    assert_code(
        world
            .refund(Uuid::now_v7(), "10.00", "no such payment")
            .await,
        ErrorCode::NotFound,
    );
    assert_eq!(books(&world, foreign_invoice).await, before);
    assert_eq!(
        world
            .count(
                "SELECT count(*) FROM webhook_events WHERE event_type = 'payment.refunded'",
                [],
            )
            .await,
        0
    );
}

#[tokio::test]
async fn concurrent_refunds_never_return_more_than_was_paid() {
    let world = world().await;
    let invoice = invoice(&world).await;
    let payment = world.pay(invoice.id, "100.00").await.unwrap().payment;

    // Two refunds of 60 % each at once: the payment's lock makes the second see the first's
    // refund, so exactly one succeeds.
    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let (db, ctx, payment_id) = (world.db.clone(), world.staff, payment.id);
        let refund = NewRefund {
            amount: d("60.00"),
            reason: "double click".into(),
        };
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| {
                refund_payment(tx, payment_id, refund).await
            })
            .await
        });
    }
    let refused = the_one_refused(tasks.join_all().await);
    assert_eq!(
        code_and_field(refused),
        (ErrorCode::BadUserInput, Some("amount".to_owned()))
    );
    assert_eq!(
        books(&world, invoice.id).await,
        "partially_paid paid 40.00 owed 140.40 | completed 60.00 | 1 refund event(s)"
    );
}

#[tokio::test]
async fn an_invoice_is_voided_once_its_payments_are_refunded_in_full() {
    let world = world().await;
    let staff = world.staff;
    let invoice = invoice(&world).await;
    let first = world.pay(invoice.id, "100.00").await.unwrap().payment;
    let second = world.pay(invoice.id, "80.40").await.unwrap().payment;
    let void = async || {
        world
            .run(staff, async |tx| void_invoice(tx, invoice.id).await)
            .await
    };

    assert_code(void().await, ErrorCode::Conflict);
    world
        .refund(first.id, "100.00", "wrong customer")
        .await
        .unwrap();
    assert_code(void().await, ErrorCode::Conflict);
    world
        .refund(second.id, "80.00", "wrong customer")
        .await
        .unwrap();
    // A payment refunded in part still holds money of the customer's.
    assert_code(void().await, ErrorCode::Conflict);
    world
        .refund(second.id, "0.40", "wrong customer")
        .await
        .unwrap();

    let voided = void().await.unwrap();
    assert_eq!(voided.status, InvoiceStatus::Void);
    assert_eq!(
        (voided.amount_paid, voided.balance),
        (Decimal::ZERO, d("180.40"))
    );
    assert_eq!(
        books(&world, invoice.id).await,
        "void paid 0.00 owed 180.40 | refunded 100.00, refunded 80.40 | 3 refund event(s)"
    );
    assert_code(
        world.refund(second.id, "0.01", "after the void").await,
        ErrorCode::InvalidTransition,
    );
    // The order can be invoiced again, for the right customer this time.
    let replacement = world.issue(invoice.order_id).await.unwrap();
    assert_eq!(replacement.status, InvoiceStatus::Issued);
    assert_ne!(replacement.invoice_number, invoice.invoice_number);
}
