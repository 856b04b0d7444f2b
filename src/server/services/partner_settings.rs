//! The partner settings record (edited by platform admins; a partner edits only its
//! payout details) with its audit log, and the platform's program defaults.
use super::Shared;
use crate::domain::commission::{BasisPoints, Commission};
use crate::domain::money::Cents;
use crate::domain::partner::{PayoutDetails, PayoutDetailsInput, PayoutFrequency, PayoutMethod};
use crate::model::AppError;
use crate::model::lifecycle::{PartnerLifecycle, PartnerSettingsView, PlatformSettingsView};
use crate::server::db::lifecycle::{self, SettingsRow};
use crate::server::db::platform_settings::{self, PlatformSettingsUpdate};
use crate::server::db::{Db, Tx};

/// Every admin-editable field, parsed.
#[derive(Debug, Clone)]
pub struct SettingsInput {
    pub commission: Commission,
    pub credit_bps: BasisPoints,
    pub recurring: bool,
    pub recurring_months: Option<i64>,
    pub default_code_id: Option<String>,
    pub payout: PayoutInput,
    pub payout_threshold: Cents,
    pub payout_frequency: PayoutFrequency,
    pub hold_days: Option<i64>,
}

/// A payout method with the details typed for it (validated against the method here,
/// where the current Stripe fields are known).
#[derive(Debug, Clone)]
pub struct PayoutInput {
    pub method: PayoutMethod,
    pub details: PayoutDetailsInput,
}

fn commission_text(kind: &str, value: i64) -> String {
    Commission::from_parts(kind, value).map(|c| c.to_string()).unwrap_or_else(|| format!("{kind} {value}"))
}

fn months_text(recurring: i64, months: Option<i64>) -> String {
    match (recurring != 0, months) {
        (false, _) => "off".into(),
        (true, None) => "on, lifetime".into(),
        (true, Some(0)) => "on, first period only".into(),
        (true, Some(n)) => format!("on, {n} months"),
    }
}

fn opt_days(days: Option<i64>) -> String {
    days.map(|d| format!("{d} days")).unwrap_or_else(|| "platform default".into())
}

/// (field, before, after) for every field that differs.
fn differences(before: &SettingsRow, after: &SettingsRow) -> Vec<(&'static str, String, String)> {
    let mut diffs = Vec::new();
    let mut diff = |field: &'static str, b: String, a: String| {
        if b != a {
            diffs.push((field, b, a));
        }
    };
    diff(
        "sales_commission",
        commission_text(&before.commission_kind, before.commission_value),
        commission_text(&after.commission_kind, after.commission_value),
    );
    diff("credit_commission", bps_text(before.credit_bps), bps_text(after.credit_bps));
    diff(
        "recurring",
        months_text(before.recurring, before.recurring_months),
        months_text(after.recurring, after.recurring_months),
    );
    diff("payout_method", before.payout_method.clone(), after.payout_method.clone());
    diff(
        "payout_details",
        PayoutDetails::from_json(before.payout_details.as_deref()).summary(),
        PayoutDetails::from_json(after.payout_details.as_deref()).summary(),
    );
    diff(
        "payout_threshold",
        Cents(before.payout_threshold_cents).to_string(),
        Cents(after.payout_threshold_cents).to_string(),
    );
    diff("payout_frequency", before.payout_frequency.clone(), after.payout_frequency.clone());
    diff("hold_days", opt_days(before.hold_days), opt_days(after.hold_days));
    diffs
}

fn bps_text(bps: i64) -> String {
    BasisPoints::new(bps as u32).map(|b| b.to_string()).unwrap_or_else(|| format!("{bps} bps"))
}

async fn write_with_audit(
    tx: &mut Tx,
    actor_id: &str,
    partner_id: &str,
    before: &SettingsRow,
    after: &SettingsRow,
    now: i64,
) -> Result<usize, AppError> {
    let diffs = differences(before, after);
    if !diffs.is_empty() {
        lifecycle::update_settings(tx, partner_id, after).await?;
    }
    for (field, b, a) in &diffs {
        lifecycle::insert_audit(&mut **tx, partner_id, actor_id, field, b, a, now).await?;
    }
    Ok(diffs.len())
}

fn payout_json(payout: &PayoutInput, current: &SettingsRow) -> Result<String, AppError> {
    let current = PayoutDetails::from_json(current.payout_details.as_deref());
    Ok(PayoutDetails::parse(payout.method, &payout.details, &current)?.to_json())
}

/// An admin edits the whole record. One transaction; one audit row per changed field.
/// Returns how many fields changed.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update(
    db: &Db,
    admin_id: &str,
    partner_id: &str,
    input: &SettingsInput,
) -> Result<usize, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let before = lifecycle::settings(&mut *tx, partner_id).await?.ok_or(AppError::NotFound)?;
    let after = SettingsRow {
        commission_kind: input.commission.kind().into(),
        commission_value: input.commission.value(),
        credit_bps: i64::from(input.credit_bps.get()),
        recurring: input.recurring as i64,
        recurring_months: input.recurring_months,
        payout_method: input.payout.method.as_str().into(),
        payout_details: Some(payout_json(&input.payout, &before)?),
        payout_threshold_cents: input.payout_threshold.get(),
        payout_frequency: input.payout_frequency.as_str().into(),
        hold_days: input.hold_days,
    };
    let mut changed = write_with_audit(&mut tx, admin_id, partner_id, &before, &after, now).await?;
    if let Some(code_id) = input.default_code_id.as_deref().filter(|c| !c.is_empty()) {
        let codes = lifecycle::enabled_codes(&mut *tx, partner_id).await?;
        let old = codes.iter().find(|c| c.is_default != 0).map(|c| c.code.clone()).unwrap_or_default();
        let new = codes.iter().find(|c| c.id == code_id).ok_or_else(|| {
            AppError::invalid("default_code_id", "Choose one of this partner's active codes.")
        })?;
        if new.is_default == 0 {
            lifecycle::set_default_code(&mut *tx, partner_id, code_id).await?;
            lifecycle::insert_audit(&mut *tx, partner_id, admin_id, "default_code", &old, &new.code, now)
                .await?;
            changed += 1;
        }
    }
    tx.commit().await?;
    Ok(changed)
}

/// A partner edits its own payout method and details, nothing else.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_payout(
    db: &Db,
    user_id: &str,
    partner_id: &str,
    payout: &PayoutInput,
) -> Result<usize, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let before = lifecycle::settings(&mut *tx, partner_id).await?.ok_or(AppError::NotFound)?;
    let after = SettingsRow {
        payout_method: payout.method.as_str().into(),
        payout_details: Some(payout_json(payout, &before)?),
        ..before.clone()
    };
    let changed = write_with_audit(&mut tx, user_id, partner_id, &before, &after, now).await?;
    tx.commit().await?;
    Ok(changed)
}

/// The settings record as shown (admin page and, read-only, the portal).
pub async fn view(db: &Db, base_url: &str, partner_id: &str) -> Result<PartnerSettingsView, AppError> {
    let s = lifecycle::settings(&db.pool, partner_id).await?.ok_or(AppError::NotFound)?;
    let app = lifecycle::application(&db.pool, partner_id).await?.ok_or(AppError::NotFound)?;
    let codes = lifecycle::enabled_codes(&db.pool, partner_id).await?;
    let default = codes.iter().find(|c| c.is_default != 0);
    let base = match lifecycle::verified_domain(&db.pool, &app.workspace_id).await? {
        Some(host) => format!("https://{host}"),
        None => base_url.trim_end_matches('/').to_string(),
    };
    let details = PayoutDetails::from_json(s.payout_details.as_deref());
    let platform = platform_settings::get(&db.pool).await?;
    Ok(PartnerSettingsView {
        partner_id: partner_id.into(),
        state: app.status,
        commission_kind: s.commission_kind,
        commission_value: s.commission_value,
        credit_bps: s.credit_bps,
        recurring: s.recurring != 0,
        recurring_months: s.recurring_months,
        default_code_id: default.map(|c| c.id.clone()),
        default_code: default.map(|c| c.code.clone()),
        affiliate_link: default.map(|c| format!("{base}/register?ref={}", c.code)),
        codes: codes.iter().map(|c| (c.id.clone(), c.code.clone())).collect(),
        payout_method: s.payout_method,
        paypal_email: details.paypal_email,
        bank_holder: details.bank_holder,
        bank_account: details.bank_account,
        bank_routing: details.bank_routing,
        stripe_account_id: details.stripe_account_id,
        stripe_status: details.stripe_status,
        payout_threshold_cents: s.payout_threshold_cents,
        payout_frequency: s.payout_frequency,
        hold_days: s.hold_days,
        platform_hold_days: platform.default_hold_days,
        website: app.website,
        promotion: app.promotion,
        payout_country: app.payout_country,
    })
}

/// Everything the admin partner page shows about the lifecycle.
pub async fn lifecycle_of(db: &Db, base_url: &str, partner_id: &str) -> Result<PartnerLifecycle, AppError> {
    Ok(PartnerLifecycle {
        state: super::lifecycle::state(db, partner_id).await?,
        settings: view(db, base_url, partner_id).await?,
        stats: super::partner_stats::for_partner(db, partner_id).await?,
        audit: lifecycle::audit(&db.pool, partner_id).await?.shared(),
        history: lifecycle::state_changes(&db.pool, partner_id).await?.shared(),
    })
}

// ---- platform settings ----

/// The platform defaults, parsed.
#[derive(Debug, Clone)]
pub struct PlatformInput {
    pub commission: Commission,
    pub credit_bps: BasisPoints,
    pub recurring: bool,
    pub recurring_months: Option<i64>,
    pub payout_frequency: PayoutFrequency,
    pub payout_threshold: Cents,
    pub hold_days: i64,
    pub reapply_wait_days: i64,
    pub standard_sub_account_cap: i64,
}

pub async fn platform(db: &Db) -> Result<PlatformSettingsView, AppError> {
    let s = platform_settings::get(&db.pool).await?;
    Ok(PlatformSettingsView {
        default_commission_kind: s.default_commission_kind,
        default_commission_value: s.default_commission_value,
        default_credit_bps: s.default_credit_bps,
        default_recurring: s.default_recurring != 0,
        default_recurring_months: s.default_recurring_months,
        default_payout_frequency: s.default_payout_frequency,
        default_payout_threshold_cents: s.default_payout_threshold_cents,
        default_hold_days: s.default_hold_days,
        reapply_wait_days: s.reapply_wait_days,
        standard_sub_account_cap: s.standard_sub_account_cap,
        updated_at: s.updated_at,
    })
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_platform(db: &Db, admin_id: &str, input: &PlatformInput) -> Result<(), AppError> {
    let update = PlatformSettingsUpdate {
        default_commission_kind: input.commission.kind(),
        default_commission_value: input.commission.value(),
        default_credit_bps: i64::from(input.credit_bps.get()),
        default_recurring: input.recurring as i64,
        default_recurring_months: input.recurring_months,
        default_payout_frequency: input.payout_frequency.as_str(),
        default_payout_threshold_cents: input.payout_threshold.get(),
        default_hold_days: input.hold_days,
        reapply_wait_days: input.reapply_wait_days,
        standard_sub_account_cap: input.standard_sub_account_cap,
        updated_by: admin_id,
        updated_at: db.now_ms(),
    };
    platform_settings::update(&db.pool, &update).await?;
    Ok(())
}
