//! Custom domains are verified through DNS before they brand or get CORS: platform hosts
//! and hosts another account holds are refused, a TXT record `_tributary.<host>` =
//! `tributary-verify=<token>` turns a domain verified ("Check now" or the background
//! check). Every test runs its own DNS server (tests/common/dns.rs); none asks the internet.
use crate::common;

use std::time::Duration;

use common::dns::TestDns;
use common::{TestApp, browser, spawn_app_with};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use tributary::server::config::Config;

const HOST: &str = "partners.agency.test";

struct Agency {
    app: TestApp,
    dns: TestDns,
    admin: Client,
    partner: Client,
}

async fn agency_with(adjust: impl FnOnce(&mut Config)) -> Agency {
    let dns = TestDns::start().await;
    let server = dns.addr();
    let app = spawn_app_with(|config| {
        config.dns_server = Some(server);
        adjust(config);
    })
    .await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Agency", "percent", "10").await;
    let partner = app.partner_user(&admin, &partner_id, "agency@example.com").await;
    Agency { app, dns, admin, partner }
}

async fn agency() -> Agency {
    agency_with(|_| {}).await
}

async fn add(app: &TestApp, client: &Client, host: &str) -> reqwest::Response {
    app.call(
        client,
        "add_domain",
        &[("host", host), ("brand_name", "Agency One"), ("brand_color", "#aa3300")],
    )
    .await
}

/// Adds `host` and answers the new row (as JSON, so the test reads fields by name).
async fn added(a: &Agency, host: &str) -> Value {
    let response = add(&a.app, &a.partner, host).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "add_domain {host}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn my_domain(a: &Agency, host: &str) -> Value {
    let rows: Vec<Value> = a.app.call_ok(&a.partner, "my_domains", &[]).await;
    rows.into_iter().find(|r| r["host"] == host).unwrap_or_else(|| panic!("{host} is not listed"))
}

async fn check(a: &Agency, host: &str) -> Value {
    a.app.call_ok(&a.partner, "check_domain", &[("host", host)]).await
}

/// Publishes the record the portal shows for `host`.
async fn publish(a: &Agency, host: &str) {
    let row = my_domain(a, host).await;
    a.dns.set_txt(row["txt_name"].as_str().unwrap(), &[row["txt_value"].as_str().unwrap()]);
}

/// The text of the page's `data-testid="brand-name"` element on `/` served as `host`, and
/// whether the agency's name or colour appears anywhere on the page. (The element holds
/// the Suspense fallback "Tributary" and the loaded name streams in later in the same
/// response, so only the second part can tell an agency's page from ours.)
async fn page_brand(app: &TestApp, host: &str) -> (String, bool) {
    let response = browser().get(app.url("/")).header("host", host).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let start = html.find(r#"data-testid="brand-name""#).expect("the page shows a brand name");
    let element = &html[start..];
    let inner = &element[element.find('>').unwrap() + 1..element.find("</span>").unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    (text.trim().to_string(), html.contains("Agency One") || html.contains("#aa3300"))
}

async fn cors_for(app: &TestApp, origin: &str) -> Option<String> {
    let preflight = browser()
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/referrals/track"))
        .header("origin", origin)
        .send()
        .await
        .unwrap();
    preflight.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string())
}

async fn assert_refused_host(response: reqwest::Response, what: &str) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_eq!(body["Invalid"]["field"], "host", "{what}: {body}");
}

#[tokio::test]
async fn the_platforms_own_hosts_can_never_be_added() {
    let a = agency_with(|config| {
        config.platform_hosts = vec!["tributary.example".into(), "go.tributary.example".into()];
        config.public_url = Some("https://app.tributary.test".into());
    })
    .await;
    for host in ["tributary.example", "Go.Tributary.Example", "eu.tributary.example", "app.tributary.test"] {
        assert_refused_host(add(&a.app, &a.partner, host).await, host).await;
    }
    // The Host the platform is answering on right now, configured or not.
    let form = [("host", "portal.platform.test"), ("brand_name", "Mine"), ("brand_color", "#aa3300")];
    let via_host = a
        .partner
        .post(a.app.url("/api/add_domain"))
        .header("host", "portal.platform.test:8443")
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_refused_host(via_host, "the request's own host").await;
    for host in ["localhost", "app.localhost", "10.0.0.1", "127.0.0.1:3000", "http://x"] {
        assert_refused_host(add(&a.app, &a.partner, host).await, host).await;
    }
    let body: Value = add(&a.app, &a.partner, "tributary.example").await.json().await.unwrap();
    assert!(body["Invalid"]["message"].as_str().unwrap().contains("platform's own address"), "{body}");
    assert_eq!(a.app.count("select count(*) from custom_domains").await, 0);
}

#[tokio::test]
async fn a_host_held_by_another_account_is_a_conflict_pending_or_verified() {
    let a = agency().await;
    let rival_id = a.app.partner(&a.admin, "Rival", "percent", "5").await;
    let rival = a.app.partner_user(&a.admin, &rival_id, "rival@example.com").await;
    added(&a, HOST).await;

    let taken = add(&a.app, &rival, HOST).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert!(taken.text().await.unwrap().contains("This domain is already connected to another account."));
    // The same partner adding it twice is told so, next to the field.
    let twice = add(&a.app, &a.partner, "PARTNERS.agency.test").await;
    let body: Value = twice.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "host");
    assert!(body["Invalid"]["message"].as_str().unwrap().contains("already added"), "{body}");
    // Nobody can check or remove someone else's domain.
    assert_eq!(a.app.call(&rival, "check_domain", &[("host", HOST)]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(a.app.call(&rival, "remove_domain", &[("host", HOST)]).await.status(), StatusCode::NOT_FOUND);

    publish(&a, HOST).await;
    assert!(check(&a, HOST).await["verified_at"].is_i64());
    assert_eq!(add(&a.app, &rival, HOST).await.status(), StatusCode::CONFLICT);
    let owner: String = sqlx::query_scalar("select workspace_id from custom_domains where host = $1")
        .bind(HOST)
        .fetch_one(&a.app.state.db.pool)
        .await
        .unwrap();
    let rivals: Vec<Value> = a.app.call_ok(&rival, "my_domains", &[]).await;
    assert!(rivals.is_empty(), "the rival holds nothing (owner {owner})");
}

#[tokio::test]
async fn an_unverified_domain_brands_nothing_and_gets_no_cors() {
    let a = agency().await;
    let row = added(&a, HOST).await;
    assert!(row["verified_at"].is_null());
    assert_eq!(page_brand(&a.app, HOST).await, ("Tributary".to_string(), false));
    let branding: Value = browser()
        .post(a.app.url("/api/site_branding"))
        .header("host", HOST)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(branding["name"], "Tributary");
    assert_eq!(branding["custom"], false);
    assert_eq!(cors_for(&a.app, &format!("https://{HOST}")).await, None);
}

#[tokio::test]
async fn publishing_the_txt_record_and_checking_verifies_the_domain_and_then_it_brands() {
    let a = agency().await;
    let row = added(&a, HOST).await;
    assert_eq!(row["txt_name"], "_tributary.partners.agency.test");
    let value = row["txt_value"].as_str().unwrap();
    let token = value.strip_prefix("tributary-verify=").expect("the value names our check");
    assert!(token.len() >= 32 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{value}");
    let other: Value = added(&a, "second.agency.test").await;
    assert_ne!(other["txt_value"], row["txt_value"], "every domain gets its own token");

    a.dns.set_txt("_tributary.partners.agency.test", &["v=spf1 -all", value]);
    let checked = check(&a, HOST).await;
    assert!(checked["verified_at"].is_i64(), "{checked}");
    assert!(checked["last_error"].is_null());
    assert!(a.dns.queries().contains(&"_tributary.partners.agency.test".to_string()));

    assert!(page_brand(&a.app, HOST).await.1, "the agency's name is on its verified domain");
    assert!(page_brand(&a.app, "partners.agency.test:3000").await.1);
    assert_eq!(page_brand(&a.app, "second.agency.test").await, ("Tributary".to_string(), false));
    assert_eq!(
        cors_for(&a.app, "https://partners.agency.test").await.as_deref(),
        Some("https://partners.agency.test")
    );
    assert_eq!(cors_for(&a.app, "https://second.agency.test").await, None);
    assert_eq!(cors_for(&a.app, "https://evil.example").await, None);
    // Checking again changes nothing and asks DNS nothing.
    let queries = a.dns.queries().len();
    assert_eq!(check(&a, HOST).await["verified_at"], checked["verified_at"]);
    assert_eq!(a.dns.queries().len(), queries);
}

#[tokio::test]
async fn a_wrong_or_missing_record_keeps_the_domain_pending_and_says_why() {
    let a = agency().await;
    added(&a, HOST).await;
    let missing = check(&a, HOST).await;
    assert!(missing["verified_at"].is_null());
    assert!(missing["last_checked_at"].is_i64());
    assert!(
        missing["last_error"]
            .as_str()
            .unwrap()
            .contains("No TXT record found at _tributary.partners.agency.test")
    );

    a.dns.set_txt("_tributary.partners.agency.test", &["tributary-verify=0123456789abcdef0123456789abcdef"]);
    let wrong = check(&a, HOST).await;
    assert!(wrong["verified_at"].is_null());
    assert!(wrong["last_error"].as_str().unwrap().contains("different code"), "{wrong}");
    assert_eq!(my_domain(&a, HOST).await["last_error"], wrong["last_error"]);
    assert_eq!(page_brand(&a.app, HOST).await, ("Tributary".to_string(), false));
    assert_eq!(cors_for(&a.app, &format!("https://{HOST}")).await, None);

    // Fixed at the DNS provider: the next check sees it (no stale answer is kept).
    publish(&a, HOST).await;
    let fixed = check(&a, HOST).await;
    assert!(fixed["verified_at"].is_i64(), "{fixed}");
    assert!(fixed["last_error"].is_null());
}

#[tokio::test]
async fn the_background_check_verifies_a_pending_domain_without_a_button_press() {
    let a = agency_with(|config| config.domain_check_interval = Duration::from_millis(100)).await;
    added(&a, HOST).await;
    publish(&a, HOST).await;
    let mut row = my_domain(&a, HOST).await;
    for _ in 0..100 {
        if row["verified_at"].is_i64() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        row = my_domain(&a, HOST).await;
    }
    assert!(row["verified_at"].is_i64(), "verified in the background within 10 s: {row}");
    assert!(page_brand(&a.app, HOST).await.1);
}

#[tokio::test]
async fn a_domain_from_before_verification_is_pending_and_gets_a_token_when_listed() {
    let a = agency().await;
    let workspace: String = sqlx::query_scalar("select workspace_id from partners where name = 'Agency'")
        .fetch_one(&a.app.state.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into custom_domains (host, workspace_id, brand_name, brand_color, created_at) \
         values ('old.agency.test', $1, 'Agency One', '#aa3300', 1)",
    )
    .bind(&workspace)
    .execute(&a.app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(page_brand(&a.app, "old.agency.test").await, ("Tributary".to_string(), false));
    let row = my_domain(&a, "old.agency.test").await;
    assert!(row["verified_at"].is_null());
    let value = row["txt_value"].as_str().unwrap();
    assert_eq!(value.len(), "tributary-verify=".len() + 32, "{value}");
    assert_eq!(my_domain(&a, "old.agency.test").await["txt_value"], value, "the token is kept");
    publish(&a, "old.agency.test").await;
    assert!(check(&a, "old.agency.test").await["verified_at"].is_i64());
    assert!(page_brand(&a.app, "old.agency.test").await.1);
}
