//! Input checks shared by the intelligence writes; each names the field it rejects in the API's
//! camelCase.

use leora_tenancy::{Refusal, validate};

/// Titles and objectives: a line, not an essay.
const MAX_TITLE_CHARS: usize = 200;
/// Notes, outcomes and descriptions: room for a visit report, not for a pasted document.
const MAX_NOTE_CHARS: usize = 10_000;

/// Trimmed, non-empty, at most [`MAX_TITLE_CHARS`].
pub(crate) fn title(field: &'static str, raw: &str) -> Result<String, Refusal> {
    validate::required_text(field, raw, MAX_TITLE_CHARS)
}

/// Optional free text, trimmed, blank counting as absent, at most [`MAX_NOTE_CHARS`].
pub(crate) fn note(field: &'static str, raw: Option<String>) -> Result<Option<String>, Refusal> {
    validate::optional_text(field, raw, MAX_NOTE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leora_tenancy::ApiError;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(title("title", "  Call back ").unwrap(), "Call back");
        assert_eq!(title("title", "  ").unwrap_err().field(), Some("title"));
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(title("title", &long).unwrap_err().field(), Some("title"));
        assert!(title("title", &"x".repeat(MAX_TITLE_CHARS)).is_ok());
    }

    #[test]
    fn blank_notes_are_absent_and_long_ones_refused() {
        assert_eq!(note("notes", Some("  ".into())).unwrap(), None);
        assert_eq!(note("notes", None).unwrap(), None);
        assert_eq!(
            note("notes", Some(" ok ".into())).unwrap().as_deref(),
            Some("ok")
        );
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(
            note("notes", Some(long)).unwrap_err().field(),
            Some("notes")
        );
    }
}
