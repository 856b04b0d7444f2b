//! The defects an attacker and a chaos tester found (issue "Security and resilience
//! hardening"), one test each, on both databases.
use crate::common;

use common::{PASSWORD, browser, browser_from, spawn_app, spawn_app_with, spawn_app_with_site};
use reqwest::StatusCode;

async fn users(app: &common::TestApp) -> i64 {
    app.count("select count(*) from users").await
}

#[tokio::test]
async fn a_return_address_that_leaves_the_site_is_refused_before_anything_is_written() {
    let app = spawn_app().await;
    let client = browser();
    for (i, next) in ["/\t/evil.example", "/\\evil.example", "//evil.example", "https://evil.example"]
        .into_iter()
        .enumerate()
    {
        let email = format!("victim{i}@example.com");
        let form = [("email", email.as_str()), ("password", PASSWORD), ("next", next)];
        let response = app.call(&client, "register", &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "register next={next:?}");
        assert!(response.headers().get("location").is_none());
    }
    assert_eq!(users(&app).await, 0, "no account was created");

    app.register(&client, "owner@example.com").await;
    let form = [("email", "owner@example.com"), ("password", PASSWORD), ("next", "/\t/evil.example")];
    let response = app.call(&browser(), "login", &form).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("set-cookie").is_none(), "no session was started");
}

#[tokio::test]
async fn line_breaks_and_nul_in_the_return_address_are_a_400_not_a_crash() {
    let app = spawn_app().await;
    for (i, next) in ["/x\r\nSet-Cookie: a=b", "/x\nLocation: //evil.example", "/x\0"].into_iter().enumerate()
    {
        let email = format!("crlf{i}@example.com");
        let form = [("email", email.as_str()), ("password", PASSWORD), ("next", next)];
        // A plain form post (no Accept: json) is the path that answers with a redirect.
        let response = browser()
            .post(app.url("/api/register"))
            .form(&form)
            .send()
            .await
            .expect("the server answers instead of dropping the connection");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "next={next:?}");
    }
    assert_eq!(users(&app).await, 0);
}

#[tokio::test]
async fn a_good_return_address_is_still_followed() {
    let app = spawn_app().await;
    let form = [("email", "new@example.com"), ("password", PASSWORD), ("next", "/marketplace?x=1")];
    let target: String = app.call_ok(&browser(), "register", &form).await;
    assert_eq!(target, "/marketplace?x=1");
}

#[tokio::test]
async fn wrong_passwords_from_one_network_never_lock_the_owner_out_of_another() {
    let app = spawn_app().await;
    app.register(&browser(), "owner@example.com").await;
    let attacker = browser_from("127.0.0.1");
    let mut refused = 0;
    for _ in 0..12 {
        let status = app.login(&attacker, "owner@example.com", "wrong password!").await.status();
        assert!(matches!(status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS), "{status}");
        refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(refused > 0, "the attacker's network is slowed down");
    // Another network: the owner gets in at once.
    let owner = browser_from("127.0.1.1");
    assert_eq!(app.login(&owner, "owner@example.com", PASSWORD).await.status(), StatusCode::OK);
    // Even the attacker's own network is let through with the right password once the wait is over;
    // during it, the answer says when to come back.
    let response = app.login(&attacker, "owner@example.com", PASSWORD).await;
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        assert!(response.headers().get("retry-after").is_some());
    }
}

#[tokio::test]
async fn registration_is_rate_limited_per_ip() {
    let app = spawn_app_with(|c| c.register_per_ip_per_minute = 3).await;
    for i in 0..3 {
        let response = app.register(&browser_from("127.0.0.1"), &format!("u{i}@example.com")).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let response = app.register(&browser_from("127.0.0.1"), "u3@example.com").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get("retry-after").is_some());
    let elsewhere = app.register(&browser_from("127.0.2.1"), "u4@example.com").await;
    assert_eq!(elsewhere.status(), StatusCode::OK, "other clients are not affected");
    assert_eq!(users(&app).await, 4);
}

#[tokio::test]
async fn a_registration_flood_queues_or_is_told_to_wait_and_logins_still_answer() {
    let app = spawn_app().await;
    app.register(&browser(), "owner@example.com").await;
    let flood: Vec<_> = (0..60)
        .map(|i| {
            let (base, email) = (app.base.clone(), format!("flood{i}@example.com"));
            tokio::spawn(async move {
                let client = browser_from(&format!("127.0.{}.{}", 10 + i / 200, 1 + i % 200));
                let form = [("email", email.as_str()), ("password", PASSWORD)];
                client
                    .post(format!("{base}/api/register"))
                    .header("accept", "application/json")
                    .form(&form)
                    .send()
                    .await
            })
        })
        .collect();
    let login = app.login(&browser_from("127.0.3.1"), "owner@example.com", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK, "a login during the flood still answers");
    let mut statuses = Vec::new();
    for task in flood {
        statuses.push(task.await.unwrap().expect("every request got an answer").status());
    }
    for status in &statuses {
        assert!(matches!(*status, StatusCode::OK | StatusCode::SERVICE_UNAVAILABLE), "{status}");
    }
    let created = statuses.iter().filter(|s| **s == StatusCode::OK).count() as i64;
    assert_eq!(users(&app).await, 1 + created, "every OK is an account, every 503 wrote nothing");
}

#[tokio::test]
async fn a_bearer_token_neither_skips_the_origin_check_nor_signs_in_by_cookie() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let forged = admin
        .post(app.url("/api/create_plan"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .header("authorization", "Bearer x")
        .form(&[("name", "Forged"), ("price", "1.00")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from plans").await, 0);

    let same_site = admin
        .post(app.url("/api/me"))
        .header("accept", "application/json")
        .header("authorization", "Bearer x")
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.text().await.unwrap(), "null", "the cookie is ignored beside a bearer token");
}

#[tokio::test]
async fn pages_and_server_functions_carry_the_security_headers() {
    let app = spawn_app().await;
    let page = browser().get(app.url("/login")).send().await.unwrap();
    let header = |r: &reqwest::Response, n: &str| {
        r.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    };
    let csp = header(&page, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "referrer-policy"), "strict-origin-when-cross-origin");
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce").to_string();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
    let again = browser().get(app.url("/login")).send().await.unwrap();
    assert!(!header(&again, "content-security-policy").contains(&nonce), "a fresh nonce per page");

    let call = app.call(&browser(), "me", &[]).await;
    assert_eq!(header(&call, "x-content-type-options"), "nosniff");
    assert_eq!(header(&call, "cache-control"), "no-store");

    let admin = app.signed_in_admin("admin@example.com").await;
    let signed_in = admin.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(header(&signed_in, "cache-control"), "no-store");
}

#[tokio::test]
async fn assets_are_compressed_as_negotiated_and_cached_by_name() {
    let site = crate::common::test_dir().join(format!("site-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let wasm: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8 / 8).collect();
    std::fs::write(site.join("pkg/tributary_bg.wasm"), &wasm).unwrap();
    let root = site.display().to_string();
    let app = spawn_app_with_site(|_| {}, |o| o.site_root = root.into()).await;
    let url = app.url("/pkg/tributary_bg.wasm");

    let plain = browser().get(&url).header("accept-encoding", "identity").send().await.unwrap();
    assert_eq!(plain.headers().get("content-encoding"), None);
    assert_eq!(plain.headers()["cache-control"], "no-cache", "unhashed names are revalidated");
    assert_eq!(plain.bytes().await.unwrap().len(), wasm.len());

    // Wasm is never compressed per request, only served precompressed (written at start).
    let before = browser().get(&url).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(before.headers().get("content-encoding"), None);
    tributary::server::assets::precompress_dir(&site.join("pkg"));
    let br = browser().get(&url).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    let compressed = br.bytes().await.unwrap().len();
    assert!(compressed < wasm.len() / 4, "{compressed} bytes on the wire for {}", wasm.len());
    let gzip = browser().get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");

    std::fs::write(site.join("pkg/tributary.0123abcd4567ef89.wasm"), &wasm).unwrap();
    let hashed = browser().get(app.url("/pkg/tributary.0123abcd4567ef89.wasm")).send().await.unwrap();
    assert_eq!(hashed.headers()["cache-control"], "public, max-age=31536000, immutable");

    let html = browser().get(app.url("/")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(html.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn an_unknown_partner_page_is_a_404() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let response = admin.get(app.url("/admin/partners/no-such-partner")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let partner_id = app.partner(&admin, "Real", "percent", "10").await;
    let known = admin.get(app.url(&format!("/admin/partners/{partner_id}"))).send().await.unwrap();
    assert_eq!(known.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = spawn_app().await;
    let client = app.signed_in_user("big@example.com").await;
    let name = "x".repeat(300 * 1024);
    let response = app.call(&client, "create_workspace", &[("name", &name)]).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("select count(*) from workspaces").await, 0);
}

#[tokio::test]
async fn a_400_says_what_is_wrong_in_the_products_words() {
    let app = spawn_app().await;
    let response = app.call(&browser(), "login", &[("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(body.contains("This field is required") && body.contains("email"), "{body}");
    assert!(!body.contains("missing field"), "no parser internals: {body}");
}

#[tokio::test]
async fn invalid_utf8_is_a_400_and_nothing_is_stored() {
    let app = spawn_app().await;
    let client = app.signed_in_user("bytes@example.com").await;
    let response = client
        .post(app.url("/api/create_workspace"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=Caf%E9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(body.contains("UTF-8"), "{body}");
    assert_eq!(app.count("select count(*) from workspaces").await, 0);
}

#[tokio::test]
async fn control_characters_are_refused_in_listing_descriptions() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Maker", "percent", "10").await;
    let partner = app.partner_user(&admin, &partner_id, "maker@example.com").await;
    let form = [("title", "Kit"), ("description", "Line one\0hidden"), ("price", "5.00")];
    let response = app.call(&partner, "create_listing", &form).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count("select count(*) from listings").await, 0);
    let ok = [("title", "Kit"), ("description", "Line one\nLine two"), ("price", "5.00")];
    assert!(app.call(&partner, "create_listing", &ok).await.status().is_success());
}

/// A database outage is an error that says so (500, logged with its cause), never
/// "signed out" or "not found": a signed-in admin whose database goes away is not shown
/// a login form, and a partner page is not a 404.
#[tokio::test]
async fn a_database_outage_is_a_500_not_signed_out_or_not_found() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Outage", "percent", "20").await;
    assert_eq!(app.call(&admin, "me", &[]).await.status(), StatusCode::OK);
    app.state.db.pool.close().await;
    assert_eq!(app.call(&admin, "me", &[]).await.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let detail = app.call(&admin, "partner_lifecycle", &[("partner_id", id.as_str())]).await;
    assert_eq!(detail.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let page = admin.get(app.url(&format!("/admin/partners/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR, "not a redirect to login, not a 404");
}

#[tokio::test]
async fn workspace_creation_continues_to_a_same_site_next_and_refuses_a_foreign_one_before_writing() {
    let app = spawn_app().await;
    let client = browser();
    app.register(&client, "buyer@example.com").await;
    let workspaces = "select count(*) from workspaces where kind = 'customer'";
    for next in ["//evil.example", "/\t/evil.example", "https://evil.example/x"] {
        let form = [("name", "Buyer Co"), ("next", next)];
        let response = client.post(app.url("/api/create_workspace")).form(&form).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "next={next:?}");
        assert!(response.headers().get("location").is_none());
    }
    assert_eq!(app.count(workspaces).await, 0, "nothing was created");

    let form = [("name", "Buyer Co"), ("next", "/marketplace/kit")];
    let response = client.post(app.url("/api/create_workspace")).form(&form).send().await.unwrap();
    // The app's own client follows `location` (a plain form post gets it as a 302).
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()["location"], "/marketplace/kit");
    assert_eq!(app.count(workspaces).await, 1);
}

/// The second landing on `/` is answered from the page cache at the front door, past every
/// other layer: it must say exactly what the rendered one said (headers, body), and still
/// capture its click and set its cookie. With and without compression.
#[tokio::test]
async fn a_cached_landing_answers_exactly_as_the_rendered_one_and_still_captures() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    app.partner(&admin, "Maker", "percent", "10").await;
    let landing = |encoding: &'static str| {
        let url = app.url("/?ref=maker");
        async move {
            // No automatic decompression in this build of reqwest: the bytes as sent.
            let mut request = reqwest::Client::new().get(url).header("accept", "text/html");
            if !encoding.is_empty() {
                request = request.header("accept-encoding", encoding);
            }
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::OK);
            let mut headers: Vec<(String, String)> = answer
                .headers()
                .iter()
                .filter(|(name, _)| !matches!(name.as_str(), "date" | "set-cookie"))
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_string()))
                .collect();
            headers.sort();
            let cookie = common::set_cookie(&answer, "trib_ref");
            (headers, cookie.is_some(), answer.bytes().await.unwrap())
        }
    };
    for encoding in ["", "gzip", "br"] {
        app.state.page_cache.clear();
        let rendered = landing(encoding).await;
        let cached = landing(encoding).await;
        assert_eq!(rendered.0, cached.0, "headers with accept-encoding '{encoding}'");
        assert_eq!(rendered.2, cached.2, "body with accept-encoding '{encoding}'");
        assert!(rendered.1 && cached.1, "both set the referral cookie");
        assert!(cached.0.iter().any(|(n, v)| n == "x-content-type-options" && v == "nosniff"));
        assert!(cached.0.iter().any(|(n, _)| n == "content-security-policy"));
    }
    app.flush_clicks().await;
    assert_eq!(app.count("select count(*) from clicks").await, 6, "every landing's click");
}

#[tokio::test]
async fn a_cached_page_allows_its_scripts_by_hash_not_by_a_nonce_every_visitor_shares() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let app = spawn_app().await;
    let csp = |r: &reqwest::Response| {
        r.headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let rendered = browser().get(app.url("/")).send().await.unwrap();
    let (rendered_csp, rendered_html) = (csp(&rendered), rendered.text().await.unwrap());
    let cached = browser().get(app.url("/")).send().await.unwrap();
    let (cached_csp, cached_html) = (csp(&cached), cached.text().await.unwrap());
    assert_eq!(
        (&cached_csp, &cached_html),
        (&rendered_csp, &rendered_html),
        "the second visitor got the cached page"
    );
    assert!(!cached_csp.contains("'nonce-"), "no nonce in a policy every visitor gets: {cached_csp}");
    // Every inline script of the page, and nothing else, is allowed by its SHA-256.
    let inline: Vec<&str> = cached_html
        .split("<script")
        .skip(1)
        .filter_map(|s| s.split_once('>'))
        .filter(|(attributes, _)| !attributes.contains("src="))
        .map(|(_, rest)| rest.split("</script>").next().unwrap())
        .collect();
    assert!(inline.len() >= 2, "the hydration script and the resources: {inline:?}");
    for script in &inline {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
        assert!(cached_csp.contains(&format!("'sha256-{hash}'")), "{script} is allowed by {cached_csp}");
    }
    assert_eq!(cached_csp.matches("'sha256-").count(), inline.len(), "{cached_csp}");
    assert!(cached_csp.contains("frame-ancestors 'none'") && cached_csp.contains("'wasm-unsafe-eval'"));
    // Pages that are not cached keep a fresh nonce per response.
    let login = browser().get(app.url("/login")).send().await.unwrap();
    assert!(csp(&login).contains("'nonce-"));
}
