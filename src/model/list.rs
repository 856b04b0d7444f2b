//! The one shape of a list view's URL: search, filters, sort and page as query parameters
//! (`?q=&status=&sort=&page=`, plus a time window `on=&from=&to=` and `referred=1` where a
//! list has them), so a view can be bookmarked and the back button works. The server
//! reads it (`server::db::list`), the pages build it from the URL (`ui::list`).
use serde::{Deserialize, Serialize};

use crate::domain::roles::TextEnum;
use crate::model::AppError;

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
    /// A second enum filter where a list has one (a referral's source, a code's flavor,
    /// an entry's kind); empty = all.
    #[serde(default)]
    pub kind: String,
    /// Only this partner's rows (a partner id), where an admin list offers it.
    #[serde(default)]
    pub partner: String,
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
        push("kind", self.kind.clone());
        push("partner", self.partner.clone());
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
            kind: get("kind").unwrap_or_default(),
            partner: get("partner").unwrap_or_default(),
            sort: get("sort").unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            on: get("on").unwrap_or_default(),
            from: get("from").and_then(|p| p.parse().ok()),
            to: get("to").and_then(|p| p.parse().ok()),
            referred: get("referred").is_some_and(|v| v == "1"),
        }
    }

    /// The status filter as the list's enum: `None` for all; an unknown value is a 400
    /// that names the choices (a filter silently ignored would show the wrong rows).
    pub fn status_as<E: TextEnum>(&self) -> Result<Option<E>, AppError> {
        filter("status", &self.status)
    }

    /// The `kind` filter as the list's enum, like [`ListQuery::status_as`].
    pub fn kind_as<E: TextEnum>(&self) -> Result<Option<E>, AppError> {
        filter("kind", &self.kind)
    }

    /// True when the view narrows the list (search or any filter), so an empty page means
    /// "nothing matches" rather than "nothing yet".
    pub fn is_filtered(&self) -> bool {
        !(self.q.trim().is_empty()
            && self.status.is_empty()
            && self.kind.is_empty()
            && self.partner.is_empty()
            && self.on.is_empty()
            && !self.referred)
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
    /// The page `q` asked for, holding `rows` of `total`.
    pub fn new(rows: Vec<T>, total: i64, q: &ListQuery) -> Self {
        Page { rows, total, page: q.page(), per_page: PER_PAGE }
    }

    /// The 1-based positions of the first and last row shown ("1–25 of 339"); 0–0 when
    /// nothing matches.
    pub fn shown_range(&self) -> (i64, i64) {
        let before = (self.page - 1) * self.per_page;
        let first = if self.total == 0 { 0 } else { before + 1 };
        (first, (before + self.rows.len() as i64).max(0))
    }

    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

fn filter<E: TextEnum>(field: &str, value: &str) -> Result<Option<E>, AppError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    E::parse_text(value).map(Some).ok_or_else(|| {
        let choices: Vec<&str> = E::all().iter().map(|v| v.as_str()).collect();
        let shown: String = value.chars().take(40).collect();
        AppError::invalid(field, format!("Unknown {field} {shown:?}: use one of {}.", choices.join(", ")))
    })
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
            kind: "link".into(),
            partner: "p-1".into(),
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

    #[test]
    fn an_unknown_status_is_a_clear_400_and_an_empty_one_is_all() {
        use crate::domain::roles::PayoutStatus;
        let q = |s: &str| ListQuery { status: s.into(), ..Default::default() };
        assert_eq!(q("").status_as::<PayoutStatus>(), Ok(None));
        assert_eq!(q(" PAID ").status_as::<PayoutStatus>(), Ok(Some(PayoutStatus::Paid)));
        let err = q("lost").status_as::<PayoutStatus>().unwrap_err();
        assert_eq!(err.status(), 400);
        assert_eq!(
            err.for_field("status").unwrap(),
            "Unknown status \"lost\": use one of pending, processing, paid, failed."
        );
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
