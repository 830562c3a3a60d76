//! Compliance filings: their statuses as the days pass, submission and review, validation, the
//! calendar and another tenant's filings.

use crate::support::*;
use leora_compliance::entities::compliance_filings::FilingStatus;
use leora_compliance::service::filings::{
    FilingError, FilingFilter, NewFiling, Review, Submission, calendar, create_filing,
    effective_status, filings, refresh_statuses, review_filing, submit_filing,
};
use leora_tenancy::TenantTx;
use leora_tenancy::{ErrorCode, TenantContext, with_tenant};
use leora_test_db::errors::assert_code_and_field;
use sea_orm::EntityTrait;
use uuid::Uuid;

async fn run<T>(
    world: &World,
    tenant: Uuid,
    work: impl AsyncFnOnce(&TenantTx) -> Result<T, FilingError>,
) -> Result<T, FilingError> {
    with_tenant(&world.pools.db, &TenantContext::system(tenant), work).await
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

#[tokio::test]
async fn a_filing_goes_from_upcoming_to_due_to_submitted_to_accepted() {
    let world = two_tenants().await;
    let t = world.a;
    let filing = run(&world, t, async |tx| {
        create_filing(tx, june_return("ca"), date("2025-06-15")).await
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
    assert_code_and_field(
        run(&world, t, async |tx| {
            submit_filing(tx, id, submission("CA-1"), date("2025-06-30"), now()).await
        })
        .await,
        ErrorCode::InvalidTransition,
        None,
    );
    // A submission needs the regulator's reference.
    assert_code_and_field(
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
    assert_code_and_field(
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
        assert_code_and_field(
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
        create_filing(tx, june_return("NY"), date("2025-07-21")).await
    })
    .await
    .unwrap()
    .id;
    // An upcoming filing cannot be reviewed.
    assert_code_and_field(
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
        create_filing(tx, june_return("CA"), created_on).await
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
        create_filing(tx, may, created_on).await
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
async fn a_due_range_includes_both_of_its_days() {
    let world = two_tenants().await;
    let t = world.a;
    let today = date("2025-06-15");
    let may = NewFiling {
        period_start: date("2025-05-01"),
        period_end: date("2025-05-31"),
        due_date: date("2025-06-20"),
        ..june_return("CA")
    };
    let (may, june) = run(&world, t, async |tx| {
        Ok((
            create_filing(tx, may, today).await?,
            create_filing(tx, june_return("CA"), today).await?,
        ))
    })
    .await
    .unwrap();

    let due_between = async |from: &str, to: &str| {
        let filter = FilingFilter {
            due_from: Some(date(from)),
            due_to: Some(date(to)),
            ..Default::default()
        };
        run(&world, t, async move |tx| {
            let rows = filings(&filter, today)?.all(tx).await?;
            Ok(rows.into_iter().map(|f| f.id).collect::<Vec<_>>())
        })
        .await
        .unwrap()
    };
    assert_eq!(
        due_between("2025-06-20", "2025-07-20").await,
        vec![may.id, june.id]
    );
    assert_eq!(due_between("2025-07-20", "2025-07-20").await, vec![june.id]);
    assert!(due_between("2025-06-21", "2025-07-19").await.is_empty());
}

#[tokio::test]
async fn invalid_or_duplicate_filings_are_refused() {
    let world = two_tenants().await;
    let t = world.a;
    let today = date("2025-06-15");
    let create = async |input: NewFiling| {
        run(&world, t, async move |tx| {
            create_filing(tx, input, today).await
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
        assert_code_and_field(create(input).await, ErrorCode::BadUserInput, Some(field));
    }
    create(june_return("CA")).await.unwrap();
    assert_code_and_field(
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
        create_filing(tx, june_return("CA"), today).await
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
            create_filing(tx, input, today).await
        })
        .await
        .unwrap();
    }
    // The other tenant's July filing is not on this tenant's calendar.
    run(&world, world.b, async |tx| {
        create_filing(tx, june_return("CA"), today).await
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
    assert_code_and_field(
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
        create_filing(tx, june_return("CA"), date("2025-07-01")).await
    })
    .await
    .unwrap()
    .id;
    let a = world.a;
    assert_code_and_field(
        run(&world, a, async |tx| {
            submit_filing(tx, theirs, submission("x"), date("2025-07-01"), now()).await
        })
        .await,
        ErrorCode::NotFound,
        None,
    );
    assert_code_and_field(
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
