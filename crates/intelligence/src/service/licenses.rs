//! Customers whose liquor licence is about to expire: selling to an unlicensed account is illegal,
//! so reps and compliance staff renew ahead of the date.

use chrono::NaiveDate;
use leora_catalog::entities::customers::{self, CustomerStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select};

use crate::error::IntelligenceError;

/// The longest look-ahead: a year covers every annual renewal cycle.
pub const MAX_WITHIN_DAYS: i32 = 366;

/// Open customers whose licence expires from `today` to `today + within_days` (inclusive), soonest
/// first; with `include_expired`, those whose licence has already lapsed too.
pub fn expiring_licenses(
    today: NaiveDate,
    within_days: i32,
    include_expired: bool,
) -> Result<Select<customers::Entity>, IntelligenceError> {
    if !(0..=MAX_WITHIN_DAYS).contains(&within_days) {
        return Err(IntelligenceError::bad_input(
            "withinDays",
            format!("must be between 0 and {MAX_WITHIN_DAYS}"),
        ));
    }
    let last = today + chrono::Duration::days(i64::from(within_days));
    let mut select = customers::Entity::find()
        .filter(customers::Column::Status.ne(CustomerStatus::Inactive))
        .filter(customers::Column::LicenseExpiresOn.lte(last));
    if !include_expired {
        select = select.filter(customers::Column::LicenseExpiresOn.gte(today));
    }
    Ok(select.order_by_asc(customers::Column::LicenseExpiresOn))
}

/// Days from `today` to `expires_on`; negative once expired.
pub fn days_until(today: NaiveDate, expires_on: NaiveDate) -> i64 {
    (expires_on - today).num_days()
}

/// Whether a licence expiring on `expires_on` has lapsed by `today` (it is valid through its last
/// day).
pub fn has_expired(today: NaiveDate, expires_on: NaiveDate) -> bool {
    expires_on < today
}
