//! Making and managing invite codes: the admin's minting (and emailing), the code table,
//! disabling, per-flavor defaults, and a workspace owner's personal codes.
use super::invites::{CodeTemplate, insert_fresh_code, status_of};
use crate::domain::credits::format_credits;
use crate::domain::email::Email;
use crate::domain::invite_codes::{CodeStatus, InviteFlavor, InviteeStage};
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::{
    FlavorDefaults, InviteCodeView, InviteRedemptionView, InviteeProgress, MintResult, PersonalInvites,
    PersonalLimits,
};
use crate::server::db::Db;
use crate::server::db::invite_code_list;
/// The filters Admin → Invite codes takes (its server function parses them from the query).
pub use crate::server::db::invite_code_list::CodeFilter;
use crate::server::db::invites::{self, CodeRecord, FlavorSettingsRow, RedemptionRecord};
use crate::server::mail;

/// What an admin mints: `count` codes (or one per address in `emails`, or one shared by
/// all of them), each with these settings.
pub struct Mint {
    pub flavor: InviteFlavor,
    pub count: i64,
    pub max_uses: Option<i64>,
    /// None: the flavor's default.
    pub invitee_credits: Option<i64>,
    pub expires_at: Option<i64>,
    pub metadata: Vec<(String, String)>,
    pub emails: Vec<Email>,
    pub shared: bool,
}

/// Mints the codes and, in the same transaction, queues one message per address; the
/// background sender delivers them after the commit.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn mint(db: &Db, admin_id: &str, base_url: &str, m: &Mint) -> Result<MintResult, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let defaults = invites::flavor_setting(&mut *tx, m.flavor.as_str()).await?.ok_or(AppError::Internal)?;
    let template = CodeTemplate {
        flavor: m.flavor,
        max_uses: m.max_uses,
        invitee_credits: m.invitee_credits.unwrap_or(defaults.invitee_credits),
        // Admin-minted codes have no inviting workspace to credit.
        inviter_credits: 0,
        expires_at: m.expires_at,
        metadata: metadata_json(&m.metadata),
        owner_user_id: None,
        owner_workspace_id: None,
        minted_by: Some(admin_id.to_string()),
    };
    let count = match (m.emails.len(), m.shared) {
        (0, _) => m.count,
        (_, true) => 1,
        (n, false) => n as i64,
    };
    let mut codes = Vec::with_capacity(count as usize);
    for _ in 0..count {
        codes.push(insert_fresh_code(&mut tx, now, &template).await?);
    }
    let mut emailed = 0;
    for (i, email) in m.emails.iter().enumerate() {
        let (id, code) = if m.shared { &codes[0] } else { &codes[i] };
        let (subject, body) = invite_message(m.flavor, code, template.invitee_credits, base_url);
        let key = format!("invite:{id}:{}", email.as_str());
        if mail::enqueue_in_tx(&mut tx, now, email.as_str(), &subject, &body, &key).await? {
            emailed += 1;
        }
    }
    tx.commit().await?;
    if emailed > 0 {
        mail::wake();
    }
    Ok(MintResult { codes: codes.into_iter().map(|(_, c)| c).collect(), emailed })
}

fn metadata_json(pairs: &[(String, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        pairs.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
    serde_json::Value::Object(map).to_string()
}

fn metadata_pairs(json: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

/// The subject and text of the message that carries a code.
pub fn invite_message(flavor: InviteFlavor, code: &str, credits: i64, base_url: &str) -> (String, String) {
    let subject = match flavor {
        InviteFlavor::Beta => "Your invitation to the Tributary beta",
        InviteFlavor::Og => "A thank-you for an early supporter of Tributary",
        InviteFlavor::Free => "Free credits for Tributary",
        InviteFlavor::Partner => "Your invitation to the Tributary partner program",
        InviteFlavor::Personal => "A friend invited you to Tributary",
    };
    let gift = if credits > 0 {
        format!(" It adds {} to your workspace.", format_credits(credits))
    } else {
        String::new()
    };
    let body = format!(
        "Hello,\n\nYou have an invite code for Tributary: {code}.{gift}\n\nOpen this link to accept it:\n{base_url}/invite/{code}\n\nIf you didn't expect this message, you can ignore it.\n\nThe Tributary team\n"
    );
    (subject.to_string(), body)
}

pub(crate) fn view(rec: CodeRecord, now: i64, base_url: &str) -> InviteCodeView {
    let status = status_of(&rec, now);
    InviteCodeView {
        link: format!("{base_url}/invite/{}", rec.code),
        status,
        remaining: rec.max_uses.map(|m| (m - rec.uses).max(0)),
        referrer: match (&rec.owner_workspace_name, &rec.minted_by_email) {
            (Some(workspace), _) => workspace.clone(),
            (None, Some(admin)) => format!("{admin} (admin)"),
            (None, None) => "—".to_string(),
        },
        metadata: metadata_pairs(&rec.metadata),
        id: rec.id,
        code: rec.code,
        flavor: rec.flavor,
        max_uses: rec.max_uses,
        uses: rec.uses,
        invitee_credits: rec.invitee_credits,
        inviter_credits: rec.inviter_credits,
        expires_at: rec.expires_at,
        disabled_at: rec.disabled_at,
        created_at: rec.created_at,
    }
}

/// One page of Admin → Invite codes.
pub async fn page(
    db: &Db,
    base_url: &str,
    q: &ListQuery,
    f: CodeFilter,
) -> Result<Page<InviteCodeView>, AppError> {
    let now = db.now_ms();
    let rows = invite_code_list::page(&db.pool, now, q, f).await?;
    let rows = rows.into_iter().map(|r| view(r, now, base_url)).collect();
    Ok(Page::new(rows, invite_code_list::count(&db.pool, now, q, f).await?, q))
}

/// Switches a code off; redemptions and credits it already granted stay.
pub async fn disable(
    db: &Db,
    by: &str,
    code_id: &str,
    owner_workspace: Option<&str>,
) -> Result<(), AppError> {
    if invites::disable(&db.pool, code_id, by, db.now_ms(), owner_workspace).await? {
        return Ok(());
    }
    match invites::by_id(&db.pool, code_id).await? {
        Some(rec) if owner_workspace.is_none_or(|w| rec.owner_workspace_id.as_deref() == Some(w)) => {
            Err(AppError::Conflict("This code is already disabled.".into()))
        }
        _ => Err(AppError::NotFound),
    }
}

fn redemption_view(r: RedemptionRecord) -> InviteRedemptionView {
    InviteRedemptionView {
        id: r.id,
        code: r.code,
        workspace_name: r.workspace_name,
        user_email: r.user_email,
        invitee_credits: r.invitee_credits,
        inviter_credits: r.inviter_credits,
        created_at: r.created_at,
        first_paid_at: r.first_paid_at,
    }
}

pub async fn redemptions(db: &Db, code_id: &str) -> Result<Vec<InviteRedemptionView>, AppError> {
    if invites::by_id(&db.pool, code_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let rows = invites::redemptions_of_code(&db.pool, code_id).await?;
    Ok(rows.into_iter().map(redemption_view).collect())
}

fn defaults_view(row: FlavorSettingsRow) -> Option<FlavorDefaults> {
    let flavor = row.flavor;
    Some(FlavorDefaults {
        flavor,
        label: flavor.label().to_string(),
        prefix: flavor.prefix().to_string(),
        invitee_credits: row.invitee_credits,
        inviter_credits: row.inviter_credits,
    })
}

pub async fn limits(db: &Db) -> Result<PersonalLimits, AppError> {
    let row = personal_limits(db).await?;
    Ok(PersonalLimits {
        max_uses_cap: row.max_uses_cap,
        max_credits_cap: row.max_credits_cap,
        active_per_workspace: row.active_per_workspace,
    })
}

pub async fn flavor_defaults(db: &Db) -> Result<Vec<FlavorDefaults>, AppError> {
    let rows = invites::flavor_settings(&db.pool).await?;
    let mut views: Vec<_> = rows.into_iter().filter_map(defaults_view).collect();
    views.sort_by_key(|v| InviteFlavor::all().iter().position(|x| *x == v.flavor));
    Ok(views)
}

pub async fn set_flavor_defaults(
    db: &Db,
    admin_id: &str,
    flavor: InviteFlavor,
    invitee_credits: i64,
    inviter_credits: i64,
) -> Result<(), AppError> {
    invites::set_flavor_defaults(
        &db.pool,
        flavor.as_str(),
        invitee_credits,
        inviter_credits,
        admin_id,
        db.now_ms(),
    )
    .await?;
    Ok(())
}

/// The platform's bounds for personal codes (uses per code, credits per friend, active
/// codes per workspace). Codes made before keep their settings.
pub async fn set_personal_limits(
    db: &Db,
    admin_id: &str,
    max_uses_cap: i64,
    max_credits_cap: i64,
    active_per_workspace: i64,
) -> Result<(), AppError> {
    invites::set_personal_limits(
        &db.pool,
        max_uses_cap,
        max_credits_cap,
        active_per_workspace,
        admin_id,
        db.now_ms(),
    )
    .await?;
    Ok(())
}

// ---- Personal codes ----

/// The limits a workspace owner works within (set by the platform).
pub async fn personal_limits(db: &Db) -> Result<FlavorSettingsRow, AppError> {
    invites::flavor_setting(&db.pool, InviteFlavor::Personal.as_str()).await?.ok_or(AppError::Internal)
}

/// A workspace owner's new personal code. At most `active_per_workspace` live codes per
/// workspace: the count and the insert happen under the workspace's lock.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_personal(
    db: &Db,
    user_id: &str,
    workspace_id: &str,
    max_uses: i64,
    invitee_credits: i64,
) -> Result<String, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let limits = invites::flavor_setting(&mut *tx, InviteFlavor::Personal.as_str())
        .await?
        .ok_or(AppError::Internal)?;
    if max_uses > limits.max_uses_cap {
        return Err(AppError::invalid("max_uses", format!("At most {} uses per code.", limits.max_uses_cap)));
    }
    if invitee_credits > limits.max_credits_cap {
        return Err(AppError::invalid(
            "credits",
            format!("At most {} per friend.", format_credits(limits.max_credits_cap)),
        ));
    }
    crate::server::db::workspaces::lock(&mut tx, db.backend, workspace_id).await?;
    if invites::count_active_owned(&mut *tx, workspace_id, now).await? >= limits.active_per_workspace {
        return Err(AppError::Conflict(format!(
            "A workspace can have {} active personal codes. Disable one to make another.",
            limits.active_per_workspace
        )));
    }
    let template = CodeTemplate {
        flavor: InviteFlavor::Personal,
        max_uses: Some(max_uses),
        invitee_credits,
        inviter_credits: limits.inviter_credits,
        expires_at: None,
        metadata: "{}".to_string(),
        owner_user_id: Some(user_id.to_string()),
        owner_workspace_id: Some(workspace_id.to_string()),
        minted_by: None,
    };
    let (_, code) = insert_fresh_code(&mut tx, now, &template).await?;
    tx.commit().await?;
    Ok(code)
}

/// The owner's codes, the limits, and how far each invitee got.
pub async fn personal(db: &Db, base_url: &str, workspace_id: &str) -> Result<PersonalInvites, AppError> {
    let now = db.now_ms();
    let limits = personal_limits(db).await?;
    let codes: Vec<_> = invites::owned_by(&db.pool, workspace_id)
        .await?
        .into_iter()
        .map(|r| view(r, now, base_url))
        .collect();
    let mut invitees: Vec<InviteeProgress> = invites::waiting_signups_of_owner(&db.pool, workspace_id)
        .await?
        .into_iter()
        .map(|s| InviteeProgress {
            who: mask_email(&s.user_email),
            code: s.code,
            stage: InviteeStage::Registered,
            workspace_name: None,
            since: s.created_at,
        })
        .collect();
    invitees.extend(invites::redemptions_of_owner(&db.pool, workspace_id).await?.into_iter().map(|r| {
        InviteeProgress {
            who: mask_email(&r.user_email),
            code: r.code,
            stage: if r.first_paid_at.is_some() { InviteeStage::Paid } else { InviteeStage::Workspace },
            workspace_name: Some(r.workspace_name),
            since: r.first_paid_at.unwrap_or(r.created_at),
        }
    }));
    invitees.sort_by_key(|p| std::cmp::Reverse(p.since));
    Ok(PersonalInvites {
        active: codes.iter().filter(|c| c.status == CodeStatus::Active).count() as i64,
        codes,
        invitees,
        cap: limits.active_per_workspace,
        max_uses_cap: limits.max_uses_cap,
        max_credits_cap: limits.max_credits_cap,
        default_invitee_credits: limits.invitee_credits,
        inviter_credits: limits.inviter_credits,
    })
}

/// `ann@example.com` → `a•••@example.com`: enough for the inviter to recognise a friend,
/// not a list of addresses to copy.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            format!("{}•••@{domain}", local.chars().next().map(String::from).unwrap_or_default())
        }
        None => "•••".to_string(),
    }
}
