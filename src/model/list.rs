//! The one shape of a list view's URL: search, filters, sort and page as query parameters
//! (`?q=&status=&sort=&page=`, plus a time window `on=&from=&to=` and `referred=1` where a
//! list has them), so a view can be bookmarked and the back button works. The server
//! reads it (`server::db::list`), the pages build it from the URL (`ui::list`).
use serde::{Deserialize, Serialize};

/// Rows per page of every paginated list.
pub const PER_PAGE: i64 = 25;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Search text (names, emails), as typed.
    #[serde(default)]
    pub q: String,
    /// A status filter, as the list's enum spells it (`ACTIVE`, `pending`); empty = all.
    #[serde(default)]
    pub status: String,
    /// A sort key the list offers; empty = its default.
    #[serde(default)]
    pub sort: String,
    /// 1-based.
    #[serde(default)]
    pub page: i64,
    /// Which date the window applies to (`signup`, `conversion`); empty = none.
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub from: Option<i64>,
    #[serde(default)]
    pub to: Option<i64>,
    /// Only referred rows.
    #[serde(default)]
    pub referred: bool,
}

impl ListQuery {
    /// The page, at least 1.
    pub fn page(&self) -> i64 {
        self.page.max(1)
    }

    /// `limit, offset` of the page.
    pub fn limit_offset(&self) -> (i64, i64) {
        (PER_PAGE, (self.page() - 1).saturating_mul(PER_PAGE))
    }

    /// The query string of this view (empty values left out), with `page` replaced.
    pub fn to_query_string(&self, page: i64) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |k: &str, v: String| {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(&v)));
            }
        };
        push("q", self.q.clone());
        push("status", self.status.clone());
        push("sort", self.sort.clone());
        push("on", self.on.clone());
        push("from", self.from.map(|v| v.to_string()).unwrap_or_default());
        push("to", self.to.map(|v| v.to_string()).unwrap_or_default());
        push("referred", if self.referred { "1".into() } else { String::new() });
        if page > 1 {
            push("page", page.to_string());
        }
        parts.join("&")
    }

    /// Reads the view from URL query parameters (unknown or malformed values ignored).
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        ListQuery {
            q: get("q").unwrap_or_default(),
            status: get("status").unwrap_or_default(),
            sort: get("sort").unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            on: get("on").unwrap_or_default(),
            from: get("from").and_then(|p| p.parse().ok()),
            to: get("to").and_then(|p| p.parse().ok()),
            referred: get("referred").is_some_and(|v| v == "1"),
        }
    }

    /// The `like` pattern of the search (lowercase, wildcards escaped), or empty.
    pub fn like_pattern(&self) -> String {
        let q = self.q.trim().to_lowercase();
        if q.is_empty() {
            return String::new();
        }
        let escaped: String = q
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        format!("%{escaped}%")
    }
}

/// One page of a list and how many rows match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_round_trips_through_its_query_string() {
        let view = ListQuery {
            q: "Blue Bakery & co".into(),
            status: "ACTIVE".into(),
            sort: "name".into(),
            page: 3,
            on: "signup".into(),
            from: Some(10),
            to: Some(20),
            referred: true,
        };
        let qs = view.to_query_string(3);
        let pairs: Vec<(String, String)> = qs
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), percent_decode(v))
            })
            .collect();
        let back = ListQuery::from_params(|k| pairs.iter().find(|p| p.0 == k).map(|p| p.1.clone()));
        assert_eq!(back, view);
        assert_eq!(back.limit_offset(), (PER_PAGE, 2 * PER_PAGE));
        assert!(!view.to_query_string(1).contains("page="));
    }

    #[test]
    fn search_wildcards_are_literal() {
        let q = ListQuery { q: " 50%_Off ".into(), ..Default::default() };
        assert_eq!(q.like_pattern(), "%50\\%\\_off%");
        assert_eq!(ListQuery::default().like_pattern(), "");
        assert_eq!(ListQuery { page: -4, ..Default::default() }.page(), 1);
    }

    fn percent_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
