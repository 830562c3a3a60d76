//! Drafts that stay honest: edited line by line before submission, priced again at the day they
//! are submitted, refused when a SKU is no longer for sale, deleted without a trace.

use crate::support::*;
use leora_orders::service::lifecycle::Action;
use leora_orders::service::orders::{DraftChanges, delete_draft_order, update_draft_order};
use leora_tenancy::ErrorCode;
use leora_test_db::sql::exec;
use uuid::Uuid;

impl World {
    async fn edit(
        &self,
        ctx: leora_tenancy::TenantContext,
        order_id: Uuid,
        changes: DraftChanges,
    ) -> Result<leora_orders::service::orders::OrderWithLines, leora_orders::error::OrdersError>
    {
        self.run(ctx, async |tx| {
            update_draft_order(tx, order_id, changes).await
        })
        .await
    }
}

#[tokio::test]
async fn a_draft_is_edited_lines_notes_and_date_and_keeps_its_number() {
    let w = world().await;
    let draft = w
        .create(
            w.staff,
            leora_orders::service::orders::NewOrder {
                notes: Some("first".into()),
                ..new_order(w.customer, vec![line(w.cab, 2)])
            },
        )
        .await
        .unwrap();
    assert_eq!(draft.order.total, d("36.08"));

    let edited = w
        .edit(
            w.staff,
            draft.order.id,
            DraftChanges {
                lines: Some(vec![line(w.cab, 12), line(w.gin, 2)]),
                notes: Some(None),
                ..DraftChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.order.order_number, draft.order.order_number);
    assert_eq!(edited.order.notes, None);
    assert_eq!(edited.lines.len(), 2);
    // 216.00 + 0.48 tax for the Cabernet, 55.00 untaxed Gin.
    assert_eq!(edited.order.total, d("271.48"));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM order_lines WHERE order_id = $1",
            [draft.order.id.into()]
        )
        .await,
        2
    );

    // Changing only the notes keeps the lines.
    let noted = w
        .edit(
            w.staff,
            draft.order.id,
            DraftChanges {
                notes: Some(Some("back door".into())),
                ..DraftChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(noted.order.notes.as_deref(), Some("back door"));
    assert_eq!(noted.order.total, d("271.48"));
    assert_eq!(w.stock(w.cab).await, (100, 0), "a draft reserves nothing");
}

#[tokio::test]
async fn only_a_draft_can_be_edited_or_deleted() {
    let w = world().await;
    let order = w
        .create(w.staff, submitted(w.customer, vec![line(w.cab, 1)]))
        .await
        .unwrap();
    let edit = w
        .edit(w.staff, order.order.id, DraftChanges::default())
        .await;
    assert_eq!(code_and_field(edit).0, ErrorCode::InvalidTransition);
    let delete = w
        .run(w.staff, async |tx| {
            delete_draft_order(tx, order.order.id).await
        })
        .await;
    assert_eq!(code_and_field(delete).0, ErrorCode::InvalidTransition);
}

#[tokio::test]
async fn a_draft_is_deleted_with_its_lines_and_another_customers_is_out_of_reach() {
    let w = world().await;
    let draft = w
        .create(w.staff, new_order(w.other_customer, vec![line(w.cab, 1)]))
        .await
        .unwrap();
    let id = draft.order.id;
    let reached = w
        .run(w.portal, async |tx| delete_draft_order(tx, id).await)
        .await;
    assert_eq!(code_and_field(reached).0, ErrorCode::NotFound);

    let deleted = w
        .run(w.staff, async |tx| delete_draft_order(tx, id).await)
        .await
        .unwrap();
    assert_eq!(deleted, id);
    let left = w
        .count(
            "SELECT (SELECT count(*) FROM orders WHERE id = $1) + (SELECT count(*) FROM order_lines WHERE order_id = $1)",
            [id.into()],
        )
        .await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn submitting_a_draft_prices_it_at_that_days_prices() {
    let w = world().await;
    let draft = w
        .create(w.staff, new_order(w.customer, vec![line(w.cab, 10)]))
        .await
        .unwrap();
    assert_eq!(draft.lines[0].unit_price, d("18.00"));
    exec(
        &w.owner,
        "UPDATE price_list_entries SET unit_price = 19.00 WHERE id = $1",
        [w.tier_entry.into()],
    )
    .await;
    let submitted = w
        .act(w.staff, Action::Submit, draft.order.id)
        .await
        .unwrap();
    // 190.00 + 0.40 tax (7.5 l of wine at 0.20 $/gal).
    assert_eq!(submitted.total, d("190.40"));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM order_lines WHERE order_id = $1 AND unit_price = 19.00",
            [draft.order.id.into()]
        )
        .await,
        1
    );
    assert_eq!(w.stock(w.cab).await, (100, 10));
}

#[tokio::test]
async fn a_draft_whose_sku_left_the_catalogue_is_refused_at_submission_with_the_lines_path() {
    let w = world().await;
    let draft = w
        .create(
            w.staff,
            new_order(w.customer, vec![line(w.cab, 1), line(w.gin, 1)]),
        )
        .await
        .unwrap();
    exec(
        &w.owner,
        "UPDATE skus SET status = 'discontinued' WHERE id = $1",
        [w.gin.into()],
    )
    .await;
    let refused = w.act(w.staff, Action::Submit, draft.order.id).await;
    assert_eq!(
        code_and_field(refused),
        (ErrorCode::BadUserInput, Some("lines[1].skuId".to_owned()))
    );
    assert_eq!(w.stock(w.cab).await, (100, 0), "nothing reserved");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM orders WHERE id = $1 AND status = 'draft' AND total = $2",
            [draft.order.id.into(), draft.order.total.into()]
        )
        .await,
        1,
        "the draft is as it was"
    );
}
