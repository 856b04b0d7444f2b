//! The partner lifecycle as the browser sees it: state, settings record, audit log,
//! platform defaults, sub-accounts and running stats.
use serde::{Deserialize, Serialize};

use crate::domain::partner::PartnerState;

/// A partner's state and the latest decision, with what the partner should do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerStateView {
    pub partner_id: String,
    pub name: String,
    pub state: PartnerState,
    pub state_label: String,
    pub reason_code: Option<String>,
    pub reason_label: Option<String>,
    pub note: Option<String>,
    pub changed_at: Option<i64>,
    pub what_to_do: String,
    /// For a rejected applicant: when they may apply again (unix ms).
    pub reapply_at: Option<i64>,
    pub may_reapply: bool,
}

/// The full settings record of one partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSettingsView {
    pub partner_id: String,
    pub state: PartnerState,
    pub commission_kind: String,
    pub commission_value: i64,
    pub credit_bps: i64,
    pub recurring: bool,
    pub recurring_months: Option<i64>,
    pub default_code_id: Option<String>,
    pub default_code: Option<String>,
    /// (id, code) of every enabled code: the choices for the default.
    pub codes: Vec<(String, String)>,
    /// The full `/register?ref=` link of the default code (on the verified custom
    /// domain when there is one).
    pub affiliate_link: Option<String>,
    pub payout_method: String,
    pub paypal_email: Option<String>,
    pub bank_holder: Option<String>,
    pub bank_account: Option<String>,
    pub bank_routing: Option<String>,
    pub stripe_account_id: Option<String>,
    pub stripe_status: Option<String>,
    pub payout_threshold_cents: i64,
    pub payout_frequency: String,
    /// NULL = the platform default, shown beside it.
    pub hold_days: Option<i64>,
    pub platform_hold_days: i64,
    pub website: Option<String>,
    pub promotion: Option<String>,
    pub payout_country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub actor_email: Option<String>,
    pub field: String,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChangeRow {
    pub actor_email: Option<String>,
    pub from_state: Option<PartnerState>,
    pub to_state: PartnerState,
    pub reason_code: Option<String>,
    pub note: Option<String>,
    pub created_at: i64,
}

/// The partner page's lifecycle part: state, settings, history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerLifecycle {
    pub state: PartnerStateView,
    pub settings: PartnerSettingsView,
    pub stats: PartnerRunningStats,
    pub audit: Vec<AuditRow>,
    pub history: Vec<StateChangeRow>,
}

/// A row of the admin review queue / partner list with its state and stats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerQueueRow {
    pub id: String,
    pub name: String,
    pub contact_email: String,
    pub status: PartnerState,
    pub website: Option<String>,
    pub promotion: Option<String>,
    pub payout_country: Option<String>,
    pub created_at: i64,
}

/// One row of Admin → Partners: the partner and its running stats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerQueueEntry {
    pub partner: PartnerQueueRow,
    pub stats: PartnerRunningStats,
}

/// Running stats, computed in one query from referrals and the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartnerRunningStats {
    pub partner_id: String,
    pub total_referrals: i64,
    /// Referred workspaces whose subscription is ACTIVE now.
    pub active_referrals: i64,
    /// Cash earned, net of reversals (every cash entry summed).
    pub total_earnings_cents: i64,
    /// Cash earned and not yet paid (pending + approved).
    pub pending_payout_cents: i64,
    /// Cash paid out.
    pub lifetime_payout_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformSettingsView {
    pub default_commission_kind: String,
    pub default_commission_value: i64,
    pub default_credit_bps: i64,
    pub default_recurring: bool,
    pub default_recurring_months: Option<i64>,
    pub default_payout_frequency: String,
    pub default_payout_threshold_cents: i64,
    pub default_hold_days: i64,
    pub reapply_wait_days: i64,
    pub standard_sub_account_cap: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubAccountRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// What activating a workspace by partner invite did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    /// Upgraded now: the new partner record.
    Activated { partner_id: String },
    /// Nothing changed: the workspace is a partner already.
    AlreadyPartner { partner_id: String },
}

impl Activation {
    pub fn message(&self) -> &'static str {
        match self {
            Activation::Activated { .. } => "Welcome aboard: your workspace is now a partner agency.",
            Activation::AlreadyPartner { .. } => "You're already set up as a partner.",
        }
    }

    pub const PORTAL: &'static str = "/partners";
}
