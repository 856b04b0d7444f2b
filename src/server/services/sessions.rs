use super::Shared;
use crate::model::AppError;
use crate::model::types::Viewer;
use crate::server::auth::tokens::{hash_token, new_token};
use crate::server::db::users::UserRow;
use crate::server::db::{DAY_MS, Db, partners, sessions, workspaces};

/// Starts a session and returns its token (the only copy; we keep its hash).
/// The previous session, if any, ends: the id rotates at every login.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn start(
    db: &Db,
    user_id: &str,
    ttl_days: i64,
    previous: Option<&str>,
) -> Result<String, AppError> {
    let token = new_token();
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    if let Some(previous) = previous {
        sessions::delete(&mut *tx, &hash_token(previous)).await?;
    }
    sessions::insert(&mut *tx, &hash_token(&token), user_id, now, now + ttl_days * DAY_MS).await?;
    sessions::delete_expired(&mut *tx, now).await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn end(db: &Db, token: &str) -> Result<(), AppError> {
    sessions::delete(&db.pool, &hash_token(token)).await?;
    Ok(())
}

/// The signed-in user behind a session token, with their workspaces. The session
/// query already returns the user, so the user row is read once per call.
pub async fn viewer(db: &Db, token: &str) -> Result<Option<Viewer>, AppError> {
    match sessions::user_for(&db.pool, &hash_token(token), db.now_ms()).await? {
        Some(user) => viewer_of(db, user).await.map(Some),
        None => Ok(None),
    }
}

/// The same view for a user id we already trust (just signed in).
pub async fn viewer_by_id(db: &Db, user_id: &str) -> Result<Viewer, AppError> {
    let user = crate::server::db::users::by_id(&db.pool, user_id).await?.ok_or(AppError::Unauthorized)?;
    viewer_of(db, user).await
}

async fn viewer_of(db: &Db, user: UserRow) -> Result<Viewer, AppError> {
    Ok(Viewer {
        workspaces: workspaces::for_user(&db.pool, &user.id).await?.shared(),
        partner: partners::badge_for_user(&db.pool, &user.id).await?.shared(),
        user_id: user.id,
        email: user.email,
        is_platform_admin: user.is_platform_admin != 0,
    })
}
