use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::model::error::{AppError, internal};

/// argon2id with the OWASP minimum: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Hashing takes ~50 ms of CPU: run it off the async worker threads.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| internal("hash task", e))?
        .map_err(|e| internal("hash password", e))
}

/// A hash of nothing anyone knows, verified when the email is unknown so that an
/// unknown email and a wrong password cost the same time.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_blocking("decoy password that nobody has").unwrap_or_default())
}

/// True only when `stored` is Some and matches. Always does one full verification.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| decoy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&hash) else { return false };
        let matches = argon2().verify_password(password.as_bytes(), &parsed).is_ok();
        known && matches
    })
    .await
    .unwrap_or(false)
}

/// What a hash is for. Each kind waits in its own queue, so a registration flood can
/// delay registrations but never the logins of people who already have an account.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    SignIn,
    SignUp,
}

/// Bounds password hashing: each hash holds 19 MiB for ~50 ms of a core, so unbounded
/// concurrency turns a burst of requests into gigabytes of memory and minutes of queue.
/// At most `parallel` hashes per purpose run at once (one per core); up to
/// `max_waiting` more queue; beyond that the request is refused as busy (503 with
/// `Retry-After`) instead of waiting.
pub struct HashGate {
    sign_in: Queue,
    sign_up: Queue,
}

struct Queue {
    running: tokio::sync::Semaphore,
    waiting: std::sync::atomic::AtomicUsize,
    max_waiting: usize,
}

impl HashGate {
    pub fn new(parallel: usize, max_waiting: usize) -> Self {
        let queue = || Queue {
            running: tokio::sync::Semaphore::new(parallel.max(1)),
            waiting: Default::default(),
            max_waiting,
        };
        Self { sign_in: queue(), sign_up: queue() }
    }

    /// One slot per core, and a queue a core clears in well under a second.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        Self::new(cores, 8 * cores)
    }

    /// Runs `work` (a hash or a verification) when a slot is free.
    pub async fn admit<T>(&self, purpose: Purpose, work: impl Future<Output = T>) -> Result<T, AppError> {
        use std::sync::atomic::Ordering::SeqCst;
        let queue = match purpose {
            Purpose::SignIn => &self.sign_in,
            Purpose::SignUp => &self.sign_up,
        };
        let permit = match queue.running.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                if queue.waiting.fetch_add(1, SeqCst) >= queue.max_waiting {
                    queue.waiting.fetch_sub(1, SeqCst);
                    return Err(AppError::Busy);
                }
                let permit = queue.running.acquire().await;
                queue.waiting.fetch_sub(1, SeqCst);
                permit.map_err(|e| internal("hash gate", e))?
            }
        };
        let out = work.await;
        drop(permit);
        Ok(out)
    }
}
