//! Moving the app's clock forward, for browser journeys that span days (hold periods,
//! expiries, payout dates). Exists only when the server runs with
//! `TRIBUTARY_CLOCK_CONTROL=1`; otherwise it is a 404 like any unknown page.
use leptos::prelude::*;

use super::AppError;

/// Moves time forward by `days` and answers the new time (unix ms).
#[server(prefix = "/api", endpoint = "advance_clock")]
pub async fn advance_clock(days: i64) -> Result<i64, AppError> {
    let req = crate::server::request::request()?;
    if !req.state.config.clock_control {
        return Err(AppError::NotFound);
    }
    req.require_admin().await?;
    if !(1..=3_650).contains(&days) {
        return Err(AppError::invalid("days", "Move the clock forward by 1 to 3,650 days."));
    }
    let clock = &req.state.db.clock;
    clock.advance_days(days);
    tracing::warn!(days, offset_ms = clock.offset_ms(), "clock moved forward");
    Ok(clock.now_ms())
}
