//! The lists (issue #13): every admin and portal list pages, searches, filters and sorts
//! through its URL's query, an unknown status is a 400, and a partner only ever sees its
//! own rows. Counts are checked against SQL over the rich demo seed.
use reqwest::{Client, StatusCode};
use tributary::api::types::{
    CodeRow, LedgerRow, ListingView, PartnerProfile, PartnerRow, PayoutView, ReferralRow, ShareLinkRow,
};
use tributary::model::list::Page;
use tributary::server::seed::{DEMO_PARTNER_USER, DEMO_PAYOUTS_USER};

use crate::common::{self, TestApp, browser};

const PASSWORD: &str = "demo password 1";

struct Seeded {
    app: TestApp,
    admin: Client,
    /// Northwind Agency's user and id.
    partner: Client,
    partner_id: String,
    /// Harbor Payouts' user and id: another partner, for isolation.
    other: Client,
    other_id: String,
}

async fn seeded() -> Seeded {
    let app = common::spawn_app().await;
    tributary::server::seed::seed_rich(&app.state, PASSWORD).await.expect("the rich seed");
    let admin = app.signed_in_admin("admin@tributary.test").await;
    let (partner, partner_id) = partner_user(&app, DEMO_PARTNER_USER).await;
    let (other, other_id) = partner_user(&app, DEMO_PAYOUTS_USER).await;
    Seeded { app, admin, partner, partner_id, other, other_id }
}

async fn partner_user(app: &TestApp, email: &str) -> (Client, String) {
    let client = browser();
    assert_eq!(app.login(&client, email, PASSWORD).await.status(), StatusCode::OK, "{email}");
    let id = sql_one(
        app,
        "select p.id from partners p join members m on m.workspace_id = p.workspace_id \
         join users u on u.id = m.user_id where u.email = $1",
        email,
    )
    .await;
    (client, id)
}

async fn sql_one(app: &TestApp, sql: &'static str, arg: &str) -> String {
    sqlx::query_scalar(sql).bind(arg.to_string()).fetch_one(&app.state.db.pool).await.expect(sql)
}

async fn sql_count(app: &TestApp, sql: &'static str, arg: &str) -> i64 {
    sqlx::query_scalar(sql).bind(arg.to_string()).fetch_one(&app.state.db.pool).await.expect(sql)
}

/// One page of `endpoint` for the view `query` (pairs of `ListQuery` fields), plus `extra`
/// form fields.
async fn page<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    query: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> Page<T> {
    let form = form(query, extra);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page: Page<T> = app.call_ok(client, endpoint, &pairs).await;
    assert!(page.rows.len() as i64 <= page.per_page, "{endpoint}: a page is bounded");
    page
}

fn form(query: &[(&str, &str)], extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = vec![("query[page]".into(), "1".into())];
    form.retain(|_| !query.iter().any(|(k, _)| *k == "page"));
    form.extend(query.iter().map(|(k, v)| (format!("query[{k}]"), v.to_string())));
    form.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    form
}

/// Page 1 and page 2 of a view together hold the first rows of the list, without overlap,
/// and agree on the total.
async fn assert_pages_continue<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    extra: &[(&str, &str)],
    id: fn(&T) -> String,
) -> i64 {
    let one: Page<T> = page(app, client, endpoint, &[("page", "1")], extra).await;
    let two: Page<T> = page(app, client, endpoint, &[("page", "2")], extra).await;
    assert_eq!(one.total, two.total, "{endpoint}: the total does not depend on the page");
    assert_eq!(one.rows.len() as i64, one.total.min(25), "{endpoint}: a full first page");
    assert_eq!(two.rows.len() as i64, (one.total - 25).clamp(0, 25), "{endpoint}: page 2 has the rest");
    assert!(one.total > 25, "{endpoint}: the seed gives more than a page ({})", one.total);
    let first: Vec<String> = one.rows.iter().map(id).collect();
    assert!(two.rows.iter().all(|r| !first.contains(&id(r))), "{endpoint}: pages never overlap");
    one.total
}

/// An unknown `field` value is a 400 about that field, naming the choices.
async fn assert_unknown_is_400(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    field: &str,
    extra: &[(&str, &str)],
) {
    let form = form(&[(field, "bogus")], extra);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = app.call(client, endpoint, &pairs).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{endpoint} {field}=bogus");
    let error: tributary::api::AppError = response.json().await.unwrap();
    let message = error.for_field(field).unwrap_or_else(|| panic!("{endpoint}: {error:?} names {field}"));
    assert!(message.contains("bogus") && message.contains("use one of"), "{message}");
}

#[tokio::test]
async fn admin_partners_search_filter_sort_and_page() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let mut ids = Vec::new();
    for n in 1..=27 {
        ids.push(app.partner(&admin, &format!("Partner {n:02}"), "percent", "10").await);
    }
    assert_pages_continue::<PartnerRow>(&app, &admin, "admin_partners", &[], |r| r.id.clone()).await;
    let total = |q: &'static [(&'static str, &'static str)]| {
        let (app, admin) = (&app, &admin);
        async move { page::<PartnerRow>(app, admin, "admin_partners", q, &[]).await.total }
    };
    assert_eq!(total(&[("q", "partner 0")]).await, 9, "by name");
    assert_eq!(total(&[("q", "PARTNER-15@partners")]).await, 1, "by contact email, any case");
    // By a code that is in neither the name nor the email.
    let user = app.partner_user(&admin, &ids[3], "four@example.com").await;
    let _: CodeRow = app.call_ok(&user, "create_code", &[("code", "zebra-deal")]).await;
    let found: Page<PartnerRow> = page(&app, &admin, "admin_partners", &[("q", "zebra")], &[]).await;
    assert_eq!(found.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Partner 04"]);
    // State filter.
    sqlx::query("update partners set status = 'suspended' where id = $1")
        .bind(ids[0].clone())
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(total(&[("status", "suspended")]).await, 1);
    assert_eq!(total(&[("status", "approved")]).await, 26);
    assert_eq!(total(&[("status", "approved"), ("q", "partner 01")]).await, 0, "filters combine");
    assert_unknown_is_400(&app, &admin, "admin_partners", "status", &[]).await;
    // Sorts: by name, newest first (the default).
    let by_name: Page<PartnerRow> = page(&app, &admin, "admin_partners", &[("sort", "name")], &[]).await;
    let names: Vec<&str> = by_name.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names[..3], ["Partner 01", "Partner 02", "Partner 03"]);
    let newest: Page<PartnerRow> = page(&app, &admin, "admin_partners", &[], &[]).await;
    assert!(newest.rows.windows(2).all(|w| w[0].created_at >= w[1].created_at));
}

#[tokio::test]
async fn admin_partners_sort_by_earnings_and_the_partner_page_is_bounded() {
    let s = seeded().await;
    let by_earnings: Page<PartnerRow> =
        page(&s.app, &s.admin, "admin_partners", &[("sort", "earnings")], &[]).await;
    let expected: Vec<String> = sqlx::query_scalar(
        "select p.id from partners p order by (select coalesce(sum(c.amount_cents), 0) from commissions c \
         where c.partner_id = p.id and c.kind = 'cash') desc, p.id",
    )
    .fetch_all(&s.app.state.db.pool)
    .await
    .unwrap();
    let got: Vec<String> = by_earnings.rows.iter().map(|r| r.id.clone()).collect();
    assert_eq!(got, expected[..got.len()]);
    // The partner page holds the latest referrals only, with their total.
    let profile: PartnerProfile =
        s.app.call_ok(&s.admin, "partner_detail", &[("partner_id", &s.partner_id)]).await;
    let referrals =
        sql_count(&s.app, "select count(*) from referrals where partner_id = $1", &s.partner_id).await;
    assert_eq!(profile.referrals.total, referrals);
    assert_eq!(profile.referrals.rows.len() as i64, referrals.min(25));
    // Its money figures are the payout engine's: unpaid cash and cash in paid payouts.
    let portal: tributary::api::types::PortalPayouts = s.app.call_ok(&s.partner, "my_payouts", &[]).await;
    assert!(portal.paid_cents > 0, "the seeded partner has been paid");
    assert_eq!(
        (profile.partner.pending_cents, profile.partner.paid_cents),
        (portal.pending_cents, portal.paid_cents)
    );
    // …and "all of them" is Admin → Workspaces filtered to the partner.
    let all: Page<tributary::api::types::WorkspaceAdminRow> =
        page(&s.app, &s.admin, "admin_workspace_page", &[("partner", &s.partner_id)], &[]).await;
    assert_eq!(all.total, referrals);
    assert_unknown_is_400(&s.app, &s.admin, "admin_workspace_page", "status", &[]).await;
}

#[tokio::test]
async fn portal_referrals_page_search_filter_sort_and_stay_the_partners_own() {
    let s = seeded().await;
    let (app, partner, own) = (&s.app, &s.partner, s.partner_id.as_str());
    let total =
        assert_pages_continue::<ReferralRow>(app, partner, "my_referral_page", &[], |r| r.id.clone()).await;
    assert_eq!(total, sql_count(app, "select count(*) from referrals where partner_id = $1", own).await);
    // Source and state filters agree with SQL.
    let links =
        sql_count(app, "select count(*) from referrals where partner_id = $1 and source = 'link'", own).await;
    let got: Page<ReferralRow> = page(app, partner, "my_referral_page", &[("kind", "link")], &[]).await;
    assert_eq!(got.total, links);
    assert!(got.rows.iter().all(|r| r.source == tributary::domain::roles::ReferralSource::Link));
    let converted = sql_count(
        app,
        "select count(*) from referrals where partner_id = $1 and converted_at is not null",
        own,
    )
    .await;
    let got: Page<ReferralRow> =
        page(app, partner, "my_referral_page", &[("status", "converted")], &[]).await;
    assert_eq!(got.total, converted);
    assert!(got.rows.iter().all(|r| r.converted_at.is_some()));
    let registered: Page<ReferralRow> =
        page(app, partner, "my_referral_page", &[("status", "registered")], &[]).await;
    assert_eq!(registered.total + converted, total);
    assert_unknown_is_400(app, partner, "my_referral_page", "status", &[]).await;
    assert_unknown_is_400(app, partner, "my_referral_page", "kind", &[]).await;
    // Search: one workspace by (part of) its name.
    let name = sql_one(app, "select w.name from referrals r join workspaces w on w.id = r.workspace_id where r.partner_id = $1 order by r.created_at limit 1", own).await;
    let found: Page<ReferralRow> =
        page(app, partner, "my_referral_page", &[("q", &name.to_uppercase())], &[]).await;
    assert!(
        found.total >= 1
            && found.rows.iter().all(|r| r.workspace_name.to_lowercase().contains(&name.to_lowercase()))
    );
    // Sorts.
    let by_name: Page<ReferralRow> = page(app, partner, "my_referral_page", &[("sort", "name")], &[]).await;
    assert!(
        by_name
            .rows
            .windows(2)
            .all(|w| w[0].workspace_name.to_lowercase() <= w[1].workspace_name.to_lowercase())
    );
    let oldest: Page<ReferralRow> = page(app, partner, "my_referral_page", &[("sort", "oldest")], &[]).await;
    assert!(oldest.rows.windows(2).all(|w| w[0].created_at <= w[1].created_at));
    let newest: Page<ReferralRow> = page(app, partner, "my_referral_page", &[], &[]).await;
    assert!(newest.rows.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    // Isolation: the other partner sees exactly its own, never one of these.
    let theirs: Page<ReferralRow> = page(app, &s.other, "my_referral_page", &[], &[]).await;
    assert_eq!(
        theirs.total,
        sql_count(app, "select count(*) from referrals where partner_id = $1", &s.other_id).await
    );
    let mine: Vec<&str> = newest.rows.iter().map(|r| r.id.as_str()).collect();
    assert!(theirs.rows.iter().all(|r| !mine.contains(&r.id.as_str())));
    // A customer is not a partner.
    let customer = app.signed_in_user("someone@example.com").await;
    assert_eq!(
        app.call(&customer, "my_referral_page", &[("query[page]", "1")]).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn earnings_list_every_entry_in_exactly_one_state_paged_and_own() {
    let s = seeded().await;
    let (app, partner, own) = (&s.app, &s.partner, s.partner_id.as_str());
    let total = assert_pages_continue::<LedgerRow>(app, partner, "my_earnings", &[], |r| r.id.clone()).await;
    assert_eq!(total, sql_count(app, "select count(*) from commissions where partner_id = $1", own).await);
    let mut by_state = 0;
    for state in ["on_hold", "available", "in_payout", "paid", "reversed"] {
        let got: Page<LedgerRow> = page(app, partner, "my_earnings", &[("status", state)], &[]).await;
        assert!(got.rows.iter().all(|r| r.status.as_str() == state), "{state}");
        by_state += got.total;
    }
    assert_eq!(by_state, total, "each entry stands in exactly one state");
    let reversals = sql_count(
        app,
        "select count(*) from commissions where partner_id = $1 and reverses_id is not null",
        own,
    )
    .await;
    let reversed: Page<LedgerRow> = page(app, partner, "my_earnings", &[("status", "reversed")], &[]).await;
    assert_eq!(reversed.total, reversals);
    let cash =
        sql_count(app, "select count(*) from commissions where partner_id = $1 and kind = 'cash'", own).await;
    let got: Page<LedgerRow> = page(app, partner, "my_earnings", &[("kind", "cash")], &[]).await;
    assert_eq!(got.total, cash);
    assert_unknown_is_400(app, partner, "my_earnings", "status", &[]).await;
    assert_unknown_is_400(app, partner, "my_earnings", "kind", &[]).await;
    let newest: Page<LedgerRow> = page(app, partner, "my_earnings", &[], &[]).await;
    assert!(newest.rows.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    assert!(newest.rows.iter().all(|r| r.partner_id == own), "only the partner's own entries");
    let theirs: Page<LedgerRow> = page(app, &s.other, "my_earnings", &[], &[]).await;
    assert!(theirs.rows.iter().all(|r| r.partner_id == s.other_id));
    // The admin's partner page reads the same list for any partner.
    let admin_view: Page<LedgerRow> =
        page(app, &s.admin, "partner_ledger", &[], &[("partner_id", &s.other_id)]).await;
    assert_eq!(admin_view.rows, theirs.rows);
    assert_eq!(
        app.call(partner, "partner_ledger", &form_pairs(&s.other_id)).await.status(),
        StatusCode::FORBIDDEN
    );
}

fn form_pairs(partner_id: &str) -> [(&'static str, &str); 2] {
    [("query[page]", "1"), ("partner_id", partner_id)]
}

#[tokio::test]
async fn payout_history_pages_filters_and_searches_for_the_admin_and_each_partner() {
    let s = seeded().await;
    let app = &s.app;
    let all = app.count("select count(*) from payouts").await;
    let admin_total =
        assert_pages_continue::<PayoutView>(app, &s.admin, "admin_payout_page", &[], |r| r.id.clone()).await;
    assert_eq!(admin_total, all);
    let paid: Page<PayoutView> = page(app, &s.admin, "admin_payout_page", &[("status", "paid")], &[]).await;
    assert_eq!(paid.total, app.count("select count(*) from payouts where status = 'paid'").await);
    assert!(paid.rows.iter().all(|r| r.status == tributary::domain::roles::PayoutStatus::Paid));
    let harbor: Page<PayoutView> = page(app, &s.admin, "admin_payout_page", &[("q", "harbor")], &[]).await;
    assert_eq!(
        harbor.total,
        sql_count(app, "select count(*) from payouts where partner_id = $1", &s.other_id).await
    );
    assert!(harbor.rows.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    let one: Page<PayoutView> =
        page(app, &s.admin, "admin_payout_page", &[("partner", &s.other_id)], &[]).await;
    assert_eq!(one.total, harbor.total, "the partner filter is the partner's payouts");
    assert!(one.rows.iter().all(|r| r.partner_id == s.other_id));
    assert_unknown_is_400(app, &s.admin, "admin_payout_page", "status", &[]).await;
    // A partner sees its own payouts only, whatever it searches for.
    for (client, id) in [(&s.partner, &s.partner_id), (&s.other, &s.other_id)] {
        let own: Page<PayoutView> = page(app, client, "my_payout_page", &[], &[]).await;
        assert_eq!(own.total, sql_count(app, "select count(*) from payouts where partner_id = $1", id).await);
        assert!(own.rows.iter().all(|r| &r.partner_id == id));
    }
    let probing: Page<PayoutView> = page(app, &s.partner, "my_payout_page", &[("q", "harbor")], &[]).await;
    assert_eq!(probing.total, 0);
    assert_unknown_is_400(app, &s.partner, "my_payout_page", "status", &[]).await;
    assert_eq!(
        app.call(&s.partner, "admin_payout_page", &[("query[page]", "1")]).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_partners_links_page_search_and_filter_and_stay_its_own() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Linker", "percent", "10").await;
    let partner = app.partner_user(&admin, &id, "linker@example.com").await;
    let other_id = app.partner(&admin, "Other", "percent", "10").await;
    let other = app.partner_user(&admin, &other_id, "other@example.com").await;
    for n in 1..=27 {
        let _: CodeRow = app.call_ok(&partner, "create_code", &[("code", &format!("spring-{n:02}"))]).await;
    }
    let total = assert_pages_continue::<CodeRow>(&app, &partner, "my_code_page", &[], |r| r.id.clone()).await;
    assert_eq!(total, 28, "27 and the default code");
    let first: Page<CodeRow> = page(&app, &partner, "my_code_page", &[], &[]).await;
    assert_eq!(first.rows[0].is_default, 1, "the default code comes first");
    let by_code: Page<CodeRow> = page(&app, &partner, "my_code_page", &[("sort", "code")], &[]).await;
    let codes: Vec<&str> = by_code.rows.iter().map(|r| r.code.as_str()).collect();
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "A–Z: {codes:?}");
    let oldest: Page<CodeRow> = page(&app, &partner, "my_code_page", &[("sort", "oldest")], &[]).await;
    assert!(oldest.rows.windows(2).all(|w| w[0].created_at <= w[1].created_at));
    assert!(first.rows.iter().all(|r| r.link.ends_with(&format!("/register?ref={}", r.code))));
    let found: Page<CodeRow> = page(&app, &partner, "my_code_page", &[("q", "SPRING-1")], &[]).await;
    assert_eq!(found.total, 10, "spring-10 … spring-19");
    let _: () = app.call_ok(&partner, "disable_code", &[("code_id", &first.rows[1].id)]).await;
    let disabled: Page<CodeRow> = page(&app, &partner, "my_code_page", &[("status", "disabled")], &[]).await;
    assert_eq!(disabled.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [first.rows[1].id.as_str()]);
    let active: Page<CodeRow> = page(&app, &partner, "my_code_page", &[("status", "active")], &[]).await;
    assert_eq!(active.total, 27);
    assert_unknown_is_400(&app, &partner, "my_code_page", "status", &[]).await;
    let theirs: Page<CodeRow> = page(&app, &other, "my_code_page", &[("q", "spring")], &[]).await;
    assert_eq!(theirs.total, 0, "another partner never sees these codes");
}

#[tokio::test]
async fn a_creators_listings_and_share_links_page_search_and_filter_and_stay_its_own() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Maker", "percent", "10").await;
    let partner = app.partner_user(&admin, &id, "maker@example.com").await;
    let other_id = app.partner(&admin, "Other", "percent", "10").await;
    let other = app.partner_user(&admin, &other_id, "other@example.com").await;
    let mut ids = Vec::new();
    for n in 1..=27 {
        let form =
            [("title", format!("Kit {n:02}")), ("description", String::new()), ("price", "9.00".into())];
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let listing: ListingView = app.call_ok(&partner, "create_listing", &pairs).await;
        ids.push(listing.id);
        app.state.db.clock.advance(1_000); // "newest first" never hangs on a tie
    }
    let total =
        assert_pages_continue::<ListingView>(&app, &partner, "my_listing_page", &[], |r| r.id.clone()).await;
    assert_eq!(total, 27);
    let first: Page<ListingView> = page(&app, &partner, "my_listing_page", &[], &[]).await;
    assert_eq!(first.rows[0].title, "Kit 27", "newest first");
    let oldest: Page<ListingView> = page(&app, &partner, "my_listing_page", &[("sort", "oldest")], &[]).await;
    assert_eq!(oldest.rows[0].title, "Kit 01");
    let by_title: Page<ListingView> =
        page(&app, &partner, "my_listing_page", &[("sort", "title"), ("q", "kit 2")], &[]).await;
    let titles: Vec<&str> = by_title.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles.first().copied(), Some("Kit 20"));
    assert!(titles.windows(2).all(|w| w[0] < w[1]), "A–Z: {titles:?}");
    let found: Page<ListingView> = page(&app, &partner, "my_listing_page", &[("q", "kit 1")], &[]).await;
    assert_eq!(found.total, 10, "Kit 10 … Kit 19");
    for listing_id in &ids[..3] {
        let _: () = app
            .call_ok(&partner, "set_listing_published", &[("listing_id", listing_id), ("published", "true")])
            .await;
    }
    let published: Page<ListingView> =
        page(&app, &partner, "my_listing_page", &[("status", "published")], &[]).await;
    assert_eq!(published.total, 3);
    let drafts: Page<ListingView> =
        page(&app, &partner, "my_listing_page", &[("status", "draft")], &[]).await;
    assert_eq!(drafts.total, 24);
    assert_unknown_is_400(&app, &partner, "my_listing_page", "status", &[]).await;
    let theirs: Page<ListingView> = page(&app, &other, "my_listing_page", &[("q", "kit")], &[]).await;
    assert_eq!(theirs.total, 0, "another partner never sees these listings");

    let mut tokens = Vec::new();
    for listing_id in &ids {
        app.state.db.clock.advance(1_000);
        let link: ShareLinkRow =
            app.call_ok(&partner, "create_share_link", &[("listing_id", listing_id)]).await;
        assert_eq!(link.listing_title, format!("Kit {:02}", tokens.len() + 1));
        assert!(link.link.ends_with(&format!("/marketplace/{}?share={}", link.listing_slug, link.token)));
        tokens.push(link.token);
    }
    let one: Page<ShareLinkRow> = app.call_ok(&partner, "my_share_link_page", &[("page", "1")]).await;
    let two: Page<ShareLinkRow> = app.call_ok(&partner, "my_share_link_page", &[("page", "2")]).await;
    assert_eq!((one.total, one.rows.len(), two.rows.len()), (27, 25, 2));
    assert_eq!(one.rows[0].token, tokens[26], "the newest link first");
    assert!(two.rows.iter().all(|r| !one.rows.iter().any(|o| o.token == r.token)), "pages never overlap");
    let theirs: Page<ShareLinkRow> = app.call_ok(&other, "my_share_link_page", &[("page", "1")]).await;
    assert_eq!(theirs.total, 0);

    // The public marketplace pages and searches the same way, and its HTML follows the URL
    // (only its plain first page is served from the page cache).
    for listing_id in &ids[3..] {
        app.state.db.clock.advance(1_000);
        let _: () = app
            .call_ok(&partner, "set_listing_published", &[("listing_id", listing_id), ("published", "true")])
            .await;
    }
    let visitor = browser();
    let total =
        assert_pages_continue::<ListingView>(&app, &visitor, "marketplace_listings", &[], |r| r.id.clone())
            .await;
    assert_eq!(total, 27);
    let found: Page<ListingView> = page(&app, &visitor, "marketplace_listings", &[("q", "kit 2")], &[]).await;
    assert_eq!(found.total, 8, "Kit 20 … Kit 27");
    let by_maker: Page<ListingView> =
        page(&app, &visitor, "marketplace_listings", &[("q", "maker")], &[]).await;
    assert_eq!(by_maker.total, 27, "the creator's name is searched too");
    let a_to_z: Page<ListingView> =
        page(&app, &visitor, "marketplace_listings", &[("sort", "title")], &[]).await;
    assert_eq!(a_to_z.rows[0].title, "Kit 01");
    // A cheaper listing leads "price: low to high" and trails "high to low".
    let form = [("title", "Bargain"), ("description", ""), ("price", "1.00")];
    let bargain: ListingView = app.call_ok(&partner, "create_listing", &form).await;
    let _: () = app
        .call_ok(&partner, "set_listing_published", &[("listing_id", &bargain.id), ("published", "true")])
        .await;
    let low: Page<ListingView> =
        page(&app, &visitor, "marketplace_listings", &[("sort", "price_low")], &[]).await;
    assert_eq!(low.rows[0].title, "Bargain");
    let high: Page<ListingView> =
        page(&app, &visitor, "marketplace_listings", &[("sort", "price_high"), ("page", "2")], &[]).await;
    assert_eq!(high.rows.last().map(|r| r.title.as_str()), Some("Bargain"));
    let first = visitor.get(app.url("/marketplace")).send().await.unwrap().text().await.unwrap();
    let second = visitor.get(app.url("/marketplace?page=2")).send().await.unwrap().text().await.unwrap();
    assert!(first.contains("Kit 27") && !first.contains("Kit 02"), "page 1 is the newest 25");
    assert!(second.contains("Kit 02") && !second.contains("Kit 27"), "page 2 is not the cached page 1");
}

#[tokio::test]
async fn admin_invite_codes_page_filter_by_flavor_and_status_and_search_the_code() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let mint = |flavor: &'static str, count: &'static str, expires_on: String| {
        let (app, admin) = (&app, &admin);
        async move {
            let form = [
                ("flavor", flavor),
                ("count", count),
                ("max_uses", ""),
                ("credits", ""),
                ("expires_on", expires_on.as_str()),
                ("metadata", ""),
                ("emails", ""),
            ];
            let minted: tributary::api::types::MintResult =
                app.call_ok(admin, "mint_invite_codes", &form).await;
            minted.codes
        }
    };
    let betas = mint("beta", "26", String::new()).await;
    let tomorrow = tributary::domain::dates::format_date(app.state.db.now_ms() + 86_400_000);
    app.state.db.clock.advance(1_000);
    let ogs = mint("og", "2", tomorrow).await;
    type Codes = Page<tributary::api::types::InviteCodeView>;
    let total = assert_pages_continue::<tributary::api::types::InviteCodeView>(
        &app,
        &admin,
        "admin_invite_codes",
        &[],
        |r| r.id.clone(),
    )
    .await;
    assert_eq!(total, 28);
    let og: Codes = page(&app, &admin, "admin_invite_codes", &[("kind", "og")], &[]).await;
    assert_eq!(og.total, 2);
    // Sorts: newest first by default, oldest, most used.
    let newest: Codes = page(&app, &admin, "admin_invite_codes", &[], &[]).await;
    assert!(ogs.contains(&newest.rows[0].code), "the OG codes were minted last");
    let oldest: Codes = page(&app, &admin, "admin_invite_codes", &[("sort", "oldest")], &[]).await;
    assert!(betas.contains(&oldest.rows[0].code));
    let taker = app.signed_in_user("taker@example.com").await;
    let _: String = app.call_ok(&taker, "create_workspace", &[("name", "Taker")]).await;
    let redeemed = app.call(&taker, "redeem_invite", &[("code", betas[3].as_str())]).await;
    assert!(redeemed.status().is_success(), "{}", redeemed.text().await.unwrap());
    let used: Codes = page(&app, &admin, "admin_invite_codes", &[("sort", "most_used")], &[]).await;
    assert_eq!((used.rows[0].code.as_str(), used.rows[0].uses), (betas[3].as_str(), 1));
    // Any case, without its dashes.
    let wanted = betas[7].replace('-', "").to_lowercase();
    let found: Codes = page(&app, &admin, "admin_invite_codes", &[("q", &wanted)], &[]).await;
    assert_eq!(found.rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), [betas[7].as_str()]);
    let id = found.rows[0].id.clone();
    let _: () = app.call_ok(&admin, "disable_invite_code", &[("code_id", &id)]).await;
    let disabled: Codes = page(&app, &admin, "admin_invite_codes", &[("status", "disabled")], &[]).await;
    assert_eq!(disabled.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    // The OG codes expire after tomorrow: the status is derived at the time of asking.
    app.state.db.clock.advance_days(2);
    let expired: Codes = page(&app, &admin, "admin_invite_codes", &[("status", "expired")], &[]).await;
    let mut expired: Vec<String> = expired.rows.into_iter().map(|r| r.code).collect();
    expired.sort();
    let mut expected = ogs.clone();
    expected.sort();
    assert_eq!(expired, expected);
    let active: Codes =
        page(&app, &admin, "admin_invite_codes", &[("status", "active"), ("kind", "beta")], &[]).await;
    assert_eq!(active.total, 25);
    assert_unknown_is_400(&app, &admin, "admin_invite_codes", "status", &[]).await;
    assert_unknown_is_400(&app, &admin, "admin_invite_codes", "kind", &[]).await;
}

#[tokio::test]
async fn the_pages_say_what_to_do_next_and_explain_an_unknown_filter() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let id = app.partner(&admin, "Newcomer", "percent", "10").await;
    let partner = app.partner_user(&admin, &id, "new@example.com").await;
    let html = |client: &Client, path: &'static str| {
        let (client, url) = (client.clone(), app.url(path));
        async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.text().await.unwrap()
        }
    };
    let referrals = html(&partner, "/partners/referrals").await;
    assert!(referrals.contains("No referrals yet — share your link"), "the empty state says what to do");
    assert!(referrals.contains("/register?ref=newcomer"), "…with the partner's own link");
    assert!(html(&partner, "/partners/earnings").await.contains("No commissions yet"));
    assert!(html(&partner, "/partners/referrals?status=bogus").await.contains("Unknown status"));
    let nothing = html(&admin, "/admin/partners?q=no-such-partner").await;
    assert!(nothing.contains("Nothing matches this search or filter"), "a filtered view that finds nothing");
}

/// Every pooled connection carries the session settings the pages' plans depend on. On
/// Postgres: custom plans for every run (a generic plan, made without the binds, stalled
/// the busiest partner's pages at volume) and no JIT. On SQLite: WAL and foreign keys.
#[tokio::test]
async fn every_pooled_connection_carries_the_databases_session_settings() {
    use tributary::server::db::Backend;
    let app = common::spawn_app().await;
    let db = &app.state.db;
    // Several connections held at once, so they are distinct ones.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(db.pool.acquire().await.expect("a pooled connection"));
    }
    for conn in &mut held {
        let settings: Vec<(String, String)> = match db.backend {
            Backend::Postgres => {
                vec![("plan_cache_mode".into(), "force_custom_plan".into()), ("jit".into(), "off".into())]
            }
            Backend::Sqlite => {
                vec![("journal_mode".into(), "wal".into()), ("foreign_keys".into(), "1".into())]
            }
        };
        for (name, expected) in settings {
            let sql = match db.backend {
                Backend::Postgres => format!("select cast(current_setting('{name}') as text)"),
                Backend::Sqlite => format!("select cast({name} as text) from pragma_{name}"),
            };
            let (value,): (String,) =
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(&mut **conn).await.expect("the setting");
            assert_eq!(value, expected, "{name}");
        }
    }
}
