use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::FieldError;
use super::money::{Cents, DecimalError, parse_hundredths};

/// A percentage in hundredths of a percent: 10_000 = 100.00 %.
///
/// Integers so that a rate typed as "12.5" is stored and applied exactly. The
/// field is private and deserialization goes through `TryFrom<u32>`, so a value
/// above 100 % cannot exist, whichever way it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct BasisPoints(u32);

const PERCENT_FIELD: &str = "commission";

impl BasisPoints {
    pub const ZERO: BasisPoints = BasisPoints(0);
    pub const HUNDRED_PERCENT: BasisPoints = BasisPoints(10_000);

    /// `None` above 100 %.
    pub const fn new(bps: u32) -> Option<BasisPoints> {
        if bps <= 10_000 { Some(BasisPoints(bps)) } else { None }
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    /// Parses `12`, `12.5`, `12.50`, `12.5%`: 0–100 with at most two decimals.
    pub fn parse_percent(input: &str) -> Result<BasisPoints, FieldError> {
        let err = |m: &str| Err(FieldError::new(PERCENT_FIELD, m));
        let s = input.trim();
        let s = s.strip_suffix('%').map(str::trim_end).unwrap_or(s);
        if s.is_empty() {
            return err("Enter a percentage, like 12.5");
        }
        if s.starts_with('-') {
            return err("Commission can't be negative");
        }
        match parse_hundredths(s, false) {
            Ok(Some(bps)) if bps <= 10_000 => Ok(BasisPoints(bps as u32)),
            Ok(_) => err("Commission can't be more than 100%"),
            Err(DecimalError::TooManyDecimals) => {
                err("Percentages can have at most two decimal places, like 12.25")
            }
            Err(DecimalError::NoWholePart) => err("Put a 0 before the decimal point, like 0.5"),
            Err(DecimalError::NoDecimals) => {
                err("Add digits after the decimal point, like 12.5, or remove the point")
            }
            Err(DecimalError::Shape | DecimalError::Grouping) => {
                err("Enter a percentage using digits only, like 12.5")
            }
        }
    }

    /// `12.50` for pre-filling an input; parses back to the same value.
    pub fn percent_input(&self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// `12.50%`
impl fmt::Display for BasisPoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent_input())
    }
}

impl TryFrom<u32> for BasisPoints {
    type Error = FieldError;

    fn try_from(bps: u32) -> Result<Self, Self::Error> {
        BasisPoints::new(bps)
            .ok_or_else(|| FieldError::new(PERCENT_FIELD, "Commission can't be more than 100%"))
    }
}

impl From<BasisPoints> for u32 {
    fn from(b: BasisPoints) -> u32 {
        b.0
    }
}

/// How a partner is paid for one converted subscription: a share of the plan's
/// list price, or a fixed amount.
///
/// Serialized as `{"kind": "percent", "value": 1250}`, the same two columns the
/// database stores (see [`Commission::kind`] and [`Commission::value`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Commission {
    Percent(BasisPoints),
    Flat(Cents),
}

impl Commission {
    pub const KINDS: [&'static str; 2] = ["percent", "flat"];

    pub fn kind(&self) -> &'static str {
        match self {
            Commission::Percent(_) => "percent",
            Commission::Flat(_) => "flat",
        }
    }

    /// Basis points for percent, cents for flat.
    pub fn value(&self) -> i64 {
        match self {
            Commission::Percent(b) => i64::from(b.get()),
            Commission::Flat(c) => c.get(),
        }
    }

    /// The text a form's value input shows for this commission: a percentage for
    /// percent, dollars for flat (what `parse` reads back).
    pub fn input_text(&self) -> String {
        match self {
            Commission::Percent(b) => b.percent_input(),
            Commission::Flat(c) => c.dollars_input(),
        }
    }

    /// Rebuilds a commission from its stored `(kind, value)` columns. `None` for
    /// an unknown kind or an impossible value, so a corrupt row is noticed
    /// rather than paid out.
    pub fn from_parts(kind: &str, value: i64) -> Option<Commission> {
        match kind {
            "percent" => u32::try_from(value).ok().and_then(BasisPoints::new).map(Commission::Percent),
            "flat" if value >= 0 => Some(Commission::Flat(Cents(value))),
            _ => None,
        }
    }

    /// Parses form input: `kind` comes from a select ("percent" or "flat"), and
    /// `input` is a percentage or a dollar amount accordingly. Errors are on the
    /// `commission_kind` or `commission` field.
    pub fn parse(kind: &str, input: &str) -> Result<Commission, FieldError> {
        let kind = kind.trim();
        if kind.eq_ignore_ascii_case("percent") {
            BasisPoints::parse_percent(input).map(Commission::Percent)
        } else if kind.eq_ignore_ascii_case("flat") {
            Cents::parse_dollars(input).map(Commission::Flat).map_err(|e| e.in_field(PERCENT_FIELD))
        } else {
            Err(FieldError::new("commission_kind", "Choose a percentage or a flat amount"))
        }
    }

    /// What this rule pays for a plan with the given list price.
    pub fn payout(self, plan_price: Cents) -> Cents {
        payout_cents(plan_price, self)
    }
}

/// `12.50%` or `$5.00 flat`.
impl fmt::Display for Commission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Commission::Percent(b) => write!(f, "{b}"),
            Commission::Flat(c) => write!(f, "{c} flat"),
        }
    }
}

/// The payout for one commission event.
///
/// Percent: `round(price * bps / 10_000)` with halves rounded up, computed as
/// `(price * bps + 5_000) / 10_000` in i128 so that no price can overflow the
/// intermediate product. Floor division keeps "half up" meaning "towards +∞"
/// even for a negative price (which a plan should never have, but a
/// refund-shaped amount might). Since bps ≤ 10_000 the result is never larger
/// in magnitude than the price, so it always fits back into i64.
///
/// Flat: the configured amount, whatever the price.
pub fn payout_cents(plan_price: Cents, commission: Commission) -> Cents {
    match commission {
        Commission::Flat(amount) => amount,
        Commission::Percent(bps) => {
            let numerator = i128::from(plan_price.get()) * i128::from(bps.get()) + 5_000;
            let rounded = numerator.div_euclid(10_000);
            Cents(i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bps(n: u32) -> BasisPoints {
        BasisPoints::new(n).unwrap()
    }

    fn pct(price: i64, b: u32) -> i64 {
        payout_cents(Cents(price), Commission::Percent(bps(b))).get()
    }

    /// The same rounding, worked out another way: exact quotient and remainder,
    /// then round up when the remainder is at least half the divisor.
    fn reference(price: i64, b: u32) -> i64 {
        let product = i128::from(price) * i128::from(b);
        let q = product.div_euclid(10_000);
        let r = product.rem_euclid(10_000);
        let q = if r * 2 >= 10_000 { q + 1 } else { q };
        i64::try_from(q).unwrap()
    }

    fn percent_err(s: &str) -> String {
        let e = BasisPoints::parse_percent(s).expect_err(s);
        assert_eq!(e.field, "commission");
        e.message
    }

    #[test]
    fn percentages_with_up_to_two_decimals_are_accepted() {
        assert_eq!(BasisPoints::parse_percent("12.5"), Ok(bps(1250)));
        assert_eq!(BasisPoints::parse_percent("12.25"), Ok(bps(1225)));
        assert_eq!(BasisPoints::parse_percent("12"), Ok(bps(1200)));
        assert_eq!(BasisPoints::parse_percent(" 7.5 % "), Ok(bps(750)));
        assert_eq!(BasisPoints::parse_percent("0"), Ok(bps(0)));
        assert_eq!(BasisPoints::parse_percent("0.01"), Ok(bps(1)));
        assert_eq!(BasisPoints::parse_percent("100"), Ok(bps(10_000)));
        assert_eq!(BasisPoints::parse_percent("100.00%"), Ok(bps(10_000)));
    }

    #[test]
    fn percentages_over_one_hundred_are_rejected_clearly() {
        assert_eq!(percent_err("100.01"), "Commission can't be more than 100%");
        assert_eq!(percent_err("250"), "Commission can't be more than 100%");
        assert_eq!(percent_err("99999999999999999999999"), "Commission can't be more than 100%");
    }

    #[test]
    fn malformed_percentages_are_rejected_with_a_reason() {
        assert!(percent_err("").contains("Enter a percentage"));
        assert!(percent_err("%").contains("Enter a percentage"));
        assert_eq!(percent_err("-1"), "Commission can't be negative");
        assert!(percent_err("12.345").contains("two decimal places"));
        assert!(percent_err(".5").contains("0 before"));
        assert!(percent_err("12.").contains("after the decimal point"));
        assert!(percent_err("1,000").contains("digits only"));
        assert!(percent_err("ten").contains("digits only"));
        assert!(percent_err("12%%").contains("digits only"));
    }

    #[test]
    fn basis_points_display_as_percent_with_two_decimals() {
        assert_eq!(bps(1250).to_string(), "12.50%");
        assert_eq!(bps(5).to_string(), "0.05%");
        assert_eq!(bps(10_000).to_string(), "100.00%");
        assert_eq!(bps(1250).percent_input(), "12.50");
    }

    #[test]
    fn a_commissions_input_text_parses_back_to_it() {
        for c in [Commission::Percent(bps(1250)), Commission::Flat(Cents(1_999))] {
            assert_eq!(Commission::parse(c.kind(), &c.input_text()), Ok(c));
        }
    }

    #[test]
    fn basis_points_above_one_hundred_percent_cannot_be_constructed() {
        assert_eq!(BasisPoints::new(10_001), None);
        assert!(BasisPoints::try_from(10_001u32).is_err());
        assert_eq!(BasisPoints::try_from(10_000u32), Ok(BasisPoints::HUNDRED_PERCENT));
    }

    #[test]
    fn commission_kind_and_value_round_trip_through_from_parts() {
        for c in [
            Commission::Percent(bps(1250)),
            Commission::Flat(Cents(500)),
            Commission::Percent(BasisPoints::ZERO),
        ] {
            assert_eq!(Commission::from_parts(c.kind(), c.value()), Some(c));
        }
        assert_eq!(Commission::Percent(bps(1250)).kind(), "percent");
        assert_eq!(Commission::Flat(Cents(500)).value(), 500);
    }

    #[test]
    fn from_parts_refuses_unknown_kinds_and_impossible_values() {
        assert_eq!(Commission::from_parts("percent", 10_001), None);
        assert_eq!(Commission::from_parts("percent", -1), None);
        assert_eq!(Commission::from_parts("flat", -1), None);
        assert_eq!(Commission::from_parts("bonus", 5), None);
        assert_eq!(Commission::from_parts("Percent", 5), None);
    }

    #[test]
    fn commission_parse_reads_percent_or_dollars_depending_on_kind() {
        assert_eq!(Commission::parse("percent", "12.5"), Ok(Commission::Percent(bps(1250))));
        assert_eq!(Commission::parse("flat", "$5"), Ok(Commission::Flat(Cents(500))));
        assert_eq!(Commission::parse(" FLAT ", "5.25"), Ok(Commission::Flat(Cents(525))));
    }

    #[test]
    fn commission_parse_reports_errors_on_the_right_field() {
        let e = Commission::parse("bonus", "5").unwrap_err();
        assert_eq!(e.field, "commission_kind");
        let e = Commission::parse("flat", "-5").unwrap_err();
        assert_eq!(e.field, "commission");
        assert_eq!(e.message, "Amount can't be negative");
        let e = Commission::parse("percent", "101").unwrap_err();
        assert_eq!(e.field, "commission");
        assert_eq!(e.message, "Commission can't be more than 100%");
    }

    #[test]
    fn commission_display_names_the_rule() {
        assert_eq!(Commission::Percent(bps(1250)).to_string(), "12.50%");
        assert_eq!(Commission::Flat(Cents(500)).to_string(), "$5.00 flat");
    }

    #[test]
    fn half_a_cent_rounds_up_and_less_than_half_rounds_down() {
        assert_eq!(pct(1, 5_000), 1);
        assert_eq!(pct(3, 5_000), 2);
        assert_eq!(pct(1, 4_999), 0);
        assert_eq!(pct(5, 1_000), 1); // 0.5 -> 1
        assert_eq!(pct(4_999, 1_000), 500); // 499.9 -> 500
        assert_eq!(pct(4_900, 1_250), 613); // 612.5 -> 613
        assert_eq!(pct(4_900, 1_249), 612); // 612.01 -> 612
    }

    #[test]
    fn the_spec_example_pays_a_share_of_the_list_price() {
        // A $49.00 plan at 20 % pays $9.80.
        assert_eq!(pct(4_900, 2_000), 980);
    }

    #[test]
    fn the_largest_possible_price_does_not_overflow() {
        assert_eq!(pct(i64::MAX, 10_000), i64::MAX);
        assert_eq!(pct(i64::MAX, 0), 0);
        assert_eq!(pct(i64::MAX, 5_000), reference(i64::MAX, 5_000));
    }

    proptest! {
        #[test]
        fn percent_payout_equals_the_exact_ratio_rounded_half_up(
            price in 0i64..=1_000_000_000_000, b in 0u32..=10_000
        ) {
            prop_assert_eq!(pct(price, b), reference(price, b));
        }

        #[test]
        fn percent_payout_is_exact_for_any_i64_price(price in any::<i64>(), b in 0u32..=10_000) {
            prop_assert_eq!(pct(price, b), reference(price, b));
        }

        #[test]
        fn zero_percent_pays_nothing(price in 0i64..=1_000_000_000_000) {
            prop_assert_eq!(pct(price, 0), 0);
        }

        #[test]
        fn one_hundred_percent_pays_exactly_the_price(price in 0i64..=1_000_000_000_000) {
            prop_assert_eq!(pct(price, 10_000), price);
        }

        #[test]
        fn a_higher_rate_never_pays_less(
            price in 0i64..=1_000_000_000_000, a in 0u32..=10_000, b in 0u32..=10_000
        ) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(pct(price, lo) <= pct(price, hi));
        }

        #[test]
        fn a_higher_price_never_pays_less(
            p in 0i64..=1_000_000_000_000, q in 0i64..=1_000_000_000_000, b in 0u32..=10_000
        ) {
            let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
            prop_assert!(pct(lo, b) <= pct(hi, b));
        }

        #[test]
        fn percent_payout_stays_between_zero_and_the_price(
            price in 0i64..=1_000_000_000_000, b in 0u32..=10_000
        ) {
            let paid = pct(price, b);
            prop_assert!(paid >= 0 && paid <= price);
        }

        #[test]
        fn rounding_is_off_by_at_most_half_a_cent(
            price in 0i64..=1_000_000_000_000, b in 0u32..=10_000
        ) {
            // |paid * 10_000 - price * bps| <= 5_000, with the tie going up.
            let diff = i128::from(pct(price, b)) * 10_000 - i128::from(price) * i128::from(b);
            prop_assert!(diff > -5_000 && diff <= 5_000);
        }

        #[test]
        fn flat_commission_ignores_the_price(price in any::<i64>(), amount in 0i64..=100_000_000) {
            prop_assert_eq!(
                payout_cents(Cents(price), Commission::Flat(Cents(amount))),
                Cents(amount)
            );
        }

        #[test]
        fn every_percentage_survives_a_trip_through_the_input_field(b in 0u32..=10_000) {
            prop_assert_eq!(BasisPoints::parse_percent(&bps(b).percent_input()), Ok(bps(b)));
            prop_assert_eq!(BasisPoints::parse_percent(&bps(b).to_string()), Ok(bps(b)));
        }

        #[test]
        fn parsing_arbitrary_percent_text_never_panics(s in "\\PC{0,30}") {
            let _ = BasisPoints::parse_percent(&s);
        }
    }
}
