//! The partner home (`/partners`): balances and the next payout from the payout engine,
//! the primary link, the Analytics page's 30-day series, the newest referrals and the
//! getting-started checklist (gone once every step is done).
use super::Shared;
use crate::model::AppError;
use crate::model::types::{ChecklistStep, PartnerBadge, PartnerHome};
use crate::server::db::{Db, partner_home};

const RECENT: i64 = 5;

pub async fn for_partner(db: &Db, base_url: &str, partner: &PartnerBadge) -> Result<PartnerHome, AppError> {
    let now = db.now_ms();
    let codes = super::links::list(db, base_url, &partner.id).await?;
    let primary_link = codes
        .iter()
        .filter(|c| c.disabled_at.is_none())
        .min_by_key(|c| (c.is_default == 0, c.created_at))
        .map(|c| c.link.clone());
    let id = partner.id.as_str();
    // Independent reads, side by side on the pool's connections.
    let (done, balances, next, daily, recent) = tokio::try_join!(
        async { Ok::<_, AppError>(partner_home::checklist(&db.pool, id).await?) },
        super::payouts::balances(db, id),
        super::payouts::next_for_partner(db, id, now),
        async { Ok(super::stats::daily_for_partner(db, id).await?) },
        async { Ok(partner_home::recent_referrals(&db.pool, id, RECENT).await?) },
    )?;
    let steps = [
        ("link", "Create a link of your own", "/partners/links", done.own_link),
        ("share", "Share it: the first click shows up in Analytics", "/partners/analytics", done.shared),
        ("payout", "Add how you get paid", "/partners/settings", done.payout_method),
        ("referral", "Get your first referral", "/partners/referrals", done.first_referral),
    ];
    let all_done = steps.iter().all(|s| s.3 != 0);
    let checklist = if all_done {
        Vec::new()
    } else {
        steps
            .iter()
            .map(|(key, label, href, d)| ChecklistStep {
                key: key.to_string(),
                label: label.to_string(),
                href: href.to_string(),
                done: *d != 0,
            })
            .collect()
    };
    Ok(PartnerHome {
        name: partner.name.clone(),
        balances,
        next,
        primary_link,
        daily,
        recent: recent.shared(),
        checklist,
    })
}

/// Who referred this visitor: the partner of `code` (the `?ref=` of the page) or else of
/// the referral cookie's code, when it is an approved partner's enabled code.
pub async fn referrer(db: &Db, code: &str, carried: Option<&str>) -> Result<Option<String>, AppError> {
    let candidate = Some(code).filter(|c| !c.trim().is_empty()).or(carried);
    let Some(parsed) = candidate.and_then(|c| crate::domain::codes::ReferralCode::parse(c.trim()).ok())
    else {
        return Ok(None);
    };
    Ok(partner_home::referrer_name(&db.pool, &parsed.key()).await?)
}
