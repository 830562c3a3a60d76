//! Depletion reports, checked against direct sums over the same order lines (read as the owner,
//! past row-level security), on the tenant's calendar, for each kind of principal.

use crate::support::*;
use leora_intelligence::error::IntelligenceError;
use leora_intelligence::service::depletions::{
    DepletionFilter, DepletionKey, DepletionPeriod, DepletionRequest, DepletionRow,
    MAX_DEPLETION_ROWS, depletions,
};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::{exec, insert, stmt};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;
use std::collections::BTreeMap;
use uuid::Uuid;

use DepletionKey::{Brand, Customer, Product, Rep, Sku, State, Supplier};

/// Beyond the organisation's unbranded 12-bottle Cabernet (`t.sku`): Ridge Zinfandel in 12- and
/// 6-bottle cases and Ridge Petite in 12s (brand Ridge, supplier A), Hill Syrah in 6s (brand
/// Hill, supplier B). c1 is in CA, c2 in NY, c3 in OR, c4 (no rep) in CA.
#[derive(Clone, Copy)]
struct Catalogue {
    zin_12: Uuid,
    zin_6: Uuid,
    petite_12: Uuid,
    syrah_6: Uuid,
    supplier_a: Uuid,
}

impl Catalogue {
    fn skus(&self, t: &Org) -> [Uuid; 5] {
        [t.sku, self.zin_12, self.zin_6, self.petite_12, self.syrah_6]
    }
}

async fn catalogue(w: &World) -> Catalogue {
    let (owner, tenant) = (&w.pools.owner, w.t.tenant);
    let supplier = async |name: &str| {
        insert(
            owner,
            "INSERT INTO suppliers (tenant_id, name) VALUES ($1, $2) RETURNING id",
            [tenant.into(), name.into()],
        )
        .await
    };
    let (supplier_a, supplier_b) = (supplier("Supplier A").await, supplier("Supplier B").await);
    let product = async |name: &str, brand: &str, supplier: Uuid| {
        insert(
            owner,
            "INSERT INTO products (tenant_id, name, brand, supplier_id, category)
             VALUES ($1, $2, $3, $4, 'wine') RETURNING id",
            [tenant.into(), name.into(), brand.into(), supplier.into()],
        )
        .await
    };
    let zinfandel = product("Ridge Zinfandel", "Ridge", supplier_a).await;
    let petite = product("Ridge Petite", "Ridge", supplier_a).await;
    let syrah = product("Hill Syrah", "Hill", supplier_b).await;
    let sku = async |product: Uuid, code: &str, per_case: i32| {
        insert(
            owner,
            "INSERT INTO skus (tenant_id, product_id, code, size_ml, units_per_case, base_price)
             VALUES ($1, $2, $3, 750, $4, 10.00) RETURNING id",
            [tenant.into(), product.into(), code.into(), per_case.into()],
        )
        .await
    };
    let catalogue = Catalogue {
        zin_12: sku(zinfandel, "ZIN-12", 12).await,
        zin_6: sku(zinfandel, "ZIN-6", 6).await,
        petite_12: sku(petite, "PET-12", 12).await,
        syrah_6: sku(syrah, "SYR-6", 6).await,
        supplier_a,
    };
    for (customer, state) in [(w.t.c2, "NY"), (w.t.c3, "OR")] {
        exec(
            owner,
            "UPDATE customers SET state = $2 WHERE id = $1",
            [customer.into(), state.into()],
        )
        .await;
    }
    catalogue
}

async fn set_zone(w: &World, zone: &str) {
    exec(
        &w.pools.owner,
        "UPDATE tenant_settings SET timezone = $2 WHERE tenant_id = $1",
        [w.t.tenant.into(), zone.into()],
    )
    .await;
}

/// A line: SKU, bottles, and whether it is a free sample. Sold bottles are 10.00 each.
type Line = (Uuid, i32, bool);

/// An order of `tenant` in `status` whose `fulfilled_at` is `at`, whatever its status (so only
/// the status can keep it out of a report).
async fn order_in(
    w: &World,
    tenant: Uuid,
    customer: Uuid,
    status: &str,
    at: &str,
    lines: &[Line],
) -> Uuid {
    let owner = &w.pools.owner;
    let number = format!("SO-{}", Uuid::now_v7().simple());
    let order = insert(
        owner,
        "INSERT INTO orders (tenant_id, order_number, customer_id, status, fulfilled_at)
         VALUES ($1, $2, $3, $4, $5::timestamptz) RETURNING id",
        [
            tenant.into(),
            number.into(),
            customer.into(),
            status.into(),
            at.into(),
        ],
    )
    .await;
    for (index, &(sku, quantity, sample)) in lines.iter().enumerate() {
        let line_number = i32::try_from(index + 1).unwrap();
        exec(
            owner,
            "INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                                      unit_price, line_total, pricing_rule, is_sample)
             VALUES ($1, $2, $3, $4, $5, $6,
                     CASE WHEN $7 THEN 0 ELSE 10.00 END, CASE WHEN $7 THEN 0 ELSE 10.00 * $6 END,
                     CASE WHEN $7 THEN 'sample' ELSE 'base_price' END, $7)",
            [
                tenant.into(),
                customer.into(),
                order.into(),
                line_number.into(),
                sku.into(),
                quantity.into(),
                sample.into(),
            ],
        )
        .await;
    }
    order
}

async fn order(w: &World, customer: Uuid, status: &str, at: &str, lines: &[Line]) -> Uuid {
    order_in(w, w.t.tenant, customer, status, at, lines).await
}

/// Nine, so that with four customers every customer gets every status.
const STATUSES: [&str; 9] = [
    "delivered",
    "fulfilled",
    "delivered",
    "cancelled",
    "delivered",
    "draft",
    "submitted",
    "confirmed",
    "fulfilled",
];

/// Seventy orders every 77 hours from 2025-01-01 (into mid-July), spread over the four customers,
/// every status, the five SKUs, with a sample line now and then; and a few in the other tenant.
async fn history(w: &World, catalogue: &Catalogue) {
    let t = w.t;
    let customers = [t.c1, t.c2, t.c3, t.c4];
    let skus = catalogue.skus(&t);
    let start = time("2025-01-01T03:00:00Z");
    for i in 0..70_usize {
        let at = (start + chrono::Duration::hours(77 * i64::try_from(i).unwrap())).to_rfc3339();
        let lines: Vec<Line> = (0..1 + i % 3)
            .map(|j| {
                let quantity = i32::try_from(1 + (i * 7 + j * 3) % 23).unwrap();
                (skus[(i + j) % skus.len()], quantity, (i + j) % 9 == 0)
            })
            .collect();
        order(
            w,
            customers[i % 4],
            STATUSES[i % STATUSES.len()],
            &at,
            &lines,
        )
        .await;
    }
    let other = w.other;
    for day in ["2025-02-10", "2025-03-10", "2025-04-10"] {
        order_in(
            w,
            other.tenant,
            other.c1,
            "delivered",
            &format!("{day}T12:00:00Z"),
            &[(other.sku, 50, false)],
        )
        .await;
    }
}

fn request(
    from: &str,
    to: &str,
    group_by: &[DepletionKey],
    period: Option<DepletionPeriod>,
) -> DepletionRequest {
    DepletionRequest {
        filter: DepletionFilter::between(date(from), date(to)),
        group_by: group_by.to_vec(),
        period,
    }
}

async fn report(
    w: &World,
    ctx: TenantContext,
    request: &DepletionRequest,
) -> Result<Vec<DepletionRow>, IntelligenceError> {
    w.run(ctx, async |tx| depletions(tx, request).await).await
}

async fn admin_report(w: &World, request: &DepletionRequest) -> Vec<DepletionRow> {
    report(w, w.t.as_user(w.t.admin), request).await.unwrap()
}

/// Units, cases, revenue and orders.
type Figures = (i64, Decimal, Decimal, i64);

const NONE: &str = "∅";

/// A row's group as text: its grouped keys in order, then its period.
fn group_of(row: &DepletionRow, group_by: &[DepletionKey]) -> String {
    let text = |id: Option<Uuid>| id.map_or(NONE.to_owned(), |id| id.to_string());
    let mut parts: Vec<String> = group_by
        .iter()
        .map(|key| match key {
            Sku => text(row.sku_id),
            Product => text(row.product_id),
            Brand => row.brand.clone().unwrap_or(NONE.to_owned()),
            Supplier => text(row.supplier_id),
            Customer => text(row.customer_id),
            Rep => text(row.rep_id),
            State => row.state.clone().unwrap_or(NONE.to_owned()),
        })
        .collect();
    parts.push(
        row.period_start
            .map_or(NONE.to_owned(), |day| day.to_string()),
    );
    parts.join("|")
}

fn by_group(rows: &[DepletionRow], group_by: &[DepletionKey]) -> BTreeMap<String, Figures> {
    let figures = rows
        .iter()
        .map(|row| {
            (
                group_of(row, group_by),
                (row.units, row.cases, row.revenue, row.order_count),
            )
        })
        .collect::<BTreeMap<_, _>>();
    assert_eq!(figures.len(), rows.len(), "a group appears twice");
    figures
}

/// The same figures summed straight over the lines, written independently of the service: each
/// line's cases at PostgreSQL's numeric precision, the day taken in `zone`, `extra` narrowing
/// the lines further.
async fn direct(
    w: &World,
    zone: &str,
    (from, to): (&str, &str),
    group_by: &[DepletionKey],
    period: Option<DepletionPeriod>,
    extra: &str,
) -> BTreeMap<String, Figures> {
    let local = "(o.fulfilled_at AT TIME ZONE $2)";
    let mut parts: Vec<String> = group_by
        .iter()
        .map(|key| {
            let column = match key {
                Sku => "l.sku_id::text",
                Product => "s.product_id::text",
                Brand => "p.brand",
                Supplier => "p.supplier_id::text",
                Customer => "o.customer_id::text",
                Rep => "c.assigned_rep_id::text",
                State => "c.state",
            };
            format!("coalesce({column}, '{NONE}')")
        })
        .collect();
    parts.push(match period {
        None => format!("'{NONE}'"),
        Some(DepletionPeriod::Day) => format!("{local}::date::text"),
        Some(DepletionPeriod::Week) => format!("date_trunc('week', {local})::date::text"),
        Some(DepletionPeriod::Month) => format!("to_char({local}, 'YYYY-MM-01')"),
    });
    let sql = format!(
        "SELECT concat_ws('|', {}) AS grp, sum(l.quantity)::int8 AS units,
                round(sum(l.quantity::numeric / s.units_per_case), 4) AS cases,
                coalesce(sum(l.line_total) FILTER (WHERE NOT l.is_sample), 0) AS revenue,
                count(DISTINCT o.id) AS orders
           FROM order_lines l
           JOIN orders o ON o.id = l.order_id
           JOIN skus s ON s.id = l.sku_id
           JOIN products p ON p.id = s.product_id
           JOIN customers c ON c.id = o.customer_id
          WHERE o.tenant_id = $1 AND o.status IN ('fulfilled', 'delivered')
            AND {local}::date BETWEEN $3::date AND $4::date {extra}
          GROUP BY 1",
        parts.join(", ")
    );
    let rows = w
        .pools
        .owner
        .query_all_raw(stmt(
            &sql,
            [
                w.t.tenant.into(),
                zone.into(),
                date(from).into(),
                date(to).into(),
            ],
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (
                row.try_get("", "grp").unwrap(),
                (
                    row.try_get("", "units").unwrap(),
                    row.try_get("", "cases").unwrap(),
                    row.try_get("", "revenue").unwrap(),
                    row.try_get("", "orders").unwrap(),
                ),
            )
        })
        .collect()
}

const RANGE: (&str, &str) = ("2025-01-01", "2025-06-30");
const ZONE: &str = "America/New_York";

#[tokio::test]
async fn depletions_agree_with_a_direct_sum_over_the_same_lines() {
    let w = world().await;
    let catalogue = catalogue(&w).await;
    set_zone(&w, ZONE).await;
    history(&w, &catalogue).await;

    use DepletionPeriod::{Day, Month, Week};
    let groupings: [(&[DepletionKey], Option<DepletionPeriod>); 9] = [
        (&[Sku], Some(Month)),
        (&[Brand], None),
        (&[Customer, State], None),
        (&[Rep], None),
        (&[], None),
        (&[], Some(Month)),
        (&[Supplier], Some(Week)),
        (&[Product, Customer], Some(Day)),
        (&[State, Brand, Rep], Some(Month)),
    ];
    let mut whole_range = None;
    for (group_by, period) in groupings {
        let rows = admin_report(&w, &request(RANGE.0, RANGE.1, group_by, period)).await;
        let expected = direct(&w, ZONE, RANGE, group_by, period, "").await;
        assert!(!expected.is_empty());
        assert_eq!(
            by_group(&rows, group_by),
            expected,
            "{group_by:?} {period:?}"
        );
        // The keys not grouped by are null.
        for row in &rows {
            for (key, set) in [
                (Sku, row.sku_id.is_some()),
                (Product, row.product_id.is_some()),
                (Brand, row.brand.is_some()),
                (Supplier, row.supplier_id.is_some()),
                (Customer, row.customer_id.is_some()),
                (Rep, row.rep_id.is_some()),
                (State, row.state.is_some()),
            ] {
                assert!(group_by.contains(&key) || !set, "{key:?} set in {row:?}");
            }
            assert_eq!(row.period_start.is_some(), period.is_some());
        }
        if group_by.is_empty() && period.is_none() {
            whole_range = Some(rows);
        }
    }
    // The whole range is one row, which every grouping's units add up to.
    let whole = whole_range.unwrap();
    assert_eq!(whole.len(), 1);
    let by_sku = admin_report(&w, &request(RANGE.0, RANGE.1, &[Sku], None)).await;
    assert_eq!(
        by_sku.iter().map(|row| row.units).sum::<i64>(),
        whole[0].units
    );
    assert_eq!(
        by_sku.iter().map(|row| row.revenue).sum::<Decimal>(),
        whole[0].revenue
    );
    // The fixture reaches every side of the report: samples, orders past the range, orders of
    // every status, and lines the other tenant's report would hold.
    assert!(whole[0].units > 0 && whole[0].revenue > Decimal::ZERO);
    let samples = w
        .count(
            "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
              WHERE o.tenant_id = $1 AND l.is_sample AND o.status IN ('fulfilled', 'delivered')",
            vec![w.t.tenant.into()],
        )
        .await;
    let beyond = w
        .count(
            "SELECT count(*) FROM orders WHERE tenant_id = $1 AND fulfilled_at >= '2025-07-01T04:00Z'",
            vec![w.t.tenant.into()],
        )
        .await;
    assert!(
        samples > 0 && beyond > 0,
        "samples {samples}, beyond {beyond}"
    );

    // Rows come by period, then by the keys in the order given.
    let rows = admin_report(&w, &request(RANGE.0, RANGE.1, &[State, Sku], Some(Month))).await;
    let order: Vec<_> = rows
        .iter()
        .map(|row| (row.period_start, row.state.clone(), row.sku_id))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[tokio::test]
async fn filters_narrow_the_report_to_the_lines_they_name() {
    let w = world().await;
    let t = w.t;
    let catalogue = catalogue(&w).await;
    set_zone(&w, ZONE).await;
    history(&w, &catalogue).await;

    let narrowed = |edit: &dyn Fn(&mut DepletionFilter)| {
        let mut asked = request(RANGE.0, RANGE.1, &[Sku, Customer], None);
        edit(&mut asked.filter);
        asked
    };
    let cases: [(DepletionRequest, String); 7] = [
        (
            narrowed(&|f| f.sku_ids = vec![catalogue.zin_12, catalogue.syrah_6]),
            format!(
                "AND l.sku_id IN ('{}', '{}')",
                catalogue.zin_12, catalogue.syrah_6
            ),
        ),
        (
            narrowed(&|f| f.brands = vec!["Ridge".into()]),
            "AND p.brand = 'Ridge'".into(),
        ),
        (
            narrowed(&|f| f.supplier_ids = vec![catalogue.supplier_a]),
            format!("AND p.supplier_id = '{}'", catalogue.supplier_a),
        ),
        (
            narrowed(&|f| f.customer_ids = vec![t.c2, t.c3]),
            format!("AND o.customer_id IN ('{}', '{}')", t.c2, t.c3),
        ),
        (
            narrowed(&|f| f.rep_ids = vec![t.rep1]),
            format!("AND c.assigned_rep_id = '{}'", t.rep1),
        ),
        (
            narrowed(&|f| f.states = vec!["ca".into(), "OR".into()]),
            "AND c.state IN ('CA', 'OR')".into(),
        ),
        (
            narrowed(&|f| {
                f.brands = vec!["Ridge".into()];
                f.states = vec!["NY".into()];
            }),
            "AND p.brand = 'Ridge' AND c.state = 'NY'".into(),
        ),
    ];
    let everything = direct(&w, ZONE, RANGE, &[Sku, Customer], None, "").await;
    for (asked, condition) in cases {
        let rows = admin_report(&w, &asked).await;
        let expected = direct(&w, ZONE, RANGE, &[Sku, Customer], None, &condition).await;
        assert!(
            !expected.is_empty() && expected.len() < everything.len(),
            "{condition} does not narrow the fixture"
        );
        assert_eq!(by_group(&rows, &[Sku, Customer]), expected, "{condition}");
    }
    // A product filter: Ridge Zinfandel's two SKUs.
    let zinfandel = w
        .count(
            "SELECT count(*) FROM skus WHERE product_id = (SELECT product_id FROM skus WHERE id = $1)",
            vec![catalogue.zin_12.into()],
        )
        .await;
    assert_eq!(zinfandel, 2);
    let product: Uuid = leora_test_db::sql::scalar(
        &w.pools.owner,
        "SELECT product_id FROM skus WHERE id = $1",
        [catalogue.zin_12.into()],
    )
    .await;
    let rows = admin_report(&w, &narrowed(&|f| f.product_ids = vec![product])).await;
    let skus: std::collections::BTreeSet<_> = rows.iter().filter_map(|row| row.sku_id).collect();
    assert_eq!(
        skus,
        [catalogue.zin_12, catalogue.zin_6].into_iter().collect()
    );
}

#[tokio::test]
async fn a_line_fulfilled_just_before_local_midnight_falls_on_the_tenants_day() {
    let w = world().await;
    let t = w.t;
    let catalogue = catalogue(&w).await;
    set_zone(&w, "America/Los_Angeles").await;
    // 23:30 on March 31 in Los Angeles (PDT, UTC−7) is April 1 in UTC; 00:30 on April 1 too.
    order(
        &w,
        t.c1,
        "delivered",
        "2025-04-01T06:30:00Z",
        &[(catalogue.zin_12, 5, false)],
    )
    .await;
    order(
        &w,
        t.c1,
        "fulfilled",
        "2025-04-01T07:30:00Z",
        &[(catalogue.zin_12, 7, false)],
    )
    .await;

    let units = |rows: &[DepletionRow]| -> Vec<(Option<chrono::NaiveDate>, i64)> {
        rows.iter()
            .map(|row| (row.period_start, row.units))
            .collect()
    };
    let by_day = admin_report(
        &w,
        &request("2025-03-30", "2025-04-02", &[], Some(DepletionPeriod::Day)),
    )
    .await;
    assert_eq!(
        units(&by_day),
        [(Some(date("2025-03-31")), 5), (Some(date("2025-04-01")), 7)]
    );
    let by_month = admin_report(
        &w,
        &request(
            "2025-03-01",
            "2025-04-30",
            &[],
            Some(DepletionPeriod::Month),
        ),
    )
    .await;
    assert_eq!(
        units(&by_month),
        [(Some(date("2025-03-01")), 5), (Some(date("2025-04-01")), 7)]
    );
    // The range's days are the tenant's too: March 31 alone holds the first order only.
    let march_31 = admin_report(&w, &request("2025-03-31", "2025-03-31", &[], None)).await;
    assert_eq!(units(&march_31), [(None, 5)]);
    let april_1 = admin_report(&w, &request("2025-04-01", "2025-04-01", &[], None)).await;
    assert_eq!(units(&april_1), [(None, 7)]);
    // A week starts on Monday: March 31, 2025 is one, so both orders share its week.
    let by_week = admin_report(
        &w,
        &request("2025-03-30", "2025-04-02", &[], Some(DepletionPeriod::Week)),
    )
    .await;
    assert_eq!(units(&by_week), [(Some(date("2025-03-31")), 12)]);
}

#[tokio::test]
async fn cancelled_draft_submitted_and_confirmed_orders_are_not_counted() {
    let w = world().await;
    let t = w.t;
    let catalogue = catalogue(&w).await;
    // Every order carries a fulfilment time, so only its status can keep it out.
    for (status, units) in [
        ("fulfilled", 1),
        ("delivered", 2),
        ("cancelled", 4),
        ("draft", 8),
        ("submitted", 16),
        ("confirmed", 32),
    ] {
        order(
            &w,
            t.c1,
            status,
            "2025-05-05T12:00:00Z",
            &[(catalogue.petite_12, units, false)],
        )
        .await;
    }
    let rows = admin_report(&w, &request("2025-05-01", "2025-05-31", &[], None)).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].units, rows[0].order_count, rows[0].revenue),
        (3, 2, dec("30.00"))
    );
    // A range with only uncounted orders is an empty report, not a row of zeros.
    exec(
        &w.pools.owner,
        "UPDATE orders SET status = 'cancelled' WHERE tenant_id = $1 AND status IN ('fulfilled', 'delivered')",
        [t.tenant.into()],
    )
    .await;
    let rows = admin_report(&w, &request("2025-05-01", "2025-05-31", &[Sku], None)).await;
    assert!(rows.is_empty(), "{rows:?}");
}

#[tokio::test]
async fn cases_are_exact_for_12_and_6_packs_mixed() {
    let w = world().await;
    let t = w.t;
    let c = catalogue(&w).await;
    // Twelve single bottles of a 12-pack on twelve orders: one case, not 0.99999….
    for hour in 0..12 {
        let at = format!("2025-05-05T{hour:02}:00:00Z");
        order(&w, t.c1, "delivered", &at, &[(c.zin_12, 1, false)]).await;
    }
    // Nine bottles of a 6-pack, three of them samples: one and a half cases.
    order(
        &w,
        t.c2,
        "delivered",
        "2025-05-06T12:00:00Z",
        &[(c.syrah_6, 6, false), (c.syrah_6, 3, true)],
    )
    .await;
    // One bottle of a 12 and one of a 6 of the same wine: a quarter case.
    order(
        &w,
        t.c3,
        "fulfilled",
        "2025-05-07T12:00:00Z",
        &[(c.zin_12, 1, false), (c.zin_6, 1, false)],
    )
    .await;

    let range = ("2025-05-01", "2025-05-31");
    let cases_of = async |group_by: &[DepletionKey]| -> Vec<String> {
        admin_report(&w, &request(range.0, range.1, group_by, None))
            .await
            .iter()
            .map(|row| row.cases.normalize().to_string())
            .collect()
    };
    // 12/12 + 1/12 + 1/6 + 9/6 = 2.75.
    assert_eq!(cases_of(&[]).await, ["2.75"]);
    // By customer: c1 one case, c2 1.5, c3 a quarter (ordered by customer id, created in turn).
    assert_eq!(cases_of(&[Customer]).await, ["1", "1.5", "0.25"]);
    // By brand (Hill before Ridge): Ridge 13/12 + 1/6 = 1.25.
    assert_eq!(cases_of(&[Brand]).await, ["1.5", "1.25"]);
    // A single bottle of a 12-pack, rounded once to four places.
    let one = admin_report(&w, &request(range.0, range.1, &[Customer, Sku], None)).await;
    let c3_zin_12 = one
        .iter()
        .find(|row| row.customer_id == Some(t.c3) && row.sku_id == Some(c.zin_12))
        .unwrap();
    assert_eq!(c3_zin_12.cases, dec("0.0833"));
    // The samples are bottles, not revenue.
    let c2 = one
        .iter()
        .find(|row| row.customer_id == Some(t.c2))
        .unwrap();
    assert_eq!((c2.units, c2.revenue), (9, dec("60.00")));
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let w = world().await;
    let t = w.t;
    let catalogue = catalogue(&w).await;
    let admin = || t.as_user(t.admin);
    let refused = async |asked: DepletionRequest, field: &str| {
        assert_code_and_field(
            report(&w, admin(), &asked).await,
            ErrorCode::BadUserInput,
            Some(field),
        );
    };
    refused(request("2025-05-02", "2025-05-01", &[], None), "filter.to").await;
    refused(request("2024-01-01", "2025-01-02", &[], None), "filter.to").await;
    refused(
        request("2025-01-01", "2025-01-31", &[Sku, Brand, Rep, State], None),
        "groupBy",
    )
    .await;
    refused(
        request("2025-01-01", "2025-01-31", &[Rep, Sku, Rep], None),
        "groupBy",
    )
    .await;
    let mut state = request("2025-01-01", "2025-01-31", &[], None);
    state.filter.states = vec!["California".into()];
    refused(state, "filter.states").await;
    // 366 days after `from` (2024 is a leap year: the whole of it and a day) is allowed.
    assert!(
        report(&w, admin(), &request("2024-01-01", "2025-01-01", &[], None))
            .await
            .is_ok()
    );

    // A report finer than the cap is refused, not cut short: a delivered order a day for 367
    // days at each of the four customers, a line of each of the five SKUs, is 7,340 groups by
    // day, SKU and customer.
    let skus = catalogue.skus(&t);
    exec(
        &w.pools.owner,
        "WITH placed AS (
           INSERT INTO orders (tenant_id, order_number, customer_id, status, fulfilled_at)
           SELECT $1, 'SO-BULK-' || d || '-' || c.account_number, c.id, 'delivered',
                  timestamptz '2025-01-01 12:00Z' + d * interval '1 day'
             FROM generate_series(0, 366) d, customers c WHERE c.tenant_id = $1
           RETURNING id, customer_id)
         INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                                  unit_price, line_total, pricing_rule)
         SELECT $1, o.customer_id, o.id, s.n, s.id, 1, 10.00, 10.00, 'base_price'
           FROM placed o, (SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM skus WHERE id IN ($2, $3, $4, $5, $6)) s",
        [
            t.tenant.into(),
            skus[0].into(),
            skus[1].into(),
            skus[2].into(),
            skus[3].into(),
            skus[4].into(),
        ],
    )
    .await;
    let year = ("2025-01-01", "2026-01-02");
    refused(
        request(year.0, year.1, &[Sku, Customer], Some(DepletionPeriod::Day)),
        "groupBy",
    )
    .await;
    let coarser = admin_report(
        &w,
        &request(year.0, year.1, &[Sku], Some(DepletionPeriod::Day)),
    )
    .await;
    assert_eq!(coarser.len(), 367 * 5);
    assert!(coarser.len() <= MAX_DEPLETION_ROWS);
    assert!(
        coarser
            .iter()
            .all(|row| row.units == 4 && row.order_count == 4)
    );
}

#[tokio::test]
async fn a_rep_sees_only_their_accounts_an_admin_all_and_a_portal_user_is_refused() {
    let w = world().await;
    let t = w.t;
    let catalogue = catalogue(&w).await;
    set_zone(&w, ZONE).await;
    history(&w, &catalogue).await;

    let asked = request(RANGE.0, RANGE.1, &[Customer], None);
    let customers = async |ctx: TenantContext| -> BTreeMap<String, Figures> {
        by_group(&report(&w, ctx, &asked).await.unwrap(), &[Customer])
    };
    let all = direct(&w, ZONE, RANGE, &[Customer], None, "").await;
    let only = |accounts: &[Uuid]| -> BTreeMap<String, Figures> {
        all.iter()
            .filter(|(group, _)| accounts.iter().any(|a| group.starts_with(&a.to_string())))
            .map(|(group, figures)| (group.clone(), *figures))
            .collect()
    };
    assert_eq!(all.len(), 4, "every account has depletions");
    // rep1: c1 only, with no filter of the report's own.
    assert_eq!(customers(t.as_user(t.rep1)).await, only(&[t.c1]));
    assert_eq!(customers(t.as_user(t.rep3)).await, only(&[t.c3]));
    // The manager: their reps' accounts.
    assert_eq!(customers(t.as_user(t.manager)).await, only(&[t.c1, t.c2]));
    // Admins: every account, the unassigned c4 included.
    assert_eq!(customers(t.as_user(t.admin)).await, all);
    // A rep's whole-range total is their accounts' alone.
    let total = report(&w, t.as_user(t.rep1), &request(RANGE.0, RANGE.1, &[], None))
        .await
        .unwrap();
    assert_eq!(
        total[0].units,
        only(&[t.c1]).values().map(|f| f.0).sum::<i64>()
    );
    // A portal user is refused, even for its own customer.
    assert_code_and_field(
        report(&w, t.as_portal(t.portal1, t.c1), &asked).await,
        ErrorCode::Forbidden,
        None,
    );
}
