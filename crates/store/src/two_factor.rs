//! Two-factor state of an account (a user or the operator): the sealed TOTP secret, whether
//! it is on, and the hashes of the unused recovery codes.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use switchboard_core::{OperatorId, TenantId, UserId};

use crate::{StoreError, StoreResult, operators, users};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    User(TenantId, UserId),
    Operator(OperatorId),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TwoFactor {
    /// Sealed.
    pub secret: Option<String>,
    pub enabled: bool,
    pub recovery: Vec<String>,
}

fn codes(raw: Option<serde_json::Value>) -> Vec<String> {
    raw.and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

pub async fn get(conn: &impl ConnectionTrait, account: Account) -> StoreResult<TwoFactor> {
    Ok(match account {
        Account::User(tenant, id) => {
            let u = users::find(conn, tenant, id).await?;
            TwoFactor {
                secret: u.totp_secret,
                enabled: u.totp_enabled,
                recovery: codes(u.recovery_codes),
            }
        }
        Account::Operator(id) => {
            let o = operators::find(conn, id)
                .await?
                .ok_or(StoreError::NotFound)?;
            TwoFactor {
                secret: o.totp_secret,
                enabled: o.totp_enabled,
                recovery: codes(o.recovery_codes),
            }
        }
    })
}

pub async fn set(
    conn: &impl ConnectionTrait,
    account: Account,
    state: &TwoFactor,
) -> StoreResult<()> {
    let recovery = (!state.recovery.is_empty()).then(|| serde_json::json!(state.recovery));
    let done = match account {
        Account::User(tenant, id) => {
            users::Entity::update_many()
                .col_expr(users::Column::TotpSecret, Expr::value(state.secret.clone()))
                .col_expr(users::Column::TotpEnabled, Expr::value(state.enabled))
                .col_expr(users::Column::RecoveryCodes, Expr::value(recovery))
                .filter(users::Column::Id.eq(id.as_uuid()))
                .filter(users::Column::TenantId.eq(tenant.as_uuid()))
                .exec(conn)
                .await?
        }
        Account::Operator(id) => {
            operators::Entity::update_many()
                .col_expr(
                    operators::Column::TotpSecret,
                    Expr::value(state.secret.clone()),
                )
                .col_expr(operators::Column::TotpEnabled, Expr::value(state.enabled))
                .col_expr(operators::Column::RecoveryCodes, Expr::value(recovery))
                .filter(operators::Column::Id.eq(id.as_uuid()))
                .exec(conn)
                .await?
        }
    };
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
