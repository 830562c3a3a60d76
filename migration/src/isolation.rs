//! Row-level security for every table, generated from one list so that no table can be forgotten
//! and every policy has the same shape.
//!
//! Every comparison wraps the context function in a sub-select, `(SELECT get_current_tenant_id())`,
//! which Postgres evaluates once per statement (an InitPlan) instead of once per row, and leaves
//! `tenant_id = $const` for the planner to serve from the tenant-leading indexes.

use crate::app_role::AppRole;

/// Who may see and write a table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `tenants`: a request sees only its own tenant's row. The application role has only `SELECT`
    /// on it since migration 10 ([`read_only_grant_sql`]), so the write policies are a second
    /// line behind the grant.
    TenantRow,
    /// Tenant rows every request of the tenant may use, portal requests included (catalog,
    /// settings, tax rates).
    Tenant,
    /// Rows with a nullable `tenant_id`: NULL rows are a shared directory every tenant reads and no
    /// tenant writes (system roles, the supplier directory).
    Shared,
    /// Global reference data, read-only to the application (permissions).
    Global,
    /// Rows owned by one customer: a portal request sees only its own customer's rows.
    Customer(&'static str),
    /// Like `Customer`, but rows whose customer column is NULL are tenant-wide and readable by
    /// every portal request (tier prices next to customer-specific ones).
    CustomerOrTenantWide(&'static str),
    /// Internal data (staff, sales intelligence, integrations): invisible to portal requests.
    Internal,
    /// The event outbox: internal to read, but any request of the tenant appends to it, so a
    /// portal checkout records its events in its own transaction.
    Outbox,
}

/// One table's isolation: its scope and any further condition new or changed rows must meet.
#[derive(Debug, Clone, Copy)]
pub struct TablePolicy {
    pub table: &'static str,
    pub scope: Scope,
    pub write_check: Option<&'static str>,
}

pub const fn policy(table: &'static str, scope: Scope) -> TablePolicy {
    TablePolicy {
        table,
        scope,
        write_check: None,
    }
}

pub const fn checked(table: &'static str, scope: Scope, write_check: &'static str) -> TablePolicy {
    TablePolicy {
        table,
        scope,
        write_check: Some(write_check),
    }
}

// Sub-selects in WITH CHECK run under the caller's RLS too, so "the role is visible" means "a
// system role or one of this tenant's".
const INTERNAL_ROLE_ONLY: &str =
    "EXISTS (SELECT 1 FROM roles r WHERE r.id = role_id AND r.audience = 'internal')";
const PORTAL_ROLE_ONLY: &str =
    "EXISTS (SELECT 1 FROM roles r WHERE r.id = role_id AND r.audience = 'portal')";
const PERMISSION_MATCHES_ROLE_AUDIENCE: &str = "EXISTS (SELECT 1 FROM roles r JOIN permissions p \
     ON p.audience = r.audience WHERE r.id = role_id AND p.id = permission_id)";
const SUPPLIER_VISIBLE: &str =
    "supplier_id IS NULL OR EXISTS (SELECT 1 FROM suppliers s WHERE s.id = supplier_id)";

/// The tables of the first migration, in creation order. Frozen: a table added later gets its
/// entry in a list of its own migration (passed to [`table_sql`] there) and is appended to
/// [`tables`]. A table with no entry has no policy, and the isolation tests (which read the
/// catalog, not this list) fail.
pub const SCHEMA_V1: &[TablePolicy] = &[
    policy("tenants", Scope::TenantRow),
    policy("tenant_settings", Scope::Tenant),
    policy("users", Scope::Internal),
    policy("permissions", Scope::Global),
    policy("roles", Scope::Shared),
    checked(
        "role_permissions",
        Scope::Shared,
        PERMISSION_MATCHES_ROLE_AUDIENCE,
    ),
    checked("user_roles", Scope::Internal, INTERNAL_ROLE_ONLY),
    policy("user_sessions", Scope::Internal),
    policy("suppliers", Scope::Shared),
    policy("customers", Scope::Customer("id")),
    checked("products", Scope::Tenant, SUPPLIER_VISIBLE),
    policy("skus", Scope::Tenant),
    policy("inventory", Scope::Tenant),
    policy(
        "price_list_entries",
        Scope::CustomerOrTenantWide("customer_id"),
    ),
    policy("orders", Scope::Customer("customer_id")),
    policy("order_lines", Scope::Customer("customer_id")),
    policy("invoices", Scope::Customer("customer_id")),
    policy("payments", Scope::Customer("customer_id")),
    policy("portal_users", Scope::Customer("customer_id")),
    checked(
        "portal_user_roles",
        Scope::Customer("customer_id"),
        PORTAL_ROLE_ONLY,
    ),
    policy("portal_sessions", Scope::Customer("customer_id")),
    policy("carts", Scope::Customer("customer_id")),
    policy("cart_items", Scope::Customer("customer_id")),
    policy("lists", Scope::Customer("customer_id")),
    policy("list_items", Scope::Customer("customer_id")),
    policy("activities", Scope::Internal),
    policy("call_plans", Scope::Internal),
    policy("tasks", Scope::Internal),
    policy("account_health_snapshots", Scope::Internal),
    policy("sales_metrics", Scope::Internal),
    policy("notifications", Scope::Customer("customer_id")),
    policy("compliance_filings", Scope::Internal),
    policy("state_tax_rates", Scope::Tenant),
    policy("webhook_subscriptions", Scope::Internal),
    policy("webhook_events", Scope::Outbox),
    policy("webhook_deliveries", Scope::Internal),
    policy("integration_tokens", Scope::Internal),
];

const TENANT: &str = "tenant_id = (SELECT get_current_tenant_id())";
const NOT_PORTAL: &str = "(SELECT get_current_customer_id()) IS NULL";

fn own_customer(column: &str) -> String {
    format!("({NOT_PORTAL} OR {column} = (SELECT get_current_customer_id()))")
}

/// The row conditions of a scope: (who may read, who may insert, who may update or delete).
fn conditions(scope: Scope) -> Option<(String, String, String)> {
    let tenant_and = |extra: &str| format!("{TENANT} AND {extra}");
    Some(match scope {
        Scope::TenantRow => {
            let own = "id = (SELECT get_current_tenant_id())".to_owned();
            (own.clone(), own.clone(), own)
        }
        Scope::Tenant => (TENANT.to_owned(), TENANT.to_owned(), TENANT.to_owned()),
        Scope::Shared => (
            format!("(tenant_id IS NULL OR {TENANT})"),
            TENANT.to_owned(),
            TENANT.to_owned(),
        ),
        Scope::Global => return None,
        Scope::Customer(column) => {
            let own = tenant_and(&own_customer(column));
            (own.clone(), own.clone(), own)
        }
        Scope::CustomerOrTenantWide(column) => {
            let read = tenant_and(&format!("({column} IS NULL OR {})", own_customer(column)));
            let write = tenant_and(&own_customer(column));
            (read, write.clone(), write)
        }
        Scope::Internal => {
            let internal = tenant_and(NOT_PORTAL);
            (internal.clone(), internal.clone(), internal)
        }
        Scope::Outbox => {
            let internal = tenant_and(NOT_PORTAL);
            (internal.clone(), TENANT.to_owned(), internal)
        }
    })
}

impl TablePolicy {
    /// ENABLE + FORCE row-level security (FORCE so even the tables' owner is subject to it) and
    /// one policy per command.
    pub fn sql(&self) -> String {
        let t = self.table;
        format!(
            "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;\nALTER TABLE {t} FORCE ROW LEVEL SECURITY;\n{}",
            self.policies_sql()
        )
    }

    /// The scope's policies alone: one per command, or the one read policy of `Global`.
    fn policies_sql(&self) -> String {
        let t = self.table;
        let Some((read, insert, modify)) = conditions(self.scope) else {
            return format!("CREATE POLICY {t}_select ON {t} FOR SELECT USING (true);\n");
        };
        let with_extra = |base: &str| match self.write_check {
            Some(extra) => format!("{base} AND ({extra})"),
            None => base.to_owned(),
        };
        format!(
            "CREATE POLICY {t}_select ON {t} FOR SELECT USING ({read});\n\
             CREATE POLICY {t}_insert ON {t} FOR INSERT WITH CHECK ({});\n\
             CREATE POLICY {t}_update ON {t} FOR UPDATE USING ({modify}) WITH CHECK ({});\n\
             CREATE POLICY {t}_delete ON {t} FOR DELETE USING ({modify});\n",
            with_extra(&insert),
            with_extra(&modify),
        )
    }

    /// Drops what [`Self::policies_sql`] creates.
    fn drop_policies_sql(&self) -> String {
        let t = self.table;
        let commands: &[&str] = match self.scope {
            Scope::Global => &["select"],
            _ => &["select", "insert", "update", "delete"],
        };
        commands
            .iter()
            .map(|command| format!("DROP POLICY {t}_{command} ON {t};\n"))
            .collect()
    }

    fn grant_sql(&self, role: &AppRole) -> String {
        let privileges = match self.scope {
            Scope::Global => "SELECT",
            _ => "SELECT, INSERT, UPDATE, DELETE",
        };
        format!("GRANT {privileges} ON {} TO {role};\n", self.table)
    }

    fn updated_at_trigger_sql(&self) -> String {
        let t = self.table;
        format!(
            "CREATE TRIGGER {t}_set_updated_at BEFORE UPDATE ON {t} \
             FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"
        )
    }
}

/// Creates the application role when missing (it is cluster-wide, so another database may have
/// made it already; checked first because CREATE ROLE needs CREATEROLE even when it would fail) and grants it exactly what the application needs: row access on each table,
/// never ownership, and the tenant lookup function.
pub fn app_role_sql(role: &AppRole) -> String {
    let mut sql = format!(
        "DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN\n    \
         CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;\n  END IF;\n\
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;\nEND $$;\n\
         GRANT USAGE ON SCHEMA public TO {role};\n\
         REVOKE ALL ON FUNCTION tenant_id_for_slug(text) FROM PUBLIC;\n\
         GRANT EXECUTE ON FUNCTION tenant_id_for_slug(text) TO {role};\n"
    );
    for table in SCHEMA_V1 {
        sql.push_str(&table.grant_sql(role));
    }
    sql
}

/// Every table's policy as it stands, from every migration: a table a later migration re-scoped
/// ([`Rescope`]) keeps its place in the list under its new scope.
pub fn tables() -> Vec<TablePolicy> {
    let mut all = [
        SCHEMA_V1,
        crate::m20261204_000014_allocations::TABLES,
        crate::m20261204_000015_password_resets::TABLES,
    ]
    .concat();
    for change in rescopes() {
        for table in all.iter_mut().filter(|t| t.table == change.to.table) {
            *table = change.to;
        }
    }
    all
}

/// A table whose scope a later migration changes, which a restriction cannot do when the new
/// scope lets a request see or write rows the old one kept from it. The table's policies are made
/// again for the new scope under the same names, so no stale policy of the old scope is left to
/// widen it (permissive policies add up); RLS, the trigger and the grant stay as they were.
#[derive(Debug, Clone, Copy)]
pub struct Rescope {
    pub from: TablePolicy,
    pub to: TablePolicy,
}

/// `table`'s change of scope: its policy `from` becomes the same table's under `to`, with no write
/// check (none of the re-scoped tables needs one).
pub const fn rescope(from: TablePolicy, to: Scope) -> Rescope {
    Rescope {
        from,
        to: policy(from.table, to),
    }
}

impl Rescope {
    /// The old scope's policies dropped, the new scope's created.
    pub fn sql(&self) -> String {
        format!(
            "{}{}",
            self.from.drop_policies_sql(),
            self.to.policies_sql()
        )
    }

    /// Back to the old scope.
    pub fn undo_sql(&self) -> String {
        format!(
            "{}{}",
            self.to.drop_policies_sql(),
            self.from.policies_sql()
        )
    }
}

/// Every change of scope, from every migration, in order.
pub fn rescopes() -> Vec<Rescope> {
    crate::m20261205_000016_portal_password_resets::RESCOPES.to_vec()
}

/// A price-list entry a portal request may read: its own customer's, or a tier price of its own
/// customer's tier. The customer's tier is read under the caller's RLS, where a portal request sees
/// only its own customer; a customer without a tier reads no tier prices, as pricing applies none.
pub const OWN_CUSTOMER_OR_OWN_TIER: &str = "customer_id = (SELECT get_current_customer_id()) \
     OR (customer_id IS NULL AND price_tier = (SELECT c.price_tier FROM customers c \
     WHERE c.id = (SELECT get_current_customer_id())))";

/// How a later migration narrows a table's scope for portal requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Portal requests read the table as its scope allows but write none of it: rows a customer
    /// must not set for itself (its credit limit and price tier, its prices, the roles and
    /// permissions staff hold, the supplier directory).
    StaffWritesOnly,
    /// Portal requests read only the rows meeting the condition; staff read what the scope allows.
    PortalReadsOnly(&'static str),
    /// Internal users narrowed to their team's accounts read, write and create only rows meeting
    /// the condition; everyone else is not narrowed ([`ALL_ACCOUNTS`]).
    AccountScoped(&'static str),
}

/// True for requests that see every account: holders of `accounts.view_all`, background jobs and
/// portal requests (which their customer scope already confines). `get_account_team()` comes
/// from migration 13.
pub const ALL_ACCOUNTS: &str = "(SELECT get_account_team()) IS NULL";

/// A customer assigned to a member of the request's team.
pub const ASSIGNED_TO_TEAM: &str = "assigned_rep_id = ANY ((SELECT get_account_team())::uuid[])";

/// A row of a customer the request may see: the sub-select runs under the customers' own policies,
/// so the account rule is written once, on `customers`.
pub const OF_VISIBLE_CUSTOMER: &str = "customer_id IN (SELECT c.id FROM customers c)";

/// Tenant-wide rows (no customer), or rows of a customer the request may see.
pub const TENANT_WIDE_OR_OF_VISIBLE_CUSTOMER: &str =
    "customer_id IS NULL OR customer_id IN (SELECT c.id FROM customers c)";

/// Restrictive policies, which PostgreSQL ANDs with a table's permissive scope policies: they can
/// only take rows away, never grant any, so a mistake in one cannot open a table, and dropping them
/// restores the scope exactly.
#[derive(Debug, Clone, Copy)]
pub struct Restriction {
    pub table: &'static str,
    pub rule: Rule,
}

pub const fn staff_writes_only(table: &'static str) -> Restriction {
    Restriction {
        table,
        rule: Rule::StaffWritesOnly,
    }
}

pub const fn portal_reads_only(table: &'static str, condition: &'static str) -> Restriction {
    Restriction {
        table,
        rule: Rule::PortalReadsOnly(condition),
    }
}

pub const fn account_scoped(table: &'static str, condition: &'static str) -> Restriction {
    Restriction {
        table,
        rule: Rule::AccountScoped(condition),
    }
}

impl Restriction {
    /// The policies' names, one per command they restrict.
    fn policy_names(&self) -> Vec<String> {
        let t = self.table;
        match self.rule {
            Rule::StaffWritesOnly => ["insert", "update", "delete"]
                .map(|command| format!("{t}_{command}_staff_only"))
                .to_vec(),
            Rule::PortalReadsOnly(_) => vec![format!("{t}_select_portal_narrowed")],
            Rule::AccountScoped(_) => vec![format!("{t}_account_scope")],
        }
    }

    pub fn sql(&self) -> String {
        let t = self.table;
        let names = self.policy_names();
        match self.rule {
            // The update policy passes every existing row (USING true) and refuses the new one: a
            // portal update then fails loudly instead of quietly matching nothing, and a portal's
            // SELECT … FOR UPDATE, which is checked against USING only, still reads the row.
            Rule::StaffWritesOnly => format!(
                "CREATE POLICY {} ON {t} AS RESTRICTIVE FOR INSERT WITH CHECK ({NOT_PORTAL});\n\
                 CREATE POLICY {} ON {t} AS RESTRICTIVE FOR UPDATE USING (true) WITH CHECK ({NOT_PORTAL});\n\
                 CREATE POLICY {} ON {t} AS RESTRICTIVE FOR DELETE USING ({NOT_PORTAL});\n",
                names[0], names[1], names[2],
            ),
            Rule::PortalReadsOnly(condition) => format!(
                "CREATE POLICY {} ON {t} AS RESTRICTIVE FOR SELECT USING ({NOT_PORTAL} OR ({condition}));\n",
                names[0],
            ),
            Rule::AccountScoped(condition) => format!(
                "CREATE POLICY {} ON {t} AS RESTRICTIVE FOR ALL \
                 USING ({ALL_ACCOUNTS} OR ({condition})) WITH CHECK ({ALL_ACCOUNTS} OR ({condition}));\n",
                names[0],
            ),
        }
    }

    pub fn drop_sql(&self) -> String {
        let t = self.table;
        self.policy_names()
            .iter()
            .map(|name| format!("DROP POLICY IF EXISTS {name} ON {t};\n"))
            .collect()
    }
}

/// Every restriction, from every migration.
pub fn restrictions() -> Vec<Restriction> {
    [
        crate::m20261204_000010_rls_defence_in_depth::RESTRICTIONS,
        crate::m20261204_000013_account_scope::RESTRICTIONS,
        crate::m20261204_000014_allocations::RESTRICTIONS,
    ]
    .concat()
}

/// The restrictions' policies, in order.
pub fn restrictions_sql(restrictions: &[Restriction]) -> String {
    restrictions.iter().map(Restriction::sql).collect()
}

/// Drops the restrictions' policies, last first.
pub fn drop_restrictions_sql(restrictions: &[Restriction]) -> String {
    restrictions
        .iter()
        .rev()
        .map(Restriction::drop_sql)
        .collect()
}

/// Leaves the application role only `SELECT` on `table`: rows it may never write, whatever a
/// policy says, are best kept out of reach by the grant itself.
pub fn read_only_grant_sql(table: &str, role: &AppRole) -> String {
    format!("REVOKE INSERT, UPDATE, DELETE ON {table} FROM {role};\n")
}

/// Undoes [`read_only_grant_sql`], back to the grant every scoped table gets.
pub fn restore_write_grant_sql(table: &str, role: &AppRole) -> String {
    format!("GRANT INSERT, UPDATE, DELETE ON {table} TO {role};\n")
}

/// RLS, the `updated_at` trigger and the application role's grant for tables created after the
/// role exists (a later migration's new tables).
pub fn table_sql(tables: &[TablePolicy], role: &AppRole) -> String {
    tables
        .iter()
        .map(|t| {
            format!(
                "{}{}{}",
                t.sql(),
                t.updated_at_trigger_sql(),
                t.grant_sql(role)
            )
        })
        .collect()
}

/// The first migration's policies, triggers, role and grants.
pub fn schema_v1_sql(role: &AppRole) -> String {
    let mut sql = String::new();
    for table in SCHEMA_V1 {
        sql.push_str(&table.sql());
        sql.push_str(&table.updated_at_trigger_sql());
    }
    sql.push_str(&app_role_sql(role));
    sql
}

/// Undoes the role's database-level grant; table grants go with the tables. The role itself stays:
/// it is cluster-wide and other databases may use it.
pub fn revoke_app_role_sql(role: &AppRole) -> String {
    format!(
        "DO $$ BEGIN\n  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN\n    \
         REVOKE ALL ON SCHEMA public FROM {role};\n  END IF;\nEND $$;\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_listed_once() {
        let all = tables();
        let mut names: Vec<_> = all.iter().map(|t| t.table).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert_eq!(all.len(), 39, "39 tables: docs/database/SCHEMA_OVERVIEW.md");
    }

    #[test]
    fn customer_policies_compare_the_customer_once_per_statement() {
        let sql = policy("orders", Scope::Customer("customer_id")).sql();
        assert!(sql.contains("customer_id = (SELECT get_current_customer_id())"));
        assert!(sql.contains("tenant_id = (SELECT get_current_tenant_id())"));
        assert!(sql.contains("FORCE ROW LEVEL SECURITY"));
    }

    #[test]
    fn a_later_migrations_table_gets_policies_trigger_and_grant() {
        let sql = table_sql(&[policy("tastings", Scope::Internal)], &AppRole::default());
        assert!(sql.contains("ALTER TABLE tastings FORCE ROW LEVEL SECURITY"));
        assert!(sql.contains("CREATE POLICY tastings_delete ON tastings"));
        assert!(sql.contains("CREATE TRIGGER tastings_set_updated_at"));
        assert!(sql.ends_with("GRANT SELECT, INSERT, UPDATE, DELETE ON tastings TO leora_app;\n"));
    }

    #[test]
    fn staff_only_writes_are_restrictive_and_refuse_portal_requests() {
        let sql = staff_writes_only("suppliers").sql();
        assert_eq!(sql.matches("AS RESTRICTIVE").count(), 3);
        assert!(sql.contains(
            "CREATE POLICY suppliers_update_staff_only ON suppliers AS RESTRICTIVE FOR UPDATE \
             USING (true) WITH CHECK ((SELECT get_current_customer_id()) IS NULL);"
        ));
        assert_eq!(
            staff_writes_only("suppliers").drop_sql(),
            "DROP POLICY IF EXISTS suppliers_insert_staff_only ON suppliers;\n\
             DROP POLICY IF EXISTS suppliers_update_staff_only ON suppliers;\n\
             DROP POLICY IF EXISTS suppliers_delete_staff_only ON suppliers;\n"
        );
    }

    #[test]
    fn a_portal_read_restriction_leaves_staff_reads_alone() {
        let sql = portal_reads_only("price_list_entries", OWN_CUSTOMER_OR_OWN_TIER).sql();
        assert!(sql.starts_with(
            "CREATE POLICY price_list_entries_select_portal_narrowed ON price_list_entries \
             AS RESTRICTIVE FOR SELECT USING ((SELECT get_current_customer_id()) IS NULL OR (customer_id ="
        ));
    }

    #[test]
    fn an_account_scope_narrows_every_command_and_leaves_all_account_requests_alone() {
        let restriction = account_scoped("orders", OF_VISIBLE_CUSTOMER);
        assert_eq!(
            restriction.sql(),
            "CREATE POLICY orders_account_scope ON orders AS RESTRICTIVE FOR ALL \
             USING ((SELECT get_account_team()) IS NULL OR (customer_id IN (SELECT c.id FROM customers c))) \
             WITH CHECK ((SELECT get_account_team()) IS NULL OR (customer_id IN (SELECT c.id FROM customers c)));\n"
        );
        assert_eq!(
            restriction.drop_sql(),
            "DROP POLICY IF EXISTS orders_account_scope ON orders;\n"
        );
    }

    #[test]
    fn a_rescope_remakes_the_policies_under_the_same_names_and_can_be_undone() {
        let change = rescope(
            policy("tastings", Scope::Internal),
            Scope::Customer("customer_id"),
        );
        let sql = change.sql();
        for command in ["select", "insert", "update", "delete"] {
            let name = format!("tastings_{command} ON tastings");
            assert!(sql.contains(&format!("DROP POLICY {name};")), "{sql}");
            assert!(sql.contains(&format!("CREATE POLICY {name}")), "{sql}");
        }
        assert!(sql.contains("customer_id = (SELECT get_current_customer_id())"));
        assert!(!sql.contains("ENABLE ROW LEVEL SECURITY") && !sql.contains("GRANT"));
        let undo = change.undo_sql();
        assert!(undo.ends_with(&policy("tastings", Scope::Internal).policies_sql()));
        assert!(!undo.contains("customer_id = "), "{undo}");
    }

    #[test]
    fn a_rescoped_table_is_listed_under_its_new_scope() {
        let all = tables();
        for change in rescopes() {
            let listed: Vec<_> = all.iter().filter(|t| t.table == change.to.table).collect();
            assert_eq!(listed.len(), 1, "{}", change.to.table);
            assert_eq!(listed[0].scope, change.to.scope);
        }
        let resets = all.iter().find(|t| t.table == "password_resets");
        assert_eq!(
            resets.map(|t| t.scope),
            Some(Scope::Customer("customer_id"))
        );
    }

    #[test]
    fn global_tables_get_read_only_grants() {
        let grant = policy("permissions", Scope::Global).grant_sql(&AppRole::default());
        assert_eq!(grant, "GRANT SELECT ON permissions TO leora_app;\n");
    }
}
