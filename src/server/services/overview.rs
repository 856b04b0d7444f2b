use crate::api::AppError;
use crate::api::types::AdminStats;
use crate::server::db::{Db, partners, users, workspaces};

pub async fn admin(db: &Db) -> Result<AdminStats, AppError> {
    Ok(AdminStats {
        users: users::count(&db.pool).await?,
        workspaces: workspaces::count(&db.pool).await?,
        partners: partners::count(&db.pool).await?,
    })
}
