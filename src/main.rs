//! The server binary: configuration → start-up → serve, plus `tributary admin …`.
use std::process::ExitCode;

use leptos::config::get_configuration;
use tributary::server::{cli, config::Config, seed, startup};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = Config::from_env();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.is_empty() {
        return cli::run(config, &args).await;
    }
    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tributary: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(mut config: Config) -> Result<(), String> {
    let leptos = get_configuration(None)
        .or_else(|_| get_configuration(Some("Cargo.toml")))
        .map_err(|e| format!("leptos configuration: {e}"))?
        .leptos_options;
    let addr = leptos.site_addr;
    ensure_sqlite_dir(&config.database_url);
    let _fake_stripe = tributary::fake_rails::stripe::start_demo_if_unconfigured(&mut config, addr).await;
    let _fake_paypal = tributary::fake_rails::paypal::start_demo_if_unconfigured(&mut config).await;
    let (state, click_writer) = startup::prepare(config, leptos).await?;
    tributary::server::assets::precompress_in_background(&state.leptos_options);
    seed::seed_demo_if_empty(&state).await.map_err(|e| format!("seeding: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("binding {addr}: {e}"))?;
    tracing::info!("Tributary listening on http://{addr}");
    let served = startup::serve(listener, startup::router(state), startup::shutdown_signal()).await;
    click_writer.shutdown().await;
    served.map_err(|e| e.to_string())
}

/// SQLite creates the file but not its folder (`./data/` on a fresh clone).
fn ensure_sqlite_dir(url: &str) {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path).parent() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
}
