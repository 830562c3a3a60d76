//! Activities: who sees them, who may record them, and the input they need.

use crate::support::*;
use chrono::{Duration, Utc};
use leora_intelligence::entities::activities::{ActivityKind, SampleApprovalStatus};
use leora_intelligence::service::activities::{ActivityFilter, NewActivity};
use leora_tenancy::ErrorCode;
use leora_test_db::errors::assert_code_and_field;
use uuid::Uuid;

#[tokio::test]
async fn activities_are_seen_by_their_rep_the_accounts_rep_the_team_manager_and_admins() {
    let w = world().await;
    let t = w.t;
    let a1 = w
        .log(
            t.as_user(t.rep1),
            NewActivity {
                occurred_at: Some(time("2025-06-01T10:00:00Z")),
                ..visit(t.c1)
            },
        )
        .await
        .unwrap();
    let a2 = w
        .log(
            t.as_user(t.rep2),
            NewActivity {
                kind: ActivityKind::Call,
                ..visit(t.c2)
            },
        )
        .await
        .unwrap();
    let a3 = w.log(t.as_user(t.rep3), visit(t.c3)).await.unwrap();
    // A rep records only at the accounts they see; an admin records for them elsewhere.
    assert_code_and_field(
        w.log(t.as_user(t.rep1), visit(t.c3)).await,
        ErrorCode::NotFound,
        None,
    );
    // rep1 on rep3's account: rep1 owns it, rep3 sees it on their account.
    let a4 = w
        .log(
            t.as_user(t.admin),
            NewActivity {
                kind: ActivityKind::Email,
                rep_id: Some(t.rep1),
                ..visit(t.c3)
            },
        )
        .await
        .unwrap();
    // rep3 on rep1's account.
    let a5 = w
        .log(
            t.as_user(t.admin),
            NewActivity {
                kind: ActivityKind::Tasting,
                rep_id: Some(t.rep3),
                ..visit(t.c1)
            },
        )
        .await
        .unwrap();
    // The manager at an account nobody is assigned.
    let a6 = w
        .log(
            t.as_user(t.admin),
            NewActivity {
                rep_id: Some(t.manager),
                ..visit(t.c4)
            },
        )
        .await
        .unwrap();
    // An admin records for rep2.
    let a7 = w
        .log(
            t.as_user(t.admin),
            NewActivity {
                rep_id: Some(t.rep2),
                ..visit(t.c4)
            },
        )
        .await
        .unwrap();
    assert_eq!(a1.user_id, t.rep1);
    assert_eq!(a7.user_id, t.rep2);
    assert_eq!(a2.sample_approval_status, SampleApprovalStatus::NotRequired);

    let all = ActivityFilter::default;
    let (a1, a2, a3, a4, a5, a6, a7) = (a1.id, a2.id, a3.id, a4.id, a5.id, a6.id, a7.id);
    assert_eq!(
        w.activity_ids(t.as_user(t.rep1), all()).await.unwrap(),
        set([a1, a4, a5])
    );
    assert_eq!(
        w.activity_ids(t.as_user(t.rep2), all()).await.unwrap(),
        set([a2, a7])
    );
    assert_eq!(
        w.activity_ids(t.as_user(t.rep3), all()).await.unwrap(),
        set([a3, a4, a5])
    );
    assert_eq!(
        w.activity_ids(t.as_user(t.manager), all()).await.unwrap(),
        set([a1, a2, a4, a5, a6, a7]),
        "the manager's team is rep1, rep2 and the manager; their accounts c1 and c2"
    );
    let everything = set([a1, a2, a3, a4, a5, a6, a7]);
    assert_eq!(
        w.activity_ids(t.as_user(t.admin), all()).await.unwrap(),
        everything
    );
    assert_eq!(w.activity_ids(t.system(), all()).await.unwrap(), everything);
    assert_code_and_field(
        w.activity_ids(t.as_portal(t.portal1, t.c1), all()).await,
        ErrorCode::Forbidden,
        None,
    );
    // The other tenant's admin sees none of it.
    let other = w.other;
    assert!(
        w.activity_ids(other.as_user(other.admin), all())
            .await
            .unwrap()
            .is_empty()
    );

    // Filters, as the admin.
    let admin = t.as_user(t.admin);
    let by = |f: ActivityFilter| w.activity_ids(admin, f);
    assert_eq!(
        by(ActivityFilter {
            rep_id: Some(t.rep1),
            ..all()
        })
        .await
        .unwrap(),
        set([a1, a4])
    );
    assert_eq!(
        by(ActivityFilter {
            customer_id: Some(t.c3),
            ..all()
        })
        .await
        .unwrap(),
        set([a3, a4])
    );
    assert_eq!(
        by(ActivityFilter {
            kind: Some(ActivityKind::Visit),
            ..all()
        })
        .await
        .unwrap(),
        set([a1, a3, a6, a7])
    );
    let june_first = ActivityFilter {
        occurred_from: Some(time("2025-06-01T00:00:00Z")),
        occurred_to: Some(time("2025-06-02T00:00:00Z")),
        ..all()
    };
    assert_eq!(by(june_first).await.unwrap(), set([a1]));
    // Both ends are inclusive: a range of one instant holds what happened at that instant.
    let a1_at = Some(time("2025-06-01T10:00:00Z"));
    let to_is_inclusive = ActivityFilter {
        occurred_to: a1_at,
        ..all()
    };
    assert_eq!(by(to_is_inclusive).await.unwrap(), set([a1]));
    let exactly_then = ActivityFilter {
        occurred_from: a1_at,
        occurred_to: a1_at,
        ..all()
    };
    assert_eq!(by(exactly_then).await.unwrap(), set([a1]));
    // A rep's filter cannot widen what they see.
    assert!(
        w.activity_ids(
            t.as_user(t.rep1),
            ActivityFilter {
                rep_id: Some(t.rep2),
                ..all()
            }
        )
        .await
        .unwrap()
        .is_empty()
    );
}

#[tokio::test]
async fn activities_are_recorded_only_for_yourself_or_your_reports() {
    let w = world().await;
    let t = w.t;
    assert_code_and_field(
        w.log(
            t.as_user(t.rep1),
            NewActivity {
                rep_id: Some(t.rep2),
                ..visit(t.c2)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    let for_report = w
        .log(
            t.as_user(t.manager),
            NewActivity {
                rep_id: Some(t.rep1),
                ..visit(t.c1)
            },
        )
        .await
        .unwrap();
    assert_eq!(for_report.user_id, t.rep1);
    assert_code_and_field(
        w.log(
            t.as_user(t.manager),
            NewActivity {
                rep_id: Some(t.rep3),
                ..visit(t.c3)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        w.log(t.system(), visit(t.c1)).await,
        ErrorCode::BadUserInput,
        Some("repId"),
    );
    assert_code_and_field(
        w.log(t.as_portal(t.portal1, t.c1), visit(t.c1)).await,
        ErrorCode::Forbidden,
        None,
    );
}

#[tokio::test]
async fn activity_input_is_validated() {
    let w = world().await;
    let t = w.t;
    let rep = t.as_user(t.rep1);
    let sample_without_pull = NewActivity {
        kind: ActivityKind::Sample,
        ..visit(t.c1)
    };
    assert_code_and_field(
        w.log(rep, sample_without_pull).await,
        ErrorCode::BadUserInput,
        Some("sample"),
    );
    let visit_with_pull = NewActivity {
        kind: ActivityKind::Visit,
        ..pull(t.c1, t.sku, 1, "2025-06-01T10:00:00Z")
    };
    assert_code_and_field(
        w.log(rep, visit_with_pull).await,
        ErrorCode::BadUserInput,
        Some("sample"),
    );
    assert_code_and_field(
        w.log(rep, pull(t.c1, t.sku, 0, "2025-06-01T10:00:00Z"))
            .await,
        ErrorCode::BadUserInput,
        Some("sample.quantity"),
    );
    let tomorrow = NewActivity {
        occurred_at: Some(Utc::now() + Duration::days(2)),
        ..visit(t.c1)
    };
    assert_code_and_field(
        w.log(rep, tomorrow).await,
        ErrorCode::BadUserInput,
        Some("occurredAt"),
    );
    let long = NewActivity {
        notes: Some("x".repeat(10_001)),
        ..visit(t.c1)
    };
    assert_code_and_field(
        w.log(rep, long).await,
        ErrorCode::BadUserInput,
        Some("notes"),
    );
    assert_code_and_field(
        w.log(rep, visit(Uuid::now_v7())).await,
        ErrorCode::NotFound,
        None,
    );
    // Another tenant's customer and sku do not exist here.
    assert_code_and_field(
        w.log(rep, visit(w.other.c1)).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code_and_field(
        w.log(rep, pull(t.c1, w.other.sku, 1, "2025-06-01T10:00:00Z"))
            .await,
        ErrorCode::NotFound,
        None,
    );
    assert_eq!(w.count("SELECT count(*) FROM activities", vec![]).await, 0);
}
