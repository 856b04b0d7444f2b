//! The partner lifecycle: apply, review (approve / reject / suspend / reinstate), the
//! partner settings record (platform admins only; a partner edits its payout details),
//! the platform defaults, agency sub-accounts and running stats.
// The settings forms post one field per input: a server function argument each.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::AppError;
use crate::model::lifecycle::{
    PartnerLifecycle, PartnerQueueEntry, PartnerRunningStats, PartnerSettingsView, PartnerStateView,
    PlatformSettingsView, SubAccountRow,
};
use crate::model::list::Page;

/// A signed-in user applies to the partner program (or reapplies after a rejection).
#[server(prefix = "/api", endpoint = "apply_partner")]
pub async fn apply_partner(
    name: String,
    website: String,
    promotion: String,
    payout_country: String,
) -> Result<String, AppError> {
    use crate::server::services::lifecycle::{self, ApplicationInput};
    let req = crate::server::request::request()?;
    let viewer = req.require_viewer().await?;
    let input = ApplicationInput {
        name: crate::domain::names::DisplayName::parse(
            "name",
            &name,
            crate::domain::names::PARTNER_NAME_MAX,
        )?,
        website: crate::domain::partner::parse_website(&website)?,
        promotion: crate::domain::partner::parse_promotion(&promotion)?,
        payout_country: crate::domain::partner::parse_country(&payout_country)?,
    };
    lifecycle::apply(&req.state.db, &viewer, &input).await
}

/// The signed-in user's partner state (None: never applied).
#[server(prefix = "/api", endpoint = "my_partner_state")]
pub async fn my_partner_state() -> Result<Option<PartnerStateView>, AppError> {
    let req = crate::server::request::request()?;
    let viewer = req.require_viewer().await?;
    crate::server::services::lifecycle::my_state(&req.state.db, &viewer.user_id).await
}

/// Admin → Partners: every partner, pending applications first, with running stats, a
/// page (`page`, from 1) at a time.
#[server(prefix = "/api", endpoint = "admin_partner_queue")]
pub async fn admin_partner_queue(
    #[server(default)] page: Option<i64>,
) -> Result<Page<PartnerQueueEntry>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let q = crate::model::list::ListQuery { page: page.unwrap_or(1), ..Default::default() };
    crate::server::services::lifecycle::queue(&req.state.db, &q).await
}

/// approve | reject | suspend | reinstate. Answers the state after the call.
#[server(prefix = "/api", endpoint = "change_partner_state")]
pub async fn change_partner_state(
    partner_id: String,
    action: String,
    #[server(default)] reason_code: String,
    #[server(default)] note: String,
) -> Result<String, AppError> {
    use crate::domain::partner::{PartnerAction, ReasonCode};
    use crate::server::services::lifecycle::{self, Changed, Why};
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    let action = PartnerAction::parse(&action)
        .filter(|a| *a != PartnerAction::Reapply)
        .ok_or_else(|| AppError::invalid("action", "Choose approve, reject, suspend or reinstate."))?;
    let reason = match reason_code.trim() {
        "" => None,
        code => Some(
            ReasonCode::parse(code)
                .ok_or_else(|| AppError::invalid("reason_code", "Choose a reason from the list."))?,
        ),
    };
    let note = crate::domain::names::parse_long_text("note", &note, 1_000)?;
    let why = Why { reason, note: Some(note) };
    let changed = lifecycle::change_state(&req.state.db, &admin.user_id, &partner_id, action, &why).await?;
    // Codes of a partner that left (or entered) the gate: forget cached owners at once.
    req.state.code_cache.clear();
    Ok(match changed {
        Changed::Now(state) => state.as_str().to_string(),
        Changed::Already(state) => state.as_str().to_string(),
    })
}

#[server(prefix = "/api", endpoint = "partner_lifecycle")]
pub async fn admin_partner_lifecycle(partner_id: String) -> Result<PartnerLifecycle, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::partner_settings::lifecycle_of(&req.state.db, &req.base_url(), &partner_id).await
}

/// The whole settings record of one partner; platform admins only. Answers how many
/// fields changed (each one is in the audit log).
#[server(prefix = "/api", endpoint = "update_partner_settings")]
pub async fn update_partner_settings(
    partner_id: String,
    commission_kind: String,
    commission_value: String,
    credit_bps: String,
    #[server(default)] recurring: String,
    #[server(default)] recurring_months: String,
    #[server(default)] default_code_id: String,
    payout_method: String,
    #[server(default)] paypal_email: String,
    #[server(default)] bank_holder: String,
    #[server(default)] bank_account: String,
    #[server(default)] bank_routing: String,
    payout_threshold: String,
    payout_frequency: String,
    #[server(default)] hold_days: String,
) -> Result<usize, AppError> {
    use crate::domain::commission::{BasisPoints, Commission};
    use crate::domain::money::Cents;
    use crate::domain::partner::{self, PayoutFrequency};
    use crate::server::services::partner_settings::{self, SettingsInput};
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    let credit = partner::parse_bps("credit_bps", &credit_bps)?;
    let input = SettingsInput {
        commission: Commission::parse(&commission_kind, &commission_value)
            .map_err(|e| super::error::on_field(e, "commission", "commission_value"))?,
        credit_bps: BasisPoints::new(credit as u32).ok_or(AppError::Internal)?,
        recurring: is_on(&recurring),
        recurring_months: partner::parse_recurring_months(&recurring_months)?,
        default_code_id: Some(default_code_id).filter(|c| !c.trim().is_empty()),
        payout: payout_input(&payout_method, paypal_email, bank_holder, bank_account, bank_routing)?,
        payout_threshold: Cents::parse_dollars(&payout_threshold)
            .map_err(|e| e.in_field("payout_threshold"))?,
        payout_frequency: PayoutFrequency::parse(&payout_frequency).ok_or_else(|| {
            AppError::invalid("payout_frequency", "Choose weekly, monthly, quarterly or manual.")
        })?,
        hold_days: partner::parse_hold_days(&hold_days)?,
    };
    partner_settings::update(&req.state.db, &admin.user_id, &partner_id, &input).await
}

/// Checkbox values as forms send them.
#[cfg(feature = "ssr")]
fn is_on(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "on" | "true" | "1" | "yes")
}

#[cfg(feature = "ssr")]
fn payout_input(
    method: &str,
    paypal_email: String,
    bank_holder: String,
    bank_account: String,
    bank_routing: String,
) -> Result<crate::server::services::partner_settings::PayoutInput, AppError> {
    use crate::domain::partner::{PayoutDetailsInput, PayoutMethod};
    Ok(crate::server::services::partner_settings::PayoutInput {
        method: PayoutMethod::parse(method)
            .ok_or_else(|| AppError::invalid("payout_method", "Choose stripe, paypal, bank or manual."))?,
        details: PayoutDetailsInput { paypal_email, bank_holder, bank_account, bank_routing },
    })
}

#[server(prefix = "/api", endpoint = "platform_settings")]
pub async fn platform_settings() -> Result<PlatformSettingsView, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::partner_settings::platform(&req.state.db).await
}

#[server(prefix = "/api", endpoint = "update_platform_settings")]
pub async fn update_platform_settings(
    commission_kind: String,
    commission_value: String,
    credit_bps: String,
    #[server(default)] recurring: String,
    #[server(default)] recurring_months: String,
    payout_frequency: String,
    payout_threshold: String,
    hold_days: String,
    reapply_wait_days: String,
    standard_sub_account_cap: String,
) -> Result<(), AppError> {
    use crate::domain::commission::{BasisPoints, Commission};
    use crate::domain::money::Cents;
    use crate::domain::partner::{self, PayoutFrequency};
    use crate::server::services::partner_settings::{self, PlatformInput};
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    let credit = partner::parse_bps("credit_bps", &credit_bps)?;
    let input = PlatformInput {
        commission: Commission::parse(&commission_kind, &commission_value)
            .map_err(|e| super::error::on_field(e, "commission", "commission_value"))?,
        credit_bps: BasisPoints::new(credit as u32).ok_or(AppError::Internal)?,
        recurring: is_on(&recurring),
        recurring_months: partner::parse_recurring_months(&recurring_months)?,
        payout_frequency: PayoutFrequency::parse(&payout_frequency).ok_or_else(|| {
            AppError::invalid("payout_frequency", "Choose weekly, monthly, quarterly or manual.")
        })?,
        payout_threshold: Cents::parse_dollars(&payout_threshold)
            .map_err(|e| e.in_field("payout_threshold"))?,
        hold_days: partner::parse_hold_days(&hold_days)?
            .ok_or_else(|| AppError::invalid("hold_days", "Enter the default hold in days (0 = none)."))?,
        reapply_wait_days: partner::parse_small_count("reapply_wait_days", &reapply_wait_days, 365)?,
        standard_sub_account_cap: partner::parse_small_count(
            "standard_sub_account_cap",
            &standard_sub_account_cap,
            1_000,
        )?,
    };
    partner_settings::update_platform(&req.state.db, &admin.user_id, &input).await
}

// ---- the portal ----

/// The partner's own settings record, read-only (rates included).
#[server(prefix = "/api", endpoint = "my_partner_settings")]
pub async fn my_partner_settings() -> Result<PartnerSettingsView, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::partner_settings::view(&req.state.db, &req.base_url(), &partner.id).await
}

/// The one thing a partner may change about its record: how it is paid.
#[server(prefix = "/api", endpoint = "update_my_payout")]
pub async fn update_my_payout(
    payout_method: String,
    #[server(default)] paypal_email: String,
    #[server(default)] bank_holder: String,
    #[server(default)] bank_account: String,
    #[server(default)] bank_routing: String,
) -> Result<usize, AppError> {
    let req = crate::server::request::request()?;
    let (viewer, partner) = req.require_partner().await?;
    let payout = payout_input(&payout_method, paypal_email, bank_holder, bank_account, bank_routing)?;
    crate::server::services::partner_settings::update_payout(
        &req.state.db,
        &viewer.user_id,
        &partner.id,
        &payout,
    )
    .await
}

#[server(prefix = "/api", endpoint = "my_partner_stats")]
pub async fn my_partner_stats() -> Result<PartnerRunningStats, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::partner_stats::for_partner(&req.state.db, &partner.id).await
}

#[server(prefix = "/api", endpoint = "my_sub_accounts")]
pub async fn my_sub_accounts() -> Result<Vec<SubAccountRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::subaccounts::list(&req.state.db, &partner.workspace_id).await
}

#[server(prefix = "/api", endpoint = "create_sub_account")]
pub async fn create_sub_account(name: String) -> Result<String, AppError> {
    let req = crate::server::request::request()?;
    let (viewer, partner) = req.require_partner().await?;
    let name = crate::domain::names::DisplayName::parse("name", &name, 80)?;
    crate::server::services::subaccounts::create(
        &req.state.db,
        &viewer.user_id,
        &partner.id,
        &partner.workspace_id,
        &name,
    )
    .await
}
