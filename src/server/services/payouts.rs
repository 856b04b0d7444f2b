//! Balances, payout runs and marking payouts paid or failed (DOMAIN decisions 12–16).
//!
//! A run takes the lease row (a conditional update), then pays the due partners in
//! batches, each in one write transaction: insert the payouts under their (partner,
//! period) keys, gather each partner's available entries into its payout, and commit only
//! if every payout reaches its partner's threshold. Killing the process anywhere loses at
//! most an uncommitted batch; a second runner meanwhile finds the lease taken, and even
//! without it the keys and the unique live-item index would refuse a second payout.
use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};

use super::rails;
use crate::domain::money::Cents;
use crate::domain::payouts::{LocalDate, PayoutDecision, PayoutFrequency, PayoutMethod, decide};
use crate::model::AppError;
use crate::model::types::{
    AdminPayouts, Balances, NextPayout, PartnerPayoutLine, PayoutItemView, PayoutView, PayoutWithItems,
    PreviewLine, RunSummary, RunView,
};
use crate::server::db::payouts::{
    self as db_payouts, BalanceRow, NewPayout, OverviewList, PartnerBalanceRow, PayoutRow, PeriodKeys,
};
use crate::server::db::{Db, new_id, platform_settings, rollups};

/// How long a runner may hold the lease before another may take over (a crashed runner
/// never releases it).
pub const LEASE_MS: i64 = 5 * 60 * 1000;
const LIST: usize = 50;

/// The one place a partner's balances are computed; other features (partner running
/// stats) call this.
pub async fn balances(db: &Db, partner_id: &str) -> Result<Balances, AppError> {
    Ok(to_balances(&db_payouts::balances(&db.pool, partner_id, db.now_ms()).await?))
}

pub fn to_balances(r: &BalanceRow) -> Balances {
    Balances {
        on_hold_cents: r.on_hold_cents,
        available_cents: r.available_cents.max(0),
        in_payout_cents: r.in_payout_cents,
        paid_cents: r.paid_cents,
        reversed_cents: r.reversed_cents,
        carry_over_cents: r.available_cents.min(0),
        earned_cents: r.earned_cents,
        credit_cents: r.credit_cents,
    }
}

/// Where a run is started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartedFrom {
    Scheduler,
    Admin,
    Cli,
}

impl StartedFrom {
    fn as_str(self) -> &'static str {
        match self {
            StartedFrom::Scheduler => "scheduler",
            StartedFrom::Admin => "admin",
            StartedFrom::Cli => "cli",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunRequest {
    pub started_from: StartedFrom,
    pub started_by: Option<String>,
    /// Partners left out of this run (their balance rolls forward).
    pub exclude: Vec<String>,
    /// Manual-frequency partners the admin includes in this run.
    pub include: Vec<String>,
}

impl RunRequest {
    pub fn scheduled(from: StartedFrom) -> RunRequest {
        RunRequest { started_from: from, started_by: None, exclude: Vec::new(), include: Vec::new() }
    }
}

/// Crash injection for tests: the run fails (as a killed process would stop) before the
/// N-th statement, leaving the lease held and any open transaction uncommitted. Or it
/// pauses there: it meets the test at a barrier, lets the test change the data, and goes on
/// after meeting it again.
#[derive(Debug, Default)]
pub struct Faults {
    fail_at: Option<u32>,
    pause_at: Option<(u32, std::sync::Arc<tokio::sync::Barrier>)>,
    steps: AtomicU32,
}

impl Faults {
    pub fn none() -> Faults {
        Faults::default()
    }

    pub fn fail_at(step: u32) -> Faults {
        Faults { fail_at: Some(step), ..Faults::default() }
    }

    /// Pauses before the `step`-th statement at `barrier` (of two), twice.
    pub fn pause_at(step: u32, barrier: std::sync::Arc<tokio::sync::Barrier>) -> Faults {
        Faults { pause_at: Some((step, barrier)), ..Faults::default() }
    }

    async fn step(&self) -> Result<(), AppError> {
        let n = self.steps.fetch_add(1, Ordering::SeqCst);
        if let Some((at, barrier)) = &self.pause_at
            && *at == n
        {
            barrier.wait().await;
            barrier.wait().await;
        }
        if self.fail_at == Some(n) { Err(AppError::Conflict("injected crash".into())) } else { Ok(()) }
    }

    /// How many crash points the run passed (every one, for a run that did not crash).
    pub fn steps_taken(&self) -> u32 {
        self.steps.load(Ordering::SeqCst)
    }

    /// Whether the injected crash happened.
    pub fn fired(&self) -> bool {
        self.fail_at.is_some_and(|f| self.steps.load(Ordering::SeqCst) > f)
    }
}

pub async fn run(db: &Db, req: &RunRequest) -> Result<RunSummary, AppError> {
    run_with_faults(db, req, &Faults::none()).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn run_with_faults(db: &Db, req: &RunRequest, faults: &Faults) -> Result<RunSummary, AppError> {
    let now = db.now_ms();
    let run_id = new_id();
    faults.step().await?;
    if !db_payouts::claim_lease(&db.pool, db_payouts::Lease::Run, &run_id, now, now + LEASE_MS).await? {
        return Ok(RunSummary { run_id: None, payouts_created: 0, total_cents: 0, busy: true });
    }
    let result = work(db, req, &run_id, now, faults).await;
    if !faults.fired() {
        db_payouts::release_lease(&db.pool, db_payouts::Lease::Run, &run_id).await?;
    }
    result
}

async fn work(
    db: &Db,
    req: &RunRequest,
    run_id: &str,
    now: i64,
    faults: &Faults,
) -> Result<RunSummary, AppError> {
    faults.step().await?;
    db_payouts::start_run(&db.pool, run_id, req.started_from.as_str(), req.started_by.as_deref(), now)
        .await?;
    let today = today(db, now).await?;
    faults.step().await?;
    let candidates = db_payouts::payable(&db.pool, now).await?;
    let mut skipped = 0;
    let mut due = Vec::new();
    for c in &candidates {
        match payable_key(c, today, req) {
            Ok(key) => due.push(Due::new(c, key)?),
            Err(_) => skipped += 1,
        }
    }
    for batch in due.chunks(BATCH) {
        faults.step().await?;
        let created = pay_batch(db, run_id, batch, now, faults).await?;
        skipped += (batch.len() - created) as i64;
    }
    faults.step().await?;
    db_payouts::finish_run(&db.pool, run_id, skipped, db.now_ms()).await?;
    let run = db_payouts::run(&db.pool, run_id).await?.ok_or(AppError::Internal)?;
    Ok(RunSummary {
        run_id: Some(run_id.to_string()),
        payouts_created: run.payouts_created,
        total_cents: run.total_cents,
        busy: false,
    })
}

/// The partner's payout key for this run, or why it is not paid now.
fn payable_key(c: &PartnerBalanceRow, today: LocalDate, req: &RunRequest) -> Result<String, String> {
    if req.exclude.contains(&c.partner_id) {
        return Err("Excluded from this run.".into());
    }
    if let Some(blocker) = blocker(c, today) {
        let manual_included = blocker == MANUAL && req.include.contains(&c.partner_id);
        if !manual_included {
            return Err(blocker);
        }
    }
    let frequency = PayoutFrequency::parse(&c.payout_frequency).unwrap_or(PayoutFrequency::Monthly);
    Ok(frequency.period_key(&c.partner_id, today))
}

const MANUAL: &str = "Paid when an admin includes you in a run (manual schedule).";

/// What keeps this partner's available balance from being paid by a run today.
fn blocker(c: &PartnerBalanceRow, today: LocalDate) -> Option<String> {
    let _ = today;
    if c.eligible == 0 {
        return Some(if c.partner_status == crate::domain::partner::PartnerState::Suspended {
            "Your partner account is suspended, so payouts are on hold.".to_string()
        } else {
            "Your partner account is not approved yet, so payouts are on hold.".to_string()
        });
    }
    if let Err(reason) = rails::ready(&c.payout_method, c.payout_details.as_deref()) {
        return Some(reason);
    }
    if let PayoutDecision::RollForward { balance, threshold } =
        decide(Cents(c.available_cents), Cents(c.payout_threshold_cents))
    {
        return Some(if balance.get() < 0 {
            format!("A clawback of {} is deducted from your next payouts first.", Cents(-balance.get()))
        } else if balance.get() == 0 {
            "Nothing is available to pay yet.".to_string()
        } else {
            format!("Your balance {balance} is below your {threshold} threshold.")
        });
    }
    if PayoutFrequency::parse(&c.payout_frequency) == Some(PayoutFrequency::Manual) {
        return Some(MANUAL.into());
    }
    None
}

/// Due partners paid per transaction. A batch is five statements whatever its size (a
/// transaction per partner made the bench's run 10,000 commits), small enough that the
/// write lock is held for a fraction of a second, and a crash loses one uncommitted batch.
const BATCH: usize = 200;

/// A partner the run pays, with the payout it would create.
struct Due<'a> {
    partner: &'a PartnerBalanceRow,
    payout_id: String,
    method: PayoutMethod,
    status: &'static str,
    key: String,
}

impl<'a> Due<'a> {
    fn new(partner: &'a PartnerBalanceRow, key: String) -> Result<Due<'a>, AppError> {
        let method = PayoutMethod::parse(&partner.payout_method).ok_or(AppError::Internal)?;
        let status = rails::rail(method).ok_or(AppError::Internal)?.initial_status().as_str();
        Ok(Due { partner, payout_id: new_id(), method, status, key })
    }

    fn new_payout<'b>(&'b self, run_id: &'b str) -> NewPayout<'b> {
        NewPayout {
            id: &self.payout_id,
            partner_id: &self.partner.partner_id,
            run_id: Some(run_id),
            method: self.method.as_str(),
            status: self.status,
            period: self.key.rsplit(':').next().unwrap_or_default(),
            key: &self.key,
        }
    }

    fn reaches_threshold(&self, amount: i64) -> bool {
        matches!(decide(Cents(amount), Cents(self.partner.payout_threshold_cents)), PayoutDecision::Pay(_))
    }
}

/// Pays one batch of due partners in one transaction and returns how many payouts it
/// created (a period that already has its payout creates none). A partner whose sum misses
/// its threshold (an entry changed after the candidates were read) is left out and the
/// batch is done again without it, so no payout below a threshold is ever kept. Every
/// statement reads one snapshot, so each payout's amount is exactly what it gathers.
async fn pay_batch(
    db: &Db,
    run_id: &str,
    batch: &[Due<'_>],
    now: i64,
    faults: &Faults,
) -> Result<usize, AppError> {
    let mut due: Vec<&Due> = batch.iter().collect();
    loop {
        let mut tx = db.begin_snapshot().await?;
        rollups::hold_open_cash(&mut tx, db.backend).await?;
        faults.step().await?;
        let payouts: Vec<NewPayout> = due.iter().map(|d| d.new_payout(run_id)).collect();
        let created = db_payouts::create(&mut tx, db.backend, &payouts, now).await?;
        let short: HashSet<String> = created
            .iter()
            .filter(|(id, amount)| due.iter().any(|d| d.payout_id == *id && !d.reaches_threshold(*amount)))
            .map(|(id, _)| id.clone())
            .collect();
        if !short.is_empty() {
            // Dropping `tx` rolls the batch back; the rest is paid without the short ones.
            due.retain(|d| !short.contains(&d.payout_id));
            continue;
        }
        faults.step().await?;
        let gathered: Vec<(&str, &str)> = due
            .iter()
            .filter(|d| created.iter().any(|(id, _)| *id == d.payout_id))
            .map(|d| (d.payout_id.as_str(), d.partner.partner_id.as_str()))
            .collect();
        db_payouts::gather(&mut tx, db.backend, &gathered, now).await?;
        faults.step().await?;
        tx.commit().await?;
        return Ok(created.len());
    }
}

/// Today in the platform's time zone.
async fn today(db: &Db, now: i64) -> Result<LocalDate, AppError> {
    let settings = platform_settings::get(&db.pool).await?;
    Ok(crate::server::tz::local_date(now, &settings.time_zone))
}

/// What a run started now would pay, partner by partner.
pub async fn preview(db: &Db) -> Result<Vec<PreviewLine>, AppError> {
    let now = db.now_ms();
    let today = today(db, now).await?;
    let taken = taken_keys(db, today).await?;
    let nobody = RunRequest::scheduled(StartedFrom::Admin);
    Ok(db_payouts::payable(&db.pool, now)
        .await?
        .iter()
        .map(|c| {
            let key = payable_key(c, today, &nobody);
            let already = key.as_ref().is_ok_and(|k| taken.contains(k));
            PreviewLine {
                partner_id: c.partner_id.clone(),
                partner_name: c.partner_name.clone(),
                amount_cents: c.available_cents,
                method: c.payout_method.clone(),
                frequency: c.payout_frequency.clone(),
                due: key.is_ok() && !already,
                blocker: match (key, already) {
                    (Err(b), _) => Some(b),
                    (Ok(_), true) => Some("Already paid this period; the balance rolls forward.".into()),
                    _ => None,
                },
            }
        })
        .collect())
}

/// Keys of payouts made since the start of this quarter (covers every current period).
async fn taken_keys(db: &Db, today: LocalDate) -> Result<HashSet<String>, AppError> {
    let quarter = PayoutFrequency::Quarterly.period_start(today).unwrap_or(today);
    let week = PayoutFrequency::Weekly.period_start(today).unwrap_or(today);
    let since = (quarter.min(week).days() - 1) * crate::server::db::DAY_MS;
    Ok(db_payouts::keys_since(&db.pool, since).await?.into_iter().collect())
}

/// Marks a payout paid with the rail's reference. Paying a paid payout changes nothing.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn mark_paid(db: &Db, admin_id: &str, payout_id: &str, reference: &str) -> Result<bool, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    match db_payouts::payout(&mut *tx, payout_id).await? {
        None => return Err(AppError::NotFound),
        Some(p) => rails::admin_may_decide(&p.method)?,
    }
    let changed = db_payouts::mark_paid(&mut *tx, payout_id, reference, admin_id, now).await?;
    tx.commit().await?;
    if changed {
        notify_payout_sent(db, payout_id).await;
    }
    Ok(changed)
}

/// Marks a payout failed with the reason; its entries return to the balance.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn mark_failed(db: &Db, admin_id: &str, payout_id: &str, reason: &str) -> Result<bool, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    match db_payouts::payout(&mut *tx, payout_id).await? {
        None => return Err(AppError::NotFound),
        Some(p) => rails::admin_may_decide(&p.method)?,
    }
    let changed = db_payouts::mark_failed(&mut *tx, payout_id, reason, admin_id, now).await?;
    if changed {
        db_payouts::release_items(&mut tx, payout_id).await?;
    }
    tx.commit().await?;
    if changed {
        notify_payout_failed(db, payout_id).await;
    }
    Ok(changed)
}

/// The partner is told a payout was sent: one message per address, keyed by the payout,
/// so calling this again (a retried request, a second admin) mails nobody twice.
pub async fn notify_payout_sent(db: &Db, payout_id: &str) {
    notify_payout(db, payout_id, "sent").await;
}

/// The partner is told a payout failed and why (see [`notify_payout_sent`]).
pub async fn notify_payout_failed(db: &Db, payout_id: &str) {
    notify_payout(db, payout_id, "failed").await;
}

/// Mail is not worth failing a payout decision that already committed: a problem here is
/// logged, and the payout stays as decided.
async fn notify_payout(db: &Db, payout_id: &str, outcome: &'static str) {
    if let Err(e) = enqueue_payout_mail(db, payout_id, outcome).await {
        tracing::error!(error = %e, payout_id, outcome, "payout email not queued");
    }
}

async fn enqueue_payout_mail(db: &Db, payout_id: &str, outcome: &'static str) -> Result<(), sqlx::Error> {
    let Some(p) = crate::server::db::payouts::payout(&db.pool, payout_id).await? else { return Ok(()) };
    let amount = crate::domain::money::Cents(p.amount_cents).to_string();
    let (subject, body) = match outcome {
        "sent" => (
            format!("Payout of {amount} sent"),
            format!(
                "We sent you {amount} ({} payout, reference {}). Your statement is on /partners/payouts.",
                p.method,
                p.external_reference.as_deref().unwrap_or("—")
            ),
        ),
        _ => (
            format!("Payout of {amount} failed"),
            format!(
                "Your payout of {amount} failed: {}. The amount is back in your balance and goes \
                 out with your next payout. Check your payout details on /partners/settings.",
                p.failure_reason.as_deref().unwrap_or("no reason given")
            ),
        ),
    };
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    for email in crate::server::db::partners::notification_emails(&mut *tx, &p.partner_id).await? {
        let key = format!("payout-{outcome}:{payout_id}:{email}");
        crate::server::mail::enqueue_in_tx(&mut tx, now, &email, &subject, &body, &key).await?;
    }
    tx.commit().await?;
    crate::server::mail::wake();
    Ok(())
}

pub fn payout_view(r: PayoutRow) -> PayoutView {
    PayoutView {
        id: r.id,
        partner_id: r.partner_id,
        partner_name: r.partner_name,
        run_id: r.run_id,
        amount_cents: r.amount_cents,
        currency: r.currency,
        method: r.method,
        status: r.status,
        period: r.period,
        external_reference: r.external_reference,
        failure_reason: r.failure_reason,
        created_at: r.created_at,
        paid_at: r.paid_at,
        items: r.items,
        rail: None,
    }
}

/// One payout with its entries; `partner_id` limits it to that partner's (portal).
pub async fn with_items(
    db: &Db,
    payout_id: &str,
    partner_id: Option<&str>,
) -> Result<PayoutWithItems, AppError> {
    let payout = db_payouts::payout(&db.pool, payout_id).await?.ok_or(AppError::NotFound)?;
    if partner_id.is_some_and(|p| p != payout.partner_id) {
        return Err(AppError::NotFound);
    }
    let items = db_payouts::items(&db.pool, payout_id)
        .await?
        .into_iter()
        .map(|i| PayoutItemView {
            commission_id: i.commission_id,
            amount_cents: i.amount_cents,
            workspace_name: i.workspace_name,
            plan_name: i.plan_name,
            period: i.period,
            is_clawback: i.reverses_id.is_some(),
            created_at: i.created_at,
        })
        .collect();
    Ok(PayoutWithItems { payout: payout_view(payout), items })
}

/// When this partner's next payout is expected, or what blocks it.
pub fn next_payout(c: &PartnerBalanceRow, today: LocalDate, paid_this_period: bool) -> NextPayout {
    let frequency = PayoutFrequency::parse(&c.payout_frequency).unwrap_or(PayoutFrequency::Monthly);
    let blocker = blocker(c, today);
    let date = match (&blocker, paid_this_period) {
        (None, false) => Some(today),
        _ => frequency.next_due(today),
    };
    NextPayout {
        date: date.map(|d| d.to_string()),
        amount_cents: c.available_cents.max(0),
        method: PayoutMethod::parse(&c.payout_method).map(|m| m.label()).unwrap_or("—").to_string(),
        blocker,
    }
}

/// The next payout of one partner (portal), from the same row the runs read.
pub async fn next_for_partner(db: &Db, partner_id: &str, now: i64) -> Result<NextPayout, AppError> {
    let row = db_payouts::partner_balance(&db.pool, partner_id, now).await?.ok_or(AppError::NotFound)?;
    let today = today(db, now).await?;
    let frequency = PayoutFrequency::parse(&row.payout_frequency).unwrap_or(PayoutFrequency::Monthly);
    let key = frequency.period_key(partner_id, today);
    let paid = db_payouts::key_taken(&db.pool, &key).await?;
    Ok(next_payout(&row, today, paid))
}

/// Up to how many candidates an overview list reads them first and sorts them by name
/// (`db_payouts::Reading`). In the volume bench a candidate read this way cost about 3.5 µs
/// and a partner walked in name order 0.6–1 µs, so 2,000 candidates cost about what a walk
/// over 7,000–10,000 partners does.
pub const FEW_CANDIDATES: i64 = 2_000;

/// The first [`LIST`] partners of one overview list in name order. The query's filter is
/// the list's necessary condition; the classification here is the exact one (the runs'
/// own), so windows are read until the list is full or the partners run out.
async fn overview_list(
    db: &Db,
    list: OverviewList,
    now: i64,
    today: LocalDate,
) -> Result<Vec<PartnerPayoutLine>, AppError> {
    const WINDOW: i64 = 2 * LIST as i64;
    let keys = PeriodKeys {
        weekly: PayoutFrequency::Weekly.period_key_suffix(today),
        monthly: PayoutFrequency::Monthly.period_key_suffix(today),
        quarterly: PayoutFrequency::Quarterly.period_key_suffix(today),
        manual: PayoutFrequency::Manual.period_key_suffix(today),
    };
    let nobody = RunRequest::scheduled(StartedFrom::Admin);
    let reading = db_payouts::reading(&db.pool, list, now, &keys, FEW_CANDIDATES).await?;
    let mut lines = Vec::new();
    let mut after = (String::new(), String::new());
    loop {
        let rows =
            db_payouts::overview_window(&db.pool, (list, reading), now, &keys, (&after.0, &after.1), WINDOW)
                .await?;
        let last_window = (rows.len() as i64) < WINDOW;
        for row in rows {
            let c = row.balance;
            after = (c.partner_name.clone(), c.partner_id.clone());
            let key = payable_key(&c, today, &nobody);
            let paid = key.is_ok() && row.taken != 0;
            let due = key.is_ok() && !paid;
            let belongs = match list {
                OverviewList::Due => due,
                OverviewList::Upcoming => !due && c.available_cents > 0,
                OverviewList::Held => c.on_hold_cents != 0,
                OverviewList::Negative => c.available_cents < 0,
            };
            if belongs {
                lines.push(payout_line(&c, next_payout(&c, today, paid)));
                if lines.len() == LIST {
                    return Ok(lines);
                }
            }
        }
        if last_window {
            return Ok(lines);
        }
    }
}

fn payout_line(c: &PartnerBalanceRow, next: NextPayout) -> PartnerPayoutLine {
    PartnerPayoutLine {
        partner_id: c.partner_id.clone(),
        partner_name: c.partner_name.clone(),
        on_hold_cents: c.on_hold_cents,
        available_cents: c.available_cents,
        threshold_cents: c.payout_threshold_cents,
        frequency: c.payout_frequency.clone(),
        method: c.payout_method.clone(),
        next,
    }
}

/// Admin → Payouts: partners due now, upcoming, held and negative, and the recent runs (the
/// payouts themselves page separately, `ledger::payouts_page`).
pub async fn admin_overview(db: &Db) -> Result<AdminPayouts, AppError> {
    let now = db.now_ms();
    let today = today(db, now).await?;
    let (due, upcoming, held, negative) = tokio::try_join!(
        overview_list(db, OverviewList::Due, now, today),
        overview_list(db, OverviewList::Upcoming, now, today),
        overview_list(db, OverviewList::Held, now, today),
        overview_list(db, OverviewList::Negative, now, today),
    )?;
    let runs = db_payouts::runs(&db.pool, 10, 0)
        .await?
        .into_iter()
        .map(|r| RunView {
            id: r.id,
            started_from: r.started_from,
            status: r.status,
            payouts_created: r.payouts_created,
            total_cents: r.total_cents,
            skipped: r.skipped,
            failed: r.failed,
            started_at: r.started_at,
            finished_at: r.finished_at,
        })
        .collect();
    Ok(AdminPayouts { due, upcoming, held, negative, runs })
}
