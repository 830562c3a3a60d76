//! The price book over HTTP: read as a connection by whoever may see each entry, imported in bulk
//! by catalog managers, all or nothing.

use crate::orders::{CAB, seed_stock};
use crate::support::*;
use serde_json::json;

const IMPORT: &str = "mutation($entries: [PriceListEntryImport!]!) { importPriceList(entries: $entries) { imported } }";
const BOOK: &str = "{ priceListEntries(first: 100) { totalCount edges { node { priceTier customerId unitPrice minQuantity } } } }";

#[tokio::test]
async fn catalog_managers_import_a_price_list_whole_and_a_bad_row_is_named_by_its_path() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    let rep = app.token("rep@acme.test").await;
    let row =
        |price: &str| json!({ "skuCode": "CAB-750", "priceTier": "wholesale", "unitPrice": price });
    let mut rows = vec![row("18.00"); 600];
    rows[412] = row("-2.00");
    let refused = app
        .graphql(Some(&admin), IMPORT, json!({ "entries": rows }))
        .await;
    assert_eq!(refused.code(), "BAD_USER_INPUT", "{}", refused.body);
    assert_eq!(
        refused.body["errors"][0]["extensions"]["field"],
        "entries.412.unitPrice"
    );
    let bad_id = app
        .graphql(
            Some(&admin),
            IMPORT,
            json!({ "entries": [row("1.00"), row("1.00"), row("1.00"), { "skuId": "nope", "priceTier": "wholesale", "unitPrice": "1.00" }] }),
        )
        .await;
    assert_eq!(
        bad_id.body["errors"][0]["extensions"]["field"], "entries.3.skuId",
        "{}",
        bad_id.body
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM price_list_entries").await,
        0
    );
    let forbidden = app
        .graphql(Some(&rep), IMPORT, json!({ "entries": [row("1.00")] }))
        .await;
    assert_eq!(forbidden.code(), "FORBIDDEN");

    let rows = vec![row("18.00"); 600];
    let imported = app
        .graphql(Some(&admin), IMPORT, json!({ "entries": rows }))
        .await;
    assert_eq!(
        imported.data("importPriceList"),
        &json!({ "imported": 600 }),
        "{}",
        imported.body
    );
}

#[tokio::test]
async fn the_price_book_shows_each_principal_only_the_entries_it_may_see() {
    let app = app().await;
    seed_stock(&app).await;
    app.scalar(&format!(
        "WITH second AS (
           INSERT INTO customers (tenant_id, account_number, name, state)
           SELECT tenant_id, 'C-2', 'Unassigned', 'CA' FROM customers LIMIT 1 RETURNING id, tenant_id),
         entries AS (
           INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, customer_id, unit_price)
           SELECT tenant_id, '{CAB}'::uuid, 'wholesale', NULL::uuid, 18.00 FROM second
           UNION ALL SELECT tenant_id, '{CAB}', 'retail', NULL, 26.00 FROM second
           UNION ALL SELECT tenant_id, '{CAB}', NULL, '{}'::uuid, 17.00 FROM second
           UNION ALL SELECT tenant_id, '{CAB}', NULL, id, 16.00 FROM second
           RETURNING 1)
         SELECT count(*) FROM entries",
        app.customer
    ))
    .await;
    app.scalar("WITH c AS (UPDATE customers SET price_tier = 'wholesale' WHERE account_number = 'C-1' RETURNING 1) SELECT count(*) FROM c")
        .await;
    let prices = |reply: &Reply| {
        let mut prices: Vec<String> = reply.data("priceListEntries")["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", reply.body))
            .iter()
            .map(|edge| edge["node"]["unitPrice"].as_str().unwrap().to_owned())
            .collect();
        prices.sort();
        prices
    };
    let admin = app.token("admin@acme.test").await;
    assert_eq!(
        prices(&app.ask(&admin, BOOK).await),
        ["16.00", "17.00", "18.00", "26.00"]
    );
    // The rep's account is Harborview; the unassigned customer's price is out of reach.
    let rep = app.token("rep@acme.test").await;
    assert_eq!(
        prices(&app.ask(&rep, BOOK).await),
        ["17.00", "18.00", "26.00"]
    );
    // Harborview's buyer: its own price and its tier's.
    let buyer = app.portal_token().await;
    assert_eq!(prices(&app.ask(&buyer, BOOK).await), ["17.00", "18.00"]);
}
