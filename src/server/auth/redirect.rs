//! Where a browser may be sent after login or registration: only a page of this site.
//! The check parses with a URL library (the browser's rules, not ours): browsers strip
//! tabs and newlines and treat `\` as `/`, so `/\t/evil.example` becomes
//! `//evil.example`, another host. Anything that needs such leniency is refused.
use url::{Position, Url};

use crate::domain::error::FieldError;

const MESSAGE: &str = "The page to return to must be an address on this site.";

/// The normalised same-site path (with query and fragment) for `next`, `None` when
/// there is none, or a 400-worthy error. Called before anything is written, so a bad
/// `next` changes nothing.
pub fn local_target(next: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(next) = next.filter(|n| !n.is_empty()) else { return Ok(None) };
    let refuse = || FieldError::new("next", MESSAGE);
    // Control characters (tab, CR, LF, NUL…) and backslashes are never part of a path
    // we hand out; CR/LF would also break the Location header.
    if next.chars().any(|c| c.is_control() || c == '\\') {
        return Err(refuse());
    }
    if !next.starts_with('/') || next.starts_with("//") {
        return Err(refuse());
    }
    let base = Url::parse("http://tributary.invalid/").expect("a valid constant URL");
    let target = base.join(next).map_err(|_| refuse())?;
    if target.origin() != base.origin() {
        return Err(refuse());
    }
    Ok(Some(target[Position::BeforePath..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::local_target;

    fn ok(next: &str) -> String {
        local_target(Some(next)).unwrap().unwrap()
    }

    #[test]
    fn site_paths_are_followed_normalised() {
        assert_eq!(ok("/admin"), "/admin");
        assert_eq!(ok("/register?ref=abc"), "/register?ref=abc");
        assert_eq!(ok("/a/../partners#x"), "/partners#x");
        assert_eq!(local_target(None).unwrap(), None);
        assert_eq!(local_target(Some("")).unwrap(), None);
    }

    #[test]
    fn other_hosts_and_tricks_are_refused() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "\t//evil.example",
            "https://evil.example",
            "evil.example",
            "/x\r\nSet-Cookie: a=b",
            "/x\0",
            "javascript:alert(1)",
            " /admin",
        ] {
            assert!(local_target(Some(bad)).is_err(), "{bad:?}");
        }
    }
}
