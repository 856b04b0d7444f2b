//! Partner-provisioned tenants and one-time claim links.
use crate::common;

use std::sync::Arc;

use common::{TestApp, browser, spawn_app};
use reqwest::{Client, StatusCode};
use tokio::sync::Barrier;
use tributary::api::AppError;
use tributary::api::types::{ClaimInfo, ProvisionedTenant, ReferralRow, TenantRow};
use tributary::domain::roles::ClaimState;

struct Setup {
    app: TestApp,
    admin: Client,
    partner: Client,
    plan: String,
}

async fn setup() -> Setup {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Growth", "99.00").await;
    let partner_id = app.partner(&admin, "Provider", "percent", "20").await;
    let partner = app.partner_user(&admin, &partner_id, "p@provider.example").await;
    Setup { app, admin, partner, plan }
}

async fn provision(s: &Setup, intended: &str) -> ProvisionedTenant {
    let form = [("workspace_name", "Client Co"), ("plan_id", s.plan.as_str()), ("intended_email", intended)];
    s.app.call_ok(&s.partner, "provision_tenant", &form).await
}

/// Opens the claim link in a fresh browser, registers as `email`, and claims.
async fn claim_as(s: &Setup, link: &str, email: &str) -> (Client, reqwest::Response) {
    let client = browser();
    let path = link.split_once("/register").map(|(_, rest)| format!("/register{rest}")).unwrap();
    client.get(s.app.url(&path)).send().await.unwrap();
    let landing: String = s.app.register(&client, email).await.json().await.unwrap();
    assert_eq!(landing, "/claim");
    let response = s.app.call(&client, "claim_tenant", &[]).await;
    (client, response)
}

#[tokio::test]
async fn a_claim_link_makes_the_customer_owner_on_the_partners_plan() {
    let s = setup().await;
    let tenant = provision(&s, "").await;
    assert!(tenant.claim_link.contains("/register?tenantClaim="));
    let (customer, response) = claim_as(&s, &tenant.claim_link, "owner@client.example").await;
    assert_eq!(response.status(), StatusCode::OK);
    let me = s.app.me(&customer).await.unwrap();
    assert_eq!((me.workspaces[0].name.as_str(), me.workspaces[0].role.as_str()), ("Client Co", "owner"));
    let referrals: Vec<ReferralRow> = s.app.call_ok(&s.partner, "my_referrals", &[]).await;
    assert_eq!((referrals[0].source.as_str(), referrals[0].plan_name.as_deref()), ("claim", Some("Growth")));
    let tenants: Vec<TenantRow> = s
        .app
        .call_ok::<tributary::model::list::Page<TenantRow>>(&s.partner, "my_tenants", &[("query[page]", "1")])
        .await
        .rows;
    assert_eq!(tenants[0].status, ClaimState::Claimed);
    // Activation converts a claimed tenant like any other referral.
    let workspace = me.workspaces[0].id.clone();
    assert_eq!(s.app.activate(&s.admin, &workspace, &s.plan).await.status(), StatusCode::OK);
    let payouts: tributary::api::types::PortalPayouts = s.app.call_ok(&s.partner, "my_payouts", &[]).await;
    assert_eq!(payouts.pending_cents, 1_980);
}

#[tokio::test]
async fn only_the_intended_email_can_claim() {
    let s = setup().await;
    let tenant = provision(&s, "boss@client.example").await;
    let (_, wrong) = claim_as(&s, &tenant.claim_link, "intruder@example.com").await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let error: AppError = wrong.json().await.unwrap();
    assert!(error.to_string().contains("reserved for another email"), "{error}");
    let (_, right) = claim_as(&s, &tenant.claim_link, "boss@client.example").await;
    assert_eq!(right.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_used_token_gets_a_clear_409_and_a_preview_that_says_so() {
    let s = setup().await;
    let tenant = provision(&s, "").await;
    let (_, first) = claim_as(&s, &tenant.claim_link, "a@example.com").await;
    assert_eq!(first.status(), StatusCode::OK);
    let (second_client, second) = claim_as(&s, &tenant.claim_link, "b@example.com").await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let preview: Option<ClaimInfo> = s.app.call_ok(&second_client, "claim_preview", &[]).await;
    assert_eq!(preview.unwrap().problem.as_deref(), Some("This claim link has already been used."));
}

#[tokio::test]
async fn a_revoked_token_cannot_be_claimed() {
    let s = setup().await;
    let tenant = provision(&s, "").await;
    let _: () = s.app.call_ok(&s.partner, "revoke_tenant", &[("tenant_id", &tenant.id)]).await;
    let (_, response) = claim_as(&s, &tenant.claim_link, "late@example.com").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let again = s.app.call(&s.partner, "revoke_tenant", &[("tenant_id", &tenant.id)]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn provisioning_with_an_unknown_plan_or_bad_email_is_refused() {
    let s = setup().await;
    for (plan, email, field) in [("nope", "", "plan_id"), (s.plan.as_str(), "not-mail", "intended_email")] {
        let form = [("workspace_name", "X"), ("plan_id", plan), ("intended_email", email)];
        let response = s.app.call(&s.partner, "provision_tenant", &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let error: AppError = response.json().await.unwrap();
        assert!(error.for_field(field).is_some(), "{error:?}");
    }
    let tenants: Vec<TenantRow> = s
        .app
        .call_ok::<tributary::model::list::Page<TenantRow>>(&s.partner, "my_tenants", &[("query[page]", "1")])
        .await
        .rows;
    assert!(tenants.is_empty());
}

#[tokio::test]
async fn twenty_concurrent_claims_of_one_token_make_exactly_one_owner() {
    let s = setup().await;
    let tenant = provision(&s, "").await;
    let path = tenant.claim_link.split_once("/register").map(|(_, r)| format!("/register{r}")).unwrap();
    let mut clients = Vec::new();
    for i in 0..20 {
        let client = browser();
        client.get(s.app.url(&path)).send().await.unwrap();
        s.app.register(&client, &format!("racer{i}@example.com")).await;
        clients.push(client);
    }
    let barrier = Arc::new(Barrier::new(20));
    let base = s.app.base.clone();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|client| {
            let (barrier, url) = (barrier.clone(), format!("{base}/api/claim_tenant"));
            tokio::spawn(async move {
                barrier.wait().await;
                client.post(url).header("accept", "application/json").send().await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
    let referrals: Vec<ReferralRow> = s.app.call_ok(&s.partner, "my_referrals", &[]).await;
    assert_eq!(referrals.len(), 1);
}

#[tokio::test]
async fn partner_a_cannot_read_or_change_partner_bs_data() {
    let s = setup().await;
    let other_id = s.app.partner(&s.admin, "Other", "percent", "10").await;
    let other = s.app.partner_user(&s.admin, &other_id, "o@other.example").await;
    let tenant = provision(&s, "").await;
    let codes: Vec<tributary::api::types::CodeRow> = s.app.call_ok(&s.partner, "my_codes", &[]).await;
    let disable = s.app.call(&other, "disable_code", &[("code_id", &codes[0].id)]).await;
    assert_eq!(disable.status(), StatusCode::NOT_FOUND);
    let revoke = s.app.call(&other, "revoke_tenant", &[("tenant_id", &tenant.id)]).await;
    assert_eq!(revoke.status(), StatusCode::NOT_FOUND);
    let their_tenants: Vec<TenantRow> = s
        .app
        .call_ok::<tributary::model::list::Page<TenantRow>>(&other, "my_tenants", &[("query[page]", "1")])
        .await
        .rows;
    assert!(their_tenants.is_empty());
    let their_codes: Vec<tributary::api::types::CodeRow> = s.app.call_ok(&other, "my_codes", &[]).await;
    assert!(their_codes.iter().all(|c| c.code != codes[0].code));
    // Still intact for the owner.
    let mine: Vec<TenantRow> = s
        .app
        .call_ok::<tributary::model::list::Page<TenantRow>>(&s.partner, "my_tenants", &[("query[page]", "1")])
        .await
        .rows;
    assert_eq!(mine[0].status, ClaimState::Waiting);
    let customer = s.app.signed_in_user("c@example.com").await;
    assert_eq!(s.app.call(&customer, "my_codes", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        s.app.call(&customer, "partner_detail", &[("partner_id", &other_id)]).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_tenant_list_searches_filters_by_state_and_pages() {
    type Tenants = tributary::model::list::Page<TenantRow>;
    let s = setup().await;
    let page = |query: Vec<(&'static str, String)>| {
        let s = &s;
        async move {
            let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            s.app.call_ok::<Tenants>(&s.partner, "my_tenants", &pairs).await
        }
    };
    let mut ids = Vec::new();
    for n in 1..=27 {
        let form = [
            ("workspace_name", format!("Client {n:02}")),
            ("plan_id", s.plan.clone()),
            ("intended_email", format!("owner{n:02}@client.example")),
        ];
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let made: ProvisionedTenant = s.app.call_ok(&s.partner, "provision_tenant", &pairs).await;
        ids.push(made.id);
        s.app.state.db.clock.advance(1_000);
    }
    let one = page(vec![("query[page]", "1".into())]).await;
    let two = page(vec![("query[page]", "2".into())]).await;
    assert_eq!((one.total, one.rows.len(), two.rows.len()), (27, 25, 2));
    assert_eq!(one.rows[0].workspace_name, "Client 27", "newest first");
    let oldest = page(vec![("query[sort]", "oldest".into())]).await;
    assert_eq!(oldest.rows[0].workspace_name, "Client 01");
    let by_email = page(vec![("query[q]", "OWNER1".into())]).await;
    assert_eq!(by_email.total, 10, "owner10 … owner19");
    let _: () = s.app.call_ok(&s.partner, "revoke_tenant", &[("tenant_id", &ids[0])]).await;
    let revoked = page(vec![("query[status]", "revoked".into())]).await;
    assert_eq!(revoked.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [ids[0].as_str()]);
    let waiting = page(vec![("query[status]", "waiting".into())]).await;
    assert_eq!(waiting.total, 26);
    // Expiry is read at the time of asking, in the filter as in the rows.
    s.app.state.db.clock.advance_days(31);
    let again = s.app.login(&s.partner, "p@provider.example", common::PASSWORD).await;
    assert_eq!(again.status(), StatusCode::OK, "the session outlived: sign in again");
    let expired = page(vec![("query[status]", "expired".into())]).await;
    assert_eq!((expired.total, page(vec![("query[status]", "waiting".into())]).await.total), (26, 0));
    let bad = s.app.call(&s.partner, "my_tenants", &[("query[status]", "lost")]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}
