//! Where messages go: an SMTP server, or files under `./data/outbox/` for the demo.
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Why a message was not delivered, and whether trying again could help.
#[derive(Debug)]
pub struct SendFailure {
    pub permanent: bool,
    pub message: String,
}

impl Transport {
    /// SMTP when `smtp_url` is set (`smtp://host:port`, `smtps://user:pass@host`,
    /// `smtp://host?tls=required`), otherwise the file transport into `outbox_dir`.
    pub fn new(smtp_url: Option<&str>, outbox_dir: &PathBuf) -> Result<Self, String> {
        match smtp_url {
            Some(url) => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("TRIBUTARY_SMTP_URL: {e}"))?;
                Ok(Transport::Smtp(builder.timeout(Some(Duration::from_secs(30))).build()))
            }
            None => {
                std::fs::create_dir_all(outbox_dir)
                    .map_err(|e| format!("outbox directory {}: {e}", outbox_dir.display()))?;
                Ok(Transport::File(AsyncFileTransport::new(outbox_dir)))
            }
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
        }
    }

    pub async fn send(&self, from: &str, to: &str, subject: &str, body: &str) -> Result<(), SendFailure> {
        let permanent = |message: String| SendFailure { permanent: true, message };
        let from: Mailbox = from.parse().map_err(|e| permanent(format!("sender address: {e}")))?;
        let to: Mailbox = to.parse().map_err(|e| permanent(format!("recipient address: {e}")))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| permanent(format!("message: {e}")))?;
        match self {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendFailure { permanent: e.is_permanent(), message: e.to_string() }),
            Transport::File(file) => file
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendFailure { permanent: false, message: e.to_string() }),
        }
    }
}
