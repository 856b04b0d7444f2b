//! `make bench` (scripts/bench-volume.sh): the admin and portal pages at real size. Seeds,
//! with bulk SQL, 10,000 partners, 100,000 referred workspaces (referrals, subscriptions),
//! 1,000,000 commissions (a payout run pays them, then 10 % more stay open) and 5,000,000
//! clicks, all times BENCH_SCALE (1.0); one partner in twenty rows is the busiest partner's.
//! Then it prints p50/p95 of each page's SSR answer over real HTTP, the query plans of the
//! queries behind them (failing on a full scan of a large table), and the peak RSS while
//! 64 connections read the pages. Ignored by `cargo test`.
use crate::common::{TestApp, spawn_app_with};

use std::time::{Duration, Instant};

use reqwest::Client;
use sqlx::Row;
use tributary::server::db::{self, Backend};
use tributary::server::services::payouts::{self, RunRequest, StartedFrom};

const DAY: i64 = 86_400_000;
/// Seeded rows spread over the last year.
const SPAN: i64 = 365 * DAY;
/// Tables whose full scan grows with the program (workspaces, clicks, the ledger…).
const LARGE: &[&str] = &[
    "clicks",
    "commissions",
    "open_entries",
    "payout_items",
    "payouts",
    "referrals",
    "subscriptions",
    "workspaces",
    "partners",
    "payout_periods",
];

struct Sizes {
    partners: i64,
    workspaces: i64,
    commissions: i64,
    clicks: i64,
}

impl Sizes {
    fn at(scale: f64) -> Self {
        let n = |full: f64| ((full * scale) as i64).max(20);
        Sizes {
            partners: n(10_000.0),
            workspaces: n(100_000.0),
            commissions: n(1_000_000.0),
            clicks: n(5_000_000.0),
        }
    }
}

async fn exec(app: &TestApp, sql: String, binds: &[i64]) {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&app.state.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// `insert` followed by `select <columns>` over `i` = 0..$1 (`$1` is the count): a
/// recursive CTE on SQLite, generate_series on Postgres (much faster there).
fn numbered(backend: Backend, insert: &str, columns: &str) -> String {
    match backend {
        Backend::Sqlite => format!(
            "with recursive n(i) as (select 0 union all select i + 1 from n where i < $1 - 1) \
             {insert} select {columns} from n"
        ),
        Backend::Postgres => {
            format!("{insert} select {columns} from generate_series(0, cast($1 as bigint) - 1) as n(i)")
        }
    }
}

/// Whose row `i` is: every twentieth row the busiest partner's (`vp-0`), the rest spread.
const OWNER: &str = "(case when i % 20 = 0 then 0 else i % $2 end)";

/// Inserts rows `i` = 0..count: `insert` then `select <columns>`, `$1` being the count.
async fn fill(app: &TestApp, insert: &str, columns: &str, binds: &[i64]) {
    exec(app, numbered(app.state.db.backend, insert, columns), binds).await;
}

async fn seed(app: &TestApp, s: &Sizes) {
    let now = app.state.db.now_ms();
    let (start, step) = (now - 1 - SPAN, SPAN / s.partners);
    let plan = "insert into plans (id, name, price_monthly_cents, currency, created_at) \
                values ('vol-plan', 'Volume', 9900, 'USD', 0)";
    exec(app, plan.into(), &[]).await;
    fill(
        app,
        "insert into workspaces (id, name, kind, tier, referral_earning, created_at)",
        "'vw-p-' || i, 'Volume partner ' || i, 'partner', 'partner', 1, $2 + i * $3",
        &[s.partners, start, step],
    )
    .await;
    // One partner in fifty is still an application; the rest (the busiest too) approved.
    fill(
        app,
        "insert into partners (id, workspace_id, name, contact_email, commission_kind, commission_value, \
         status, approved_at, payout_method, payout_threshold_cents, payout_frequency, created_at)",
        "'vp-' || i, 'vw-p-' || i, 'Volume partner ' || i, 'vol' || i || '@example.com', 'percent', 2000, \
         case when i % 50 = 1 then 'pending' else 'approved' end, \
         case when i % 50 = 1 then null else $2 + i * $3 end, 'manual', 5000, 'monthly', $2 + i * $3",
        &[s.partners, start, step],
    )
    .await;
    fill(
        app,
        "insert into referral_codes (id, partner_id, code, code_key, is_default, created_at)",
        "'vcode-' || i, 'vp-' || i, 'VOL' || i, 'vol' || i, 1, $2 + i * $3",
        &[s.partners, start, step],
    )
    .await;
    let (start, step) = (now - 1 - SPAN, SPAN / s.workspaces);
    let owner = OWNER.replace("$2", "$4");
    fill(
        app,
        "insert into workspaces (id, name, kind, created_at)",
        "'vw-c-' || i, 'Volume customer ' || i, 'customer', $2 + i * $3",
        &[s.workspaces, start, step],
    )
    .await;
    // A third converted, half way between signing up and now; those are ACTIVE.
    let converted = "case when i % 3 = 0 then $2 + i * $3 + ($5 - $2 - i * $3) / 2 end";
    fill(
        app,
        "insert into referrals (id, workspace_id, partner_id, code_id, source, converted_at, created_at)",
        &format!(
            "'vr-' || i, 'vw-c-' || i, 'vp-' || {owner}, 'vcode-' || {owner}, 'link', {converted}, \
             $2 + i * $3"
        ),
        &[s.workspaces, start, step, s.partners, now],
    )
    .await;
    fill(
        app,
        "insert into subscriptions (workspace_id, plan_id, status, first_activated_at, updated_at, \
         created_at)",
        &format!(
            "'vw-c-' || i, 'vol-plan', case when i % 3 = 0 then 'ACTIVE' else 'TRIALING' end, {converted}, \
             $2 + i * $3, $2 + i * $3"
        ),
        &[s.workspaces, start, step, s.partners, now],
    )
    .await;
    commissions(app, s, 0, s.commissions, now - 1 - SPAN, SPAN / s.commissions).await;
    let run =
        payouts::run(&app.state.db, &RunRequest::scheduled(StartedFrom::Cli)).await.expect("payout run");
    let paid = "update payouts set status = 'paid', paid_at = $1 where status = 'pending'";
    exec(app, paid.into(), &[now]).await;
    println!("  payout run over the ledger: {} payouts", run.payouts_created);
    // The month since: 10 % more entries, open when the pages are read.
    let extra = s.commissions / 10;
    commissions(app, s, s.commissions, extra, now - 30 * DAY, 30 * DAY / extra).await;
    fill(
        app,
        "insert into clicks (id, partner_id, code_id, landing_path, ip_hash, user_agent_hash, created_at)",
        &format!("'vk-' || i, 'vp-' || {OWNER}, 'vcode-' || {OWNER}, '/', 'ip', 'ua', $3 + i * $4"),
        &[s.clicks, s.partners, now - 1 - SPAN, SPAN / s.clicks],
    )
    .await;
    // The rows above bypass the writers that keep the rollups.
    db::rollups::rebuild(&app.state.db).await.expect("rollups");
    if app.state.db.backend == Backend::Postgres {
        // What autovacuum would have done by the time a real program got this big: the
        // planner's statistics, and the visibility map that lets index-only scans skip the heap.
        exec(app, "vacuum analyze".into(), &[]).await;
    }
}

/// `count` cash entries with ids from `first`, one per referred workspace in turn, created
/// from `start` every `step` ms; each joins the open set, as the ledger's writer does.
async fn commissions(app: &TestApp, s: &Sizes, first: i64, count: i64, start: i64, step: i64) {
    // Entry `i + $2` belongs to referred workspace w = (i + $2) % $3, and so to w's partner.
    let w = "((i + $2) % $3)";
    let owner = format!("(case when {w} % 20 = 0 then 0 else {w} % $4 end)");
    fill(
        app,
        "insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, \
         amount_cents, currency, rule_source, rule_kind, rule_value, period, status, idempotency_key, \
         created_at, available_at)",
        &format!(
            "'vc-' || (i + $2), 'vp-' || {owner}, 'vr-' || {w}, 'vw-c-' || {w}, 'vol-plan', 'cash', \
             1980, 'USD', 'default', 'percent', 2000, (i + $2) / $3 + 1, 'pending', 'vol:' || (i + $2), \
             $5 + i * $6, $5 + i * $6"
        ),
        &[count, first, s.workspaces, s.partners, start, step],
    )
    .await;
    let open = "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
        select c.id, c.partner_id, c.amount_cents, c.available_at from commissions c \
        where c.created_at >= $1 and not exists (select 1 from open_entries o where o.commission_id = c.id) \
        and not exists (select 1 from payout_items i where i.commission_id = c.id and i.released = 0)";
    exec(app, open.into(), &[start]).await;
}

struct Page {
    name: &'static str,
    path: String,
    client: Client,
}

struct Timing {
    p50: Duration,
    p95: Duration,
    bytes: usize,
}

/// The page's size in bytes, or why it failed (a status, or no answer within 30 s).
async fn get(page: &Page, base: &str) -> Result<usize, String> {
    let r = page.client.get(format!("{base}{}", page.path)).send().await.map_err(|e| e.to_string())?;
    let status = r.status();
    let body = r.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("status {status}"));
    }
    Ok(body.len())
}

/// p50/p95 of each page over `n` requests after warming up; a page slower than a second
/// gets 5, so one pathological page doesn't stall the bench. The requests go round the
/// pages in turn, so a slow spell of the machine lands on every page a little instead of
/// on the few pages read during it (whole pages read one after another made one run's
/// budget check fail on four pages this change had not touched).
async fn time_all(pages: &[Page], base: &str, n: usize) -> Vec<Result<Timing, String>> {
    let mut counts = Vec::with_capacity(pages.len());
    for page in pages {
        let start = Instant::now();
        let warmed = match get(page, base).await {
            Ok(_) if start.elapsed() > Duration::from_secs(1) => Ok(5),
            Ok(_) => get(page, base).await.map(|_| n),
            Err(e) => Err(e),
        };
        counts.push(warmed);
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(n); pages.len()];
    let mut bytes = vec![0; pages.len()];
    for round in 0..n {
        for (i, page) in pages.iter().enumerate() {
            if !matches!(counts[i], Ok(count) if round < count) {
                continue;
            }
            let start = Instant::now();
            match get(page, base).await {
                Ok(b) => {
                    bytes[i] = b;
                    times[i].push(start.elapsed());
                }
                Err(e) => counts[i] = Err(e),
            }
        }
    }
    counts
        .into_iter()
        .zip(times)
        .zip(bytes)
        .map(|((count, mut times), bytes)| {
            count?;
            times.sort();
            let n = times.len();
            Ok(Timing { p50: times[n / 2], p95: times[(n * 95 / 100).min(n - 1)], bytes })
        })
        .collect()
}

/// (VmRSS, VmHWM) of this process in KiB: the app runs in it.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// 64 connections, each reading the pages in turn `rounds` times; returns the p95.
async fn concurrently(pages: &[Page], base: &str, rounds: usize) -> (Duration, Duration) {
    let start = Instant::now();
    let tasks: Vec<_> = (0..64)
        .map(|c| {
            let pages: Vec<(String, Client)> =
                pages.iter().map(|p| (format!("{base}{}", p.path), p.client.clone())).collect();
            tokio::spawn(async move {
                let mut times = Vec::new();
                for r in 0..rounds {
                    let (url, client) = &pages[(c + r) % pages.len()];
                    let t = Instant::now();
                    let resp = client.get(url).send().await.expect("request");
                    assert!(resp.status().is_success(), "{url}: {}", resp.status());
                    resp.bytes().await.expect("body");
                    times.push(t.elapsed());
                }
                times
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    all.sort();
    (all[all.len() * 95 / 100], start.elapsed())
}

enum Bind {
    I(i64),
    S(&'static str),
    Null,
}

/// The binds of an Admin → Payouts list: now, the period key's prefix and suffixes, the
/// window's start and size.
fn overview(now: i64) -> Vec<Bind> {
    use Bind::*;
    let keys = [":weekly:2026-11-30", ":monthly:2026-12-01", ":quarterly:2026-10-01", ":manual:2026-12-02"];
    let mut binds = vec![I(now), S("payout:")];
    binds.extend(keys.map(S));
    binds.extend([S(""), S(""), I(100)]);
    binds
}

/// The SQL behind the pages, as the db layer runs it (its own consts), with the binds the
/// bench's busiest partner gives them.
fn queries(now: i64) -> Vec<(&'static str, &'static str, Vec<Bind>)> {
    use Bind::*;
    let window = tributary::domain::period::Period::Last(30).window(now);
    let (from, to, p) = (window.from_ms, window.to_ms, || S("vp-0"));
    let since = now / DAY * DAY - 29 * DAY;
    vec![
        ("overview: window", db::overview::WINDOW_SQL, vec![I(from), I(to)]),
        ("overview: now", db::overview::NOW_SQL, vec![I(now), I(now / 3_600_000 * 3_600_000)]),
        ("overview: daily", db::overview::DAILY_SQL, vec![I(from), I(to)]),
        ("overview: top by revenue", db::overview::TOP_BY_REVENUE_SQL, vec![I(from), I(to), I(5)]),
        (
            "overview: top by conversions",
            db::overview::TOP_BY_CONVERSIONS_SQL,
            vec![I(from), I(to), I(5), I(db::overview::TIES_BY_NAME)],
        ),
        // The bench's edge: its busiest partner above, thousands of partners with one each.
        (
            "overview: top by conversions, ties by name",
            db::overview::TIED_BY_NAME_SQL,
            vec![I(from), I(to), I(1), I(4)],
        ),
        ("overview: activity", db::overview::ACTIVITY_SQL, vec![I(12)]),
        ("partners: review queue", db::lifecycle::QUEUE_SQL, vec![I(25), I(0)]),
        ("partners: review queue stats", db::partner_stats::QUEUE_SQL, vec![I(25), I(0)]),
        ("partners list", db::partner_list::PAGE_SQL, vec![S(""), S(""), I(25), I(0)]),
        ("partners list: count", db::partner_list::COUNT_ALL_SQL, vec![]),
        ("partners list: count in a state", db::partner_list::COUNT_IN_STATE_SQL, vec![S("approved")]),
        ("partner detail", db::partners::BY_ID_SQL, vec![p()]),
        ("partner detail: stats", db::partner_stats::FOR_PARTNER_SQL, vec![p()]),
        ("payouts: due now", db::payouts::OVERVIEW_DUE_SQL, overview(now)),
        ("payouts: upcoming", db::payouts::OVERVIEW_UPCOMING_SQL, overview(now)),
        ("payouts: held", db::payouts::OVERVIEW_HELD_SQL, overview(now)),
        ("payouts: due now, few first", db::payouts::OVERVIEW_DUE_FEW_SQL, overview(now)),
        ("payouts: held, few first", db::payouts::OVERVIEW_HELD_FEW_SQL, overview(now)),
        (
            "payouts: unpaid this period, counted",
            db::payouts::UNPAID_THIS_PERIOD_COUNT_SQL,
            vec![S(":weekly:2026-11-30"), S(":monthly:2026-12-01"), S(":quarterly:2026-10-01"), I(2_001)],
        ),
        ("payouts: held entries, counted", db::payouts::HELD_ENTRIES_COUNT_SQL, vec![I(now), I(2_001)]),
        ("payouts: negative", db::payouts::OVERVIEW_NEGATIVE_SQL, overview(now)),
        ("payouts: page", db::payouts::PAGE_SQL, vec![Null, Null, I(26), I(0)]),
        ("portal home: balances", db::payouts::BALANCES_SQL, vec![I(now), p()]),
        ("portal home: next payout", db::payouts::PARTNER_BALANCE_SQL, vec![I(now), p()]),
        ("portal home: recent referrals", db::partner_home::RECENT_REFERRALS_SQL, vec![p(), I(5)]),
        ("portal home: checklist", db::partner_home::CHECKLIST_SQL, vec![p()]),
        ("referrals page", db::referral_list::PAGE_SQL, vec![p(), S(""), S(""), S(""), I(25), I(0)]),
        ("referrals page: count", db::referral_list::PLAIN_COUNT_SQL, vec![p(), S(""), S(""), S("")]),
        (
            "earnings page",
            db::earnings_list::PAGE_SQL,
            vec![I(now), p(), S(""), S(""), S(""), I(0), I(i64::MAX), I(25), I(0)],
        ),
        ("earnings page: count", db::earnings_list::TOTAL_COUNT_SQL, vec![p()]),
        (
            "portal payouts: held",
            db::earnings_list::HELD_PAGE_SQL,
            vec![I(now), p(), S("on_hold"), S("cash"), S(""), I(0), I(i64::MAX), I(25), I(0)],
        ),
        (
            "admin commissions: window page",
            db::earnings_list::ALL_PAGE_SQL,
            vec![I(now), S(""), S(""), S("cash"), S(""), I(since), I(now), I(25), I(0)],
        ),
        (
            "admin clicks: window page",
            db::click_list::PAGE_SQL,
            vec![S(""), S(""), I(since), I(now), I(25), I(0)],
        ),
        ("payout history", db::payout_list::PARTNER_PAGE_SQL, vec![p(), S(""), S(""), I(25), I(0)]),
        ("payout history: count", db::payout_list::PARTNER_COUNT_SQL, vec![p(), S(""), S("")]),
        ("analytics: by code", db::clicks::STATS_BY_CODE_SQL, vec![p()]),
        ("analytics: daily", db::clicks::DAILY_SINCE_SQL, vec![p(), I(since)]),
        ("landing: code", db::codes::RESOLVE_ACTIVE_SQL, vec![S("vol0")]),
    ]
}

/// `sql` with the bench's binds.
fn bound<'q>(sql: String, binds: &'q [Bind]) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = match b {
            Bind::I(v) => q.bind(*v),
            Bind::S(v) => q.bind(*v),
            Bind::Null => q.bind(None::<String>),
        };
    }
    q
}

/// The plan's lines, and the large tables it reads whole.
async fn explain(app: &TestApp, sql: &str, binds: &[Bind]) -> (Vec<String>, Vec<String>) {
    let backend = app.state.db.backend;
    let prefix = if backend == Backend::Sqlite { "explain query plan " } else { "explain " };
    let rows = bound(format!("{prefix}{sql}"), binds)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("explain {sql}: {e}"));
    let lines: Vec<String> = rows
        .iter()
        .map(|r| if backend == Backend::Sqlite { r.get::<String, _>(3) } else { r.get::<String, _>(0) })
        .collect();
    let scans = lines.iter().filter_map(|l| full_scan(backend, sql, l)).collect();
    (lines, scans)
}

/// How long the query takes, warm (the second of two runs): which query a slow page waits on.
async fn run_time(app: &TestApp, sql: &str, binds: &[Bind]) -> Duration {
    let mut took = Duration::ZERO;
    for _ in 0..2 {
        let start = Instant::now();
        bound(sql.to_string(), binds)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        took = start.elapsed();
    }
    took
}

/// The large table a plan line reads whole, if it does: `SCAN <table or alias>` without an
/// index on SQLite, `Seq Scan on <table>` on Postgres.
fn full_scan(backend: Backend, sql: &str, line: &str) -> Option<String> {
    let table = match backend {
        Backend::Sqlite => {
            let rest = line.trim().strip_prefix("SCAN ")?;
            if rest.contains("USING ") {
                return None;
            }
            let name = rest.trim_start_matches("TABLE ").split_whitespace().next()?;
            table_of(sql, name)
        }
        Backend::Postgres => {
            let rest = &line[line.find("Seq Scan on ")? + "Seq Scan on ".len()..];
            rest.split_whitespace().next()?.to_string()
        }
    };
    LARGE.contains(&table.as_str()).then_some(table)
}

/// The table `name` stands for in `sql`: itself, or the table it aliases (`from t a`,
/// `join t as a`).
fn table_of(sql: &str, name: &str) -> String {
    let words: Vec<&str> =
        sql.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    for (i, w) in words.iter().enumerate() {
        let alias = match words.get(i + 1) {
            Some(&"as") => words.get(i + 2),
            other => other,
        };
        if LARGE.contains(w) && i > 0 && matches!(words[i - 1], "from" | "join") && alias == Some(&name) {
            return w.to_string();
        }
    }
    name.to_string()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by scripts/bench-volume.sh"]
async fn bench_the_pages_at_ten_thousand_partners_and_a_million_commissions() {
    let scale: f64 = std::env::var("BENCH_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(1.0);
    let requests: usize = std::env::var("BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    let sizes = Sizes::at(scale);
    let app = spawn_app_with(|c| c.session_ttl_days = 3_650).await;
    let database = match app.state.db.backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!(
        "volume bench on {database}, scale {scale}: {} partners, {} referred workspaces, \
         {} commissions (+10 % open), {} clicks",
        sizes.partners, sizes.workspaces, sizes.commissions, sizes.clicks
    );
    let start = Instant::now();
    seed(&app, &sizes).await;
    println!("  seeded in {:.1?}", start.elapsed());

    let admin = app.signed_in_admin("admin@volume.example").await;
    let partner = app.partner_user(&admin, "vp-0", "busiest@volume.example").await;
    let visitor = Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
    let page =
        |name, path: &str, client: &Client| Page { name, path: path.to_string(), client: client.clone() };
    let pages = vec![
        page("Admin → overview", "/admin", &admin),
        page("Admin → partners", "/admin/partners", &admin),
        page("Admin → partner detail", "/admin/partners/vp-0", &admin),
        page("Admin → payouts", "/admin/payouts", &admin),
        page("Portal → home", "/partners", &partner),
        page("Portal → referrals", "/partners/referrals", &partner),
        page("Portal → payouts", "/partners/payouts", &partner),
        page("Portal → analytics", "/partners/analytics", &partner),
        page("Landing ?ref=", "/?ref=VOL0", &visitor),
    ];

    let mut scanned = Vec::new();
    println!("\nquery plans ({database}):");
    for (name, sql, binds) in queries(app.state.db.now_ms()) {
        let (lines, scans) = explain(&app, sql, &binds).await;
        let took = run_time(&app, sql, &binds).await;
        let verdict =
            if scans.is_empty() { "ok".to_string() } else { format!("FULL SCAN of {}", scans.join(", ")) };
        println!("- {name}: {verdict}, {} ms", ms(took));
        for l in &lines {
            println!("    {l}");
        }
        if !scans.is_empty() {
            scanned.push(format!("{name} ({})", scans.join(", ")));
        }
    }
    println!(
        "\n| page ({database}, scale {scale}) | p50 ms | p95 ms | HTML bytes |\n| --- | --- | --- | --- |"
    );
    let out = std::env::var("BENCH_OUT").ok();
    let mut lines = String::new();
    let mut fast = Vec::new();
    let timings = time_all(&pages, &app.base, requests).await;
    for (p, timing) in pages.into_iter().zip(timings) {
        match timing {
            Ok(t) => {
                println!("| {} | {} | {} | {} |", p.name, ms(t.p50), ms(t.p95), t.bytes);
                lines.push_str(&format!("{database}\t{scale}\t{}\t{}\t{}\n", p.name, ms(t.p50), ms(t.p95)));
                if t.p95 < Duration::from_secs(1) {
                    fast.push(p);
                }
            }
            Err(e) => println!("| {} | failed: {e} | | |", p.name),
        }
    }
    if let Some(out) = out {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(out).expect("BENCH_OUT");
        f.write_all(lines.as_bytes()).expect("write BENCH_OUT");
    }

    // Peak RSS of this process (the server runs in it) while 64 connections read the pages
    // that answered within a second.
    let pages = fast;
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (before, _) = memory();
    let (p95_64, took) = concurrently(&pages, &app.base, 4 * pages.len()).await;
    let (_, peak) = memory();
    println!(
        "\n64 connections × {} requests over {}: {:.1?}, p95 {} ms; RSS before {} MiB, peak {} MiB",
        4 * pages.len(),
        pages.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
        took,
        ms(p95_64),
        before / 1024,
        peak / 1024
    );

    assert!(scanned.is_empty(), "full scans of large tables: {}", scanned.join("; "));
}

#[test]
fn a_scan_is_found_through_the_alias_and_an_index_lets_it_pass() {
    let sql = "select * from commissions c join partners as p on p.id = c.partner_id";
    assert_eq!(full_scan(Backend::Sqlite, sql, "SCAN c").as_deref(), Some("commissions"));
    assert_eq!(full_scan(Backend::Sqlite, sql, "SCAN p").as_deref(), Some("partners"));
    assert_eq!(full_scan(Backend::Sqlite, sql, "SCAN c USING INDEX commissions_by_partner"), None);
    assert_eq!(full_scan(Backend::Sqlite, sql, "SEARCH c USING INDEX x (partner_id=?)"), None);
    assert_eq!(full_scan(Backend::Sqlite, "select 1 from plans", "SCAN plans"), None);
    assert_eq!(
        full_scan(Backend::Postgres, sql, "  ->  Seq Scan on clicks k  (cost=0.00..1.00 rows=1 width=8)")
            .as_deref(),
        Some("clicks")
    );
}
