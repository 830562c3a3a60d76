//! State tax rates: the one in force on a day, overlapping windows, validation and another
//! tenant's rates.

use crate::support::*;
use leora_compliance::entities::enums::ProductCategory;
use leora_compliance::entities::state_tax_rates::TaxRateKind;
use leora_compliance::service::tax::rates_on;
use leora_compliance::service::tax_rates::{
    TaxRateChanges, delete_state_tax_rate, update_state_tax_rate,
};
use leora_tenancy::{ApiError, ErrorCode};

#[tokio::test]
async fn the_rate_in_force_is_found_on_each_side_of_a_boundary() {
    let world = two_tenants().await;
    let t = world.a;
    let wine = ProductCategory::Wine;
    world
        .create(
            t,
            rate("CA", wine, "0.20", "2020-01-01", Some("2024-07-01")),
        )
        .await
        .unwrap();
    world
        .create(t, rate("CA", wine, "0.25", "2024-07-01", None))
        .await
        .unwrap();
    let mut spirits = rate("CA", ProductCategory::Spirits, "3.30", "2020-01-01", None);
    spirits.kind = TaxRateKind::Percent;
    world.create(t, spirits).await.unwrap();
    world
        .create(t, rate("NY", wine, "0.30", "2000-01-01", None))
        .await
        .unwrap();

    let spirits_rate = (ProductCategory::Spirits, dec("3.30"));
    assert_eq!(
        world.rates(t, "CA", date("2019-12-31")).await,
        vec![],
        "before the first window"
    );
    assert_eq!(
        world.rates(t, "CA", date("2020-01-01")).await,
        vec![(wine, dec("0.20")), spirits_rate],
        "the first day of a window is in it"
    );
    assert_eq!(
        world.rates(t, "CA", date("2024-06-30")).await,
        vec![(wine, dec("0.20")), spirits_rate],
        "the last day before the end"
    );
    assert_eq!(
        world.rates(t, "CA", date("2024-07-01")).await,
        vec![(wine, dec("0.25")), spirits_rate],
        "the end day belongs to the next window"
    );
    assert_eq!(
        world.rates(t, "CA", date("2099-01-01")).await,
        vec![(wine, dec("0.25")), spirits_rate],
        "an open window never ends"
    );
    assert_eq!(
        world.rates(t, "NY", date("2024-07-01")).await,
        vec![(wine, dec("0.30"))]
    );
}

#[tokio::test]
async fn rates_are_asked_for_only_the_categories_named() {
    let world = two_tenants().await;
    let t = world.a;
    world
        .create(
            t,
            rate("CA", ProductCategory::Wine, "0.20", "2020-01-01", None),
        )
        .await
        .unwrap();
    world
        .create(
            t,
            rate("CA", ProductCategory::Beer, "0.20", "2020-01-01", None),
        )
        .await
        .unwrap();
    let found = world
        .run(t, async |tx| {
            rates_on(tx, "CA", &[ProductCategory::Beer], date("2024-01-01")).await
        })
        .await
        .unwrap();
    assert_eq!(
        found.keys().copied().collect::<Vec<_>>(),
        [ProductCategory::Beer]
    );
    let none = world
        .run(t, async |tx| {
            rates_on(tx, "CA", &[], date("2024-01-01")).await
        })
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn an_overlapping_window_is_a_conflict_and_nothing_is_written() {
    let world = two_tenants().await;
    let t = world.a;
    let wine = ProductCategory::Wine;
    world
        .create(
            t,
            rate("CA", wine, "0.20", "2020-01-01", Some("2024-01-01")),
        )
        .await
        .unwrap();
    let later = world
        .create(t, rate("CA", wine, "0.25", "2024-01-01", None))
        .await
        .unwrap();

    for (from, until) in [
        ("2023-12-31", Some("2024-01-02")),
        ("2019-01-01", None),
        ("2030-01-01", None),
    ] {
        let error = world
            .create(t, rate("CA", wine, "0.99", from, until))
            .await
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::Conflict, "{from}: {error}");
        assert_eq!(error.field(), Some("effectiveFrom"));
        assert!(error.to_string().contains("CA wine"), "{error}");
    }
    assert_eq!(world.rate_count(t).await, 2);

    // Moving the later window back over the earlier one is refused too, and changes nothing.
    let error = world
        .run(t, async |tx| {
            let changes = TaxRateChanges {
                effective_from: Some(date("2023-06-01")),
                rate: Some(dec("0.99")),
                ..Default::default()
            };
            update_state_tax_rate(tx, later, changes).await
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Conflict);
    assert_eq!(
        world.rates(t, "CA", date("2024-01-01")).await,
        vec![(wine, dec("0.25"))]
    );

    // The same window for another category, state or tenant is no overlap.
    world
        .create(
            t,
            rate("CA", ProductCategory::Beer, "0.20", "2020-01-01", None),
        )
        .await
        .unwrap();
    world
        .create(t, rate("OR", wine, "0.20", "2020-01-01", None))
        .await
        .unwrap();
    world
        .create(world.b, rate("CA", wine, "0.20", "2020-01-01", None))
        .await
        .unwrap();
}

#[tokio::test]
async fn another_tenants_rates_are_invisible_and_untouchable() {
    let world = two_tenants().await;
    let theirs = world
        .create(
            world.b,
            rate("CA", ProductCategory::Wine, "0.20", "2020-01-01", None),
        )
        .await
        .unwrap();

    assert_eq!(world.rates(world.a, "CA", date("2024-01-01")).await, vec![]);
    let update = world
        .run(world.a, async |tx| {
            let changes = TaxRateChanges {
                rate: Some(dec("9.99")),
                ..Default::default()
            };
            update_state_tax_rate(tx, theirs, changes).await
        })
        .await
        .unwrap_err();
    assert_eq!(update.code(), ErrorCode::NotFound);
    let delete = world
        .run(world.a, async |tx| delete_state_tax_rate(tx, theirs).await)
        .await
        .unwrap_err();
    assert_eq!(delete.code(), ErrorCode::NotFound);

    assert_eq!(
        world.rates(world.b, "CA", date("2024-01-01")).await,
        vec![(ProductCategory::Wine, dec("0.20"))]
    );
}

#[tokio::test]
async fn invalid_rates_name_the_field_and_nothing_is_written() {
    let world = two_tenants().await;
    let t = world.a;
    let wine = ProductCategory::Wine;
    assert_bad_input(
        world
            .create(t, rate("California", wine, "0.20", "2020-01-01", None))
            .await,
        "state",
    );
    assert_bad_input(
        world
            .create(t, rate("C1", wine, "0.20", "2020-01-01", None))
            .await,
        "state",
    );
    assert_bad_input(
        world
            .create(t, rate("CA", wine, "-0.01", "2020-01-01", None))
            .await,
        "rate",
    );
    assert_bad_input(
        world
            .create(t, rate("CA", wine, "0.1234567", "2020-01-01", None))
            .await,
        "rate",
    );
    assert_bad_input(
        world
            .create(t, rate("CA", wine, "1000000", "2020-01-01", None))
            .await,
        "rate",
    );
    let mut percent = rate("CA", wine, "100.5", "2020-01-01", None);
    percent.kind = TaxRateKind::Percent;
    assert_bad_input(world.create(t, percent).await, "rate");
    assert_bad_input(
        world
            .create(
                t,
                rate("CA", wine, "0.20", "2020-01-01", Some("2020-01-01")),
            )
            .await,
        "effectiveUntil",
    );
    assert_bad_input(
        world
            .create(
                t,
                rate("CA", wine, "0.20", "2020-01-01", Some("2019-01-01")),
            )
            .await,
        "effectiveUntil",
    );
    assert_eq!(world.rate_count(t).await, 0);
}

#[tokio::test]
async fn a_rate_can_be_ended_replaced_and_deleted() {
    let world = two_tenants().await;
    let t = world.a;
    let wine = ProductCategory::Wine;
    // Six decimal places and a lower-case state are accepted; the state is stored upper-case.
    let old = world
        .create(t, rate("ca", wine, "0.123456", "2020-01-01", None))
        .await
        .unwrap();
    assert_eq!(
        world.rates(t, "CA", date("2020-01-01")).await,
        vec![(wine, dec("0.123456"))]
    );

    let ended = world
        .run(t, async |tx| {
            let changes = TaxRateChanges {
                effective_until: Some(Some(date("2025-01-01"))),
                ..Default::default()
            };
            update_state_tax_rate(tx, old, changes).await
        })
        .await
        .unwrap();
    assert_eq!(ended.effective_until, Some(date("2025-01-01")));
    assert_eq!(ended.state, "CA");
    let new = world
        .create(t, rate("CA", wine, "0.30", "2025-01-01", None))
        .await
        .unwrap();
    assert_eq!(
        world.rates(t, "CA", date("2025-01-01")).await,
        vec![(wine, dec("0.30"))]
    );

    // An update is validated as a whole: an end before the (unchanged) start is refused.
    assert_bad_input(
        world
            .run(t, async |tx| {
                let changes = TaxRateChanges {
                    effective_until: Some(Some(date("2019-01-01"))),
                    ..Default::default()
                };
                update_state_tax_rate(tx, old, changes).await
            })
            .await,
        "effectiveUntil",
    );

    world
        .run(t, async |tx| delete_state_tax_rate(tx, new).await)
        .await
        .unwrap();
    assert_eq!(world.rates(t, "CA", date("2025-01-01")).await, vec![]);
    let again = world
        .run(t, async |tx| delete_state_tax_rate(tx, new).await)
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotFound);
    assert_eq!(world.rate_count(t).await, 1);
}
