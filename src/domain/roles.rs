//! The closed sets of states stored as text in the database.
//!
//! `as_str` is the exact stored spelling (and the serde spelling, so JSON and
//! DB agree); `parse` returns `None` for anything else so an unexpected value
//! in a row is caught at the boundary. `parse` ignores case and surrounding
//! spaces because values also arrive from query strings and form selects.

use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $serde_case:literal {
            $($variant:ident => $text:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = $serde_case)]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            pub const fn all() -> &'static [$name] {
                &[$($name::$variant,)+]
            }

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Words for people, e.g. in a status badge.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            pub fn parse(input: &str) -> Option<$name> {
                let input = input.trim();
                Self::all()
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(input))
            }
        }

        impl $crate::domain::roles::TextEnum for $name {
            fn all() -> &'static [Self] {
                $name::all()
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;

/// What every `text_enum!` offers, for code that works over any of them (a list's filter
/// parsed from a query string, a select's options).
pub trait TextEnum: Copy + 'static {
    fn all() -> &'static [Self];
    fn as_str(self) -> &'static str;
    fn label(self) -> &'static str;

    /// Case-insensitive, surrounding spaces ignored (values come from query strings).
    fn parse_text(input: &str) -> Option<Self> {
        let input = input.trim();
        Self::all().iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(input))
    }

    /// `(value, label)` of every variant, for a select.
    fn options() -> Vec<(String, String)> {
        Self::all().iter().map(|v| (v.as_str().to_string(), v.label().to_string())).collect()
    }
}

text_enum! {
    /// A user's role in one workspace.
    WorkspaceRole, "lowercase" {
        Owner => "owner", "Owner";
        Admin => "admin", "Admin";
        Member => "member", "Member";
    }
}

impl WorkspaceRole {
    /// Owners and admins manage members, settings and billing.
    pub fn can_manage(self) -> bool {
        matches!(self, WorkspaceRole::Owner | WorkspaceRole::Admin)
    }
}

text_enum! {
    /// A workspace subscription's billing state.
    SubscriptionStatus, "SCREAMING_SNAKE_CASE" {
        Trialing => "TRIALING", "Trialing";
        Active => "ACTIVE", "Active";
        PastDue => "PAST_DUE", "Past due";
        Canceled => "CANCELED", "Canceled";
    }
}

text_enum! {
    /// Lifecycle of one commission ledger entry:
    /// pending → approved (after the hold period) → paid, or reversed.
    CommissionStatus, "lowercase" {
        Pending => "pending", "Pending";
        Approved => "approved", "Approved";
        Paid => "paid", "Paid";
        Reversed => "reversed", "Reversed";
    }
}

text_enum! {
    /// Lifecycle of a payout: pending → processing → paid | failed.
    PayoutStatus, "lowercase" {
        Pending => "pending", "Pending";
        Processing => "processing", "Processing";
        Paid => "paid", "Paid";
        Failed => "failed", "Failed";
    }
}

text_enum! {
    /// What a workspace is for: an ordinary tenant, or a partner's portal workspace.
    WorkspaceKind, "lowercase" {
        Customer => "customer", "Customer";
        Partner => "partner", "Partner";
    }
}

text_enum! {
    /// A workspace's tier: partner-tier workspaces resell (agencies).
    WorkspaceTier, "lowercase" {
        Standard => "standard", "Standard";
        Partner => "partner", "Partner";
    }
}

text_enum! {
    /// How a referred workspace came to its partner.
    ReferralSource, "lowercase" {
        Link => "link", "Referral link";
        Claim => "claim", "Claim link";
        Invite => "invite", "Invite code";
        Marketplace => "marketplace", "Marketplace listing";
        Agency => "agency", "Agency sub-account";
    }
}

text_enum! {
    /// Where a referral stands: signed up, or converted (its subscription was once active).
    ReferralState, "lowercase" {
        Registered => "registered", "Registered";
        Converted => "converted", "Converted";
    }
}

text_enum! {
    /// Whether a partner's referral link still attributes (disabled links never do).
    LinkState, "lowercase" {
        Active => "active", "Active";
        Disabled => "disabled", "Disabled";
    }
}

text_enum! {
    /// Whether a creator's marketplace listing is on the marketplace. Not stored: a
    /// listing is published when it has a `published_at`.
    ListingState, "lowercase" {
        Published => "published", "Published";
        Draft => "draft", "Draft";
    }
}

text_enum! {
    /// A provisioned tenant's claim link. `expired` is never stored: a waiting link
    /// past its expiry reads as expired.
    ClaimState, "lowercase" {
        Waiting => "waiting", "Waiting";
        Claimed => "claimed", "Claimed";
        Revoked => "revoked", "Revoked";
        Expired => "expired", "Expired";
    }
}

text_enum! {
    /// What one line of the admin's recent-activity feed is about.
    ActivityKind, "lowercase" {
        Applied => "applied", "Applied";
        Approved => "approved", "Approved";
        Signup => "signup", "Signup";
        Conversion => "conversion", "Conversion";
        Payout => "payout", "Payout sent";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_roles_use_lowercase_text() {
        assert_eq!(WorkspaceRole::Owner.as_str(), "owner");
        assert_eq!(WorkspaceRole::parse("admin"), Some(WorkspaceRole::Admin));
        assert_eq!(WorkspaceRole::parse(" Member "), Some(WorkspaceRole::Member));
        assert_eq!(WorkspaceRole::parse("superuser"), None);
        assert_eq!(WorkspaceRole::parse(""), None);
    }

    #[test]
    fn only_owners_and_admins_can_manage_a_workspace() {
        assert!(WorkspaceRole::Owner.can_manage());
        assert!(WorkspaceRole::Admin.can_manage());
        assert!(!WorkspaceRole::Member.can_manage());
    }

    #[test]
    fn subscription_statuses_use_the_uppercase_spelling_from_the_spec() {
        let texts: Vec<_> = SubscriptionStatus::all().iter().map(|s| s.as_str()).collect();
        assert_eq!(texts, ["TRIALING", "ACTIVE", "PAST_DUE", "CANCELED"]);
        assert_eq!(SubscriptionStatus::parse("PAST_DUE"), Some(SubscriptionStatus::PastDue));
        assert_eq!(SubscriptionStatus::parse("active"), Some(SubscriptionStatus::Active));
        assert_eq!(SubscriptionStatus::parse("PAST DUE"), None);
        assert_eq!(SubscriptionStatus::PastDue.label(), "Past due");
    }

    #[test]
    fn commission_statuses_use_lowercase_text() {
        let texts: Vec<_> = CommissionStatus::all().iter().map(|s| s.as_str()).collect();
        assert_eq!(texts, ["pending", "approved", "paid", "reversed"]);
        assert_eq!(CommissionStatus::parse("reversed"), Some(CommissionStatus::Reversed));
        assert_eq!(CommissionStatus::parse("refunded"), None);
    }

    #[test]
    fn payout_statuses_use_lowercase_text() {
        let texts: Vec<_> = PayoutStatus::all().iter().map(|s| s.as_str()).collect();
        assert_eq!(texts, ["pending", "processing", "paid", "failed"]);
        assert_eq!(PayoutStatus::parse("failed"), Some(PayoutStatus::Failed));
    }

    #[test]
    fn every_value_parses_back_from_its_text_and_display() {
        for r in WorkspaceRole::all() {
            assert_eq!(WorkspaceRole::parse(r.as_str()), Some(*r));
            assert_eq!(r.to_string(), r.as_str());
        }
        for s in SubscriptionStatus::all() {
            assert_eq!(SubscriptionStatus::parse(&s.to_string()), Some(*s));
        }
        for s in CommissionStatus::all() {
            assert_eq!(CommissionStatus::parse(&s.to_string()), Some(*s));
        }
        for s in PayoutStatus::all() {
            assert_eq!(PayoutStatus::parse(&s.to_string()), Some(*s));
        }
        for s in ReferralSource::all() {
            assert_eq!(ReferralSource::parse(s.as_str()), Some(*s));
        }
        for s in ClaimState::all() {
            assert_eq!(ClaimState::parse(s.as_str()), Some(*s));
        }
        for k in WorkspaceKind::all() {
            assert_eq!(WorkspaceKind::parse(k.as_str()), Some(*k));
        }
        for t in WorkspaceTier::all() {
            assert_eq!(WorkspaceTier::parse(t.as_str()), Some(*t));
        }
    }
}
