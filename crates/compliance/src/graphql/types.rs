//! Output types: newtypes over compliance rows.

use crate::service::filings::MAX_CALENDAR_FILINGS;
use async_graphql::{ID, Object};
use chrono::NaiveDate;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::{Date, Exact, Instant, Money};

use crate::entities::compliance_filings::{self, FilingStatus as StoredFilingStatus};
use crate::entities::enums::ProductCategory as StoredProductCategory;
use crate::entities::state_tax_rates::{self, TaxRateKind as StoredTaxRateKind};
use crate::service::filings::{effective_status, is_outstanding};
pub(crate) use leora_tenancy::graphql::ids::{id, parse_id};

leora_tenancy::mirror_enum!(
    /// What a product is, which decides its excise tax.
    ProductCategory <=> StoredProductCategory { Wine, Spirits, Beer, Other }
);
leora_tenancy::mirror_enum!(
    /// How a rate applies: dollars per US gallon, or a percentage of the line's price.
    TaxRateKind <=> StoredTaxRateKind { PerGallon, Percent }
);
leora_tenancy::mirror_enum!(
    /// upcoming (the period is running) → due (ended, not yet past due) → submitted →
    /// accepted | rejected; overdue when unsubmitted past the due date.
    FilingStatus <=> StoredFilingStatus { Upcoming, Due, Submitted, Accepted, Rejected, Overdue }
);

pub struct StateTaxRate(pub state_tax_rates::Model);

#[Object]
impl StateTaxRate {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn state(&self) -> &str {
        &self.0.state
    }
    async fn product_category(&self) -> ProductCategory {
        self.0.product_category.into()
    }
    async fn rate_kind(&self) -> TaxRateKind {
        self.0.rate_kind.into()
    }
    /// Dollars per gallon, or a percentage (7.5 means 7.5 %).
    async fn rate(&self) -> Exact {
        self.0.rate.into()
    }
    async fn effective_from(&self) -> Date {
        self.0.effective_from.into()
    }
    /// Exclusive; null while the rate has no announced end.
    async fn effective_until(&self) -> Option<Date> {
        self.0.effective_until.map(Date)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
}

/// A filing with the day its status is judged on.
pub struct ComplianceFiling {
    pub filing: compliance_filings::Model,
    pub today: NaiveDate,
}

#[Object]
impl ComplianceFiling {
    async fn id(&self) -> ID {
        id(self.filing.id)
    }
    async fn state(&self) -> &str {
        &self.filing.state
    }
    /// What is filed (`excise_return`, `price_posting` …), as the tenant names it.
    async fn filing_type(&self) -> &str {
        &self.filing.filing_type
    }
    async fn period_start(&self) -> Date {
        self.filing.period_start.into()
    }
    async fn period_end(&self) -> Date {
        self.filing.period_end.into()
    }
    async fn due_date(&self) -> Date {
        self.filing.due_date.into()
    }
    /// As of today in the tenant's time zone.
    async fn status(&self) -> FilingStatus {
        effective_status(&self.filing, self.today).into()
    }
    /// Days until the due date; negative once past it.
    async fn days_until_due(&self) -> i64 {
        (self.filing.due_date - self.today).num_days()
    }
    async fn submitted_at(&self) -> Option<Instant> {
        self.filing.submitted_at.map(Instant)
    }
    /// The regulator's confirmation number.
    async fn reference(&self) -> Option<&str> {
        self.filing.reference.as_deref()
    }
    async fn amount(&self) -> Option<Money> {
        self.filing.amount.map(Money)
    }
    async fn notes(&self) -> Option<&str> {
        self.filing.notes.as_deref()
    }
    async fn created_at(&self) -> Instant {
        self.filing.created_at.into()
    }
}

/// One state's filings falling due in a period.
pub struct StateFilingCalendar {
    pub state: String,
    pub filings: Vec<compliance_filings::Model>,
    pub today: NaiveDate,
}

#[Object]
impl StateFilingCalendar {
    async fn state(&self) -> &str {
        &self.state
    }
    /// By due date. One calendar answer holds at most 1,000 filings across its states.
    #[graphql(complexity = "cost::capped(MAX_CALENDAR_FILINGS, child_complexity)")]
    async fn filings(&self) -> Vec<ComplianceFiling> {
        self.filings
            .iter()
            .cloned()
            .map(|filing| ComplianceFiling {
                filing,
                today: self.today,
            })
            .collect()
    }
    /// Filings not yet submitted (or rejected and not resubmitted).
    async fn outstanding(&self) -> usize {
        self.filings
            .iter()
            .filter(|filing| is_outstanding(filing, self.today))
            .count()
    }
    /// The recorded amounts, summed.
    async fn total_amount(&self) -> Money {
        Money(self.filings.iter().filter_map(|f| f.amount).sum())
    }
}
