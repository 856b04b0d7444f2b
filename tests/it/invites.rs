//! Invite codes and platform credits: redemption exact under concurrency, bad codes change
//! nothing, balances are the sum of their entries.
use crate::common;

use std::sync::Arc;

use common::{TestApp, browser, set_cookie, spawn_app};
use reqwest::header::{COOKIE, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};
use tokio::sync::Barrier;
use tributary::api::AppError;
use tributary::api::types::{CreditSummary, InvitePreview, MintResult, PersonalInvites, RedeemOutcome};
use tributary::server::db::{new_id, users, workspaces};
use tributary::server::services::sessions;

/// A workspace owner made directly in the database with a session, so a test can have
/// hundreds of them without hashing hundreds of passwords. Returns a client carrying the
/// session cookie and the workspace id.
async fn owner(app: &TestApp, n: usize) -> (Client, String) {
    let db = &app.state.db;
    let (user, workspace, now) = (new_id(), new_id(), db.now_ms());
    users::insert(&db.pool, &user, &format!("owner{n}@example.com"), "-", false, now).await.unwrap();
    workspaces::insert(
        &db.pool,
        &workspace,
        &format!("Workspace {n}"),
        tributary::domain::roles::WorkspaceKind::Customer,
        now,
    )
    .await
    .unwrap();
    workspaces::add_member(&db.pool, &workspace, &user, "owner", now).await.unwrap();
    let token = sessions::start(db, &user, 30, None).await.unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(&format!("trib_session={token}")).unwrap());
    let client = Client::builder()
        .default_headers(headers)
        .timeout(std::time::Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (client, workspace)
}

async fn mint(app: &TestApp, admin: &Client, form: &[(&str, &str)]) -> MintResult {
    let defaults = vec![
        ("flavor", "beta"),
        ("count", "1"),
        ("max_uses", ""),
        ("credits", ""),
        ("expires_on", ""),
        ("metadata", ""),
        ("emails", ""),
    ];
    let full = common::overridden(defaults, form);
    app.call_ok(admin, "mint_invite_codes", &full).await
}

async fn one_code(app: &TestApp, admin: &Client, form: &[(&str, &str)]) -> String {
    mint(app, admin, form).await.codes.remove(0)
}

async fn credits(app: &TestApp, client: &Client) -> CreditSummary {
    let summary: Option<CreditSummary> = app.call_ok(client, "my_credits", &[]).await;
    let summary = summary.expect("a workspace");
    // The balance shown is always the sum of the entries shown.
    assert_eq!(summary.balance, summary.entries.iter().map(|e| e.amount).sum::<i64>());
    summary
}

async fn redeem(app: &TestApp, client: &Client, code: &str) -> reqwest::Response {
    app.call(client, "redeem_invite", &[("code", code)]).await
}

async fn error_of(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let error: AppError = response.json().await.expect("an AppError body");
    (status, error.to_string())
}

/// Every credit in the ledger comes from a redemption row or an admin adjustment.
async fn assert_ledger_matches_redemptions(app: &TestApp) {
    let granted = app
        .count(
            "select cast(coalesce(sum(amount), 0) as bigint) from credit_entries \
             where kind in ('invite_grant', 'inviter_grant')",
        )
        .await;
    let redeemed = app
        .count(
            "select cast(coalesce(sum(invitee_credits + inviter_credits), 0) as bigint) from invite_redemptions",
        )
        .await;
    assert_eq!(granted, redeemed);
}

#[tokio::test]
async fn two_hundred_workspaces_racing_for_a_three_use_code_get_exactly_three_grants() {
    let app = spawn_app().await;
    let (inviter, inviter_ws) = owner(&app, 0).await;
    let code: String =
        app.call_ok(&inviter, "create_personal_code", &[("max_uses", "3"), ("credits", "700")]).await;
    let mut racers = Vec::new();
    for n in 1..=200 {
        racers.push(owner(&app, n).await);
    }
    let barrier = Arc::new(Barrier::new(racers.len()));
    let app = Arc::new(app);
    let tasks: Vec<_> = racers
        .iter()
        .map(|(client, _)| {
            let (app, client, barrier, code) = (app.clone(), client.clone(), barrier.clone(), code.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                redeem(&app, &client, &code).await.status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (3, 197), "{statuses:?}");
    assert_eq!(app.count("select count(*) from invite_redemptions").await, 3);
    assert_eq!(app.count("select uses from invite_codes").await, 3);
    assert_eq!(app.count("select count(*) from credit_entries where kind = 'invite_grant'").await, 3);
    let invitee_sum =
        app.count("select cast(sum(amount) as bigint) from credit_entries where kind = 'invite_grant'").await;
    assert_eq!(invitee_sum, 3 * 700);
    // The inviter earned the platform's personal-code inviter grant (500) three times.
    let inviter_credits = credits(&app, &inviter).await;
    assert_eq!(inviter_credits.balance, 3 * 500);
    assert!(inviter_credits.entries.iter().all(|e| e.kind.as_str() == "inviter_grant"));
    let winners = app
        .count("select count(distinct workspace_id) from credit_entries where kind = 'invite_grant'")
        .await;
    assert_eq!(winners, 3);
    let outside = app
        .count(Box::leak(
            format!("select count(*) from credit_entries where kind = 'inviter_grant' and workspace_id <> '{inviter_ws}'")
                .into_boxed_str(),
        ))
        .await;
    assert_eq!(outside, 0);
    assert_ledger_matches_redemptions(&app).await;
    // The owner sees three invitees with their workspaces created, and no uses left.
    let mine: PersonalInvites = app.call_ok(&inviter, "my_invites", &[]).await;
    assert_eq!((mine.codes[0].uses, mine.codes[0].remaining), (3, Some(0)));
    assert_eq!(mine.codes[0].status.as_str(), "used_up");
    assert_eq!(mine.invitees.iter().filter(|i| i.stage.as_str() == "workspace").count(), 3);
}

#[tokio::test]
async fn one_workspace_redeeming_a_code_twenty_times_at_once_gets_it_once() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let code = one_code(&app, &admin, &[("credits", "1250")]).await;
    let (client, _) = owner(&app, 1).await;
    let barrier = Arc::new(Barrier::new(20));
    let app = Arc::new(app);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, client, barrier, code) = (app.clone(), client.clone(), barrier.clone(), code.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                redeem(&app, &client, &code).await.status()
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => ok += 1,
            other => assert_eq!(other, StatusCode::CONFLICT),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(app.count("select count(*) from invite_redemptions").await, 1);
    assert_eq!(app.count("select uses from invite_codes").await, 1);
    let summary = credits(&app, &client).await;
    assert_eq!((summary.balance, summary.entries.len()), (1_250, 1));
    assert_ledger_matches_redemptions(&app).await;
}

#[tokio::test]
async fn expired_and_disabled_codes_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let tomorrow = tributary::domain::format_date(app.state.db.now_ms() + 86_400_000);
    let expiring = one_code(&app, &admin, &[("expires_on", &tomorrow)]).await;
    let disabled = one_code(&app, &admin, &[("flavor", "og")]).await;
    let id = app.count("select count(*) from invite_codes").await;
    assert_eq!(id, 2);
    let codes = admin_codes(&app, &admin, &[("query[kind]", "og")]).await;
    app.call_ok::<()>(&admin, "disable_invite_code", &[("code_id", &codes[0].id)]).await;
    app.state.db.clock.advance_days(2);
    let (client, _) = owner(&app, 1).await;
    let (status, message) = error_of(redeem(&app, &client, &expiring).await).await;
    assert_eq!((status, message.as_str()), (StatusCode::CONFLICT, "This invite code has expired."));
    let (status, message) = error_of(redeem(&app, &client, &disabled).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message.contains("switched off"), "{message}");
    assert_eq!(app.count("select count(*) from invite_redemptions").await, 0);
    assert_eq!(app.count("select cast(sum(uses) as bigint) from invite_codes").await, 0);
    assert_eq!(app.count("select count(*) from credit_entries").await, 0);
    // The landing says the same.
    let landing = app.call(&client, "preview_invite", &[("code", &expiring)]).await;
    assert_eq!(landing.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn typos_unknown_codes_and_your_own_code_get_their_own_sentence() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let code = one_code(&app, &admin, &[]).await;
    let (client, _) = owner(&app, 1).await;
    // Swap the last two neighbouring characters that differ (a random code may end in a
    // double): the check character catches any such swap before a lookup.
    let mut typo: Vec<char> = code.chars().collect();
    let at = (0..typo.len() - 1)
        .rev()
        .find(|&i| typo[i] != typo[i + 1] && typo[i] != '-' && typo[i + 1] != '-')
        .expect("a code has two different neighbouring characters");
    typo.swap(at, at + 1);
    let typo: String = typo.into_iter().collect();
    let (status, message) = error_of(redeem(&app, &client, &typo).await).await;
    assert_eq!(
        (status, message.as_str()),
        (StatusCode::BAD_REQUEST, "That code has a typo. Check each character and try again.")
    );
    let unknown = tributary::domain::invite_codes::InviteCode::generate(
        tributary::domain::invite_codes::InviteFlavor::Beta,
        [1, 2, 3, 4, 5, 6, 7],
    )
    .display();
    let (status, message) = error_of(redeem(&app, &client, &unknown).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("don't know"), "{message}");
    let (status, _) = error_of(redeem(&app, &client, "hello").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A workspace owner can't redeem their own personal code, on the landing or at redemption.
    let own: String =
        app.call_ok(&client, "create_personal_code", &[("max_uses", "2"), ("credits", "100")]).await;
    let (status, message) = error_of(redeem(&app, &client, &own).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(message.contains("your own invite code"), "{message}");
    let landing = app.call(&client, "preview_invite", &[("code", &own.to_lowercase())]).await;
    assert_eq!(landing.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from invite_redemptions").await, 0);
    assert_eq!(app.count("select count(*) from credit_entries").await, 0);
    // Codes are case-insensitive and forgive spaces.
    let sloppy = code.to_lowercase().replace('-', " ");
    assert_eq!(redeem(&app, &client, &sloppy).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_workspace_gets_one_beta_invite_whichever_code() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let codes = mint(&app, &admin, &[("count", "2"), ("credits", "10")]).await.codes;
    let (client, _) = owner(&app, 1).await;
    assert_eq!(redeem(&app, &client, &codes[0]).await.status(), StatusCode::OK);
    let (status, message) = error_of(redeem(&app, &client, &codes[1]).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message.contains("already redeemed a Beta invite"), "{message}");
    // Personal codes are not once-per-flavor: two friends' codes both count.
    let (friend_a, _) = owner(&app, 2).await;
    let (friend_b, _) = owner(&app, 3).await;
    let a: String =
        app.call_ok(&friend_a, "create_personal_code", &[("max_uses", "1"), ("credits", "5")]).await;
    let b: String =
        app.call_ok(&friend_b, "create_personal_code", &[("max_uses", "1"), ("credits", "5")]).await;
    assert_eq!(redeem(&app, &client, &a).await.status(), StatusCode::OK);
    assert_eq!(redeem(&app, &client, &b).await.status(), StatusCode::OK);
    assert_eq!(credits(&app, &client).await.balance, 10 + 5 + 5);
    assert_ledger_matches_redemptions(&app).await;
}

#[tokio::test]
async fn the_landing_keeps_the_first_code_through_registration_and_grants_it_with_the_workspace() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let first = one_code(&app, &admin, &[("credits", "2000")]).await;
    let second = one_code(&app, &admin, &[("flavor", "og"), ("credits", "9")]).await;
    let visitor = browser();
    let landing = visitor.get(app.url(&format!("/invite/{first}"))).send().await.unwrap();
    assert_eq!(landing.status(), StatusCode::OK);
    assert!(set_cookie(&landing, "trib_invite").is_some());
    let again = visitor.get(app.url(&format!("/invite/{second}"))).send().await.unwrap();
    assert!(set_cookie(&again, "trib_invite").is_none(), "the first code wins");
    let preview: InvitePreview = app.call_ok(&visitor, "preview_invite", &[("code", &first)]).await;
    assert_eq!((preview.flavor.as_str(), preview.invitee_credits), ("beta", 2000));
    assert_eq!(app.register(&visitor, "new@example.com").await.status(), StatusCode::OK);
    let _: String = app.call_ok(&visitor, "create_workspace", &[("name", "Fresh")]).await;
    let summary = credits(&app, &visitor).await;
    assert_eq!(summary.balance, 2000);
    assert_eq!(summary.entries[0].kind.as_str(), "invite_grant");
    assert_eq!(app.count("select uses from invite_codes where flavor = 'og'").await, 0);
}

#[tokio::test]
async fn a_bad_carried_code_never_blocks_registration_or_the_workspace() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let used = one_code(&app, &admin, &[("max_uses", "1")]).await;
    let (first, _) = owner(&app, 1).await;
    assert_eq!(redeem(&app, &first, &used).await.status(), StatusCode::OK);
    let visitor = browser();
    visitor.get(app.url(&format!("/invite/{used}"))).send().await.unwrap();
    assert_eq!(app.register(&visitor, "late@example.com").await.status(), StatusCode::OK);
    let response = app.call(&visitor, "create_workspace", &[("name", "Late")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(set_cookie(&response, "trib_invite").is_some_and(|v| v.is_empty()), "the cookie is forgotten");
    assert_eq!(credits(&app, &visitor).await.balance, 0);
    // A malformed code on the landing sets nothing and the page still answers.
    let other = browser();
    let landing = other.get(app.url("/invite/NOT-A-CODE")).send().await.unwrap();
    assert_eq!(landing.status(), StatusCode::OK);
    assert!(set_cookie(&landing, "trib_invite").is_none());
}

#[tokio::test]
async fn an_invitee_who_only_registered_shows_as_registered_to_the_inviter() {
    let app = spawn_app().await;
    let (inviter, _) = owner(&app, 0).await;
    let code: String =
        app.call_ok(&inviter, "create_personal_code", &[("max_uses", "5"), ("credits", "100")]).await;
    let visitor = browser();
    visitor.get(app.url(&format!("/invite/{code}"))).send().await.unwrap();
    assert_eq!(app.register(&visitor, "friend@example.com").await.status(), StatusCode::OK);
    let mine: PersonalInvites = app.call_ok(&inviter, "my_invites", &[]).await;
    assert_eq!(mine.invitees.len(), 1);
    assert_eq!(
        (mine.invitees[0].stage.as_str(), mine.invitees[0].who.as_str()),
        ("registered", "f•••@example.com")
    );
    let _: String = app.call_ok(&visitor, "create_workspace", &[("name", "Friendly")]).await;
    let mine: PersonalInvites = app.call_ok(&inviter, "my_invites", &[]).await;
    assert_eq!(mine.invitees.len(), 1);
    assert_eq!(mine.invitees[0].stage.as_str(), "workspace");
    assert_eq!(credits(&app, &inviter).await.balance, 500);
    assert_eq!(credits(&app, &visitor).await.balance, 100);
}

#[tokio::test]
async fn personal_codes_are_capped_per_workspace_and_within_the_platform_limits() {
    let app = spawn_app().await;
    let (client, _) = owner(&app, 0).await;
    for _ in 0..5 {
        let _: String =
            app.call_ok(&client, "create_personal_code", &[("max_uses", "2"), ("credits", "10")]).await;
    }
    let (status, message) =
        error_of(app.call(&client, "create_personal_code", &[("max_uses", "2"), ("credits", "10")]).await)
            .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message.contains("5 active personal codes"), "{message}");
    let too_many = app.call(&client, "create_personal_code", &[("max_uses", "26"), ("credits", "10")]).await;
    assert_eq!(too_many.status(), StatusCode::BAD_REQUEST);
    let mine: PersonalInvites = app.call_ok(&client, "my_invites", &[]).await;
    app.call_ok::<()>(&client, "disable_personal_code", &[("code_id", &mine.codes[0].id)]).await;
    let _: String =
        app.call_ok(&client, "create_personal_code", &[("max_uses", "1"), ("credits", "0")]).await;
    // The platform admin lowers the limits: the next code must fit them.
    let admin = app.signed_in_admin("admin@example.com").await;
    let limits = [("max_uses_cap", "3"), ("max_credits_cap", "50"), ("active_per_workspace", "9")];
    app.call_ok::<()>(&admin, "set_personal_code_limits", &limits).await;
    let over = app.call(&client, "create_personal_code", &[("max_uses", "4"), ("credits", "10")]).await;
    assert_eq!(error_of(over).await.0, StatusCode::BAD_REQUEST);
    let over = app.call(&client, "create_personal_code", &[("max_uses", "3"), ("credits", "51")]).await;
    assert_eq!(error_of(over).await.0, StatusCode::BAD_REQUEST);
    let _: String =
        app.call_ok(&client, "create_personal_code", &[("max_uses", "3"), ("credits", "50")]).await;
    let bad = app
        .call(
            &admin,
            "set_personal_code_limits",
            &[("max_uses_cap", "0"), ("max_credits_cap", "5"), ("active_per_workspace", "1")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    // Someone else's code can't be disabled from another workspace.
    let (other, _) = owner(&app, 1).await;
    let refused = app.call(&other, "disable_personal_code", &[("code_id", &mine.codes[1].id)]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn malformed_minting_input_is_a_400_naming_the_field_and_mints_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let cases: [(&str, &str, &str); 7] = [
        ("credits", "-5", "credits"),
        ("max_uses", "0", "max_uses"),
        ("expires_on", "2001-01-01", "expires_on"),
        ("metadata", "no separator here", "metadata"),
        ("emails", "ok@example.com\nnot-an-address", "emails"),
        ("count", "0", "count"),
        ("flavor", "gold", "flavor"),
    ];
    for (field, value, named) in cases {
        let mut form = vec![
            ("flavor", "beta"),
            ("count", "1"),
            ("max_uses", ""),
            ("credits", ""),
            ("expires_on", ""),
            ("metadata", ""),
            ("emails", ""),
        ];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let response = app.call(&admin, "mint_invite_codes", &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{field}={value}");
        let error: AppError = response.json().await.unwrap();
        assert!(error.for_field(named).is_some(), "{field}: {error:?}");
    }
    assert_eq!(app.count("select count(*) from invite_codes").await, 0);
    assert_eq!(app.count("select count(*) from outbox").await, 0);
    // Members can't mint.
    let (member, _) = owner(&app, 1).await;
    let form = [
        ("flavor", "beta"),
        ("count", "1"),
        ("max_uses", ""),
        ("credits", ""),
        ("expires_on", ""),
        ("metadata", ""),
        ("emails", ""),
    ];
    assert_eq!(app.call(&member, "mint_invite_codes", &form).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn minted_codes_carry_metadata_and_the_table_filters_by_flavor_search_and_status() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let og =
        mint(&app, &admin, &[("flavor", "og"), ("count", "3"), ("metadata", "campaign = launch\nwave: 1")])
            .await;
    assert_eq!(og.codes.len(), 3);
    assert!(og.codes.iter().all(|c| c.starts_with("OG-")));
    let _ = mint(&app, &admin, &[("flavor", "free")]).await;
    let all = admin_codes(&app, &admin, &[("query[page]", "1")]).await;
    assert_eq!(all.len(), 4);
    let ogs = admin_codes(&app, &admin, &[("query[kind]", "og")]).await;
    assert_eq!(ogs.len(), 3);
    assert_eq!(
        ogs[0].metadata,
        [("campaign".to_string(), "launch".to_string()), ("wave".to_string(), "1".to_string())]
    );
    assert_eq!(ogs[0].invitee_credits, 5_000, "the OG flavor's default grant");
    let search = og.codes[1].to_lowercase();
    let found = admin_codes(&app, &admin, &[("query[q]", &search[..7])]).await;
    assert!(found.iter().any(|c| c.code == og.codes[1]));
    app.call_ok::<()>(&admin, "disable_invite_code", &[("code_id", &ogs[0].id)]).await;
    let disabled = admin_codes(&app, &admin, &[("query[status]", "disabled")]).await;
    assert_eq!(disabled.len(), 1);
    let again = app.call(&admin, "disable_invite_code", &[("code_id", &ogs[0].id)]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    // A changed flavor default applies to codes minted afterwards.
    app.call_ok::<()>(
        &admin,
        "set_invite_flavor_defaults",
        &[("flavor", "free"), ("invitee_credits", "42"), ("inviter_credits", "0")],
    )
    .await;
    let code = one_code(&app, &admin, &[("flavor", "free")]).await;
    let (client, _) = owner(&app, 1).await;
    let outcome: RedeemOutcome = redeem(&app, &client, &code).await.json().await.unwrap();
    assert_eq!(outcome.credits, 42);
    let redemptions: Vec<tributary::api::types::InviteRedemptionView> = app
        .call_ok(&admin, "invite_code_redemptions", &[("code_id", &found_id(&app, &admin, &code).await)])
        .await;
    assert_eq!(redemptions.len(), 1);
    assert_eq!(redemptions[0].user_email, "owner1@example.com");
}

/// The rows of one page of Admin → Invite codes for the view `query`.
async fn admin_codes(
    app: &TestApp,
    admin: &Client,
    query: &[(&str, &str)],
) -> Vec<tributary::api::types::InviteCodeView> {
    let page: tributary::model::list::Page<tributary::api::types::InviteCodeView> =
        app.call_ok(admin, "admin_invite_codes", query).await;
    page.rows
}

async fn found_id(app: &TestApp, admin: &Client, code: &str) -> String {
    let rows = admin_codes(app, admin, &[("query[q]", code)]).await;
    rows.into_iter().find(|r| r.code == code).expect("code listed").id
}

#[tokio::test]
async fn admin_deductions_stop_at_zero_unless_allowed_even_twenty_at_once() {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let (client, workspace) = owner(&app, 1).await;
    let grant = [("workspace_id", workspace.as_str()), ("amount", "500"), ("reason", "Welcome")];
    assert_eq!(app.call_ok::<i64>(&admin, "adjust_credits", &grant).await, 500);
    let no_reason = app
        .call(&admin, "adjust_credits", &[("workspace_id", &workspace), ("amount", "5"), ("reason", " ")])
        .await;
    assert_eq!(no_reason.status(), StatusCode::BAD_REQUEST);
    let barrier = Arc::new(Barrier::new(20));
    let app = Arc::new(app);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, admin, barrier, workspace) =
                (app.clone(), admin.clone(), barrier.clone(), workspace.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let form =
                    [("workspace_id", workspace.as_str()), ("amount", "-100"), ("reason", "Correction")];
                app.call(&admin, "adjust_credits", &form).await.status()
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => ok += 1,
            other => assert_eq!(other, StatusCode::CONFLICT),
        }
    }
    assert_eq!(ok, 5);
    assert_eq!(credits(&app, &client).await.balance, 0);
    let form = [
        ("workspace_id", workspace.as_str()),
        ("amount", "-30"),
        ("reason", "Chargeback"),
        ("allow_negative", "on"),
    ];
    assert_eq!(app.call_ok::<i64>(&admin, "adjust_credits", &form).await, -30);
    let summary = credits(&app, &client).await;
    assert_eq!(summary.balance, -30);
    assert_eq!(summary.entries[0].reason.as_deref(), Some("Chargeback"));
    assert_eq!(summary.entries[0].created_by.as_deref(), Some("admin@example.com"));
    // Owners can't adjust their own credits.
    let refused = app
        .call(&client, "adjust_credits", &[("workspace_id", &workspace), ("amount", "5"), ("reason", "x")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

/// DOMAIN decision 9: redeeming a partner invite turns the customer workspace into a
/// reselling agency at the invite's rate, once; 20 redemptions at once by the same
/// workspace make one partner, and a later partner invite changes nothing.
#[tokio::test]
async fn a_partner_invite_activates_the_workspace_as_an_agency_exactly_once() {
    let app = std::sync::Arc::new(spawn_app().await);
    let admin = app.signed_in_admin("admin@example.com").await;
    let metadata = "commission_kind = percent\ncommission_value = 25";
    let code = one_code(&app, &admin, &[("flavor", "partner"), ("metadata", metadata)]).await;
    assert!(code.starts_with("PARTNER-"));
    let (client, workspace) = owner(&app, 1).await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(20));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, client, barrier, code) = (app.clone(), client.clone(), barrier.clone(), code.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                redeem(&app, &client, &code).await.status()
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        let status = task.await.unwrap();
        assert!(status == StatusCode::OK || status == StatusCode::CONFLICT, "{status}");
        ok += usize::from(status == StatusCode::OK);
    }
    assert_eq!(ok, 1);
    assert_eq!(app.count("select count(*) from partners").await, 1);
    assert_eq!(app.count("select count(*) from referral_codes").await, 1);
    assert_eq!(app.count("select count(*) from invite_redemptions where flavor = 'partner'").await, 1);
    assert_eq!(
        app.count(
            "select commission_value from partners where status = 'approved' and approved_by is not null"
        )
        .await,
        2_500
    );
    let me = app.me(&client).await.unwrap();
    assert!(me.partner.is_some(), "the owner now uses the partner portal");
    let upgraded = me.workspaces.iter().find(|w| w.id == workspace).expect("keeps its workspace");
    assert_eq!(upgraded.tier, tributary::domain::roles::WorkspaceTier::Partner);
    assert_eq!(app.count("select count(*) from workspaces where sub_account_cap is not null").await, 0);

    // Another partner invite later: "already set up", nothing changes, no use counted.
    let second = one_code(&app, &admin, &[("flavor", "partner")]).await;
    let (status, message) = error_of(redeem(&app, &client, &second).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message.contains("already set up as a partner"), "{message}");
    assert_eq!(app.count("select count(*) from partners").await, 1);
    assert_eq!(app.count("select count(*) from invite_redemptions").await, 1);
    assert_eq!(app.count("select cast(coalesce(sum(uses), 0) as bigint) from invite_codes").await, 1);
}

/// `make bench` (scripts/bench-invites.sh), not a timed test: redemptions per second
/// through the server function, 32 at a time, each by its own workspace, of one
/// unlimited code. Prints the figure; asserts only that every redemption counted.
#[tokio::test]
#[ignore = "a benchmark: run by make bench (scripts/bench-invites.sh)"]
async fn redemption_throughput_benchmark() {
    let total: usize = std::env::var("BENCH_REDEMPTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let code = one_code(&app, &admin, &[("credits", "100")]).await;
    let mut owners = Vec::with_capacity(total);
    for n in 0..total {
        owners.push(owner(&app, n).await.0);
    }
    let app = Arc::new(app);
    let gate = Arc::new(tokio::sync::Semaphore::new(32));
    let started = std::time::Instant::now();
    let tasks: Vec<_> = owners
        .into_iter()
        .map(|client| {
            let (app, gate, code) = (app.clone(), gate.clone(), code.clone());
            tokio::spawn(async move {
                let _slot = gate.acquire().await.unwrap();
                redeem(&app, &client, &code).await.status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(app.count("select uses from invite_codes").await, total as i64);
    assert_eq!(app.count("select count(*) from credit_entries").await, total as i64);
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        "postgres"
    } else {
        "sqlite"
    };
    println!(
        "redemptions on {backend}: {total} in {secs:.2} s = {:.0} redemptions/s (32 concurrent)",
        total as f64 / secs
    );
}

#[tokio::test]
async fn admin_credits_page_searches_sorts_by_balance_and_pages() {
    type Balances = tributary::model::list::Page<tributary::api::types::WorkspaceCredits>;
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let mut workspaces = Vec::new();
    for n in 1..=27 {
        workspaces.push(owner(&app, n).await.1);
        app.state.db.clock.advance(1_000);
    }
    let grant = [("workspace_id", workspaces[4].as_str()), ("amount", "700"), ("reason", "Launch")];
    let _: i64 = app.call_ok(&admin, "adjust_credits", &grant).await;
    let first: Balances = app.call_ok(&admin, "admin_credit_balances", &[("query[page]", "1")]).await;
    let second: Balances = app.call_ok(&admin, "admin_credit_balances", &[("query[page]", "2")]).await;
    assert_eq!((first.total, first.rows.len(), second.rows.len()), (27, 25, 2));
    assert_eq!(first.rows[0].workspace_name, "Workspace 27", "newest first");
    assert!(second.rows.iter().all(|r| !first.rows.iter().any(|f| f.workspace_id == r.workspace_id)));
    let richest: Balances = app.call_ok(&admin, "admin_credit_balances", &[("query[sort]", "balance")]).await;
    assert_eq!((richest.rows[0].workspace_name.as_str(), richest.rows[0].balance), ("Workspace 5", 700));
    assert_eq!(richest.rows[0].entries, 1);
    // A search is a substring of the name, and its wildcards are literal.
    let found: Balances = app.call_ok(&admin, "admin_credit_balances", &[("query[q]", "space 1")]).await;
    assert_eq!(found.total, 11, "Workspace 1 and 10 … 19");
    let literal: Balances = app.call_ok(&admin, "admin_credit_balances", &[("query[q]", "%")]).await;
    assert_eq!(literal.total, 0);
    let (outsider, _) = owner(&app, 99).await;
    let refused = app.call(&outsider, "admin_credit_balances", &[("query[page]", "1")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
