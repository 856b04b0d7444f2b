use crate::api::AppError;
use crate::api::types::Viewer;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::server::auth::{limits::LoginLimits, password};
use crate::server::db::{self, Db, is_unique_violation, new_id, now_ms, users};

/// Creates an account and returns the new user's id.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn register(db: &Db, email: &Email, password: &Password) -> Result<String, AppError> {
    let hash = password::hash(password.expose().to_string()).await?;
    let (id, now) = (new_id(), now_ms());
    let mut tx = db.begin_write().await?;
    if let Err(e) = users::insert(&mut *tx, &id, email.as_str(), &hash, false, now).await {
        return Err(if is_unique_violation(&e) {
            AppError::invalid("email", "An account with this email already exists. Log in instead.")
        } else {
            e.into()
        });
    }
    db::partners::accept_invitations(&mut *tx, email.as_str(), &id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Checks the rate limits, then the password. Unknown email and wrong password
/// give the same error after the same amount of work.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn login(
    db: &Db,
    limits: &LoginLimits,
    ip: &str,
    email: &str,
    password: String,
) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    if !limits.allow(ip, &email) {
        return Err(AppError::RateLimited);
    }
    let found = users::credentials_by_email(&db.pool, &email).await?;
    let (id, hash) = match found {
        Some(c) => (Some(c.id), Some(c.password_hash)),
        None => (None, None),
    };
    match (password::verify(password, hash).await, id) {
        (true, Some(id)) => Ok(id),
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Creates a platform admin, or promotes and re-passwords an existing user.
pub async fn upsert_admin(db: &Db, email: &Email, password: &Password) -> Result<(), AppError> {
    let hash = password::hash(password.expose().to_string()).await?;
    let mut tx = db.begin_write().await?;
    match users::by_email(&mut *tx, email.as_str()).await? {
        Some(user) => users::set_password_and_admin(&mut *tx, &user.id, &hash).await?,
        None => users::insert(&mut *tx, &new_id(), email.as_str(), &hash, true, now_ms()).await?,
    }
    tx.commit().await?;
    Ok(())
}

/// Where to send someone who just logged in or registered.
pub fn landing_for(viewer: &Viewer, next: Option<&str>) -> String {
    match next.filter(|n| is_local_path(n)) {
        Some(next) => next.to_string(),
        None => viewer.home().to_string(),
    }
}

/// Only same-site paths: `/x` but never `//host` or `/\host` (open redirects).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert!(is_local_path("/admin"));
        assert!(is_local_path("/register?ref=abc"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
    }
}
