//! The rich demo seed, the admin overview and the partner home.
use std::time::Instant;

use tributary::api::types::{AdminOverview, AttributionStats, PartnerHome, PortalPayouts};
use tributary::server::db::{demo_seed, partner_stats, payouts};

use crate::common;

/// Seeds the rich demo into a fresh app and returns the app and how long it took.
async fn seeded() -> (common::TestApp, std::time::Duration) {
    let app = common::spawn_app().await;
    let started = Instant::now();
    tributary::server::seed::seed_rich(&app.state, "demo password 1").await.expect("the rich seed");
    (app, started.elapsed())
}

#[tokio::test]
async fn the_rich_seed_is_deterministic_sizeable_and_quick() {
    let (first, took) = seeded().await;
    let (second, _) = seeded().await;
    let a = demo_seed::fingerprint(&first.state.db.pool).await.unwrap();
    let b = demo_seed::fingerprint(&second.state.db.pool).await.unwrap();
    assert_eq!(a, b, "two seeds give the same counts and sums");
    eprintln!("rich seed: {a:?} in {took:?}");
    assert!(a.partners >= 12, "about a dozen partners: {a:?}");
    assert!((200..=600).contains(&a.workspaces), "a few hundred workspaces: {a:?}");
    assert!(a.clicks >= 2_000, "thousands of clicks: {a:?}");
    assert!(a.converted >= 50 && a.commissions > a.converted, "conversions and recurring commissions: {a:?}");
    assert!(a.paid_payouts > 0 && a.payouts > a.paid_payouts, "payouts paid and due: {a:?}");
    assert!(
        a.invite_redemptions > 0 && a.credit_entries > a.invite_redemptions,
        "invites and credits: {a:?}"
    );
    assert!(took.as_secs() < 30, "seeding took {took:?}");
    let states: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from partners group by status order by status")
            .fetch_all(&first.state.db.pool)
            .await
            .unwrap();
    let names: Vec<&str> = states.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["approved", "pending", "rejected", "suspended"]);
}

#[tokio::test]
async fn the_rich_seed_is_consistent_with_the_ledger_and_the_running_stats() {
    let (app, _) = seeded().await;
    let pool = &app.state.db.pool;
    let now = app.state.db.now_ms();
    let stats = partner_stats::all(pool).await.unwrap();
    assert!(stats.len() >= 12);
    let mut with_money = 0;
    for s in &stats {
        let b = payouts::balances(pool, &s.partner_id, now).await.unwrap();
        for (name, v) in [
            ("on hold", b.on_hold_cents),
            ("available", b.available_cents),
            ("in payout", b.in_payout_cents),
            ("paid", b.paid_cents),
            ("credits", b.credit_cents),
        ] {
            assert!(v >= 0, "{} has a negative {name} balance: {b:?}", s.partner_id);
        }
        assert_eq!(b.on_hold_cents + b.available_cents + b.in_payout_cents + b.paid_cents, b.earned_cents);
        assert_eq!(s.pending_payout_cents, b.on_hold_cents + b.available_cents + b.in_payout_cents);
        assert_eq!(s.lifetime_payout_cents, b.paid_cents);
        assert_eq!(s.total_earnings_cents, b.earned_cents);
        let referrals: i64 = sqlx::query_scalar("select count(*) from referrals where partner_id = $1")
            .bind(&s.partner_id)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(s.total_referrals, referrals);
        with_money += i64::from(b.paid_cents > 0);
    }
    assert!(with_money >= 5, "most partners have been paid");
    // Every payout is the sum of its items; every converted referral has its period-1 entry.
    let wrong: i64 = sqlx::query_scalar(
        "select count(*) from payouts p where p.amount_cents <> (select cast(coalesce(sum(i.amount_cents), 0) \
         as bigint) from payout_items i where i.payout_id = p.id)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(wrong, 0);
    let unpaid: i64 = sqlx::query_scalar(
        "select count(*) from referrals r where r.converted_at is not null and not exists \
         (select 1 from commissions c where c.referral_id = r.id and c.period = 1 and c.kind = 'cash')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(unpaid, 0);
    // Credit commissions reached their partner's credits ledger (the one writer).
    let credit_commissions: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(amount_cents), 0) as bigint) from commissions where kind = 'credit'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let credited: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(amount), 0) as bigint) from credit_entries where kind = 'credit_commission'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(credit_commissions > 0);
    assert_eq!(credit_commissions, credited);
}

async fn workspace_total(app: &common::TestApp, admin: &reqwest::Client, form: &[(&str, &str)]) -> i64 {
    let page: tributary::model::list::Page<tributary::api::types::WorkspaceAdminRow> =
        app.call_ok(admin, "admin_workspace_page", form).await;
    assert!(page.rows.len() as i64 <= page.per_page);
    page.total
}

#[tokio::test]
async fn overview_figures_equal_the_counts_behind_their_links_in_every_period() {
    let (app, _) = seeded().await;
    let admin = app.signed_in_admin("admin@tributary.test").await;
    let mut signups_by_period = Vec::new();
    for period in ["7", "30", "90"] {
        let o: AdminOverview = app.call_ok(&admin, "admin_dashboard", &[("period", period)]).await;
        assert_eq!(o.period_days.to_string(), period);
        assert_eq!(o.daily.len() as i64, o.period_days);
        let (from, to) = (o.from_ms.to_string(), o.to_ms.to_string());
        // Referred signups → /admin/workspaces?referred=1&on=signup&from=…&to=…
        let window = |on: &'static str| {
            vec![
                ("query[referred]", "true".to_string()),
                ("query[on]", on.to_string()),
                ("query[from]", from.clone()),
                ("query[to]", to.clone()),
            ]
        };
        let as_refs =
            |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        let signup_form = as_refs(&window("signup"));
        let signup_form: Vec<(&str, &str)> = signup_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            workspace_total(&app, &admin, &signup_form).await,
            o.signups.value,
            "signups, {period} days"
        );
        let conv_form = as_refs(&window("conversion"));
        let conv_form: Vec<(&str, &str)> = conv_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            workspace_total(&app, &admin, &conv_form).await,
            o.conversions.value,
            "conversions, {period} days"
        );
        // The chart's days add up to the window's figures.
        assert_eq!(o.daily.iter().map(|d| d.clicks).sum::<i64>(), o.clicks.value);
        assert_eq!(o.daily.iter().map(|d| d.signups).sum::<i64>(), o.signups.value);
        assert_eq!(o.daily.iter().map(|d| d.conversions).sum::<i64>(), o.conversions.value);
        assert_eq!(o.daily.iter().map(|d| d.commission_cents).sum::<i64>(), o.commission_cents.value);
        // MRR → /admin/workspaces?referred=1&status=ACTIVE: that many workspaces, that MRR.
        let active = [("query[referred]", "true"), ("query[status]", "ACTIVE")];
        assert_eq!(workspace_total(&app, &admin, &active).await, o.active_referred);
        let mrr: i64 = sqlx::query_scalar(
            "select cast(coalesce(sum(pl.price_monthly_cents), 0) as bigint) from subscriptions s \
             join referrals r on r.workspace_id = s.workspace_id join plans pl on pl.id = s.plan_id \
             where s.status = 'ACTIVE'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(o.mrr_cents, mrr);
        assert!(o.mrr_cents > 0 && o.clicks.value > 0 && o.signups.value > 0);
        assert_eq!(o.awaiting_approval, 2, "the two pending applications");
        assert!(o.payouts_due > 0 && o.payouts_due_cents > 0, "the latest run's payouts are due");
        assert!(!o.top_by_revenue.is_empty() && !o.top_by_conversions.is_empty() && o.activity.len() == 12);
        assert!(o.activity.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
        signups_by_period.push(o.signups.value);
        // The previous window is the same length just before.
        let prev = demo_seed::count_referrals_between(
            &app.state.db.pool,
            o.from_ms - (o.to_ms - o.from_ms),
            o.from_ms,
        )
        .await
        .unwrap();
        assert_eq!(o.signups.previous, prev);
    }
    assert!(signups_by_period[0] < signups_by_period[1] && signups_by_period[1] < signups_by_period[2]);
    // Only the offered periods.
    let bad = app.call(&admin, "admin_dashboard", &[("period", "45")]).await;
    assert_eq!(bad.status(), reqwest::StatusCode::BAD_REQUEST);
}

/// The sum of a list's amounts over every page (the commissions list behind the figure).
async fn listed_commissions(
    app: &common::TestApp,
    admin: &reqwest::Client,
    from: &str,
    to: &str,
) -> (i64, i64) {
    let (mut sum, mut page) = (0, 1);
    loop {
        let p = page.to_string();
        let form = [
            ("query[on]", "earned"),
            ("query[kind]", "cash"),
            ("query[from]", from),
            ("query[to]", to),
            ("query[page]", p.as_str()),
        ];
        let listed: tributary::model::list::Page<tributary::api::types::LedgerRow> =
            app.call_ok(admin, "admin_commission_page", &form).await;
        sum += listed.rows.iter().map(|r| r.amount_cents).sum::<i64>();
        if page >= listed.pages() {
            return (sum, listed.total);
        }
        page += 1;
    }
}

#[tokio::test]
async fn a_custom_period_reads_whole_days_and_its_clicks_and_commissions_lists_agree() {
    use tributary::domain::attribution::DAY_MS;
    let (app, _) = seeded().await;
    let admin = app.signed_in_admin("admin@tributary.test").await;
    let today = app.state.db.now_ms() / DAY_MS;
    let day = |d: i64| tributary::domain::payouts::LocalDate::from_days(d).to_string();
    let (from, to) = (day(today - 20), day(today - 7));
    let form = [("period", "custom"), ("from", from.as_str()), ("to", to.as_str())];
    let o: AdminOverview = app.call_ok(&admin, "admin_dashboard", &form).await;
    assert_eq!(o.period_days, 14);
    assert_eq!(o.daily.len(), 14);
    assert_eq!((o.from_ms, o.to_ms), ((today - 20) * DAY_MS, (today - 6) * DAY_MS));
    assert_eq!(o.daily.iter().map(|d| d.clicks).sum::<i64>(), o.clicks.value);
    assert!(o.clicks.value > 0 && o.commission_cents.value != 0, "the seed has history then: {o:?}");
    let prev = demo_seed::count_referrals_between(&app.state.db.pool, o.from_ms - 14 * DAY_MS, o.from_ms)
        .await
        .unwrap();
    assert_eq!(o.signups.previous, prev, "compared with the 14 days before");
    // Clicks → /admin/clicks?on=click&from=…&to=…: that many rows.
    let (from_ms, to_ms) = (o.from_ms.to_string(), o.to_ms.to_string());
    let window = [("query[on]", "click"), ("query[from]", from_ms.as_str()), ("query[to]", to_ms.as_str())];
    let clicks: tributary::model::list::Page<tributary::api::types::ClickRow> =
        app.call_ok(&admin, "admin_click_page", &window).await;
    assert_eq!(clicks.total, o.clicks.value);
    assert!(clicks.rows.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    assert!(clicks.rows.iter().all(|c| c.created_at >= o.from_ms && c.created_at < o.to_ms));
    // Commissions earned → /admin/commissions?on=earned&kind=cash&…: the figure is their sum.
    let (sum, listed) = listed_commissions(&app, &admin, &from_ms, &to_ms).await;
    assert_eq!(sum, o.commission_cents.value);
    assert!(listed > 0);
    // A search narrows the clicks to one partner's code.
    let one = &clicks.rows[0];
    let by_partner = [
        ("query[partner]", one.partner_id.as_str()),
        ("query[from]", from_ms.as_str()),
        ("query[to]", to_ms.as_str()),
    ];
    let mine: tributary::model::list::Page<tributary::api::types::ClickRow> =
        app.call_ok(&admin, "admin_click_page", &by_partner).await;
    assert!(mine.total > 0 && mine.total <= clicks.total);
    assert!(mine.rows.iter().all(|c| c.partner_id == one.partner_id));
    // Ranges the page cannot read are 400s that say why.
    for (from, to, field) in [
        ("2026-02-30", "2026-03-02", "from"),
        ("2026-03-02", "2026-03-01", "to"),
        ("2025-01-01", "2026-06-01", "to"),
        ("2026-03-01", "", "to"),
    ] {
        let bad =
            app.call(&admin, "admin_dashboard", &[("period", "custom"), ("from", from), ("to", to)]).await;
        assert_eq!(bad.status(), reqwest::StatusCode::BAD_REQUEST, "{from}..{to}");
        assert!(bad.text().await.unwrap().contains(field), "{from}..{to} names {field}");
    }
}

#[tokio::test]
async fn only_platform_admins_see_the_overview_and_the_workspace_list() {
    let (app, _) = seeded().await;
    let customer = app.signed_in_user("someone@example.com").await;
    for (endpoint, form) in [
        ("admin_dashboard", [("period", "30")]),
        ("admin_workspace_page", [("query[q]", "a")]),
        ("admin_click_page", [("query[q]", "a")]),
        ("admin_commission_page", [("query[q]", "a")]),
    ] {
        let response = app.call(&customer, endpoint, &form).await;
        assert_eq!(response.status(), reqwest::StatusCode::FORBIDDEN, "{endpoint}");
    }
}

#[tokio::test]
async fn the_workspace_list_searches_pages_and_sorts_through_its_query() {
    let (app, _) = seeded().await;
    let admin = app.signed_in_admin("admin@tributary.test").await;
    let all: i64 =
        sqlx::query_scalar("select count(*) from workspaces").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(workspace_total(&app, &admin, &[("query[page]", "1")]).await, all);
    let page2: tributary::model::list::Page<tributary::api::types::WorkspaceAdminRow> =
        app.call_ok(&admin, "admin_workspace_page", &[("query[page]", "2"), ("query[sort]", "oldest")]).await;
    let page1: tributary::model::list::Page<tributary::api::types::WorkspaceAdminRow> =
        app.call_ok(&admin, "admin_workspace_page", &[("query[page]", "1"), ("query[sort]", "oldest")]).await;
    assert_eq!(page1.rows.len(), 25);
    assert!(page1.rows.last().unwrap().created_at <= page2.rows[0].created_at);
    assert!(page1.rows.iter().all(|r| !page2.rows.iter().any(|s| s.id == r.id)));
    // Search by partner name finds that partner's referred workspaces (and its own).
    let lumen: i64 = sqlx::query_scalar(
        "select count(*) from referrals r join partners p on p.id = r.partner_id where p.name = 'Lumen Labs'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(workspace_total(&app, &admin, &[("query[q]", "lumen labs")]).await, lumen + 1);
    // Wildcards are literal.
    assert_eq!(workspace_total(&app, &admin, &[("query[q]", "%")]).await, 0);
}

#[tokio::test]
async fn the_partner_home_equals_its_analytics_and_payouts_pages() {
    let (app, _) = seeded().await;
    let partner = common::browser();
    let login = app.login(&partner, tributary::server::seed::DEMO_PARTNER_USER, "demo password 1").await;
    assert_eq!(login.status(), reqwest::StatusCode::OK);
    let home: PartnerHome = app.call_ok(&partner, "partner_home", &[]).await;
    let stats: AttributionStats = app.call_ok(&partner, "my_stats", &[]).await;
    let payouts: PortalPayouts = app.call_ok(&partner, "my_payouts", &[]).await;
    assert_eq!(home.name, "Northwind Agency");
    assert_eq!(home.daily, stats.daily, "the Analytics page's 30 days");
    assert!(home.daily.iter().map(|d| d.clicks).sum::<i64>() > 0);
    // The per-code click counts come from the rollup the seed derived from its clicks.
    assert!(stats.by_code.iter().map(|c| c.clicks).sum::<i64>() > 0);
    app.assert_rollups_exact().await;
    assert_eq!(home.balances, payouts.balances, "the Payouts page's balances");
    assert_eq!(home.next, payouts.next);
    assert!(home.balances.paid_cents > 0);
    assert!(
        home.primary_link.as_deref().is_some_and(|l| l.contains("ref=northwind-agency")),
        "{:?}",
        home.primary_link
    );
    assert_eq!(home.recent.len(), 5);
    assert!(home.recent.windows(2).all(|w| w[0].created_at >= w[1].created_at));
}

#[tokio::test]
async fn a_new_partners_checklist_ticks_off_and_then_disappears() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Fresh Start", "percent", "20").await;
    let partner = app.partner_user(&admin, &id, "p@fresh.example").await;
    let steps = |h: &PartnerHome| h.checklist.iter().map(|s| (s.key.clone(), s.done)).collect::<Vec<_>>();
    let home: PartnerHome = app.call_ok(&partner, "partner_home", &[]).await;
    assert_eq!(
        steps(&home),
        [
            ("link".into(), false),
            ("share".into(), false),
            ("payout".into(), false),
            ("referral".into(), false)
        ]
    );
    assert!(home.recent.is_empty() && home.balances.paid_cents == 0);
    let _: tributary::api::types::CodeRow =
        app.call_ok(&partner, "create_code", &[("code", "fresh-own")]).await;
    let form = [("payout_method", "paypal"), ("paypal_email", "pay@fresh.example")];
    let _: usize = app.call_ok(&partner, "update_my_payout", &form).await;
    let home: PartnerHome = app.call_ok(&partner, "partner_home", &[]).await;
    assert_eq!(
        steps(&home),
        [("link".into(), true), ("share".into(), false), ("payout".into(), true), ("referral".into(), false)]
    );
    app.referred_customer("fresh-own", "c@fresh.example", "Fresh Customer").await;
    app.flush_clicks().await;
    let home: PartnerHome = app.call_ok(&partner, "partner_home", &[]).await;
    assert!(home.checklist.is_empty(), "every step done: {:?}", home.checklist);
    assert_eq!(home.recent.len(), 1);
    assert_eq!(home.recent[0].workspace_name, "Fresh Customer");
}

#[tokio::test]
async fn a_claim_link_opened_by_another_account_says_so_before_any_click() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Growth", "99.00").await;
    let id = app.partner(&admin, "Provider", "percent", "20").await;
    let partner = app.partner_user(&admin, &id, "p@provider.example").await;
    let form = [
        ("workspace_name", "Client Co"),
        ("plan_id", plan.as_str()),
        ("intended_email", "jane@client.example"),
    ];
    let tenant: tributary::api::types::ProvisionedTenant =
        app.call_ok(&partner, "provision_tenant", &form).await;
    let client = common::browser();
    let path = tenant.claim_link.split_once("/register").map(|(_, rest)| format!("/register{rest}")).unwrap();
    client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(app.register(&client, "bob@other.example").await.status(), reqwest::StatusCode::OK);
    let info: Option<tributary::api::types::ClaimInfo> = app.call_ok(&client, "claim_preview", &[]).await;
    let info = info.expect("the claim cookie");
    assert_eq!(info.reserved_for_other.as_deref(), Some("j•••@client.example"));
    assert!(info.problem.is_none());
    // The intended account sees no such note.
    let jane = common::browser();
    jane.get(app.url(&path)).send().await.unwrap();
    assert_eq!(app.register(&jane, "jane@client.example").await.status(), reqwest::StatusCode::OK);
    let info: Option<tributary::api::types::ClaimInfo> = app.call_ok(&jane, "claim_preview", &[]).await;
    assert_eq!(info.unwrap().reserved_for_other, None);
}

#[tokio::test]
async fn the_register_page_names_the_referrer_only_for_an_approved_partners_code() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    app.partner(&admin, "Friendly Agency", "percent", "20").await;
    let visitor = common::browser();
    let named: Option<String> = app.call_ok(&visitor, "referrer_name", &[("code", "friendly-agency")]).await;
    assert_eq!(named.as_deref(), Some("Friendly Agency"));
    let unknown: Option<String> = app.call_ok(&visitor, "referrer_name", &[("code", "nobody-here")]).await;
    assert_eq!(unknown, None);
    let bad: Option<String> = app.call_ok(&visitor, "referrer_name", &[("code", "<script>")]).await;
    assert_eq!(bad, None);
    // From the referral cookie when the page has no ?ref=.
    let landed = common::browser();
    landed.get(app.url("/register?ref=friendly-agency")).send().await.unwrap();
    let carried: Option<String> = app.call_ok(&landed, "referrer_name", &[("code", "")]).await;
    assert_eq!(carried.as_deref(), Some("Friendly Agency"));
}

#[tokio::test]
async fn a_partners_portal_workspace_gets_no_customer_subscription() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Growth", "99.00").await;
    let id = app.partner(&admin, "Own Portal", "percent", "20").await;
    let workspace: String = sqlx::query_scalar("select workspace_id from partners where id = $1")
        .bind(&id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let response = app.activate(&admin, &workspace, &plan).await;
    assert_eq!(response.status(), reqwest::StatusCode::FORBIDDEN);
    let subs: i64 = sqlx::query_scalar("select count(*) from subscriptions where workspace_id = $1")
        .bind(&workspace)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(subs, 0, "nothing changed");
}

/// The overview's top partners by conversions (counted per partner, names looked up only
/// above the limit's count, and on it when few tie; else the tied ones walked by name)
/// equal the plain join, grouping and sort, ties included, for every limit and window, and
/// whichever way the ties are read.
#[tokio::test]
async fn top_partners_by_conversions_equal_the_plain_grouping_for_every_limit() {
    let (app, _) = seeded().await;
    let db = &app.state.db;
    let plain = "select p.id as partner_id, p.name as partner_name, count(*) as value \
         from referrals r join partners p on p.id = r.partner_id \
         where r.converted_at >= $1 and r.converted_at < $2 \
         group by p.id, p.name order by value desc, p.name, p.id limit $3";
    let now = db.now_ms();
    let mut seen = 0;
    for days in [7, 30, 90, 3_650] {
        let from = now - days * tributary::server::db::DAY_MS;
        for limit in 1..=8 {
            let expected: Vec<(String, String, i64)> =
                sqlx::query_as(plain).bind(from).bind(now).bind(limit).fetch_all(&db.pool).await.unwrap();
            for ties_by_name in [0, 1, 2, tributary::server::db::overview::TIES_BY_NAME] {
                let kept = tributary::server::db::overview::top_by_conversions(
                    &db.pool,
                    (from, now),
                    limit,
                    ties_by_name,
                )
                .await
                .unwrap();
                let kept: Vec<_> =
                    kept.into_iter().map(|r| (r.partner_id, r.partner_name, r.value)).collect();
                assert_eq!(kept, expected, "{days} days, top {limit}, names of up to {ties_by_name} ties");
            }
            seen += expected.len();
        }
    }
    assert!(seen > 20, "the seed converts through several partners");
}
