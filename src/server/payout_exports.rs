//! CSV files: a partner's statement for one payout, the admin's exports of payouts and
//! commissions (with filters) and a run's bank transfer file. Plain GET routes that read
//! the session cookie like pages do; nothing here changes anything.
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::cookies::{self, SESSION_COOKIE};
use super::db::{ledger, payouts as db_payouts};
use super::services::{payouts, sessions};
use super::state::AppState;
use crate::domain::dates::format_datetime;
use crate::domain::money::Cents;
use crate::model::AppError;
use crate::model::types::Viewer;

async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    let token = cookies::read(headers, SESSION_COOKIE)
        .ok_or_else(|| plain(StatusCode::UNAUTHORIZED, "Sign in first."))?;
    match sessions::viewer(&state.db, &token).await {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(plain(StatusCode::UNAUTHORIZED, "Sign in first.")),
        Err(e) => Err(failed(e)),
    }
}

async fn admin(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    let v = viewer(state, headers).await?;
    if v.is_platform_admin { Ok(v) } else { Err(plain(StatusCode::FORBIDDEN, "Platform admins only.")) }
}

fn plain(status: StatusCode, message: &str) -> Response {
    (status, message.to_string()).into_response()
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "csv export");
    plain(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.")
}

fn csv_file(name: &str, rows: Vec<Vec<String>>) -> Response {
    // Flexible: a statement starts with two-column summary lines above its entry table.
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for row in rows {
        if let Err(e) = out.write_record(&row) {
            return failed(e);
        }
    }
    match out.into_inner() {
        Ok(bytes) => (
            [
                (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                (CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => failed(e),
    }
}

fn dollars(cents: i64) -> String {
    Cents(cents).dollars_input()
}

/// One payout's statement: the partner's own, or any for an admin.
pub async fn statement(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let v = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let own = if v.is_platform_admin {
        None
    } else {
        Some(v.partner.as_ref().map(|p| p.id.clone()).unwrap_or_default())
    };
    let payout = match payouts::with_items(&state.db, &id, own.as_deref()).await {
        Ok(p) => p,
        Err(AppError::NotFound) => return plain(StatusCode::NOT_FOUND, "No such payout."),
        Err(e) => return failed(e),
    };
    let p = &payout.payout;
    let mut rows = vec![
        vec!["payout".into(), p.id.clone()],
        vec!["partner".into(), p.partner_name.clone()],
        vec!["status".into(), p.status.to_string()],
        vec!["method".into(), p.method.clone()],
        vec!["reference".into(), p.external_reference.clone().unwrap_or_default()],
        vec!["created".into(), format_datetime(p.created_at)],
        vec!["amount".into(), dollars(p.amount_cents), p.currency.clone()],
        vec![],
        vec![
            "entry".into(),
            "date".into(),
            "tenant".into(),
            "plan".into(),
            "period".into(),
            "type".into(),
            "amount".into(),
        ],
    ];
    for i in &payout.items {
        rows.push(vec![
            i.commission_id.clone(),
            format_datetime(i.created_at),
            i.workspace_name.clone(),
            i.plan_name.clone(),
            i.period.to_string(),
            if i.is_clawback { "clawback".into() } else { "commission".into() },
            dollars(i.amount_cents),
        ]);
    }
    csv_file(&format!("statement-{}.csv", p.id), rows)
}

#[derive(Deserialize)]
pub struct PayoutFilter {
    status: Option<String>,
    run_id: Option<String>,
}

pub async fn payouts(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<PayoutFilter>,
) -> Response {
    if let Err(r) = admin(&state, &headers).await {
        return r;
    }
    let status = f.status.filter(|s| !s.is_empty());
    let run = f.run_id.filter(|s| !s.is_empty());
    let list = match db_payouts::page(&state.db.pool, status.as_deref(), run.as_deref(), i64::MAX, 0).await {
        Ok(l) => l,
        Err(e) => return failed(e),
    };
    let mut rows = vec![
        [
            "payout",
            "partner",
            "amount",
            "currency",
            "method",
            "status",
            "period",
            "reference",
            "failure",
            "created",
            "paid",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for p in list {
        rows.push(vec![
            p.id,
            p.partner_name,
            dollars(p.amount_cents),
            p.currency,
            p.method,
            p.status.to_string(),
            p.period,
            p.external_reference.unwrap_or_default(),
            p.failure_reason.unwrap_or_default(),
            format_datetime(p.created_at),
            p.paid_at.map(format_datetime).unwrap_or_default(),
        ]);
    }
    csv_file("payouts.csv", rows)
}

#[derive(Deserialize)]
pub struct CommissionFilter {
    partner_id: Option<String>,
    kind: Option<String>,
    /// Unix ms, inclusive.
    from: Option<i64>,
    /// Unix ms, exclusive.
    to: Option<i64>,
}

pub async fn commissions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(f): Query<CommissionFilter>,
) -> Response {
    if let Err(r) = admin(&state, &headers).await {
        return r;
    }
    let partner = f.partner_id.filter(|s| !s.is_empty());
    let kind = f.kind.filter(|s| !s.is_empty());
    let now = state.db.now_ms();
    let list =
        match ledger::export(&state.db.pool, now, partner.as_deref(), kind.as_deref(), f.from, f.to).await {
            Ok(l) => l,
            Err(e) => return failed(e),
        };
    let mut rows = vec![
        [
            "entry",
            "partner",
            "tenant",
            "plan",
            "kind",
            "amount",
            "currency",
            "period",
            "rule",
            "rule_kind",
            "rule_value",
            "invoice",
            "reverses",
            "payout",
            "status",
            "created",
            "available",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for c in list {
        rows.push(vec![
            c.id,
            c.partner_name,
            c.workspace_name,
            c.plan_name,
            c.kind,
            dollars(c.amount_cents),
            c.currency,
            c.period.to_string(),
            c.rule_source,
            c.rule_kind,
            c.rule_value.to_string(),
            c.invoice_id.unwrap_or_default(),
            c.reverses_id.unwrap_or_default(),
            c.payout_id.unwrap_or_default(),
            c.status,
            format_datetime(c.created_at),
            format_datetime(c.available_at),
        ]);
    }
    csv_file("commissions.csv", rows)
}

/// The bank transfer file of one run: one line per bank payout with the partner's details.
pub async fn bank_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(run_id): Path<String>,
) -> Response {
    if let Err(r) = admin(&state, &headers).await {
        return r;
    }
    let lines = match db_payouts::bank_lines(&state.db.pool, &run_id).await {
        Ok(l) => l,
        Err(e) => return failed(e),
    };
    let mut rows = vec![
        ["payout", "holder", "account", "routing", "amount", "currency", "reference"]
            .map(String::from)
            .to_vec(),
    ];
    for l in lines {
        let details: serde_json::Value =
            l.payout_details.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
        let field = |name: &str| details.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let holder = Some(field("holder")).filter(|h| !h.is_empty()).unwrap_or(l.partner_name);
        rows.push(vec![
            l.payout_id.clone(),
            holder,
            field("account"),
            field("routing"),
            dollars(l.amount_cents),
            l.currency,
            format!("Tributary payout {}", l.payout_id),
        ]);
    }
    csv_file(&format!("bank-{run_id}.csv"), rows)
}
