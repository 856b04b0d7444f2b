use std::fmt;

use serde::{Deserialize, Serialize};

/// A validation failure tied to one form field.
///
/// `field` is the machine name the UI uses to put the message next to the right
/// input; `message` is shown to the end user as-is, so it is a full sentence in
/// plain words rather than a code.
///
/// `field` is a `String` (not `&'static str`) so the error can travel from the
/// server to the browser and be deserialized there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }

    /// Re-labels the error for another input. Shared parsers (dollars, percent)
    /// pick a generic field name; the form that uses them knows the real one.
    pub fn in_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

// Only the message: this is what ends up in front of the user.
impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_only_the_user_facing_message() {
        let e = FieldError::new("email", "Enter your email address");
        assert_eq!(e.to_string(), "Enter your email address");
    }

    #[test]
    fn in_field_moves_the_error_to_another_input_and_keeps_the_message() {
        let e = FieldError::new("amount", "Amount can't be negative").in_field("price");
        assert_eq!(e.field, "price");
        assert_eq!(e.message, "Amount can't be negative");
    }
}
