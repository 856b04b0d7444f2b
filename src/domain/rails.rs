//! Payout rail attempts: the states of one outbound call and the key it carries.
use serde::{Deserialize, Serialize};

use super::roles::text_enum;

text_enum! {
    /// What is known about one attempt to move a payout through a rail.
    AttemptOutcome, "lowercase" {
        Sending => "sending", "Sending";
        Succeeded => "succeeded", "Transfer made";
        Refused => "refused", "Refused by the rail";
        Unknown => "unknown", "Needs reconcile";
        Absent => "absent", "Proved not made";
        Submitted => "submitted", "Sent, awaiting the rail";
    }
}

impl AttemptOutcome {
    /// Whether the attempt may still have made a transfer nobody has seen yet: only the
    /// rail's lookup can close it.
    pub fn open(self) -> bool {
        matches!(self, AttemptOutcome::Sending | AttemptOutcome::Unknown)
    }
}

/// The idempotency key of attempt `attempt` of a payout: the same payout and number
/// always give the same key, a new number a new one.
pub fn attempt_key(payout_id: &str, attempt: i64) -> String {
    format!("tributary-payout-{payout_id}-{attempt}")
}

/// The next attempt number: only after the latest attempt is proved absent (or when
/// there is none). `None` while the latest is open or decided otherwise.
pub fn next_attempt(latest: Option<(i64, AttemptOutcome)>) -> Option<i64> {
    match latest {
        None => Some(1),
        Some((n, AttemptOutcome::Absent)) => Some(n + 1),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attempt_number_only_moves_on_after_an_absence_is_proved() {
        assert_eq!(next_attempt(None), Some(1));
        assert_eq!(next_attempt(Some((1, AttemptOutcome::Absent))), Some(2));
        for o in [
            AttemptOutcome::Sending,
            AttemptOutcome::Unknown,
            AttemptOutcome::Succeeded,
            AttemptOutcome::Refused,
            AttemptOutcome::Submitted,
        ] {
            assert_eq!(next_attempt(Some((3, o))), None);
        }
        assert_eq!(attempt_key("p1", 2), "tributary-payout-p1-2");
        assert_ne!(attempt_key("p1", 1), attempt_key("p1", 2));
        assert!(AttemptOutcome::Unknown.open() && !AttemptOutcome::Absent.open());
    }
}
