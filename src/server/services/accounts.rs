use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::model::AppError;
use crate::model::types::Viewer;
use crate::server::auth::Gatekeeper;
use crate::server::auth::password::{self, Purpose};
use crate::server::db::{self, Db, is_unique_violation, new_id, users};

/// Creates an account and returns the new user's id. Limited per IP, and the hash
/// waits for a slot (see `HashGate`).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn register(
    db: &Db,
    gate: &Gatekeeper,
    ip: &str,
    email: &Email,
    password: &Password,
) -> Result<String, AppError> {
    if !gate.register_per_ip.allow(ip) {
        return Err(AppError::RateLimited);
    }
    let plain = password.expose().to_string();
    let hash = gate.hashing.admit(Purpose::SignUp, password::hash(plain)).await??;
    insert_account(db, email, &hash).await
}

/// An account made by the platform itself (demo data): no limits apply.
pub async fn create_account(db: &Db, email: &Email, password: &Password) -> Result<String, AppError> {
    let hash = password::hash(password.expose().to_string()).await?;
    insert_account(db, email, &hash).await
}

async fn insert_account(db: &Db, email: &Email, hash: &str) -> Result<String, AppError> {
    let (id, now) = (new_id(), db.now_ms());
    let mut tx = db.begin_write().await?;
    // An admin may be inviting this email right now (partners::attach_user).
    db.lock_key(&mut tx, &email_lock_key(email.as_str())).await?;
    if let Err(e) = users::insert(&mut *tx, &id, email.as_str(), hash, false, now).await {
        return Err(if is_unique_violation(&e) {
            AppError::invalid("email", "An account with this email already exists. Log in instead.")
        } else {
            e.into()
        });
    }
    db::partners::accept_invitations(&mut tx, email.as_str(), &id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Checks the rate limits, then the password. Unknown email and wrong password
/// give the same error after the same amount of work. Only attempts whose password was
/// checked count as failures, and only against the account from this client's network.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn login(
    db: &Db,
    gate: &Gatekeeper,
    ip: &str,
    email: &str,
    password: String,
) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    if !gate.login_per_ip.allow(ip) || gate.login_backoff.wait(&email, ip).is_some() {
        return Err(AppError::RateLimited);
    }
    let found = users::credentials_by_email(&db.pool, &email).await?;
    let (id, hash) = match found {
        Some(c) => (Some(c.id), Some(c.password_hash)),
        None => (None, None),
    };
    match (gate.hashing.admit(Purpose::SignIn, password::verify(password, hash)).await?, id) {
        (true, Some(id)) => {
            gate.login_backoff.succeeded(&email, ip);
            Ok(id)
        }
        _ => {
            gate.login_backoff.failed(&email, ip);
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Creates a platform admin, or promotes and re-passwords an existing user.
pub async fn upsert_admin(db: &Db, email: &Email, password: &Password) -> Result<(), AppError> {
    let hash = password::hash(password.expose().to_string()).await?;
    let mut tx = db.begin_write().await?;
    match users::by_email(&mut *tx, email.as_str()).await? {
        Some(user) => users::set_password_and_admin(&mut *tx, &user.id, &hash).await?,
        None => users::insert(&mut *tx, &new_id(), email.as_str(), &hash, true, db.now_ms()).await?,
    }
    tx.commit().await?;
    Ok(())
}

/// Where to send someone who just logged in or registered: `next`, already checked
/// by `auth::redirect::local_target`, or the viewer's home.
pub fn landing_for(viewer: &Viewer, next: Option<&str>) -> String {
    next.map(str::to_string).unwrap_or_else(|| viewer.home().to_string())
}

/// The advisory-lock key of everything decided about one email address.
pub fn email_lock_key(email: &str) -> String {
    format!("email:{email}")
}
