//! The payout engine's rules (spec 004 "Earnings & payouts", DOMAIN decisions 12–16):
//! when a held commission becomes payable, which recurring periods earn, when each
//! payout frequency is due, how a partial refund reverses a commission, and whether a
//! balance is paid or rolls forward. Pure: callers pass the time and the local date.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::dates::{MS_PER_DAY, civil_from_days, days_from_civil};
use super::money::Cents;
use super::roles::text_enum;

text_enum! {
    /// What a commission pays in: cash (paid out) or platform credits (1 credit = 1 cent).
    CommissionKind, "lowercase" {
        Cash => "cash", "Cash";
        Credit => "credit", "Credits";
    }
}

text_enum! {
    /// Where one ledger entry stands, derived from its hold and the payout holding it
    /// (never stored: entries are immutable); `Reversed` is a reversal (negative) entry, a
    /// refund or chargeback taking an earning back.
    EntryState, "snake_case" {
        OnHold => "on_hold", "On hold";
        Available => "available", "Available";
        InPayout => "in_payout", "In a payout";
        Paid => "paid", "Paid";
        Reversed => "reversed", "Reversed";
    }
}

text_enum! {
    /// How often a partner is paid (DOMAIN decision 16).
    PayoutFrequency, "lowercase" {
        Weekly => "weekly", "Weekly (Mondays)";
        Monthly => "monthly", "Monthly (the 1st)";
        Quarterly => "quarterly", "Quarterly";
        Manual => "manual", "Manual";
    }
}

text_enum! {
    /// The rail a payout travels on. Stripe Connect and PayPal plug in later.
    PayoutMethod, "lowercase" {
        Manual => "manual", "Manual";
        Bank => "bank", "Bank transfer";
        Stripe => "stripe", "Stripe Connect";
        Paypal => "paypal", "PayPal";
    }
}

text_enum! {
    /// What became of one billing event.
    BillingEventOutcome, "lowercase" {
        Applied => "applied", "Applied";
        Ignored => "ignored", "Ignored";
    }
}

/// When an entry created at `created_ms` with `hold_days` of hold becomes payable.
pub fn available_at(created_ms: i64, hold_days: i64) -> i64 {
    created_ms.saturating_add(hold_days.clamp(0, 3_650).saturating_mul(MS_PER_DAY))
}

/// How many periods a partner's recurring settings pay (DOMAIN decision 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recurring {
    /// Period 1 (the conversion) only.
    FirstOnly,
    /// Periods 1..=N.
    Months(u32),
    /// Every paid period.
    Lifetime,
}

impl Recurring {
    /// From the stored columns: the `recurring` flag and `recurring_months` (NULL = lifetime).
    pub fn from_settings(recurring: bool, months: Option<i64>) -> Recurring {
        match (recurring, months) {
            (false, _) => Recurring::FirstOnly,
            (true, None) => Recurring::Lifetime,
            (true, Some(n)) if n <= 1 => Recurring::FirstOnly,
            (true, Some(n)) => Recurring::Months(u32::try_from(n).unwrap_or(u32::MAX)),
        }
    }

    /// Whether billing period `period` (1 = the conversion) earns a commission.
    pub fn pays_period(self, period: i64) -> bool {
        period >= 1
            && match self {
                Recurring::FirstOnly => period == 1,
                Recurring::Months(n) => period <= i64::from(n),
                Recurring::Lifetime => true,
            }
    }
}

/// A calendar date in the platform's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LocalDate {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl LocalDate {
    pub fn new(year: i64, month: u32, day: u32) -> LocalDate {
        LocalDate { year, month, day }
    }

    pub fn from_days(days: i64) -> LocalDate {
        let (year, month, day) = civil_from_days(days);
        LocalDate { year, month, day }
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> i64 {
        (self.days() + 3).rem_euclid(7)
    }

    pub fn add_days(self, n: i64) -> LocalDate {
        LocalDate::from_days(self.days() + n)
    }

    /// `2026-12-01`
    pub fn parse(s: &str) -> Option<LocalDate> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        let date = LocalDate { year, month, day };
        (LocalDate::from_days(date.days()) == date).then_some(date)
    }
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl PayoutFrequency {
    /// The due date of the period `today` falls in: the latest due date on or before
    /// `today`. A partner is paid at most once per period (the payout's key), at the
    /// first run on or after that date where its balance qualifies. `None` for manual.
    pub fn period_start(self, today: LocalDate) -> Option<LocalDate> {
        match self {
            PayoutFrequency::Weekly => Some(today.add_days(-today.weekday())),
            PayoutFrequency::Monthly => Some(LocalDate::new(today.year, today.month, 1)),
            PayoutFrequency::Quarterly => Some(LocalDate::new(today.year, (today.month - 1) / 3 * 3 + 1, 1)),
            PayoutFrequency::Manual => None,
        }
    }

    /// The first due date strictly after `today`. `None` for manual.
    pub fn next_due(self, today: LocalDate) -> Option<LocalDate> {
        let start = self.period_start(today)?;
        Some(match self {
            PayoutFrequency::Weekly => start.add_days(7),
            PayoutFrequency::Monthly => add_months(start, 1),
            PayoutFrequency::Quarterly => add_months(start, 3),
            PayoutFrequency::Manual => return None,
        })
    }

    /// The payout's idempotency key for this partner and period: one payout per
    /// (partner, period), whoever runs and however often.
    pub fn period_key(self, partner_id: &str, today: LocalDate) -> String {
        format!("{PERIOD_KEY_PREFIX}{partner_id}{}", self.period_key_suffix(today))
    }

    /// What follows the partner id in its period key, so a query can build every partner's
    /// key (`prefix || id || suffix`) without restating the format.
    pub fn period_key_suffix(self, today: LocalDate) -> String {
        match self.period_start(today) {
            Some(start) => format!(":{}:{start}", self.as_str()),
            None => format!(":manual:{today}"),
        }
    }
}

/// What every payout period key starts with (a macro too, for SQL that spells it).
#[macro_export]
macro_rules! period_key_prefix {
    () => {
        "payout:"
    };
}
pub const PERIOD_KEY_PREFIX: &str = period_key_prefix!();

/// The 1st of the month `months` after a 1st.
fn add_months(first: LocalDate, months: u32) -> LocalDate {
    let index = first.year * 12 + i64::from(first.month - 1) + i64::from(months);
    LocalDate::new(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1)
}

/// The share of `original` that a refund of `refunded_total` (cumulative) out of an
/// invoice of `invoice_amount` reverses, half up, never more than `original`.
pub fn reversal_target(original: Cents, invoice_amount: Cents, refunded_total: Cents) -> Cents {
    let (orig, inv, refunded) = (original.get(), invoice_amount.get(), refunded_total.get());
    if orig <= 0 || inv <= 0 || refunded <= 0 {
        return Cents::ZERO;
    }
    if refunded >= inv {
        return original;
    }
    let wide = (i128::from(orig) * i128::from(refunded) * 2 + i128::from(inv)) / (2 * i128::from(inv));
    Cents(i64::try_from(wide).unwrap_or(orig).min(orig))
}

/// The next reversal entry's size (positive; the entry stores it negated): what the
/// refunds so far should have reversed minus what earlier reversals already did.
/// Zero when nothing more is due, so replays and out-of-order refunds add nothing.
pub fn next_reversal(
    original: Cents,
    invoice_amount: Cents,
    refunded_total: Cents,
    already_reversed: Cents,
) -> Cents {
    let target = reversal_target(original, invoice_amount, refunded_total);
    Cents((target.get() - already_reversed.get().max(0)).max(0))
}

/// Whether a balance is paid now or rolls forward to the next due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayoutDecision {
    Pay(Cents),
    /// Below the threshold (or nothing, or a negative carry-over): rolls forward.
    RollForward {
        balance: Cents,
        threshold: Cents,
    },
}

/// A payout is never zero or negative, and never below the partner's threshold.
pub fn decide(available: Cents, threshold: Cents) -> PayoutDecision {
    if available.get() > 0 && available >= threshold {
        PayoutDecision::Pay(available)
    } else {
        PayoutDecision::RollForward { balance: available, threshold }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i64, m: u32, day: u32) -> LocalDate {
        LocalDate::new(y, m, day)
    }

    #[test]
    fn a_held_entry_becomes_available_exactly_hold_days_later() {
        assert_eq!(available_at(1_000, 0), 1_000);
        assert_eq!(available_at(1_000, 30), 1_000 + 30 * MS_PER_DAY);
        assert_eq!(available_at(1_000, -5), 1_000);
        assert_eq!(available_at(i64::MAX - 1, 10), i64::MAX);
    }

    #[test]
    fn recurring_zero_pays_period_one_only() {
        let r = Recurring::from_settings(true, Some(0));
        assert!(r.pays_period(1) && !r.pays_period(2));
        let off = Recurring::from_settings(false, None);
        assert!(off.pays_period(1) && !off.pays_period(2));
    }

    #[test]
    fn recurring_n_pays_periods_one_to_n() {
        let r = Recurring::from_settings(true, Some(6));
        assert_eq!((1..=12).filter(|p| r.pays_period(*p)).count(), 6);
        assert!(r.pays_period(6) && !r.pays_period(7) && !r.pays_period(0));
    }

    #[test]
    fn recurring_without_a_limit_pays_every_period() {
        let r = Recurring::from_settings(true, None);
        assert!(r.pays_period(1) && r.pays_period(240));
    }

    #[test]
    fn weekly_is_due_on_mondays() {
        // 2026-12-02 is a Wednesday.
        assert_eq!(d(2026, 12, 2).weekday(), 2);
        assert_eq!(PayoutFrequency::Weekly.period_start(d(2026, 12, 2)), Some(d(2026, 11, 30)));
        assert_eq!(PayoutFrequency::Weekly.period_start(d(2026, 11, 30)), Some(d(2026, 11, 30)));
        assert_eq!(PayoutFrequency::Weekly.next_due(d(2026, 12, 6)), Some(d(2026, 12, 7)));
        // Across a year end.
        assert_eq!(PayoutFrequency::Weekly.next_due(d(2026, 12, 31)), Some(d(2027, 1, 4)));
    }

    #[test]
    fn monthly_is_due_on_the_first_across_month_and_year_ends() {
        let m = PayoutFrequency::Monthly;
        assert_eq!(m.period_start(d(2026, 12, 31)), Some(d(2026, 12, 1)));
        assert_eq!(m.next_due(d(2026, 12, 31)), Some(d(2027, 1, 1)));
        assert_eq!(m.next_due(d(2028, 2, 29)), Some(d(2028, 3, 1)));
        assert_eq!(m.next_due(d(2026, 1, 1)), Some(d(2026, 2, 1)));
    }

    #[test]
    fn quarterly_is_due_on_the_first_of_january_april_july_and_october() {
        let q = PayoutFrequency::Quarterly;
        assert_eq!(q.period_start(d(2026, 3, 31)), Some(d(2026, 1, 1)));
        assert_eq!(q.period_start(d(2026, 4, 1)), Some(d(2026, 4, 1)));
        assert_eq!(q.next_due(d(2026, 11, 15)), Some(d(2027, 1, 1)));
        assert_eq!(q.next_due(d(2026, 6, 30)), Some(d(2026, 7, 1)));
    }

    #[test]
    fn manual_is_never_due_by_itself() {
        assert_eq!(PayoutFrequency::Manual.period_start(d(2026, 1, 1)), None);
        assert_eq!(PayoutFrequency::Manual.next_due(d(2026, 1, 1)), None);
    }

    #[test]
    fn one_key_per_partner_and_period() {
        let f = PayoutFrequency::Monthly;
        assert_eq!(f.period_key("p1", d(2026, 12, 2)), f.period_key("p1", d(2026, 12, 31)));
        assert_ne!(f.period_key("p1", d(2026, 12, 31)), f.period_key("p1", d(2027, 1, 1)));
        assert_ne!(f.period_key("p1", d(2026, 12, 2)), f.period_key("p2", d(2026, 12, 2)));
    }

    #[test]
    fn dates_parse_only_when_real() {
        assert_eq!(LocalDate::parse("2028-02-29"), Some(d(2028, 2, 29)));
        assert_eq!(LocalDate::parse("2027-02-29"), None);
        assert_eq!(LocalDate::parse("2027-13-01"), None);
        assert_eq!(d(2027, 1, 4).to_string(), "2027-01-04");
    }

    #[test]
    fn a_partial_refund_reverses_its_share_half_up() {
        // 30 % of $19.80 = $5.94; 1/3 of $10.00 = $3.333… → $3.33; 1/2 of $0.05 = 2.5 → 3.
        assert_eq!(reversal_target(Cents(1_980), Cents(9_900), Cents(2_970)), Cents(594));
        assert_eq!(reversal_target(Cents(1_000), Cents(3_000), Cents(1_000)), Cents(333));
        assert_eq!(reversal_target(Cents(5), Cents(200), Cents(100)), Cents(3));
        assert_eq!(reversal_target(Cents(1_980), Cents(9_900), Cents(9_900)), Cents(1_980));
        assert_eq!(reversal_target(Cents(1_980), Cents(9_900), Cents(99_999)), Cents(1_980));
    }

    #[test]
    fn a_replayed_refund_reverses_nothing_more() {
        let first = next_reversal(Cents(1_000), Cents(3_000), Cents(1_000), Cents(0));
        assert_eq!(first, Cents(333));
        assert_eq!(next_reversal(Cents(1_000), Cents(3_000), Cents(1_000), first), Cents(0));
        assert_eq!(next_reversal(Cents(1_000), Cents(3_000), Cents(3_000), first), Cents(667));
    }

    #[test]
    fn a_balance_below_the_threshold_rolls_forward() {
        assert_eq!(
            decide(Cents(3_200), Cents(5_000)),
            PayoutDecision::RollForward { balance: Cents(3_200), threshold: Cents(5_000) }
        );
        assert_eq!(decide(Cents(5_000), Cents(5_000)), PayoutDecision::Pay(Cents(5_000)));
        assert!(matches!(decide(Cents(0), Cents(0)), PayoutDecision::RollForward { .. }));
        assert!(matches!(decide(Cents(-500), Cents(0)), PayoutDecision::RollForward { .. }));
    }

    proptest! {
        #[test]
        fn reversals_of_one_entry_never_sum_past_it(
            original in 0i64..10_000_000,
            invoice in 1i64..10_000_000,
            steps in proptest::collection::vec(0i64..10_000_000, 1..8),
        ) {
            let mut refunded = 0i64;
            let mut reversed = Cents(0);
            for step in steps {
                refunded = refunded.saturating_add(step).min(invoice * 2);
                let next = next_reversal(Cents(original), Cents(invoice), Cents(refunded), reversed);
                prop_assert!(next.get() >= 0);
                reversed = Cents(reversed.get() + next.get());
                prop_assert!(reversed.get() <= original);
            }
            let full = next_reversal(Cents(original), Cents(invoice), Cents(invoice), reversed);
            prop_assert_eq!(reversed.get() + full.get(), original);
        }

        #[test]
        fn every_date_belongs_to_a_period_that_starts_on_or_before_it_and_ends_after_it(
            days in -20_000i64..40_000,
            f in prop::sample::select(vec![PayoutFrequency::Weekly, PayoutFrequency::Monthly, PayoutFrequency::Quarterly]),
        ) {
            let today = LocalDate::from_days(days);
            let start = f.period_start(today).unwrap();
            let next = f.next_due(today).unwrap();
            prop_assert!(start <= today && today < next);
            prop_assert_eq!(f.period_start(start), Some(start));
            prop_assert_eq!(f.period_start(next), Some(next));
            match f {
                PayoutFrequency::Weekly => prop_assert_eq!(start.weekday(), 0),
                PayoutFrequency::Monthly => prop_assert_eq!(start.day, 1),
                _ => prop_assert!(start.day == 1 && [1, 4, 7, 10].contains(&start.month)),
            }
        }

        #[test]
        fn a_payout_is_never_negative_nor_below_threshold(
            available in -1_000_000i64..1_000_000,
            threshold in 0i64..1_000_000,
        ) {
            if let PayoutDecision::Pay(amount) = decide(Cents(available), Cents(threshold)) {
                prop_assert!(amount.get() > 0 && amount.get() >= threshold && amount.get() == available);
            }
        }
    }
}
