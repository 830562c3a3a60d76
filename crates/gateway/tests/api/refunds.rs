//! Refunds over HTTP: `refundPayment` is the admins' (`payments.refund`), returns no more than is
//! left of a payment, moves the invoice back, and lets an invoice refunded in full be voided.

use crate::orders::{CAB, order_input, seed_stock};
use crate::support::*;
use serde_json::{Value, json};

const REFUND: &str = "mutation($id: ID!, $amount: Money!, $reason: String!) {
  refundPayment(paymentId: $id, amount: $amount, reason: $reason) {
    payment { id amount refundedAmount status }
    invoice { id status amountPaid balance paidAt }
  }
}";

const VOID: &str =
    "mutation($id: ID!) { voidInvoice(invoiceId: $id) { status amountPaid balance } }";

/// A delivered order of 2 Cabernet (48.00 plus 0.08 wine tax), its invoice and one payment of all
/// of it, made by the admin: (invoice id, payment id).
pub(crate) async fn paid_invoice(app: &TestApp, admin: &str) -> (String, String) {
    seed_stock(app).await;
    let created = app
        .graphql(
            Some(admin),
            "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
            order_input(app, json!([{ "skuId": CAB, "quantity": 2 }]), true),
        )
        .await;
    let order = created.data("createOrder")["id"].clone();
    for step in ["confirmOrder", "fulfillOrder"] {
        let reply = app
            .graphql(
                Some(admin),
                &format!("mutation($id: ID!) {{ {step}(id: $id) {{ status }} }}"),
                json!({ "id": order }),
            )
            .await;
        assert!(reply.body["errors"].is_null(), "{}", reply.body);
    }
    let issued = app
        .graphql(
            Some(admin),
            "mutation($id: ID!) { issueInvoice(orderId: $id) { id total } }",
            json!({ "id": order }),
        )
        .await;
    assert_eq!(
        issued.data("issueInvoice")["total"],
        "48.08",
        "{}",
        issued.body
    );
    let invoice = text(&issued.data("issueInvoice")["id"]);
    let paid = app
        .graphql(
            Some(admin),
            "mutation($id: ID!) { recordPayment(invoiceId: $id, input: {amount: \"48.08\", method: WIRE}) {
                payment { id refundedAmount } invoice { status } } }",
            json!({ "id": invoice }),
        )
        .await;
    let recorded = paid.data("recordPayment");
    assert_eq!(
        (
            &recorded["invoice"]["status"],
            &recorded["payment"]["refundedAmount"]
        ),
        (&json!("PAID"), &json!("0.00")),
        "{}",
        paid.body
    );
    (invoice, text(&recorded["payment"]["id"]))
}

fn text(value: &Value) -> String {
    value.as_str().unwrap().to_owned()
}

fn refund(payment: &str, amount: &str, reason: &str) -> Value {
    json!({ "id": payment, "amount": amount, "reason": reason })
}

/// What the owner sees of the money: the invoice's status, paid and owed, the payment's status
/// and refunded amount, and how many refunds the outbox holds.
async fn books(app: &TestApp) -> String {
    app.scalar_text(
        "SELECT i.status || ' ' || i.amount_paid || ' ' || i.balance || ' | '
                || p.status || ' ' || p.refunded_amount || ' | '
                || (SELECT count(*) FROM webhook_events WHERE event_type = 'payment.refunded')
           FROM invoices i JOIN payments p ON p.invoice_id = i.id",
    )
    .await
}

#[tokio::test]
async fn an_admin_refunds_a_payment_and_the_invoice_goes_back_until_it_can_be_voided() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let (invoice, payment) = paid_invoice(&app, &admin).await;

    let partial = app
        .graphql(
            Some(&admin),
            REFUND,
            refund(&payment, "8.08", "two corked bottles"),
        )
        .await;
    assert_eq!(
        partial.data("refundPayment"),
        &json!({
            "payment": { "id": payment, "amount": "48.08", "refundedAmount": "8.08", "status": "COMPLETED" },
            "invoice": { "id": invoice, "status": "PARTIALLY_PAID", "amountPaid": "40.00", "balance": "8.08", "paidAt": null },
        }),
        "{}",
        partial.body
    );
    let refused = app
        .graphql(Some(&admin), VOID, json!({ "id": invoice }))
        .await;
    assert_eq!(
        refused.code(),
        "CONFLICT",
        "money is still paid: {}",
        refused.body
    );

    let rest = app
        .graphql(
            Some(&admin),
            REFUND,
            refund(&payment, "40", "order returned"),
        )
        .await;
    assert_eq!(
        rest.data("refundPayment"),
        &json!({
            "payment": { "id": payment, "amount": "48.08", "refundedAmount": "48.08", "status": "REFUNDED" },
            "invoice": { "id": invoice, "status": "ISSUED", "amountPaid": "0.00", "balance": "48.08", "paidAt": null },
        }),
        "{}",
        rest.body
    );

    // The customer's buyer sees what came back.
    let portal = app.portal_token().await;
    let seen = app
        .graphql(
            Some(&portal),
            "query($id: ID!) { invoice(id: $id) { status balance payments { refundedAmount status } } }",
            json!({ "id": invoice }),
        )
        .await;
    assert_eq!(
        seen.data("invoice"),
        &json!({ "status": "ISSUED", "balance": "48.08", "payments": [{ "refundedAmount": "48.08", "status": "REFUNDED" }] }),
        "{}",
        seen.body
    );

    let voided = app
        .graphql(Some(&admin), VOID, json!({ "id": invoice }))
        .await;
    assert_eq!(
        voided.data("voidInvoice"),
        &json!({ "status": "VOID", "amountPaid": "0.00", "balance": "48.08" }),
        "{}",
        voided.body
    );

    // Each refund's reason stays on record in the outbox.
    let events = app
        .ask(
            &admin,
            "{ webhookEvents(filter: { eventType: \"payment.refunded\" }) { totalCount edges { node { payload } } } }",
        )
        .await;
    let reasons: Vec<&Value> = events.data("webhookEvents")["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"]["payload"]["reason"])
        .collect();
    assert_eq!(
        reasons,
        [&json!("order returned"), &json!("two corked bottles")],
        "newest first: {}",
        events.body
    );
}

#[tokio::test]
async fn a_refund_beyond_what_is_left_of_the_payment_names_amount_and_changes_nothing() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let (_, payment) = paid_invoice(&app, &admin).await;
    let before = books(&app).await;
    assert_eq!(before, "paid 48.08 0.00 | completed 0.00 | 0");

    for (amount, why) in [
        ("48.09", "more than was paid"),
        ("0", "nothing"),
        ("-1.00", "negative"),
        ("0.001", "a fraction of a cent"),
    ] {
        let reply = app
            .graphql(Some(&admin), REFUND, refund(&payment, amount, "a reason"))
            .await;
        assert_eq!(
            (
                reply.code(),
                &reply.body["errors"][0]["extensions"]["field"]
            ),
            ("BAD_USER_INPUT", &json!("amount")),
            "{why}: {}",
            reply.body
        );
        assert!(reply.body["data"]["refundPayment"].is_null());
        assert_eq!(books(&app).await, before, "{why}");
    }
    let blank = app
        .graphql(Some(&admin), REFUND, refund(&payment, "1.00", " "))
        .await;
    assert_eq!(
        (
            blank.code(),
            &blank.body["errors"][0]["extensions"]["field"]
        ),
        ("BAD_USER_INPUT", &json!("reason"))
    );

    app.graphql(
        Some(&admin),
        REFUND,
        refund(&payment, "48.00", "most of it"),
    )
    .await;
    let over = app
        .graphql(
            Some(&admin),
            REFUND,
            refund(&payment, "0.09", "a cent too much"),
        )
        .await;
    assert_eq!(
        (over.code(), &over.body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("amount")),
        "{}",
        over.body
    );
    assert_eq!(
        books(&app).await,
        "partially_paid 0.08 48.00 | completed 48.00 | 1"
    );
}

#[tokio::test]
async fn only_admins_refund_staff_without_the_permission_and_portal_users_are_forbidden() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let (_, payment) = paid_invoice(&app, &admin).await;
    // A sales manager issues invoices and records payments, but returns no money.
    let created = app
        .ask(
            &admin,
            "mutation { createUser(input: {email: \"manager@acme.test\", fullName: \"Manager\", password: \"correct horse battery\", roles: [\"sales_manager\"]}) { id } }",
        )
        .await;
    assert!(created.body["errors"].is_null(), "{}", created.body);
    let manager = app.token("manager@acme.test").await;
    let rep = app.token("rep@acme.test").await;
    let portal = app.portal_token().await;

    let permissions = |reply: &Reply| {
        reply.data("me")["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("payments.refund"))
    };
    let me = "{ me { permissions } }";
    assert!(permissions(&app.ask(&admin, me).await));
    let managers = app.ask(&manager, me).await;
    assert!(!permissions(&managers));
    assert!(
        managers.data("me")["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("invoices.manage"))
    );

    let before = books(&app).await;
    for (who, token) in [
        ("manager", &manager),
        ("rep", &rep),
        ("portal user", &portal),
    ] {
        let reply = app
            .graphql(Some(token), REFUND, refund(&payment, "1.00", "please"))
            .await;
        assert_eq!(reply.code(), "FORBIDDEN", "{who}: {}", reply.body);
        assert!(reply.body["data"]["refundPayment"].is_null());
        assert_eq!(books(&app).await, before, "{who}");
    }
    let allowed = app
        .graphql(Some(&admin), REFUND, refund(&payment, "1.00", "goodwill"))
        .await;
    assert!(allowed.body["errors"].is_null(), "{}", allowed.body);
}

#[tokio::test]
async fn another_tenants_payment_is_not_found() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let (_, payment) = paid_invoice(&app, &admin).await;
    let before = books(&app).await;

    let foreign = app.token_in_second_tenant().await;
    let reply = app
        .graphql(Some(&foreign), REFUND, refund(&payment, "1.00", "not ours"))
        .await;
    assert_eq!(reply.code(), "NOT_FOUND", "{}", reply.body);
    assert_eq!(books(&app).await, before);
}
