//! `make bench` (scripts/bench-payouts.sh): a payout run over 1,000,000 commissions of
//! 10,000 partners, seeded with bulk SQL, then the run again (0 payouts) and the p95 of
//! the Admin → Payouts and Portal → Payouts pages at that volume. Ignored by `cargo test`
//! (minutes in a debug build); sizes from BENCH_PARTNERS / BENCH_COMMISSIONS.
use crate::common;

use std::time::{Duration, Instant};

use common::spawn_app_with;
use tributary::server::services::payouts::{self, RunRequest, StartedFrom};

fn env(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn exec(app: &common::TestApp, sql: &'static str, binds: &[i64]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&app.state.db.pool).await.expect(sql);
}

/// `partners` approved manual-method partners ($50.00 threshold) and `commissions` cash entries
/// of $19.80 dealt round-robin (entry i to partner i mod partners), all available at 0.
pub(crate) async fn seed(app: &common::TestApp, partners: i64, commissions: i64) {
    exec(app, "insert into plans (id, name, price_monthly_cents, currency, created_at) values ('bench-plan', 'Bench', 9900, 'USD', 0)", &[]).await;
    exec(
        app,
        "with recursive n(i) as (select 0 union all select i + 1 from n where i < $1 - 1) \
         insert into workspaces (id, name, kind, created_at) \
         select 'bw-p-' || i, 'Bench partner ' || i, 'partner', 0 from n",
        &[partners],
    )
    .await;
    exec(
        app,
        "with recursive n(i) as (select 0 union all select i + 1 from n where i < $1 - 1) \
         insert into workspaces (id, name, kind, created_at) \
         select 'bw-c-' || i, 'Bench customer ' || i, 'customer', 0 from n",
        &[partners],
    )
    .await;
    exec(
        app,
        "with recursive n(i) as (select 0 union all select i + 1 from n where i < $1 - 1) \
         insert into partners (id, workspace_id, name, contact_email, commission_kind, commission_value, \
         status, approved_at, payout_method, payout_threshold_cents, payout_frequency, created_at) \
         select 'bp-' || i, 'bw-p-' || i, 'Bench partner ' || i, 'bench' || i || '@example.com', 'percent', \
         2000, 'approved', 0, 'manual', 5000, 'monthly', 0 from n",
        &[partners],
    )
    .await;
    exec(
        app,
        "with recursive n(i) as (select 0 union all select i + 1 from n where i < $1 - 1) \
         insert into referrals (id, workspace_id, partner_id, source, converted_at, created_at) \
         select 'br-' || i, 'bw-c-' || i, 'bp-' || i, 'link', 0, 0 from n",
        &[partners],
    )
    .await;
    commissions_for_period(app, 0, commissions, partners, 0).await;
}

/// `count` cash entries spread over the partners, ids from `first`, period `period` + 1…,
/// available at `available_at`; each also joins the open set, as the ledger's writer does.
async fn commissions_for_period(
    app: &common::TestApp,
    first: i64,
    count: i64,
    partners: i64,
    available_at: i64,
) {
    exec(
        app,
        "with recursive n(i) as (select $1 union all select i + 1 from n where i < $1 + $2 - 1) \
         insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, amount_cents, \
         currency, rule_source, rule_kind, rule_value, period, status, idempotency_key, created_at, available_at) \
         select 'bc-' || i, 'bp-' || (i % $3), 'br-' || (i % $3), 'bw-c-' || (i % $3), 'bench-plan', 'cash', \
         1980, 'USD', 'default', 'percent', 2000, i / $3 + 1, 'pending', 'bench:' || i, $4, $4 from n",
        &[first, count, partners, available_at],
    )
    .await;
    exec(
        app,
        "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
         select c.id, c.partner_id, c.amount_cents, c.available_at from commissions c \
         where c.created_at = $1 and not exists (select 1 from open_entries o where o.commission_id = c.id)",
        &[available_at],
    )
    .await;
    // The rows above bypass the ledger's writer, which keeps the rollups.
    tributary::server::db::rollups::rebuild(&app.state.db).await.expect("rollups");
}

/// (p50, p95) of `n` GETs of `url`.
async fn percentiles(client: &reqwest::Client, url: &str, n: usize) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let r = client.get(url).send().await.unwrap();
        assert!(r.status().is_success(), "{url}: {}", r.status());
        r.bytes().await.unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    (times[n / 2], times[(n * 95 / 100).min(n - 1)])
}

/// Prints the median of ten calls of `call`.
async fn p50<T, E: std::fmt::Debug, F: Future<Output = Result<T, E>>>(label: &str, call: impl Fn() -> F) {
    let mut times = Vec::with_capacity(10);
    for _ in 0..10 {
        let start = Instant::now();
        call().await.unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    println!("{label}: p50 {:.1?}", times[5]);
}

/// The median of each page's server functions (where a page's time goes) and the p50 and
/// p95 of each page over HTTP, with the next period's entries open.
async fn measure_pages(
    app: &common::TestApp,
    admin: &reqwest::Client,
    partner: &reqwest::Client,
    when: &str,
) {
    println!("-- pages, {when}:");
    let db = &app.state.db;
    let q = tributary::model::list::ListQuery::default();
    let held = tributary::server::db::earnings_list::EntryFilter::default();
    use tributary::server::services::ledger;
    p50("Admin → Payouts: payouts_overview", || payouts::admin_overview(db)).await;
    let stripe = Some(&app.state.config.stripe);
    p50("Admin → Payouts: admin_payout_page", || ledger::payouts_page(db, stripe, None, &q, None)).await;
    p50("Portal → Payouts: my_payouts", || ledger::for_partner(db, "bp-0")).await;
    p50("Portal → Payouts: my_payout_page", || ledger::payouts_page(db, None, Some("bp-0"), &q, None)).await;
    p50("Portal → Payouts: my_earnings", || {
        ledger::earnings_page(db, ledger::Whose::Partner("bp-0"), &q, held)
    })
    .await;
    list_medians(db).await;
    p50("Admin → Payouts: both side by side, as the page runs them", || async {
        let (lists, history) =
            tokio::join!(payouts::admin_overview(db), ledger::payouts_page(db, stripe, None, &q, None));
        lists.map(|_| ()).and(history.map(|_| ()))
    })
    .await;
    let (admin_p50, admin_p95) = percentiles(admin, &app.url("/admin/payouts"), 20).await;
    let (portal_p50, portal_p95) = percentiles(partner, &app.url("/partners/payouts"), 20).await;
    println!(
        "Admin → Payouts p50 {admin_p50:.1?} p95 {admin_p95:.1?}; Portal → Payouts p50 {portal_p50:.1?} p95 {portal_p95:.1?}"
    );
}

/// The median of each Admin → Payouts list query alone (one window of 100, as the
/// service reads them), to see which one a slow overview waits for.
async fn list_medians(db: &tributary::server::db::Db) {
    use tributary::domain::payouts::PayoutFrequency as F;
    use tributary::server::db::payouts::{OverviewList, PeriodKeys, overview_window, reading};
    use tributary::server::services::payouts::FEW_CANDIDATES;
    let now = db.now_ms();
    let today = tributary::server::tz::local_date(now, "UTC");
    let keys = &PeriodKeys {
        weekly: F::Weekly.period_key_suffix(today),
        monthly: F::Monthly.period_key_suffix(today),
        quarterly: F::Quarterly.period_key_suffix(today),
        manual: F::Manual.period_key_suffix(today),
    };
    for list in [OverviewList::Due, OverviewList::Upcoming, OverviewList::Held, OverviewList::Negative] {
        let how = reading(&db.pool, list, now, keys, FEW_CANDIDATES).await.expect("reading");
        let label = format!("Admin → Payouts: list {list:?} ({how:?})");
        p50(&label, || overview_window(&db.pool, (list, how), now, keys, ("", ""), 100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by scripts/bench-payouts.sh"]
async fn bench_a_payout_run_over_a_million_commissions() {
    let partners = env("BENCH_PARTNERS", 10_000);
    let commissions = env("BENCH_COMMISSIONS", 1_000_000);
    let app = spawn_app_with(|c| c.session_ttl_days = 3_650).await;
    let start = Instant::now();
    seed(&app, partners, commissions).await;
    println!("seed: {partners} partners, {commissions} commissions in {:.1?}", start.elapsed());

    let start = Instant::now();
    let first = payouts::run(&app.state.db, &RunRequest::scheduled(StartedFrom::Cli)).await.unwrap();
    let run_time = start.elapsed();
    println!("run 1: {} payouts, {} cents in {run_time:.2?}", first.payouts_created, first.total_cents);
    assert_eq!(first.payouts_created, partners);
    assert_eq!(first.total_cents, commissions * 1_980);

    let start = Instant::now();
    let second = payouts::run(&app.state.db, &RunRequest::scheduled(StartedFrom::Cli)).await.unwrap();
    println!("run 2: {} payouts in {:.2?}", second.payouts_created, start.elapsed());
    assert_eq!(second.payouts_created, 0);

    let admin = app.signed_in_admin("admin@example.com").await;
    let partner = app.partner_user(&admin, "bp-0", "p0@bench.example").await;
    // The next period: 10 % more entries, open (unpaid) when the pages are read.
    let day = 24 * 3_600 * 1_000;
    app.state.db.clock.advance_days(1);
    commissions_for_period(&app, commissions, commissions / 10, partners, app.state.db.now_ms() - day).await;
    if app.state.db.backend == tributary::server::db::Backend::Postgres {
        // What autovacuum does within a minute of a bulk load: without statistics the
        // planner guesses, and the first pages after the seed took seconds.
        sqlx::query("analyze").execute(&app.state.db.pool).await.unwrap();
    }
    println!("pages read with {commissions} paid and {} open entries", commissions / 10);
    measure_pages(&app, &admin, &partner, "right after the run (its WAL not yet checkpointed)").await;
    if app.state.db.backend == tributary::server::db::Backend::Sqlite {
        sqlx::query("pragma wal_checkpoint(truncate)").execute(&app.state.db.pool).await.unwrap();
        measure_pages(&app, &admin, &partner, "steady state (WAL checkpointed)").await;
    }
    println!("targets: run ≤ 10 s on SQLite; pages p95 ≤ 50 ms");
}
