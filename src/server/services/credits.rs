//! Platform credits: grants from other features (in their own transactions), admin
//! adjustments, and what a workspace owner sees. The balance is always the sum of the
//! entries (`db::credits::balance`).
use crate::domain::credits::{CreditKind, check_adjustment, format_credits};
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::{CreditEntryView, CreditSummary, WorkspaceCredits};
use crate::server::db::credits::{self, CreditEntryRow};
use crate::server::db::{Db, Tx, new_id};

pub use crate::server::db::credits::NewCreditEntry;

/// How many entries the history shows.
const HISTORY: i64 = 200;

/// Appends a credit entry inside the caller's transaction; false when its idempotency key
/// was already used (the cause has granted before), in which case nothing changes. The
/// credit commissions of the payout engine and the invite redemptions both grant here.
pub async fn grant_in_tx(tx: &mut Tx, now: i64, entry: &NewCreditEntry) -> Result<bool, sqlx::Error> {
    credits::insert(tx, now, entry).await
}

/// A workspace's balance and its newest entries.
pub async fn summary(db: &Db, workspace_id: &str, workspace_name: &str) -> Result<CreditSummary, AppError> {
    let balance = credits::balance(&db.pool, workspace_id).await?;
    let rows = credits::history(&db.pool, workspace_id, HISTORY).await?;
    Ok(CreditSummary {
        workspace_id: workspace_id.to_string(),
        workspace_name: workspace_name.to_string(),
        balance,
        entries: rows.into_iter().map(view).collect(),
    })
}

fn view(row: CreditEntryRow) -> CreditEntryView {
    CreditEntryView {
        label: row.kind.label().to_string(),
        kind: row.kind,
        amount: row.amount,
        reason: row.reason,
        created_by: row.created_by_email,
        created_at: row.created_at,
        id: row.id,
    }
}

pub struct Adjustment {
    pub workspace_id: String,
    /// Positive grants, negative deducts.
    pub amount: i64,
    pub reason: String,
    pub allow_negative: bool,
}

/// A platform admin's grant or deduction, recorded with who and why. A deduction that
/// would take the balance below zero is refused unless `allow_negative`; the balance
/// check and the entry happen under the workspace's lock, so two deductions at once
/// can't both pass on the same balance.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn adjust(db: &Db, admin_id: &str, a: &Adjustment) -> Result<i64, AppError> {
    if a.amount == 0 {
        return Err(AppError::invalid("amount", "Enter a number of credits other than 0."));
    }
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    if !crate::server::db::workspaces::lock(&mut tx, db.backend, &a.workspace_id).await? {
        return Err(AppError::invalid("workspace_id", "Choose an existing workspace."));
    }
    let balance = credits::balance(&mut *tx, &a.workspace_id).await?;
    if let Err(short) = check_adjustment(balance, a.amount, a.allow_negative) {
        return Err(AppError::Conflict(format!(
            "This workspace has {}; deducting {} would take it below zero. Tick \"allow a negative balance\" to do it anyway.",
            format_credits(short.balance),
            format_credits(short.deduction)
        )));
    }
    let id = new_id();
    let entry = NewCreditEntry {
        idempotency_key: format!("admin_adjustment:{id}"),
        id: id.clone(),
        workspace_id: a.workspace_id.clone(),
        kind: CreditKind::AdminAdjustment.as_str(),
        amount: a.amount,
        cause_type: "admin",
        cause_id: Some(admin_id.to_string()),
        reason: Some(a.reason.clone()),
        created_by: Some(admin_id.to_string()),
    };
    grant_in_tx(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(balance + a.amount)
}

/// One page of Admin → Credits: customer workspaces and their balances.
pub async fn balances(db: &Db, q: &ListQuery) -> Result<Page<WorkspaceCredits>, AppError> {
    let rows = credits::balances_page(&db.pool, q)
        .await?
        .into_iter()
        .map(|r| WorkspaceCredits {
            workspace_id: r.workspace_id,
            workspace_name: r.workspace_name,
            balance: r.balance,
            entries: r.entries,
        })
        .collect();
    Ok(Page::new(rows, credits::balances_count(&db.pool, q).await?, q))
}

/// One workspace's ledger for an admin.
pub async fn for_admin(db: &Db, workspace_id: &str) -> Result<CreditSummary, AppError> {
    let name = credits::workspace_name(&db.pool, workspace_id).await?.ok_or(AppError::NotFound)?;
    summary(db, workspace_id, &name).await
}
