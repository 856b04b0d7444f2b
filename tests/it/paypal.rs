//! PayPal Payouts (issue #12) through the real app against the fake PayPal
//! (`tributary::fake_rails::paypal`): batches that never pay an item twice whatever the
//! server does, item statuses, and a Stripe and a PayPal partner in one run.
use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::{TestApp, spawn_app_with};
use reqwest::StatusCode;
use tokio::sync::Barrier;
use tributary::fake_rails::paypal::{Call, FakePaypal, Fault};
use tributary::fake_rails::stripe::FakeStripe;
use tributary::server::config::Secret;
use tributary::server::rails::paypal::PaypalSettings;
use tributary::server::rails::stripe::StripeSettings;
use tributary::server::services::rail_dispatch::DispatchSummary;
use tributary::server::services::stripe_connect;

const CLIENT_ID: &str = "fake-paypal-client";
const CLIENT_SECRET: &str = "fake-paypal-secret-123";
const STRIPE_KEY: &str = "sk_test_fake_for_paypal_tests";
const STRIPE_WEBHOOK: &str = "whsec_fake_for_paypal_tests";
const EMAIL: &str = "money@payee.example";

struct Rig {
    app: TestApp,
    paypal: FakePaypal,
    stripe: FakeStripe,
    admin: reqwest::Client,
    plan: String,
    /// A partner paid by PayPal at [`EMAIL`], earning $20.00.
    partner_id: String,
    partner: reqwest::Client,
}

/// An app wired to a fake PayPal (tokens live `token_ttl`) and a fake Stripe, with one
/// partner earning $20.00 who chose PayPal.
async fn rig_with(token_ttl: Duration) -> Rig {
    let paypal = FakePaypal::start(CLIENT_ID, CLIENT_SECRET, token_ttl, 0).await.expect("fake paypal");
    let stripe = FakeStripe::start(STRIPE_KEY, STRIPE_WEBHOOK, Duration::from_secs(24 * 3600), 0)
        .await
        .expect("fake stripe");
    let (paypal_base, stripe_base) = (paypal.base().to_string(), stripe.base().to_string());
    let app = spawn_app_with(|c| {
        c.session_ttl_days = 3_650;
        c.paypal = PaypalSettings {
            client_id: Some(CLIENT_ID.into()),
            client_secret: Some(Secret(CLIENT_SECRET.into())),
            api_base: paypal_base,
            timeout: Duration::from_millis(700),
            reconcile_after_ms: 0,
        };
        c.stripe = StripeSettings {
            secret_key: Some(STRIPE_KEY.into()),
            webhook_secret: Some(STRIPE_WEBHOOK.into()),
            api_base: stripe_base,
            timeout: Duration::from_millis(700),
            reconcile_after_ms: 0,
        };
    })
    .await;
    let db = app.state.db.clone();
    stripe.set_clock(Arc::new(move || db.now_ms()));
    stripe.set_webhook_url(&app.url("/api/v1/stripe/webhook"));
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let (partner_id, partner) = earning_partner(&app, &admin, &plan, "Paypaler").await;
    let r =
        app.call(&partner, "update_my_payout", &[("payout_method", "paypal"), ("paypal_email", EMAIL)]).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    Rig { app, paypal, stripe, admin, plan, partner_id, partner }
}

async fn rig() -> Rig {
    rig_with(Duration::from_secs(9 * 3600)).await
}

/// A partner whose referred customer pays $100.00 at 20% (a $20.00 commission).
async fn earning_partner(
    app: &TestApp,
    admin: &reqwest::Client,
    plan: &str,
    name: &str,
) -> (String, reqwest::Client) {
    let partner_id = app.partner(admin, name, "percent", "20").await;
    let lower = name.to_lowercase();
    let partner = app.partner_user(admin, &partner_id, &format!("p@{lower}.example")).await;
    let (_, workspace) =
        app.referred_customer(&lower, &format!("c@{lower}.example"), &format!("{name} Customer")).await;
    assert_eq!(app.activate(admin, &workspace, plan).await.status(), StatusCode::OK);
    (partner_id, partner)
}

/// (status, external reference, failure reason) of every payout, oldest first.
async fn payouts_of(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    sqlx::query_as("select status, external_reference, failure_reason from payouts order by created_at, id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

/// (attempt, outcome, batch) of every attempt.
async fn attempts(app: &TestApp) -> Vec<(i64, String, Option<String>)> {
    sqlx::query_as("select attempt, outcome, batch_id from payout_attempts order by payout_id, attempt")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

fn item_ids(fake: &FakePaypal) -> Vec<String> {
    fake.items().iter().map(|i| i["payout_item_id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_dropped_batch_answer_then_a_rerun_makes_exactly_one_item_and_pays_the_payout() {
    let r = rig().await;
    r.paypal.inject(Call::CreateBatch, Fault::DropResponse);
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    let first = r.app.dispatch_rails().await;
    assert_eq!((first.paid, first.unknown), (0, 1));
    assert_eq!(payouts_of(&r.app).await[0].0, "processing", "an unknown outcome stays processing");
    assert_eq!(attempts(&r.app).await[0].1, "unknown");
    assert_eq!(r.paypal.items().len(), 1, "the fake committed the batch");
    let html = r.admin.get(r.app.url("/admin/payouts")).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("needs reconcile") && html.contains("PayPal batch tributary-"),
        "the open attempt is shown"
    );

    // The rerun sends the same batch again (same sender_batch_id and request id):
    // PayPal replays its stored answer, the item is read back, nothing new is made.
    let second = r.app.dispatch_rails().await;
    assert_eq!(second.paid, 1);
    let ids = item_ids(&r.paypal);
    assert_eq!(ids.len(), 1, "exactly one item at PayPal");
    assert_eq!(r.paypal.batch_count(), 1);
    assert_eq!(r.paypal.batch_requests(), 2);
    let p = &payouts_of(&r.app).await[0];
    assert_eq!((p.0.as_str(), p.1.as_deref()), ("paid", Some(ids[0].as_str())));
    let item = &r.paypal.items()[0];
    assert_eq!(item["payout_item"]["amount"]["value"], "20.00");
    assert_eq!(item["payout_item"]["amount"]["currency"], "USD");
    assert_eq!(item["payout_item"]["receiver"], EMAIL);
    let a = attempts(&r.app).await;
    assert_eq!(a.len(), 1, "no second attempt was opened");
    assert_eq!(a[0].1, "succeeded");
    assert!(a[0].2.as_deref().unwrap().starts_with("tributary-"), "{a:?}");
    // Nothing left to do.
    assert_eq!(r.app.dispatch_rails().await, DispatchSummary::default());
    assert_eq!(r.app.run_payouts().await.payouts_created, 0);
    assert_eq!(r.paypal.items().len(), 1);
    assert_eq!(r.app.available_cents(&r.partner_id).await, 0);
    let html = r.admin.get(r.app.url("/admin/payouts")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("needs reconcile") && html.contains("PayPal batch PB"), "reconciled");
}

#[tokio::test]
async fn a_500_after_commit_is_resolved_by_paypal_naming_the_batch_it_already_made() {
    let r = rig().await;
    r.paypal.inject(Call::CreateBatch, Fault::ErrorAfterCommit);
    r.app.run_payouts().await;
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    assert_eq!(payouts_of(&r.app).await[0].0, "processing");
    // The 500 was not kept against the request id: the resend meets PayPal's refusal of
    // a used sender_batch_id, whose link names the batch.
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.paypal.items().len(), 1);
    assert_eq!(r.paypal.batch_count(), 1);
    assert_eq!(payouts_of(&r.app).await[0].1.as_deref(), Some(item_ids(&r.paypal)[0].as_str()));
    // The same when PayPal has also forgotten the request id after a dropped answer.
    r.app.state.db.clock.advance_days(31);
    r.paypal.inject(Call::CreateBatch, Fault::DropResponse);
    let (_, second) = earning_partner(&r.app, &r.admin, &r.plan, "Second").await;
    let ok = r
        .app
        .call(
            &second,
            "update_my_payout",
            &[("payout_method", "paypal"), ("paypal_email", "second@payee.example")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    r.paypal.forget_request_ids();
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.paypal.items().len(), 2, "one item per payout");
    assert_eq!(r.paypal.batch_count(), 2);
}

#[tokio::test]
async fn a_hang_that_made_nothing_is_sent_again_under_the_same_batch_id_and_pays_once() {
    let r = rig().await;
    r.paypal.inject(Call::CreateBatch, Fault::Hang);
    r.app.run_payouts().await;
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    assert!(r.paypal.items().is_empty());
    // A 500 before anything was made: still unknown, still nothing.
    r.paypal.inject(Call::CreateBatch, Fault::ErrorBeforeCommit);
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    assert!(r.paypal.items().is_empty());
    assert_eq!(payouts_of(&r.app).await[0].0, "processing");
    // The batch status read fails once after the batch is made: the payout waits.
    r.paypal.inject(Call::GetBatch, Fault::ErrorBeforeCommit);
    let third = r.app.dispatch_rails().await;
    assert_eq!((third.paid, third.waiting), (0, 1));
    assert_eq!(attempts(&r.app).await[0].1, "submitted");
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.paypal.items().len(), 1);
    assert_eq!(r.paypal.batch_count(), 1);
    let a = attempts(&r.app).await;
    assert_eq!(a.iter().map(|(n, o, _)| (*n, o.as_str())).collect::<Vec<_>>(), [(1, "succeeded")]);
}

#[tokio::test]
async fn a_failed_item_fails_the_payout_returns_its_entries_and_the_next_run_pays_them_once() {
    let r = rig().await;
    r.paypal.set_receiver_status(EMAIL, "FAILED");
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    assert_eq!(r.app.available_cents(&r.partner_id).await, 0);
    assert_eq!(r.app.dispatch_rails().await.failed, 1);
    let p = &payouts_of(&r.app).await[0];
    assert_eq!(p.0, "failed");
    assert!(p.2.as_deref().unwrap().contains("RECEIVER_UNREGISTERED"), "{p:?}");
    assert_eq!(r.app.available_cents(&r.partner_id).await, 2_000, "the entries are back in the balance");

    r.paypal.set_receiver_status(EMAIL, "SUCCESS");
    r.app.state.db.clock.advance_days(31);
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.app.run_payouts().await.payouts_created, 0);
    assert_eq!(r.app.dispatch_rails().await, DispatchSummary::default());
    let items = r.paypal.items();
    assert_eq!(items.len(), 2);
    let statuses: Vec<_> = items.iter().map(|i| i["transaction_status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["FAILED", "SUCCESS"]);
    assert_eq!(items[1]["payout_item"]["amount"]["value"], "20.00", "paid once, in full");
    assert_eq!(r.app.available_cents(&r.partner_id).await, 0);
}

#[tokio::test]
async fn unclaimed_and_pending_items_stay_processing_until_paypal_settles_them() {
    let r = rig().await;
    r.paypal.set_receiver_status(EMAIL, "UNCLAIMED");
    r.app.run_payouts().await;
    let first = r.app.dispatch_rails().await;
    assert_eq!((first.paid, first.waiting), (0, 1));
    assert_eq!(payouts_of(&r.app).await[0].0, "processing");
    assert_eq!(attempts(&r.app).await[0].1, "submitted");
    let payout_id: String =
        sqlx::query_scalar("select id from payouts").fetch_one(&r.app.state.db.pool).await.unwrap();
    r.paypal.set_item_status(&payout_id, "PENDING");
    assert_eq!(r.app.dispatch_rails().await.waiting, 1);
    assert_eq!(r.paypal.batch_requests(), 1, "waiting items are read back, never sent again");
    r.paypal.set_item_status(&payout_id, "SUCCESS");
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(payouts_of(&r.app).await[0].0, "paid");
    assert_eq!(r.paypal.items().len(), 1);
}

#[tokio::test]
async fn a_stripe_partner_and_a_paypal_partner_are_paid_in_the_same_run() {
    let r = rig().await;
    let (stripe_partner, _) = earning_partner(&r.app, &r.admin, &r.plan, "Striper").await;
    let link = stripe_connect::start_onboarding(
        &r.app.state.db,
        &r.app.state.rails,
        &stripe_partner,
        None,
        "http://back.example/r",
    )
    .await
    .expect("account link");
    let event = r.stripe.set_enabled(link.rsplit('/').next().unwrap(), true).unwrap();
    assert_eq!(r.stripe.deliver(&event).await, Some(200));

    assert_eq!(r.app.run_payouts().await.payouts_created, 2);
    let summary = r.app.dispatch_rails().await;
    assert_eq!((summary.paid, summary.unknown, summary.failed), (2, 0, 0));
    assert_eq!(r.stripe.transfers().len(), 1);
    assert_eq!(r.paypal.items().len(), 1);
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("select method, status, external_reference from payouts order by method")
            .fetch_all(&r.app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(rows[0].0, "paypal");
    assert_eq!(rows[0].2.as_deref(), Some(item_ids(&r.paypal)[0].as_str()));
    assert_eq!(rows[1].0, "stripe");
    assert!(rows[1].2.as_deref().unwrap().starts_with("tr_"));
    assert!(rows.iter().all(|r| r.1 == "paid"), "{rows:?}");
    // One token served both the batch and its read-back.
    assert_eq!(r.paypal.token_requests(), 1);
    // The admin's payouts list shows both references and no secret.
    let html = r.admin.get(r.app.url("/admin/payouts")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("dashboard.stripe.com/test/connect/transfers/tr_"), "a Stripe link");
    assert!(html.contains(&item_ids(&r.paypal)[0]) && html.contains("PB"), "the PayPal batch and item");
    assert!(!html.contains(CLIENT_SECRET) && !html.contains(STRIPE_KEY));
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_batch_still_goes_out_once() {
    let r = rig_with(Duration::from_secs(3600)).await;
    r.app.run_payouts().await;
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.paypal.items().len(), 1);
    assert_eq!(r.paypal.token_requests(), 1);
    r.app.state.db.clock.advance_days(31);
    let (_, later) = earning_partner(&r.app, &r.admin, &r.plan, "Later").await;
    let ok = r
        .app
        .call(
            &later,
            "update_my_payout",
            &[("payout_method", "paypal"), ("paypal_email", "later@payee.example")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    // PayPal drops the token the app holds (the app still thinks it valid): the batch
    // call answers 401, the client takes a new token and sends the same batch again.
    r.paypal.expire_tokens();
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.paypal.token_requests(), 2, "renewed after PayPal refused the cached one");
    assert_eq!(r.paypal.items().len(), 2);
}

#[tokio::test]
async fn a_bad_paypal_email_is_refused_with_a_clear_message_and_changes_nothing() {
    let r = rig().await;
    for (email, says) in [("not-an-email", "@"), ("", "PayPal email"), ("a@b", "domain")] {
        let resp = r
            .app
            .call(&r.partner, "update_my_payout", &[("payout_method", "paypal"), ("paypal_email", email)])
            .await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{email:?}");
        let body = resp.text().await.unwrap();
        assert!(body.contains("paypal_email") && body.contains(says), "{email:?}: {body}");
    }
    let details: Option<String> = sqlx::query_scalar("select payout_details from partners where id = $1")
        .bind(&r.partner_id)
        .fetch_one(&r.app.state.db.pool)
        .await
        .unwrap();
    assert!(details.unwrap().contains(EMAIL), "the stored email is unchanged");
    // The secret shows nowhere.
    assert!(!format!("{:?}", r.app.state.config).contains(CLIENT_SECRET));
    assert!(!format!("{:?}", r.app.state.rails).contains(CLIENT_SECRET));
    let page = r.partner.get(r.app.url("/partners/payouts")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(CLIENT_SECRET));
}

#[tokio::test]
async fn concurrent_dispatchers_make_one_paypal_item_and_an_admin_cannot_decide_it_by_hand() {
    let r = rig().await;
    r.paypal.inject(Call::CreateBatch, Fault::ErrorAfterCommit);
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    let id: String =
        sqlx::query_scalar("select id from payouts").fetch_one(&r.app.state.db.pool).await.unwrap();
    let app = Arc::new(r.app);
    for _ in 0..3 {
        let barrier = Arc::new(Barrier::new(8));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (app, barrier) = (app.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    app.dispatch_rails().await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    }
    assert_eq!(r.paypal.items().len(), 1);
    assert_eq!(r.paypal.batch_count(), 1);
    assert_eq!(payouts_of(&app).await[0].0, "paid");
    for (endpoint, field) in [("mark_payout_failed", "reason"), ("mark_payout_paid", "reference")] {
        let resp = app.call(&r.admin, endpoint, &[("payout_id", id.as_str()), (field, "by hand")]).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    assert_eq!(payouts_of(&app).await[0].0, "paid");
}

#[tokio::test]
async fn a_partner_who_leaves_stripe_for_paypal_stays_on_paypal_and_can_come_back_without_onboarding_again() {
    let r = rig().await;
    let (switcher, user) = earning_partner(&r.app, &r.admin, &r.plan, "Switcher").await;
    let link =
        stripe_connect::start_onboarding(&r.app.state.db, &r.app.state.rails, &switcher, None, "http://x/")
            .await
            .expect("account link");
    let account = link.rsplit('/').next().unwrap().to_string();
    let enabled = r.stripe.set_enabled(&account, true).unwrap();
    assert_eq!(r.stripe.deliver(&enabled).await, Some(200));
    let ok = r
        .app
        .call(
            &user,
            "update_my_payout",
            &[("payout_method", "paypal"), ("paypal_email", "switcher@payee.example")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    // Stripe reports on the account again: the partner's choice stands.
    let again = r.stripe.set_enabled(&account, true).unwrap();
    assert_eq!(r.stripe.deliver(&again).await, Some(200));
    let (method, details): (String, String) =
        sqlx::query_as("select payout_method, payout_details from partners where id = $1")
            .bind(&switcher)
            .fetch_one(&r.app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(method, "paypal");
    assert!(details.contains("switcher@payee.example"), "{details}");
    assert_eq!(r.app.run_payouts().await.payouts_created, 2);
    assert_eq!(r.app.dispatch_rails().await.paid, 2);
    assert!(r.stripe.transfers().is_empty());
    assert_eq!(r.paypal.items().len(), 2);
    // Back to Stripe from the settings form: the recorded account still counts.
    let back = r.app.call(&user, "update_my_payout", &[("payout_method", "stripe")]).await;
    assert_eq!(back.status(), StatusCode::OK);
    let details: String = sqlx::query_scalar("select payout_details from partners where id = $1")
        .bind(&switcher)
        .fetch_one(&r.app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(tributary::server::services::rails::ready("stripe", Some(&details)), Ok(()), "{details}");
}
