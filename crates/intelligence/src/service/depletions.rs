//! Depletion reports: the units that left the warehouse, as a distributor's suppliers ask for them,
//! grouped by up to three of SKU, product, brand, supplier, customer, rep and state, and optionally
//! by day, week (ISO, from Monday) or month.
//!
//! * A depletion is a line of an order that was fulfilled (status `fulfilled` or `delivered`),
//!   dated by the order's `fulfilled_at` on the tenant's calendar (`tenant_settings.timezone`).
//!   Other statuses never count, whatever timestamps they carry: a cancelled order shipped nothing.
//! * Sample lines count as units and cases (the bottles left the warehouse) but never as revenue.
//! * Cases are each line's units over its SKU's `units_per_case`, summed exactly (see [`cases`]).
//! * A rep's report covers their accounts only, with no filter here: the account-scope policies
//!   on `orders` and `order_lines` decide what the statement sees (`docs/architecture.md`,
//!   "Account scope").
//!
//! The report is one statement. What the caller chooses (group keys, period) selects fixed SQL
//! fragments from the enums below; every value (dates, ids, brands, states) is a bind parameter.

use chrono::{Duration, NaiveDate};
use leora_tenancy::sql::stmt;
use leora_tenancy::{Principal, TenantTx};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{FromQueryResult, Statement, Value};
use uuid::Uuid;

use crate::error::IntelligenceError;

/// The most rows one report answers. A finer report is refused (on `groupBy`) rather than cut
/// short: a depletion report missing rows would under-report to a supplier without saying so.
pub const MAX_DEPLETION_ROWS: usize = 5_000;
/// The most keys a report groups by.
pub const MAX_GROUP_KEYS: usize = 3;
/// How many days `to` may be after `from`: a leap year, both ends included.
pub const MAX_RANGE_DAYS: i64 = 366;
/// The most values one filter list holds, so a request cannot grow the statement without bound.
pub const MAX_FILTER_VALUES: usize = 500;
/// Decimal places of `cases`: a single bottle of a 24-pack still shows (0.0417).
pub const CASE_SCALE: u32 = 4;

/// What a report may group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DepletionKey {
    Sku,
    Product,
    Brand,
    Supplier,
    Customer,
    /// The rep the account is assigned to now, as in the sales metrics: reassigning an account
    /// moves its history with it.
    Rep,
    /// The customer's state, the one its lines' excise tax was charged for.
    State,
}

impl DepletionKey {
    pub const ALL: [Self; 7] = [
        Self::Sku,
        Self::Product,
        Self::Brand,
        Self::Supplier,
        Self::Customer,
        Self::Rep,
        Self::State,
    ];

    /// Where the key is read from, as fixed text (never built from input): an order's keys per
    /// order (in `shipped`), a SKU's once per SKU and group (in `keyed`).
    fn source(self) -> KeySource {
        match self {
            Self::Customer => KeySource::Order("o.customer_id"),
            Self::Rep => KeySource::Order("c.assigned_rep_id"),
            Self::State => KeySource::Order("c.state"),
            Self::Sku => KeySource::Sku("b.sku_id"),
            Self::Product => KeySource::Sku("s.product_id"),
            Self::Brand => KeySource::Sku("p.brand"),
            Self::Supplier => KeySource::Sku("p.supplier_id"),
        }
    }

    /// The key's column in the answer.
    fn alias(self) -> &'static str {
        match self {
            Self::Sku => "sku_id",
            Self::Product => "product_id",
            Self::Brand => "brand",
            Self::Supplier => "supplier_id",
            Self::Customer => "customer_id",
            Self::Rep => "rep_id",
            Self::State => "state",
        }
    }

    /// The key's column when the report is not grouped by it.
    fn absent(self) -> &'static str {
        match self {
            Self::Brand | Self::State => "NULL::text",
            _ => "NULL::uuid",
        }
    }

    /// The API's name for it, for messages.
    fn name(self) -> &'static str {
        match self {
            Self::Sku => "SKU",
            Self::Product => "PRODUCT",
            Self::Brand => "BRAND",
            Self::Supplier => "SUPPLIER",
            Self::Customer => "CUSTOMER",
            Self::Rep => "REP",
            Self::State => "STATE",
        }
    }
}

/// A key's column: of the order (and its customer) or of the line's SKU (and its product).
#[derive(Debug, Clone, Copy)]
enum KeySource {
    Order(&'static str),
    Sku(&'static str),
}

/// Calendar periods on the tenant's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepletionPeriod {
    Day,
    /// ISO weeks, from Monday.
    Week,
    Month,
}

impl DepletionPeriod {
    /// `date_trunc`'s unit: fixed text.
    fn unit(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

/// Which lines a report covers. Each list narrows to lines matching any of its values; an empty
/// list narrows nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepletionFilter {
    /// The first day, on the tenant's calendar (inclusive).
    pub from: NaiveDate,
    /// The last day (inclusive), at most [`MAX_RANGE_DAYS`] after `from`.
    pub to: NaiveDate,
    pub sku_ids: Vec<Uuid>,
    pub product_ids: Vec<Uuid>,
    pub brands: Vec<String>,
    pub supplier_ids: Vec<Uuid>,
    pub customer_ids: Vec<Uuid>,
    pub rep_ids: Vec<Uuid>,
    /// Two-letter codes, any case.
    pub states: Vec<String>,
}

impl DepletionFilter {
    /// Every line of the days `from` to `to`.
    pub fn between(from: NaiveDate, to: NaiveDate) -> Self {
        Self {
            from,
            to,
            sku_ids: Vec::new(),
            product_ids: Vec::new(),
            brands: Vec::new(),
            supplier_ids: Vec::new(),
            customer_ids: Vec::new(),
            rep_ids: Vec::new(),
            states: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepletionRequest {
    pub filter: DepletionFilter,
    /// 0 to [`MAX_GROUP_KEYS`] keys, no repeats; rows are ordered by period, then these in turn.
    pub group_by: Vec<DepletionKey>,
    /// No period: one bucket for the whole range.
    pub period: Option<DepletionPeriod>,
}

/// One group's figures. The keys the report was not grouped by are `None`; a key it was grouped
/// by is `None` for lines without one (a product without brand or supplier, an unassigned
/// account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepletionRow {
    pub sku_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    pub brand: Option<String>,
    pub supplier_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub rep_id: Option<Uuid>,
    pub state: Option<String>,
    /// The first day of the period (which may be before `from`: the first and last periods hold
    /// only the days of the range); `None` without a period.
    pub period_start: Option<NaiveDate>,
    /// Bottles, samples included.
    pub units: i64,
    pub cases: Decimal,
    /// The non-sample lines' totals (after discount, before tax).
    pub revenue: Decimal,
    /// Distinct orders with a line in the group.
    pub order_count: i64,
}

#[derive(Debug, FromQueryResult)]
struct Grouped {
    sku_id: Option<Uuid>,
    product_id: Option<Uuid>,
    brand: Option<String>,
    supplier_id: Option<Uuid>,
    customer_id: Option<Uuid>,
    rep_id: Option<Uuid>,
    state: Option<String>,
    period_start: Option<NaiveDate>,
    units: i64,
    revenue: Decimal,
    order_count: i64,
    /// `[[units_per_case, units], …]`, one pair per case size among the group's lines.
    units_by_case_size: serde_json::Value,
}

/// The report `request` asks for, as the transaction's principal may see it. Staff only (the
/// resolver's guard asks for `analytics.view`); portal users are refused here too.
pub async fn depletions(
    tx: &TenantTx,
    request: &DepletionRequest,
) -> Result<Vec<DepletionRow>, IntelligenceError> {
    if matches!(
        tx.context().principal(),
        Principal::PortalUser { .. } | Principal::Anonymous
    ) {
        return Err(IntelligenceError::Forbidden {
            reason: "depletion reports are for internal users",
        });
    }
    let request = checked(request)?;
    let grouped = Grouped::find_by_statement(statement(tx.tenant_id(), &request))
        .all(tx)
        .await?;
    if grouped.len() > MAX_DEPLETION_ROWS {
        return Err(IntelligenceError::bad_input(
            "groupBy",
            format!(
                "the report would hold more than {MAX_DEPLETION_ROWS} rows: group by fewer keys, \
                 by a longer period, over fewer days or narrower filters"
            ),
        ));
    }
    grouped.into_iter().map(row).collect()
}

fn row(grouped: Grouped) -> Result<DepletionRow, IntelligenceError> {
    // The statement always writes this shape; anything else is a fault of ours, reported as
    // `INTERNAL` like any database error.
    let units_by_case_size: Vec<(i64, i64)> = serde_json::from_value(grouped.units_by_case_size)
        .map_err(|error| {
            IntelligenceError::Database(sea_orm::DbErr::Type(format!(
                "units by case size: {error}"
            )))
        })?;
    Ok(DepletionRow {
        sku_id: grouped.sku_id,
        product_id: grouped.product_id,
        brand: grouped.brand,
        supplier_id: grouped.supplier_id,
        customer_id: grouped.customer_id,
        rep_id: grouped.rep_id,
        state: grouped.state,
        period_start: grouped.period_start,
        units: grouped.units,
        cases: cases(&units_by_case_size),
        revenue: grouped.revenue,
        order_count: grouped.order_count,
    })
}

/// The request checked, its lists without repeats and its states upper-cased; each refusal names
/// the API's field.
fn checked(request: &DepletionRequest) -> Result<DepletionRequest, IntelligenceError> {
    let filter = &request.filter;
    if filter.to < filter.from {
        return Err(IntelligenceError::bad_input(
            "filter.to",
            "is before filter.from",
        ));
    }
    if filter.to > filter.from + Duration::days(MAX_RANGE_DAYS) {
        return Err(IntelligenceError::bad_input(
            "filter.to",
            format!("is more than {MAX_RANGE_DAYS} days after filter.from"),
        ));
    }
    if request.group_by.len() > MAX_GROUP_KEYS {
        return Err(IntelligenceError::bad_input(
            "groupBy",
            format!("at most {MAX_GROUP_KEYS} keys"),
        ));
    }
    for (index, key) in request.group_by.iter().enumerate() {
        if request.group_by[..index].contains(key) {
            return Err(IntelligenceError::bad_input(
                "groupBy",
                format!("names {} twice", key.name()),
            ));
        }
    }
    let mut states = Vec::new();
    for state in &filter.states {
        let state = state.trim().to_ascii_uppercase();
        if state.len() != 2 || !state.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(IntelligenceError::bad_input(
                "filter.states",
                format!("{state:?} is not a two-letter state code"),
            ));
        }
        states.push(state);
    }
    Ok(DepletionRequest {
        filter: DepletionFilter {
            from: filter.from,
            to: filter.to,
            sku_ids: distinct("filter.skuIds", &filter.sku_ids)?,
            product_ids: distinct("filter.productIds", &filter.product_ids)?,
            brands: distinct("filter.brands", &filter.brands)?,
            supplier_ids: distinct("filter.supplierIds", &filter.supplier_ids)?,
            customer_ids: distinct("filter.customerIds", &filter.customer_ids)?,
            rep_ids: distinct("filter.repIds", &filter.rep_ids)?,
            states: distinct("filter.states", &states)?,
        },
        group_by: request.group_by.clone(),
        period: request.period,
    })
}

fn distinct<T: Clone + PartialEq>(
    field: &'static str,
    values: &[T],
) -> Result<Vec<T>, IntelligenceError> {
    let mut kept: Vec<T> = Vec::new();
    for value in values {
        if !kept.contains(value) {
            kept.push(value.clone());
        }
    }
    if kept.len() > MAX_FILTER_VALUES {
        return Err(IntelligenceError::bad_input(
            field,
            format!("at most {MAX_FILTER_VALUES} values"),
        ));
    }
    Ok(kept)
}

/// A statement's text and its bind parameters, numbered as they are added.
struct Sql {
    values: Vec<Value>,
}

impl Sql {
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    /// `AND column IN ($n, …)` for a non-empty list; nothing for an empty one.
    fn any_of<V: Clone + Into<Value>>(&mut self, column: &str, values: &[V]) -> String {
        if values.is_empty() {
            return String::new();
        }
        let placeholders: Vec<String> = values.iter().map(|v| self.bind(v.clone())).collect();
        format!("\n     AND {column} IN ({})", placeholders.join(", "))
    }
}

/// The report's one statement, in five steps:
///
/// 1. `zone`: the tenant's time zone and the range's first and last instants in it, once, so the
///    range is a plain condition on `fulfilled_at`.
/// 2. `shipped`: the counted orders with their period and order-side keys, computed once per
///    order (materialised, so not once per line).
/// 3. `per_sku`: their lines summed per SKU within each order-side group and period, with the
///    orders they came from.
/// 4. `keyed`: each of those with its SKU's case size and catalogue keys. The catalogue is read
///    once per SKU and group, not once per line: row-level security's policies make PostgreSQL
///    expect a handful of lines whatever their number, so it would look each line's SKU and
///    product up by index, which is most of the work of a year's report.
/// 5. the groups: units and revenue per case size, and distinct orders (the `DISTINCT` over the
///    unnested order ids), added up per group; the two halves are put together by `UNION ALL`
///    and grouped, as keys may be null and a join would not match nulls.
fn statement(tenant_id: Uuid, request: &DepletionRequest) -> Statement {
    let filter = &request.filter;
    let mut sql = Sql { values: Vec::new() };
    let tenant = sql.bind(tenant_id);
    let from = sql.bind(filter.from);
    let to = sql.bind(filter.to);
    let period = match request.period {
        None => "NULL::date".to_owned(),
        Some(DepletionPeriod::Day) => "(o.fulfilled_at AT TIME ZONE z.tz)::date".to_owned(),
        Some(period) => format!(
            "date_trunc('{}', o.fulfilled_at AT TIME ZONE z.tz)::date",
            period.unit()
        ),
    };
    let mut order_conditions = String::new();
    order_conditions += &sql.any_of("o.customer_id", &filter.customer_ids);
    order_conditions += &sql.any_of("c.assigned_rep_id", &filter.rep_ids);
    order_conditions += &sql.any_of("c.state", &filter.states);
    let line_conditions = sql.any_of("l.sku_id", &filter.sku_ids);
    let mut sku_conditions = String::new();
    sku_conditions += &sql.any_of("s.product_id", &filter.product_ids);
    sku_conditions += &sql.any_of("p.brand", &filter.brands);
    sku_conditions += &sql.any_of("p.supplier_id", &filter.supplier_ids);

    let keys = &request.group_by;
    let needs_customer = !filter.rep_ids.is_empty()
        || !filter.states.is_empty()
        || keys
            .iter()
            .any(|key| matches!(key, DepletionKey::Rep | DepletionKey::State));
    let customer_join = if needs_customer {
        "\n             JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id"
    } else {
        ""
    };
    let mut order_keys = String::new();
    let mut order_columns = String::new();
    let mut sku_keys = String::new();
    for key in keys {
        match key.source() {
            KeySource::Order(expression) => {
                order_keys += &format!("{expression} AS {}, ", key.alias());
                order_columns += &format!("sh.{}, ", key.alias());
            }
            KeySource::Sku(expression) => sku_keys += &format!("{expression} AS {}, ", key.alias()),
        }
    }
    let group_columns: String = keys
        .iter()
        .map(|key| format!("{}, ", key.alias()))
        .collect();
    let answer_columns: String = DepletionKey::ALL
        .iter()
        .map(|key| {
            if keys.contains(key) {
                format!("{}, ", key.alias())
            } else {
                format!("{} AS {}, ", key.absent(), key.alias())
            }
        })
        .collect();
    let order: String = keys
        .iter()
        .map(|key| format!(", {} NULLS LAST", key.alias()))
        .collect();
    let limit = MAX_DEPLETION_ROWS + 1;
    let text = format!(
        "WITH zone AS (
           SELECT tz, {from}::date::timestamp AT TIME ZONE tz AS starts,
                  ({to}::date + 1)::timestamp AT TIME ZONE tz AS ends
             FROM (SELECT coalesce((SELECT timezone FROM tenant_settings WHERE tenant_id = {tenant}),
                                   'UTC') AS tz) setting
         ),
         shipped AS MATERIALIZED (
           SELECT o.id AS order_id, o.customer_id AS account_id, {order_keys}{period} AS period_start
             FROM orders o{customer_join}
             CROSS JOIN zone z
            WHERE o.tenant_id = {tenant}
              AND o.status IN ('fulfilled', 'delivered')
              AND o.fulfilled_at >= z.starts AND o.fulfilled_at < z.ends{order_conditions}
         ),
         per_sku AS (
           SELECT {order_columns}sh.period_start, l.sku_id, sum(l.quantity) AS units,
                  sum(CASE WHEN l.is_sample THEN 0 ELSE l.line_total END) AS revenue,
                  array_agg(l.order_id) AS order_ids
             FROM shipped sh
             JOIN order_lines l
               ON l.tenant_id = {tenant} AND l.customer_id = sh.account_id AND l.order_id = sh.order_id
            WHERE true{line_conditions}
            GROUP BY {order_columns}sh.period_start, l.sku_id
         ),
         keyed AS (
           SELECT {order_columns_b}{sku_keys}b.period_start, s.units_per_case AS case_size, b.units,
                  b.revenue, b.order_ids
             FROM per_sku b
             JOIN skus s ON s.tenant_id = {tenant} AND s.id = b.sku_id
             JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
            WHERE true{sku_conditions}
         ),
         counted AS (
           SELECT {group_columns}period_start, NULL::integer AS case_size, NULL::bigint AS units,
                  NULL::numeric AS revenue, count(*) AS orders
             FROM (SELECT DISTINCT {group_columns}period_start, x.order_id
                     FROM keyed CROSS JOIN LATERAL unnest(keyed.order_ids) AS x (order_id)) d
            GROUP BY {group_columns}period_start
           UNION ALL
           SELECT {group_columns}period_start, case_size, sum(units), sum(revenue), NULL
             FROM keyed
            GROUP BY {group_columns}period_start, case_size
         )
         SELECT {answer_columns}period_start,
                sum(units)::int8 AS units, sum(revenue) AS revenue, sum(orders)::int8 AS order_count,
                jsonb_agg(jsonb_build_array(case_size, units)) FILTER (WHERE case_size IS NOT NULL)
                  AS units_by_case_size
           FROM counted
          GROUP BY {group_columns}period_start
          ORDER BY period_start{order}
          LIMIT {limit}",
        order_columns_b = order_columns.replace("sh.", "b."),
    );
    stmt(&text, sql.values)
}

/// Σ units ÷ units per case over a group's case sizes, rounded once to [`CASE_SCALE`] places, half
/// away from zero, and written with all of them (`"3.5000"`). The sum is exact: it is taken as one fraction over the sizes' least common
/// multiple, so twelve single bottles of a 12-pack are 1 case, not 0.99999…, and 18 bottles of a
/// 12-pack with 9 of a 6-pack are 3.
pub fn cases(units_by_case_size: &[(i64, i64)]) -> Decimal {
    exact_cases(units_by_case_size).unwrap_or_else(|| approximate_cases(units_by_case_size))
}

/// `None` when the fraction outgrows 128 bits (case sizes whose least common multiple is beyond
/// 10³⁰, which no catalogue has).
fn exact_cases(units_by_case_size: &[(i64, i64)]) -> Option<Decimal> {
    let (mut numerator, mut denominator) = (0_i128, 1_i128);
    for &(size, units) in units_by_case_size {
        let (size, units) = (i128::from(size), i128::from(units));
        if size <= 0 || units < 0 {
            return None;
        }
        let common = denominator.checked_mul(size / gcd(denominator, size))?;
        numerator = numerator
            .checked_mul(common / denominator)?
            .checked_add(units.checked_mul(common / size)?)?;
        denominator = common;
    }
    // Half away from zero for a non-negative fraction: ⌊(2·n·10ˢ + d) / 2d⌋.
    let scaled = numerator.checked_mul(10_i128.pow(CASE_SCALE))?;
    let rounded = scaled
        .checked_mul(2)?
        .checked_add(denominator)?
        .checked_div(denominator.checked_mul(2)?)?;
    Decimal::try_from_i128_with_scale(rounded, CASE_SCALE).ok()
}

/// Each size's quotient to 28 digits, summed, then rounded: for the case sizes [`exact_cases`]
/// cannot hold, off by at most one in the last place.
fn approximate_cases(units_by_case_size: &[(i64, i64)]) -> Decimal {
    let mut cases = units_by_case_size
        .iter()
        .filter(|(size, _)| *size > 0)
        .try_fold(Decimal::ZERO, |sum, &(size, units)| {
            sum.checked_add(Decimal::from(units).checked_div(Decimal::from(size))?)
        })
        // Unreachable: each quotient is at most its units (an i64), far below Decimal's 7.9 × 10²⁸.
        .unwrap_or(Decimal::MAX)
        .round_dp_with_strategy(CASE_SCALE, RoundingStrategy::MidpointAwayFromZero);
    // Written with all its places, as the exact path writes them.
    cases.rescale(CASE_SCALE);
    cases
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    #[test]
    fn cases_are_exact_over_mixed_case_sizes() {
        // Twelve single bottles of a 12-pack, summed bottle by bottle, are one case.
        let twelve_singles: Vec<(i64, i64)> = vec![(12, 12)];
        assert_eq!(cases(&twelve_singles), dec("1"));
        assert_eq!(cases(&[(12, 18), (6, 9)]), dec("3"));
        assert_eq!(cases(&[(12, 1), (6, 1)]), dec("0.25"));
        assert_eq!(cases(&[(12, 1)]), dec("0.0833"));
        assert_eq!(cases(&[(12, 2)]), dec("0.1667"));
        // 3/3 + 1/32 = 1.03125 exactly, a midpoint: half away from zero.
        assert_eq!(cases(&[(3, 3), (32, 1)]), dec("1.0313"));
        assert_eq!(cases(&[]), dec("0"));
    }

    #[test]
    fn cases_beyond_128_bits_fall_back_to_rounded_quotients() {
        let primes = [
            2_147_483_647,
            2_147_483_629,
            2_147_483_587,
            2_147_483_579,
            2_147_483_563,
        ];
        let sizes: Vec<(i64, i64)> = primes.iter().map(|&p| (p, p)).collect();
        assert_eq!(exact_cases(&sizes), None);
        assert_eq!(cases(&sizes).to_string(), "5.0000");
        assert_eq!(cases(&[(12, 18), (6, 9)]).to_string(), "3.0000");
    }

    fn request(group_by: Vec<DepletionKey>) -> DepletionRequest {
        DepletionRequest {
            filter: DepletionFilter::between(
                NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            ),
            group_by,
            period: Some(DepletionPeriod::Month),
        }
    }

    #[test]
    fn input_reaches_the_statement_only_as_bind_parameters() {
        let mut asked = request(vec![DepletionKey::Brand, DepletionKey::State]);
        asked.filter.brands = vec!["x'); DROP TABLE orders; --".into()];
        asked.filter.states = vec!["ca".into()];
        let checked = checked(&asked).unwrap();
        let statement = statement(Uuid::nil(), &checked);
        assert!(!statement.sql.contains("DROP TABLE"), "{}", statement.sql);
        assert!(
            statement.sql.contains("c.state IN ($4)"),
            "{}",
            statement.sql
        );
        assert!(
            statement.sql.contains("p.brand IN ($5)"),
            "{}",
            statement.sql
        );
        let values = statement.values.unwrap().0;
        assert_eq!(values.len(), 5);
        assert_eq!(values[3], Value::from("CA"));
    }

    #[test]
    fn keys_not_grouped_by_are_null_and_rows_follow_the_keys_order() {
        let statement = statement(
            Uuid::nil(),
            &request(vec![DepletionKey::State, DepletionKey::Sku]),
        );
        assert!(statement.sql.contains("NULL::text AS brand"));
        assert!(statement.sql.contains("NULL::uuid AS customer_id"));
        assert!(
            statement
                .sql
                .contains("ORDER BY period_start, state NULLS LAST, sku_id NULLS LAST")
        );
    }

    #[test]
    fn checks_name_the_field_at_fault() {
        use leora_tenancy::ApiError;
        let field =
            |asked: DepletionRequest| checked(&asked).unwrap_err().field().map(str::to_owned);
        let mut backwards = request(vec![]);
        backwards.filter.to = backwards.filter.from - Duration::days(1);
        assert_eq!(field(backwards).as_deref(), Some("filter.to"));
        let mut long = request(vec![]);
        long.filter.to = long.filter.from + Duration::days(MAX_RANGE_DAYS + 1);
        assert_eq!(field(long).as_deref(), Some("filter.to"));
        let mut longest = request(vec![]);
        longest.filter.to = longest.filter.from + Duration::days(MAX_RANGE_DAYS);
        assert!(checked(&longest).is_ok());
        let four = request(vec![
            DepletionKey::Sku,
            DepletionKey::Brand,
            DepletionKey::Rep,
            DepletionKey::State,
        ]);
        assert_eq!(field(four).as_deref(), Some("groupBy"));
        let twice = request(vec![DepletionKey::Sku, DepletionKey::Sku]);
        assert_eq!(field(twice).as_deref(), Some("groupBy"));
        let mut state = request(vec![]);
        state.filter.states = vec!["California".into()];
        assert_eq!(field(state).as_deref(), Some("filter.states"));
        let mut many = request(vec![]);
        many.filter.sku_ids = (0..=MAX_FILTER_VALUES).map(|_| Uuid::now_v7()).collect();
        assert_eq!(field(many).as_deref(), Some("filter.skuIds"));
        let mut repeated = request(vec![]);
        repeated.filter.sku_ids = vec![Uuid::nil(); MAX_FILTER_VALUES + 1];
        assert_eq!(checked(&repeated).unwrap().filter.sku_ids.len(), 1);
    }
}
