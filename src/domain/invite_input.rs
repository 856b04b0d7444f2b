//! What an admin or a workspace owner types when making invite codes: counts, max uses,
//! an expiry date, metadata lines and email lists, each parsed once into plain values
//! with a message that names its field.
use super::dates::{MS_PER_DAY, days_from_civil};
use super::email::Email;
use super::error::FieldError;

/// Codes minted in one go.
pub const MAX_MINT: i64 = 500;
pub const MAX_EMAILS: usize = 200;
const MAX_METADATA_PAIRS: usize = 20;
const MAX_KEY_LEN: usize = 40;
const MAX_VALUE_LEN: usize = 200;

/// A whole number in `min..=max` from a form field.
pub fn parse_count(field: &'static str, input: &str, min: i64, max: i64) -> Result<i64, FieldError> {
    let value: i64 = input
        .trim()
        .parse()
        .map_err(|_| FieldError::new(field, format!("Enter a whole number from {min} to {max}.")))?;
    if !(min..=max).contains(&value) {
        return Err(FieldError::new(field, format!("Enter a whole number from {min} to {max}.")));
    }
    Ok(value)
}

/// Max uses: empty means unlimited; otherwise at least 1 and at most `cap`.
pub fn parse_max_uses(input: &str, cap: i64) -> Result<Option<i64>, FieldError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    parse_count("max_uses", input, 1, cap).map(Some).map_err(|_| {
        FieldError::new(
            "max_uses",
            format!("Max uses is a whole number from 1 to {cap}, or empty for unlimited."),
        )
    })
}

/// `2027-01-31` → the end of that day (UTC), which must be later than `now`. Empty: never.
pub fn parse_expiry(input: &str, now_ms: i64) -> Result<Option<i64>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError::new("expires_on", "Enter the expiry date as YYYY-MM-DD, like 2027-01-31.");
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (y, m, d): (i64, u32, u32) =
        (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    if !(2000..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return Err(bad());
    }
    let end_of_day = (days_from_civil(y, m, d) + 1) * MS_PER_DAY;
    if end_of_day <= now_ms {
        return Err(FieldError::new("expires_on", "The expiry date is in the past."));
    }
    Ok(Some(end_of_day))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One `key = value` (or `key: value`) per line; blank lines are skipped. Keys are
/// unique, up to 40 characters; values up to 200.
pub fn parse_metadata(input: &str) -> Result<Vec<(String, String)>, FieldError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (n, line) in input.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() {
            continue;
        }
        let bad = |why: &str| FieldError::new("metadata", format!("Metadata line {n}: {why}"));
        let split = line.find(['=', ':']).ok_or_else(|| bad("write it as key = value."))?;
        let (key, value) = (line[..split].trim(), line[split + 1..].trim());
        if key.is_empty() {
            return Err(bad("the key is missing."));
        }
        if key.chars().count() > MAX_KEY_LEN || value.chars().count() > MAX_VALUE_LEN {
            return Err(bad("keys can be 40 characters long and values 200."));
        }
        if pairs.iter().any(|(k, _)| k == key) {
            return Err(bad(&format!("the key \"{key}\" appears twice.")));
        }
        pairs.push((key.to_string(), value.to_string()));
    }
    if pairs.len() > MAX_METADATA_PAIRS {
        return Err(FieldError::new("metadata", format!("At most {MAX_METADATA_PAIRS} metadata lines.")));
    }
    Ok(pairs)
}

/// Addresses separated by lines, commas, semicolons or spaces; duplicates (ignoring case)
/// count once. An invalid address is named in the message.
pub fn parse_emails(input: &str) -> Result<Vec<Email>, FieldError> {
    let mut emails: Vec<Email> = Vec::new();
    for piece in input.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|p| !p.is_empty()) {
        let email = Email::parse(piece)
            .map_err(|_| FieldError::new("emails", format!("\"{piece}\" is not an email address.")))?;
        if !emails.contains(&email) {
            emails.push(email);
        }
    }
    if emails.len() > MAX_EMAILS {
        return Err(FieldError::new("emails", format!("At most {MAX_EMAILS} addresses at a time.")));
    }
    Ok(emails)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_1_2027: i64 = 1_798_761_600_000;

    #[test]
    fn max_uses_is_unlimited_when_empty_and_never_zero() {
        assert_eq!(parse_max_uses("", 10), Ok(None));
        assert_eq!(parse_max_uses(" 3 ", 10), Ok(Some(3)));
        assert_eq!(parse_max_uses("0", 10).unwrap_err().field, "max_uses");
        assert!(parse_max_uses("11", 10).is_err());
        assert!(parse_max_uses("-2", 10).is_err());
    }

    #[test]
    fn expiry_is_the_end_of_the_day_and_never_in_the_past() {
        assert_eq!(parse_expiry("", JAN_1_2027), Ok(None));
        assert_eq!(parse_expiry("2027-01-01", JAN_1_2027), Ok(Some(JAN_1_2027 + MS_PER_DAY)));
        assert_eq!(
            parse_expiry("2026-12-31", JAN_1_2027).unwrap_err().message,
            "The expiry date is in the past."
        );
        assert!(parse_expiry("2027-02-30", 0).is_err());
        assert!(parse_expiry("next week", 0).is_err());
        assert_eq!(parse_expiry("2027-13-01", 0).unwrap_err().field, "expires_on");
    }

    #[test]
    fn metadata_is_key_value_lines() {
        let pairs = parse_metadata("campaign = launch\n\nsource: newsletter\nnote=a=b").unwrap();
        assert_eq!(
            pairs,
            [
                ("campaign".to_string(), "launch".to_string()),
                ("source".to_string(), "newsletter".to_string()),
                ("note".to_string(), "a=b".to_string())
            ]
        );
        assert!(parse_metadata("just words").unwrap_err().message.contains("line 1"));
        assert!(parse_metadata("a=1\na=2").unwrap_err().message.contains("twice"));
        assert!(parse_metadata("=x").is_err());
        assert_eq!(parse_metadata(""), Ok(vec![]));
    }

    #[test]
    fn email_lists_split_on_any_separator_and_name_a_bad_address() {
        let emails = parse_emails("a@example.com, b@example.com\nA@example.com; c@example.com").unwrap();
        assert_eq!(emails.len(), 3);
        let bad = parse_emails("a@example.com\nnot-an-address").unwrap_err();
        assert_eq!(bad.field, "emails");
        assert!(bad.message.contains("not-an-address"));
    }
}
