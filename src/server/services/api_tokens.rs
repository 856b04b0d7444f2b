use super::Shared;
use crate::domain::names::DisplayName;
use crate::model::AppError;
use crate::model::types::{ApiTokenRow, NewApiToken};
use crate::server::auth::tokens::{hash_token, new_token};
use crate::server::db::{Db, api_tokens, new_id};

/// Tokens are prefixed so a leaked one is recognisable in logs and secret scanners.
const PREFIX: &str = "trib_";

pub async fn list(db: &Db, workspace_id: &str) -> Result<Vec<ApiTokenRow>, AppError> {
    Ok(api_tokens::for_workspace(&db.pool, workspace_id).await?.shared())
}

pub async fn create(
    db: &Db,
    workspace_id: &str,
    user_id: &str,
    name: &DisplayName,
) -> Result<NewApiToken, AppError> {
    let (id, token) = (new_id(), format!("{PREFIX}{}", new_token()));
    api_tokens::insert(&db.pool, &id, workspace_id, name.as_str(), &hash_token(&token), user_id, db.now_ms())
        .await?;
    Ok(NewApiToken { id, token })
}

pub async fn revoke(db: &Db, workspace_id: &str, id: &str) -> Result<(), AppError> {
    if api_tokens::revoke(&db.pool, workspace_id, id, db.now_ms()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Who a bearer token speaks for: (workspace id, user who created it).
pub async fn authenticate(db: &Db, token: &str) -> Result<Option<(String, String)>, AppError> {
    let Some(found) = api_tokens::active_by_hash(&db.pool, &hash_token(token)).await? else {
        return Ok(None);
    };
    api_tokens::touch(&db.pool, &found.id, db.now_ms()).await?;
    Ok(Some((found.workspace_id, found.created_by)))
}
