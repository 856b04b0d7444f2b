//! Running stats of partners (see db/partner_stats.rs: the one query).
use super::Shared;
use crate::model::AppError;
use crate::model::lifecycle::PartnerRunningStats;
use crate::server::db::{Db, partner_stats};

pub async fn for_partner(db: &Db, partner_id: &str) -> Result<PartnerRunningStats, AppError> {
    partner_stats::for_partner(&db.pool, partner_id).await?.shared().ok_or(AppError::NotFound)
}
