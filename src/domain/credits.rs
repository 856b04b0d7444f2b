//! Platform credits (DOMAIN decision 6: 1 credit = 1 cent of platform value). A
//! workspace's credits are an append-only ledger; the balance is the sum of its entries.
use serde::{Deserialize, Serialize};

use super::error::FieldError;
use super::roles::text_enum;

text_enum! {
    /// Why a credit entry exists. Grants are positive; `spend`, `expiry` and `void` are
    /// negative; an admin adjustment is either.
    CreditKind, "snake_case" {
        InviteGrant => "invite_grant", "Invite code";
        InviterGrant => "inviter_grant", "Friend joined";
        CreditCommission => "credit_commission", "Partner credit commission";
        AdminAdjustment => "admin_adjustment", "Adjustment";
        Spend => "spend", "Spent";
        Expiry => "expiry", "Expired";
        Void => "void", "Voided";
    }
}

/// The largest single grant or adjustment an admin can type (10 million credits).
pub const MAX_ADJUSTMENT: i64 = 10_000_000;

/// A whole number of credits, as an admin types it: `500`, `-250`, `+1,000`.
pub fn parse_credits(field: &'static str, input: &str) -> Result<i64, FieldError> {
    let cleaned: String = input.trim().chars().filter(|c| *c != ',' && *c != '_' && *c != ' ').collect();
    let cleaned = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    if cleaned.is_empty() {
        return Err(FieldError::new(field, "Enter a number of credits."));
    }
    let value: i64 = cleaned
        .parse()
        .map_err(|_| FieldError::new(field, "Credits are a whole number, like 500 or -250."))?;
    if value.abs() > MAX_ADJUSTMENT {
        return Err(FieldError::new(field, format!("At most {MAX_ADJUSTMENT} credits at a time.")));
    }
    Ok(value)
}

/// A credit amount that may not be negative (a grant per code), within `max`.
pub fn parse_grant(field: &'static str, input: &str, max: i64) -> Result<i64, FieldError> {
    let value = parse_credits(field, input)?;
    if value < 0 {
        return Err(FieldError::new(field, "Credits to grant can't be negative."));
    }
    if value > max {
        return Err(FieldError::new(field, format!("At most {max} credits.")));
    }
    Ok(value)
}

/// `1,250 credits`
pub fn format_credits(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount < 0 { "-" } else { "" };
    let unit = if amount.abs() == 1 { "credit" } else { "credits" };
    format!("{sign}{grouped} {unit}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotEnoughCredits {
    pub balance: i64,
    pub deduction: i64,
}

/// May this adjustment be applied to `balance`? A deduction never takes a balance below
/// zero unless the admin said so explicitly.
pub fn check_adjustment(balance: i64, amount: i64, allow_negative: bool) -> Result<(), NotEnoughCredits> {
    if amount < 0 && !allow_negative && balance.saturating_add(amount) < 0 {
        Err(NotEnoughCredits { balance, deduction: -amount })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_use_snake_case_text() {
        let texts: Vec<_> = CreditKind::all().iter().map(|k| k.as_str()).collect();
        assert_eq!(
            texts,
            [
                "invite_grant",
                "inviter_grant",
                "credit_commission",
                "admin_adjustment",
                "spend",
                "expiry",
                "void"
            ]
        );
        for k in CreditKind::all() {
            assert_eq!(CreditKind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn credits_parse_with_signs_and_separators() {
        assert_eq!(parse_credits("amount", "500"), Ok(500));
        assert_eq!(parse_credits("amount", " -1,250 "), Ok(-1_250));
        assert_eq!(parse_credits("amount", "+20"), Ok(20));
        assert!(parse_credits("amount", "").is_err());
        assert!(parse_credits("amount", "1.5").is_err());
        assert!(parse_credits("amount", "ten").is_err());
        assert!(parse_credits("amount", "99999999999").is_err());
        assert_eq!(parse_credits("amount", "x").unwrap_err().field, "amount");
    }

    #[test]
    fn grants_are_never_negative_nor_over_the_limit() {
        assert_eq!(parse_grant("credits", "0", 100), Ok(0));
        assert!(parse_grant("credits", "-1", 100).is_err());
        assert!(parse_grant("credits", "101", 100).is_err());
    }

    #[test]
    fn a_deduction_stops_at_zero_unless_allowed() {
        assert!(check_adjustment(100, -100, false).is_ok());
        assert_eq!(
            check_adjustment(100, -101, false),
            Err(NotEnoughCredits { balance: 100, deduction: 101 })
        );
        assert!(check_adjustment(100, -101, true).is_ok());
        assert!(check_adjustment(-50, 10, false).is_ok());
    }

    #[test]
    fn credits_are_written_with_thousands_separators() {
        assert_eq!(format_credits(0), "0 credits");
        assert_eq!(format_credits(1), "1 credit");
        assert_eq!(format_credits(1_250), "1,250 credits");
        assert_eq!(format_credits(-1_000_000), "-1,000,000 credits");
    }
}
