//! Benchmark server for `make bench` (scripts/bench.sh); not part of the product.
//!
//! One process, one tokio multi-thread runtime, two listeners:
//!   * capture: the real product router (`startup::router`) on a fresh SQLite database in a
//!     temp dir, with the demo data seeded, so `/?ref=northwind-agency` is a valid code of
//!     an approved partner and every landing records a click through the group-committing
//!     click log and answers once that click is committed;
//!   * bare: a plain axum `Router` with one `GET /` returning a small static HTML page,
//!     served the same way (`axum::serve` with `into_make_service_with_connect_info`).
//!
//! Usage: `bench_server [CAPTURE_PORT [BARE_PORT]]`, or `BENCH_CAPTURE_PORT` /
//! `BENCH_BARE_PORT`; 0 or unset picks a free port. Both URLs are printed. On SIGTERM or
//! Ctrl-C both servers stop, the click writer is drained (`ClickWriter::shutdown`) and the
//! number of clicks stored in the database is printed, proving the landings were captured.
use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use leptos::config::get_configuration;
use tokio::net::TcpListener;
use tributary::server::{config::Config, seed, startup};

/// The bare route's page: a small static document, roughly a minimal landing page.
const BARE_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Tributary bench</title></head><body><h1>Hello</h1><p>A static page served by a bare \
axum route.</p></body></html>";

const DEMO_PASSWORD: &str = "bench-demo-password";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let capture_port = port(args.first(), "BENCH_CAPTURE_PORT")?;
    let bare_port = port(args.get(1), "BENCH_BARE_PORT")?;

    let capture_listener = bind(capture_port).await?;
    let bare_listener = bind(bare_port).await?;
    let capture_addr = capture_listener.local_addr().map_err(|e| e.to_string())?;
    let bare_addr = bare_listener.local_addr().map_err(|e| e.to_string())?;

    let dir = std::env::temp_dir().join(format!("tributary-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let result = serve_both(&dir, capture_listener, capture_addr, bare_listener, bare_addr).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn serve_both(
    dir: &std::path::Path,
    capture_listener: TcpListener,
    capture_addr: SocketAddr,
    bare_listener: TcpListener,
    bare_addr: SocketAddr,
) -> Result<(), String> {
    let mut config = Config::for_tests(format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    config.seed_demo = true;
    // As in production on a SQLite file: clicks are journaled before they are acknowledged
    // (BENCH_CLICK_JOURNAL=off measures commit-then-ack).
    if std::env::var("BENCH_CLICK_JOURNAL").as_deref() != Ok("off") {
        config.click_journal = tributary::server::config::default_click_journal(&config.database_url);
    }
    config.demo_password = Some(DEMO_PASSWORD.into());
    let mut leptos = get_configuration(Some("Cargo.toml"))
        .or_else(|_| get_configuration(None))
        .map_err(|e| format!("leptos configuration: {e}"))?
        .leptos_options;
    leptos.site_addr = capture_addr;

    let (state, click_writer) = startup::prepare(config, leptos).await?;
    seed::seed_demo_if_empty(&state).await.map_err(|e| format!("seeding: {e}"))?;
    let codes: i64 =
        sqlx::query_scalar("select count(*) from referral_codes where code_key = 'northwind-agency'")
            .fetch_one(&state.db.pool)
            .await
            .map_err(|e| format!("checking the demo code: {e}"))?;
    if codes != 1 {
        return Err("the demo partner's code northwind-agency was not seeded".into());
    }

    let bare = Router::new().route("/", get(|| async { Html(BARE_PAGE) }));

    println!("capture: http://{capture_addr}/?ref=northwind-agency");
    println!("bare:    http://{bare_addr}/");
    println!("ready (pid {})", std::process::id());

    // Both are served the same way, by the product's own `startup::serve` (same socket
    // options, same graceful stop on Ctrl-C / SIGTERM).
    let product =
        startup::serve(capture_listener, startup::router(state.clone()), startup::shutdown_signal());
    let bare = startup::serve(bare_listener, bare, startup::shutdown_signal());
    let (product, bare) = tokio::join!(product, bare);

    click_writer.shutdown().await;
    let clicks: Result<i64, _> =
        sqlx::query_scalar("select count(*) from clicks").fetch_one(&state.db.pool).await;
    state.db.pool.close().await;
    match clicks {
        Ok(n) => println!("clicks stored: {n}"),
        Err(e) => println!("clicks stored: unknown ({e})"),
    }
    product.map_err(|e| format!("capture server: {e}"))?;
    bare.map_err(|e| format!("bare server: {e}"))?;
    Ok(())
}

/// A port from the argument, else the environment variable, else 0 (any free port).
fn port(arg: Option<&String>, var: &str) -> Result<u16, String> {
    match arg.cloned().or_else(|| std::env::var(var).ok()).filter(|s| !s.is_empty()) {
        Some(s) => s.parse().map_err(|_| format!("not a port: {s}")),
        None => Ok(0),
    }
}

async fn bind(port: u16) -> Result<TcpListener, String> {
    TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| format!("binding 127.0.0.1:{port}: {e}"))
}
