use crate::model::AppError;
use crate::model::types::AdminStats;
use crate::server::db::{Db, partners, users, workspaces};

pub async fn admin(db: &Db) -> Result<AdminStats, AppError> {
    Ok(AdminStats {
        users: users::count(&db.pool).await?,
        workspaces: workspaces::count(&db.pool).await?,
        partners: partners::count(&db.pool).await?,
    })
}
