//! Administration of staff, portal users and roles. Every field is guarded; the service functions
//! hold the rules (audiences, uniqueness) and RLS confines portal admins to their own customer.

use super::types::{Audience, PasswordReset, Permission, PortalUser, Role, User, UserStatus};
use crate::entities::enums::UserStatus as StoredUserStatus;
use crate::entities::{portal_users, users};
use crate::service::admin::{self, NewPortalUser, NewRole, NewUser, RoleChanges, UserChanges};
use crate::service::password_reset::{self, RESET_TOKEN_TTL};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::ids::{parse_id, parse_optional_id};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{
    ApiResult, Permission as Perm, RequirePermission, Session, StaffOrPortal,
};

#[derive(InputObject, Default)]
pub struct UserFilter {
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<UserStatus>>,
}

#[derive(InputObject, Default)]
pub struct PortalUserFilter {
    pub customer_id: Option<ID>,
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<UserStatus>>,
}

impl PortalUserFilter {
    fn into_filter(self) -> ApiResult<admin::PortalUserFilter> {
        Ok(admin::PortalUserFilter {
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            statuses: any_of::<_, StoredUserStatus>(self.statuses),
        })
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub full_name: String,
    /// At least 8 characters.
    pub password: String,
    /// Internal role names, e.g. `sales_rep`.
    #[graphql(default)]
    pub roles: Vec<String>,
    pub manager_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CreatePortalUserInput {
    pub customer_id: ID,
    pub email: String,
    pub full_name: String,
    pub password: String,
    /// Portal role names; `portal_user` when empty.
    #[graphql(default)]
    pub roles: Vec<String>,
}

#[derive(InputObject)]
pub struct CreateRoleInput {
    /// An identifier such as `buyer_lead`; a tenant role shadows a system role of the same name.
    pub name: String,
    pub description: Option<String>,
    pub audience: Audience,
    /// Permission keys of the role's audience.
    #[graphql(default)]
    pub permissions: Vec<String>,
}

/// Omitted fields stay as they are; `permissions` replaces the whole set.
#[derive(InputObject)]
pub struct UpdateRoleInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
}

/// Omitted fields stay as they are; `managerId: null` removes the manager.
#[derive(InputObject)]
pub struct UpdateUserInput {
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub manager_id: MaybeUndefined<ID>,
}

impl UpdateUserInput {
    fn into_changes(self) -> ApiResult<UserChanges> {
        let manager_id = match self.manager_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(id) => Some(Some(parse_id("managerId", &id)?)),
        };
        Ok(UserChanges {
            full_name: self.full_name,
            email: self.email,
            manager_id,
        })
    }
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// One staff member.
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn user(&self, ctx: &Context<'_>, id: ID) -> ApiResult<User> {
        let session = Session::of(ctx)?;
        Ok(User(admin::user(session.tx(), parse_id("id", &id)?).await?))
    }

    /// The distributor's staff.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Perm::UsersManage)"
    )]
    async fn users(
        &self,
        ctx: &Context<'_>,
        filter: Option<UserFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<User>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let select = admin::users(&any_of::<_, StoredUserStatus>(
            filter.unwrap_or_default().statuses,
        ));
        let tx = Session::of(ctx)?.tx();
        Ok(paginate(tx, select, users::Column::Id, page, User).await?)
    }

    /// Customers' portal users; a portal admin sees only its own customer's.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "StaffOrPortal(Perm::UsersManage, Perm::PortalUsersManage)"
    )]
    async fn portal_users(
        &self,
        ctx: &Context<'_>,
        filter: Option<PortalUserFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<PortalUser>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = admin::portal_users(&filter);
        let tx = Session::of(ctx)?.tx();
        Ok(paginate(tx, select, portal_users::Column::Id, page, PortalUser).await?)
    }

    /// The system roles and the tenant's own.
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn roles(&self, ctx: &Context<'_>) -> ApiResult<Vec<Role>> {
        let tx = Session::of(ctx)?.tx();
        let roles = admin::roles(tx).await?;
        Ok(roles.into_iter().map(Role).collect())
    }

    /// The permission catalogue.
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn permissions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Permission>> {
        let tx = Session::of(ctx)?.tx();
        let permissions = admin::permissions(tx).await?;
        Ok(permissions.into_iter().map(Permission).collect())
    }
}

#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> ApiResult<User> {
        let session = Session::of(ctx)?;
        let manager_id = input
            .manager_id
            .as_ref()
            .map(|id| parse_id("input.managerId", id))
            .transpose()?;
        let new_user = NewUser {
            email: input.email,
            full_name: input.full_name,
            password: input.password,
            roles: input.roles,
            manager_id,
        };
        Ok(User(admin::create_user(session.tx(), new_user).await?))
    }

    #[graphql(guard = "StaffOrPortal(Perm::UsersManage, Perm::PortalUsersManage)")]
    async fn create_portal_user(
        &self,
        ctx: &Context<'_>,
        input: CreatePortalUserInput,
    ) -> ApiResult<PortalUser> {
        let session = Session::of(ctx)?;
        let new_user = NewPortalUser {
            customer_id: parse_id("input.customerId", &input.customer_id)?,
            email: input.email,
            full_name: input.full_name,
            password: input.password,
            roles: input.roles,
        };
        Ok(PortalUser(
            admin::create_portal_user(session.tx(), new_user).await?,
        ))
    }

    /// Disable (or re-enable) a staff member; disabling ends all of their sessions at once.
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn set_user_status(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        status: UserStatus,
    ) -> ApiResult<User> {
        let session = Session::of(ctx)?;
        let user_id = parse_id("userId", &user_id)?;
        Ok(User(
            admin::set_user_status(session.tx(), user_id, status.into()).await?,
        ))
    }

    #[graphql(guard = "StaffOrPortal(Perm::UsersManage, Perm::PortalUsersManage)")]
    async fn set_portal_user_status(
        &self,
        ctx: &Context<'_>,
        portal_user_id: ID,
        status: UserStatus,
    ) -> ApiResult<PortalUser> {
        let session = Session::of(ctx)?;
        let portal_user_id = parse_id("portalUserId", &portal_user_id)?;
        Ok(PortalUser(
            admin::set_portal_user_status(session.tx(), portal_user_id, status.into()).await?,
        ))
    }

    /// Change a staff member's name, email or manager (never a loop of managers).
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateUserInput,
    ) -> ApiResult<User> {
        let session = Session::of(ctx)?;
        let user =
            admin::update_user(session.tx(), parse_id("id", &id)?, input.into_changes()?).await?;
        Ok(User(user))
    }

    /// A role of the tenant's own: a named set of permissions of one audience.
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn create_role(&self, ctx: &Context<'_>, input: CreateRoleInput) -> ApiResult<Role> {
        let session = Session::of(ctx)?;
        let role = NewRole {
            name: input.name,
            description: input.description,
            audience: input.audience.into(),
            permissions: input.permissions,
        };
        Ok(Role(admin::create_role(session.tx(), role).await?))
    }

    /// Change one of the tenant's roles; system roles are read-only.
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn update_role(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateRoleInput,
    ) -> ApiResult<Role> {
        let session = Session::of(ctx)?;
        let changes = RoleChanges {
            name: input.name,
            description: input.description,
            permissions: input.permissions,
        };
        let role = admin::update_role(session.tx(), parse_id("id", &id)?, changes).await?;
        Ok(Role(role))
    }

    /// Delete one of the tenant's roles that nobody holds (`CONFLICT` while anyone does).
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn delete_role(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let session = Session::of(ctx)?;
        admin::delete_role(session.tx(), parse_id("id", &id)?).await?;
        Ok(true)
    }

    /// Issue a single-use token with which the member of staff `userId` sets a new password
    /// (`resetPassword`), valid for an hour; an earlier token of theirs stops working. Hand it to
    /// them yourself: the `user.password_reset_requested` event does not carry it. A disabled
    /// account is refused (`BAD_USER_INPUT` on `userId`).
    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn issue_password_reset(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> ApiResult<PasswordReset> {
        let session = Session::of(ctx)?;
        let user_id = parse_id("userId", &user_id)?;
        let issued =
            password_reset::issue_password_reset(session.tx(), user_id, RESET_TOKEN_TTL).await?;
        Ok(PasswordReset(issued))
    }

    /// Issue a single-use token with which the portal user `portalUserId` sets a new password
    /// (`resetPassword`, then `portalLogin`), valid for an hour; an earlier token of theirs stops
    /// working. A portal admin issues them for its own customer's portal users only (`NOT_FOUND`
    /// for any other). Hand it over yourself: the `portal_user.password_reset_requested` event
    /// does not carry it. A disabled account is refused (`BAD_USER_INPUT` on `portalUserId`).
    #[graphql(guard = "StaffOrPortal(Perm::UsersManage, Perm::PortalUsersManage)")]
    async fn issue_portal_password_reset(
        &self,
        ctx: &Context<'_>,
        portal_user_id: ID,
    ) -> ApiResult<PasswordReset> {
        let session = Session::of(ctx)?;
        let portal_user_id = parse_id("portalUserId", &portal_user_id)?;
        let issued = password_reset::issue_portal_password_reset(
            session.tx(),
            portal_user_id,
            RESET_TOKEN_TTL,
        )
        .await?;
        Ok(PasswordReset(issued))
    }

    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn assign_role(&self, ctx: &Context<'_>, user_id: ID, role: String) -> ApiResult<User> {
        let session = Session::of(ctx)?;
        let user_id = parse_id("userId", &user_id)?;
        admin::assign_role(session.tx(), user_id, &role).await?;
        Ok(User(admin::user(session.tx(), user_id).await?))
    }

    #[graphql(guard = "RequirePermission(Perm::UsersManage)")]
    async fn revoke_role(&self, ctx: &Context<'_>, user_id: ID, role: String) -> ApiResult<User> {
        let session = Session::of(ctx)?;
        let user_id = parse_id("userId", &user_id)?;
        admin::revoke_role(session.tx(), user_id, &role).await?;
        Ok(User(admin::user(session.tx(), user_id).await?))
    }

    #[graphql(guard = "StaffOrPortal(Perm::UsersManage, Perm::PortalUsersManage)")]
    async fn assign_portal_role(
        &self,
        ctx: &Context<'_>,
        portal_user_id: ID,
        role: String,
    ) -> ApiResult<PortalUser> {
        let session = Session::of(ctx)?;
        let portal_user_id = parse_id("portalUserId", &portal_user_id)?;
        admin::assign_portal_role(session.tx(), portal_user_id, &role).await?;
        let user = admin::portal_user(session.tx(), portal_user_id).await?;
        Ok(PortalUser(user))
    }

    #[graphql(guard = "StaffOrPortal(Perm::UsersManage, Perm::PortalUsersManage)")]
    async fn revoke_portal_role(
        &self,
        ctx: &Context<'_>,
        portal_user_id: ID,
        role: String,
    ) -> ApiResult<PortalUser> {
        let session = Session::of(ctx)?;
        let portal_user_id = parse_id("portalUserId", &portal_user_id)?;
        admin::revoke_portal_role(session.tx(), portal_user_id, &role).await?;
        let user = admin::portal_user(session.tx(), portal_user_id).await?;
        Ok(PortalUser(user))
    }
}
