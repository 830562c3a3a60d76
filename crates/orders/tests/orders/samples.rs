//! Sample lines: free by the `sample` rule, given by staff only.

use crate::support::*;
use leora_orders::entities::order_lines::PricingRule;
use leora_orders::service::orders::NewLine;
use leora_tenancy::ErrorCode;

fn samples(sku: uuid::Uuid, quantity: i32) -> NewLine {
    NewLine {
        is_sample: true,
        ..line(sku, quantity)
    }
}

#[tokio::test]
async fn sample_lines_are_free_by_the_sample_rule_and_still_owe_excise() {
    let w = world().await;
    let placed = w
        .create(
            w.staff,
            submitted(w.customer, vec![line(w.cab, 12), samples(w.cab, 2)]),
        )
        .await
        .unwrap();
    let (sold, free) = (&placed.lines[0], &placed.lines[1]);
    assert_eq!(
        (sold.unit_price, sold.pricing_rule),
        (d("18.00"), PricingRule::PriceTier)
    );
    assert_eq!((free.unit_price, free.line_total), (d("0.00"), d("0.00")));
    assert_eq!(free.pricing_rule, PricingRule::Sample);
    assert!(free.is_sample && !sold.is_sample);
    // 1.5 l of wine at 0.20 $/gal: the excise is owed on what leaves, sold or not.
    assert_eq!(free.tax_amount, d("0.08"));
    assert_eq!(placed.order.total, d("216.56"));
    assert_eq!(
        w.stock(w.cab).await,
        (100, 14),
        "samples are reserved like any line"
    );
}

#[tokio::test]
async fn samples_are_given_by_staff_without_discount_and_once_per_sku() {
    let w = world().await;
    let portal = w
        .create(w.portal, new_order(w.customer, vec![samples(w.cab, 1)]))
        .await;
    assert_eq!(code_and_field(portal).0, ErrorCode::Forbidden);
    let discounted = NewLine {
        discount: Some(d("1.00")),
        ..samples(w.cab, 1)
    };
    let refused = w
        .create(
            w.staff,
            new_order(w.customer, vec![line(w.cab, 1), discounted]),
        )
        .await;
    assert_eq!(
        code_and_field(refused),
        (
            ErrorCode::BadUserInput,
            Some("lines[1].discount".to_owned())
        )
    );
    let twice = w
        .create(
            w.staff,
            new_order(w.customer, vec![samples(w.cab, 1), samples(w.cab, 2)]),
        )
        .await;
    assert_eq!(
        code_and_field(twice),
        (ErrorCode::BadUserInput, Some("lines[1].skuId".to_owned()))
    );
}
