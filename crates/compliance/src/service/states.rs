//! US state codes, as every table that names a state stores them.

/// The two-letter code in `raw`, trimmed and upper-cased (" ca" → "CA"); `None` unless it is
/// exactly two ASCII letters. Whether the letters name a real state is not checked: the columns
/// only promise the shape, and territories and new codes should not need a release.
pub fn parse_state_code(raw: &str) -> Option<String> {
    let code = raw.trim();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_letters_in_any_case_become_an_upper_case_code() {
        assert_eq!(parse_state_code("CA").as_deref(), Some("CA"));
        assert_eq!(parse_state_code(" ny ").as_deref(), Some("NY"));
        assert_eq!(parse_state_code("Tx").as_deref(), Some("TX"));
    }

    #[test]
    fn anything_but_two_letters_is_refused() {
        for raw in ["", "C", "CAL", "California", "C1", "C ", "ÇA", "12"] {
            assert_eq!(parse_state_code(raw), None, "{raw:?}");
        }
    }
}
