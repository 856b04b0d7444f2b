use std::fmt;

use super::error::FieldError;

/// A password as typed, on its way to the hasher.
///
/// No `Serialize` and a redacting `Debug`, so it cannot end up in a response,
/// a log line or a panic message by accident. Not trimmed: spaces are legal
/// password characters, and silently changing a secret would lock people out.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

pub const PASSWORD_MIN_LEN: usize = 8;
/// An upper bound so a multi-megabyte "password" can't be used to make the
/// (deliberately slow) hasher do extra work.
pub const PASSWORD_MAX_LEN: usize = 128;

const FIELD: &str = "password";

impl Password {
    pub fn parse(input: &str) -> Result<Password, FieldError> {
        let len = input.chars().count();
        if len == 0 {
            return Err(FieldError::new(FIELD, "Enter a password"));
        }
        if len < PASSWORD_MIN_LEN {
            return Err(FieldError::new(
                FIELD,
                format!("Password must be at least {PASSWORD_MIN_LEN} characters"),
            ));
        }
        if len > PASSWORD_MAX_LEN {
            return Err(FieldError::new(
                FIELD,
                format!("Password can be at most {PASSWORD_MAX_LEN} characters"),
            ));
        }
        Ok(Password(input.to_owned()))
    }

    /// The secret itself, for the hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_of_eight_to_128_characters_are_accepted() {
        assert_eq!(Password::parse("12345678").unwrap().expose(), "12345678");
        assert!(Password::parse(&"p".repeat(128)).is_ok());
        // Counted in characters, so non-ASCII passwords get the same room.
        assert!(Password::parse(&"ü".repeat(128)).is_ok());
    }

    #[test]
    fn spaces_are_kept_because_they_are_part_of_the_secret() {
        assert_eq!(Password::parse(" pass word ").unwrap().expose(), " pass word ");
    }

    #[test]
    fn short_empty_and_overlong_passwords_are_rejected() {
        assert_eq!(Password::parse("").unwrap_err().message, "Enter a password");
        let e = Password::parse("1234567").unwrap_err();
        assert_eq!(e.field, "password");
        assert_eq!(e.message, "Password must be at least 8 characters");
        assert_eq!(
            Password::parse(&"p".repeat(129)).unwrap_err().message,
            "Password can be at most 128 characters"
        );
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let p = Password::parse("hunter2hunter2").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
        assert!(!format!("{:?}", Some(&p)).contains("hunter2"));
    }
}
