//! A partner's referrals, a page at a time.
use super::Shared;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::ReferralRow;
use crate::server::db::Db;
use crate::server::db::referral_list;
/// The filters the referral lists take (the server functions parse them from the query).
pub use crate::server::db::referral_list::ReferralFilter;

/// One page of the partner's referrals (Portal → Referrals, the admin partner page).
pub async fn page(
    db: &Db,
    partner_id: &str,
    q: &ListQuery,
    f: ReferralFilter,
) -> Result<Page<ReferralRow>, AppError> {
    let rows = referral_list::page(&db.pool, partner_id, q, f).await?.shared();
    Ok(Page::new(rows, referral_list::count(&db.pool, partner_id, q, f).await?, q))
}
