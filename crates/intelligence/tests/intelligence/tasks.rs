//! Tasks: assigned within the team, and the assignee is told.

use crate::support::*;
use leora_intelligence::entities::enums::Priority;
use leora_intelligence::entities::tasks::TaskStatus;
use leora_intelligence::service::notifications::inbox;
use leora_intelligence::service::tasks::{
    NewTask, TaskFilter, complete_task, create_task, reassign_task, tasks,
};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use serde_json::json;
use std::collections::BTreeSet;
use uuid::Uuid;

#[tokio::test]
async fn tasks_are_assigned_within_the_team_and_the_assignee_is_told() {
    let w = world().await;
    let t = w.t;
    let create = |ctx: TenantContext, input: NewTask| {
        w.run(ctx, async move |tx| create_task(tx, input).await)
    };
    let task_ids = |ctx: TenantContext, filter: TaskFilter| {
        w.run(ctx, async move |tx| {
            Ok(tasks(tx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|t| t.id)
                .collect::<BTreeSet<_>>())
        })
    };
    let inbox_of = |user: Uuid| {
        w.run(t.as_user(user), async |tx| {
            Ok(inbox(tx.context(), false)?.all(tx).await?)
        })
    };

    let own = create(t.as_user(t.rep1), task("Follow up", Some(t.c1)))
        .await
        .unwrap();
    assert_eq!(
        (own.assignee_user_id, own.created_by_user_id),
        (t.rep1, Some(t.rep1))
    );
    assert_eq!(
        (own.status, own.priority),
        (TaskStatus::Open, Priority::Normal)
    );
    assert!(
        inbox_of(t.rep1).await.unwrap().is_empty(),
        "assigning yourself is no news"
    );

    let given = create(
        t.as_user(t.manager),
        NewTask {
            assignee_id: Some(t.rep1),
            priority: Some(Priority::High),
            ..task("Call the buyer", None)
        },
    )
    .await
    .unwrap();
    let told = inbox_of(t.rep1).await.unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(
        (told[0].kind.as_str(), told[0].priority),
        ("task.assigned", Priority::High)
    );
    assert_eq!(told[0].data["taskId"], json!(given.id));

    assert_code_and_field(
        create(
            t.as_user(t.rep1),
            NewTask {
                assignee_id: Some(t.rep2),
                ..task("x", None)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        create(
            t.as_user(t.manager),
            NewTask {
                assignee_id: Some(t.rep3),
                ..task("x", None)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        create(t.as_user(t.rep1), task(" ", None)).await,
        ErrorCode::BadUserInput,
        Some("title"),
    );
    assert_code_and_field(
        create(t.as_user(t.rep1), task("x", Some(w.other.c1))).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code_and_field(
        create(t.as_portal(t.portal1, t.c1), task("x", None)).await,
        ErrorCode::Forbidden,
        None,
    );

    assert_eq!(
        task_ids(t.as_user(t.rep1), TaskFilter::default())
            .await
            .unwrap(),
        set([own.id, given.id])
    );
    assert!(
        task_ids(t.as_user(t.rep2), TaskFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // The manager hands the task to rep2: rep2 is told, rep1 no longer sees it (no customer).
    let given_id = given.id;
    assert_code_and_field(
        w.run(t.as_user(t.manager), async |tx| {
            reassign_task(tx, given_id, t.rep3).await
        })
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        w.run(t.as_user(t.rep1), async |tx| {
            reassign_task(tx, given_id, t.rep2).await
        })
        .await,
        ErrorCode::Forbidden,
        None,
    );
    let moved = w
        .run(t.as_user(t.manager), async |tx| {
            reassign_task(tx, given_id, t.rep2).await
        })
        .await
        .unwrap();
    assert_eq!(moved.assignee_user_id, t.rep2);
    assert_eq!(inbox_of(t.rep2).await.unwrap().len(), 1);
    assert_eq!(
        task_ids(t.as_user(t.rep1), TaskFilter::default())
            .await
            .unwrap(),
        set([own.id])
    );
    assert_eq!(
        task_ids(t.as_user(t.rep2), TaskFilter::default())
            .await
            .unwrap(),
        set([given.id])
    );
    assert_eq!(
        task_ids(t.as_user(t.manager), TaskFilter::default())
            .await
            .unwrap(),
        set([own.id, given.id])
    );
    assert!(
        task_ids(t.as_user(t.rep3), TaskFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // Completion, once.
    assert_code_and_field(
        w.run(t.as_user(t.rep3), async |tx| {
            complete_task(tx, given_id).await
        })
        .await,
        ErrorCode::NotFound,
        None,
    );
    let done = w
        .run(t.as_user(t.rep2), async |tx| {
            complete_task(tx, given_id).await
        })
        .await
        .unwrap();
    assert_eq!(done.status, TaskStatus::Completed);
    assert!(done.completed_at.is_some());
    assert_code_and_field(
        w.run(t.as_user(t.rep2), async |tx| {
            complete_task(tx, given_id).await
        })
        .await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code_and_field(
        w.run(t.as_user(t.manager), async |tx| {
            reassign_task(tx, given_id, t.rep1).await
        })
        .await,
        ErrorCode::InvalidTransition,
        None,
    );

    // Filters.
    let admin = t.as_user(t.admin);
    assert_eq!(
        task_ids(
            admin,
            TaskFilter {
                statuses: vec![TaskStatus::Open],
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([own.id])
    );
    assert_eq!(
        task_ids(
            admin,
            TaskFilter {
                assignee_id: Some(t.rep2),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([given.id])
    );
    assert_eq!(
        task_ids(
            admin,
            TaskFilter {
                customer_id: Some(t.c1),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([own.id])
    );
    // Both ends of a due range are inclusive; an undated task is in no range.
    let dated = create(
        admin,
        NewTask {
            due_at: Some(time("2025-07-01T17:00:00Z")),
            ..task("Renew the licence", None)
        },
    )
    .await
    .unwrap();
    let due_between = |from: &str, to: &str| {
        task_ids(
            admin,
            TaskFilter {
                due_from: Some(time(from)),
                due_to: Some(time(to)),
                ..Default::default()
            },
        )
    };
    assert_eq!(
        due_between("2025-07-01T00:00:00Z", "2025-07-01T17:00:00Z")
            .await
            .unwrap(),
        set([dated.id])
    );
    assert_eq!(
        due_between("2025-07-01T17:00:00Z", "2025-07-02T00:00:00Z")
            .await
            .unwrap(),
        set([dated.id])
    );
    assert!(
        due_between("2025-07-01T00:00:00Z", "2025-07-01T16:59:59Z")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_rep_who_shares_the_account_may_not_complete_or_reassign_a_colleagues_task() {
    let w = world().await;
    let t = w.t;
    let theirs = w
        .run(t.as_user(t.admin), async |tx| {
            let for_rep2 = NewTask {
                assignee_id: Some(t.rep2),
                ..task("Send the price list", Some(t.c1))
            };
            create_task(tx, for_rep2).await
        })
        .await
        .unwrap();
    let id = theirs.id;
    assert_code_and_field(
        w.run(t.as_user(t.rep1), async |tx| complete_task(tx, id).await)
            .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        w.run(t.as_user(t.rep1), async |tx| {
            reassign_task(tx, id, t.rep1).await
        })
        .await,
        ErrorCode::Forbidden,
        None,
    );
    let done = w
        .run(t.as_user(t.admin), async |tx| complete_task(tx, id).await)
        .await
        .unwrap();
    assert_eq!(done.status, TaskStatus::Completed, "an admin may");
}
