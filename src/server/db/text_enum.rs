//! The database boundary of the domain's text enums (`domain::roles`): each is stored
//! as its exact `as_str()` text and read back only from that text, so a row holding
//! anything else fails to decode with a message naming the type and the value, instead
//! of being compared as a string somewhere later.
use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Type};

use crate::domain::credits::CreditKind;
use crate::domain::invite_codes::{CodeStatus, InviteFlavor};
use crate::domain::mail::MailStatus;
use crate::domain::partner::PartnerState;
use crate::domain::payouts::{CommissionKind, EntryState};
use crate::domain::roles::{
    ActivityKind, ClaimState, CommissionStatus, PayoutStatus, ReferralSource, SubscriptionStatus,
    WorkspaceKind, WorkspaceRole, WorkspaceTier,
};

macro_rules! stored_as_text {
    ($($name:ident),+ $(,)?) => {$(
        impl Type<Any> for $name {
            fn type_info() -> AnyTypeInfo {
                <str as Type<Any>>::type_info()
            }
        }

        impl<'r> Decode<'r, Any> for $name {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as Decode<'r, Any>>::decode(value)?;
                $name::all().iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    format!("unknown {} {:?} in the database", stringify!($name), text).into()
                })
            }
        }

        impl<'q> Encode<'q, Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer,
            ) -> Result<IsNull, BoxDynError> {
                <&str as Encode<'q, Any>>::encode(self.as_str(), buf)
            }
        }
    )+};
}

stored_as_text!(
    WorkspaceRole,
    WorkspaceKind,
    WorkspaceTier,
    SubscriptionStatus,
    CommissionStatus,
    PayoutStatus,
    ReferralSource,
    ClaimState,
    PartnerState,
    CommissionKind,
    EntryState,
    CreditKind,
    MailStatus,
    InviteFlavor,
    CodeStatus,
    ActivityKind,
);
