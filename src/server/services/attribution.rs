//! Binding a workspace to the partner that brought it: first touch, once, never a
//! partner's own users, only approved and active partners, inside the window.
use crate::domain::attribution::{ShareTouch, Touch};
use crate::domain::codes::ReferralCode;
use crate::domain::roles::ReferralSource;
use crate::model::AppError;
use crate::server::db::referrals::NewReferral;
use crate::server::db::{Tx, codes, listings, new_id, referrals, workspaces};

/// What the visitor carries: the referrer touch and the listing share token.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    pub touch: Option<Touch>,
    pub share: Option<ShareTouch>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Bound now to a partner.
    Now,
    /// The workspace already had a referral: nothing changed.
    Already,
    /// Nothing valid to bind (no touch, expired, unknown code, own partner…).
    Nothing,
}

pub struct Windows {
    pub referral_days: i64,
    pub share_days: i64,
}

struct Referrer {
    partner_id: String,
    partner_workspace_id: String,
    code_id: Option<String>,
    click_id: Option<String>,
    listing_id: Option<String>,
}

pub async fn bind(
    tx: &mut Tx,
    workspace_id: &str,
    user_id: &str,
    carried: &Carried,
    windows: &Windows,
    now: i64,
) -> Result<Bound, AppError> {
    if referrals::for_workspace(&mut **tx, workspace_id).await?.is_some() {
        return Ok(Bound::Already);
    }
    let Some(mut referrer) = resolve(tx, carried, windows, now).await? else {
        return Ok(Bound::Nothing);
    };
    if workspaces::is_member(&mut **tx, &referrer.partner_workspace_id, user_id).await? {
        return Ok(Bound::Nothing);
    }
    // The share token credits its listing when it belongs to the referring creator.
    if let Some(share) = carried.share.as_ref().filter(|s| s.within(now, windows.share_days))
        && let Some(shared) = listings::by_share_token(&mut **tx, &share.token).await?
        && shared.partner_id == referrer.partner_id
    {
        referrer.listing_id = Some(shared.listing_id);
    }
    let source =
        if referrer.listing_id.is_some() { ReferralSource::Marketplace } else { ReferralSource::Link };
    let referral = NewReferral {
        workspace_id,
        partner_id: &referrer.partner_id,
        code_id: referrer.code_id.as_deref(),
        source,
    };
    let id = new_id();
    if !referrals::insert(tx, &id, &referral, now).await? {
        return Ok(Bound::Already);
    }
    referrals::set_origin(&mut **tx, &id, referrer.listing_id.as_deref(), referrer.click_id.as_deref())
        .await?;
    Ok(Bound::Now)
}

/// The referrer: the first-touch code if still valid, else the creator of a shared listing.
async fn resolve(
    tx: &mut Tx,
    carried: &Carried,
    windows: &Windows,
    now: i64,
) -> Result<Option<Referrer>, AppError> {
    if let Some(touch) = carried.touch.as_ref().filter(|t| t.within(now, windows.referral_days))
        && let Ok(code) = ReferralCode::parse(&touch.code)
        && let Some(owner) = codes::resolve_active(&mut **tx, &code.key()).await?
    {
        // The cookie is ours but the browser could alter it: the listing must
        // belong to the referring creator to be credited.
        let listing_id = match &touch.listing_id {
            Some(id) if listings::owned(&mut **tx, &owner.partner_id, id).await? => Some(id.clone()),
            _ => None,
        };
        return Ok(Some(Referrer {
            partner_id: owner.partner_id,
            partner_workspace_id: owner.partner_workspace_id,
            code_id: Some(owner.code_id),
            listing_id,
            click_id: touch.click_id.clone(),
        }));
    }
    let Some(share) = carried.share.as_ref().filter(|s| s.within(now, windows.share_days)) else {
        return Ok(None);
    };
    let Some(shared) = listings::by_share_token(&mut **tx, &share.token).await? else {
        return Ok(None);
    };
    let Some(owner) = codes::default_of_active_partner(&mut **tx, &shared.partner_id).await? else {
        return Ok(None);
    };
    Ok(Some(Referrer {
        partner_id: owner.partner_id,
        partner_workspace_id: owner.partner_workspace_id,
        code_id: Some(owner.code_id),
        listing_id: Some(shared.listing_id),
        click_id: None,
    }))
}
