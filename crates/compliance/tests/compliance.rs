//! State tax rates on a real PostgreSQL, through tenant transactions as the application role.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use leora_compliance::entities::enums::ProductCategory;
use leora_compliance::entities::state_tax_rates::TaxRateKind;
use leora_compliance::error::ComplianceError;
use leora_compliance::service::tax::rates_on;
use leora_compliance::service::tax_rates::{
    NewTaxRate, TaxRateChanges, create_state_tax_rate, delete_state_tax_rate, update_state_tax_rate,
};
use leora_tenancy::{ApiError, AppRole, ErrorCode, TenantContext, TenantDb, with_tenant};
use leora_test_db::TestDatabase;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement};
use uuid::Uuid;

struct World {
    _database: TestDatabase,
    owner: DatabaseConnection,
    db: TenantDb,
    a: Uuid,
    b: Uuid,
}

async fn two_tenants() -> World {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = TenantDb::new(
        database.connect().await,
        AppRole::from_env().expect("APP_DB_ROLE is valid"),
    );
    let a = insert_tenant(&owner, "alpha").await;
    let b = insert_tenant(&owner, "beta").await;
    World {
        _database: database,
        owner,
        db,
        a,
        b,
    }
}

async fn insert_tenant(owner: &DatabaseConnection, slug: &str) -> Uuid {
    owner
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id",
            [slug.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap()
}

impl World {
    async fn run<T>(
        &self,
        tenant: Uuid,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, ComplianceError>,
    ) -> Result<T, ComplianceError> {
        with_tenant(&self.db, &TenantContext::system(tenant), work).await
    }

    async fn create(&self, tenant: Uuid, input: NewTaxRate) -> Result<Uuid, ComplianceError> {
        self.run(tenant, async |tx| {
            Ok(create_state_tax_rate(tx, tenant, input).await?.id)
        })
        .await
    }

    /// The rates of `state` a tenant sees on `on`, as (category, rate).
    async fn rates(
        &self,
        tenant: Uuid,
        state: &str,
        on: NaiveDate,
    ) -> Vec<(ProductCategory, Decimal)> {
        let categories = [
            ProductCategory::Wine,
            ProductCategory::Spirits,
            ProductCategory::Beer,
            ProductCategory::Other,
        ];
        let found = self
            .run(tenant, async |tx| {
                rates_on(tx, state, &categories, on).await
            })
            .await
            .unwrap();
        categories
            .into_iter()
            .filter_map(|category| found.get(&category).map(|rate| (category, rate.rate)))
            .collect()
    }

    async fn rate_count(&self, tenant: Uuid) -> i64 {
        self.owner
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT count(*) FROM state_tax_rates WHERE tenant_id = $1",
                [tenant.into()],
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index(0)
            .unwrap()
    }
}

fn date(value: &str) -> NaiveDate {
    value.parse().unwrap()
}

fn dec(value: &str) -> Decimal {
    value.parse().unwrap()
}

fn rate(
    state: &str,
    category: ProductCategory,
    amount: &str,
    from: &str,
    until: Option<&str>,
) -> NewTaxRate {
    NewTaxRate {
        state: state.to_owned(),
        category,
        kind: TaxRateKind::PerGallon,
        rate: dec(amount),
        effective_from: date(from),
        effective_until: until.map(date),
    }
}

fn assert_bad_input<T: std::fmt::Debug>(outcome: Result<T, ComplianceError>, field: &str) {
    let error = outcome.expect_err("expected bad input");
    assert_eq!(error.code(), ErrorCode::BadUserInput, "{error}");
    assert_eq!(error.field(), Some(field), "{error}");
}

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

// ───────────────────────────── compliance filings ─────────────────────────────

mod filings {
    use super::*;
    use leora_compliance::entities::compliance_filings::FilingStatus;
    use leora_compliance::service::filings::{
        FilingError, FilingFilter, NewFiling, Review, Submission, calendar, create_filing,
        effective_status, filings, refresh_statuses, review_filing, submit_filing,
    };
    use sea_orm::EntityTrait;

    async fn run<T>(
        world: &World,
        tenant: Uuid,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, FilingError>,
    ) -> Result<T, FilingError> {
        with_tenant(&world.db, &TenantContext::system(tenant), work).await
    }

    /// A June 2025 excise return for `state`, due July 20.
    fn june_return(state: &str) -> NewFiling {
        NewFiling {
            state: state.to_owned(),
            filing_type: "excise_return".to_owned(),
            period_start: date("2025-06-01"),
            period_end: date("2025-06-30"),
            due_date: date("2025-07-20"),
            amount: Some(dec("1234.56")),
            notes: None,
        }
    }

    fn submission(reference: &str) -> Submission {
        Submission {
            reference: reference.to_owned(),
            amount: None,
            notes: None,
        }
    }

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    #[track_caller]
    fn assert_filing_error<T: std::fmt::Debug>(
        outcome: Result<T, FilingError>,
        code: ErrorCode,
        field: Option<&str>,
    ) {
        let error = outcome.expect_err("expected an error");
        assert_eq!((error.code(), error.field()), (code, field), "{error}");
    }

    #[tokio::test]
    async fn a_filing_goes_from_upcoming_to_due_to_submitted_to_accepted() {
        let world = two_tenants().await;
        let t = world.a;
        let filing = run(&world, t, async |tx| {
            create_filing(tx, t, june_return("ca"), date("2025-06-15")).await
        })
        .await
        .unwrap();
        assert_eq!(
            (filing.state.as_str(), filing.status),
            ("CA", FilingStatus::Upcoming)
        );
        let id = filing.id;

        // The edges of the date-driven statuses.
        for (today, status) in [
            ("2025-06-30", FilingStatus::Upcoming),
            ("2025-07-01", FilingStatus::Due),
            ("2025-07-20", FilingStatus::Due),
            ("2025-07-21", FilingStatus::Overdue),
        ] {
            assert_eq!(effective_status(&filing, date(today)), status, "{today}");
        }

        // Not before the period has ended.
        assert_filing_error(
            run(&world, t, async |tx| {
                submit_filing(tx, id, submission("CA-1"), date("2025-06-30"), now()).await
            })
            .await,
            ErrorCode::InvalidTransition,
            None,
        );
        // A submission needs the regulator's reference.
        assert_filing_error(
            run(&world, t, async |tx| {
                submit_filing(tx, id, submission("  "), date("2025-07-01"), now()).await
            })
            .await,
            ErrorCode::BadUserInput,
            Some("reference"),
        );
        let submitted = run(&world, t, async |tx| {
            let with_amount = Submission {
                amount: Some(dec("1300.00")),
                ..submission("CA-2025-06-0042")
            };
            submit_filing(tx, id, with_amount, date("2025-07-01"), now()).await
        })
        .await
        .unwrap();
        assert_eq!(submitted.status, FilingStatus::Submitted);
        assert_eq!(submitted.reference.as_deref(), Some("CA-2025-06-0042"));
        assert_eq!(submitted.amount, Some(dec("1300.00")));
        assert!(submitted.submitted_at.is_some());
        // Submitted is submitted, whatever the date.
        assert_eq!(
            effective_status(&submitted, date("2025-08-01")),
            FilingStatus::Submitted
        );
        assert_filing_error(
            run(&world, t, async |tx| {
                submit_filing(tx, id, submission("again"), date("2025-07-02"), now()).await
            })
            .await,
            ErrorCode::InvalidTransition,
            None,
        );

        let accepted = run(&world, t, async |tx| {
            review_filing(tx, id, Review::Accept, Some("Receipt 991".into())).await
        })
        .await
        .unwrap();
        assert_eq!(accepted.status, FilingStatus::Accepted);
        assert_eq!(accepted.notes.as_deref(), Some("Receipt 991"));
        for review in [Review::Accept, Review::Reject] {
            assert_filing_error(
                run(&world, t, async |tx| {
                    review_filing(tx, id, review, None).await
                })
                .await,
                ErrorCode::InvalidTransition,
                None,
            );
        }
    }

    #[tokio::test]
    async fn an_overdue_filing_can_be_submitted_and_a_rejected_one_resubmitted() {
        let world = two_tenants().await;
        let t = world.a;
        let id = run(&world, t, async |tx| {
            create_filing(tx, t, june_return("NY"), date("2025-07-21")).await
        })
        .await
        .unwrap()
        .id;
        // An upcoming filing cannot be reviewed.
        assert_filing_error(
            run(&world, t, async |tx| {
                review_filing(tx, id, Review::Accept, None).await
            })
            .await,
            ErrorCode::InvalidTransition,
            None,
        );
        let late = date("2025-07-25");
        run(&world, t, async |tx| {
            submit_filing(tx, id, submission("NY-1"), late, now()).await
        })
        .await
        .unwrap();
        let rejected = run(&world, t, async |tx| {
            review_filing(tx, id, Review::Reject, None).await
        })
        .await
        .unwrap();
        assert_eq!(rejected.status, FilingStatus::Rejected);
        let resubmitted = run(&world, t, async |tx| {
            submit_filing(tx, id, submission("NY-2"), late, now()).await
        })
        .await
        .unwrap();
        assert_eq!(resubmitted.status, FilingStatus::Submitted);
        assert_eq!(resubmitted.reference.as_deref(), Some("NY-2"));
    }

    #[tokio::test]
    async fn statuses_are_filtered_as_of_today_and_stored_by_the_daily_refresh() {
        let world = two_tenants().await;
        let t = world.a;
        let created_on = date("2025-06-15");
        let ca = run(&world, t, async |tx| {
            create_filing(tx, t, june_return("CA"), created_on).await
        })
        .await
        .unwrap();
        let may = NewFiling {
            period_start: date("2025-05-01"),
            period_end: date("2025-05-31"),
            due_date: date("2025-06-20"),
            ..june_return("CA")
        };
        let may = run(&world, t, async |tx| {
            create_filing(tx, t, may, created_on).await
        })
        .await
        .unwrap();
        assert_eq!(may.status, FilingStatus::Due);

        let matching = async |statuses: Vec<FilingStatus>, today: &str| {
            let filter = FilingFilter {
                statuses,
                ..Default::default()
            };
            let today = date(today);
            run(&world, t, async move |tx| {
                let rows = filings(&filter, today)?.all(tx).await?;
                Ok(rows.into_iter().map(|f| f.id).collect::<Vec<_>>())
            })
            .await
            .unwrap()
        };
        // Stored as upcoming and due; on July 21 both are overdue.
        assert_eq!(
            matching(vec![FilingStatus::Overdue], "2025-07-21").await,
            vec![may.id, ca.id]
        );
        assert_eq!(
            matching(vec![FilingStatus::Due], "2025-07-01").await,
            vec![ca.id]
        );
        assert_eq!(
            matching(vec![FilingStatus::Overdue], "2025-07-01").await,
            vec![may.id]
        );
        assert_eq!(
            matching(vec![FilingStatus::Upcoming], "2025-06-15").await,
            vec![ca.id]
        );
        assert_eq!(
            matching(
                vec![FilingStatus::Upcoming, FilingStatus::Due],
                "2025-06-15"
            )
            .await,
            vec![may.id, ca.id]
        );
        assert!(
            matching(vec![FilingStatus::Submitted], "2025-06-15")
                .await
                .is_empty()
        );

        let changed = run(&world, t, async |tx| {
            Ok(refresh_statuses(tx, date("2025-07-01")).await?)
        })
        .await
        .unwrap();
        assert_eq!(changed, 2);
        let stored = run(&world, t, async |tx| {
            Ok(
                leora_compliance::entities::compliance_filings::Entity::find_by_id(ca.id)
                    .one(tx)
                    .await?,
            )
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(stored.status, FilingStatus::Due);
        assert_eq!(
            run(&world, t, async |tx| Ok(refresh_statuses(
                tx,
                date("2025-07-01")
            )
            .await?))
            .await
            .unwrap(),
            0,
            "nothing left to change"
        );
    }

    #[tokio::test]
    async fn invalid_or_duplicate_filings_are_refused() {
        let world = two_tenants().await;
        let t = world.a;
        let today = date("2025-06-15");
        let create = async |input: NewFiling| {
            run(&world, t, async move |tx| {
                create_filing(tx, t, input, today).await
            })
            .await
        };
        let cases = [
            (
                NewFiling {
                    state: "California".into(),
                    ..june_return("CA")
                },
                "state",
            ),
            (
                NewFiling {
                    filing_type: " ".into(),
                    ..june_return("CA")
                },
                "filingType",
            ),
            (
                NewFiling {
                    period_end: date("2025-05-31"),
                    ..june_return("CA")
                },
                "periodEnd",
            ),
            (
                NewFiling {
                    due_date: date("2025-06-29"),
                    ..june_return("CA")
                },
                "dueDate",
            ),
            (
                NewFiling {
                    amount: Some(dec("-1")),
                    ..june_return("CA")
                },
                "amount",
            ),
            (
                NewFiling {
                    amount: Some(dec("0.001")),
                    ..june_return("CA")
                },
                "amount",
            ),
        ];
        for (input, field) in cases {
            assert_filing_error(create(input).await, ErrorCode::BadUserInput, Some(field));
        }
        create(june_return("CA")).await.unwrap();
        assert_filing_error(
            create(june_return("ca")).await,
            ErrorCode::Conflict,
            Some("periodStart"),
        );
        // Another type, state or tenant is another filing.
        create(NewFiling {
            filing_type: "price_posting".into(),
            ..june_return("CA")
        })
        .await
        .unwrap();
        create(june_return("OR")).await.unwrap();
        run(&world, world.b, async |tx| {
            create_filing(tx, world.b, june_return("CA"), today).await
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn the_calendar_groups_what_falls_due_by_state() {
        let world = two_tenants().await;
        let t = world.a;
        let today = date("2025-06-15");
        for (state, filing_type, due) in [
            ("NY", "excise_return", "2025-07-15"),
            ("CA", "excise_return", "2025-07-20"),
            ("CA", "price_posting", "2025-07-05"),
            ("CA", "brand_registration", "2025-08-01"),
        ] {
            let input = NewFiling {
                filing_type: filing_type.into(),
                due_date: date(due),
                ..june_return(state)
            };
            run(&world, t, async move |tx| {
                create_filing(tx, t, input, today).await
            })
            .await
            .unwrap();
        }
        // The other tenant's July filing is not on this tenant's calendar.
        run(&world, world.b, async |tx| {
            create_filing(tx, world.b, june_return("CA"), today).await
        })
        .await
        .unwrap();

        let july = |state: Option<&'static str>| {
            run(&world, t, async move |tx| {
                let groups = calendar(tx, date("2025-07-01"), date("2025-07-31"), state).await?;
                Ok(groups
                    .into_iter()
                    .map(|(state, filings)| {
                        (
                            state,
                            filings
                                .into_iter()
                                .map(|f| f.filing_type)
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect::<Vec<_>>())
            })
        };
        assert_eq!(
            july(None).await.unwrap(),
            vec![
                (
                    "CA".to_owned(),
                    vec!["price_posting".to_owned(), "excise_return".to_owned()]
                ),
                ("NY".to_owned(), vec!["excise_return".to_owned()]),
            ]
        );
        assert_eq!(july(Some("ny")).await.unwrap().len(), 1);
        assert_filing_error(
            run(&world, t, async |tx| {
                Ok(calendar(tx, date("2025-07-31"), date("2025-07-01"), None).await?)
            })
            .await,
            ErrorCode::BadUserInput,
            Some("to"),
        );
    }

    #[tokio::test]
    async fn another_tenants_filings_are_invisible_and_untouchable() {
        let world = two_tenants().await;
        let theirs = run(&world, world.b, async |tx| {
            create_filing(tx, world.b, june_return("CA"), date("2025-07-01")).await
        })
        .await
        .unwrap()
        .id;
        let a = world.a;
        assert_filing_error(
            run(&world, a, async |tx| {
                submit_filing(tx, theirs, submission("x"), date("2025-07-01"), now()).await
            })
            .await,
            ErrorCode::NotFound,
            None,
        );
        assert_filing_error(
            run(&world, a, async |tx| {
                review_filing(tx, theirs, Review::Accept, None).await
            })
            .await,
            ErrorCode::NotFound,
            None,
        );
        let visible = run(&world, a, async |tx| {
            Ok(filings(&FilingFilter::default(), date("2025-07-01"))?
                .all(tx)
                .await?)
        })
        .await
        .unwrap();
        assert!(visible.is_empty());
    }
}

// ───────────────────────────── through GraphQL ─────────────────────────────

mod graphql {
    use super::*;
    use async_graphql::{EmptySubscription, Request, Response, Schema, Value as GqlValue};
    use leora_compliance::graphql::{ComplianceMutation, ComplianceQuery};
    use leora_tenancy::graphql::permission::PermissionSet;
    use leora_tenancy::graphql::{RequestScope, Session};
    use std::sync::Arc;

    fn schema() -> Schema<ComplianceQuery, ComplianceMutation, EmptySubscription> {
        Schema::build(ComplianceQuery, ComplianceMutation, EmptySubscription).finish()
    }

    /// Runs `query` as `ctx` holding `permissions`, in a transaction that is then dropped
    /// (rolled back) unless `commit`.
    async fn execute(
        world: &World,
        ctx: TenantContext,
        permissions: &[&str],
        query: &str,
        commit: bool,
    ) -> Response {
        let tx = Arc::new(world.db.begin(&ctx).await.unwrap());
        let session = Session::new(
            ctx,
            Uuid::now_v7(),
            vec![],
            PermissionSet::from_keys(permissions.iter().copied()),
            Arc::clone(&tx),
        );
        let batching = session.batching();
        let response =
            batching
                .run(schema().execute(
                    Request::new(query).data(Arc::new(RequestScope::Authenticated(session))),
                ))
                .await;
        if commit && let Ok(tx) = Arc::try_unwrap(tx) {
            tx.commit().await.unwrap();
        }
        response
    }

    fn code(response: &Response) -> Option<String> {
        let error = response.errors.first()?;
        match error.extensions.as_ref()?.get("code")? {
            GqlValue::String(code) => Some(code.clone()),
            _ => None,
        }
    }

    const REP: &[&str] = &["activities.view", "activities.manage", "analytics.view"];
    const MANAGER: &[&str] = &["compliance.view", "analytics.view"];
    const ADMIN: &[&str] = &["compliance.view", "compliance.manage"];
    const PORTAL: &[&str] = &["portal.catalog.view", "portal.orders.view"];

    #[tokio::test]
    async fn compliance_needs_its_permissions_and_reports_its_rules() {
        let world = two_tenants().await;
        let t = world.a;
        let staff = TenantContext::user(t, Uuid::now_v7());
        let portal = TenantContext::portal_user(t, Uuid::now_v7(), Uuid::now_v7());
        let create = "mutation { createStateTaxRate(input: { state: \"ca\", productCategory: WINE, \
                      rateKind: PER_GALLON, rate: \"0.20\", effectiveFrom: \"2020-01-01\" }) { id state } }";
        let list = "{ stateTaxRates(filter: { state: \"CA\", activeOn: \"2024-01-01\" }) { totalCount } \
                    complianceFilings { totalCount } }";

        for (ctx, permissions) in [(staff, REP), (portal, PORTAL)] {
            assert_eq!(
                code(&execute(&world, ctx, permissions, list, false).await).as_deref(),
                Some("FORBIDDEN")
            );
        }
        assert_eq!(
            code(&execute(&world, staff, MANAGER, create, false).await).as_deref(),
            Some("FORBIDDEN")
        );
        let created = execute(&world, staff, ADMIN, create, true).await;
        assert!(created.errors.is_empty(), "{:?}", created.errors);
        let overlap = execute(&world, staff, ADMIN, create, false).await;
        assert_eq!(code(&overlap).as_deref(), Some("CONFLICT"));
        let listed = execute(&world, staff, MANAGER, list, false).await;
        assert!(listed.errors.is_empty(), "{:?}", listed.errors);
        let data = listed.data.into_json().unwrap();
        assert_eq!(data["stateTaxRates"]["totalCount"], 1);

        let filing = "mutation { createComplianceFiling(input: { state: \"CA\", filingType: \"excise_return\", \
                      periodStart: \"2020-01-01\", periodEnd: \"2020-01-31\", dueDate: \"2020-02-20\" }) { id status daysUntilDue } }";
        assert_eq!(
            code(&execute(&world, staff, MANAGER, filing, false).await).as_deref(),
            Some("FORBIDDEN")
        );
        let made = execute(&world, staff, ADMIN, filing, true).await;
        assert!(made.errors.is_empty(), "{:?}", made.errors);
        let made = made.data.into_json().unwrap();
        // Long past its due date, and nobody submitted it.
        assert_eq!(made["createComplianceFiling"]["status"], "OVERDUE");
        let id = made["createComplianceFiling"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let review = format!(
            "mutation {{ reviewComplianceFiling(id: \"{id}\", decision: ACCEPT) {{ status }} }}"
        );
        assert_eq!(
            code(&execute(&world, staff, ADMIN, &review, false).await).as_deref(),
            Some("INVALID_TRANSITION")
        );
        let submit = format!(
            "mutation {{ submitComplianceFiling(id: \"{id}\", input: {{ reference: \"R-1\" }}) {{ status reference }} }}"
        );
        let submitted = execute(&world, staff, ADMIN, &submit, false).await;
        assert!(submitted.errors.is_empty(), "{:?}", submitted.errors);
        assert_eq!(
            submitted.data.into_json().unwrap()["submitComplianceFiling"]["status"],
            "SUBMITTED"
        );

        let calendar = "{ complianceCalendar(from: \"2020-02-01\", to: \"2020-02-29\") { state outstanding filings { filingType } } }";
        let calendar = execute(&world, staff, MANAGER, calendar, false).await;
        assert!(calendar.errors.is_empty(), "{:?}", calendar.errors);
        let calendar = calendar.data.into_json().unwrap();
        assert_eq!(calendar["complianceCalendar"][0]["state"], "CA");
        assert_eq!(calendar["complianceCalendar"][0]["outstanding"], 1);
    }
}
