use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use leptos::server_fn::codec::JsonEncoding;

use crate::domain::error::FieldError;

/// The one error type every server function returns. Each variant has an HTTP status
/// (see `status`); only `Internal` is a fault of ours, and it shows nothing internal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    Unauthorized,
    #[error("Email or password is incorrect.")]
    InvalidCredentials,
    #[error("You don't have access to this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    /// Signed in, but this person may not do this particular thing (with why).
    #[error("{0}")]
    Refused(String),
    #[error("Too many attempts. Please wait a minute and try again.")]
    RateLimited,
    /// Too much of a costly kind of work is queued right now (503 with Retry-After).
    #[error("We're very busy right now. Please try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request never reached the function (network, malformed arguments…).
    #[error("{0}")]
    Request(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthorized | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::Refused(_) => 403,
            Self::NotFound => 404,
            Self::Invalid { .. } | Self::Request(_) => 400,
            Self::Conflict(_) => 409,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Busy => 503,
        }
    }

    /// The message to show next to `field`, if this error is about that field.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            Self::Invalid { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self::Invalid { field: e.field.to_string(), message: e.message }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => malformed(&m),
            other => Self::Request(other.to_string()),
        }
    }
}

/// Arguments the server could not read, in the product's words: which field is
/// missing, or that the form could not be read. Never the parser's own message.
fn malformed(parser_message: &str) -> AppError {
    let missing = parser_message
        .split_once("missing field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(field, _)| field)
        .filter(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    match missing {
        Some(field) => AppError::invalid(field, "This field is required."),
        None if parser_message.to_ascii_lowercase().contains("utf-8") => {
            AppError::invalid("request", "The form contains text that is not valid UTF-8.")
        }
        None => AppError::invalid("request", "The form could not be read. Reload the page and try again."),
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// `?` calls this, so the caller's location is the operation that failed.
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(error = %e, %at, "database error");
        Self::Internal
    }
}

/// Server-side helper: log an unexpected failure and hide it.
#[cfg(feature = "ssr")]
#[track_caller]
pub fn internal(context: &str, e: impl std::fmt::Display) -> AppError {
    let at = std::panic::Location::caller();
    tracing::error!(error = %e, %at, "{context}");
    AppError::Internal
}

/// Puts a shared parser's message on the form's own field name (`commission` is
/// `commission_value` on one form and `value` on another), leaving other fields alone.
pub fn on_field(error: FieldError, parser_field: &str, form_field: &str) -> FieldError {
    if error.field == parser_field { error.in_field(form_field) } else { error }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_arguments_are_told_in_product_words() {
        let missing = malformed("Failed to deserialize: missing field `email`");
        assert_eq!(missing, AppError::invalid("email", "This field is required."));
        let garbled = malformed("invalid utf-8 sequence of 1 bytes from index 3");
        assert!(!garbled.to_string().contains("index"), "{garbled}");
        let other = malformed("invalid type: found sequence, expected a string at line 1");
        assert!(!other.to_string().contains("expected"), "{other}");
    }
}
