//! `tributary admin create --email you@example.com` (password on stdin) and
//! `tributary payouts run`.
use std::process::ExitCode;

use tokio::io::AsyncBufReadExt;

use super::config::Config;
use super::db::Db;
use super::services::accounts;
use crate::domain::email::Email;
use crate::domain::password::Password;

const USAGE: &str = "usage: tributary admin create --email <email>   (reads the password from stdin)\n       tributary payouts run";

pub async fn run(config: Config, args: &[String]) -> ExitCode {
    if matches!(args, [a, b] if a == "payouts" && b == "run") {
        return payouts_run(&config).await;
    }
    let email = match args {
        [admin, create, flag, email] if admin == "admin" && create == "create" && flag == "--email" => email,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match create_admin(&config, email).await {
        Ok(()) => {
            println!("Platform admin {email} is ready.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tributary: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn create_admin(config: &Config, email: &str) -> Result<(), String> {
    let email = Email::parse(email).map_err(|e| e.to_string())?;
    let mut line = String::new();
    tokio::io::BufReader::new(tokio::io::stdin())
        .read_line(&mut line)
        .await
        .map_err(|e| format!("reading the password: {e}"))?;
    let password = Password::parse(line.trim_end_matches(['\r', '\n'])).map_err(|e| e.to_string())?;
    let db = Db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    accounts::upsert_admin(&db, &email, &password).await.map_err(|e| e.to_string())
}

/// `tributary payouts run`: one payout run now, the same as the scheduler's.
async fn payouts_run(config: &Config) -> ExitCode {
    use super::services::payouts::{RunRequest, StartedFrom, run};
    let outcome = async {
        let db = Db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
        db.migrate().await.map_err(|e| e.to_string())?;
        run(&db, &RunRequest::scheduled(StartedFrom::Cli)).await.map_err(|e| e.to_string())
    }
    .await;
    match outcome {
        Ok(s) if s.busy => {
            println!("Another payout run is under way; nothing done.");
            ExitCode::SUCCESS
        }
        Ok(s) => {
            let total = crate::domain::money::Cents(s.total_cents);
            println!("Payout run finished: {} payouts, {total}.", s.payouts_created);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tributary: {e}");
            ExitCode::FAILURE
        }
    }
}
