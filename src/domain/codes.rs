use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::FieldError;

/// A partner's referral code, as it appears in `/register?ref=<code>`.
///
/// Restricted to ASCII letters, digits, `-` and `_` so that it never needs URL
/// escaping and cannot be confused with look-alike Unicode. The owner's
/// capitalisation is kept for display; uniqueness and lookup use [`key`],
/// so `Acme` and `acme` are the same code.
///
/// [`key`]: ReferralCode::key
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReferralCode(String);

pub const CODE_MIN_LEN: usize = 3;
pub const CODE_MAX_LEN: usize = 32;

/// Room left for `-` plus a random suffix when a suggested code is taken.
const SUGGESTION_MAX_LEN: usize = 24;

const FIELD: &str = "code";

impl ReferralCode {
    pub fn parse(input: &str) -> Result<ReferralCode, FieldError> {
        let err = |m: String| Err(FieldError::new(FIELD, m));
        let s = input.trim();
        if s.is_empty() {
            return err("Enter a referral code".into());
        }
        if let Some(bad) = s.chars().find(|&c| !is_code_char(c)) {
            return err(if bad.is_whitespace() {
                "Referral codes can't contain spaces; use - or _ instead".into()
            } else if bad.is_control() {
                "Referral codes can only use letters, numbers, - and _".into()
            } else {
                format!("Referral codes can only use letters, numbers, - and _ (not \"{bad}\")")
            });
        }
        // All ASCII from here, so bytes == characters.
        if s.len() < CODE_MIN_LEN {
            return err(format!("Referral code must be at least {CODE_MIN_LEN} characters"));
        }
        if s.len() > CODE_MAX_LEN {
            return err(format!("Referral code can be at most {CODE_MAX_LEN} characters"));
        }
        Ok(ReferralCode(s.to_owned()))
    }

    /// The code as its owner typed it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lowercased form used for uniqueness and lookups.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for ReferralCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ReferralCode {
    type Error = FieldError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        ReferralCode::parse(&s)
    }
}

impl From<ReferralCode> for String {
    fn from(c: ReferralCode) -> String {
        c.0
    }
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A valid code derived from a partner's name, e.g. "Zoë & Co. Studio" →
/// `zoe-co-studio`.
///
/// At most 24 characters so that [`code_with_suffix`] can add a random suffix
/// when the code is already taken; very short names are padded so the result
/// is always at least 3 characters.
pub fn suggest_default_code(partner_name: &str) -> String {
    let mut slug = slugify(partner_name);
    truncate_slug(&mut slug, SUGGESTION_MAX_LEN);
    if slug.is_empty() {
        return "partner".into();
    }
    if slug.len() < CODE_MIN_LEN {
        slug.push_str("-partner");
    }
    slug
}

/// `base-suffix`, shortening `base` so the whole stays a valid code. Used to
/// retry after a conflict with a random suffix from the caller.
pub fn code_with_suffix(base: &str, suffix: &str) -> String {
    let mut suffix = slugify(suffix);
    truncate_slug(&mut suffix, CODE_MAX_LEN - 1 - CODE_MIN_LEN);
    let mut base = slugify(base);
    if base.is_empty() {
        base.push_str("partner");
    }
    if suffix.is_empty() {
        truncate_slug(&mut base, CODE_MAX_LEN);
        return suggest_min_len(base);
    }
    truncate_slug(&mut base, CODE_MAX_LEN - 1 - suffix.len());
    if base.is_empty() {
        base.push_str("ref");
    }
    suggest_min_len(format!("{base}-{suffix}"))
}

fn suggest_min_len(mut s: String) -> String {
    if s.len() < CODE_MIN_LEN {
        s.push_str("-partner");
    }
    s
}

/// Lowercase ASCII letters and digits; every other run of characters becomes a
/// single `-`. Common accented Latin letters are folded to their plain form
/// first, so names in most European languages keep a readable code.
fn slugify(input: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in input.chars().flat_map(char::to_lowercase) {
        let piece: Option<&str> = if c.is_ascii_alphanumeric() {
            None
        } else {
            match fold_latin(c) {
                Some(folded) => Some(folded),
                None => {
                    pending_dash = true;
                    continue;
                }
            }
        };
        if pending_dash && !out.is_empty() {
            out.push('-');
        }
        pending_dash = false;
        match piece {
            None => out.push(c),
            Some(p) => out.push_str(p),
        }
    }
    out
}

fn truncate_slug(s: &mut String, max: usize) {
    // Slugs are ASCII, so truncating at a byte index is safe.
    s.truncate(max);
    while s.ends_with('-') {
        s.pop();
    }
}

fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' | 'ĺ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rejected(s: &str) -> String {
        let e = ReferralCode::parse(s).expect_err(s);
        assert_eq!(e.field, "code");
        e.message
    }

    #[test]
    fn letters_digits_dashes_and_underscores_are_accepted() {
        for s in ["abc", "Acme-2026", "spring_sale", "A1-b2_C3", &"x".repeat(32)] {
            assert_eq!(ReferralCode::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_and_case_is_kept_for_display() {
        let code = ReferralCode::parse("  AcmeCo \n").unwrap();
        assert_eq!(code.as_str(), "AcmeCo");
        assert_eq!(code.to_string(), "AcmeCo");
    }

    #[test]
    fn key_ignores_case_so_codes_differing_only_in_case_collide() {
        let a = ReferralCode::parse("AcmeCo").unwrap();
        let b = ReferralCode::parse("acmeco").unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.key(), "acmeco");
    }

    #[test]
    fn empty_short_and_long_codes_are_rejected() {
        assert_eq!(rejected(""), "Enter a referral code");
        assert_eq!(rejected("   "), "Enter a referral code");
        assert_eq!(rejected("ab"), "Referral code must be at least 3 characters");
        assert_eq!(rejected(&"x".repeat(33)), "Referral code can be at most 32 characters");
    }

    #[test]
    fn spaces_symbols_and_non_ascii_letters_are_rejected() {
        assert!(rejected("my code").contains("can't contain spaces"));
        assert!(rejected("acme!").contains("(not \"!\")"));
        assert!(rejected("zoë").contains("(not \"ë\")"));
        assert!(rejected("a/b/c").contains("letters, numbers"));
        assert!(rejected("abc\u{0}").contains("letters, numbers"));
        assert!(rejected("%2e%2e").contains("letters, numbers"));
    }

    #[test]
    fn deserializing_an_invalid_code_fails() {
        assert!(ReferralCode::try_from("no way".to_string()).is_err());
        assert!(ReferralCode::try_from("fine".to_string()).is_ok());
    }

    #[test]
    fn suggested_codes_are_readable_slugs_of_the_name() {
        assert_eq!(suggest_default_code("Acme Corp"), "acme-corp");
        assert_eq!(suggest_default_code("  Zoë & Co. Studio!  "), "zoe-co-studio");
        assert_eq!(suggest_default_code("Straße Ærø"), "strasse-aero");
        assert_eq!(suggest_default_code("O'Brien_Partners"), "o-brien-partners");
    }

    #[test]
    fn suggested_codes_are_padded_when_the_name_is_too_short() {
        assert_eq!(suggest_default_code("Al"), "al-partner");
        assert_eq!(suggest_default_code(""), "partner");
        assert_eq!(suggest_default_code("日本語"), "partner");
        assert_eq!(suggest_default_code("!!!"), "partner");
    }

    #[test]
    fn suggested_codes_leave_room_for_a_conflict_suffix() {
        let long = suggest_default_code("The Very Long Agency Name Of Great Renown");
        assert!(long.len() <= 24, "{long}");
        assert!(!long.ends_with('-'));
        let retried = code_with_suffix(&long, "x7k2q9");
        assert!(retried.ends_with("-x7k2q9"));
        assert!(ReferralCode::parse(&retried).is_ok());
    }

    #[test]
    fn code_with_suffix_shortens_the_base_to_stay_valid() {
        let code = code_with_suffix(&"a".repeat(40), "abcdef");
        assert_eq!(code.len(), 32);
        assert!(code.ends_with("-abcdef"));
        assert_eq!(code_with_suffix("acme", ""), "acme");
        assert_eq!(code_with_suffix("", "9f"), "partner-9f");
    }

    proptest! {
        #[test]
        fn every_suggestion_is_a_valid_code(name in "\\PC{0,80}") {
            let code = suggest_default_code(&name);
            prop_assert!(ReferralCode::parse(&code).is_ok(), "{:?} -> {:?}", name, code);
            prop_assert!(code.len() <= 24);
        }

        #[test]
        fn every_suffixed_code_is_valid(base in "\\PC{0,60}", suffix in "\\PC{0,40}") {
            let code = code_with_suffix(&base, &suffix);
            prop_assert!(ReferralCode::parse(&code).is_ok(), "{:?}+{:?} -> {:?}", base, suffix, code);
        }

        #[test]
        fn valid_codes_parse_to_themselves(s in "[A-Za-z0-9_-]{3,32}") {
            prop_assert_eq!(ReferralCode::parse(&s).map(|c| c.into_string()), Ok(s));
        }
    }
}
