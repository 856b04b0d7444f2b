//! The platform's program settings: one row (id = 1), created by the migration.
use sqlx::{Any, Executor, FromRow};

/// The row as stored. Services turn it into domain values.
#[derive(Debug, Clone, FromRow)]
pub struct PlatformSettingsRow {
    pub default_commission_kind: String,
    pub default_commission_value: i64,
    pub default_credit_bps: i64,
    pub default_recurring: i64,
    pub default_recurring_months: Option<i64>,
    pub default_payout_frequency: String,
    pub default_payout_threshold_cents: i64,
    pub default_hold_days: i64,
    pub time_zone: String,
    pub reapply_wait_days: i64,
    pub standard_sub_account_cap: i64,
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

pub async fn get<'e>(ex: impl Executor<'e, Database = Any>) -> Result<PlatformSettingsRow, sqlx::Error> {
    sqlx::query_as(
        "select default_commission_kind, default_commission_value, default_credit_bps, default_recurring, \
         default_recurring_months, default_payout_frequency, default_payout_threshold_cents, \
         default_hold_days, time_zone, reapply_wait_days, standard_sub_account_cap, updated_by, updated_at \
         from platform_settings where id = 1",
    )
    .fetch_one(ex)
    .await
}
