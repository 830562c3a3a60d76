//! The SQL behind sign-in and sessions. Internal users and portal users live in tables of the same
//! shape (`users`/`user_sessions`/`user_roles` and the `portal_*` three), so one set of statements
//! serves both, named per kind by [`Tables`]. Every statement runs in the caller's tenant
//! transaction, so row-level security scopes it to the tenant (and a portal request to its
//! customer) whatever the statement says.

use chrono::{DateTime, Utc};
use leora_tenancy::entities::tenants::TenantStatus;
use leora_tenancy::sql::stmt;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbErr, FromJsonQueryResult, FromQueryResult, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tokens::{AccessClaims, PrincipalKind};
use crate::entities::enums::UserStatus;

struct Tables {
    principals: &'static str,
    sessions: &'static str,
    role_links: &'static str,
    /// The column of `sessions` and `role_links` naming the principal.
    owner: &'static str,
    /// The principal's customer, as an expression over the principal row `p`.
    customer: &'static str,
    /// The session columns that reference the principal, and their values read from `p`.
    owner_columns: &'static str,
    owner_values: &'static str,
}

const USERS: Tables = Tables {
    principals: "users",
    sessions: "user_sessions",
    role_links: "user_roles",
    owner: "user_id",
    customer: "NULL::uuid",
    owner_columns: "user_id",
    owner_values: "p.id",
};

const PORTAL_USERS: Tables = Tables {
    principals: "portal_users",
    sessions: "portal_sessions",
    role_links: "portal_user_roles",
    owner: "portal_user_id",
    customer: "p.customer_id",
    owner_columns: "portal_user_id, customer_id",
    owner_values: "p.id, p.customer_id",
};

fn tables(kind: PrincipalKind) -> &'static Tables {
    match kind {
        PrincipalKind::User => &USERS,
        PrincipalKind::PortalUser => &PORTAL_USERS,
    }
}

async fn execute(
    tx: &DatabaseTransaction,
    sql: String,
    values: impl IntoIterator<Item = Value>,
) -> Result<u64, DbErr> {
    Ok(tx.execute_raw(stmt(&sql, values)).await?.rows_affected())
}

/// What sign-in needs of an account.
#[derive(Debug, FromQueryResult)]
pub(super) struct Account {
    pub id: Uuid,
    pub customer_id: Option<Uuid>,
    pub password_hash: String,
    pub status: UserStatus,
    pub failed_login_count: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// The account with this (lower-case) email, as it stands.
pub(super) async fn account(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    email: &str,
) -> Result<Option<Account>, DbErr> {
    account_with(tx, kind, email, "").await
}

/// The account with this (lower-case) email, locked until the transaction ends so that
/// concurrent attempts count their failures one after another.
pub(super) async fn account_for_update(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    email: &str,
) -> Result<Option<Account>, DbErr> {
    account_with(tx, kind, email, " FOR UPDATE").await
}

async fn account_with(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    email: &str,
    lock: &str,
) -> Result<Option<Account>, DbErr> {
    let t = tables(kind);
    let sql = format!(
        "SELECT p.id, {customer} AS customer_id, p.password_hash, p.status, p.failed_login_count, \
                p.locked_until \
           FROM {principals} p WHERE p.email = $1{lock}",
        customer = t.customer,
        principals = t.principals,
    );
    Account::find_by_statement(stmt(&sql, [email.into()]))
        .one(tx)
        .await
}

/// Stores the failure count, and the lock when `locked_until` is given.
pub(super) async fn record_failed_login(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    id: Uuid,
    failed_login_count: i32,
    locked_until: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let sql = format!(
        "UPDATE {} SET failed_login_count = $2, locked_until = coalesce($3, locked_until) \
          WHERE id = $1",
        tables(kind).principals
    );
    execute(
        tx,
        sql,
        [id.into(), failed_login_count.into(), locked_until.into()],
    )
    .await
    .map(drop)
}

pub(super) async fn record_login(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let sql = format!(
        "UPDATE {} SET failed_login_count = 0, locked_until = NULL, last_login_at = $2 \
          WHERE id = $1",
        tables(kind).principals
    );
    execute(tx, sql, [id.into(), now.into()]).await.map(drop)
}

pub(super) struct NewSession<'a> {
    pub id: Uuid,
    pub family_id: Uuid,
    pub principal_id: Uuid,
    pub refresh_token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<&'a str>,
    pub ip_address: Option<String>,
}

/// Inserts a session row, taking tenant and customer from the principal's own row.
pub(super) async fn insert_session(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    session: NewSession<'_>,
) -> Result<(), DbErr> {
    let t = tables(kind);
    let sql = format!(
        "INSERT INTO {sessions} (id, tenant_id, {owner_columns}, family_id, refresh_token_hash, \
                                 expires_at, user_agent, ip_address) \
         SELECT $1, p.tenant_id, {owner_values}, $3, $4, $5, $6, $7 \
           FROM {principals} p WHERE p.id = $2",
        sessions = t.sessions,
        owner_columns = t.owner_columns,
        owner_values = t.owner_values,
        principals = t.principals,
    );
    let values = [
        session.id.into(),
        session.principal_id.into(),
        session.family_id.into(),
        session.refresh_token_hash.into(),
        session.expires_at.into(),
        session.user_agent.into(),
        session.ip_address.into(),
    ];
    match execute(tx, sql, values).await? {
        1 => Ok(()),
        _ => Err(DbErr::RecordNotInserted),
    }
}

/// A session with what refreshing it needs to know of its principal.
#[derive(Debug, FromQueryResult)]
pub(super) struct Session {
    pub tenant_id: Uuid,
    pub family_id: Uuid,
    pub refresh_token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub principal_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub status: UserStatus,
    pub tenant_status: TenantStatus,
    /// When the family's first session began: its absolute lifetime counts from here.
    pub family_started_at: DateTime<Utc>,
}

/// The session row, locked so that two refreshes with one token cannot both rotate it: the
/// second waits, then sees the rotation and is treated as reuse.
pub(super) async fn session_for_update(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    session_id: Uuid,
) -> Result<Option<Session>, DbErr> {
    let t = tables(kind);
    let sql = format!(
        "SELECT s.tenant_id, s.family_id, s.refresh_token_hash, s.expires_at, s.rotated_at, \
                s.revoked_at, p.id AS principal_id, {customer} AS customer_id, p.status, \
                t.status AS tenant_status, \
                coalesce((SELECT f.created_at FROM {sessions} f WHERE f.id = s.family_id), \
                         s.created_at) AS family_started_at \
           FROM {sessions} s JOIN {principals} p ON p.id = s.{owner} \
           JOIN tenants t ON t.id = s.tenant_id \
          WHERE s.id = $1 FOR UPDATE OF s",
        customer = t.customer,
        sessions = t.sessions,
        principals = t.principals,
        owner = t.owner,
    );
    Session::find_by_statement(stmt(&sql, [session_id.into()]))
        .one(tx)
        .await
}

pub(super) async fn mark_rotated(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let sql = format!(
        "UPDATE {} SET rotated_at = $2 WHERE id = $1",
        tables(kind).sessions
    );
    execute(tx, sql, [session_id.into(), now.into()])
        .await
        .map(drop)
}

/// Ends one session family of the principal; returns how many of its sessions were still open.
pub(super) async fn revoke_family(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    principal_id: Uuid,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let t = tables(kind);
    let sql = format!(
        "UPDATE {sessions} SET revoked_at = $3 \
          WHERE {owner} = $1 AND family_id = $2 AND revoked_at IS NULL",
        sessions = t.sessions,
        owner = t.owner,
    );
    execute(tx, sql, [principal_id.into(), family_id.into(), now.into()]).await
}

pub(crate) async fn revoke_all_sessions(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    principal_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let t = tables(kind);
    let sql = format!(
        "UPDATE {sessions} SET revoked_at = $2 WHERE {owner} = $1 AND revoked_at IS NULL",
        sessions = t.sessions,
        owner = t.owner,
    );
    execute(tx, sql, [principal_id.into(), now.into()])
        .await
        .map(drop)
}

/// Ends every session of the principal but those of `keep_family` (the one asking).
pub(super) async fn revoke_other_families(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    principal_id: Uuid,
    keep_family: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let t = tables(kind);
    let sql = format!(
        "UPDATE {sessions} SET revoked_at = $3 \
          WHERE {owner} = $1 AND family_id <> $2 AND revoked_at IS NULL",
        sessions = t.sessions,
        owner = t.owner,
    );
    execute(
        tx,
        sql,
        [principal_id.into(), keep_family.into(), now.into()],
    )
    .await
}

#[derive(FromQueryResult)]
struct PasswordHash {
    password_hash: String,
}

/// The principal's password hash, as it stands.
pub(super) async fn password_hash(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    principal_id: Uuid,
) -> Result<Option<String>, DbErr> {
    let sql = format!(
        "SELECT password_hash FROM {} WHERE id = $1",
        tables(kind).principals
    );
    let row = PasswordHash::find_by_statement(stmt(&sql, [principal_id.into()]))
        .one(tx)
        .await?;
    Ok(row.map(|row| row.password_hash))
}

/// Replaces the principal's password hash if it is still `current`; the rows changed (0 when it
/// changed meanwhile).
pub(super) async fn replace_password_hash(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    principal_id: Uuid,
    current: &str,
    new: &str,
) -> Result<u64, DbErr> {
    let sql = format!(
        "UPDATE {} SET password_hash = $3 WHERE id = $1 AND password_hash = $2",
        tables(kind).principals
    );
    execute(tx, sql, [principal_id.into(), current.into(), new.into()]).await
}

/// A JSON array of names, as aggregated by [`access`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub(super) struct Names(pub Vec<String>);

/// Everything a request's authentication needs, from one statement.
#[derive(Debug, FromQueryResult)]
pub(super) struct Access {
    pub status: UserStatus,
    pub tenant_status: TenantStatus,
    /// True when the family's current session is live, false when every session of the family has
    /// been revoked or has expired, NULL when the family has no session of this principal at all.
    pub session_live: Option<bool>,
    pub roles: Names,
    pub permissions: Names,
    /// The tenant's `tenant_settings.portal_features` (NULL without a settings row), read here so
    /// that the portal's feature switches cost a request no statement of their own.
    pub portal_features: Option<serde_json::Value>,
}

/// The principal named by the claims (None when it does not exist for this tenant, or a portal
/// user's customer differs from the claimed one), its session family's state and its grants.
pub(super) async fn access(
    tx: &DatabaseTransaction,
    claims: &AccessClaims,
    now: DateTime<Utc>,
) -> Result<Option<Access>, DbErr> {
    let t = tables(claims.kind);
    let sql = format!(
        "SELECT p.status, \
                (SELECT t.status FROM tenants t WHERE t.id = p.tenant_id) AS tenant_status, \
                (SELECT bool_or(s.rotated_at IS NULL AND s.revoked_at IS NULL AND s.expires_at > $3) \
                   FROM {sessions} s WHERE s.{owner} = p.id AND s.family_id = $2) AS session_live, \
                coalesce((SELECT jsonb_agg(DISTINCT r.name) \
                            FROM {role_links} l JOIN roles r ON r.id = l.role_id \
                           WHERE l.{owner} = p.id), '[]') AS roles, \
                coalesce((SELECT jsonb_agg(DISTINCT k.key) \
                            FROM {role_links} l \
                            JOIN role_permissions rp ON rp.role_id = l.role_id \
                            JOIN permissions k ON k.id = rp.permission_id \
                           WHERE l.{owner} = p.id), '[]') AS permissions, \
                (SELECT s.portal_features FROM tenant_settings s \
                  WHERE s.tenant_id = p.tenant_id) AS portal_features \
           FROM {principals} p \
          WHERE p.id = $1 AND {customer} IS NOT DISTINCT FROM $4",
        sessions = t.sessions,
        owner = t.owner,
        role_links = t.role_links,
        principals = t.principals,
        customer = t.customer,
    );
    let values = [
        claims.sub.into(),
        claims.sid.into(),
        now.into(),
        claims.cid.into(),
    ];
    Access::find_by_statement(stmt(&sql, values)).one(tx).await
}

/// A signed-in device: one session family, from its sign-in to its latest refresh.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SessionFamily {
    pub id: Uuid,
    pub signed_in_at: DateTime<Utc>,
    pub last_refreshed_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip_address: Option<String>,
}

/// The principal's live session families (a session neither rotated, revoked nor expired), the
/// most recently refreshed first, at most `limit`.
pub(super) async fn live_families(
    tx: &DatabaseTransaction,
    kind: PrincipalKind,
    principal_id: Uuid,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<SessionFamily>, DbErr> {
    let t = tables(kind);
    let sql = format!(
        "SELECT family_id AS id, min(created_at) AS signed_in_at, \
                max(created_at) AS last_refreshed_at, max(expires_at) AS expires_at, \
                (array_agg(user_agent ORDER BY created_at DESC))[1] AS user_agent, \
                (array_agg(ip_address ORDER BY created_at DESC))[1] AS ip_address \
           FROM {sessions} WHERE {owner} = $1 \
          GROUP BY family_id \
         HAVING bool_or(rotated_at IS NULL AND revoked_at IS NULL AND expires_at > $2) \
          ORDER BY max(created_at) DESC LIMIT $3",
        sessions = t.sessions,
        owner = t.owner,
    );
    SessionFamily::find_by_statement(stmt(&sql, [principal_id.into(), now.into(), limit.into()]))
        .all(tx)
        .await
}
