//! Invite codes: `BETA-7KQ4-M2X9`. A flavor prefix, seven random characters from an
//! alphabet without look-alikes (no 0/O, 1/I/L) and a check character, so a mistyped
//! code is answered "that code has a typo" before any database lookup.
//!
//! The alphabet has 31 characters, a prime, and the check character makes the weighted
//! sum `Σ (i + 1) · value(cᵢ)` over all eight characters ≡ 0 (mod 31). With a prime
//! modulus and distinct non-zero weights below it, every single wrong character and every
//! swap of two neighbouring (different) characters changes the sum, so both are caught.
//! Codes are case-insensitive: input is upper-cased, and spaces and dashes are ignored.
use std::fmt;

use serde::{Deserialize, Serialize};

use super::roles::text_enum;

/// Digits 2–9 and the letters without I, L and O.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Random characters in a code (31⁷ ≈ 2.8 · 10¹⁰ codes per flavor).
pub const RANDOM_LEN: usize = 7;
const BODY_LEN: usize = RANDOM_LEN + 1;

text_enum! {
    /// The kinds of invite code, each with its own prefix, landing and default grant.
    InviteFlavor, "lowercase" {
        Personal => "personal", "Personal";
        Beta => "beta", "Beta";
        Free => "free", "Free";
        Og => "og", "OG";
        Partner => "partner", "Partner";
    }
}

impl InviteFlavor {
    /// What the code starts with. No prefix is the start of another.
    pub const fn prefix(self) -> &'static str {
        match self {
            InviteFlavor::Personal => "FRIEND",
            InviteFlavor::Beta => "BETA",
            InviteFlavor::Free => "FREE",
            InviteFlavor::Og => "OG",
            InviteFlavor::Partner => "PARTNER",
        }
    }

    /// A workspace redeems at most one code of these flavors (one beta invite, one OG
    /// thank-you, one free grant), whichever code it is.
    pub const fn once_per_workspace(self) -> bool {
        matches!(self, InviteFlavor::Beta | InviteFlavor::Free | InviteFlavor::Og)
    }

    fn by_prefix(prefix: &str) -> Option<InviteFlavor> {
        Self::all().iter().copied().find(|f| f.prefix() == prefix)
    }
}

/// Why a typed code is not a code, decided without a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeProblem {
    Empty,
    /// Not the shape of any invite code (no known prefix, wrong length).
    NotACode,
    /// The shape of a code, but a character or the check character is wrong.
    Typo,
}

impl CodeProblem {
    pub const fn message(self) -> &'static str {
        match self {
            CodeProblem::Empty => "Enter an invite code.",
            CodeProblem::NotACode => "That doesn't look like an invite code. Codes look like BETA-7KQ4-M2X9.",
            CodeProblem::Typo => "That code has a typo. Check each character and try again.",
        }
    }
}

impl fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A well-formed invite code (right prefix, alphabet and check character).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InviteCode {
    flavor: InviteFlavor,
    /// The eight characters after the prefix, upper case.
    body: String,
}

impl InviteCode {
    pub fn parse(input: &str) -> Result<InviteCode, CodeProblem> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.is_empty() {
            return Err(CodeProblem::Empty);
        }
        if !compact.is_ascii() || compact.len() <= BODY_LEN {
            return Err(CodeProblem::NotACode);
        }
        let (prefix, body) = compact.split_at(compact.len() - BODY_LEN);
        let flavor = InviteFlavor::by_prefix(prefix).ok_or(CodeProblem::NotACode)?;
        let values: Option<Vec<u32>> = body.bytes().map(value_of).collect();
        match values {
            Some(values) if weighted_sum(&values).is_multiple_of(31) => {
                Ok(InviteCode { flavor, body: body.to_string() })
            }
            _ => Err(CodeProblem::Typo),
        }
    }

    /// A new code from seven random alphabet positions (the caller's randomness; any
    /// number is reduced into the alphabet).
    pub fn generate(flavor: InviteFlavor, random: [u32; RANDOM_LEN]) -> InviteCode {
        let mut values: Vec<u32> = random.iter().map(|r| r % 31).collect();
        // Weight 8 for the check character: find c with sum + 8c ≡ 0 (mod 31).
        let partial = weighted_sum(&values) % 31;
        let check = (0..31).find(|c| (partial + 8 * c).is_multiple_of(31)).unwrap_or(0);
        values.push(check);
        let body = values.iter().map(|&v| ALPHABET[v as usize] as char).collect();
        InviteCode { flavor, body }
    }

    pub fn flavor(&self) -> InviteFlavor {
        self.flavor
    }

    /// The unique, normalised form stored and looked up: `BETA-7KQ4M2X9`.
    pub fn key(&self) -> String {
        format!("{}-{}", self.flavor.prefix(), self.body)
    }

    /// How people see it: `BETA-7KQ4-M2X9`.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", self.flavor.prefix(), &self.body[..4], &self.body[4..])
    }
}

impl fmt::Display for InviteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

fn value_of(b: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == b).map(|p| p as u32)
}

fn weighted_sum(values: &[u32]) -> u32 {
    values.iter().enumerate().map(|(i, v)| (i as u32 + 1) * v).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(flavor: InviteFlavor, seed: u32) -> InviteCode {
        InviteCode::generate(flavor, [seed, seed * 7 + 3, 11, seed / 3, 29, 4, seed ^ 5])
    }

    #[test]
    fn generated_codes_have_the_flavor_prefix_and_read_back() {
        for &flavor in InviteFlavor::all() {
            let c = code(flavor, 17);
            assert!(c.display().starts_with(&format!("{}-", flavor.prefix())));
            assert_eq!(InviteCode::parse(&c.display()), Ok(c.clone()));
            assert_eq!(InviteCode::parse(&c.key()), Ok(c.clone()));
            assert_eq!(c.flavor(), flavor);
        }
    }

    #[test]
    fn case_spaces_and_dashes_do_not_matter() {
        let c = code(InviteFlavor::Beta, 3);
        let sloppy = format!("  {} ", c.display().to_lowercase().replace('-', " "));
        assert_eq!(InviteCode::parse(&sloppy).unwrap().key(), c.key());
    }

    #[test]
    fn look_alike_characters_are_not_in_the_alphabet() {
        for bad in b"01OIL" {
            assert!(!ALPHABET.contains(bad));
        }
        assert_eq!(ALPHABET.len(), 31);
    }

    #[test]
    fn unknown_prefixes_and_short_input_are_not_codes() {
        assert_eq!(InviteCode::parse(""), Err(CodeProblem::Empty));
        assert_eq!(InviteCode::parse(" - "), Err(CodeProblem::Empty));
        assert_eq!(InviteCode::parse("BETA-12"), Err(CodeProblem::NotACode));
        assert_eq!(InviteCode::parse("GAMMA-7KQ4-M2X9"), Err(CodeProblem::NotACode));
        assert_eq!(InviteCode::parse("BÉTA-7KQ4-M2X9"), Err(CodeProblem::NotACode));
    }

    #[test]
    fn a_look_alike_typed_by_mistake_is_a_typo() {
        let c = code(InviteFlavor::Og, 8).display();
        let with_zero = format!("{}0", &c[..c.len() - 1]);
        assert_eq!(InviteCode::parse(&with_zero), Err(CodeProblem::Typo));
    }

    #[test]
    fn flavors_that_count_once_per_workspace() {
        let once: Vec<_> = InviteFlavor::all().iter().filter(|f| f.once_per_workspace()).collect();
        assert_eq!(once, [&InviteFlavor::Beta, &InviteFlavor::Free, &InviteFlavor::Og]);
        assert_eq!(InviteFlavor::parse("OG"), Some(InviteFlavor::Og));
    }

    fn body_of(c: &InviteCode) -> Vec<u8> {
        c.key().split_once('-').unwrap().1.as_bytes().to_vec()
    }

    fn with_body(flavor: InviteFlavor, body: &[u8]) -> String {
        format!("{}-{}", flavor.prefix(), String::from_utf8(body.to_vec()).unwrap())
    }

    proptest! {
        #[test]
        fn every_generated_code_parses_to_itself(r in proptest::array::uniform7(any::<u32>()), f in 0usize..5) {
            let flavor = InviteFlavor::all()[f];
            let c = InviteCode::generate(flavor, r);
            prop_assert_eq!(InviteCode::parse(&c.display()), Ok(c.clone()));
        }

        #[test]
        fn every_single_character_change_is_caught(
            r in proptest::array::uniform7(any::<u32>()), at in 0usize..8, to in 0usize..31,
        ) {
            let c = InviteCode::generate(InviteFlavor::Beta, r);
            let mut body = body_of(&c);
            prop_assume!(body[at] != ALPHABET[to]);
            body[at] = ALPHABET[to];
            prop_assert_eq!(InviteCode::parse(&with_body(InviteFlavor::Beta, &body)), Err(CodeProblem::Typo));
        }

        #[test]
        fn every_swap_of_neighbours_is_caught(r in proptest::array::uniform7(any::<u32>()), at in 0usize..7) {
            let c = InviteCode::generate(InviteFlavor::Free, r);
            let mut body = body_of(&c);
            prop_assume!(body[at] != body[at + 1]);
            body.swap(at, at + 1);
            prop_assert_eq!(InviteCode::parse(&with_body(InviteFlavor::Free, &body)), Err(CodeProblem::Typo));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = InviteCode::parse(&s);
        }
    }
}

text_enum! {
    /// How far one invitee of a personal code got: registered, then created a workspace
    /// (the redemption), then paid for the first time.
    InviteeStage, "lowercase" {
        Registered => "registered", "Registered";
        Workspace => "workspace", "Workspace created";
        Paid => "paid", "First paid subscription";
    }
}

impl InviteeStage {
    /// The steps done out of three (the progress dots).
    pub fn steps(self) -> usize {
        match self {
            InviteeStage::Registered => 1,
            InviteeStage::Workspace => 2,
            InviteeStage::Paid => 3,
        }
    }
}

text_enum! {
    /// Whether a code can be redeemed now; derived from its row and the time.
    CodeStatus, "snake_case" {
        Active => "active", "Active";
        Disabled => "disabled", "Disabled";
        Expired => "expired", "Expired";
        UsedUp => "used_up", "Used up";
    }
}

impl CodeStatus {
    /// Disabled wins over expired, which wins over used up: the first reason a person
    /// could act on is the one they are told.
    pub fn of(
        disabled_at: Option<i64>,
        expires_at: Option<i64>,
        max_uses: Option<i64>,
        uses: i64,
        now: i64,
    ) -> Self {
        if disabled_at.is_some() {
            CodeStatus::Disabled
        } else if expires_at.is_some_and(|e| e <= now) {
            CodeStatus::Expired
        } else if max_uses.is_some_and(|m| uses >= m) {
            CodeStatus::UsedUp
        } else {
            CodeStatus::Active
        }
    }

    /// The sentence a person holding a code in this state reads.
    pub const fn problem(self) -> &'static str {
        match self {
            CodeStatus::Active => "",
            CodeStatus::Disabled => "This invite code has been switched off and can't be used any more.",
            CodeStatus::Expired => "This invite code has expired.",
            CodeStatus::UsedUp => "This invite code has been used as many times as it allows.",
        }
    }
}

#[cfg(test)]
mod status_tests {
    use super::CodeStatus;

    #[test]
    fn a_code_is_active_until_disabled_expired_or_used_up() {
        assert_eq!(CodeStatus::of(None, None, None, 1_000, 5), CodeStatus::Active);
        assert_eq!(CodeStatus::of(None, Some(6), Some(3), 2, 5), CodeStatus::Active);
        assert_eq!(CodeStatus::of(None, Some(5), Some(3), 2, 5), CodeStatus::Expired);
        assert_eq!(CodeStatus::of(None, None, Some(3), 3, 5), CodeStatus::UsedUp);
        assert_eq!(CodeStatus::of(Some(1), Some(1), Some(3), 3, 5), CodeStatus::Disabled);
        assert_eq!(CodeStatus::parse("used_up"), Some(CodeStatus::UsedUp));
    }
}
