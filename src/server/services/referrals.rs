use crate::model::AppError;
use crate::model::types::ReferralRow;
use crate::server::db::{Db, referrals};

pub async fn for_partner(db: &Db, partner_id: &str) -> Result<Vec<ReferralRow>, AppError> {
    Ok(referrals::for_partner(&db.pool, partner_id).await?)
}
