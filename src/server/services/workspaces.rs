use crate::api::AppError;
use crate::domain::names::DisplayName;
use crate::server::db::{Db, new_id, now_ms, workspaces};

/// A new customer workspace owned by `user_id`; returns its id.
#[tracing::instrument(skip_all, err)]
pub async fn create(db: &Db, user_id: &str, name: &DisplayName) -> Result<String, AppError> {
    let (id, now) = (new_id(), now_ms());
    let mut tx = db.begin_write().await?;
    workspaces::insert(&mut *tx, &id, name.as_str(), "customer", now).await?;
    workspaces::add_member(&mut *tx, &id, user_id, "owner", now).await?;
    tx.commit().await?;
    Ok(id)
}
