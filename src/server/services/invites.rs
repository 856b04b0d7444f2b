//! Invite codes: landing previews and redemption (one transaction: the use count, the
//! redemption row and both credit entries), and drawing fresh codes. Minting, the admin
//! table and personal codes are in `invite_codes.rs`.
use crate::domain::commission::Commission;
use crate::model::lifecycle::Activation;
use rand::Rng;

use super::credits::{NewCreditEntry, grant_in_tx};
use crate::domain::credits::CreditKind;
use crate::domain::invite_codes::{CodeStatus, InviteCode, InviteFlavor, RANDOM_LEN};
use crate::model::AppError;
use crate::model::types::{InvitePreview, RedeemOutcome};
use crate::server::db::invites::{self, CodeRecord, NewCode, NewRedemption};
use crate::server::db::{Db, Tx, new_id};

/// The code as typed, checked for shape and typos before any lookup.
pub fn parse_code(raw: &str) -> Result<InviteCode, AppError> {
    InviteCode::parse(raw).map_err(|p| AppError::invalid("code", p.message()))
}

pub(crate) fn unknown() -> AppError {
    AppError::invalid("code", "We don't know that invite code. Check it with whoever gave it to you.")
}

/// Why a live-looking code can't be redeemed now (expired, used up, disabled).
pub(crate) fn status_problem(status: CodeStatus) -> Option<AppError> {
    (status != CodeStatus::Active).then(|| AppError::Conflict(status.problem().to_string()))
}

pub(crate) fn status_of(rec: &CodeRecord, now: i64) -> CodeStatus {
    CodeStatus::of(rec.disabled_at, rec.expires_at, rec.max_uses, rec.uses, now)
}

fn own_code() -> AppError {
    AppError::Refused("That's your own invite code. Share it with a friend instead.".into())
}

/// What `/invite/<code>` shows: the flavor, what the visitor gets and who invites them.
/// Bad codes are errors with the sentence to show. `viewer` (user, workspace) adds the
/// checks that depend on who looks: their own code, already redeemed.
pub async fn preview(
    db: &Db,
    raw: &str,
    viewer: Option<(&str, Option<&str>)>,
) -> Result<InvitePreview, AppError> {
    let code = parse_code(raw)?;
    let rec = invites::by_key(&db.pool, &code.key()).await?.ok_or_else(unknown)?;
    if let Some(problem) = status_problem(status_of(&rec, db.now_ms())) {
        return Err(problem);
    }
    let flavor = rec.flavor;
    let mut redeemed_already = false;
    if let Some((user_id, workspace)) = viewer {
        if rec.owner_user_id.as_deref() == Some(user_id)
            || (workspace.is_some() && rec.owner_workspace_id.as_deref() == workspace)
        {
            return Err(own_code());
        }
        if let Some(w) = workspace {
            redeemed_already = invites::already_redeemed(
                &db.pool,
                &rec.id,
                w,
                rec.flavor.as_str(),
                flavor.once_per_workspace(),
            )
            .await?
            .is_some();
        }
    }
    Ok(InvitePreview {
        code: rec.code,
        flavor,
        invitee_credits: rec.invitee_credits,
        referrer: rec.owner_workspace_name,
        expires_at: rec.expires_at,
        redeemed_already,
    })
}

/// Redeems `code` for `workspace_id` in one transaction.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn redeem(
    db: &Db,
    user_id: &str,
    workspace_id: &str,
    code: &InviteCode,
) -> Result<RedeemOutcome, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let outcome = redeem_in_tx(&mut tx, now, user_id, workspace_id, code).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The code a visitor carried through registration, applied to the workspace they just
/// created. A bad code never blocks anything: the problem is logged and returned.
pub async fn redeem_carried(
    db: &Db,
    user_id: &str,
    workspace_id: &str,
    raw: &str,
) -> Result<RedeemOutcome, AppError> {
    let result = match parse_code(raw) {
        Ok(code) => redeem(db, user_id, workspace_id, &code).await,
        Err(e) => Err(e),
    };
    if let Err(e) = &result {
        tracing::info!(error = %e, "carried invite code not redeemed");
    }
    result
}

/// The redemption itself, inside the caller's transaction. Every refusal is an error
/// before anything is written or rolls back with the transaction.
pub async fn redeem_in_tx(
    tx: &mut Tx,
    now: i64,
    user_id: &str,
    workspace_id: &str,
    code: &InviteCode,
) -> Result<RedeemOutcome, AppError> {
    let rec = invites::by_key(&mut **tx, &code.key()).await?.ok_or_else(unknown)?;
    if let Some(problem) = status_problem(status_of(&rec, now)) {
        return Err(problem);
    }
    if rec.owner_user_id.as_deref() == Some(user_id)
        || rec.owner_workspace_id.as_deref() == Some(workspace_id)
    {
        return Err(own_code());
    }
    let flavor = rec.flavor;
    let already = || AppError::Conflict(already_message(flavor));
    if invites::already_redeemed(
        &mut **tx,
        &rec.id,
        workspace_id,
        rec.flavor.as_str(),
        flavor.once_per_workspace(),
    )
    .await?
    .is_some()
    {
        return Err(already());
    }
    if flavor == InviteFlavor::Partner
        && crate::server::db::lifecycle::for_workspace(&mut **tx, workspace_id).await?.is_some()
    {
        // Activation is once per workspace: a second partner invite changes nothing.
        return Err(already_partner());
    }
    if !invites::take_use(tx, &rec.id, now).await? {
        // Someone took the last use (or it expired) since the read above.
        let fresh = invites::by_id(&mut **tx, &rec.id).await?.ok_or_else(unknown)?;
        return Err(status_problem(status_of(&fresh, now)).unwrap_or_else(already));
    }
    let redemption_id = new_id();
    let inviter = rec.owner_workspace_id.as_deref().filter(|_| rec.inviter_credits > 0);
    let redemption = NewRedemption {
        id: &redemption_id,
        code_id: &rec.id,
        workspace_id,
        user_id,
        flavor: rec.flavor.as_str(),
        invitee_credits: rec.invitee_credits,
        inviter_credits: if inviter.is_some() { rec.inviter_credits } else { 0 },
    };
    if !invites::insert_redemption(tx, &redemption, now).await? {
        return Err(already());
    }
    if rec.invitee_credits > 0 {
        let entry = grant(
            &rec,
            workspace_id,
            workspace_id,
            "invitee",
            CreditKind::InviteGrant,
            rec.invitee_credits,
            &redemption_id,
            user_id,
        );
        grant_in_tx(tx, now, &entry).await?;
    }
    if let Some(inviter_workspace) = inviter {
        let entry = grant(
            &rec,
            workspace_id,
            inviter_workspace,
            "inviter",
            CreditKind::InviterGrant,
            rec.inviter_credits,
            &redemption_id,
            user_id,
        );
        grant_in_tx(tx, now, &entry).await?;
    }
    let mut message = match rec.invitee_credits {
        0 => format!("Code {} redeemed.", rec.code),
        n => format!(
            "Code {} redeemed: {} added to your workspace.",
            rec.code,
            crate::domain::credits::format_credits(n)
        ),
    };
    if flavor == InviteFlavor::Partner {
        message = redeem_partner_in_tx(tx, now, &rec, workspace_id, user_id).await?;
    }
    Ok(RedeemOutcome { code: rec.code, flavor: rec.flavor, credits: rec.invitee_credits, message })
}

fn already_message(flavor: InviteFlavor) -> String {
    if flavor.once_per_workspace() {
        format!("This workspace has already redeemed a {} invite; each workspace gets one.", flavor.label())
    } else {
        "This workspace has already redeemed this code.".to_string()
    }
}

/// A credit entry for one side of a redemption. The key names the cause (this code, this
/// redeeming workspace, this side), so the same redemption can never grant twice.
#[allow(clippy::too_many_arguments)]
fn grant(
    rec: &CodeRecord,
    redeeming_workspace: &str,
    to_workspace: &str,
    side: &str,
    kind: CreditKind,
    amount: i64,
    redemption_id: &str,
    user_id: &str,
) -> NewCreditEntry {
    NewCreditEntry {
        id: new_id(),
        workspace_id: to_workspace.to_string(),
        kind: kind.as_str(),
        amount,
        cause_type: "invite_redemption",
        cause_id: Some(redemption_id.to_string()),
        reason: Some(format!("Invite code {}", rec.code)),
        created_by: Some(user_id.to_string()),
        idempotency_key: format!("invite:{}:{}:{side}", rec.id, redeeming_workspace),
    }
}

/// The partner branch of a redemption (DOMAIN decision 9), in the redemption's own
/// transaction: the workspace becomes a reselling agency with an approved partner record
/// (approved by the admin who minted the invite), at the invite's commission
/// (`commission_kind` + `commission_value` in its metadata, else the platform default).
/// Already a partner → the whole redemption rolls back: nothing changes.
pub async fn redeem_partner_in_tx(
    tx: &mut Tx,
    now: i64,
    rec: &CodeRecord,
    workspace_id: &str,
    user_id: &str,
) -> Result<String, AppError> {
    let minted_by = rec
        .minted_by
        .as_deref()
        .ok_or_else(|| AppError::Refused("This partner invite has no issuing admin.".into()))?;
    let commission = invite_commission(&rec.metadata);
    match super::activation::activate_in_tx(tx, now, workspace_id, user_id, minted_by, commission).await? {
        activated @ Activation::Activated { .. } => Ok(activated.message().to_string()),
        Activation::AlreadyPartner { .. } => Err(already_partner()),
    }
}

fn already_partner() -> AppError {
    AppError::Conflict(format!(
        "You're already set up as a partner. Your partner portal: {}",
        Activation::PORTAL
    ))
}

/// The commission a partner invite carries in its metadata, if it names a valid one.
fn invite_commission(metadata: &str) -> Option<Commission> {
    let map: std::collections::BTreeMap<String, String> = serde_json::from_str(metadata).ok()?;
    Commission::parse(map.get("commission_kind")?, map.get("commission_value")?).ok()
}

/// Remembers that `user_id` registered carrying `raw` (the first step of an invitee's
/// progress). Unknown or malformed codes are ignored: they never block registration.
pub async fn note_signup(db: &Db, user_id: &str, raw: &str) -> Result<(), AppError> {
    let Ok(code) = InviteCode::parse(raw) else { return Ok(()) };
    if let Some(rec) = invites::by_key(&db.pool, &code.key()).await? {
        invites::insert_signup(&db.pool, &rec.id, user_id, db.now_ms()).await?;
    }
    Ok(())
}

/// The settings of a code to make; its text is drawn by `insert_fresh_code`.
pub(crate) struct CodeTemplate {
    pub flavor: InviteFlavor,
    pub max_uses: Option<i64>,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
    pub expires_at: Option<i64>,
    pub metadata: String,
    pub owner_user_id: Option<String>,
    pub owner_workspace_id: Option<String>,
    pub minted_by: Option<String>,
}

/// Draws a code of the template's flavor that doesn't exist yet and inserts it; returns
/// its id and its text. A few draws cover the (1 in 2.8 · 10¹⁰ per code) collision.
pub(crate) async fn insert_fresh_code(
    tx: &mut Tx,
    now: i64,
    t: &CodeTemplate,
) -> Result<(String, String), AppError> {
    for _ in 0..8 {
        let code = random_code(t.flavor);
        let (id, display, key) = (new_id(), code.display(), code.key());
        let row = NewCode {
            id: &id,
            code: &display,
            code_key: &key,
            flavor: t.flavor.as_str(),
            max_uses: t.max_uses,
            invitee_credits: t.invitee_credits,
            inviter_credits: t.inviter_credits,
            expires_at: t.expires_at,
            metadata: &t.metadata,
            owner_user_id: t.owner_user_id.as_deref(),
            owner_workspace_id: t.owner_workspace_id.as_deref(),
            minted_by: t.minted_by.as_deref(),
        };
        if invites::insert_code(tx, &row, now).await? {
            return Ok((id, display));
        }
    }
    Err(crate::model::error::internal("invite code", "no free code after 8 draws"))
}

fn random_code(flavor: InviteFlavor) -> InviteCode {
    let mut rng = rand::rng();
    let random: [u32; RANDOM_LEN] = std::array::from_fn(|_| rng.random_range(0..31));
    InviteCode::generate(flavor, random)
}
