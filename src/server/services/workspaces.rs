use super::attribution::{self, Bound, Carried, Windows};
use crate::domain::names::DisplayName;
use crate::domain::roles::WorkspaceKind;
use crate::model::AppError;
use crate::server::db::{Db, new_id, workspaces};

/// A new customer workspace owned by `user_id`; returns its id and whether the
/// referral the visitor carried was bound to it (first touch, once).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(
    db: &Db,
    user_id: &str,
    name: &DisplayName,
    carried: &Carried,
    windows: &Windows,
) -> Result<(String, Bound), AppError> {
    let (id, now) = (new_id(), db.now_ms());
    let mut tx = db.begin_write().await?;
    workspaces::insert(&mut *tx, &id, name.as_str(), WorkspaceKind::Customer, now).await?;
    workspaces::add_member(&mut *tx, &id, user_id, "owner", now).await?;
    let bound = attribution::bind(&mut tx, &id, user_id, carried, windows, now).await?;
    tx.commit().await?;
    Ok((id, bound))
}
