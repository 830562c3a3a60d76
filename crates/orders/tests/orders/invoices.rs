//! Invoices: their status follows payments, a voided one is issued again, overpayment is refused.

use crate::support::*;
use chrono::Days;
use leora_orders::entities::invoices::InvoiceStatus;
use leora_orders::entities::payments::PaymentMethod;
use leora_orders::service::batch::{invoices_of_orders, payments_of_invoices};
use leora_orders::service::invoices::{
    NewPayment, effective_status, issue_invoice, mark_overdue, record_payment, void_invoice,
};
use leora_tenancy::{ErrorCode, TenantContext, with_tenant};
use leora_test_db::errors::assert_code;
use leora_test_db::fixtures::tenant_date_of;
use leora_test_db::sql::scalar;
use rust_decimal::Decimal;

#[tokio::test]
async fn invoice_status_follows_payments() {
    let world = world().await;
    let staff = world.staff;
    // 10 × 18.00 = 180.00; 7.5 l of wine = 1.98 gal × 0.20 = 0.40 tax.
    let order = world.fulfilled_order(10).await;
    assert_eq!(order.total, d("180.40"));

    let pending = world
        .create(staff, submitted(world.customer, vec![line(world.cab, 1)]))
        .await
        .unwrap()
        .order;
    assert_code(world.issue(pending.id).await, ErrorCode::InvalidTransition);
    let portal = world.portal;
    assert_code(
        world
            .run(portal, async |tx| issue_invoice(tx, order.id).await)
            .await,
        ErrorCode::Forbidden,
    );

    let invoice = world.issue(order.id).await.unwrap();
    assert_eq!(invoice.invoice_number, "INV-000001");
    assert_eq!(invoice.status, InvoiceStatus::Issued);
    assert_eq!(
        (invoice.subtotal, invoice.tax_total, invoice.total),
        (order.subtotal, order.tax_total, order.total)
    );
    assert_eq!(invoice.balance, d("180.40"));
    // The invoice is dated on the tenant's calendar, not UTC's.
    let issued_on = tenant_date_of(&world.owner, world.tenant, invoice.issued_at).await;
    assert_eq!(
        invoice.due_date,
        issued_on.checked_add_days(Days::new(30)).unwrap()
    );
    assert_code(world.issue(order.id).await, ErrorCode::Conflict);
    assert_eq!(world.events("invoice.issued").await.len(), 1);

    let first = world.pay(invoice.id, "80.40").await.unwrap();
    assert_eq!(first.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(
        (first.invoice.amount_paid, first.invoice.balance),
        (d("80.40"), d("100.00"))
    );
    assert_eq!(first.payment.amount, d("80.40"));

    // Past its due date with a balance it reads as overdue, and the job stores that.
    let after_due = invoice.due_date.checked_add_days(Days::new(1)).unwrap();
    assert_eq!(
        effective_status(&first.invoice, invoice.due_date),
        InvoiceStatus::PartiallyPaid
    );
    assert_eq!(
        effective_status(&first.invoice, after_due),
        InvoiceStatus::Overdue
    );
    let system = TenantContext::system(world.tenant);
    let marked = world
        .run(system, async |tx| mark_overdue(tx, after_due).await)
        .await
        .unwrap();
    assert_eq!(marked, 1);
    let again = world
        .run(system, async |tx| mark_overdue(tx, after_due).await)
        .await
        .unwrap();
    assert_eq!(again, 0);

    let last = world.pay(invoice.id, "100.00").await.unwrap();
    assert_eq!(last.invoice.status, InvoiceStatus::Paid);
    assert_eq!(last.invoice.balance, Decimal::ZERO);
    assert!(last.invoice.paid_at.is_some());
    assert_eq!(
        effective_status(&last.invoice, after_due),
        InvoiceStatus::Paid
    );
    assert_code(
        world.pay(invoice.id, "0.01").await,
        ErrorCode::InvalidTransition,
    );

    let recorded = world.events("payment.recorded").await;
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1]["balance"], "0.00");
    let paid = world.events("invoice.paid").await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0]["invoiceId"], invoice.id.to_string());

    let payments = world
        .run(staff, async |tx| {
            payments_of_invoices(tx, &[invoice.id]).await
        })
        .await
        .unwrap()
        .remove(&invoice.id)
        .unwrap();
    assert_eq!(payments.len(), 2);

    // A paid invoice cannot be voided; an unpaid one can, and then takes no payments.
    assert_code(
        world
            .run(staff, async |tx| void_invoice(tx, invoice.id).await)
            .await,
        ErrorCode::Conflict,
    );
    let second = world.fulfilled_order(1).await;
    let unpaid = world.issue(second.id).await.unwrap();
    assert_eq!(unpaid.invoice_number, "INV-000002");
    let voided = world
        .run(staff, async |tx| void_invoice(tx, unpaid.id).await)
        .await
        .unwrap();
    assert_eq!(voided.status, InvoiceStatus::Void);
    assert!(voided.voided_at.is_some());
    assert_code(
        world.pay(unpaid.id, "1.00").await,
        ErrorCode::InvalidTransition,
    );
    assert_code(
        world
            .run(staff, async |tx| void_invoice(tx, unpaid.id).await)
            .await,
        ErrorCode::InvalidTransition,
    );
}

#[tokio::test]
async fn an_order_whose_invoice_was_voided_is_invoiced_again_under_a_new_number() {
    let world = world().await;
    let staff = world.staff;
    let order = world.fulfilled_order(2).await;
    let first = world.issue(order.id).await.unwrap();
    assert_code(world.issue(order.id).await, ErrorCode::Conflict);

    world
        .run(staff, async |tx| void_invoice(tx, first.id).await)
        .await
        .unwrap();
    let replacement = world.issue(order.id).await.unwrap();
    assert_ne!(replacement.invoice_number, first.invoice_number);
    assert_eq!(replacement.status, InvoiceStatus::Issued);
    assert_eq!(replacement.total, first.total);
    // One live invoice per order.
    assert_code(world.issue(order.id).await, ErrorCode::Conflict);

    let shown = world
        .run(staff, async |tx| invoices_of_orders(tx, &[order.id]).await)
        .await
        .unwrap();
    assert_eq!(
        shown[&order.id].id, replacement.id,
        "the order shows its live invoice"
    );

    world
        .run(staff, async |tx| void_invoice(tx, replacement.id).await)
        .await
        .unwrap();
    let shown = world
        .run(staff, async |tx| invoices_of_orders(tx, &[order.id]).await)
        .await
        .unwrap();
    assert_eq!(
        (shown[&order.id].id, shown[&order.id].status),
        (replacement.id, InvoiceStatus::Void),
        "with none live, the order shows the last one voided"
    );
}

#[tokio::test]
async fn overpayment_is_refused() {
    let world = world().await;
    let order = world.fulfilled_order(10).await;
    let invoice = world.issue(order.id).await.unwrap();
    assert_eq!(invoice.total, d("180.40"));

    for (amount, why) in [
        ("180.41", "more than owed"),
        ("0", "zero"),
        ("-5.00", "negative"),
        ("1.005", "sub-cent"),
    ] {
        let (code, field) = code_and_field(world.pay(invoice.id, amount).await);
        assert_eq!(
            (code, field.as_deref()),
            (ErrorCode::BadUserInput, Some("amount")),
            "{why}"
        );
    }

    // Two concurrent payments of 60 % each: the invoice lock makes the second see the first's
    // balance, so exactly one succeeds.
    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let (db, ctx) = (world.db.clone(), world.staff);
        let payment = NewPayment {
            amount: d("108.24"),
            method: PaymentMethod::Check,
            reference: None,
            received_at: None,
        };
        let invoice_id = invoice.id;
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| {
                record_payment(tx, invoice_id, payment).await
            })
            .await
        });
    }
    let refused = the_one_refused(tasks.join_all().await);
    let (code, field) = code_and_field(refused);
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::BadUserInput, Some("amount"))
    );
    let paid: Decimal = scalar(
        &world.owner,
        "SELECT amount_paid FROM invoices WHERE id = $1",
        [invoice.id.into()],
    )
    .await;
    assert_eq!(paid, d("108.24"));
    assert_eq!(world.count("SELECT count(*) FROM payments", []).await, 1);
}
