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

/// Every editable platform setting (the time zone belongs to the payout engine).
pub struct PlatformSettingsUpdate<'a> {
    pub default_commission_kind: &'a str,
    pub default_commission_value: i64,
    pub default_credit_bps: i64,
    pub default_recurring: i64,
    pub default_recurring_months: Option<i64>,
    pub default_payout_frequency: &'a str,
    pub default_payout_threshold_cents: i64,
    pub default_hold_days: i64,
    pub reapply_wait_days: i64,
    pub standard_sub_account_cap: i64,
    pub updated_by: &'a str,
    pub updated_at: i64,
}

pub async fn update<'e>(
    ex: impl Executor<'e, Database = Any>,
    s: &PlatformSettingsUpdate<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update platform_settings set default_commission_kind = $1, default_commission_value = $2, \
         default_credit_bps = $3, default_recurring = $4, default_recurring_months = $5, \
         default_payout_frequency = $6, default_payout_threshold_cents = $7, default_hold_days = $8, \
         reapply_wait_days = $9, standard_sub_account_cap = $10, updated_by = $11, updated_at = $12 \
         where id = 1",
    )
    .bind(s.default_commission_kind)
    .bind(s.default_commission_value)
    .bind(s.default_credit_bps)
    .bind(s.default_recurring)
    .bind(s.default_recurring_months)
    .bind(s.default_payout_frequency)
    .bind(s.default_payout_threshold_cents)
    .bind(s.default_hold_days)
    .bind(s.reapply_wait_days)
    .bind(s.standard_sub_account_cap)
    .bind(s.updated_by)
    .bind(s.updated_at)
    .execute(ex)
    .await?;
    Ok(())
}
