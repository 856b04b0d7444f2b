//! The partner referral program of spec 000, end to end through the HTTP API.
use crate::common;

use std::sync::Arc;

use common::{browser, spawn_app};
use reqwest::StatusCode;
use tokio::sync::Barrier;
use tributary::api::types::{CodeRow, LedgerRow, PartnerProfile, PayoutQueue, PortalPayouts, ReferralRow};

async fn referrals(app: &common::TestApp, partner: &reqwest::Client) -> Vec<ReferralRow> {
    app.call_ok(partner, "my_referrals", &[]).await
}

#[tokio::test]
async fn creating_a_partner_makes_its_workspace_default_code_and_approval() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Acme Agency", "percent", "12.5").await;
    let profile: PartnerProfile = app.call_ok(&admin, "partner_detail", &[("partner_id", &id)]).await;
    assert_eq!(profile.partner.commission_kind, "percent");
    assert_eq!(profile.partner.commission_value, 1_250);
    assert!(profile.partner.approved_at.is_some());
    assert_eq!(profile.codes.len(), 1);
    assert_eq!(profile.codes[0].code, "acme-agency");
    assert!(profile.codes[0].link.ends_with("/register?ref=acme-agency"));
}

#[tokio::test]
async fn bad_partner_input_is_a_400_and_saves_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let cases = [
        ("X", "x@example.com", "percent", "100.01", "commission_value"),
        ("X", "x@example.com", "flat", "-5", "commission_value"),
        ("X", "x@example.com", "flat", "99999999", "commission_value"),
        ("", "x@example.com", "percent", "10", "name"),
        ("X", "not-an-email", "percent", "10", "contact_email"),
        ("X", "x@example.com", "bitcoin", "10", "commission_kind"),
    ];
    for (name, email, kind, value, field) in cases {
        let response = app
            .call(
                &admin,
                "create_partner",
                &[
                    ("name", name),
                    ("contact_email", email),
                    ("commission_kind", kind),
                    ("commission_value", value),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{kind} {value}");
        let error: tributary::api::AppError = response.json().await.unwrap();
        assert!(error.for_field(field).is_some(), "{error:?} should be about {field}");
    }
    let partners: tributary::model::list::Page<tributary::api::types::PartnerRow> =
        app.call_ok(&admin, "admin_partners", &[("query[page]", "1")]).await;
    assert!(partners.rows.is_empty());
    let long_name = "n".repeat(81);
    let plan = app.call(&admin, "create_plan", &[("name", &long_name), ("price", "10")]).await;
    assert_eq!(plan.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_referral_link_attributes_the_workspace_and_conversion_pays_exactly() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Growth", "99.00").await;
    let partner_id = app.partner(&admin, "Acme", "percent", "12.5").await;
    let partner = app.partner_user(&admin, &partner_id, "p@acme.example").await;
    let code: CodeRow = app.call_ok(&partner, "create_code", &[("code", "Summer_25")]).await;
    assert!(code.link.ends_with("/register?ref=Summer_25"));

    let (_, workspace) = app.referred_customer("summer_25", "buyer@example.com", "Buyer Co").await;
    let bound = referrals(&app, &partner).await;
    assert_eq!(bound.len(), 1);
    assert_eq!((bound[0].workspace_name.as_str(), bound[0].status()), ("Buyer Co", "registered"));
    assert_eq!(bound[0].code.as_deref(), Some("Summer_25"));

    let response = app.activate(&admin, &workspace, &plan).await;
    assert_eq!(response.status(), StatusCode::OK);
    let payouts: PortalPayouts = app.call_ok(&partner, "my_payouts", &[]).await;
    // 9900 * 1250 / 10000 = 1237.5 → 1238 (half up)
    assert_eq!(payouts.entries.len(), 1);
    assert_eq!(payouts.entries[0].amount_cents, 1_238);
    assert_eq!(payouts.pending_cents, 1_238);
    assert_eq!(referrals(&app, &partner).await[0].status(), "converted");
}

#[tokio::test]
async fn a_plan_rule_wins_and_editing_it_later_never_rewrites_history() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Scale", "299.00").await;
    let partner_id = app.partner(&admin, "Rules", "percent", "10").await;
    let rule =
        [("partner_id", partner_id.as_str()), ("plan_id", plan.as_str()), ("kind", "flat"), ("value", "50")];
    let _: () = app.call_ok(&admin, "set_commission_rule", &rule).await;
    let (_, workspace) = app.referred_customer("rules", "c@example.com", "C").await;
    app.activate(&admin, &workspace, &plan).await;
    let edited = [
        ("partner_id", partner_id.as_str()),
        ("plan_id", plan.as_str()),
        ("kind", "percent"),
        ("value", "50"),
    ];
    let _: () = app.call_ok(&admin, "set_commission_rule", &edited).await;
    let profile: PartnerProfile = app.call_ok(&admin, "partner_detail", &[("partner_id", &partner_id)]).await;
    let ledger: tributary::model::list::Page<LedgerRow> =
        app.call_ok(&admin, "partner_ledger", &[("partner_id", &partner_id), ("query[page]", "1")]).await;
    let entry: &LedgerRow = &ledger.rows[0];
    assert_eq!(
        (entry.amount_cents, entry.rule_source.as_str(), entry.rule_kind.as_str()),
        (5_000, "plan", "flat")
    );
    assert_eq!(profile.rules[0].kind, "percent");
}

#[tokio::test]
async fn first_touch_keeps_the_first_code_and_bad_codes_never_block_signup() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let first = app.partner(&admin, "First", "percent", "10").await;
    app.partner(&admin, "Second", "percent", "10").await;
    let client = browser();
    client.get(app.url("/register?ref=first")).send().await.unwrap();
    client.get(app.url("/?ref=second")).send().await.unwrap();
    app.register(&client, "ft@example.com").await;
    let _: String = app.call_ok(&client, "create_workspace", &[("name", "FT")]).await;
    let profile: PartnerProfile = app.call_ok(&admin, "partner_detail", &[("partner_id", &first)]).await;
    assert_eq!((profile.referrals.total, profile.referrals.rows.len()), (1, 1));

    let (_, _) = app.referred_customer("no-such-code", "nc@example.com", "NC").await;
    let workspaces: tributary::model::list::Page<tributary::api::types::WorkspaceAdminRow> =
        app.call_ok(&admin, "admin_workspace_page", &[("query[q]", "nc")]).await;
    let nc = workspaces.rows.iter().find(|w| w.name == "NC").unwrap();
    assert_eq!(nc.partner_name, None);
}

#[tokio::test]
async fn a_disabled_code_does_not_attribute() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Off", "percent", "10").await;
    let partner = app.partner_user(&admin, &partner_id, "p@off.example").await;
    let codes: Vec<CodeRow> = app.call_ok(&partner, "my_codes", &[]).await;
    let _: () = app.call_ok(&partner, "disable_code", &[("code_id", &codes[0].id)]).await;
    app.referred_customer("off", "x@example.com", "X").await;
    assert!(referrals(&app, &partner).await.is_empty());
}

#[tokio::test]
async fn a_partners_own_user_is_never_attributed_to_that_partner() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Selfie", "percent", "10").await;
    let partner = app.partner_user(&admin, &partner_id, "me@selfie.example").await;
    partner.get(app.url("/register?ref=selfie")).send().await.unwrap();
    let _: String = app.call_ok(&partner, "create_workspace", &[("name", "Mine")]).await;
    assert!(referrals(&app, &partner).await.is_empty());
}

#[tokio::test]
async fn activating_again_or_after_past_due_never_pays_twice_and_unattributed_pays_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Basic", "10.00").await;
    let partner_id = app.partner(&admin, "Once", "flat", "7.50").await;
    let partner = app.partner_user(&admin, &partner_id, "p@once.example").await;
    let (_, workspace) = app.referred_customer("once", "o@example.com", "O").await;
    for status in ["ACTIVE", "ACTIVE", "PAST_DUE", "ACTIVE", "CANCELED", "ACTIVE"] {
        let form = [("workspace_id", workspace.as_str()), ("plan_id", plan.as_str()), ("status", status)];
        assert_eq!(app.call(&admin, "set_subscription", &form).await.status(), StatusCode::OK);
    }
    let payouts: PortalPayouts = app.call_ok(&partner, "my_payouts", &[]).await;
    assert_eq!(payouts.entries.len(), 1);
    assert_eq!(payouts.entries[0].amount_cents, 750);

    let plain = app.signed_in_user("plain@example.com").await;
    let plain_ws: String = app.call_ok(&plain, "create_workspace", &[("name", "Plain")]).await;
    app.activate(&admin, &plain_ws, &plan).await;
    let queue: PayoutQueue = app.call_ok(&admin, "pending_payouts", &[]).await;
    assert_eq!(queue.entries.len(), 1);
}

#[tokio::test]
async fn twenty_concurrent_activations_create_exactly_one_ledger_entry() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "49.99").await;
    let partner_id = app.partner(&admin, "Burst", "percent", "33.33").await;
    let (_, workspace) = app.referred_customer("burst", "b@example.com", "B").await;
    let barrier = Arc::new(Barrier::new(20));
    let app = Arc::new(app);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, admin, barrier) = (app.clone(), admin.clone(), barrier.clone());
            let (workspace, plan) = (workspace.clone(), plan.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                app.activate(&admin, &workspace, &plan).await.status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let ledger: tributary::model::list::Page<LedgerRow> =
        app.call_ok(&admin, "partner_ledger", &[("partner_id", &partner_id), ("query[page]", "1")]).await;
    assert_eq!(ledger.total, 1);
    // 4999 * 3333 / 10000 = 1666.1667 → 1666
    assert_eq!(ledger.rows[0].amount_cents, 1_666);
}

#[tokio::test]
async fn an_admin_marks_payouts_paid_exactly_once_and_the_partner_sees_it() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let partner_id = app.partner(&admin, "Payee", "percent", "20").await;
    let partner = app.partner_user(&admin, &partner_id, "p@payee.example").await;
    let (_, workspace) = app.referred_customer("payee", "c@example.com", "C").await;
    app.activate(&admin, &workspace, &plan).await;
    let queue: PayoutQueue = app.call_ok(&admin, "pending_payouts", &[]).await;
    assert_eq!(queue.totals[0].pending_cents, 2_000);
    let run = admin
        .post(app.url("/api/run_payouts"))
        .json(&serde_json::json!({ "exclude": [], "include": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(run.status(), StatusCode::OK);
    let listed: tributary::model::list::Page<tributary::api::types::PayoutView> =
        app.call_ok(&admin, "admin_payout_page", &[("query[page]", "1")]).await;
    assert_eq!(listed.rows.len(), 1);
    assert_eq!(listed.rows[0].amount_cents, 2_000);
    let form = [("payout_id", listed.rows[0].id.as_str()), ("reference", "TX-1")];
    assert!(app.call_ok::<bool>(&admin, "mark_payout_paid", &form).await);
    assert!(!app.call_ok::<bool>(&admin, "mark_payout_paid", &form).await);
    // The partner's contact address and its user are told once, however often it's marked.
    let mailed = "select count(*) from outbox where subject = 'Payout of $20.00 sent'";
    assert_eq!(app.count(mailed).await, 2);
    let payouts: PortalPayouts = app.call_ok(&partner, "my_payouts", &[]).await;
    assert_eq!((payouts.pending_cents, payouts.paid_cents), (0, 2_000));
    assert_eq!(payouts.entries[0].status.as_str(), "paid");
    let member = app.signed_in_user("m@example.com").await;
    assert_eq!(app.call(&member, "mark_payout_paid", &form).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn attaching_an_unknown_email_invites_and_applies_at_registration() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Inviter", "percent", "10").await;
    let form = [("partner_id", partner_id.as_str()), ("email", "Later@Example.com")];
    let outcome: String = app.call_ok(&admin, "attach_partner_user", &form).await;
    assert_eq!(outcome, "invited");
    let later = app.signed_in_user("later@example.com").await;
    let me = app.me(&later).await.unwrap();
    assert_eq!(me.partner.map(|p| p.id), Some(partner_id));
    assert_eq!(later.get(app.url("/partners")).send().await.unwrap().status(), StatusCode::OK);
}
