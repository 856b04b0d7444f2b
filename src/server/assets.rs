//! The compiled front end under `/pkg` (wasm, JS, CSS): served with a precompressed
//! variant when the client accepts one, and a cache lifetime that matches the names:
//! hashed names never change content, so they are cached for a year; plain names are
//! revalidated on every use.
use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use leptos::config::LeptosOptions;
use tower_http::services::ServeDir;

use super::compress;

/// Files above this size are left to on-the-fly compression (a debug build's wasm
/// modules are megabytes each, and brotli at quality 11 would take a core for minutes;
/// the largest release module is about 1 MB).
const PRECOMPRESS_MAX: u64 = 4 * 1024 * 1024;

pub fn pkg_dir(options: &LeptosOptions) -> PathBuf {
    Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

pub fn router(options: &LeptosOptions) -> Router {
    let files = ServeDir::new(pkg_dir(options)).precompressed_br().precompressed_gzip();
    Router::new().fallback_service(files).layer(from_fn(cache_by_name))
}

/// A year, immutable, for names with a content hash (`tributary.3fa9c1d2e4b5.wasm`);
/// otherwise revalidate each time (`Last-Modified`), since the content may change.
async fn cache_by_name(req: Request, next: Next) -> Response {
    let hashed = is_hashed_name(req.uri().path().rsplit('/').next().unwrap_or_default());
    let mut response = next.run(req).await;
    if response.status().is_success() {
        let lifetime = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(lifetime));
    }
    response
}

/// `stem.<hash>.ext`: a middle part of at least 8 letters, digits, `-` or `_`, with at least
/// one letter or digit (the split loader of an unhashed build is `__wasm_split.` + 22 `_` +
/// `.js`, a placeholder that keeps its name from build to build).
fn is_hashed_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    let is_hash = |p: &&str| {
        p.len() >= 8
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && p.bytes().any(|b| b.is_ascii_alphanumeric())
    };
    parts.len() >= 3 && parts[1..parts.len() - 1].iter().any(is_hash)
}

/// Writes `name.br` and `name.gz` beside each JS, wasm and CSS file that lacks a fresh
/// one, on the blocking pool. Until a variant exists, JS and CSS are compressed on the
/// fly and wasm goes uncompressed.
pub fn precompress_in_background(options: &LeptosOptions) {
    let dir = pkg_dir(options);
    // Now, before the first request: a variant older than its file is from an earlier
    // build, and ServeDir would serve it (with split modules, a stale one no longer fits
    // the main module and the page dies).
    remove_stale_variants(&dir);
    tokio::task::spawn_blocking(move || compress_each(&dir));
}

fn remove_stale_variants(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for variant in entries.flatten().map(|e| e.path()) {
        let is_variant = variant.extension().is_some_and(|e| e == "br" || e == "gz");
        let Some(source) = is_variant.then(|| variant.with_extension("")) else { continue };
        let stale = match std::fs::metadata(&source) {
            Ok(meta) => !is_fresh(&variant, &meta),
            Err(_) => true, // its file is gone
        };
        if stale && let Err(e) = std::fs::remove_file(&variant) {
            tracing::warn!(file = %variant.display(), error = %e, "removing a stale variant failed");
        }
    }
}

/// The same, now.
pub fn precompress_dir(dir: &Path) {
    remove_stale_variants(dir);
    compress_each(dir);
}

fn compress_each(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.flatten().map(|e| e.path()) {
        let wanted = path.extension().is_some_and(|e| e == "js" || e == "wasm" || e == "css");
        if wanted && let Err(e) = precompress(&path) {
            tracing::warn!(file = %path.display(), error = %e, "precompressing failed");
        }
    }
}

fn precompress(path: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > PRECOMPRESS_MAX {
        return Ok(()); // stale variants are gone already (remove_stale_variants)
    }
    let data = std::fs::read(path)?;
    write_if_stale(path, "br", &meta, || compress::brotli(&data, 11, 22))?;
    write_if_stale(path, "gz", &meta, || compress::gzip(&data, 9))
}

/// True when `variant` exists and is at least as new as its source.
fn is_fresh(variant: &Path, source: &std::fs::Metadata) -> bool {
    std::fs::metadata(variant).and_then(|m| Ok(m.modified()? >= source.modified()?)).unwrap_or(false)
}

/// Writes `path.ext` (through a temporary file and a rename, so a reader never sees
/// half a file) unless it is newer than the source.
fn write_if_stale(
    path: &Path,
    ext: &str,
    source: &std::fs::Metadata,
    compress: impl FnOnce() -> std::io::Result<Vec<u8>>,
) -> std::io::Result<()> {
    let target = PathBuf::from(format!("{}.{ext}", path.display()));
    if is_fresh(&target, source) {
        return Ok(());
    }
    let temporary = PathBuf::from(format!("{}.{ext}.tmp", path.display()));
    std::fs::write(&temporary, compress()?)?;
    std::fs::rename(&temporary, &target)
}

#[cfg(test)]
mod tests {
    use super::{PRECOMPRESS_MAX, is_hashed_name, precompress_dir};
    use std::time::{Duration, SystemTime};

    #[test]
    fn variants_older_than_their_file_are_removed_or_replaced() {
        let dir = std::env::temp_dir().join(format!("tributary-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
        let stale = |name: &str| {
            let variant = dir.join(name);
            std::fs::write(&variant, b"from an earlier build").unwrap();
            std::fs::File::options().write(true).open(&variant).unwrap().set_modified(an_hour_ago).unwrap();
            variant
        };
        std::fs::write(dir.join("big.wasm"), vec![7u8; PRECOMPRESS_MAX as usize + 1]).unwrap();
        std::fs::write(dir.join("small.js"), b"export const a = 1;").unwrap();
        let (big_br, small_br, orphan) = (stale("big.wasm.br"), stale("small.js.br"), stale("gone.wasm.gz"));

        precompress_dir(&dir);
        assert!(!big_br.exists(), "too big to precompress: the old variant must go");
        assert!(!orphan.exists(), "its file is gone");
        assert_ne!(std::fs::read(&small_br).unwrap(), b"from an earlier build", "recompressed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_names_with_a_hash_part_are_immutable() {
        assert!(is_hashed_name("tributary.3fa9c1d2e4b5a6f7.wasm"));
        assert!(is_hashed_name("tributary.Ab3_x-9QzLm.js"));
        assert!(!is_hashed_name("tributary_bg.wasm"));
        assert!(!is_hashed_name("tributary.js"));
        assert!(!is_hashed_name("tributary.wasm.br"));
        assert!(!is_hashed_name("__wasm_split.______________________.js"));
        assert!(!is_hashed_name("split_admin_area.wasm"));
    }
}
