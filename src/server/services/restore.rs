//! Restoring attribution from browser storage when the server cookie went missing
//! (cleared cookies, a browser that dropped it, a redirect through another domain).
use crate::domain::attribution::{DAY_MS, ShareTouch, Touch};
use crate::domain::codes::ReferralCode;
use crate::model::AppError;
use crate::server::auth::cookies::{self, REFERRAL_COOKIE, SHARE_COOKIE};
use crate::server::db::{codes, listings};
use crate::server::request::RequestCtx;

/// Sets the server cookies again from what the browser kept, if still valid. A
/// referrer cookie that is present is never replaced (first touch). True when restored.
pub async fn restore(req: &RequestCtx, touch: &str, share: Option<&str>) -> Result<bool, AppError> {
    let (config, now) = (&req.state.config, req.state.db.now_ms());
    let carried = req.carried_attribution();
    let mut restored = false;
    if carried.touch.is_none()
        && let Some(touch) = Touch::decode(touch).filter(|t| t.within(now, config.attribution_days))
    {
        let code = ReferralCode::parse(&touch.code).map_err(AppError::from)?;
        if codes::resolve_active(&req.state.db.pool, &code.key()).await?.is_some() {
            let left = remaining_secs(touch.captured_at, now, config.attribution_days);
            req.set_cookie(&cookies::set_readable(
                REFERRAL_COOKIE,
                &touch.encode(),
                left,
                config.secure_cookies,
            ));
            restored = true;
        }
    }
    if carried.share.is_none()
        && let Some(share) = share.and_then(ShareTouch::decode).filter(|s| s.within(now, config.share_days))
        && listings::by_share_token(&req.state.db.pool, &share.token).await?.is_some()
    {
        let left = remaining_secs(share.captured_at, now, config.share_days);
        req.set_cookie(&cookies::set_readable(SHARE_COOKIE, &share.encode(), left, config.secure_cookies));
        restored = true;
    }
    Ok(restored)
}

/// The cookie lives only for what is left of the window, never longer.
fn remaining_secs(captured_at: i64, now: i64, days: i64) -> i64 {
    ((captured_at.min(now) + days * DAY_MS - now) / 1000).max(1)
}
