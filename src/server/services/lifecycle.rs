//! The partner service for the lifecycle: applications, reapplications and every state
//! change (approve, reject, suspend, reinstate), each recorded with who, when and why.
//! The gate itself is `eligible_partner!()`; this is the only code that moves a partner
//! across it.
use super::Shared;
use crate::domain::dates::format_date;
use crate::domain::names::DisplayName;
use crate::domain::partner::{
    PartnerAction, PartnerState, ReasonCode, may_reapply, reapply_at, transition, what_to_do,
};
use crate::domain::roles::WorkspaceKind;
use crate::model::AppError;
use crate::model::lifecycle::{PartnerQueueEntry, PartnerRunningStats, PartnerStateView};
use crate::model::list::{ListQuery, Page};
use crate::model::types::Viewer;
use crate::server::db::lifecycle::{self, Application, LifecycleRow, NewApplicant, StateChange};
use crate::server::db::{Db, Tx, new_id, partner_stats, platform_settings, workspaces};

/// What a state change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Moved to this state now (and recorded once).
    Now(PartnerState),
    /// Already in the state the action leads to (someone else did it): nothing recorded.
    Already(PartnerState),
}

/// Why a state changed: a reason code (required to reject or suspend) and a note.
#[derive(Debug, Clone, Default)]
pub struct Why {
    pub reason: Option<ReasonCode>,
    pub note: Option<String>,
}

/// The one door for admin state changes. The update is conditional on the state it
/// leaves, so approving twice, or two admins at once, records one approval.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn change_state(
    db: &Db,
    actor_id: &str,
    partner_id: &str,
    action: PartnerAction,
    why: &Why,
) -> Result<Changed, AppError> {
    if action == PartnerAction::Reapply {
        return Err(AppError::Forbidden);
    }
    if action.needs_reason() && why.reason.is_none() {
        return Err(AppError::invalid("reason_code", "Choose a reason: the partner will see it."));
    }
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let row = lifecycle::by_id(&mut *tx, partner_id).await?.ok_or(AppError::NotFound)?;
    let from = row.status;
    let to = match transition(from, action) {
        Ok(to) => to,
        Err(_) if already_done(from, action) => return Ok(Changed::Already(from)),
        Err(refused) => return Err(AppError::Conflict(refused.to_string())),
    };
    let change = StateChange {
        partner_id,
        from: from.as_str(),
        to: to.as_str(),
        actor_id: Some(actor_id),
        reason_code: why.reason.map(ReasonCode::as_str),
        note: why.note.as_deref().filter(|n| !n.is_empty()),
        now,
    };
    if !lifecycle::change_state(&mut *tx, &change).await? {
        // Another admin moved it between our read and our update (Postgres): re-read.
        drop(tx);
        let row = lifecycle::by_id(&db.pool, partner_id).await?.ok_or(AppError::NotFound)?;
        let current = row.status;
        return if current == to {
            Ok(Changed::Already(current))
        } else {
            Err(AppError::Conflict("This partner changed meanwhile; reload and try again.".into()))
        };
    }
    lifecycle::record_state_change(&mut *tx, &change).await?;
    notify_partner_state_changed(&mut tx, partner_id, from, to, now).await?;
    tx.commit().await?;
    crate::server::mail::wake();
    Ok(Changed::Now(to))
}

/// Approving an approved partner, suspending a suspended one…: the goal is reached.
fn already_done(from: PartnerState, action: PartnerAction) -> bool {
    matches!(
        (from, action),
        (PartnerState::Approved, PartnerAction::Approve | PartnerAction::Reinstate)
            | (PartnerState::Rejected, PartnerAction::Reject)
            | (PartnerState::Suspended, PartnerAction::Suspend)
    )
}

/// Tells the partner's people about a state change, through the outbox in the same
/// transaction that changed the state (one message per address and change, keyed, so a
/// retried request never mails twice). The background sender delivers it.
pub async fn notify_partner_state_changed(
    tx: &mut Tx,
    partner_id: &str,
    from: PartnerState,
    to: PartnerState,
    at: i64,
) -> Result<(), AppError> {
    let Some((subject, body)) = state_mail(to) else { return Ok(()) };
    for email in crate::server::db::partners::notification_emails(&mut **tx, partner_id).await? {
        let key = format!("partner-state:{partner_id}:{}:{}:{at}:{email}", from.as_str(), to.as_str());
        crate::server::mail::enqueue_in_tx(tx, at, &email, subject, body, &key).await?;
    }
    Ok(())
}

/// The message for a partner that entered `to`, if that state is worth an email.
fn state_mail(to: PartnerState) -> Option<(&'static str, &'static str)> {
    match to {
        PartnerState::Approved => Some((
            "Your partner account is approved",
            "Welcome to the partner program: your partner account is approved.\n\n\
             Sign in and open your partner portal at /partners to get your referral link.",
        )),
        PartnerState::Rejected => Some((
            "About your partner application",
            "Your partner application was not approved. Sign in and open /partners to see \
             the reason and when you can apply again.",
        )),
        PartnerState::Suspended => Some((
            "Your partner account is suspended",
            "Your partner account is suspended: your referral links no longer attribute. \
             Sign in and open /partners to see why.",
        )),
        PartnerState::Pending => None,
    }
}

/// What someone applying through `/partners/apply` tells us.
pub struct ApplicationInput {
    pub name: DisplayName,
    pub website: Option<String>,
    pub promotion: String,
    pub payout_country: String,
}

/// A signed-in user applies: a new workspace of kind `partner` with the user as owner,
/// and a `pending` partner with the platform's defaults and a default code (which does
/// not validate until approval). A rejected applicant reapplies on the same record once
/// the platform's wait is over. Returns the partner id.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn apply(db: &Db, viewer: &Viewer, input: &ApplicationInput) -> Result<String, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let application = Application {
        website: input.website.as_deref(),
        promotion: &input.promotion,
        payout_country: &input.payout_country,
    };
    if let Some(existing) = lifecycle::for_user(&mut *tx, &viewer.user_id).await? {
        let wait_days = platform_settings::get(&mut *tx).await?.reapply_wait_days;
        return match existing.status {
            PartnerState::Rejected => {
                let rejected_at = existing.status_changed_at.unwrap_or(0);
                if !may_reapply(rejected_at, wait_days, now) {
                    let when = format_date(reapply_at(rejected_at, wait_days));
                    return Err(AppError::Refused(format!("You can apply again from {when}.")));
                }
                let rejected_before = now - wait_days.max(0) * crate::server::db::DAY_MS;
                let name = input.name.as_str();
                if !lifecycle::reapply(&mut *tx, &existing.id, name, &application, rejected_before, now)
                    .await?
                {
                    return Err(AppError::Conflict("Your application changed meanwhile; reload.".into()));
                }
                let change = StateChange {
                    partner_id: &existing.id,
                    from: PartnerState::Rejected.as_str(),
                    to: PartnerState::Pending.as_str(),
                    actor_id: Some(&viewer.user_id),
                    reason_code: None,
                    note: Some("Reapplied"),
                    now,
                };
                lifecycle::record_state_change(&mut *tx, &change).await?;
                tx.commit().await?;
                Ok(existing.id)
            }
            PartnerState::Pending => {
                Err(AppError::Conflict("Your application is already being reviewed.".into()))
            }
            PartnerState::Approved | PartnerState::Suspended => {
                Err(AppError::Conflict("You're already a partner: open the partner portal.".into()))
            }
        };
    }
    let (partner_id, workspace_id) = (new_id(), new_id());
    workspaces::insert(&mut *tx, &workspace_id, input.name.as_str(), WorkspaceKind::Partner, now).await?;
    workspaces::add_member(&mut *tx, &workspace_id, &viewer.user_id, "owner", now).await?;
    let applicant = NewApplicant {
        id: &partner_id,
        workspace_id: &workspace_id,
        name: input.name.as_str(),
        contact_email: &viewer.email,
        user_id: &viewer.user_id,
        application,
        now,
    };
    if let Err(e) = lifecycle::insert_applicant(&mut tx, &applicant).await {
        return Err(if crate::server::db::is_unique_violation(&e) {
            AppError::Conflict("Your application is already being reviewed.".into())
        } else {
            e.into()
        });
    }
    super::partners::add_default_code(&mut tx, &partner_id, input.name.as_str(), now).await?;
    let change = StateChange {
        partner_id: &partner_id,
        from: "",
        to: PartnerState::Pending.as_str(),
        actor_id: Some(&viewer.user_id),
        reason_code: None,
        note: Some("Applied"),
        now,
    };
    lifecycle::record_state_change(&mut *tx, &change).await?;
    tx.commit().await?;
    Ok(partner_id)
}

fn view(row: LifecycleRow, wait_days: i64, now: i64) -> Result<PartnerStateView, AppError> {
    let state = row.status;
    let reason = row.status_reason.as_deref().and_then(ReasonCode::parse);
    let rejected_at = (state == PartnerState::Rejected).then(|| row.status_changed_at.unwrap_or(0));
    Ok(PartnerStateView {
        partner_id: row.id,
        name: row.name,
        state,
        state_label: state.label().into(),
        reason_code: reason.map(|r| r.as_str().into()),
        reason_label: reason.map(|r| r.label().into()),
        note: row.status_note,
        changed_at: row.status_changed_at,
        what_to_do: what_to_do(state).into(),
        reapply_at: rejected_at.map(|at| reapply_at(at, wait_days)),
        may_reapply: rejected_at.is_some_and(|at| may_reapply(at, wait_days, now)),
    })
}

/// The signed-in user's partner application / record state, if they have one.
pub async fn my_state(db: &Db, user_id: &str) -> Result<Option<PartnerStateView>, AppError> {
    let Some(row) = lifecycle::for_user(&db.pool, user_id).await? else {
        return Ok(None);
    };
    let wait_days = platform_settings::get(&db.pool).await?.reapply_wait_days;
    Ok(Some(view(row, wait_days, db.now_ms())?))
}

pub async fn state(db: &Db, partner_id: &str) -> Result<PartnerStateView, AppError> {
    let row = lifecycle::by_id(&db.pool, partner_id).await?.ok_or(AppError::NotFound)?;
    let wait_days = platform_settings::get(&db.pool).await?.reapply_wait_days;
    view(row, wait_days, db.now_ms())
}

/// One page of the review queue, pending first, each with its running stats (computed
/// for that page only).
pub async fn queue(db: &Db, q: &ListQuery) -> Result<Page<PartnerQueueEntry>, AppError> {
    let (limit, offset) = q.limit_offset();
    let rows = lifecycle::queue(&db.pool, limit, offset).await?;
    let stats: Vec<PartnerRunningStats> = partner_stats::queue_page(&db.pool, limit, offset).await?.shared();
    let mut stats: std::collections::HashMap<String, PartnerRunningStats> =
        stats.into_iter().map(|s| (s.partner_id.clone(), s)).collect();
    let entries = rows
        .into_iter()
        .map(|partner| {
            let stats = stats.remove(&partner.id).unwrap_or_default();
            PartnerQueueEntry { partner: partner.into(), stats }
        })
        .collect();
    Ok(Page::new(entries, lifecycle::count_all(&db.pool).await?, q))
}

/// Records the birth of a partner that starts approved (created by an admin, activated
/// by a partner invite): who approved it, and how.
pub async fn record_created_approved(
    tx: &mut Tx,
    partner_id: &str,
    approved_by: &str,
    note: &str,
    now: i64,
) -> Result<(), AppError> {
    let change = StateChange {
        partner_id,
        from: "",
        to: PartnerState::Approved.as_str(),
        actor_id: Some(approved_by),
        reason_code: None,
        note: Some(note),
        now,
    };
    lifecycle::record_state_change(&mut **tx, &change).await?;
    Ok(())
}
