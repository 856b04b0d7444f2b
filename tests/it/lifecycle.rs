//! The partner lifecycle (issue 10): states and the approval gate, applications, the
//! settings record and its audit log, activation by partner invite, agency sub-accounts
//! and running stats. Runs on SQLite, or Postgres with TEST_DATABASE_URL.
use crate::common;

use std::sync::Arc;

use common::{TestApp, browser, spawn_app};
use reqwest::{Client, StatusCode};
use tokio::sync::Barrier;
use tributary::api::AppError;
use tributary::domain::names::DisplayName;
use tributary::model::lifecycle::{
    Activation, PartnerLifecycle, PartnerQueueEntry, PartnerRunningStats, PartnerSettingsView,
    PartnerStateView, SubAccountRow,
};
use tributary::model::list::Page;
use tributary::server::services::{activation, subaccounts};

async fn scalar(app: &TestApp, sql: &'static str, arg: &str) -> i64 {
    sqlx::query_scalar(sql).bind(arg.to_string()).fetch_one(&app.state.db.pool).await.expect("scalar")
}

async fn text(app: &TestApp, sql: &'static str, arg: &str) -> Option<String> {
    sqlx::query_scalar(sql).bind(arg.to_string()).fetch_optional(&app.state.db.pool).await.expect("text")
}

/// A signed-in user who applied; returns (client, partner id).
async fn applicant(app: &TestApp, email: &str, name: &str) -> (Client, String) {
    let user = app.signed_in_user(email).await;
    let id = apply(app, &user, name).await;
    (user, id)
}

async fn apply(app: &TestApp, user: &Client, name: &str) -> String {
    let form = [
        ("name", name),
        ("website", "https://creator.example"),
        ("promotion", "A newsletter with 20k readers"),
        ("payout_country", "de"),
    ];
    app.call_ok(user, "apply_partner", &form).await
}

async fn act(
    app: &TestApp,
    admin: &Client,
    partner_id: &str,
    action: &str,
    reason: &str,
) -> reqwest::Response {
    let form =
        [("partner_id", partner_id), ("action", action), ("reason_code", reason), ("note", "Reviewed")];
    app.call(admin, "change_partner_state", &form).await
}

async fn state(app: &TestApp, partner_id: &str) -> String {
    text(app, "select status from partners where id = $1", partner_id).await.expect("partner")
}

async fn default_code(app: &TestApp, partner_id: &str) -> String {
    text(app, "select code from referral_codes where partner_id = $1 and is_default = 1", partner_id)
        .await
        .expect("default code")
}

async fn error_field(response: reqwest::Response) -> (StatusCode, Option<String>) {
    let status = response.status();
    let error: AppError = response.json().await.expect("an AppError body");
    let field = match error {
        AppError::Invalid { field, .. } => Some(field),
        _ => None,
    };
    (status, field)
}

#[tokio::test]
async fn the_state_machine_allows_exactly_its_transitions_and_records_who_and_why() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let (_, id) = applicant(&app, "a@creator.example", "Creator A").await;
    assert_eq!(state(&app, &id).await, "pending");
    assert_eq!(act(&app, &admin, &id, "suspend", "fraud").await.status(), StatusCode::CONFLICT);
    assert_eq!(act(&app, &admin, &id, "reinstate", "").await.status(), StatusCode::CONFLICT);
    assert_eq!(act(&app, &admin, &id, "teleport", "").await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(act(&app, &admin, &id, "reapply", "").await.status(), StatusCode::BAD_REQUEST);
    let (status, field) = error_field(act(&app, &admin, &id, "reject", "").await).await;
    assert_eq!((status, field.as_deref()), (StatusCode::BAD_REQUEST, Some("reason_code")));
    assert_eq!(act(&app, &admin, &id, "reject", "bogus").await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(state(&app, &id).await, "pending", "refused actions changed nothing");

    // Reason and note are optional fields for an approval (the queue's one-click form).
    let minimal = [("partner_id", id.as_str()), ("action", "approve")];
    assert_eq!(app.call(&admin, "change_partner_state", &minimal).await.status(), StatusCode::OK);
    assert_eq!(state(&app, &id).await, "approved");
    assert!(text(&app, "select approved_by from partners where id = $1", &id).await.is_some());
    assert_eq!(
        act(&app, &admin, &id, "approve", "").await.status(),
        StatusCode::OK,
        "approving twice is a no-op"
    );
    assert_eq!(act(&app, &admin, &id, "reject", "other").await.status(), StatusCode::CONFLICT);
    assert_eq!(act(&app, &admin, &id, "suspend", "terms_violation").await.status(), StatusCode::OK);
    assert_eq!(state(&app, &id).await, "suspended");
    assert_eq!(act(&app, &admin, &id, "approve", "").await.status(), StatusCode::CONFLICT);
    assert_eq!(act(&app, &admin, &id, "reinstate", "").await.status(), StatusCode::OK);
    assert_eq!(state(&app, &id).await, "approved");

    let lifecycle: PartnerLifecycle = app.call_ok(&admin, "partner_lifecycle", &[("partner_id", &id)]).await;
    let moves: Vec<_> = lifecycle
        .history
        .iter()
        .rev()
        .map(|h| (h.from_state.map(|s| s.as_str()).unwrap_or_default(), h.to_state.as_str()))
        .collect();
    let expected =
        [("", "pending"), ("pending", "approved"), ("approved", "suspended"), ("suspended", "approved")];
    assert_eq!(moves.len(), expected.len(), "{moves:?}");
    for (got, want) in moves.iter().zip(expected) {
        assert_eq!(*got, want);
    }
    let suspension = &lifecycle.history[1];
    assert_eq!(suspension.reason_code.as_deref(), Some("terms_violation"));
    assert_eq!(suspension.actor_email.as_deref(), Some("admin@example.com"));
    assert_eq!(suspension.note.as_deref(), Some("Reviewed"));
}

#[tokio::test]
async fn a_rejected_applicant_sees_why_and_may_reapply_only_after_the_wait() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let (user, id) = applicant(&app, "r@creator.example", "Rejected Creator").await;
    let pending: PartnerStateView = app.call_ok::<Option<_>>(&user, "my_partner_state", &[]).await.unwrap();
    assert_eq!(pending.state, tributary::domain::partner::PartnerState::Pending);
    assert_eq!(app.call(&user, "portal_overview", &[]).await.status(), StatusCode::FORBIDDEN);
    let again = app
        .call(
            &user,
            "apply_partner",
            &[("name", "Twice"), ("website", ""), ("promotion", "x"), ("payout_country", "US")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "one application at a time");

    let form = [
        ("partner_id", id.as_str()),
        ("action", "reject"),
        ("reason_code", "audience_mismatch"),
        ("note", "Come back with a B2B audience"),
    ];
    assert_eq!(app.call(&admin, "change_partner_state", &form).await.status(), StatusCode::OK);
    let rejected: PartnerStateView = app.call_ok::<Option<_>>(&user, "my_partner_state", &[]).await.unwrap();
    assert_eq!(rejected.state, tributary::domain::partner::PartnerState::Rejected);
    assert_eq!(rejected.reason_code.as_deref(), Some("audience_mismatch"));
    assert_eq!(rejected.note.as_deref(), Some("Come back with a B2B audience"));
    assert!(!rejected.may_reapply);
    let too_soon = app
        .call(
            &user,
            "apply_partner",
            &[
                ("name", "Rejected Creator"),
                ("website", ""),
                ("promotion", "B2B now"),
                ("payout_country", "US"),
            ],
        )
        .await;
    assert_eq!(too_soon.status(), StatusCode::FORBIDDEN);
    assert_eq!(state(&app, &id).await, "rejected");

    app.state.db.clock.advance_days(30);
    // Thirty days also outlive the session: sign in again.
    assert_eq!(app.login(&user, "r@creator.example", common::PASSWORD).await.status(), StatusCode::OK);
    let reapplied = apply(&app, &user, "Rejected Creator").await;
    assert_eq!(reapplied, id, "a reapplication reuses the record");
    assert_eq!(state(&app, &id).await, "pending");
    let admin = app.signed_in_admin("admin@example.com").await;
    assert_eq!(act(&app, &admin, &id, "approve", "").await.status(), StatusCode::OK);
    let overview = app.call(&user, "portal_overview", &[]).await;
    assert_eq!(overview.status(), StatusCode::OK, "approved: the portal opens");
}

/// The gate of DOMAIN decision 8 for every state that isn't `approved`.
#[tokio::test]
async fn pending_rejected_and_suspended_partners_neither_validate_track_capture_bind_nor_earn() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let (_, suspended) = applicant(&app, "s@creator.example", "Soon Suspended").await;
    act(&app, &admin, &suspended, "approve", "").await;
    // A referral bound while approved, converting only after the suspension.
    let code = default_code(&app, &suspended).await;
    let (_, early) = app.referred_customer(&code, "early@example.com", "Early").await;
    assert_eq!(scalar(&app, "select count(*) from referrals where workspace_id = $1", &early).await, 1);
    assert_eq!(act(&app, &admin, &suspended, "suspend", "fraud").await.status(), StatusCode::OK);

    let (_, pending) = applicant(&app, "p@creator.example", "Still Pending").await;
    let (_, rejected) = applicant(&app, "x@creator.example", "Rejected One").await;
    act(&app, &admin, &rejected, "reject", "low_quality").await;
    let (_, approved) = applicant(&app, "ok@creator.example", "Approved One").await;
    act(&app, &admin, &approved, "approve", "").await;

    for (partner, expect_ok) in
        [(&pending, false), (&rejected, false), (&suspended, false), (&approved, true)]
    {
        let code = default_code(&app, partner).await;
        let who = format!("{} ({code})", state(&app, partner).await);
        let valid: serde_json::Value = browser()
            .get(app.url(&format!("/api/v1/referrals/validate?code={code}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(valid["valid"], expect_ok, "validate: {who}");
        let clicks_before = scalar(&app, "select count(*) from clicks where partner_id = $1", partner).await;
        let landing = browser().get(app.url(&format!("/register?ref={code}"))).send().await.unwrap();
        assert_eq!(common::set_cookie(&landing, "trib_ref").is_some(), expect_ok, "capture: {who}");
        app.flush_clicks().await;
        let clicks =
            scalar(&app, "select count(*) from clicks where partner_id = $1", partner).await - clicks_before;
        assert_eq!(clicks > 0, expect_ok, "click recording: {who}");
        let email = format!("c-{}@example.com", &partner[partner.len() - 6..]);
        let (customer, workspace) = app.referred_customer(&code, &email, "Customer").await;
        let bound = scalar(&app, "select count(*) from referrals where workspace_id = $1", &workspace).await;
        assert_eq!(bound == 1, expect_ok, "binding at registration: {who}");
        let track = customer
            .post(app.url("/api/v1/referrals/track"))
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .unwrap();
        if expect_ok {
            assert_eq!(track.status(), StatusCode::OK, "track: {who}");
        } else {
            assert_eq!(track.status(), StatusCode::BAD_REQUEST, "track: {who}");
        }
    }
    // Conversion: the referral bound while approved earns nothing while suspended.
    assert_eq!(app.activate(&admin, &early, &plan).await.status(), StatusCode::OK);
    assert_eq!(scalar(&app, "select count(*) from commissions where partner_id = $1", &suspended).await, 0);
    // …and the control: an approved partner's conversion does earn.
    let workspace =
        text(&app, "select workspace_id from referrals where partner_id = $1", &approved).await.unwrap();
    app.activate(&admin, &workspace, &plan).await;
    assert_eq!(scalar(&app, "select count(*) from commissions where partner_id = $1", &approved).await, 1);
}

#[tokio::test]
async fn two_admins_approving_at_once_record_one_approval() {
    let app = Arc::new(spawn_app().await);
    let first = app.signed_in_admin("one@example.com").await;
    let second = app.signed_in_admin("two@example.com").await;
    let (_, id) = applicant(&app, "c@creator.example", "Contested").await;
    let barrier = Arc::new(Barrier::new(20));
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (app, barrier, id) = (app.clone(), barrier.clone(), id.clone());
            let admin = if i % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move {
                barrier.wait().await;
                act(&app, &admin, &id, "approve", "").await.status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let approvals = scalar(
        &app,
        "select count(*) from partner_state_changes where partner_id = $1 and to_state = 'approved'",
        &id,
    )
    .await;
    assert_eq!(approvals, 1);
    assert_eq!(state(&app, &id).await, "approved");
    // One approval, one email to the applicant.
    let mailed = "select count(*) from outbox where to_address = 'c@creator.example' \
        and subject = 'Your partner account is approved'";
    assert_eq!(app.count(mailed).await, 1);
}

#[tokio::test]
async fn twenty_concurrent_activations_make_one_partner_one_code_one_upgrade() {
    let app = Arc::new(spawn_app().await);
    let _admin = app.signed_in_admin("admin@example.com").await;
    let admin_id = text(&app, "select id from users where email = $1", "admin@example.com").await.unwrap();
    let customer = app.signed_in_user("owner@agency.example").await;
    let workspace: String = app.call_ok(&customer, "create_workspace", &[("name", "Agency Co")]).await;
    let user_id = text(&app, "select id from users where email = $1", "owner@agency.example").await.unwrap();
    let members_before =
        scalar(&app, "select count(*) from members where workspace_id = $1", &workspace).await;
    let barrier = Arc::new(Barrier::new(20));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, barrier) = (app.clone(), barrier.clone());
            let (workspace, user_id, admin_id) = (workspace.clone(), user_id.clone(), admin_id.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                activation::activate(&app.state.db, &workspace, &user_id, &admin_id, None).await
            })
        })
        .collect();
    let mut activated = 0;
    for task in tasks {
        match task.await.unwrap().expect("activation answers") {
            Activation::Activated { .. } => activated += 1,
            Activation::AlreadyPartner { .. } => {}
        }
    }
    assert_eq!(activated, 1);
    assert_eq!(scalar(&app, "select count(*) from partners where workspace_id = $1", &workspace).await, 1);
    let partner_id = text(&app, "select id from partners where workspace_id = $1", &workspace).await.unwrap();
    assert_eq!(
        scalar(&app, "select count(*) from referral_codes where partner_id = $1", &partner_id).await,
        1
    );
    assert_eq!(
        scalar(&app, "select count(*) from partner_state_changes where partner_id = $1", &partner_id).await,
        1
    );
    assert_eq!(state(&app, &partner_id).await, "approved");
    assert_eq!(
        text(&app, "select approved_by from partners where id = $1", &partner_id).await,
        Some(admin_id.clone())
    );
    assert_eq!(
        text(&app, "select tier from workspaces where id = $1", &workspace).await.as_deref(),
        Some("partner")
    );
    assert_eq!(scalar(&app, "select referral_earning from workspaces where id = $1", &workspace).await, 1);
    assert_eq!(
        scalar(&app, "select count(*) from workspaces where id = $1 and sub_account_cap is null", &workspace)
            .await,
        1
    );
    assert_eq!(
        scalar(&app, "select count(*) from members where workspace_id = $1", &workspace).await,
        members_before
    );
    let again = activation::activate(&app.state.db, &workspace, &user_id, &admin_id, None).await.unwrap();
    assert_eq!(again, Activation::AlreadyPartner { partner_id });
    assert_eq!(again.message(), "You're already set up as a partner.");
    // The agency's owner is now in the portal, with unlimited sub-accounts.
    for n in 0..4 {
        let name = format!("Client {n}");
        let _: String = app.call_ok(&customer, "create_sub_account", &[("name", &name)]).await;
    }
    let subs: Vec<SubAccountRow> = app.call_ok(&customer, "my_sub_accounts", &[]).await;
    assert_eq!(subs.len(), 4);
}

#[tokio::test]
async fn fifty_concurrent_sub_accounts_against_a_cap_of_three_make_exactly_three() {
    let app = Arc::new(spawn_app().await);
    let admin = app.signed_in_admin("admin@example.com").await;
    let saved = set_platform(&app, &admin, &[("standard_sub_account_cap", "3")]).await;
    assert_eq!(saved.status(), StatusCode::OK);
    // An approved applicant's workspace is standard tier: the platform's cap applies.
    let (_user, partner_id) = applicant(&app, "p@small.example", "Small Agency").await;
    assert_eq!(act(&app, &admin, &partner_id, "approve", "").await.status(), StatusCode::OK);
    let user_id = text(&app, "select id from users where email = $1", "p@small.example").await.unwrap();
    let parent = text(&app, "select workspace_id from partners where id = $1", &partner_id).await.unwrap();
    let barrier = Arc::new(Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let (app, barrier) = (app.clone(), barrier.clone());
            let (user_id, partner_id, parent) = (user_id.clone(), partner_id.clone(), parent.clone());
            tokio::spawn(async move {
                let name = DisplayName::parse("name", &format!("Sub {n}"), 80).unwrap();
                barrier.wait().await;
                subaccounts::create(&app.state.db, &user_id, &partner_id, &parent, &name).await
            })
        })
        .collect();
    let (mut made, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => made += 1,
            Err(AppError::Refused(_)) => refused += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((made, refused), (3, 47));
    assert_eq!(scalar(&app, "select count(*) from workspaces where parent_id = $1", &parent).await, 3);
    assert_eq!(
        scalar(
            &app,
            "select count(*) from referrals where partner_id = $1 and source = 'agency'",
            &partner_id
        )
        .await,
        3
    );
}

async fn set_platform(app: &TestApp, admin: &Client, overrides: &[(&str, &str)]) -> reqwest::Response {
    let defaults = vec![
        ("commission_kind", "percent"),
        ("commission_value", "20"),
        ("credit_bps", "0"),
        ("recurring", "on"),
        ("recurring_months", "12"),
        ("payout_frequency", "monthly"),
        ("payout_threshold", "50"),
        ("hold_days", "0"),
        ("reapply_wait_days", "30"),
        ("standard_sub_account_cap", "0"),
    ];
    app.call(admin, "update_platform_settings", &common::overridden(defaults, overrides)).await
}

#[tokio::test]
async fn new_partners_take_the_platform_defaults() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let saved = set_platform(
        &app,
        &admin,
        &[
            ("commission_value", "15"),
            ("credit_bps", "500"),
            ("recurring_months", ""),
            ("payout_frequency", "quarterly"),
            ("payout_threshold", "75"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let (user, id) = applicant(&app, "d@creator.example", "Defaults").await;
    act(&app, &admin, &id, "approve", "").await;
    let mine: PartnerSettingsView = app.call_ok(&user, "my_partner_settings", &[]).await;
    assert_eq!((mine.commission_kind.as_str(), mine.commission_value), ("percent", 1_500));
    assert_eq!(mine.credit_bps, 500);
    assert_eq!((mine.recurring, mine.recurring_months), (true, None));
    assert_eq!((mine.payout_frequency.as_str(), mine.payout_threshold_cents), ("quarterly", 7_500));
    assert!(mine.affiliate_link.as_deref().is_some_and(|l| l.ends_with("/register?ref=defaults")));
    let (status, field) = error_field(set_platform(&app, &admin, &[("reapply_wait_days", "-1")]).await).await;
    assert_eq!((status, field.as_deref()), (StatusCode::BAD_REQUEST, Some("reapply_wait_days")));
}

#[tokio::test]
async fn every_bad_settings_field_is_a_400_naming_it_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Validated", "percent", "10").await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("commission_value", "100.01")], "commission_value"),
        (&[("commission_kind", "bitcoin")], "commission_kind"),
        (&[("credit_bps", "10001")], "credit_bps"),
        (&[("credit_bps", "-1")], "credit_bps"),
        (&[("recurring_months", "121")], "recurring_months"),
        (&[("recurring_months", "-1")], "recurring_months"),
        (&[("payout_threshold", "-5")], "payout_threshold"),
        (&[("payout_frequency", "daily")], "payout_frequency"),
        (&[("payout_method", "wire")], "payout_method"),
        (&[("payout_method", "paypal"), ("paypal_email", "nope")], "paypal_email"),
        (&[("payout_method", "bank"), ("bank_account", "12345678")], "bank_holder"),
        (&[("payout_method", "bank"), ("bank_holder", "Ann"), ("bank_account", "DE00 1234")], "bank_account"),
        (&[("hold_days", "400")], "hold_days"),
        (&[("default_code_id", "not-a-code")], "default_code_id"),
    ];
    for (overrides, field) in cases {
        let response =
            app.call(&admin, "update_partner_settings", &common::settings_form(&id, overrides)).await;
        let (status, got) = error_field(response).await;
        assert_eq!((status, got.as_deref()), (StatusCode::BAD_REQUEST, Some(*field)), "{overrides:?}");
    }
    let lifecycle: PartnerLifecycle = app.call_ok(&admin, "partner_lifecycle", &[("partner_id", &id)]).await;
    assert!(lifecycle.audit.is_empty(), "{:?}", lifecycle.audit);
    assert_eq!(lifecycle.settings.commission_value, 1_000);
}

#[tokio::test]
async fn every_settings_change_lands_in_the_audit_log_with_before_and_after() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Audited", "percent", "10").await;
    let partner = app.partner_user(&admin, &id, "p@audited.example").await;
    let form = common::settings_form(
        &id,
        &[
            ("commission_value", "25"),
            ("payout_method", "paypal"),
            ("paypal_email", "pay@audited.example"),
            ("hold_days", "14"),
        ],
    );
    let changed: usize = app.call_ok(&admin, "update_partner_settings", &form).await;
    assert!(changed >= 3);
    let unchanged: usize = app.call_ok(&admin, "update_partner_settings", &form).await;
    assert_eq!(unchanged, 0, "saving the same values records nothing");
    let lifecycle: PartnerLifecycle = app.call_ok(&admin, "partner_lifecycle", &[("partner_id", &id)]).await;
    let commission =
        lifecycle.audit.iter().find(|a| a.field == "sales_commission").expect("commission audited");
    assert_eq!(commission.before_value.as_deref(), Some("10.00%"));
    assert_eq!(commission.after_value.as_deref(), Some("25.00%"));
    assert_eq!(commission.actor_email.as_deref(), Some("admin@example.com"));
    assert!(
        lifecycle.audit.iter().any(|a| a.field == "hold_days" && a.after_value.as_deref() == Some("14 days"))
    );
    assert_eq!(lifecycle.audit.len(), changed);

    // The partner changes its payout details: audited under its own name.
    let mine = [
        ("payout_method", "bank"),
        ("bank_holder", "Audited GmbH"),
        ("bank_account", "DE89 3704 0044 0532 0130 00"),
        ("bank_routing", "COBADEFFXXX"),
    ];
    let _: usize = app.call_ok(&partner, "update_my_payout", &mine).await;
    let view: PartnerSettingsView = app.call_ok(&partner, "my_partner_settings", &[]).await;
    assert_eq!(view.payout_method, "bank");
    assert_eq!(view.commission_value, 2_500, "rates untouched");
    let lifecycle: PartnerLifecycle = app.call_ok(&admin, "partner_lifecycle", &[("partner_id", &id)]).await;
    let by_partner = lifecycle.audit.iter().filter(|a| a.actor_email.as_deref() == Some("p@audited.example"));
    assert_eq!(by_partner.map(|a| a.field.as_str()).collect::<Vec<_>>().len(), 2, "method and details");
}

#[tokio::test]
async fn only_platform_admins_reach_settings_and_a_partner_never_changes_rates_or_another_partner() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let mine = app.partner(&admin, "Mine", "percent", "10").await;
    let theirs = app.partner(&admin, "Theirs", "percent", "10").await;
    let partner = app.partner_user(&admin, &mine, "p@mine.example").await;
    let customer = app.signed_in_user("c@example.com").await;
    let anonymous = browser();
    let admin_only: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("update_partner_settings", common::settings_form(&theirs, &[("commission_value", "90")])),
        ("update_partner_settings", common::settings_form(&mine, &[("commission_value", "90")])),
        ("partner_lifecycle", vec![("partner_id", mine.as_str())]),
        (
            "change_partner_state",
            vec![("partner_id", theirs.as_str()), ("action", "suspend"), ("reason_code", "fraud")],
        ),
        ("platform_settings", vec![]),
        (
            "update_platform_settings",
            vec![
                ("commission_kind", "percent"),
                ("commission_value", "90"),
                ("credit_bps", "0"),
                ("payout_frequency", "monthly"),
                ("payout_threshold", "0"),
                ("hold_days", "0"),
                ("reapply_wait_days", "0"),
                ("standard_sub_account_cap", "9"),
            ],
        ),
        ("admin_partner_queue", vec![]),
    ];
    for (endpoint, form) in &admin_only {
        for (who, client) in [("partner", &partner), ("customer", &customer)] {
            assert_eq!(
                app.call(client, endpoint, form).await.status(),
                StatusCode::FORBIDDEN,
                "{who} {endpoint}"
            );
        }
        assert_eq!(
            app.call(&anonymous, endpoint, form).await.status(),
            StatusCode::UNAUTHORIZED,
            "anon {endpoint}"
        );
    }
    // A partner's own payout call ignores any partner id it is handed and can't carry rates.
    let sneaky = [
        ("partner_id", theirs.as_str()),
        ("payout_method", "paypal"),
        ("paypal_email", "thief@example.com"),
        ("commission_value", "90"),
    ];
    let _: usize = app.call_ok(&partner, "update_my_payout", &sneaky).await;
    let theirs_now: PartnerLifecycle =
        app.call_ok(&admin, "partner_lifecycle", &[("partner_id", &theirs)]).await;
    assert_eq!(theirs_now.settings.payout_method, "manual");
    assert!(theirs_now.audit.is_empty());
    let mine_now: PartnerLifecycle = app.call_ok(&admin, "partner_lifecycle", &[("partner_id", &mine)]).await;
    assert_eq!(
        (mine_now.settings.payout_method.as_str(), mine_now.settings.commission_value),
        ("paypal", 1_000)
    );
    assert_eq!(app.call(&customer, "update_my_payout", &sneaky).await.status(), StatusCode::FORBIDDEN);
    let platform = app.count("select default_commission_value from platform_settings where id = 1").await;
    assert_eq!(platform, 2_000);
}

#[tokio::test]
async fn running_stats_equal_the_recomputation_after_conversions_payments_and_reversals() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let id = app.partner(&admin, "Counted", "percent", "20").await;
    let partner = app.partner_user(&admin, &id, "p@counted.example").await;
    let mut workspaces = Vec::new();
    for n in 0..3 {
        let (_, w) = app.referred_customer("counted", &format!("c{n}@example.com"), "C").await;
        workspaces.push(w);
    }
    app.activate(&admin, &workspaces[0], &plan).await;
    app.activate(&admin, &workspaces[1], &plan).await;
    let cancel =
        [("workspace_id", workspaces[1].as_str()), ("plan_id", plan.as_str()), ("status", "CANCELED")];
    assert_eq!(app.call(&admin, "set_subscription", &cancel).await.status(), StatusCode::OK);
    let stats: PartnerRunningStats = app.call_ok(&partner, "my_partner_stats", &[]).await;
    assert_eq!(stats.total_referrals, 3);
    assert_eq!(stats.active_referrals, 1, "only the ACTIVE subscription counts now");
    assert_eq!(
        (stats.total_earnings_cents, stats.pending_payout_cents, stats.lifetime_payout_cents),
        (4_000, 4_000, 0)
    );
    // The payout run gathers both entries; the admin marks that payout paid.
    let run = admin
        .post(app.url("/api/run_payouts"))
        .json(&serde_json::json!({ "exclude": [], "include": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(run.status(), StatusCode::OK);
    let listed: Page<tributary::api::types::PayoutView> =
        app.call_ok(&admin, "admin_payout_page", &[("query[page]", "1")]).await;
    let in_payout: PartnerRunningStats = app.call_ok(&partner, "my_partner_stats", &[]).await;
    assert_eq!((in_payout.pending_payout_cents, in_payout.lifetime_payout_cents), (4_000, 0));
    let form = [("payout_id", listed.rows[0].id.as_str()), ("reference", "TX-1")];
    assert!(app.call_ok::<bool>(&admin, "mark_payout_paid", &form).await);
    let queue: Page<PartnerQueueEntry> = app.call_ok(&admin, "admin_partner_queue", &[]).await;
    let row = queue.rows.iter().find(|e| e.partner.id == id).unwrap();
    assert_eq!(
        (row.stats.total_earnings_cents, row.stats.pending_payout_cents, row.stats.lifetime_payout_cents),
        (4_000, 0, 4_000)
    );
    let recomputed = scalar(
        &app,
        "select cast(coalesce(sum(amount_cents), 0) as bigint) from commissions \
        where partner_id = $1 and kind = 'cash'",
        &id,
    )
    .await;
    assert_eq!(row.stats.total_earnings_cents, recomputed);
    let lifecycle: PartnerLifecycle = app.call_ok(&admin, "partner_lifecycle", &[("partner_id", &id)]).await;
    assert_eq!(lifecycle.stats, row.stats);

    // A later paid period earns; refunding half of it reverses half. The stats follow the
    // ledger and agree with the partner's own balances.
    for _ in 0..2 {
        let form = [("workspace_id", workspaces[0].as_str()), ("amount", "100")];
        let _: tributary::api::types::BillingOutcome =
            app.call_ok(&admin, "record_paid_invoice", &form).await;
    }
    let invoices: Vec<tributary::api::types::InvoiceView> =
        app.call_ok(&admin, "workspace_invoices", &[("workspace_id", &workspaces[0])]).await;
    let refund = [("invoice_id", invoices[0].id.as_str()), ("amount", "50")];
    let _: tributary::api::types::BillingOutcome = app.call_ok(&admin, "refund_invoice", &refund).await;
    let after: PartnerRunningStats = app.call_ok(&partner, "my_partner_stats", &[]).await;
    assert_eq!(
        (after.total_earnings_cents, after.pending_payout_cents, after.lifetime_payout_cents),
        (5_000, 1_000, 4_000)
    );
    let recomputed = scalar(
        &app,
        "select cast(coalesce(sum(amount_cents), 0) as bigint) from commissions \
        where partner_id = $1 and kind = 'cash'",
        &id,
    )
    .await;
    assert_eq!(after.total_earnings_cents, recomputed);
    let balances: tributary::api::types::PortalPayouts = app.call_ok(&partner, "my_payouts", &[]).await;
    let b = balances.balances;
    assert_eq!(after.lifetime_payout_cents, b.paid_cents);
    assert_eq!(after.pending_payout_cents, b.on_hold_cents + b.available_cents + b.in_payout_cents);
}

/// The lifecycle pages render on the server for the people they are for.
#[tokio::test]
async fn the_lifecycle_pages_render_for_admins_applicants_and_partners() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let (user, id) = applicant(&app, "v@creator.example", "Viewable").await;
    let page = |client: Client, path: String| {
        let url = app.url(&path);
        async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.text().await.unwrap()
        }
    };
    let apply = page(user.clone(), "/partners/apply".into()).await;
    assert!(apply.contains("Pending review"), "the applicant sees its state");
    let portal = page(user.clone(), "/partners".into()).await;
    assert!(portal.contains("partner-state-panel"), "a pending partner sees its state, not the portal");
    assert!(!portal.contains("Referral Links"));
    let queue = page(admin.clone(), "/admin/partners".into()).await;
    assert!(queue.contains("review-queue") && queue.contains("Viewable"));
    let detail = page(admin.clone(), format!("/admin/partners/{id}")).await;
    assert!(detail.contains("settings-form") && detail.contains("action-approve"));
    let settings = page(admin.clone(), "/admin/settings".into()).await;
    assert!(settings.contains("platform-form"));
    act(&app, &admin, &id, "approve", "").await;
    let portal = page(user.clone(), "/partners".into()).await;
    assert!(portal.contains("portal-running-stats"), "approved: the portal with its stats");
    let mine = page(user.clone(), "/partners/settings".into()).await;
    assert!(mine.contains("payout-form") && mine.contains("/register?ref=viewable"));
    let subs = page(user, "/partners/sub-accounts".into()).await;
    assert!(subs.contains("sub-account-form"));
}

#[tokio::test]
async fn ten_applications_at_once_from_one_person_make_one_partner() {
    let app = Arc::new(spawn_app().await);
    let user = app.signed_in_user("eager@creator.example").await;
    let barrier = Arc::new(Barrier::new(10));
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (app, user, barrier) = (app.clone(), user.clone(), barrier.clone());
            tokio::spawn(async move {
                let form = [
                    ("name", "Eager"),
                    ("website", ""),
                    ("promotion", "Everywhere"),
                    ("payout_country", "FR"),
                ];
                barrier.wait().await;
                app.call(&user, "apply_partner", &form).await.status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(app.count("select count(*) from partners").await, 1);
    assert_eq!(app.count("select count(*) from workspaces where kind = 'partner'").await, 1);
}

#[tokio::test]
async fn the_review_queue_pages_pending_first_with_each_pages_own_stats() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let mut approved = Vec::new();
    for n in 0..27 {
        approved.push(app.partner(&admin, &format!("Approved {n}"), "percent", "10").await);
    }
    let mut pending = Vec::new();
    for n in 0..3 {
        let (_, id) = applicant(&app, &format!("applicant{n}@example.com"), &format!("Applicant {n}")).await;
        pending.push(id);
    }
    let first: Page<PartnerQueueEntry> = app.call_ok(&admin, "admin_partner_queue", &[]).await;
    let second: Page<PartnerQueueEntry> = app.call_ok(&admin, "admin_partner_queue", &[("page", "2")]).await;
    assert_eq!((first.total, first.rows.len(), second.rows.len()), (30, 25, 5));
    let states: Vec<&str> = first.rows.iter().take(3).map(|e| e.partner.status.as_str()).collect();
    assert_eq!(states, ["pending"; 3], "applications come first");
    let mut seen: Vec<&str> = first.rows.iter().chain(&second.rows).map(|e| e.partner.id.as_str()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 30, "every partner on exactly one page");
    for e in first.rows.iter().chain(&second.rows) {
        assert_eq!(e.stats.partner_id, e.partner.id, "each row carries its own partner's stats");
    }
    let beyond: Page<PartnerQueueEntry> = app.call_ok(&admin, "admin_partner_queue", &[("page", "9")]).await;
    assert!(beyond.rows.is_empty());
    let html = admin.get(app.url("/admin/partners?queue=9")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("No partners on this page of the queue"), "an empty page says so");
}

/// A partner's active referrals and the overview's MRR through every kind of subscription
/// change, including a plan change while ACTIVE and a burst of changes to one workspace at
/// once: the kept totals (`rollups`) always equal the count over the subscriptions.
#[tokio::test]
async fn active_referrals_and_mrr_follow_every_subscription_change() {
    use tributary::api::types::AdminOverview;
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let pro = app.plan(&admin, "Pro", "100.00").await;
    let team = app.plan(&admin, "Team", "250.00").await;
    let id = app.partner(&admin, "Tallied", "percent", "20").await;
    let partner = app.partner_user(&admin, &id, "p@tallied.example").await;
    let (_, first) = app.referred_customer("tallied", "c1@example.com", "C1").await;
    let (_, second) = app.referred_customer("tallied", "c2@example.com", "C2").await;
    let figures = || async {
        let stats: PartnerRunningStats = app.call_ok(&partner, "my_partner_stats", &[]).await;
        let o: AdminOverview = app.call_ok(&admin, "admin_dashboard", &[("period", "30")]).await;
        app.assert_rollups_exact().await;
        (stats.active_referrals, o.active_referred, o.mrr_cents)
    };
    assert_eq!(figures().await, (0, 0, 0));
    set(&app, &admin, &first, &pro, "TRIALING").await;
    assert_eq!(figures().await, (0, 0, 0), "a trial is not revenue");
    set(&app, &admin, &first, &pro, "ACTIVE").await;
    set(&app, &admin, &second, &pro, "ACTIVE").await;
    assert_eq!(figures().await, (2, 2, 20_000));
    set(&app, &admin, &first, &team, "ACTIVE").await;
    assert_eq!(figures().await, (2, 2, 35_000), "an upgrade moves MRR, not the count");
    set(&app, &admin, &second, &pro, "PAST_DUE").await;
    assert_eq!(figures().await, (1, 1, 25_000));
    set(&app, &admin, &second, &team, "ACTIVE").await;
    set(&app, &admin, &first, &team, "CANCELED").await;
    assert_eq!(figures().await, (1, 1, 25_000));

    // Twelve changes of one workspace at once, released together: whatever order they
    // commit in, the totals equal the last one's state.
    let barrier = Arc::new(Barrier::new(12));
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (barrier, url) = (barrier.clone(), app.url("/api/set_subscription"));
            let (admin, plan) = (admin.clone(), if i % 3 == 0 { pro.clone() } else { team.clone() });
            let status = ["ACTIVE", "PAST_DUE", "CANCELED", "ACTIVE"][i % 4];
            let form = [("workspace_id", first.clone()), ("plan_id", plan), ("status", status.to_string())];
            tokio::spawn(async move {
                barrier.wait().await;
                admin
                    .post(url)
                    .form(&form)
                    .header("accept", "application/json")
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let (active, referred, mrr) = figures().await;
    let last: (String, i64) = sqlx::query_as(
        "select s.status, pl.price_monthly_cents from subscriptions s join plans pl on pl.id = s.plan_id \
         where s.workspace_id = $1",
    )
    .bind(&first)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    let (first_active, first_mrr) = if last.0 == "ACTIVE" { (1, last.1) } else { (0, 0) };
    assert_eq!((active, referred, mrr), (1 + first_active, 1 + first_active, 25_000 + first_mrr));
}

async fn set(app: &TestApp, admin: &Client, workspace: &str, plan: &str, status: &str) {
    let form = [("workspace_id", workspace), ("plan_id", plan), ("status", status)];
    let answer = app.call(admin, "set_subscription", &form).await;
    assert_eq!(answer.status(), StatusCode::OK, "{}", answer.text().await.unwrap());
}
