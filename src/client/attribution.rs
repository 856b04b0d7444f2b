//! Keeps a visitor's referral alive across auth hops, redirects that drop the query
//! string, and browsers that drop cookies. The server's first-party cookies are the
//! source of truth; this code mirrors them into localStorage (gloo-storage) and a
//! cookie it writes itself (web-sys), and when the server cookie has gone missing it
//! asks the server to set it again from the copy (the server re-checks code and window).
use gloo_storage::{LocalStorage, Storage};

use super::cookies;
use crate::api::settings::restore_attribution;
use crate::domain::attribution::{DAY_MS, ShareTouch, Touch};

const REFERRAL: &str = "trib_ref";
const SHARE: &str = "trib_share";
/// Set by the server once a workspace has been bound: the copies have done their job.
const BOUND: &str = "trib_bound";
const STORED_REFERRAL: &str = "tributary.referral";
const STORED_SHARE: &str = "tributary.share";
const MIRROR_REFERRAL: &str = "trib_ref_copy";
const MIRROR_SHARE: &str = "trib_share_copy";
/// The mirror cookie's life; the server re-checks the real window on restore.
const MIRROR_DAYS: i64 = 400;

/// Runs once per page load after hydration.
pub fn keep_attribution() {
    if cookies::read(BOUND).is_some() {
        forget();
        return;
    }
    let referral = mirror(REFERRAL, STORED_REFERRAL, MIRROR_REFERRAL);
    let share = mirror(SHARE, STORED_SHARE, MIRROR_SHARE);
    if referral.is_none() && share.is_none() {
        return;
    }
    let touch = referral.filter(|v| Touch::decode(v).is_some()).unwrap_or_default();
    let share = share.filter(|v| ShareTouch::decode(v).is_some());
    leptos::task::spawn_local(async move {
        let _ = restore_attribution(touch, share).await;
    });
}

/// Copies the server cookie into storage; returns the kept copy only when the server
/// cookie is missing (so it needs restoring).
fn mirror(server_cookie: &str, storage_key: &str, mirror_cookie: &str) -> Option<String> {
    match cookies::read(server_cookie) {
        Some(value) => {
            let _ = LocalStorage::set(storage_key, &value);
            cookies::write(mirror_cookie, &value, MIRROR_DAYS * DAY_MS / 1000);
            None
        }
        None => LocalStorage::get::<String>(storage_key).ok().or_else(|| cookies::read(mirror_cookie)),
    }
}

fn forget() {
    LocalStorage::delete(STORED_REFERRAL);
    LocalStorage::delete(STORED_SHARE);
    for name in [MIRROR_REFERRAL, MIRROR_SHARE, BOUND] {
        cookies::remove(name);
    }
}
