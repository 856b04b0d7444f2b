//! `spawn_app()`: the real app on port 0 with a fresh database. The backend comes from
//! `TEST_DATABASE_URL`: unset or `sqlite` → a temp SQLite file; `postgres://…` → a new
//! database created in that server for this one test.
#![allow(dead_code)]

pub mod dns;

use leptos::config::get_configuration;
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use tributary::api::types::RunSummary;
use tributary::api::types::Viewer;
use tributary::domain::email::Email;
use tributary::domain::password::Password;
use tributary::server::config::Config;
use tributary::server::services::accounts;
use tributary::server::services::payouts::{self, RunRequest, StartedFrom};
use tributary::server::services::rail_dispatch::{self, DispatchSummary};
use tributary::server::startup;
use tributary::server::state::AppState;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub click_writer: Option<tributary::server::click_log::ClickWriter>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_with_site(adjust, |_| {}).await
}

/// `TEST_LOG=debug cargo test …` prints the app's logs beside a failing test.
fn log_if_asked() {
    if let Ok(filter) = std::env::var("TEST_LOG") {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    }
}

pub async fn fresh_database_url() -> String {
    let id = uuid::Uuid::now_v7().simple().to_string();
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")) {
        Some(server) => create_postgres_database(&server, &format!("t_{id}")).await,
        None => format!("sqlite://{}/{id}.db?mode=rwc", test_dir().display()),
    }
}

/// This test process's directory for its files (SQLite databases, journals, logs):
/// `<tmp>/tributary-tests/<pid>`. The first call deletes what earlier runs left there (a
/// run's databases take about 180 MB, and they once filled a disk): the directories of
/// processes that no longer exist, and loose files over an hour old.
pub fn test_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::temp_dir().join("tributary-tests");
        remove_leftovers(&root);
        let dir = root.join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).expect("the test directory");
        dir
    })
}

fn remove_leftovers(root: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    // Whether a process is alive is read from /proc; without it, no process directory is
    // deleted (another run may be using it).
    let procfs = std::path::Path::new("/proc/self").exists();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let path = entry.path();
        let stale = match entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) {
            Some(pid) => procfs && !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            None => entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < hour_ago),
        };
        if stale {
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
}

async fn create_postgres_database(server: &str, name: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(server).await.expect("postgres reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let (base, _) = server.rsplit_once('/').expect("url has a database");
    format!("{base}/{name}")
}

/// A browser-like client: keeps cookies, doesn't follow redirects. A request that gets
/// no whole answer within the timeout fails its test instead of hanging the run.
pub fn browser() -> Client {
    browser_builder().build().expect("client")
}

fn browser_builder() -> reqwest::ClientBuilder {
    Client::builder()
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Calls a server function the way a form post does.
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.call_request(client, endpoint, form).send().await.expect("request sent")
    }

    /// The request [`TestApp::call`] sends, to send later.
    pub fn call_request(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> RequestBuilder {
        client.post(self.url(&format!("/api/{endpoint}"))).header("accept", "application/json").form(form)
    }

    pub async fn call_ok<T: DeserializeOwned>(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> T {
        let response = self.call(client, endpoint, form).await;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "{endpoint} answered {status}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{endpoint} body {body}: {e}"))
    }

    pub async fn register(&self, client: &Client, email: &str) -> Response {
        self.call(client, "register", &[("email", email), ("password", PASSWORD)]).await
    }

    /// A new signed-in user with its own client.
    pub async fn signed_in_user(&self, email: &str) -> Client {
        let client = browser();
        let response = self.register(&client, email).await;
        assert_eq!(response.status(), StatusCode::OK, "register {email}");
        client
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        self.call(client, "login", &[("email", email), ("password", password)]).await
    }

    pub async fn signed_in_admin(&self, email: &str) -> Client {
        let (email_v, password) = (Email::parse(email).unwrap(), Password::parse(PASSWORD).unwrap());
        accounts::upsert_admin(&self.state.db, &email_v, &password).await.expect("admin");
        let client = browser();
        assert_eq!(self.login(&client, email, PASSWORD).await.status(), StatusCode::OK);
        client
    }

    /// Waits (at most 30 s, then fails the test) until every recorded click is stored.
    pub async fn flush_clicks(&self) {
        let flushed =
            tokio::time::timeout(std::time::Duration::from_secs(30), self.state.clicks.flush()).await;
        flushed.expect("the click log flushed within 30 s");
    }

    /// Count rows with a one-number SQL query (test assertions only).
    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.state.db.pool).await.expect("count")
    }

    /// The open set (`open_entries`) is exactly the cash entries no live payout holds, with
    /// their amounts and release dates: what balances are computed from.
    pub async fn assert_open_set_exact(&self) {
        let rows = |sql: &'static str| async move {
            let rows: Vec<(String, String, i64, i64)> =
                sqlx::query_as(sql).fetch_all(&self.state.db.pool).await.expect(sql);
            rows
        };
        let kept = rows(
            "select commission_id, partner_id, amount_cents, available_at from open_entries \
             order by commission_id",
        )
        .await;
        let derived = rows(
            "select c.id, c.partner_id, c.amount_cents, c.available_at from commissions c \
             where c.kind = 'cash' and not exists (select 1 from payout_items i \
             where i.commission_id = c.id and i.released = 0) order by c.id",
        )
        .await;
        assert_eq!(kept, derived, "open_entries must equal the cash entries no live payout holds");
        self.assert_rollups_exact().await;
    }

    /// Every rollup holds what the raw rows it sums say it should.
    pub async fn assert_rollups_exact(&self) {
        let pool = &self.state.db.pool;
        let kept = tributary::server::db::rollups::kept(pool).await.expect("kept rollups");
        let derived = tributary::server::db::rollups::derived(pool).await.expect("derived rollups");
        assert_eq!(kept, derived, "every rollup must equal its sum over the raw rows");
    }

    pub async fn me(&self, client: &Client) -> Option<Viewer> {
        self.call_ok(client, "me", &[]).await
    }
}

/// The value of cookie `name` in a response's Set-Cookie headers.
pub fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string())
    })
}

/// Program helpers: plans, partners and partner users made through the real API.
impl TestApp {
    pub async fn plan(&self, admin: &Client, name: &str, price: &str) -> String {
        let plan: tributary::api::types::PlanView =
            self.call_ok(admin, "create_plan", &[("name", name), ("price", price)]).await;
        plan.id
    }

    pub async fn partner(&self, admin: &Client, name: &str, kind: &str, value: &str) -> String {
        let email = format!("{}@partners.example", name.to_lowercase().replace(' ', "-"));
        self.call_ok(
            admin,
            "create_partner",
            &[
                ("name", name),
                ("contact_email", &email),
                ("commission_kind", kind),
                ("commission_value", value),
            ],
        )
        .await
    }

    /// A signed-in user attached to the partner.
    pub async fn partner_user(&self, admin: &Client, partner_id: &str, email: &str) -> Client {
        let user = self.signed_in_user(email).await;
        let outcome: String =
            self.call_ok(admin, "attach_partner_user", &[("partner_id", partner_id), ("email", email)]).await;
        assert_eq!(outcome, "added");
        user
    }

    /// A visitor who lands on `/register?ref=code`, registers and creates a workspace.
    pub async fn referred_customer(&self, code: &str, email: &str, workspace: &str) -> (Client, String) {
        let client = browser();
        let landing = client.get(self.url(&format!("/register?ref={code}"))).send().await.unwrap();
        assert!(landing.status().is_success());
        assert_eq!(self.register(&client, email).await.status(), StatusCode::OK);
        let id: String = self.call_ok(&client, "create_workspace", &[("name", workspace)]).await;
        (client, id)
    }

    pub async fn activate(&self, admin: &Client, workspace_id: &str, plan_id: &str) -> Response {
        self.call(
            admin,
            "set_subscription",
            &[("workspace_id", workspace_id), ("plan_id", plan_id), ("status", "ACTIVE")],
        )
        .await
    }
}

/// Payout helpers: the engine's run and the rails' dispatch, called as the scheduler would.
impl TestApp {
    /// One scheduled payout run (as `tributary payouts run` starts it).
    pub async fn run_payouts(&self) -> RunSummary {
        payouts::run(&self.state.db, &RunRequest::scheduled(StartedFrom::Cli)).await.expect("payout run")
    }

    /// One pass of the rails' dispatcher over the payouts waiting to be sent.
    pub async fn dispatch_rails(&self) -> DispatchSummary {
        rail_dispatch::dispatch(&self.state.db, &self.state.rails).await.expect("dispatch")
    }

    pub async fn available_cents(&self, partner_id: &str) -> i64 {
        payouts::balances(&self.state.db, partner_id).await.expect("balances").available_cents
    }
}

/// Like `spawn_app_with`, and the Leptos options can be changed too (a test's own site
/// root with its own `/pkg` files, say).
pub async fn spawn_app_with_site(
    adjust: impl FnOnce(&mut Config),
    site: impl FnOnce(&mut leptos::config::LeptosOptions),
) -> TestApp {
    log_if_asked();
    let mut config = Config::for_tests(fresh_database_url().await);
    adjust(&mut config);
    let mut leptos = get_configuration(Some("Cargo.toml")).expect("leptos config").leptos_options;
    site(&mut leptos);
    let (state, click_writer) = startup::prepare(config, leptos).await.expect("app starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    // No signal handler here: SIGTERM (e.g. from `timeout`) must still end the test run.
    tokio::spawn(startup::serve(listener, startup::router(state.clone()), std::future::pending()));
    TestApp { base, state, click_writer: Some(click_writer) }
}

/// A browser-like client whose connections come from `ip` (any 127.x.y.z is this
/// machine), so a test can be several clients on several networks.
pub fn browser_from(ip: &str) -> Client {
    let ip = ip.parse::<std::net::IpAddr>().expect("an IP address");
    browser_builder().local_address(ip).build().expect("client")
}

/// The fields of `update_partner_settings` for `partner_id`, with `overrides`.
pub fn settings_form<'a>(partner_id: &'a str, overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let form = vec![
        ("partner_id", partner_id),
        ("commission_kind", "percent"),
        ("commission_value", "20"),
        ("credit_bps", "0"),
        ("recurring", "on"),
        ("recurring_months", "12"),
        ("payout_method", "manual"),
        ("payout_threshold", "50"),
        ("payout_frequency", "monthly"),
        ("hold_days", ""),
    ];
    overridden(form, overrides)
}

/// A form's fields with each of `overrides` in place of the field of its name.
pub fn overridden<'a>(
    mut form: Vec<(&'a str, &'a str)>,
    overrides: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    for (k, v) in overrides {
        form.retain(|(f, _)| f != k);
        form.push((k, v));
    }
    form
}
