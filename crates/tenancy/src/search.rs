//! Free-text search in list filters, matched with `ILIKE`.

/// The pattern for a filter's search text, or `None` when there is none or it is blank: a blank
/// search narrows nothing.
pub fn search_pattern(search: Option<&str>) -> Option<String> {
    search
        .filter(|text| !text.trim().is_empty())
        .map(contains_pattern)
}

/// A `LIKE` pattern matching `text` anywhere, with the user's `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_take_wildcards_literally() {
        assert_eq!(contains_pattern(" 100%_pinot\\ "), "%100\\%\\_pinot\\\\%");
    }
}
