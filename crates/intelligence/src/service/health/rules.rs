//! Account health rules (docs/domain-rules.md, "Account health"), pure: a customer's order history
//! in, its assessment out.
//!
//! * **Periods.** The current period is the [`PERIOD_DAYS`] days ending on the snapshot date
//!   (inclusive), the previous period the [`PERIOD_DAYS`] before it. Thirty days smooths weekly
//!   ordering rhythms while still reacting within a month.
//! * **History.** Order count, and the reorder interval, look back [`HISTORY_DAYS`] days: a pattern
//!   from years ago says little about today.
//! * **Revenue drop.** Flagged when revenue fell by *more than* the tenant's threshold (a fraction
//!   of the previous period's revenue) and the customer has at least the tenant's minimum orders.
//!   A customer with no previous revenue cannot drop.
//! * **Pace.** With at least the pace minimum of orders on at least two distinct days, the average
//!   reorder interval is the span from first to last order day divided by the gaps between them.
//!   The next order is expected one interval after the last; a customer more than the risk
//!   threshold days past that is at risk. The comparison is exact (integer arithmetic), so the
//!   edge does not depend on rounding the interval.
//! * **Score**, 0–100: 100, less
//!   - 30 + 20 × the drop ratio when revenue drop is flagged (so 33–50),
//!   - 30 + 20 × min(lateness ÷ interval, 1) when the pace is at risk (so 30–50),
//!   - 30 when the customer has fewer than the minimum orders: not enough history to call the
//!     account healthy.
//!
//!   A healthy account scores 100, an unknown one 70, one risk 50–70, both 0–40; the result is
//!   rounded half away from zero.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::super::settings::Thresholds;
use crate::entities::account_health_snapshots::PaceStatus;

/// Days in each of the two compared revenue periods.
pub const PERIOD_DAYS: i64 = 30;
/// Days of history behind the order count and the reorder interval.
pub const HISTORY_DAYS: i64 = 365;
/// `revenue_change_pct` is numeric(9, 4): a rise from cents to thousands is clamped to this.
const MAX_CHANGE_PCT: Decimal = Decimal::from_parts(999_999_999, 0, 0, false, 4);

const FLAG_PENALTY: i64 = 30;
const SEVERITY_PENALTY: i64 = 20;
const THIN_HISTORY_PENALTY: i64 = 30;

/// A non-draft, non-cancelled order: the day it was placed (tenant time) and its revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedOrder {
    pub placed_on: NaiveDate,
    pub revenue: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RiskFlag {
    RevenueDrop,
    PaceAtRisk,
}

impl RiskFlag {
    /// The name stored in `risk_flags`.
    pub fn key(self) -> &'static str {
        match self {
            Self::RevenueDrop => "revenue_drop",
            Self::PaceAtRisk => "pace_at_risk",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "revenue_drop" => Some(Self::RevenueDrop),
            "pace_at_risk" => Some(Self::PaceAtRisk),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub revenue_current: Decimal,
    pub revenue_previous: Decimal,
    /// Percent (−15.5 is a 15.5 % drop); `None` without previous revenue.
    pub revenue_change_pct: Option<Decimal>,
    /// Orders in the history window.
    pub order_count: i32,
    pub days_since_last_order: Option<i32>,
    /// Rounded to hundredths; `None` with fewer than two order days.
    pub avg_reorder_interval_days: Option<Decimal>,
    pub pace: PaceStatus,
    pub score: i32,
    pub flags: Vec<RiskFlag>,
}

impl Assessment {
    pub fn at_risk(&self) -> bool {
        !self.flags.is_empty()
    }
}

/// Assesses a customer on `today` from its orders (any outside the history window, or after
/// `today`, are ignored) and the day of its last order ever, which may precede the window.
pub fn assess(
    orders: &[PlacedOrder],
    last_order_on: Option<NaiveDate>,
    today: NaiveDate,
    thresholds: &Thresholds,
) -> Assessment {
    let days_before = |order: &PlacedOrder| (today - order.placed_on).num_days();
    let in_history: Vec<&PlacedOrder> = orders
        .iter()
        .filter(|o| (0..HISTORY_DAYS).contains(&days_before(o)))
        .collect();
    let revenue_in = |range: std::ops::Range<i64>| -> Decimal {
        in_history
            .iter()
            .filter(|o| range.contains(&days_before(o)))
            .map(|o| o.revenue)
            .sum()
    };
    let current = revenue_in(0..PERIOD_DAYS);
    let previous = revenue_in(PERIOD_DAYS..2 * PERIOD_DAYS);
    let order_count = i32::try_from(in_history.len()).unwrap_or(i32::MAX);
    let days_since_last_order = last_order_on
        .filter(|last| *last <= today)
        .map(|last| i32::try_from((today - last).num_days()).unwrap_or(i32::MAX));

    let mut days: Vec<NaiveDate> = in_history.iter().map(|o| o.placed_on).collect();
    days.sort_unstable();
    days.dedup();
    let interval = Interval::of(&days);

    let drop = revenue_drop(previous, current, order_count, thresholds);
    let pace = pace(interval, days_since_last_order, order_count, thresholds);

    let mut flags = Vec::new();
    let mut penalty = Decimal::ZERO;
    if let Some(ratio) = drop {
        flags.push(RiskFlag::RevenueDrop);
        penalty += Decimal::from(FLAG_PENALTY) + Decimal::from(SEVERITY_PENALTY) * ratio;
    }
    if let Pace::AtRisk { severity } = pace {
        flags.push(RiskFlag::PaceAtRisk);
        penalty += Decimal::from(FLAG_PENALTY) + Decimal::from(SEVERITY_PENALTY) * severity;
    }
    if order_count < thresholds.health_min_orders {
        penalty += Decimal::from(THIN_HISTORY_PENALTY);
    }
    let score = (Decimal::ONE_HUNDRED - penalty)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);

    Assessment {
        revenue_current: current,
        revenue_previous: previous,
        revenue_change_pct: change_pct(previous, current),
        order_count,
        days_since_last_order,
        avg_reorder_interval_days: interval.map(Interval::average),
        pace: pace.status(),
        score: score.to_i32().unwrap_or(0),
        flags,
    }
}

/// The change from `previous` to `current` in percent, to four places; `None` when there was no
/// previous revenue to compare with.
pub fn change_pct(previous: Decimal, current: Decimal) -> Option<Decimal> {
    if previous <= Decimal::ZERO {
        return None;
    }
    let pct = ((current - previous) * Decimal::ONE_HUNDRED / previous)
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
    Some(pct.min(MAX_CHANGE_PCT))
}

/// The drop ratio (0–1) when revenue fell by more than the threshold for a customer with enough
/// orders; `None` otherwise. `previous − current > threshold × previous` is exact in decimals, so
/// a drop of exactly the threshold is never flagged.
pub fn revenue_drop(
    previous: Decimal,
    current: Decimal,
    order_count: i32,
    thresholds: &Thresholds,
) -> Option<Decimal> {
    if order_count < thresholds.health_min_orders || previous <= Decimal::ZERO {
        return None;
    }
    let drop = previous - current;
    (drop > thresholds.revenue_drop * previous).then(|| (drop / previous).min(Decimal::ONE))
}

/// The average gap between distinct order days, as the exact fraction `span / gaps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    span_days: i64,
    gaps: i64,
}

impl Interval {
    /// `None` with fewer than two distinct days (`days` sorted, deduplicated).
    pub fn of(days: &[NaiveDate]) -> Option<Self> {
        let (first, last) = (days.first()?, days.last()?);
        let gaps = i64::try_from(days.len()).ok()? - 1;
        (gaps >= 1).then(|| Self {
            span_days: (*last - *first).num_days(),
            gaps,
        })
    }

    pub fn average(self) -> Decimal {
        (Decimal::from(self.span_days) / Decimal::from(self.gaps))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Pace {
    InsufficientData,
    OnTrack,
    /// `severity` is the lateness beyond the expected day relative to the interval, capped at 1.
    AtRisk {
        severity: Decimal,
    },
}

impl Pace {
    fn status(self) -> PaceStatus {
        match self {
            Self::InsufficientData => PaceStatus::InsufficientData,
            Self::OnTrack => PaceStatus::OnTrack,
            Self::AtRisk { .. } => PaceStatus::AtRisk,
        }
    }
}

fn pace(
    interval: Option<Interval>,
    days_since_last_order: Option<i32>,
    order_count: i32,
    thresholds: &Thresholds,
) -> Pace {
    let (Some(interval), Some(since)) = (interval, days_since_last_order) else {
        return Pace::InsufficientData;
    };
    if order_count < thresholds.pace_min_orders {
        return Pace::InsufficientData;
    }
    // lateness = since − span/gaps; at risk when lateness > threshold, all multiplied by gaps.
    let late_scaled = i64::from(since) * interval.gaps - interval.span_days;
    if late_scaled <= i64::from(thresholds.pace_risk_days) * interval.gaps {
        return Pace::OnTrack;
    }
    let severity = if interval.span_days == 0 {
        Decimal::ONE
    } else {
        (Decimal::from(late_scaled) / Decimal::from(interval.span_days)).min(Decimal::ONE)
    };
    Pace::AtRisk { severity }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
    }

    fn dec(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    fn order(days_ago: i64, revenue: &str) -> PlacedOrder {
        PlacedOrder {
            placed_on: today() - Duration::days(days_ago),
            revenue: dec(revenue),
        }
    }

    fn run(orders: &[PlacedOrder]) -> Assessment {
        let last = orders.iter().map(|o| o.placed_on).max();
        assess(orders, last, today(), &Thresholds::default())
    }

    /// Three orders in the previous period worth 1000 in all, then `current` in one order now.
    fn drop_history(current: &str) -> Vec<PlacedOrder> {
        vec![
            order(55, "400"),
            order(45, "300"),
            order(35, "300"),
            order(5, current),
        ]
    }

    #[test]
    fn revenue_drop_edges() {
        // (case, history, flagged, change %)
        let cases: Vec<(&str, Vec<PlacedOrder>, bool, Option<&str>)> = vec![
            (
                "exactly the threshold",
                drop_history("850"),
                false,
                Some("-15"),
            ),
            (
                "a cent beyond it",
                drop_history("849.99"),
                true,
                Some("-15.001"),
            ),
            ("no drop", drop_history("1000"), false, Some("0")),
            ("a rise", drop_history("1500"), false, Some("50")),
            (
                "fewer than the minimum orders",
                vec![order(45, "1000"), order(5, "10")],
                false,
                Some("-99"),
            ),
            (
                "exactly the minimum orders",
                vec![order(45, "500"), order(40, "500"), order(5, "10")],
                true,
                Some("-99"),
            ),
            (
                "nothing this period",
                vec![order(55, "400"), order(45, "300"), order(35, "300")],
                true,
                Some("-100"),
            ),
            (
                "no previous revenue",
                vec![order(20, "400"), order(10, "300"), order(5, "300")],
                false,
                None,
            ),
        ];
        for (case, history, flagged, pct) in cases {
            let assessment = run(&history);
            assert_eq!(
                assessment.flags.contains(&RiskFlag::RevenueDrop),
                flagged,
                "{case}: {assessment:?}"
            );
            assert_eq!(
                assessment.revenue_change_pct,
                pct.map(dec),
                "{case}: change"
            );
        }
    }

    #[test]
    fn periods_split_on_the_thirtieth_day() {
        let assessment = run(&[
            order(0, "1"),
            order(29, "2"),
            order(30, "4"),
            order(59, "8"),
            order(60, "16"),
        ]);
        assert_eq!(assessment.revenue_current, dec("3"));
        assert_eq!(assessment.revenue_previous, dec("12"));
        assert_eq!(assessment.order_count, 5);
    }

    /// Orders every ten days, the last `since` days ago.
    fn every_ten_days(since: i64) -> Vec<PlacedOrder> {
        vec![
            order(since + 20, "100"),
            order(since + 10, "100"),
            order(since, "100"),
        ]
    }

    #[test]
    fn pace_edges() {
        // Default threshold: 2 days past the expected reorder (10 days after the last).
        let cases: Vec<(&str, Vec<PlacedOrder>, PaceStatus)> = vec![
            (
                "on the expected day",
                every_ten_days(10),
                PaceStatus::OnTrack,
            ),
            (
                "exactly at the threshold",
                every_ten_days(12),
                PaceStatus::OnTrack,
            ),
            ("one day past it", every_ten_days(13), PaceStatus::AtRisk),
            (
                "fewer than the minimum orders",
                vec![order(100, "100"), order(90, "100")],
                PaceStatus::InsufficientData,
            ),
            (
                "all orders on one day",
                vec![order(5, "1"), order(5, "1"), order(5, "1")],
                PaceStatus::InsufficientData,
            ),
            ("no orders", vec![], PaceStatus::InsufficientData),
            (
                // Interval 7.5 days, last order 9 days ago: 1.5 days late, within 2.
                "a fractional interval, within the threshold",
                vec![
                    order(24, "1"),
                    order(24, "1"),
                    order(17, "1"),
                    order(9, "1"),
                ],
                PaceStatus::OnTrack,
            ),
            (
                // 2.5 days late: half a day past the threshold.
                "a fractional interval, half a day past it",
                vec![
                    order(25, "1"),
                    order(25, "1"),
                    order(18, "1"),
                    order(10, "1"),
                ],
                PaceStatus::AtRisk,
            ),
        ];
        for (case, history, status) in cases {
            let assessment = run(&history);
            assert_eq!(assessment.pace, status, "{case}: {assessment:?}");
            assert_eq!(
                assessment.flags.contains(&RiskFlag::PaceAtRisk),
                status == PaceStatus::AtRisk,
                "{case}"
            );
        }
    }

    #[test]
    fn interval_and_recency_are_reported() {
        let assessment = run(&every_ten_days(4));
        assert_eq!(assessment.avg_reorder_interval_days, Some(dec("10")));
        assert_eq!(assessment.days_since_last_order, Some(4));
        let none = run(&[]);
        assert_eq!(none.avg_reorder_interval_days, None);
        assert_eq!(none.days_since_last_order, None);
        // The last order may precede the history window.
        let old = assess(
            &[],
            Some(today() - Duration::days(400)),
            today(),
            &Thresholds::default(),
        );
        assert_eq!(old.days_since_last_order, Some(400));
        assert_eq!(old.order_count, 0);
    }

    #[test]
    fn scores() {
        // Healthy: enough orders, steady revenue, on pace.
        let healthy = run(&[
            order(50, "100"),
            order(40, "100"),
            order(30, "100"),
            order(20, "100"),
            order(10, "100"),
            order(0, "100"),
        ]);
        assert_eq!((healthy.score, healthy.at_risk()), (100, false));
        // Too little history: not at risk, but not known to be healthy either.
        let thin = run(&[order(3, "100")]);
        assert_eq!((thin.score, thin.at_risk()), (70, false));
        // Everything stopped: −100 % (30 + 20) and far past pace (30 + 20).
        let gone = run(&[
            order(95, "100"),
            order(85, "100"),
            order(75, "100"),
            order(55, "100"),
            order(45, "100"),
            order(35, "100"),
        ]);
        assert_eq!(
            gone.flags,
            vec![RiskFlag::RevenueDrop, RiskFlag::PaceAtRisk]
        );
        assert_eq!(gone.score, 0);
        // A drop just over the threshold alone: 100 − (30 + 20 × 0.15001) = 66.9998 → 67.
        assert_eq!(run(&drop_history("849.99")).score, 67);
    }

    #[test]
    fn orders_after_the_snapshot_date_are_ignored() {
        let mut history = every_ten_days(5);
        history.push(PlacedOrder {
            placed_on: today() + Duration::days(1),
            revenue: dec("1000"),
        });
        let assessment = assess(
            &history,
            Some(today() - Duration::days(5)),
            today(),
            &Thresholds::default(),
        );
        assert_eq!(assessment.order_count, 3);
        assert_eq!(assessment.revenue_current, dec("300"));
    }

    #[test]
    fn huge_rises_fit_the_column() {
        assert_eq!(
            change_pct(dec("0.01"), dec("1000000")),
            Some(MAX_CHANGE_PCT)
        );
        assert_eq!(change_pct(Decimal::ZERO, dec("5")), None);
    }

    #[test]
    fn flags_round_trip_their_keys() {
        for flag in [RiskFlag::RevenueDrop, RiskFlag::PaceAtRisk] {
            assert_eq!(RiskFlag::from_key(flag.key()), Some(flag));
        }
    }
}
