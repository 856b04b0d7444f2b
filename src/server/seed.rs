//! Demo data for a fresh database: one platform admin, three plans, one approved
//! partner with a partner user. Credentials are printed once.
use rand::Rng;
use rand::distr::Alphanumeric;

use super::db::{billing, new_id, users, workspaces};
use super::services::{accounts, listings, partners};
use super::state::AppState;
use crate::domain::commission::Commission;
use crate::domain::email::Email;
use crate::domain::names::DisplayName;
use crate::domain::password::Password;

pub const DEMO_ADMIN: &str = "admin@tributary.test";
pub const DEMO_PARTNER_USER: &str = "partner@tributary.test";
/// A second demo partner whose payouts show a hold and a threshold (the payouts journey).
pub const DEMO_PAYOUTS_USER: &str = "payouts@tributary.test";
pub const DEMO_LISTING_TITLE: &str = "Client Onboarding Kit";
pub const DEMO_PLANS: [(&str, i64); 3] = [("Starter", 2_900), ("Growth", 9_900), ("Scale", 29_900)];

pub async fn seed_demo_if_empty(state: &AppState) -> Result<(), String> {
    let db = &state.db;
    if !state.config.seed_demo || users::count(&db.pool).await.map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let password = state.config.demo_password.clone().unwrap_or_else(random_password);
    let started = std::time::Instant::now();
    let ids = seed(state, &password).await.map_err(|e| e.to_string())?;
    if state.config.seed_demo_rich {
        seed_history(state, &password, &ids).await.map_err(|e| e.to_string())?;
        let addr = state.leptos_options.site_addr;
        println!(
            "\n  Demo program created in {:.1} s: six months of history.",
            started.elapsed().as_secs_f64()
        );
        println!("  Log in at http://{addr}/login with:");
        println!("    platform admin: {DEMO_ADMIN} / {password}");
        println!(
            "      look first at http://{addr}/admin (program overview: KPIs, chart, top partners, activity)"
        );
        println!("    partner user:   {DEMO_PARTNER_USER} / {password}");
        println!("      look first at http://{addr}/partners (earnings, link, 30-day chart, next payout)");
        println!("    payouts demo:   {DEMO_PAYOUTS_USER} / {password} (a 7-day hold and a $50 threshold)\n");
        return Ok(());
    }
    println!("\n  Demo data created. Log in at http://{}/login with:", state.leptos_options.site_addr);
    println!("    platform admin: {DEMO_ADMIN} / {password}");
    println!("    partner user:   {DEMO_PARTNER_USER} / {password}");
    println!("    payouts demo:   {DEMO_PAYOUTS_USER} / {password}\n");
    Ok(())
}

/// The ids the rich history builds on: the admin, Northwind Agency, Harbor Payouts.
pub struct SeedIds {
    pub admin: String,
    pub northwind: String,
    pub harbor: String,
}

/// The minimal seed followed by the rich history (`server::seed_rich`), on an empty
/// database; the integration tests call it directly.
pub async fn seed_rich(state: &AppState, password: &str) -> Result<(), crate::model::AppError> {
    let ids = seed(state, password).await?;
    seed_history(state, password, &ids).await
}

async fn seed_history(state: &AppState, password: &str, ids: &SeedIds) -> Result<(), crate::model::AppError> {
    let hash = crate::server::auth::password::hash(password.to_string()).await?;
    super::seed_rich::seed(&state.db, &ids.admin, &ids.northwind, &ids.harbor, &hash).await
}

async fn seed(state: &AppState, password: &str) -> Result<SeedIds, crate::model::AppError> {
    let db = &state.db;
    let password = Password::parse(password)?;
    let admin_email = Email::parse(DEMO_ADMIN)?;
    accounts::upsert_admin(db, &admin_email, &password).await?;
    let admin =
        users::by_email(&db.pool, admin_email.as_str()).await?.ok_or(crate::model::AppError::Internal)?;
    for (name, cents) in DEMO_PLANS {
        billing::insert_plan(&db.pool, &new_id(), name, cents, db.now_ms()).await?;
    }
    let partner = partners::NewPartner {
        name: DisplayName::parse("name", "Northwind Agency", 80)?,
        contact_email: Email::parse(DEMO_PARTNER_USER)?,
        commission: Commission::parse("percent", "20")?,
    };
    let partner_id = partners::create(db, &admin.id, &partner).await?;
    let partner_user = accounts::create_account(db, &Email::parse(DEMO_PARTNER_USER)?, &password).await?;
    let workspace_id = crate::server::db::partners::workspace_of(&db.pool, &partner_id).await?;
    workspaces::add_member(&db.pool, &workspace_id, &partner_user, "member", db.now_ms()).await?;
    seed_listing(db, &partner_id).await?;
    let harbor = seed_payouts_partner(db, &admin.id, &password).await?;
    Ok(SeedIds { admin: admin.id, northwind: partner_id, harbor })
}

/// "Harbor Payouts" (code `harbor-payouts`): 20 % recurring for 12 months, a 7-day hold and a
/// $50.00 threshold.
async fn seed_payouts_partner(
    db: &crate::server::db::Db,
    admin_id: &str,
    password: &Password,
) -> Result<String, crate::model::AppError> {
    let partner = partners::NewPartner {
        name: DisplayName::parse("name", "Harbor Payouts", 80)?,
        contact_email: Email::parse(DEMO_PAYOUTS_USER)?,
        commission: Commission::parse("percent", "20")?,
    };
    let partner_id = partners::create(db, admin_id, &partner).await?;
    crate::server::db::payouts::set_demo_terms(&db.pool, &partner_id, 5_000, 7).await?;
    let user = accounts::create_account(db, &Email::parse(DEMO_PAYOUTS_USER)?, password).await?;
    let workspace_id = crate::server::db::partners::workspace_of(&db.pool, &partner_id).await?;
    workspaces::add_member(&db.pool, &workspace_id, &user, "member", db.now_ms()).await?;
    Ok(partner_id)
}

/// One published marketplace listing by the demo partner (a creator).
async fn seed_listing(db: &crate::server::db::Db, partner_id: &str) -> Result<(), crate::model::AppError> {
    let input = listings::ListingInput::parse(
        DEMO_LISTING_TITLE,
        "Checklists, email templates and a kickoff deck for onboarding new clients.",
        "29.00",
    )?;
    let listing = listings::create(db, partner_id, &input).await?;
    listings::set_published(db, partner_id, &listing.id, true).await
}

fn random_password() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(16).map(char::from).collect()
}
