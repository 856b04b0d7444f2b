//! Passwords, tokens, session cookies, login rate limits and page access rules.
pub mod access;
pub mod cookies;
pub mod guard;
pub mod limits;
pub mod password;
pub mod tokens;
