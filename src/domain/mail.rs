//! The outbox's statuses and retry schedule.
use serde::{Deserialize, Serialize};

use super::roles::text_enum;

text_enum! {
    /// One outgoing message: pending → sending → delivered | failed (or back to pending
    /// with a later attempt time after a temporary failure).
    MailStatus, "lowercase" {
        Pending => "pending", "Queued";
        Sending => "sending", "Sending";
        Delivered => "delivered", "Delivered";
        Failed => "failed", "Failed";
    }
}

/// Attempts before a temporarily failing message counts as failed.
pub const MAX_ATTEMPTS: i64 = 5;

/// How long to wait after the `attempts`-th failed attempt: 30 s, 2 min, 8 min, 32 min;
/// None once the attempts are used up.
pub fn retry_delay_ms(attempts: i64) -> Option<i64> {
    (1..MAX_ATTEMPTS).contains(&attempts).then(|| 30_000 * 4_i64.pow((attempts - 1) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop() {
        assert_eq!(retry_delay_ms(1), Some(30_000));
        assert_eq!(retry_delay_ms(2), Some(120_000));
        assert_eq!(retry_delay_ms(4), Some(1_920_000));
        assert_eq!(retry_delay_ms(5), None);
        assert_eq!(retry_delay_ms(0), None);
    }

    #[test]
    fn statuses_use_lowercase_text() {
        assert_eq!(MailStatus::parse("delivered"), Some(MailStatus::Delivered));
        assert_eq!(MailStatus::Pending.label(), "Queued");
    }
}
