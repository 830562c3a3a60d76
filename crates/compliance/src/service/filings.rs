//! Compliance filings: what a tenant owes each state regulator for a period, and where each return
//! stands.
//!
//! Lifecycle: `upcoming` (the period is still running) → `due` (the period has ended, the due date
//! has not passed) → `submitted` → `accepted` | `rejected`; an unsubmitted filing past its due date
//! is `overdue`, and a rejected one may be corrected and submitted again. The three date-driven
//! statuses are a function of the day, so [`effective_status`] derives them whenever a filing is
//! read (a stored status can never be stale in the API) and [`refresh_statuses`] stores them (run
//! daily by the health job) so that the stored column agrees for reports reading the table.

use chrono::{DateTime, NaiveDate, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::error::find_visible;
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::{Violation, stmt, violated_constraint};
use leora_tenancy::{Refusal, validate};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Select, Set, Statement,
};
use uuid::Uuid;

use super::states::parse_state_code;
use crate::entities::compliance_filings::{self, FilingStatus};
use crate::error::ComplianceError;
use leora_tenancy::{ApiError, ErrorCode};

const ENTITY: &str = "compliance filing";
const UNIQUE_PERIOD: &str = "compliance_filings_tenant_id_state_filing_type_period_start_key";
/// `amount` is numeric(14, 2): below 10¹² (232 × 2³² + 3 567 587 328).
const AMOUNT_LIMIT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);
const MAX_TEXT_CHARS: usize = 200;
const MAX_NOTES_CHARS: usize = 10_000;
/// The most filings one calendar answer holds, across its states: a longer period is refused
/// rather than cut short (see `docs/architecture.md`, "What a request may cost").
pub const MAX_CALENDAR_FILINGS: usize = 1_000;

/// Filing errors: the compliance vocabulary plus the lifecycle's refusals.
#[derive(Debug, thiserror::Error)]
pub enum FilingError {
    #[error("cannot {action} a filing that is {from}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
    #[error(transparent)]
    Compliance(#[from] ComplianceError),
}

impl From<sea_orm::DbErr> for FilingError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Compliance(error.into())
    }
}

impl From<leora_tenancy::TenancyError> for FilingError {
    fn from(error: leora_tenancy::TenancyError) -> Self {
        Self::Compliance(error.into())
    }
}

impl ApiError for FilingError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Self::Compliance(error) => error.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidTransition { .. } => None,
            Self::Compliance(error) => error.field(),
        }
    }
}

/// The status a filing has on `today`: its stored status once submitted, otherwise the one its
/// dates give.
pub fn effective_status(filing: &compliance_filings::Model, today: NaiveDate) -> FilingStatus {
    match filing.status {
        FilingStatus::Submitted | FilingStatus::Accepted | FilingStatus::Rejected => filing.status,
        FilingStatus::Upcoming | FilingStatus::Due | FilingStatus::Overdue => {
            date_status(filing.period_end, filing.due_date, today)
        }
    }
}

/// Upcoming while the period runs (through `period_end`), due until the due date (inclusive),
/// overdue after it.
pub fn date_status(period_end: NaiveDate, due_date: NaiveDate, today: NaiveDate) -> FilingStatus {
    if today > due_date {
        FilingStatus::Overdue
    } else if today > period_end {
        FilingStatus::Due
    } else {
        FilingStatus::Upcoming
    }
}

/// Whether a filing still has to be filed on `today`: not yet submitted, or rejected and not
/// submitted again.
pub fn is_outstanding(filing: &compliance_filings::Model, today: NaiveDate) -> bool {
    !matches!(
        effective_status(filing, today),
        FilingStatus::Submitted | FilingStatus::Accepted
    )
}

/// Whether a filing in `status` may be submitted: once its period has ended (due or overdue), or
/// again after a rejection.
fn may_submit(status: FilingStatus) -> bool {
    matches!(
        status,
        FilingStatus::Due | FilingStatus::Overdue | FilingStatus::Rejected
    )
}

#[derive(Debug, Clone)]
pub struct NewFiling {
    pub state: String,
    pub filing_type: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_date: NaiveDate,
    /// The amount owed, when known ahead of submission.
    pub amount: Option<Decimal>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Submission {
    /// The regulator's confirmation number.
    pub reference: String,
    /// The amount filed; `None` keeps the amount recorded earlier.
    pub amount: Option<Decimal>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Accept,
    Reject,
}

/// Records a filing obligation; its status is derived from `today`. `BadInput` on `state`,
/// `filingType`, `periodEnd`, `dueDate`, `amount` or `notes`; the same state, type and period
/// start twice → `Conflict` on `periodStart`.
pub async fn create_filing(
    tx: &TenantTx,
    input: NewFiling,
    today: NaiveDate,
) -> Result<compliance_filings::Model, FilingError> {
    let tenant_id = tx.tenant_id();
    let state = parse_state_code(&input.state).ok_or_else(|| {
        ComplianceError::bad_input("state", "must be a two-letter state code such as CA")
    })?;
    let filing_type = text("filingType", &input.filing_type)?;
    if input.period_end < input.period_start {
        return Err(
            ComplianceError::bad_input("periodEnd", "must not be before periodStart").into(),
        );
    }
    if input.due_date < input.period_end {
        return Err(ComplianceError::bad_input("dueDate", "must not be before periodEnd").into());
    }
    let amount = input.amount.map(amount).transpose()?;
    let notes = notes(input.notes)?;
    compliance_filings::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        state: Set(state),
        filing_type: Set(filing_type),
        period_start: Set(input.period_start),
        period_end: Set(input.period_end),
        due_date: Set(input.due_date),
        status: Set(date_status(input.period_end, input.due_date, today)),
        amount: Set(amount),
        notes: Set(notes),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|error| {
        if violated_constraint(&error) == Some(Violation::Unique(UNIQUE_PERIOD)) {
            FilingError::Compliance(
                Refusal::conflict(
                    "periodStart",
                    "this filing is already recorded for that state and period",
                )
                .into(),
            )
        } else {
            error.into()
        }
    })
}

/// Submits a due, overdue or rejected filing with the regulator's reference.
pub async fn submit_filing(
    tx: &DatabaseTransaction,
    id: Uuid,
    submission: Submission,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<compliance_filings::Model, FilingError> {
    let reference = text("reference", &submission.reference)?;
    let amount = submission.amount.map(amount).transpose()?;
    let notes = notes(submission.notes)?;
    let filing = for_update(tx, id).await?;
    let status = effective_status(&filing, today);
    if !may_submit(status) {
        return Err(FilingError::InvalidTransition {
            from: status_name(status),
            action: "submit",
        });
    }
    let mut model: compliance_filings::ActiveModel = filing.into();
    model.status = Set(FilingStatus::Submitted);
    model.submitted_at = Set(Some(now));
    model.reference = Set(Some(reference));
    if let Some(amount) = amount {
        model.amount = Set(Some(amount));
    }
    if let Some(notes) = notes {
        model.notes = Set(Some(notes));
    }
    Ok(model.update(tx).await?)
}

/// Records the regulator's verdict on a submitted filing.
pub async fn review_filing(
    tx: &DatabaseTransaction,
    id: Uuid,
    review: Review,
    notes: Option<String>,
) -> Result<compliance_filings::Model, FilingError> {
    let notes = self::notes(notes)?;
    let filing = for_update(tx, id).await?;
    if filing.status != FilingStatus::Submitted {
        return Err(FilingError::InvalidTransition {
            from: status_name(filing.status),
            action: match review {
                Review::Accept => "accept",
                Review::Reject => "reject",
            },
        });
    }
    let mut model: compliance_filings::ActiveModel = filing.into();
    model.status = Set(match review {
        Review::Accept => FilingStatus::Accepted,
        Review::Reject => FilingStatus::Rejected,
    });
    if let Some(notes) = notes {
        model.notes = Set(Some(notes));
    }
    Ok(model.update(tx).await?)
}

async fn for_update(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<compliance_filings::Model, FilingError> {
    compliance_filings::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(FilingError::Compliance(
            Refusal::NotFound { entity: ENTITY }.into(),
        ))
}

/// One filing; any other → `NotFound`.
pub async fn filing(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<compliance_filings::Model, ComplianceError> {
    find_visible::<compliance_filings::Entity, _>(tx, id, ENTITY).await
}

#[derive(Debug, Clone, Default)]
pub struct FilingFilter {
    pub state: Option<String>,
    pub filing_type: Option<String>,
    /// Any of these effective statuses; empty means any.
    pub statuses: Vec<FilingStatus>,
    /// Inclusive, on `due_date`.
    pub due_from: Option<NaiveDate>,
    /// Inclusive.
    pub due_to: Option<NaiveDate>,
}

/// Filings matching `filter` on `today`, by due date. Statuses are matched as
/// [`effective_status`] reports them, whatever is stored.
pub fn filings(
    filter: &FilingFilter,
    today: NaiveDate,
) -> Result<Select<compliance_filings::Entity>, ComplianceError> {
    use compliance_filings::Column;
    let mut select = compliance_filings::Entity::find();
    if let Some(state) = &filter.state {
        let state = parse_state_code(state).ok_or_else(|| {
            ComplianceError::bad_input("filter.state", "must be a two-letter state code such as CA")
        })?;
        select = select.filter(Column::State.eq(state));
    }
    if let Some(filing_type) = &filter.filing_type {
        select = select.filter(Column::FilingType.eq(filing_type.trim()));
    }
    if !filter.statuses.is_empty() {
        let mut any = Condition::any();
        for status in &filter.statuses {
            any = any.add(status_condition(*status, today));
        }
        select = select.filter(any);
    }
    Ok(select
        .filter_within(Column::DueDate, filter.due_from, filter.due_to)
        .order_by_asc(Column::DueDate)
        .order_by_asc(Column::State))
}

/// The rows whose effective status on `today` is `status`.
fn status_condition(status: FilingStatus, today: NaiveDate) -> Condition {
    use compliance_filings::Column;
    let unsubmitted = Column::Status.is_in([
        FilingStatus::Upcoming,
        FilingStatus::Due,
        FilingStatus::Overdue,
    ]);
    match status {
        FilingStatus::Submitted | FilingStatus::Accepted | FilingStatus::Rejected => {
            Condition::all().add(Column::Status.eq(status))
        }
        FilingStatus::Upcoming => Condition::all()
            .add(unsubmitted)
            .add(Column::PeriodEnd.gte(today)),
        FilingStatus::Due => Condition::all()
            .add(unsubmitted)
            .add(Column::PeriodEnd.lt(today))
            .add(Column::DueDate.gte(today)),
        FilingStatus::Overdue => Condition::all()
            .add(unsubmitted)
            .add(Column::DueDate.lt(today)),
    }
}

/// Stores the date-driven statuses of unsubmitted filings as of `today`; returns how many changed.
pub async fn refresh_statuses(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<u64, ComplianceError> {
    let result = db
        .execute_raw(stmt(
            "UPDATE compliance_filings
                SET status = CASE WHEN $1 > due_date THEN 'overdue'
                                  WHEN $1 > period_end THEN 'due'
                                  ELSE 'upcoming' END
              WHERE status IN ('upcoming', 'due', 'overdue')
                AND status <> CASE WHEN $1 > due_date THEN 'overdue'
                                   WHEN $1 > period_end THEN 'due'
                                   ELSE 'upcoming' END",
            [today.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

/// The filings due from `from` to `to` (inclusive), optionally in one state, grouped by state
/// (alphabetical) and by due date within each.
pub async fn calendar(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
    state: Option<&str>,
) -> Result<Vec<(String, Vec<compliance_filings::Model>)>, ComplianceError> {
    use compliance_filings::Column;
    if to < from {
        return Err(ComplianceError::bad_input("to", "must not be before from"));
    }
    let mut select = compliance_filings::Entity::find()
        .filter(Column::DueDate.gte(from))
        .filter(Column::DueDate.lte(to));
    if let Some(state) = state {
        let state = parse_state_code(state).ok_or_else(|| {
            ComplianceError::bad_input("state", "must be a two-letter state code such as CA")
        })?;
        select = select.filter(Column::State.eq(state));
    }
    let filings = select
        .order_by_asc(Column::State)
        .order_by_asc(Column::DueDate)
        .order_by_asc(Column::FilingType)
        .order_by_asc(Column::Id)
        .limit(MAX_CALENDAR_FILINGS as u64 + 1)
        .all(db)
        .await?;
    if filings.len() > MAX_CALENDAR_FILINGS {
        return Err(ComplianceError::bad_input(
            "to",
            format!(
                "the period holds more than {MAX_CALENDAR_FILINGS} filings: ask for a shorter one"
            ),
        ));
    }
    let mut by_state: Vec<(String, Vec<compliance_filings::Model>)> = Vec::new();
    for filing in filings {
        match by_state.last_mut() {
            Some((state, group)) if *state == filing.state => group.push(filing),
            _ => by_state.push((filing.state.clone(), vec![filing])),
        }
    }
    Ok(by_state)
}

#[derive(Debug, Clone, FromQueryResult)]
struct Today {
    today: NaiveDate,
    now: DateTime<Utc>,
}

/// The tenant's date (in its time zone) and the transaction's time, which the lifecycle is judged
/// by.
pub async fn tenant_today(
    db: &impl ConnectionTrait,
) -> Result<(NaiveDate, DateTime<Utc>), ComplianceError> {
    let row = Today::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT (now() AT TIME ZONE coalesce((SELECT timezone FROM tenant_settings LIMIT 1), 'UTC'))::date AS today,
                now() AS now",
    ))
    .one(db)
    .await?
    .ok_or(Refusal::NotFound {
        entity: "tenant settings",
    })?;
    Ok((row.today, row.now))
}

fn status_name(status: FilingStatus) -> &'static str {
    match status {
        FilingStatus::Upcoming => "upcoming",
        FilingStatus::Due => "due",
        FilingStatus::Submitted => "submitted",
        FilingStatus::Accepted => "accepted",
        FilingStatus::Rejected => "rejected",
        FilingStatus::Overdue => "overdue",
    }
}

fn text(field: &'static str, raw: &str) -> Result<String, ComplianceError> {
    Ok(validate::required_text(field, raw, MAX_TEXT_CHARS)?)
}

fn notes(raw: Option<String>) -> Result<Option<String>, ComplianceError> {
    Ok(validate::optional_text("notes", raw, MAX_NOTES_CHARS)?)
}

fn amount(amount: Decimal) -> Result<Decimal, ComplianceError> {
    Ok(validate::money("amount", amount, AMOUNT_LIMIT)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    fn date(value: &str) -> NaiveDate {
        value.parse().unwrap()
    }

    #[test]
    fn status_names_are_the_stored_values() {
        for status in FilingStatus::iter() {
            assert_eq!(status_name(status), status.to_value());
        }
    }

    #[test]
    fn dates_decide_unsubmitted_statuses_at_the_edges() {
        let (end, due) = (date("2025-06-30"), date("2025-07-20"));
        let cases = [
            ("2025-06-01", FilingStatus::Upcoming),
            ("2025-06-30", FilingStatus::Upcoming),
            ("2025-07-01", FilingStatus::Due),
            ("2025-07-20", FilingStatus::Due),
            ("2025-07-21", FilingStatus::Overdue),
        ];
        for (today, expected) in cases {
            assert_eq!(date_status(end, due, date(today)), expected, "{today}");
        }
    }

    #[test]
    fn only_ended_or_rejected_filings_can_be_submitted() {
        for status in FilingStatus::iter() {
            let expected = matches!(
                status,
                FilingStatus::Due | FilingStatus::Overdue | FilingStatus::Rejected
            );
            assert_eq!(may_submit(status), expected, "{status:?}");
        }
    }

    #[test]
    fn amounts_are_whole_cents_within_the_column() {
        assert!(amount("12.34".parse().unwrap()).is_ok());
        for bad in ["-0.01", "1.234", "1000000000000"] {
            assert_eq!(
                amount(bad.parse().unwrap()).unwrap_err().field(),
                Some("amount"),
                "{bad}"
            );
        }
    }
}
