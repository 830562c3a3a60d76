//! Input checks shared by the services; each names the offending field.

use crate::error::IntegrationsError;

/// A list of distinct, trimmed, non-blank names, in first-seen order.
pub(crate) fn distinct_names(
    field: &'static str,
    values: Vec<String>,
    max_items: usize,
    max_len: usize,
) -> Result<Vec<String>, IntegrationsError> {
    let mut names: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = value.trim();
        if value.is_empty() {
            return Err(IntegrationsError::bad_input(
                field,
                "must not contain blank entries",
            ));
        }
        if value.chars().count() > max_len {
            return Err(IntegrationsError::bad_input(
                field,
                format!("entries must be at most {max_len} characters"),
            ));
        }
        if !names.iter().any(|name| name == value) {
            names.push(value.to_owned());
        }
    }
    if names.len() > max_items {
        return Err(IntegrationsError::bad_input(
            field,
            format!("must have at most {max_items} entries"),
        ));
    }
    Ok(names)
}

/// A JSON array of strings, as `event_types` and `scopes` are stored.
pub(crate) fn json_strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_deduplicated() {
        let names = distinct_names("x", vec![" a ".into(), "b".into(), "a".into()], 5, 10);
        assert_eq!(names.unwrap(), ["a", "b"]);
        assert!(distinct_names("x", vec![" ".into()], 5, 10).is_err());
        assert!(distinct_names("x", vec!["abcdef".into()], 5, 3).is_err());
        assert!(distinct_names("x", vec!["a".into(), "b".into()], 1, 3).is_err());
    }
}
