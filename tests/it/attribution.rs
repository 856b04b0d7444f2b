//! Attribution across the funnel: clicks, first touch, windows, share tokens, the
//! public validate/track endpoints (custom domains: tests/domains.rs).
use crate::common;

use common::{TestApp, browser, set_cookie, spawn_app, spawn_app_with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tributary::api::types::{AttributionStats, ListingView, NewApiToken, ReferralRow, ShareLinkRow};
use tributary::domain::attribution::DAY_MS;
use tributary::domain::roles::ReferralSource;

struct Creator {
    app: TestApp,
    admin: Client,
    partner: Client,
}

async fn creator_with(app: TestApp) -> Creator {
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Maker", "percent", "10").await;
    let partner = app.partner_user(&admin, &partner_id, "maker@example.com").await;
    Creator { app, admin, partner }
}

async fn creator() -> Creator {
    creator_with(spawn_app().await).await
}

async fn published_listing(c: &Creator) -> ListingView {
    let form =
        [("title", "Notion Budget Template"), ("description", "Plan every dollar."), ("price", "19.00")];
    let listing: ListingView = c.app.call_ok(&c.partner, "create_listing", &form).await;
    let _: () = c
        .app
        .call_ok(&c.partner, "set_listing_published", &[("listing_id", &listing.id), ("published", "true")])
        .await;
    listing
}

async fn my_referrals(c: &Creator) -> Vec<ReferralRow> {
    c.app.call_ok(&c.partner, "my_referrals", &[]).await
}

async fn signup(app: &TestApp, client: &Client, email: &str) -> reqwest::Response {
    assert_eq!(app.register(client, email).await.status(), StatusCode::OK);
    app.call(client, "create_workspace", &[("name", "Visitor Co")]).await
}

#[tokio::test]
async fn a_referral_landing_records_a_batched_click_with_hashed_visitor() {
    let c = creator().await;
    let client = browser();
    let response = client
        .get(c.app.url("/?ref=maker"))
        .header("referer", "https://blog.example/post")
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&response, "trib_ref").is_some_and(|v| v.starts_with("maker.")));
    c.app.flush_clicks().await;
    assert_eq!(c.app.count("select count(*) from clicks").await, 1);
    let referrer: String =
        sqlx::query_scalar("select referrer from clicks").fetch_one(&c.app.state.db.pool).await.unwrap();
    assert_eq!(referrer, "https://blog.example/post");
    let ip: String =
        sqlx::query_scalar("select ip_hash from clicks").fetch_one(&c.app.state.db.pool).await.unwrap();
    assert!(!ip.contains("127.0.0.1"));
}

#[tokio::test]
async fn no_click_is_lost_on_a_clean_shutdown() {
    let mut c = creator().await;
    let client = browser();
    for _ in 0..25 {
        client.get(c.app.url("/?ref=maker")).send().await.unwrap();
    }
    c.app.click_writer.take().unwrap().shutdown().await;
    assert_eq!(c.app.count("select count(*) from clicks").await, 25);
}

#[tokio::test]
async fn a_listing_page_credits_its_creator_and_binding_clears_the_cookies() {
    let c = creator().await;
    let listing = published_listing(&c).await;
    let client = browser();
    let page = client.get(c.app.url(&format!("/marketplace/{}", listing.slug))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    client.get(c.app.url("/")).send().await.unwrap(); // browse away
    let created = signup(&c.app, &client, "visitor@example.com").await;
    assert_eq!(created.status(), StatusCode::OK);
    let cleared = created
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("trib_ref=;") && v.contains("Max-Age=0"));
    assert!(cleared, "the referral cookie is cleared once bound");
    let referrals = my_referrals(&c).await;
    assert_eq!(referrals.len(), 1);
    assert_eq!(referrals[0].source, ReferralSource::Marketplace);
    c.app.flush_clicks().await;
    let stats: AttributionStats = c.app.call_ok(&c.partner, "my_stats", &[]).await;
    assert_eq!((stats.by_listing[0].clicks, stats.by_listing[0].signups), (1, 1));
    assert_eq!(stats.daily.iter().map(|d| d.signups).sum::<i64>(), 1);
    c.app.assert_rollups_exact().await;
}

#[tokio::test]
async fn a_share_token_credits_the_listing() {
    let c = creator().await;
    let listing = published_listing(&c).await;
    let share: ShareLinkRow =
        c.app.call_ok(&c.partner, "create_share_link", &[("listing_id", &listing.id)]).await;
    assert!(share.link.ends_with(&format!("/marketplace/{}?share={}", listing.slug, share.token)));
    let client = browser();
    let landing = client
        .get(c.app.url(&format!("/marketplace/{}?share={}", listing.slug, share.token)))
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&landing, "trib_share").is_some());
    signup(&c.app, &client, "shared@example.com").await;
    let listing_id: Option<String> =
        sqlx::query_scalar("select listing_id from referrals").fetch_one(&c.app.state.db.pool).await.unwrap();
    assert_eq!(listing_id, Some(listing.id));
}

#[tokio::test]
async fn a_referral_inside_the_window_attributes_and_one_outside_does_not() {
    let c = creator().await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    for (days_ago, email, expected) in [(59, "inside@example.com", 1), (61, "outside@example.com", 1)] {
        // A returning visitor whose referral cookie was captured `days_ago`.
        let registered = c.app.register(&browser(), email).await;
        let session = set_cookie(&registered, "trib_session").unwrap();
        let cookie = format!("trib_session={session}; trib_ref=maker.{}", now - days_ago * DAY_MS);
        let response = browser()
            .post(c.app.url("/api/create_workspace"))
            .header("cookie", &cookie)
            .form(&[("name", email)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(my_referrals(&c).await.len(), expected, "{days_ago} days");
    }
}

#[tokio::test]
async fn a_later_ref_never_replaces_the_first_touch() {
    let c = creator().await;
    let other = c.app.partner(&c.admin, "Late", "percent", "10").await;
    let client = browser();
    let first = client.get(c.app.url("/?ref=maker")).send().await.unwrap();
    assert!(set_cookie(&first, "trib_ref").is_some());
    let second = client.get(c.app.url("/pricing?ref=late")).send().await.unwrap();
    assert!(set_cookie(&second, "trib_ref").is_none(), "first touch is kept");
    signup(&c.app, &client, "ft@example.com").await;
    assert_eq!(my_referrals(&c).await.len(), 1);
    c.app.flush_clicks().await;
    let late_clicks: i64 = sqlx::query_scalar("select count(*) from clicks where partner_id = $1")
        .bind(&other)
        .fetch_one(&c.app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(late_clicks, 1, "the later click is still logged");
}

#[tokio::test]
async fn validate_says_the_same_for_unknown_disabled_and_unapproved_codes() {
    let c = creator().await;
    let other = c.app.partner(&c.admin, "Pending", "percent", "10").await;
    sqlx::query("update partners set approved_at = null where id = $1")
        .bind(&other)
        .execute(&c.app.state.db.pool)
        .await
        .unwrap();
    let ask = |code: &'static str| {
        let url = c.app.url(&format!("/api/v1/referrals/validate?code={code}"));
        async move { reqwest::get(url).await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(ask("maker").await, json!({"valid": true, "code": "maker"}));
    assert_eq!(ask("MAKER").await["valid"], true);
    for code in ["pending", "nobody", "no good!"] {
        let answer = ask(code).await;
        assert_eq!(answer, json!({"valid": false, "code": code.replace("%20", " ")}), "{code}");
    }
    let client = browser();
    client.get(c.app.url("/?ref=pending")).send().await.unwrap();
    signup(&c.app, &client, "x@example.com").await;
    assert_eq!(c.app.count("select count(*) from referrals").await, 0, "unapproved partners never bind");
}

#[tokio::test]
async fn validate_is_rate_limited_per_ip() {
    let c = creator_with(spawn_app_with(|config| config.validate_per_ip_per_minute = 3).await).await;
    let url = c.app.url("/api/v1/referrals/validate?code=maker");
    for _ in 0..3 {
        assert_eq!(reqwest::get(&url).await.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(reqwest::get(&url).await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn track(app: &TestApp, client: &Client, auth: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut request = client
        .post(app.url("/api/v1/referrals/track"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = auth {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn track_binds_with_the_session_cookie_once() {
    let c = creator().await;
    let customer = c.app.signed_in_user("cust@example.com").await;
    let _: String = c.app.call_ok(&customer, "create_workspace", &[("name", "Cust")]).await;
    let (status, body) = track(&c.app, &customer, None, r#"{"code":"maker"}"#).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("bound")));
    let (status, body) = track(&c.app, &customer, None, r#"{"code":"maker"}"#).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("already_attributed")));
    assert_eq!(my_referrals(&c).await.len(), 1);
}

#[tokio::test]
async fn track_accepts_a_bearer_token_and_refuses_no_auth_bad_bodies_and_cross_site_cookies() {
    let c = creator().await;
    let customer = c.app.signed_in_user("api@example.com").await;
    let _: String = c.app.call_ok(&customer, "create_workspace", &[("name", "Api Co")]).await;
    let token: NewApiToken = c.app.call_ok(&customer, "create_api_token", &[("name", "agency site")]).await;
    assert!(token.token.starts_with("trib_"));
    let anonymous = browser();
    assert_eq!(track(&c.app, &anonymous, None, r#"{"code":"maker"}"#).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        track(&c.app, &anonymous, Some("trib_wrong"), r#"{"code":"maker"}"#).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(track(&c.app, &anonymous, Some(&token.token), "not json").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        track(&c.app, &anonymous, Some(&token.token), r#"{"code":"nobody"}"#).await.0,
        StatusCode::BAD_REQUEST
    );
    assert!(my_referrals(&c).await.is_empty(), "nothing changed so far");
    let forged = customer
        .post(c.app.url("/api/v1/referrals/track"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body(r#"{"code":"maker"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(my_referrals(&c).await.is_empty());
    let cross_site_bearer = anonymous
        .post(c.app.url("/api/v1/referrals/track"))
        .header("origin", "https://agency.example")
        .header("authorization", format!("Bearer {}", token.token))
        .header("content-type", "application/json")
        .body(r#"{"code":"maker"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site_bearer.status(), StatusCode::OK);
    assert_eq!(my_referrals(&c).await.len(), 1);
    let _: () = c.app.call_ok(&customer, "revoke_api_token", &[("token_id", &token.id)]).await;
    assert_eq!(
        track(&c.app, &anonymous, Some(&token.token), r#"{"code":"maker"}"#).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_browser_can_restore_a_missing_referral_cookie_but_never_replace_one() {
    let c = creator().await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let touch = format!("maker.{}", now - 3 * DAY_MS);
    let client = browser();
    let restored = c.app.call(&client, "restore_attribution", &[("touch", &touch)]).await;
    assert!(set_cookie(&restored, "trib_ref").is_some_and(|v| v == touch));
    let kept = client
        .post(c.app.url("/api/restore_attribution"))
        .header("cookie", "trib_ref=maker.1")
        .form(&[("touch", touch.as_str())])
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&kept, "trib_ref").is_none());
    let expired = format!("maker.{}", now - 61 * DAY_MS);
    let late = c.app.call(&browser(), "restore_attribution", &[("touch", &expired)]).await;
    assert!(set_cookie(&late, "trib_ref").is_none());
}

#[tokio::test]
async fn a_cached_landing_still_records_every_click_and_sets_every_cookie() {
    let c = creator().await;
    for _ in 0..3 {
        let landing = browser().get(c.app.url("/?ref=maker")).send().await.unwrap();
        assert_eq!(landing.status(), StatusCode::OK);
        assert!(set_cookie(&landing, "trib_ref").is_some());
        assert!(landing.text().await.unwrap().contains("Tributary"));
    }
    c.app.flush_clicks().await;
    assert_eq!(c.app.count("select count(*) from clicks").await, 3);
    // Signed-in visitors always get their own render.
    let customer = c.app.signed_in_user("seen@example.com").await;
    let page = customer.get(c.app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("my-account"), "the header knows the visitor");
}

#[tokio::test]
async fn thousands_of_queued_clicks_are_all_written_by_shutdown() {
    use tributary::server::db::clicks::Click;
    let mut c = creator().await;
    let partner_id: String =
        sqlx::query_scalar("select id from partners").fetch_one(&c.app.state.db.pool).await.unwrap();
    for i in 0..2_500 {
        c.app.state.clicks.record(Click {
            id: format!("click{i}"),
            partner_id: partner_id.clone(),
            code_id: None,
            listing_id: None,
            share_token: None,
            referrer: None,
            landing_path: "/?ref=maker".into(),
            ip_hash: "h".into(),
            user_agent_hash: "u".into(),
            created_at: i,
        });
    }
    c.app.click_writer.take().unwrap().shutdown().await;
    assert_eq!(c.app.count("select count(*) from clicks").await, 2_500);
}

/// A listing page whose listing does not exist, or is not published, says "Listing not
/// found" with a 404; a published one is a 200.
#[tokio::test]
async fn a_missing_or_unpublished_listing_page_is_a_404() {
    let c = creator().await;
    let visitor = browser();
    let missing = visitor.get(c.app.url("/marketplace/no-such-listing")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("Listing not found"));
    let form = [("title", "Draft Kit"), ("description", "Not yet."), ("price", "5.00")];
    let draft: ListingView = c.app.call_ok(&c.partner, "create_listing", &form).await;
    let unpublished = visitor.get(c.app.url(&format!("/marketplace/{}", draft.slug))).send().await.unwrap();
    assert_eq!(unpublished.status(), StatusCode::NOT_FOUND);
    let listing = published_listing(&c).await;
    for _ in 0..2 {
        // The second answer may come from the page cache.
        let found = visitor.get(c.app.url(&format!("/marketplace/{}", listing.slug))).send().await.unwrap();
        assert_eq!(found.status(), StatusCode::OK);
        assert!(found.text().await.unwrap().contains("Notion Budget Template"));
    }
    let again = visitor.get(c.app.url("/marketplace/no-such-listing")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}
