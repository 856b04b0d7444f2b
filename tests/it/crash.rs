//! Clicks survive a crash: the real `tributary` binary runs as a child process, a burst of
//! concurrent referral landings hits it, and it is SIGKILLed mid-burst. Every landing that
//! got a complete 200 must have its click in the database (found by the click id in its
//! referral cookie). On SQLite (a temp file) or, with `TEST_DATABASE_URL=postgres://…`, on
//! a fresh Postgres database. Beside it, in-process checks of the same promise and of
//! what a landing does when its click can't be stored.
use crate::common;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use tokio::sync::Mutex;

const CODE: &str = "northwind-agency"; // the demo partner's default code (src/server/seed.rs)
const TASKS: usize = 32;
/// Acknowledged landings before the kill: enough that the burst is in full flow.
const KILL_AFTER: usize = 600;

struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    fn start(database_url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = common::test_dir().join(format!("crash-{}.log", uuid::Uuid::now_v7().simple()));
        let out = std::fs::File::create(&log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_tributary"))
            // Leptos options come from Cargo.toml in the working directory.
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "tributary")
            .env("LEPTOS_ENV", "PROD")
            .env("TRIBUTARY_SEED_DEMO", "1")
            .env("TRIBUTARY_DEMO_PASSWORD", "crash-test-password")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out)
            .spawn()
            .expect("the tributary binary starts");
        Self { child, base: format!("http://127.0.0.1:{port}"), log }
    }

    fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the server answers (migrations and demo seeding done).
    async fn ready(&mut self, client: &Client) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("tributary exited ({status}) before serving:\n{}", self.logs());
            }
            if let Ok(r) = client.get(format!("{}/login", self.base)).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            assert!(Instant::now() < deadline, "tributary did not serve within 120 s:\n{}", self.logs());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on unix
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// The click id in a landing's `trib_ref` cookie (`code.captured_at.click_id[.listing]`).
fn click_id(response: &reqwest::Response) -> Option<String> {
    let cookie = common::set_cookie(response, "trib_ref")?;
    cookie.split('.').nth(2).filter(|id| !id.is_empty()).map(str::to_string)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_landings_keep_their_clicks_through_sigkill() {
    let database_url = common::fresh_database_url().await;
    let mut server = Server::start(&database_url);
    let client = Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
    server.ready(&client).await;

    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&database_url).await.expect("database opens");
    let slug: String =
        sqlx::query_scalar("select slug from listings").fetch_one(&db).await.expect("the demo listing");
    let paths = Arc::new([
        format!("/?ref={CODE}"),
        format!("/register?ref={CODE}"),
        format!("/marketplace/{slug}"),
        format!("/marketplace/{slug}?ref={CODE}"),
    ]);

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (client, base, paths) = (client.clone(), server.base.clone(), paths.clone());
        let (acknowledged, count, stop) = (acknowledged.clone(), count.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = t;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let Ok(response) = client.get(format!("{base}{}", paths[i % paths.len()])).send().await
                else {
                    continue;
                };
                if response.status() != StatusCode::OK {
                    continue;
                }
                let id = click_id(&response);
                // Complete: the whole body arrived.
                if response.bytes().await.is_err() {
                    continue;
                }
                let id = id.expect("a 200 landing sets trib_ref with its click id");
                acknowledged.lock().await.push(id);
                count.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }

    let deadline = Instant::now() + Duration::from_secs(120);
    while count.load(Ordering::Relaxed) < KILL_AFTER {
        assert!(Instant::now() < deadline, "the burst stalled:\n{}", server.logs());
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("landing task");
    }
    let acknowledged = acknowledged.lock().await.clone();
    let before_restart: HashSet<String> = sqlx::query_scalar("select id from clicks")
        .fetch_all(&db)
        .await
        .expect("clicks")
        .into_iter()
        .collect();
    let journal_only = acknowledged.iter().filter(|id| !before_restart.contains(*id)).count();

    // Started again on the same database (and, on SQLite, the same click journal beside
    // it), the server commits what the journal still holds; until then a click may be only
    // in the journal.
    let mut restarted = Server::start(&database_url);
    restarted.ready(&client).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let stored = loop {
        let stored: HashSet<String> = sqlx::query_scalar("select id from clicks")
            .fetch_all(&db)
            .await
            .expect("clicks readable after the crash")
            .into_iter()
            .collect();
        if acknowledged.iter().all(|id| stored.contains(id)) || Instant::now() > deadline {
            break stored;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !stored.contains(*id)).collect();
    println!(
        "landings answered 200: {}; only in the journal at the kill: {journal_only}; clicks stored: {}; \
         acknowledged but lost: {} ({:.1} %)",
        acknowledged.len(),
        stored.len(),
        lost.len(),
        100.0 * lost.len() as f64 / acknowledged.len() as f64
    );
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged landings lost their click (e.g. {:?})",
        lost.len(),
        acknowledged.len(),
        lost.first()
    );
    assert!(stored.len() >= acknowledged.len());
    db.close().await;
}

/// An in-process app with an approved partner whose code is `maker`.
async fn app_with_partner() -> common::TestApp {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let partner_id = app.partner(&admin, "Maker", "percent", "10").await;
    let _ = app.partner_user(&admin, &partner_id, "maker@example.com").await;
    app
}

#[tokio::test]
async fn a_landing_answers_only_once_its_click_is_stored() {
    let app = app_with_partner().await;
    let client = Client::new();
    let landings = (0..20).map(|i| {
        let url = app.url(if i % 2 == 0 { "/?ref=maker" } else { "/register?ref=maker" });
        let client = client.clone();
        async move { client.get(url).send().await.expect("landing").status() }
    });
    for status in futures_join_all(landings).await {
        assert_eq!(status, StatusCode::OK);
    }
    // No flush: every answered landing's click is already committed.
    assert_eq!(app.count("select count(*) from clicks").await, 20);
}

#[tokio::test]
async fn a_landing_still_answers_when_its_click_cannot_be_stored() {
    let app = app_with_partner().await;
    sqlx::query("alter table clicks rename to clicks_elsewhere").execute(&app.state.db.pool).await.unwrap();
    let landing = Client::new().get(app.url("/?ref=maker")).send().await.expect("landing");
    assert_eq!(landing.status(), StatusCode::OK);
    assert!(click_id(&landing).is_some(), "the referral cookie is still set");
    assert!(landing.text().await.unwrap().contains("Tributary"));
}

/// Runs the futures concurrently (the dev-dependencies have no `futures` crate).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.expect("task"));
    }
    out
}

fn journal_click(partner_id: &str, n: usize) -> tributary::server::db::clicks::Click {
    tributary::server::db::clicks::Click {
        id: format!("journal-{n}-{}", uuid::Uuid::now_v7().simple()),
        partner_id: partner_id.to_string(),
        code_id: None,
        listing_id: None,
        share_token: None,
        referrer: None,
        landing_path: "/?ref=maker".into(),
        ip_hash: "ip".into(),
        user_agent_hash: "ua".into(),
        created_at: 1,
    }
}

/// What a crash leaves in the journal (including a torn last line) is committed when a
/// click log starts on it, exactly once even if part of it was committed before the crash;
/// afterwards the journal is empty.
#[tokio::test]
async fn a_click_journal_left_by_a_crash_is_committed_on_start_exactly_once() {
    use tributary::server::click_journal::Journal;
    use tributary::server::click_log::ClickLog;
    let app = app_with_partner().await;
    let partner_id: String =
        sqlx::query_scalar("select id from partners").fetch_one(&app.state.db.pool).await.unwrap();
    let path = common::test_dir().join(format!("journal-{}.clicks", uuid::Uuid::now_v7().simple()));
    let clicks: Vec<_> = (0..250).map(|n| journal_click(&partner_id, n)).collect();
    {
        let (mut journal, replay) = Journal::open(&path).expect("journal opens");
        assert!(replay.is_empty());
        journal.append(&clicks[..100]).unwrap();
        journal.append(&clicks[100..]).unwrap();
    }
    // The crash tore a last record, and the first 100 had reached the database already.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"{\"id\":\"torn"))
        .unwrap();
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    tributary::server::db::clicks::insert_many(&mut conn, app.state.db.backend, &clicks[..100])
        .await
        .unwrap();
    drop(conn);

    let (journal, replay) = Journal::open(&path).expect("journal reopens");
    assert_eq!(replay.len(), 250, "every whole record, not the torn one");
    let (log, writer) = ClickLog::start(app.state.db.clone(), Some((journal, replay)));
    log.flush().await;
    assert_eq!(app.count("select count(*) from clicks").await, 250);
    // New clicks go through the journal too and are acknowledged as stored.
    let more = journal_click(&partner_id, 999);
    assert_eq!(log.store(more).stored().await, tributary::server::click_log::Stored::Yes);
    writer.shutdown().await;
    assert_eq!(app.count("select count(*) from clicks").await, 251);
    // The 100 replayed clicks already stored are not counted into their hours again.
    let hours = "select cast(coalesce(sum(clicks), 0) as bigint) from click_hours";
    assert_eq!(app.count(hours).await, 251);
    app.assert_rollups_exact().await;
    let (_, left) = Journal::open(&path).unwrap();
    assert!(left.is_empty(), "a clean shutdown leaves nothing to replay: {} clicks left", left.len());
    let _ = std::fs::remove_file(&path);
}
