use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::FieldError;

/// A normalised email address: trimmed and lowercased.
///
/// Lowercased as a whole (not only the domain) because people type their own
/// address with random capitalisation, and two accounts for `Ann@x.com` and
/// `ann@x.com` would be a support problem, not a feature. The check is
/// deliberately shallow — the only real test of an address is sending to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// The longest address SMTP can carry (RFC 5321 path limit).
pub const EMAIL_MAX_LEN: usize = 254;

const FIELD: &str = "email";

impl Email {
    pub fn parse(input: &str) -> Result<Email, FieldError> {
        let err = |m: &str| Err(FieldError::new(FIELD, m));
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return err("Enter your email address");
        }
        if s.chars().count() > EMAIL_MAX_LEN {
            return err("That email address is too long (254 characters at most)");
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return err("Email address can't contain spaces");
        }
        let mut parts = s.split('@');
        let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
            (Some(l), Some(d), None) => (l, d),
            (_, None, _) => return err("Email address needs an @, like name@example.com"),
            _ => return err("Email address can only contain one @"),
        };
        if local.is_empty() {
            return err("Add the part before the @, like name@example.com");
        }
        let domain_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
        if !domain_ok {
            return err("Add a full domain after the @, like name@example.com");
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rejected(s: &str) -> String {
        let e = Email::parse(s).expect_err(s);
        assert_eq!(e.field, "email");
        e.message
    }

    #[test]
    fn ordinary_addresses_are_accepted() {
        for s in ["ann@example.com", "a.b+tag@mail.example.co.uk", "x@y.io"] {
            assert_eq!(Email::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        let e = Email::parse("  Ann.Lee@Example.COM \n").unwrap();
        assert_eq!(e.as_str(), "ann.lee@example.com");
        assert_eq!(e.domain(), "example.com");
    }

    #[test]
    fn empty_input_asks_for_an_address() {
        assert_eq!(rejected(""), "Enter your email address");
        assert_eq!(rejected("   "), "Enter your email address");
    }

    #[test]
    fn addresses_without_exactly_one_at_sign_are_rejected() {
        assert!(rejected("ann.example.com").contains("needs an @"));
        assert!(rejected("ann@b@example.com").contains("only contain one @"));
    }

    #[test]
    fn addresses_missing_a_local_part_or_a_dotted_domain_are_rejected() {
        assert!(rejected("@example.com").contains("before the @"));
        assert!(rejected("ann@").contains("domain"));
        assert!(rejected("ann@localhost").contains("domain"));
        assert!(rejected("ann@.com").contains("domain"));
        assert!(rejected("ann@example.").contains("domain"));
        assert!(rejected("ann@example..com").contains("domain"));
    }

    #[test]
    fn addresses_with_spaces_are_rejected() {
        assert!(rejected("ann lee@example.com").contains("spaces"));
        assert!(rejected("ann@exa\tmple.com").contains("spaces"));
    }

    #[test]
    fn addresses_longer_than_254_characters_are_rejected() {
        let at_limit = format!("{}@example.com", "a".repeat(254 - 12));
        assert!(Email::parse(&at_limit).is_ok());
        let over = format!("{}@example.com", "a".repeat(255 - 12));
        assert!(rejected(&over).contains("too long"));
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(s in "\\PC{0,60}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
            }
        }
    }
}
