use std::env;
use std::time::Duration;

/// Runtime settings, read once from the environment at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// Adds `Secure` to cookies; on when the public URL is https.
    pub secure_cookies: bool,
    pub session_ttl_days: i64,
    pub login_per_ip_per_minute: u32,
    /// Failed logins per account and client network before backoff starts.
    pub login_free_failures: u32,
    pub register_per_ip_per_minute: u32,
    pub validate_per_ip_per_minute: u32,
    /// Seed demo accounts on a fresh database.
    pub seed_demo: bool,
    /// `TRIBUTARY_SEED_DEMO=minimal` turns this off: only the accounts the journeys use,
    /// without the six months of generated history (`server::seed_rich`).
    pub seed_demo_rich: bool,
    /// Fixed demo password (tests); otherwise a random one is printed.
    pub demo_password: Option<String>,
    pub claim_ttl_days: i64,
    /// How long a referral cookie attributes a visitor (first touch), at most 400.
    pub attribution_days: i64,
    /// How long a listing share token credits its listing.
    pub share_days: i64,
    /// The public base URL for links we hand out; else taken from the Host header.
    pub public_url: Option<String>,
    /// Hosts the platform itself answers on (besides the public URL's and the request's
    /// own `Host`): never accepted as a partner's custom domain. Lowercase, no port.
    pub platform_hosts: Vec<String>,
    /// `ip[:port]` of the DNS server that custom-domain checks ask (UDP), instead of the
    /// system resolver; tests point it at a local server.
    pub dns_server: Option<String>,
    /// How often the background task re-checks pending custom domains.
    pub domain_check_interval: Duration,
    /// `TRIBUTARY_CLOCK_CONTROL=1`: platform admins may move the app's clock forward
    /// (`advance_clock`), for browser journeys over days. Never set in production.
    pub clock_control: bool,
    /// `TRIBUTARY_SMTP_URL` (`smtp://host:port`, `smtps://user:pass@host`): where mail goes.
    /// Unset: lettre's file transport writes each message into `outbox_dir`.
    pub smtp_url: Option<String>,
    /// `TRIBUTARY_MAIL_FROM`: the sender of every message.
    pub mail_from: String,
    /// `TRIBUTARY_OUTBOX_DIR` (default `./data/outbox`): the file transport's directory.
    pub outbox_dir: std::path::PathBuf,
    /// `TRIBUTARY_BILLING_WEBHOOK_SECRET`: the shared secret that signs billing events
    /// (`POST /api/v1/billing/events`). Unset: the endpoint answers 503.
    pub billing_webhook_secret: Option<Secret>,
    /// `TRIBUTARY_PAYOUT_RUN_SECONDS` (default 300, 0 = off): how often the in-app
    /// scheduler starts a payout run.
    pub payout_run_interval: Option<Duration>,
    /// `TRIBUTARY_STRIPE_*`: the Stripe Connect rail (secrets redacted in `Debug`).
    pub stripe: crate::server::rails::stripe::StripeSettings,
    /// `TRIBUTARY_PAYPAL_*`: the PayPal Payouts rail (the client secret is a `Secret`).
    pub paypal: crate::server::rails::paypal::PaypalSettings,
    /// `TRIBUTARY_CLICK_JOURNAL`: the file a landing's click is appended to before the
    /// landing answers (`server/click_journal.rs`); `off` for none. Default: beside a SQLite
    /// database file; none for PostgreSQL (whose commit is durable and shared by instances)
    /// or an in-memory database.
    pub click_journal: Option<std::path::PathBuf>,
}

impl Config {
    pub fn from_env() -> Self {
        Self {
            database_url: env::var("DATABASE_URL")
                .unwrap_or_else(|_| "sqlite://data/tributary.db?mode=rwc".into()),
            secure_cookies: env::var("TRIBUTARY_PUBLIC_URL")
                .map(|u| u.starts_with("https://"))
                .unwrap_or(false),
            session_ttl_days: number("TRIBUTARY_SESSION_TTL_DAYS", 30),
            login_per_ip_per_minute: number("TRIBUTARY_LOGIN_PER_IP_PER_MINUTE", 30),
            login_free_failures: number("TRIBUTARY_LOGIN_FREE_FAILURES", 5),
            register_per_ip_per_minute: number("TRIBUTARY_REGISTER_PER_IP_PER_MINUTE", 10),
            validate_per_ip_per_minute: number("TRIBUTARY_VALIDATE_PER_IP_PER_MINUTE", 60),
            seed_demo: env::var("TRIBUTARY_SEED_DEMO").map(|v| v != "0").unwrap_or(true),
            seed_demo_rich: env::var("TRIBUTARY_SEED_DEMO").map(|v| v != "minimal").unwrap_or(true),
            demo_password: env::var("TRIBUTARY_DEMO_PASSWORD").ok().filter(|p| !p.is_empty()),
            claim_ttl_days: number("TRIBUTARY_CLAIM_TTL_DAYS", 30),
            attribution_days: number("TRIBUTARY_ATTRIBUTION_DAYS", 60_i64).clamp(1, 400),
            share_days: number("TRIBUTARY_SHARE_DAYS", 7_i64).clamp(1, 400),
            public_url: env::var("TRIBUTARY_PUBLIC_URL").ok().map(|u| u.trim_end_matches('/').to_string()),
            platform_hosts: host_list(&env::var("TRIBUTARY_PLATFORM_HOSTS").unwrap_or_default()),
            dns_server: env::var("TRIBUTARY_DNS_SERVER")
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            domain_check_interval: Duration::from_secs(
                number("TRIBUTARY_DOMAIN_CHECK_SECONDS", 300_u64).max(1),
            ),
            clock_control: env::var("TRIBUTARY_CLOCK_CONTROL").is_ok_and(|v| v == "1"),
            smtp_url: env::var("TRIBUTARY_SMTP_URL")
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            mail_from: env::var("TRIBUTARY_MAIL_FROM")
                .ok()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_MAIL_FROM.into()),
            outbox_dir: env::var("TRIBUTARY_OUTBOX_DIR").unwrap_or_else(|_| "data/outbox".into()).into(),
            billing_webhook_secret: env::var("TRIBUTARY_BILLING_WEBHOOK_SECRET")
                .ok()
                .filter(|s| !s.is_empty())
                .map(Secret),
            payout_run_interval: Some(number("TRIBUTARY_PAYOUT_RUN_SECONDS", 300_u64))
                .filter(|s| *s > 0)
                .map(Duration::from_secs),
            stripe: crate::server::rails::stripe::StripeSettings::from_env(),
            paypal: crate::server::rails::paypal::PaypalSettings::from_env(),
            click_journal: match env::var("TRIBUTARY_CLICK_JOURNAL") {
                Ok(v) if v == "off" => None,
                Ok(v) if !v.trim().is_empty() => Some(v.trim().into()),
                _ => default_click_journal(
                    &env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://data/tributary.db".into()),
                ),
            },
        }
    }

    /// Settings for tests: a given database, fixed limits, no demo data.
    pub fn for_tests(database_url: String) -> Self {
        Self {
            database_url,
            secure_cookies: false,
            session_ttl_days: 30,
            login_per_ip_per_minute: 30,
            login_free_failures: 5,
            // Tests register many users from one address; the limit has its own test.
            register_per_ip_per_minute: 1_000,
            validate_per_ip_per_minute: 60,
            seed_demo: false,
            seed_demo_rich: false,
            demo_password: None,
            claim_ttl_days: 30,
            attribution_days: 60,
            share_days: 7,
            public_url: None,
            platform_hosts: Vec::new(),
            // Tests that check domains start their own DNS server and set this; no test
            // asks the system resolver (the background check finds nothing to check).
            dns_server: None,
            domain_check_interval: Duration::from_secs(300),
            // Integration tests move `state.db.clock` directly.
            clock_control: false,
            // Mail goes to files in a directory of the test's own; mail tests set an
            // SMTP server of their own.
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            outbox_dir: std::env::temp_dir()
                .join("tributary-tests")
                .join(format!("outbox-{}", uuid::Uuid::now_v7().simple())),
            billing_webhook_secret: Some(Secret("test-billing-secret".into())),
            // Tests start runs themselves.
            payout_run_interval: None,
            // Rail tests start a fake Stripe and fill this in.
            stripe: Default::default(),
            // PayPal tests start a fake PayPal and fill this in.
            paypal: Default::default(),
            // The click log commits straight to the database; the journal has its own tests.
            click_journal: None,
        }
    }
}

/// `<database file>.clicks` for a SQLite database file, else none.
pub fn default_click_journal(database_url: &str) -> Option<std::path::PathBuf> {
    let path = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"))?;
    let (path, options) = path.split_once('?').unwrap_or((path, ""));
    if path.is_empty() || path == ":memory:" || options.contains("mode=memory") {
        return None;
    }
    Some(format!("{path}.clicks").into())
}

#[cfg(test)]
mod journal_path_tests {
    use super::default_click_journal;

    #[test]
    fn a_sqlite_file_gets_a_journal_beside_it_and_nothing_else_does() {
        assert_eq!(
            default_click_journal("sqlite://data/tributary.db?mode=rwc"),
            Some("data/tributary.db.clicks".into())
        );
        assert_eq!(default_click_journal("sqlite:/tmp/x.db"), Some("/tmp/x.db.clicks".into()));
        assert_eq!(default_click_journal("sqlite::memory:"), None);
        assert_eq!(default_click_journal("sqlite://file?mode=memory"), None);
        assert_eq!(default_click_journal("postgres://u@h/db"), None);
    }
}

const DEFAULT_MAIL_FROM: &str = "Tributary <no-reply@tributary.test>";

/// `"a.example, B.example:8080"` → `["a.example", "b.example"]`.
fn host_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|h| h.trim().trim_end_matches('.').to_lowercase())
        .map(|h| match h.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name.to_string(),
            _ => h,
        })
        .filter(|h| !h.is_empty())
        .collect()
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> T {
    env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[cfg(test)]
mod tests {
    #[test]
    fn platform_hosts_are_a_comma_separated_list_without_ports() {
        assert_eq!(super::host_list(" App.Example , b.example:8080,,"), ["app.example", "b.example"]);
        assert!(super::host_list("").is_empty());
    }

    #[test]
    fn secrets_never_show_in_the_configs_debug() {
        let mut config = super::Config::for_tests("sqlite://x".into());
        config.billing_webhook_secret = Some(super::Secret("whsec_do_not_print".into()));
        let printed = format!("{config:?}");
        assert!(!printed.contains("whsec_do_not_print"), "{printed}");
        assert!(printed.contains("Secret(redacted)"));
    }
}

/// A secret from the environment: readable where it is used, never printed (`Debug` of
/// the whole `Config` shows only that it is set).
#[derive(Clone)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}
