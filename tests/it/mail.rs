//! Emailed invite codes through a real SMTP server (Debian's python3-aiosmtpd, installed by
//! `scripts/setup.sh test`), started and stopped by each test: delivery, a refused
//! recipient, retries, and no message sent twice across a restart.
use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{TestApp, spawn_app_with};
use reqwest::Client;
use tributary::api::types::{MintResult, OutboxRow};

/// Accepts every recipient except `refused@…` (550), and appends each message as one JSON
/// line (`{"to": [...], "data": "..."}`) to the file it is given.
const SERVER: &str = r#"
import json, sys, threading
from aiosmtpd.controller import Controller

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('refused@'):
            return '550 5.1.1 No such mailbox here'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        with open(sys.argv[2], 'a') as f:
            f.write(json.dumps({'to': envelope.rcpt_tos, 'data': envelope.content.decode('utf8', 'replace')}) + '\n')
        return '250 Message accepted for delivery'

controller = Controller(Handler(), hostname='127.0.0.1', port=int(sys.argv[1]))
controller.start()
print('ready', flush=True)
sys.stdin.read()
controller.stop()
"#;

/// A running SMTP server; stopped when dropped.
struct Smtp {
    child: Child,
    port: u16,
    inbox: std::path::PathBuf,
}

#[derive(serde::Deserialize, Debug)]
struct Received {
    to: Vec<String>,
    data: String,
}

impl Smtp {
    async fn start_on(port: u16, inbox: std::path::PathBuf) -> Smtp {
        // Debian's interpreter: aiosmtpd comes from the python3-aiosmtpd package.
        let mut child = Command::new("/usr/bin/python3")
            .args(["-c", SERVER, &port.to_string(), inbox.to_str().unwrap()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("/usr/bin/python3 runs (install python3-aiosmtpd: bash scripts/setup.sh test)");
        let stdout = child.stdout.take().unwrap();
        let first_line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        });
        let ready = tokio::time::timeout(Duration::from_secs(20), first_line).await;
        assert!(
            matches!(ready, Ok(Ok(Ok(ref l))) if l.trim() == "ready"),
            "the SMTP server did not start (is python3-aiosmtpd installed? bash scripts/setup.sh test): {ready:?}"
        );
        Smtp { child, port, inbox }
    }

    async fn start() -> Smtp {
        let inbox = crate::common::test_dir().join(format!("smtp-{}.jsonl", uuid::Uuid::now_v7().simple()));
        Smtp::start_on(free_port(), inbox).await
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> Vec<Received> {
        let text = std::fs::read_to_string(&self.inbox).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.inbox);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Every message in the outbox, newest first, read page by page.
async fn outbox(app: &TestApp, admin: &Client) -> Vec<OutboxRow> {
    let (mut rows, mut n) = (Vec::new(), 1);
    loop {
        let page = outbox_view(app, admin, &[("query[page]", n.to_string().as_str())]).await;
        rows.extend(page.rows.iter().cloned());
        if n >= page.pages() {
            return rows;
        }
        n += 1;
    }
}

async fn outbox_view(
    app: &TestApp,
    admin: &Client,
    query: &[(&str, &str)],
) -> tributary::model::list::Page<OutboxRow> {
    app.call_ok(admin, "admin_outbox", query).await
}

/// Waits (at most 30 s) until no message is queued or being sent.
async fn settled(app: &TestApp, admin: &Client) -> Vec<OutboxRow> {
    for _ in 0..300 {
        let rows = outbox(app, admin).await;
        if rows.iter().all(|r| r.status.as_str() == "delivered" || r.status.as_str() == "failed") {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox did not settle within 30 s: {:?}", outbox(app, admin).await);
}

async fn mint_and_email(app: &TestApp, admin: &Client, emails: &str, shared: bool) -> MintResult {
    let mut form = vec![
        ("flavor", "beta"),
        ("count", "1"),
        ("max_uses", "1"),
        ("credits", "300"),
        ("expires_on", ""),
        ("metadata", ""),
        ("emails", emails),
    ];
    if shared {
        form.push(("shared", "on"));
    }
    app.call_ok(admin, "mint_invite_codes", &form).await
}

#[tokio::test]
async fn three_addresses_get_three_messages_with_their_own_code_and_link() {
    let smtp = Smtp::start().await;
    let url = smtp.url();
    let app = spawn_app_with(|c| c.smtp_url = Some(url)).await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let emails = "ann@example.com\nbob@example.com, cy@example.com";
    let minted = mint_and_email(&app, &admin, emails, false).await;
    assert_eq!((minted.codes.len(), minted.emailed), (3, 3));
    let rows = settled(&app, &admin).await;
    assert!(rows.iter().all(|r| r.status.as_str() == "delivered" && r.attempts == 1), "{rows:?}");
    let received = smtp.received();
    assert_eq!(received.len(), 3);
    for (address, code) in ["ann@example.com", "bob@example.com", "cy@example.com"].iter().zip(&minted.codes)
    {
        let message = received.iter().find(|m| m.to == [address.to_string()]).expect("a message to each");
        assert!(message.data.contains(code.as_str()), "{address} got {code}");
        assert!(message.data.contains(&format!("{}/invite/{code}", app.base)), "{}", message.data);
        assert!(message.data.contains("Subject: Your invitation to the Tributary beta"));
        // Nobody gets someone else's code.
        for other in minted.codes.iter().filter(|c| *c != code) {
            assert!(!message.data.contains(other.as_str()));
        }
    }
}

#[tokio::test]
async fn a_refused_address_is_recorded_failed_while_the_others_are_delivered() {
    let smtp = Smtp::start().await;
    let url = smtp.url();
    let app = spawn_app_with(|c| c.smtp_url = Some(url)).await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let minted = mint_and_email(&app, &admin, "a@example.com refused@example.com c@example.com", true).await;
    assert_eq!((minted.codes.len(), minted.emailed), (1, 3), "one shared code, three messages");
    let rows = settled(&app, &admin).await;
    let refused = rows.iter().find(|r| r.to_address == "refused@example.com").unwrap();
    assert_eq!(refused.status.as_str(), "failed");
    assert!(refused.last_error.as_deref().is_some_and(|e| e.contains("550")), "{refused:?}");
    assert_eq!(refused.attempts, 1, "a permanent refusal is not retried");
    assert_eq!(rows.iter().filter(|r| r.status.as_str() == "delivered").count(), 2);
    let received = smtp.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|m| m.data.contains(&minted.codes[0])));
    // Admin → Outbox filters by status and searches the recipient; a made-up status is a 400.
    let failed = outbox_view(&app, &admin, &[("query[status]", "failed")]).await;
    assert_eq!(
        failed.rows.iter().map(|r| r.to_address.as_str()).collect::<Vec<_>>(),
        ["refused@example.com"]
    );
    let found = outbox_view(&app, &admin, &[("query[q]", "C@EXAMPLE")]).await;
    assert_eq!((found.total, found.rows[0].to_address.as_str()), (1, "c@example.com"));
    let delivered =
        outbox_view(&app, &admin, &[("query[status]", "delivered"), ("query[sort]", "oldest")]).await;
    assert_eq!(delivered.total, 2);
    let bad = app.call(&admin, "admin_outbox", &[("query[status]", "lost")]).await;
    assert_eq!(bad.status(), reqwest::StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_restarted_app_sends_nothing_twice_and_a_send_cut_short_is_not_repeated() {
    let smtp = Smtp::start().await;
    let url = smtp.url();
    let app = spawn_app_with(|c| c.smtp_url = Some(url.clone())).await;
    let admin = app.signed_in_admin("admin@example.com").await;
    mint_and_email(&app, &admin, "one@example.com two@example.com three@example.com", false).await;
    settled(&app, &admin).await;
    assert_eq!(smtp.received().len(), 3);
    app.state.mail.stop().await;
    // A message whose sender died between claiming and recording it: it may have gone out.
    let now = app.state.db.now_ms();
    sqlx::query(
        "insert into outbox (id, idempotency_key, to_address, subject, body, status, attempts, next_attempt_at, \
         claimed_until, created_at) values ('cut', 'test:cut', 'cut@example.com', 'Hi', 'Hi', 'sending', 1, $1, $2, $1)",
    )
    .bind(now)
    .bind(now - 1)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    // The same database, a new process: a fresh sender.
    let database_url = app.state.config.database_url.clone();
    let restarted = spawn_app_with(|c| {
        c.smtp_url = Some(url);
        c.database_url = database_url;
    })
    .await;
    let rows = settled(&restarted, &admin_of(&restarted).await).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.received().len(), 3, "nothing is sent again");
    let cut = rows.iter().find(|r| r.id == "cut").unwrap();
    assert_eq!(cut.status.as_str(), "failed");
    assert!(cut.last_error.as_deref().unwrap_or("").contains("not sent again"));
    assert_eq!(rows.iter().filter(|r| r.status.as_str() == "delivered").count(), 3);
}

async fn admin_of(app: &TestApp) -> Client {
    app.signed_in_admin("admin@example.com").await
}

#[tokio::test]
async fn an_unreachable_server_is_retried_with_backoff_until_it_answers() {
    let port = free_port();
    let app = spawn_app_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let admin = app.signed_in_admin("admin@example.com").await;
    mint_and_email(&app, &admin, "later@example.com", false).await;
    let mut waiting = None;
    for _ in 0..300 {
        let rows = outbox(&app, &admin).await;
        if rows[0].attempts == 1 && rows[0].status.as_str() == "pending" {
            waiting = Some(rows[0].clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let waiting = waiting.expect("a first failed attempt, queued again");
    assert!(waiting.last_error.is_some());
    assert!(waiting.next_attempt_at >= app.state.db.now_ms() + 20_000, "backs off ~30 s");
    let inbox = crate::common::test_dir().join(format!("smtp-{}.jsonl", uuid::Uuid::now_v7().simple()));
    let smtp = Smtp::start_on(port, inbox).await;
    app.state.db.clock.advance(31_000);
    let rows = settled(&app, &admin).await;
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("delivered", 2));
    assert_eq!(smtp.received().len(), 1);
}

#[tokio::test]
async fn without_smtp_the_demo_writes_messages_to_the_outbox_directory() {
    let app = common::spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let minted = mint_and_email(&app, &admin, "demo@example.com", false).await;
    let rows = settled(&app, &admin).await;
    assert_eq!(rows[0].status.as_str(), "delivered");
    let dir = &app.state.config.outbox_dir;
    let files: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(Result::ok).collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains(&minted.codes[0]) && text.contains("To: demo@example.com"), "{text}");
}
