use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::FieldError;

/// An amount of money in US cents.
///
/// Integer minor units so that sums and payouts are exact; there is no float
/// anywhere on the money path. Signed because ledger totals can go below zero
/// (a reversal after a payout), even though user-entered amounts never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

const FIELD: &str = "amount";

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// The largest amount a person may type: $1,000,000.00. Anything above it is
    /// almost certainly a typo (an extra zero, cents typed as dollars) and
    /// would be costly to act on.
    pub const MAX_INPUT: Cents = Cents(100_000_000);

    pub const fn get(self) -> i64 {
        self.0
    }

    /// Parses what a person types into a dollar input: `12`, `12.3`, `12.34`,
    /// `$1,234.50`. Strict about shape (so a typo is caught, not guessed at)
    /// but tolerant of the `$` and correctly grouped thousands separators that
    /// people copy from invoices.
    pub fn parse_dollars(input: &str) -> Result<Cents, FieldError> {
        let err = |m: &str| Err(FieldError::new(FIELD, m));
        let s = input.trim();
        if s.is_empty() {
            return err("Enter an amount, like 12.34");
        }
        let s = s.strip_prefix('$').map(str::trim_start).unwrap_or(s);
        if s.starts_with('-') {
            return err("Amount can't be negative");
        }
        if s.is_empty() {
            return err("Enter an amount after the $ sign, like $12.34");
        }
        match parse_hundredths(s, true) {
            Ok(Some(cents)) if cents <= Cents::MAX_INPUT.0 as u64 => Ok(Cents(cents as i64)),
            Ok(_) => err("Amount can't be more than $1,000,000.00"),
            Err(DecimalError::Shape) => err("Enter an amount using digits only, like 1234.56"),
            Err(DecimalError::NoWholePart) => err("Put a 0 before the decimal point, like 0.50"),
            Err(DecimalError::NoDecimals) => {
                err("Add cents after the decimal point, like 12.50, or remove the point")
            }
            Err(DecimalError::TooManyDecimals) => err("Amounts can have at most two decimal places (cents)"),
            Err(DecimalError::Grouping) => {
                err("Check the commas: use them between groups of three digits, like 1,234.50")
            }
        }
    }

    /// Plain `1234.56` for pre-filling an input, so that what the form shows
    /// parses back to the same amount.
    pub fn dollars_input(&self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// `None` instead of wrapping: a silently overflowed balance is worse than
    /// a failed request.
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    pub fn checked_sub(self, other: Cents) -> Option<Cents> {
        self.0.checked_sub(other.0).map(Cents)
    }

    /// Sums ledger entries, failing on overflow rather than wrapping.
    pub fn checked_sum<I: IntoIterator<Item = Cents>>(items: I) -> Option<Cents> {
        items.into_iter().try_fold(Cents::ZERO, |acc, c| acc.checked_add(c))
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

/// `$1,234.56`; negative amounts as `-$1,234.56`.
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}${}.{:02}", group_thousands(abs / 100), abs % 100)
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Why a decimal string with at most two decimals failed to parse. Callers turn
/// this into a message worded for their own field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DecimalError {
    /// Something other than digits, one point and (if allowed) commas.
    Shape,
    /// `.5`: nothing before the point.
    NoWholePart,
    /// `12.`: a point with nothing after it.
    NoDecimals,
    /// `12.345`
    TooManyDecimals,
    /// `1,23` or `12,34,567`
    Grouping,
}

/// Parses `digits[.d[d]]` into hundredths (cents, or basis points for a
/// percentage). `Ok(None)` means the number is too large to represent, which
/// every caller reports as "too large" — it is far above any limit they set.
pub(super) fn parse_hundredths(s: &str, allow_commas: bool) -> Result<Option<u64>, DecimalError> {
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let whole_ok = whole.chars().all(|c| c.is_ascii_digit() || (allow_commas && c == ','));
    let frac_ok = frac.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit()));
    if !whole_ok || !frac_ok {
        return Err(DecimalError::Shape);
    }
    if whole.is_empty() {
        return Err(if frac.is_some() { DecimalError::NoWholePart } else { DecimalError::Shape });
    }
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return Err(DecimalError::Grouping);
        }
    }
    let frac_value = match frac {
        None => 0,
        Some("") => return Err(DecimalError::NoDecimals),
        Some(f) if f.len() > 2 => return Err(DecimalError::TooManyDecimals),
        Some(f) => {
            let v: u64 = f.parse().map_err(|_| DecimalError::Shape)?;
            if f.len() == 1 { v * 10 } else { v }
        }
    };
    let mut value: u64 = 0;
    for d in whole.bytes().filter(u8::is_ascii_digit) {
        match value.checked_mul(10).and_then(|v| v.checked_add(u64::from(d - b'0'))) {
            Some(v) => value = v,
            None => return Ok(None),
        }
    }
    Ok(value.checked_mul(100).and_then(|v| v.checked_add(frac_value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> i64 {
        Cents::parse_dollars(s).unwrap_or_else(|e| panic!("{s:?} rejected: {e}")).0
    }

    fn rejected(s: &str) -> String {
        let e = Cents::parse_dollars(s).expect_err(s);
        assert_eq!(e.field, "amount");
        e.message
    }

    #[test]
    fn whole_dollars_one_decimal_and_two_decimals_are_accepted() {
        assert_eq!(ok("12"), 1200);
        assert_eq!(ok("12.3"), 1230);
        assert_eq!(ok("12.34"), 1234);
        assert_eq!(ok("0.05"), 5);
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("007.10"), 710);
    }

    #[test]
    fn dollar_sign_surrounding_spaces_and_grouped_commas_are_accepted() {
        assert_eq!(ok("$1,234.50"), 123_450);
        assert_eq!(ok("  $ 5 "), 500);
        assert_eq!(ok("1,000,000"), 100_000_000);
        assert_eq!(ok("999"), 99_900);
    }

    #[test]
    fn one_million_dollars_is_the_largest_accepted_amount() {
        assert_eq!(ok("1000000.00"), 100_000_000);
        assert!(rejected("1000000.01").contains("more than $1,000,000.00"));
        assert!(rejected("99999999999999999999999999").contains("more than"));
    }

    #[test]
    fn empty_input_asks_for_an_amount() {
        assert!(rejected("").contains("Enter an amount"));
        assert!(rejected("   ").contains("Enter an amount"));
        assert!(rejected("$").contains("after the $"));
    }

    #[test]
    fn negative_amounts_are_rejected() {
        assert_eq!(rejected("-5"), "Amount can't be negative");
        assert_eq!(rejected("$-5"), "Amount can't be negative");
    }

    #[test]
    fn malformed_amounts_are_rejected_with_a_reason() {
        assert!(rejected("12.345").contains("two decimal places"));
        assert!(rejected("12.").contains("after the decimal point"));
        assert!(rejected(".50").contains("0 before the decimal point"));
        assert!(rejected("1,23").contains("commas"));
        assert!(rejected(",123").contains("commas"));
        assert!(rejected("1234,567").contains("commas"));
        for s in ["abc", "12a", "1e5", "1.2.3", "12.3a", "+5", "5$", "1 000", "١٢"] {
            assert!(rejected(s).contains("digits only"), "{s}");
        }
    }

    #[test]
    fn display_groups_thousands_and_always_shows_cents() {
        assert_eq!(Cents(0).to_string(), "$0.00");
        assert_eq!(Cents(5).to_string(), "$0.05");
        assert_eq!(Cents(123_456).to_string(), "$1,234.56");
        assert_eq!(Cents(100_000_000).to_string(), "$1,000,000.00");
        assert_eq!(Cents(-1_050).to_string(), "-$10.50");
        assert_eq!(Cents(i64::MIN).to_string(), "-$92,233,720,368,547,758.08");
    }

    #[test]
    fn dollars_input_is_plain_for_prefilling_forms() {
        assert_eq!(Cents(123_456).dollars_input(), "1234.56");
        assert_eq!(Cents(700).dollars_input(), "7.00");
        assert_eq!(Cents(-1).dollars_input(), "-0.01");
    }

    #[test]
    fn checked_arithmetic_reports_overflow_instead_of_wrapping() {
        assert_eq!(Cents(1).checked_add(Cents(2)), Some(Cents(3)));
        assert_eq!(Cents(i64::MAX).checked_add(Cents(1)), None);
        assert_eq!(Cents(i64::MIN).checked_sub(Cents(1)), None);
        assert_eq!(Cents::checked_sum([Cents(1), Cents(2), Cents(-3)]), Some(Cents(0)));
        assert_eq!(Cents::checked_sum([Cents(i64::MAX), Cents(1)]), None);
        assert_eq!(Cents::checked_sum(Vec::new()), Some(Cents::ZERO));
    }

    proptest! {
        #[test]
        fn every_allowed_amount_survives_a_trip_through_the_input_field(c in 0i64..=100_000_000) {
            prop_assert_eq!(Cents::parse_dollars(&Cents(c).dollars_input()), Ok(Cents(c)));
        }

        #[test]
        fn every_allowed_amount_survives_a_trip_through_its_display_form(c in 0i64..=100_000_000) {
            prop_assert_eq!(Cents::parse_dollars(&Cents(c).to_string()), Ok(Cents(c)));
        }

        #[test]
        fn checked_sum_agrees_with_wide_arithmetic(xs in proptest::collection::vec(any::<i64>(), 0..20)) {
            let wide: i128 = xs.iter().map(|&x| i128::from(x)).sum();
            let got = Cents::checked_sum(xs.iter().copied().map(Cents));
            // Partial sums may overflow even if the total would fit, so only
            // claim agreement when the checked sum succeeded, and claim failure
            // whenever the total itself does not fit.
            if let Some(c) = got {
                prop_assert_eq!(i128::from(c.0), wide);
            }
            if i64::try_from(wide).is_err() {
                prop_assert_eq!(got, None);
            }
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(s in "\\PC{0,40}") {
            let _ = Cents::parse_dollars(&s);
        }
    }
}
