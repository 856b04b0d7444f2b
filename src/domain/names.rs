use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::FieldError;

/// A human-facing name: workspace, partner, plan, link label.
///
/// Trimmed, non-empty, bounded, and free of control characters and Unicode
/// direction overrides, because these names are shown to other people (admins,
/// partners) where an embedded newline or a right-to-left override could
/// disguise what they are looking at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisplayName(String);

pub const WORKSPACE_NAME_MAX: usize = 80;
pub const PARTNER_NAME_MAX: usize = 80;
pub const PLAN_NAME_MAX: usize = 60;
pub const LINK_LABEL_MAX: usize = 60;

impl DisplayName {
    /// `field` is the form field name (`workspace_name`); messages use it in
    /// human form ("Workspace name can't be empty"). `max_len` counts
    /// characters, not bytes, so accented names get the same room.
    pub fn parse(field: &'static str, input: &str, max_len: usize) -> Result<DisplayName, FieldError> {
        let label = humanize(field);
        let err = |m: String| Err(FieldError::new(field, m));
        let s = input.trim();
        if s.is_empty() {
            return err(format!("{label} can't be empty"));
        }
        if s.chars().any(is_forbidden) {
            return err(format!("{label} can't contain line breaks, tabs or other control characters"));
        }
        if s.chars().count() > max_len {
            return err(format!("{label} can be at most {max_len} characters"));
        }
        Ok(DisplayName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Free text of several lines (a listing description): trimmed, bounded, line breaks
/// and tabs allowed (CRLF becomes LF), every other control character refused: a NUL
/// or an escape sequence stored here would reach other people's screens and exports.
pub fn parse_long_text(field: &'static str, input: &str, max_len: usize) -> Result<String, FieldError> {
    let label = humanize(field);
    let text = input.trim().replace("\r\n", "\n");
    if text.chars().any(|c| is_forbidden(c) && c != '\n' && c != '\t') {
        return Err(FieldError::new(field, format!("{label} can't contain control characters")));
    }
    if text.chars().count() > max_len {
        return Err(FieldError::new(field, format!("{label} can be at most {max_len} characters")));
    }
    Ok(text)
}

fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `workspace_name` → `Workspace name`.
fn humanize(field: &str) -> String {
    let spaced = field.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Name".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn long_text_keeps_lines_and_refuses_other_control_characters() {
        assert_eq!(parse_long_text("description", " a\r\nb\tc ", 100).unwrap(), "a\nb\tc");
        assert!(parse_long_text("description", "a\0b", 100).is_err());
        assert!(parse_long_text("description", "a\u{1b}[31m", 100).is_err());
        assert!(parse_long_text("description", "abc", 2).is_err());
    }

    fn rejected(input: &str, max: usize) -> FieldError {
        DisplayName::parse("workspace_name", input, max).expect_err(input)
    }

    #[test]
    fn ordinary_names_are_accepted_and_trimmed() {
        let n = DisplayName::parse("workspace_name", "  Acme Inc.  ", 80).unwrap();
        assert_eq!(n.as_str(), "Acme Inc.");
        assert_eq!(n.to_string(), "Acme Inc.");
        assert!(DisplayName::parse("partner_name", "Zoë & Co — Studio 東京", 80).is_ok());
    }

    #[test]
    fn empty_names_are_rejected_with_the_field_named() {
        let e = rejected("   ", 80);
        assert_eq!(e.field, "workspace_name");
        assert_eq!(e.message, "Workspace name can't be empty");
    }

    #[test]
    fn names_longer_than_the_limit_are_rejected() {
        assert!(DisplayName::parse("plan_name", &"é".repeat(60), 60).is_ok());
        let e = DisplayName::parse("plan_name", &"é".repeat(61), 60).unwrap_err();
        assert_eq!(e.field, "plan_name");
        assert_eq!(e.message, "Plan name can be at most 60 characters");
    }

    #[test]
    fn control_characters_and_direction_overrides_are_rejected() {
        for s in ["Acme\nInc", "Acme\tInc", "Acme\u{0}", "Acme\u{202E}cnI", "a\u{2066}b"] {
            assert!(rejected(s, 80).message.contains("control characters"), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn accepted_names_are_trimmed_bounded_and_clean(s in "\\PC{0,100}") {
            if let Ok(n) = DisplayName::parse("name", &s, 50) {
                prop_assert_eq!(n.as_str(), n.as_str().trim());
                prop_assert!(!n.as_str().is_empty());
                prop_assert!(n.as_str().chars().count() <= 50);
                prop_assert!(!n.as_str().chars().any(is_forbidden));
            }
        }
    }
}
