//! Admin → Partners: create partners, attach users, commission rules, detail.
use leptos::prelude::*;

use super::AppError;
use super::types::{LedgerRow, PartnerProfile, PartnerRow};
use crate::model::list::{ListQuery, Page};

/// One page of Admin → Partners: `query` is the list's URL (search over name, email and
/// codes; `status` = a partner state; `sort` = newest, name or earnings; page).
#[server(prefix = "/api", endpoint = "admin_partners")]
pub async fn admin_partners(query: ListQuery) -> Result<Page<PartnerRow>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let state = query.status_as::<crate::domain::partner::PartnerState>()?;
    crate::server::services::partners::page(&req.state.db, &query, state).await
}

/// One page of a partner's ledger for the admin's partner page (as Portal → Earnings).
#[server(prefix = "/api", endpoint = "partner_ledger")]
pub async fn partner_ledger(partner_id: String, query: ListQuery) -> Result<Page<LedgerRow>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let filter = super::portal::entry_filter(&query)?;
    use crate::server::services::ledger::Whose;
    crate::server::services::ledger::earnings_page(&req.state.db, Whose::Partner(&partner_id), &query, filter)
        .await
}

/// One page of Admin → Commissions: every partner's ledger entries (`partner` = one
/// partner), filtered and searched as Portal → Earnings, `from`/`to` = a window on when
/// each entry was created (the overview's "Commissions earned").
#[server(prefix = "/api", endpoint = "admin_commission_page")]
pub async fn admin_commission_page(query: ListQuery) -> Result<Page<LedgerRow>, AppError> {
    use crate::server::services::ledger::Whose;
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let filter = super::portal::entry_filter(&query)?;
    crate::server::services::ledger::earnings_page(&req.state.db, Whose::Program, &query, filter).await
}

/// One page of Admin → Clicks: every referral click (`partner` = one partner), searched by
/// partner name or code, `from`/`to` = a window on the click's time (the overview's "Clicks").
#[server(prefix = "/api", endpoint = "admin_click_page")]
pub async fn admin_click_page(query: ListQuery) -> Result<Page<crate::model::types::ClickRow>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::overview_admin::click_page(&req.state.db, &query).await
}

#[server(prefix = "/api", endpoint = "create_partner")]
pub async fn create_partner(
    name: String,
    contact_email: String,
    commission_kind: String,
    commission_value: String,
) -> Result<String, AppError> {
    use crate::domain::{commission::Commission, email::Email, names::DisplayName};
    use crate::server::services::partners::{self, NewPartner};
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    let new = NewPartner {
        name: DisplayName::parse("name", &name, crate::domain::names::PARTNER_NAME_MAX)?,
        contact_email: Email::parse(&contact_email).map_err(|e| e.in_field("contact_email"))?,
        commission: Commission::parse(&commission_kind, &commission_value)
            .map_err(|e| super::error::on_field(e, "commission", "commission_value"))?,
    };
    partners::create(&req.state.db, &admin.user_id, &new).await
}

#[server(prefix = "/api", endpoint = "partner_detail")]
pub async fn partner_detail(partner_id: String) -> Result<PartnerProfile, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::partners::detail(&req.state.db, &req.base_url(), &partner_id).await
}

/// An existing user joins the partner's workspace at once; an unknown email gets a
/// pending invitation applied when someone registers with it. Returns which happened.
#[server(prefix = "/api", endpoint = "attach_partner_user")]
pub async fn attach_partner_user(partner_id: String, email: String) -> Result<String, AppError> {
    use crate::domain::email::Email;
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    let email = Email::parse(&email)?;
    crate::server::services::partners::attach_user(&req.state.db, &admin.user_id, &partner_id, &email).await
}

#[server(prefix = "/api", endpoint = "set_commission_rule")]
pub async fn set_commission_rule(
    partner_id: String,
    plan_id: String,
    kind: String,
    value: String,
) -> Result<(), AppError> {
    use crate::domain::commission::Commission;
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let commission =
        Commission::parse(&kind, &value).map_err(|e| super::error::on_field(e, "commission", "value"))?;
    crate::server::services::partners::set_rule(&req.state.db, &partner_id, &plan_id, commission).await
}

#[server(prefix = "/api", endpoint = "remove_commission_rule")]
pub async fn remove_commission_rule(partner_id: String, plan_id: String) -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::partners::remove_rule(&req.state.db, &partner_id, &plan_id).await
}
