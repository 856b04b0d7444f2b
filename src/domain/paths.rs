//! Site paths that carry where to go next (`?next=`), built the same way on the server
//! (the login redirect) and in the browser (links that continue after signing up).

/// Percent-encodes everything but RFC 3986 unreserved characters, so a path with its own
/// query survives as one query value.
pub fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `path` with `next` as its `next` query value; an empty `next` adds nothing.
pub fn with_next(path: &str, next: &str) -> String {
    if next.is_empty() { path.to_string() } else { format!("{path}?next={}", encode_component(next)) }
}

#[cfg(test)]
mod tests {
    use super::{encode_component, with_next};

    #[test]
    fn next_paths_are_encoded_whole() {
        assert_eq!(encode_component("/admin?x=1&y"), "%2Fadmin%3Fx%3D1%26y");
    }

    #[test]
    fn a_next_that_carries_its_own_next_nests() {
        let inner = with_next("/onboarding/workspace", "/marketplace/kit");
        assert_eq!(inner, "/onboarding/workspace?next=%2Fmarketplace%2Fkit");
        assert_eq!(
            with_next("/register", &inner),
            "/register?next=%2Fonboarding%2Fworkspace%3Fnext%3D%252Fmarketplace%252Fkit"
        );
        assert_eq!(with_next("/register", ""), "/register");
    }
}
