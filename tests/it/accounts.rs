//! Accounts, sessions and the security baseline, through the real HTTP app.
use crate::common;

use common::{PASSWORD, browser, set_cookie, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use tributary::server::auth::cookies::SESSION_COOKIE;

#[tokio::test]
async fn registering_creates_an_account_and_signs_it_in() {
    let app = spawn_app().await;
    let client = browser();
    let response = app.register(&client, "Ada@Example.com").await;
    assert_eq!(response.status(), StatusCode::OK);
    let landing: String = response.json().await.unwrap();
    assert_eq!(landing, "/onboarding/workspace");
    let me = app.me(&client).await.expect("signed in");
    assert_eq!(me.email, "ada@example.com");
    assert!(!me.is_platform_admin);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_lax() {
    let app = spawn_app().await;
    let response = app.register(&browser(), "c@example.com").await;
    let header = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(header.starts_with("trib_session="), "{header}");
    assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax"), "{header}");
}

#[tokio::test]
async fn registering_twice_with_one_email_is_a_clear_400() {
    let app = spawn_app().await;
    app.signed_in_user("twice@example.com").await;
    let response = app.register(&browser(), "TWICE@example.com").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("already exists"));
}

#[tokio::test]
async fn a_short_password_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    let client = browser();
    let response = app.call(&client, "register", &[("email", "s@example.com"), ("password", "short")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("password"));
    assert_eq!(app.login(&client, "s@example.com", "short").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_arguments_are_a_400_not_a_500() {
    let app = spawn_app().await;
    let response = app.call(&browser(), "register", &[("nonsense", "1")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    app.signed_in_user("known@example.com").await;
    let client = browser();
    let wrong = app.login(&client, "known@example.com", "not the password").await;
    let wrong_status = wrong.status();
    let wrong_body = wrong.text().await.unwrap();
    let unknown = app.login(&client, "nobody@example.com", "not the password").await;
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_body, unknown.text().await.unwrap());
    assert!(app.me(&client).await.is_none());
}

#[tokio::test]
async fn logging_in_rotates_the_session_id_and_ends_the_old_one() {
    let app = spawn_app().await;
    let first = app.register(&browser(), "rot@example.com").await;
    let old = set_cookie(&first, SESSION_COOKIE).expect("session cookie");
    let client = browser();
    let second = client
        .post(app.url("/api/login"))
        .header("cookie", format!("{SESSION_COOKIE}={old}"))
        .form(&[("email", "rot@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let new = set_cookie(&second, SESSION_COOKIE).expect("new session cookie");
    assert_ne!(old, new);
    let with_old = browser()
        .post(app.url("/api/me"))
        .header("cookie", format!("{SESSION_COOKIE}={old}"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_old.text().await.unwrap(), "null", "the old session id must be dead");
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn_app().await;
    let client = app.signed_in_user("out@example.com").await;
    assert!(app.me(&client).await.is_some());
    let response = app.call(&client, "logout", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.me(&client).await.is_none());
}

#[tokio::test]
async fn a_non_admin_calling_an_admin_function_gets_403() {
    let app = spawn_app().await;
    let client = app.signed_in_user("member@example.com").await;
    assert_eq!(app.call(&client, "admin_overview", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call(&browser(), "admin_overview", &[]).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_sees_the_overview() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("root@example.com").await;
    let stats: tributary::api::types::AdminStats = app.call_ok(&admin, "admin_overview", &[]).await;
    assert_eq!(stats.users, 1);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let client = browser();
    let forged = client
        .post(app.url("/api/register"))
        .header("origin", "https://evil.example")
        .form(&[("email", "victim@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let fetch_metadata = client
        .post(app.url("/api/register"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "victim@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_metadata.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.login(&client, "victim@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_same_origin_post_from_our_pages_is_accepted() {
    let app = spawn_app().await;
    let host = app.base.trim_start_matches("http://").to_string();
    let response = browser()
        .post(app.url("/api/register"))
        .header("origin", app.base.clone())
        .header("host", host)
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", "same@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn failed_logins_slow_down_the_account_from_that_network() {
    let app = spawn_app_with(|c| c.login_free_failures = 3).await;
    app.signed_in_user("limited@example.com").await;
    let client = browser();
    // Three free failures; the fourth starts a one-second wait, so the next attempt,
    // sent at once, is refused even with the right password.
    for _ in 0..4 {
        assert_eq!(
            app.login(&client, "limited@example.com", "wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = app.login(&client, "limited@example.com", PASSWORD).await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    let error: tributary::api::AppError = blocked.json().await.unwrap();
    assert!(error.to_string().contains("Too many attempts"), "{error}");
}

#[tokio::test]
async fn login_attempts_are_limited_per_ip() {
    let app = spawn_app_with(|c| c.login_per_ip_per_minute = 4).await;
    let client = browser();
    for i in 0..4 {
        let email = format!("u{i}@example.com");
        assert_eq!(app.login(&client, &email, "wrong password").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.login(&client, "other@example.com", "x").await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_login_with_next() {
    let app = spawn_app().await;
    let response = browser().get(app.url("/admin")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login?next=%2Fadmin");
}

#[tokio::test]
async fn a_signed_in_customer_gets_a_403_page_for_admin_and_portal() {
    let app = spawn_app().await;
    let client = app.signed_in_user("cust@example.com").await;
    for path in ["/admin", "/partners"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let dashboard = client.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_new_user_creates_a_workspace_and_sees_it() {
    let app = spawn_app().await;
    let client = app.signed_in_user("owner@example.com").await;
    let empty = app.call(&client, "create_workspace", &[("name", "   ")]).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let _: String = app.call_ok(&client, "create_workspace", &[("name", "Acme Inc")]).await;
    let me = app.me(&client).await.unwrap();
    assert_eq!(me.workspaces.len(), 1);
    assert_eq!((me.workspaces[0].name.as_str(), me.workspaces[0].role.as_str()), ("Acme Inc", "owner"));
}

/// On Postgres both transactions used to run side by side: the admin's did not see the
/// new account and the registration did not see the invitation, so the person was never
/// a member. Each round releases both at once; the admin's call waits a little longer
/// each round (0–96 ms), so one of the rounds meets the registration's transaction,
/// which starts after its password hash.
#[tokio::test]
async fn attaching_a_partner_user_while_they_register_always_makes_them_a_member() {
    let app = std::sync::Arc::new(spawn_app().await);
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Racing Partners", "percent", "10").await;
    for round in 0..25_u64 {
        let email = format!("racer{round}@example.com");
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let attach = {
            let (app, admin, barrier, partner_id, email) =
                (app.clone(), admin.clone(), barrier.clone(), partner_id.clone(), email.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                tokio::time::sleep(std::time::Duration::from_millis(round * 4)).await;
                let form = [("partner_id", partner_id.as_str()), ("email", email.as_str())];
                app.call(&admin, "attach_partner_user", &form).await.status()
            })
        };
        let register = {
            let (app, barrier, email) = (app.clone(), barrier.clone(), email.clone());
            tokio::spawn(async move {
                let client = common::browser();
                barrier.wait().await;
                let status = app.register(&client, &email).await.status();
                (client, status)
            })
        };
        assert_eq!(attach.await.unwrap(), StatusCode::OK, "round {round}");
        let (client, status) = register.await.unwrap();
        assert_eq!(status, StatusCode::OK, "round {round}");
        let me = app.me(&client).await.expect("signed in");
        assert_eq!(me.partner.map(|p| p.id).as_deref(), Some(partner_id.as_str()), "round {round}");
    }
}
