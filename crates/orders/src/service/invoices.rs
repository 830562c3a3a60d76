//! Invoices and payments (docs/domain-rules.md, "Invoices and payments"): an invoice is issued from
//! a fulfilled (or delivered) order, at most one live invoice per order; payments reduce its
//! balance, never below zero, and refunds of them raise it again; its status follows what stays
//! paid ([`settled_status`]) — issued → partially paid → paid and back, overdue once past due
//! with a balance, void once no completed payment is left.
//!
//! Invoicing is the distributor's book-keeping: portal users read invoices (row-level security
//! shows them their own) but issue, pay, refund and void none.

use chrono::{DateTime, Days, NaiveDate, Utc};
use leora_catalog::entities::customers::{self, PaymentTerms};
use leora_tenancy::TenantContext;
use leora_tenancy::TenantTx;
use leora_tenancy::events::{self, EventType};
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::stmt;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::access::{Actor, customer_rows, staff};
use super::money_json;
use super::numbers::next_invoice_number;
use super::settings::{self, Lock};
use super::validate::{self, DOCUMENT_MONEY_LIMIT, MAX_PAYMENTS_PER_INVOICE};
use crate::entities::invoices::{self, InvoiceStatus};
use crate::entities::orders::{self, OrderStatus};
use crate::entities::payments::{self, PaymentMethod, PaymentStatus};
use crate::error::OrdersError;

const MAX_REFERENCE_CHARS: usize = 200;
/// Room for a sentence or two; the reason travels in the `payment.refunded` event.
const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone)]
pub struct NewPayment {
    /// Positive, whole cents, at most the invoice's balance.
    pub amount: Decimal,
    pub method: PaymentMethod,
    /// Cheque number, transfer id …
    pub reference: Option<String>,
    /// `None` is now.
    pub received_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedPayment {
    pub payment: payments::Model,
    /// The invoice after the payment.
    pub invoice: invoices::Model,
}

#[derive(Debug, Clone)]
pub struct NewRefund {
    /// Positive, whole cents, at most what is left of the payment: its amount less what was
    /// already refunded of it.
    pub amount: Decimal,
    /// Why the money goes back: required, kept in the `payment.refunded` event.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundedPayment {
    /// The payment after the refund: `refunded_amount` raised, `refunded` once all of it was.
    pub payment: payments::Model,
    /// The invoice after the refund.
    pub invoice: invoices::Model,
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    /// Any of these, matched against the stored status; empty means any status.
    pub statuses: Vec<InvoiceStatus>,
    pub customer_id: Option<Uuid>,
    /// Any of these customers; empty means any.
    pub customer_ids: Vec<Uuid>,
    /// Inclusive, on `issued_at`.
    pub issued_from: Option<DateTime<Utc>>,
    /// Inclusive.
    pub issued_to: Option<DateTime<Utc>>,
    /// Inclusive, on `due_date`.
    pub due_from: Option<NaiveDate>,
    /// Inclusive.
    pub due_to: Option<NaiveDate>,
    /// Inclusive, on what is still owed (`balance`).
    pub balance_from: Option<Decimal>,
    /// Inclusive.
    pub balance_to: Option<Decimal>,
}

/// The invoices the principal sees that match `filter`, newest first (the caller breaks ties).
pub fn invoices(ctx: &TenantContext, filter: &InvoiceFilter) -> Select<invoices::Entity> {
    use invoices::Column;
    customer_rows(ctx, Column::CustomerId)
        .filter_in(Column::Status, filter.statuses.iter().copied())
        .filter_eq(Column::CustomerId, filter.customer_id)
        .filter_in(Column::CustomerId, filter.customer_ids.iter().copied())
        .filter_within(Column::IssuedAt, filter.issued_from, filter.issued_to)
        .filter_within(Column::DueDate, filter.due_from, filter.due_to)
        .filter_within(Column::Balance, filter.balance_from, filter.balance_to)
        .order_by_desc(Column::IssuedAt)
}

/// One invoice the transaction can see; any other → `NotFound`.
pub async fn invoice(tx: &DatabaseTransaction, id: Uuid) -> Result<invoices::Model, OrdersError> {
    invoices::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("invoice"))
}

/// Issues the invoice of a fulfilled or delivered order (`InvalidTransition` otherwise), at most
/// one live invoice per order (`Conflict`; once it is voided, the order can be invoiced again,
/// under a new number). Its totals are the order's; it is due after the customer's payment terms
/// (net 15/30/60 days; prepaid and COD on the day of issue).
pub async fn issue_invoice(tx: &TenantTx, order_id: Uuid) -> Result<invoices::Model, OrdersError> {
    let ctx = tx.context();
    staff(ctx, "only staff issue invoices")?;
    // Locked so two concurrent issues of one order run one after the other and the second sees
    // the first's invoice.
    let order = orders::Entity::find_by_id(order_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("order"))?;
    if !matches!(
        order.status,
        OrderStatus::Fulfilled | OrderStatus::Delivered
    ) {
        return Err(OrdersError::InvalidTransition {
            entity: "an order",
            from: order.status.to_value(),
            action: "invoice",
        });
    }
    if let Some(existing) = invoices::Entity::find()
        .filter(invoices::Column::OrderId.eq(order.id))
        .filter(invoices::Column::Status.ne(InvoiceStatus::Void))
        .one(tx)
        .await?
    {
        return Err(OrdersError::state_conflict(format!(
            "order {} already has invoice {}",
            order.order_number, existing.invoice_number
        )));
    }
    let customer = customers::Entity::find_by_id(order.customer_id)
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("customer"))?;
    let settings = settings::load(tx, Lock::None).await?;
    let invoice_number = next_invoice_number(tx).await?;
    let invoice = invoices::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(ctx.tenant_id()),
        customer_id: Set(order.customer_id),
        order_id: Set(order.id),
        invoice_number: Set(invoice_number),
        status: Set(InvoiceStatus::Issued),
        issued_at: Set(settings.now),
        due_date: Set(due_date(settings.today, customer.payment_terms)),
        subtotal: Set(order.subtotal),
        tax_total: Set(order.tax_total),
        total: Set(order.total),
        amount_paid: Set(Decimal::ZERO),
        balance: Set(order.total),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let payload = json!({
        "invoiceId": invoice.id,
        "invoiceNumber": invoice.invoice_number,
        "orderId": order.id,
        "orderNumber": order.order_number,
        "customerId": invoice.customer_id,
        "total": money_json(invoice.total),
        "dueDate": invoice.due_date,
    });
    events::record(tx, invoice.tenant_id, EventType::InvoiceIssued, payload).await?;
    Ok(invoice)
}

/// Records a completed payment against an invoice and updates its balance and status.
///
/// Refusals: an amount not positive or not in whole cents → `BadInput` on `amount`; more than the
/// balance → `BadInput` on `amount` (overpayment); a void or paid invoice → `InvalidTransition`.
/// The invoice row is locked first, so concurrent payments are judged one after the other against
/// the balance each leaves.
pub async fn record_payment(
    tx: &TenantTx,
    invoice_id: Uuid,
    input: NewPayment,
) -> Result<RecordedPayment, OrdersError> {
    let ctx = tx.context();
    staff(ctx, "only staff record payments")?;
    let amount = positive_amount(input.amount)?;
    let reference = validate::optional_text("reference", input.reference, MAX_REFERENCE_CHARS)?;
    let invoice = locked_invoice(tx, invoice_id).await?;
    if matches!(
        invoice.status,
        InvoiceStatus::Void | InvoiceStatus::Draft | InvoiceStatus::Paid
    ) {
        return Err(OrdersError::InvalidTransition {
            entity: "an invoice",
            from: invoice.status.to_value(),
            action: "record a payment on",
        });
    }
    if amount > invoice.balance {
        return Err(OrdersError::bad_input(
            "amount",
            format!(
                "{amount} is more than the balance of {} on invoice {}",
                invoice.balance, invoice.invoice_number
            ),
        ));
    }

    let payment = payments::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(invoice.tenant_id),
        customer_id: Set(invoice.customer_id),
        invoice_id: Set(invoice.id),
        amount: Set(amount),
        method: Set(input.method),
        reference: Set(reference),
        status: Set(PaymentStatus::Completed),
        received_at: input.received_at.map_or(NotSet, Set),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    validate::rows_at_most(
        tx,
        "SELECT count(*) FROM payments WHERE invoice_id = $1",
        invoice.id,
        MAX_PAYMENTS_PER_INVOICE,
        "invoiceId",
        "an invoice takes at most this many payments:",
    )
    .await?;

    let amount_paid = invoice.amount_paid + amount;
    // The transaction's time, as the database stamped the payment.
    let invoice = settle(tx, invoice, amount_paid, payment.created_at).await?;
    let paid = invoice.status == InvoiceStatus::Paid;

    let payload = json!({
        "paymentId": payment.id,
        "invoiceId": invoice.id,
        "invoiceNumber": invoice.invoice_number,
        "customerId": invoice.customer_id,
        "amount": money_json(payment.amount),
        "method": payment.method.to_value(),
        "balance": money_json(invoice.balance),
    });
    events::record(tx, invoice.tenant_id, EventType::PaymentRecorded, payload).await?;
    if paid {
        let payload = json!({
            "invoiceId": invoice.id,
            "invoiceNumber": invoice.invoice_number,
            "orderId": invoice.order_id,
            "customerId": invoice.customer_id,
            "total": money_json(invoice.total),
        });
        events::record(tx, invoice.tenant_id, EventType::InvoicePaid, payload).await?;
    }
    Ok(RecordedPayment { payment, invoice })
}

/// Returns `input.amount` of a completed payment to the customer. The invoice's balance and
/// status follow ([`settled_status`]): a paid invoice is partially paid again, or issued once
/// nothing stays paid. A payment refunded in full is `refunded`, so it no longer keeps its invoice
/// from being voided.
///
/// Refusals: a portal user → `Forbidden`; an amount not positive or not in whole cents, or more
/// than the payment's amount less what was already refunded of it → `BadInput` on `amount`; a
/// blank or overlong reason → `BadInput` on `reason`; a payment that is not completed (pending,
/// failed, or already refunded in full) → `InvalidTransition`; a payment the transaction cannot
/// see (another tenant's) → `NotFound`. The payment row is locked, then its invoice's, so
/// concurrent refunds are judged one after the other against what each leaves; no other writer
/// locks a payment, so the order cannot deadlock with a payment or a void, which lock the invoice
/// alone.
pub async fn refund_payment(
    tx: &TenantTx,
    payment_id: Uuid,
    input: NewRefund,
) -> Result<RefundedPayment, OrdersError> {
    let ctx = tx.context();
    staff(ctx, "only staff refund payments")?;
    // Who returned the money, for the event: a member of staff, or no one for a job of the tenant.
    let refunded_by = Actor::of(ctx)?.user_id();
    let amount = positive_amount(input.amount)?;
    let reason = validate::required_text("reason", &input.reason, MAX_REASON_CHARS)?;
    let payment = payments::Entity::find_by_id(payment_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("payment"))?;
    if payment.status != PaymentStatus::Completed {
        return Err(OrdersError::InvalidTransition {
            entity: "a payment",
            from: payment.status.to_value(),
            action: "refund",
        });
    }
    let invoice = locked_invoice(tx, payment.invoice_id).await?;
    // Unreachable while voiding requires every payment refunded in full, but a refund must never
    // bring a void invoice back to life.
    if matches!(invoice.status, InvoiceStatus::Void | InvoiceStatus::Draft) {
        return Err(OrdersError::InvalidTransition {
            entity: "an invoice",
            from: invoice.status.to_value(),
            action: "refund a payment on",
        });
    }
    let refundable = payment.amount - payment.refunded_amount;
    if amount > refundable {
        return Err(OrdersError::bad_input(
            "amount",
            format!(
                "{amount} is more than the {refundable} left to refund of this payment on invoice {}",
                invoice.invoice_number
            ),
        ));
    }

    let refunded_amount = payment.refunded_amount + amount;
    let refunded_in_full = refunded_amount == payment.amount;
    let mut changes: payments::ActiveModel = payment.into();
    changes.refunded_amount = Set(refunded_amount);
    if refunded_in_full {
        changes.status = Set(PaymentStatus::Refunded);
    }
    let payment = changes.update(tx).await?;
    let amount_paid = invoice.amount_paid - amount;
    let invoice = settle(tx, invoice, amount_paid, payment.updated_at).await?;

    let payload = json!({
        "paymentId": payment.id,
        "invoiceId": invoice.id,
        "invoiceNumber": invoice.invoice_number,
        "customerId": invoice.customer_id,
        "amount": money_json(amount),
        "reason": reason,
        "refundedAmount": money_json(payment.refunded_amount),
        "paymentAmount": money_json(payment.amount),
        "paymentStatus": payment.status.to_value(),
        "balance": money_json(invoice.balance),
        "invoiceStatus": invoice.status.to_value(),
        "refundedByUserId": refunded_by,
    });
    events::record(tx, invoice.tenant_id, EventType::PaymentRefunded, payload).await?;
    Ok(RefundedPayment { payment, invoice })
}

/// Voids an invoice that has no completed payments (`Conflict` otherwise: refund them first, in
/// full; a payment refunded in full is `refunded` and no longer counts). A void invoice stays void
/// (`InvalidTransition`); its order can be invoiced again.
pub async fn void_invoice(tx: &TenantTx, invoice_id: Uuid) -> Result<invoices::Model, OrdersError> {
    let ctx = tx.context();
    staff(ctx, "only staff void invoices")?;
    let invoice = locked_invoice(tx, invoice_id).await?;
    if invoice.status == InvoiceStatus::Void {
        return Err(OrdersError::InvalidTransition {
            entity: "an invoice",
            from: invoice.status.to_value(),
            action: "void",
        });
    }
    let completed = payments::Entity::find()
        .filter(payments::Column::InvoiceId.eq(invoice.id))
        .filter(payments::Column::Status.eq(PaymentStatus::Completed))
        .count(tx)
        .await?;
    if completed > 0 {
        return Err(OrdersError::state_conflict(format!(
            "invoice {} has {completed} completed payment(s): refund them in full before voiding",
            invoice.invoice_number
        )));
    }
    invoices::Entity::find()
        .from_raw_sql(stmt(
            "UPDATE invoices SET status = 'void', voided_at = now() WHERE id = $1 RETURNING *",
            [invoice.id.into()],
        ))
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("invoice"))
}

/// The stored status of a live invoice of which `amount_paid` stays paid (its payments less what
/// was refunded of them), leaving `balance`: nothing paid is `issued`, nothing owed `paid`,
/// anything between `partially_paid`. The one rule payments and refunds both follow; overdue is
/// read from the due date ([`effective_status`]), so a payment or refund on an overdue invoice
/// stores what the money says and the date still shows it overdue.
pub fn settled_status(amount_paid: Decimal, balance: Decimal) -> InvoiceStatus {
    if amount_paid.is_zero() {
        InvoiceStatus::Issued
    } else if balance.is_zero() {
        InvoiceStatus::Paid
    } else {
        InvoiceStatus::PartiallyPaid
    }
}

/// Stores that `amount_paid` now stays paid on `invoice`: its balance and [`settled_status`]
/// follow, and `paid_at` is `at` when that pays it, cleared when a refund opens it again.
async fn settle(
    tx: &DatabaseTransaction,
    invoice: invoices::Model,
    amount_paid: Decimal,
    at: DateTime<Utc>,
) -> Result<invoices::Model, OrdersError> {
    let balance = invoice.total - amount_paid;
    let status = settled_status(amount_paid, balance);
    let mut changes: invoices::ActiveModel = invoice.into();
    changes.amount_paid = Set(amount_paid);
    changes.balance = Set(balance);
    changes.status = Set(status);
    changes.paid_at = Set((status == InvoiceStatus::Paid).then_some(at));
    Ok(changes.update(tx).await?)
}

/// An amount of money moved by a payment or a refund: positive whole cents below the column's
/// capacity (`BadInput` on `amount` otherwise).
fn positive_amount(amount: Decimal) -> Result<Decimal, OrdersError> {
    let amount = validate::money("amount", amount, DOCUMENT_MONEY_LIMIT)?;
    if amount.is_zero() {
        return Err(OrdersError::bad_input("amount", "must be more than zero"));
    }
    Ok(amount)
}

/// The status to show on `today`: an issued or partially paid invoice past its due date with a
/// balance left is overdue, whether or not the overdue job has marked it yet.
pub fn effective_status(invoice: &invoices::Model, today: NaiveDate) -> InvoiceStatus {
    match invoice.status {
        InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid
            if invoice.due_date < today && invoice.balance > Decimal::ZERO =>
        {
            InvoiceStatus::Overdue
        }
        status => status,
    }
}

/// Stores `overdue` on every invoice [`effective_status`] reads as overdue on `today`; returns how
/// many changed. For the scheduled job, run per tenant.
pub async fn mark_overdue(tx: &DatabaseTransaction, today: NaiveDate) -> Result<u64, OrdersError> {
    let result = tx
        .execute_raw(stmt(
            "UPDATE invoices SET status = 'overdue'
              WHERE status IN ('issued', 'partially_paid') AND due_date < $1 AND balance > 0",
            [today.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

/// When an invoice issued on `issued_on` falls due under `terms`.
pub fn due_date(issued_on: NaiveDate, terms: PaymentTerms) -> NaiveDate {
    let days = match terms {
        PaymentTerms::Prepaid | PaymentTerms::Cod => 0,
        PaymentTerms::Net15 => 15,
        PaymentTerms::Net30 => 30,
        PaymentTerms::Net60 => 60,
    };
    // Adding at most 60 days overflows only at the end of chrono's calendar (year 262 143).
    issued_on
        .checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

async fn locked_invoice(
    tx: &DatabaseTransaction,
    invoice_id: Uuid,
) -> Result<invoices::Model, OrdersError> {
    invoices::Entity::find_by_id(invoice_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("invoice"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(value: &str) -> NaiveDate {
        value.parse().unwrap()
    }

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    fn invoice(status: InvoiceStatus, due: &str, balance: &str) -> invoices::Model {
        let at = DateTime::<Utc>::MIN_UTC;
        invoices::Model {
            id: Uuid::nil(),
            tenant_id: Uuid::nil(),
            customer_id: Uuid::nil(),
            order_id: Uuid::nil(),
            invoice_number: "INV-000001".into(),
            status,
            issued_at: at,
            due_date: date(due),
            subtotal: d("100.00"),
            tax_total: d("0"),
            total: d("100.00"),
            amount_paid: d("100.00") - d(balance),
            balance: d(balance),
            paid_at: None,
            voided_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn payment_terms_set_the_due_date() {
        let issued = date("2026-01-20");
        assert_eq!(due_date(issued, PaymentTerms::Prepaid), issued);
        assert_eq!(due_date(issued, PaymentTerms::Cod), issued);
        assert_eq!(due_date(issued, PaymentTerms::Net15), date("2026-02-04"));
        assert_eq!(due_date(issued, PaymentTerms::Net30), date("2026-02-19"));
        assert_eq!(due_date(issued, PaymentTerms::Net60), date("2026-03-21"));
    }

    #[test]
    fn an_invoices_status_follows_what_stays_paid() {
        use InvoiceStatus::*;
        // (amount paid less refunds, balance) of an invoice of 100.00.
        let cases = [
            ("0", "100.00", Issued),
            ("0.01", "99.99", PartiallyPaid),
            ("99.99", "0.01", PartiallyPaid),
            ("100.00", "0", Paid),
        ];
        for (amount_paid, balance, expected) in cases {
            assert_eq!(
                settled_status(d(amount_paid), d(balance)),
                expected,
                "{amount_paid} paid, {balance} owed"
            );
        }
    }

    #[test]
    fn an_unpaid_invoice_is_overdue_only_after_its_due_date() {
        use InvoiceStatus::*;
        let cases = [
            (Issued, "2026-03-10", "100.00", "2026-03-10", Issued),
            (Issued, "2026-03-10", "100.00", "2026-03-11", Overdue),
            (PartiallyPaid, "2026-03-10", "40.00", "2026-03-11", Overdue),
            (
                PartiallyPaid,
                "2026-03-10",
                "40.00",
                "2026-03-09",
                PartiallyPaid,
            ),
            (Paid, "2026-03-10", "0", "2026-04-01", Paid),
            (Void, "2026-03-10", "100.00", "2026-04-01", Void),
            (Overdue, "2026-03-10", "100.00", "2026-04-01", Overdue),
            (Draft, "2026-03-10", "100.00", "2026-04-01", Draft),
        ];
        for (status, due, balance, today, expected) in cases {
            assert_eq!(
                effective_status(&invoice(status, due, balance), date(today)),
                expected,
                "{status:?} due {due} with {balance} left, on {today}"
            );
        }
    }
}
