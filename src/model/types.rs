//! Data shared by the server and the browser. The db layer reads its own records (`server/db`) and services turn them into these.
use serde::{Deserialize, Serialize};

use crate::domain::credits::CreditKind;
use crate::domain::invite_codes::{CodeStatus, InviteFlavor, InviteeStage};
use crate::domain::mail::MailStatus;
use crate::domain::partner::PartnerState;
use crate::domain::payouts::{CommissionKind, EntryState};
use crate::domain::roles::{
    ClaimState, PayoutStatus, ReferralSource, SubscriptionStatus, WorkspaceKind, WorkspaceRole, WorkspaceTier,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSummary {
    pub id: String,
    pub name: String,
    pub kind: WorkspaceKind,
    pub tier: WorkspaceTier,
    pub role: WorkspaceRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerBadge {
    pub id: String,
    pub name: String,
    pub workspace_id: String,
    /// Only an approved partner gets the portal.
    pub status: PartnerState,
}

/// Who is looking at the page: enough for the shells to decide what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: String,
    pub email: String,
    pub is_platform_admin: bool,
    pub workspaces: Vec<WorkspaceSummary>,
    pub partner: Option<PartnerBadge>,
}

impl Viewer {
    pub fn customer_workspaces(&self) -> impl Iterator<Item = &WorkspaceSummary> {
        self.workspaces.iter().filter(|w| w.kind == WorkspaceKind::Customer)
    }

    /// The first customer workspace this person may manage (owner or admin).
    pub fn managed_workspace(&self) -> Option<&WorkspaceSummary> {
        self.customer_workspaces().find(|w| w.role.can_manage())
    }

    /// This person's own area: the admin dashboard, the partner portal, their
    /// workspace, or onboarding when they have none yet.
    pub fn home(&self) -> &'static str {
        if self.is_platform_admin {
            "/admin"
        } else if self.partner.is_some() {
            "/partners"
        } else if self.customer_workspaces().next().is_some() {
            "/dashboard"
        } else {
            "/onboarding/workspace"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminStats {
    pub users: i64,
    pub workspaces: i64,
    pub partners: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub id: String,
    pub name: String,
    pub price_monthly_cents: i64,
    pub currency: String,
}

// ---- The partner program (spec 000) ----

use crate::domain::commission::Commission;

/// A partner as the admin list shows it, with running totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub contact_email: String,
    pub commission_kind: String,
    pub commission_value: i64,
    pub approved_at: Option<i64>,
    pub status: crate::domain::partner::PartnerState,
    pub referrals: i64,
    pub converted: i64,
    pub pending_cents: i64,
    pub paid_cents: i64,
    pub created_at: i64,
}

impl PartnerRow {
    pub fn commission(&self) -> Option<Commission> {
        Commission::from_parts(&self.commission_kind, self.commission_value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerUserRow {
    pub email: String,
    /// "member" for attached users, "invited" for invitations not yet accepted.
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRow {
    pub id: String,
    pub code: String,
    pub is_default: i64,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    /// Filled by the server: the shareable `/register?ref=` link.
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub plan_id: String,
    pub plan_name: String,
    pub kind: String,
    pub value: i64,
}

impl RuleRow {
    pub fn commission(&self) -> Option<Commission> {
        Commission::from_parts(&self.kind, self.value)
    }
}

/// A click in Admin → Clicks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClickRow {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    /// What the visitor came through: "Code …", "Listing …", "Share link".
    pub via: String,
    pub landing_path: String,
    pub referrer: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub id: String,
    pub workspace_name: String,
    pub plan_name: Option<String>,
    pub subscription_status: Option<SubscriptionStatus>,
    pub source: ReferralSource,
    pub code: Option<String>,
    pub created_at: i64,
    pub converted_at: Option<i64>,
}

impl ReferralRow {
    pub fn status(&self) -> &'static str {
        if self.converted_at.is_some() { "converted" } else { "registered" }
    }
}

/// One commission ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub workspace_name: String,
    pub plan_name: String,
    pub kind: CommissionKind,
    pub amount_cents: i64,
    pub rule_source: String,
    pub rule_kind: String,
    pub rule_value: i64,
    /// Derived from its hold and its payout at the time of reading.
    pub status: EntryState,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    /// When the hold ends.
    pub available_at: i64,
    /// Billing period (1 = the conversion).
    pub period: i64,
    /// Set on a reversal (negative amount): the entry it reverses.
    pub reverses_id: Option<String>,
    /// The live payout holding it, if any.
    pub payout_id: Option<String>,
}

impl LedgerRow {
    pub fn rule(&self) -> Option<Commission> {
        Commission::from_parts(&self.rule_kind, self.rule_value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutTotals {
    pub partner_id: String,
    pub partner_name: String,
    pub pending_cents: i64,
    pub paid_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerProfile {
    pub partner: PartnerRow,
    pub users: Vec<PartnerUserRow>,
    pub codes: Vec<CodeRow>,
    pub rules: Vec<RuleRow>,
    /// The latest referrals (the first page of the partner's list) and how many in all;
    /// the ledger is its own paginated list (`partner_ledger`).
    pub referrals: crate::model::list::Page<ReferralRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutQueue {
    pub entries: Vec<LedgerRow>,
    pub totals: Vec<PayoutTotals>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAdminRow {
    pub id: String,
    pub name: String,
    pub kind: WorkspaceKind,
    pub created_at: i64,
    pub plan_id: Option<String>,
    pub plan_name: Option<String>,
    pub status: Option<SubscriptionStatus>,
    pub partner_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: String,
    pub workspace_name: String,
    pub plan_name: String,
    pub intended_email: Option<String>,
    /// `expired` is derived from the time.
    pub status: ClaimState,
    pub created_at: i64,
    pub expires_at: i64,
    pub claimed_at: Option<i64>,
}

/// Shown once, right after provisioning: the token is not stored anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedTenant {
    pub id: String,
    pub claim_link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimInfo {
    pub workspace_name: String,
    pub partner_name: String,
    pub plan_name: String,
    /// Why this link can't be claimed (used, revoked, expired), if so.
    pub problem: Option<String>,
    /// The address the partner reserved it for, masked (`j•••@example.com`), when the
    /// signed-in account is another one: the page says so before any click.
    #[serde(default)]
    pub reserved_for_other: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalPayouts {
    pub entries: Vec<LedgerRow>,
    /// Cash not paid yet (held, available, in a payout), net of reversals.
    pub pending_cents: i64,
    pub paid_cents: i64,
    pub balances: Balances,
    pub next: NextPayout,
    pub payouts: Vec<PayoutView>,
}

// ---- Attribution (spec 004) ----

/// Clicks → signups → conversions for one code or listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsRow {
    pub label: String,
    pub clicks: i64,
    pub signups: i64,
    pub conversions: i64,
}

/// One day of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyPoint {
    pub day_start_ms: i64,
    pub clicks: i64,
    pub signups: i64,
    pub conversions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributionStats {
    pub by_code: Vec<StatsRow>,
    pub by_listing: Vec<StatsRow>,
    pub daily: Vec<DailyPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingView {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub price_cents: i64,
    pub published_at: Option<i64>,
    pub creator_name: String,
    pub creator_handle: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLinkRow {
    pub token: String,
    pub listing_id: String,
    pub listing_title: String,
    pub listing_slug: String,
    pub created_at: i64,
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Shown once after creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub id: String,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomDomainRow {
    pub host: String,
    pub brand_name: String,
    pub brand_color: String,
    pub created_at: i64,
    /// Set once the DNS check found the TXT record: only then does the host brand pages
    /// or get CORS. `None` means pending verification.
    pub verified_at: Option<i64>,
    pub last_checked_at: Option<i64>,
    /// Why the last check failed, in words for the partner.
    pub last_error: Option<String>,
    /// The TXT record to publish: name `_tributary.<host>` and its value.
    pub txt_name: String,
    pub txt_value: String,
}

/// How the app presents itself on this host (an agency's custom domain or ours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub name: String,
    pub color: String,
    pub custom: bool,
}

impl Default for Branding {
    fn default() -> Self {
        Self { name: "Tributary".into(), color: "#2158d0".into(), custom: false }
    }
}

/// What an admin's subscription change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionChange {
    /// True when this change converted a referral (first ACTIVE).
    pub converted: bool,
    pub commission_cents: Option<i64>,
}

// ---- Platform credits and invite codes (issue 9) ----

/// One credit ledger entry as its workspace owner (or an admin) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditEntryView {
    pub id: String,
    pub kind: CreditKind,
    pub label: String,
    /// Signed: grants positive, spends and deductions negative.
    pub amount: i64,
    pub reason: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// A workspace's credit balance (the sum of its entries) and its newest entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditSummary {
    pub workspace_id: String,
    pub workspace_name: String,
    pub balance: i64,
    pub entries: Vec<CreditEntryView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceCredits {
    pub workspace_id: String,
    pub workspace_name: String,
    pub balance: i64,
    pub entries: i64,
}

/// What an invite landing shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitePreview {
    pub code: String,
    pub flavor: InviteFlavor,
    pub invitee_credits: i64,
    /// The inviting workspace of a personal code.
    pub referrer: Option<String>,
    pub expires_at: Option<i64>,
    /// The viewer's workspace already redeemed it (or one of its once-only flavor).
    pub redeemed_already: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedeemOutcome {
    pub code: String,
    pub flavor: InviteFlavor,
    pub credits: i64,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteCodeView {
    pub id: String,
    pub code: String,
    pub flavor: InviteFlavor,
    /// Derived from the row and the time.
    pub status: CodeStatus,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub remaining: Option<i64>,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
    pub expires_at: Option<i64>,
    pub metadata: Vec<(String, String)>,
    /// The owning workspace, or the admin who minted it.
    pub referrer: String,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRedemptionView {
    pub id: String,
    pub code: String,
    pub workspace_name: String,
    pub user_email: String,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
    pub created_at: i64,
    pub first_paid_at: Option<i64>,
}

/// How far one invitee of a personal code got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteeProgress {
    /// The invitee's address, masked (`a•••@example.com`).
    pub who: String,
    pub code: String,
    pub stage: InviteeStage,
    pub workspace_name: Option<String>,
    pub since: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalInvites {
    pub codes: Vec<InviteCodeView>,
    pub invitees: Vec<InviteeProgress>,
    pub active: i64,
    pub cap: i64,
    pub max_uses_cap: i64,
    pub max_credits_cap: i64,
    pub default_invitee_credits: i64,
    pub inviter_credits: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlavorDefaults {
    pub flavor: InviteFlavor,
    pub label: String,
    pub prefix: String,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
}

/// The platform's bounds for personal codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalLimits {
    pub max_uses_cap: i64,
    pub max_credits_cap: i64,
    pub active_per_workspace: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintResult {
    pub codes: Vec<String>,
    /// Messages queued in the outbox.
    pub emailed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub status: MailStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

// ---- Earnings & payouts (issue #11) ----

/// A partner's balances, derived from ledger entries and payouts (never stored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balances {
    /// Cash entries still in their hold period.
    pub on_hold_cents: i64,
    /// Payable now, after clawbacks (never below zero; see `carry_over_cents`).
    pub available_cents: i64,
    /// In a payout that is pending or processing.
    pub in_payout_cents: i64,
    /// Lifetime paid.
    pub paid_cents: i64,
    /// Lifetime reversed by refunds (positive).
    pub reversed_cents: i64,
    /// Reversals beyond what is left to pay (≤ 0): deducted from the next payouts.
    pub carry_over_cents: i64,
    /// Lifetime cash earned before reversals.
    pub earned_cents: i64,
    /// Credit commissions (platform credits, 1 credit = 1 cent), net of reversals.
    pub credit_cents: i64,
}

/// When the next payout is expected, or what blocks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextPayout {
    /// `2026-12-01` (platform time zone), when a date can be said.
    pub date: Option<String>,
    pub amount_cents: i64,
    pub method: String,
    /// e.g. "Your balance $32.00 is below your $50.00 threshold."
    pub blocker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutView {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub run_id: Option<String>,
    pub amount_cents: i64,
    pub currency: String,
    pub method: String,
    pub status: PayoutStatus,
    pub period: String,
    pub external_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub items: i64,
    /// What the external rail (Stripe, PayPal) says about it; admin list only.
    #[serde(default)]
    pub rail: Option<crate::model::rails::RailReference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutItemView {
    pub commission_id: String,
    pub amount_cents: i64,
    pub workspace_name: String,
    pub plan_name: String,
    pub period: i64,
    pub is_clawback: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutWithItems {
    pub payout: PayoutView,
    pub items: Vec<PayoutItemView>,
}

/// One partner on Admin → Payouts (due now, upcoming, held, negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPayoutLine {
    pub partner_id: String,
    pub partner_name: String,
    pub on_hold_cents: i64,
    /// After clawbacks: negative when reversals exceed what is open (carried over).
    pub available_cents: i64,
    pub threshold_cents: i64,
    pub frequency: String,
    pub method: String,
    pub next: NextPayout,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub id: String,
    pub started_from: String,
    pub status: String,
    pub payouts_created: i64,
    pub total_cents: i64,
    pub skipped: i64,
    pub failed: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

/// What a run did (or that another runner was at work).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    pub run_id: Option<String>,
    pub payouts_created: i64,
    pub total_cents: i64,
    /// Another runner held the lease: this one did nothing.
    pub busy: bool,
}

/// One line of the Run now preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub partner_id: String,
    pub partner_name: String,
    pub amount_cents: i64,
    pub method: String,
    pub frequency: String,
    /// Paid by a run now unless excluded (manual partners must be included).
    pub due: bool,
    pub blocker: Option<String>,
}

/// Admin → Payouts' lists and recent runs (the payouts themselves page separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPayouts {
    pub due: Vec<PartnerPayoutLine>,
    pub upcoming: Vec<PartnerPayoutLine>,
    pub held: Vec<PartnerPayoutLine>,
    pub negative: Vec<PartnerPayoutLine>,
    pub runs: Vec<RunView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: String,
    pub period: i64,
    pub amount_cents: i64,
    pub refunded_cents: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingOutcome {
    pub event_id: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub entries_created: u32,
}

// ---- The admin overview and the partner home (issue 13) ----

/// A figure over the chosen window and over the window before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: i64,
    pub previous: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewDay {
    pub day_start_ms: i64,
    pub clicks: i64,
    pub signups: i64,
    pub conversions: i64,
    pub commission_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopPartner {
    pub partner_id: String,
    pub partner_name: String,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityItem {
    pub kind: crate::domain::roles::ActivityKind,
    pub at: i64,
    pub partner_id: String,
    pub partner_name: String,
    pub subject: Option<String>,
    pub amount_cents: Option<i64>,
}

/// `/admin`: the program over a window of `period_days` (the last days up to now, or a
/// custom range of whole days), against the window of the same length before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub period: crate::domain::period::Period,
    pub period_days: i64,
    pub from_ms: i64,
    pub to_ms: i64,
    pub clicks: Figure,
    pub signups: Figure,
    pub conversions: Figure,
    /// Conversions per signup in the window, in basis points.
    pub conversion_rate_bps: Figure,
    pub billed_cents: Figure,
    pub commission_cents: Figure,
    pub mrr_cents: i64,
    pub active_referred: i64,
    pub payouts_due_cents: i64,
    pub payouts_due: i64,
    pub next_run_cents: i64,
    pub awaiting_approval: i64,
    pub daily: Vec<OverviewDay>,
    pub top_by_revenue: Vec<TopPartner>,
    pub top_by_conversions: Vec<TopPartner>,
    pub activity: Vec<ActivityItem>,
}

/// One step of a new partner's getting-started checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistStep {
    pub key: String,
    pub label: String,
    pub href: String,
    pub done: bool,
}

/// `/partners`: what a partner wants first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerHome {
    pub name: String,
    /// The payout ledger's one balance query.
    pub balances: Balances,
    pub next: NextPayout,
    /// The default code's shareable link, when it is enabled.
    pub primary_link: Option<String>,
    /// The last 30 days (the Analytics page's series).
    pub daily: Vec<DailyPoint>,
    pub recent: Vec<ReferralRow>,
    /// Empty once every step is done.
    pub checklist: Vec<ChecklistStep>,
}
