//! Customers' licences expiring within a window.

use crate::support::*;
use leora_intelligence::service::licenses::expiring_licenses;
use leora_tenancy::ErrorCode;
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::exec;

#[tokio::test]
async fn licences_expiring_within_the_window_are_listed_soonest_first() {
    let w = world().await;
    let t = w.t;
    let today = date(TODAY);
    for (customer, days) in [(t.c1, 30), (t.c2, 0), (t.c3, 31), (t.c4, -1)] {
        exec(
            &w.pools.owner,
            "UPDATE customers SET license_expires_on = $2::date + $3 WHERE id = $1",
            [customer.into(), today.into(), days.into()],
        )
        .await;
    }
    let expiring = |within: i32, include_expired: bool| {
        w.run(t.system(), async move |tx| {
            Ok(expiring_licenses(today, within, include_expired)?
                .all(tx)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>())
        })
    };
    assert_eq!(expiring(30, false).await.unwrap(), vec![t.c2, t.c1]);
    assert_eq!(expiring(30, true).await.unwrap(), vec![t.c4, t.c2, t.c1]);
    assert_eq!(expiring(31, false).await.unwrap(), vec![t.c2, t.c1, t.c3]);
    assert_eq!(expiring(0, false).await.unwrap(), vec![t.c2]);
    assert_code_and_field(
        expiring(-1, false).await,
        ErrorCode::BadUserInput,
        Some("withinDays"),
    );
    assert_code_and_field(
        expiring(367, false).await,
        ErrorCode::BadUserInput,
        Some("withinDays"),
    );
}
