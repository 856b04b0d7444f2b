//! The in-app payout scheduler: a run every `TRIBUTARY_PAYOUT_RUN_SECONDS` (default five
//! minutes). Harmless to run often and on several instances: the lease lets one runner
//! work at a time and every payout is keyed by (partner, period).
use super::services::payouts::{self, RunRequest, StartedFrom};
use super::state::AppState;

pub fn start_scheduler(state: &AppState) {
    let Some(interval) = state.config.payout_run_interval else { return };
    let db = state.db.clone();
    let rails = state.rails.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(interval).await;
            match payouts::run(&db, &RunRequest::scheduled(StartedFrom::Scheduler)).await {
                Ok(s) if s.payouts_created > 0 => {
                    tracing::info!(created = s.payouts_created, total_cents = s.total_cents, "payout run")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "scheduled payout run"),
            }
            if let Err(e) = super::services::rail_dispatch::dispatch(&db, &rails).await {
                tracing::warn!(error = %e, "rail dispatch");
            }
        }
    });
}
