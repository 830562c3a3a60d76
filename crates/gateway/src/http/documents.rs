//! Parsed GraphQL documents, kept by query text. Clients send the same few operations over and
//! over (a generated client never changes its text), and parsing is a measured share of a request:
//! about 12 % of the instructions of a rep's account list, 4–6 % of a catalog or order page. So
//! each distinct text is parsed once, and every request gets its own copy of the document, which
//! execution may then trim (`@skip`, `@include`) for its own variables.
//!
//! Only the parse is saved: the depth, directive and validation checks still run on every request.
//! Texts that do not parse are not kept; execution parses them again and reports the error as
//! usual. Memory is bounded by the texts kept: at most `budget_bytes` of them (the oldest are
//! forgotten first), each at most [`MAX_TEXT_BYTES`] (longer ones are left to execution to parse).
//! A parsed document takes up to about a hundred times its text (`{ a a a … }`), so the default
//! 256 KiB budget holds well under 30 MB whatever clients send.

use async_graphql::Request;
use async_graphql::parser::parse_query;
use async_graphql::parser::types::ExecutableDocument;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Generated clients' operations are a few hundred bytes; GraphiQL's introspection query about 2 KB.
pub const MAX_TEXT_BYTES: usize = 8 * 1024;

pub struct DocumentCache {
    budget_bytes: usize,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_text: HashMap<Arc<str>, Arc<ExecutableDocument>>,
    oldest_first: VecDeque<Arc<str>>,
    text_bytes: usize,
}

impl DocumentCache {
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            budget_bytes,
            entries: Mutex::default(),
        }
    }

    /// Hands `request` its parsed document, parsing the text only the first time it is seen.
    pub fn prepare(&self, request: &mut Request) {
        let text_bytes = request.query.len();
        if text_bytes > MAX_TEXT_BYTES || text_bytes > self.budget_bytes {
            return;
        }
        // Cloned outside the lock: every request of the server passes through it.
        let cached = self.lock().by_text.get(request.query.as_str()).cloned();
        if let Some(document) = cached {
            request.set_parsed_query(ExecutableDocument::clone(&document));
            return;
        }
        let Ok(document) = parse_query(&request.query) else {
            return;
        };
        let document = Arc::new(document);
        self.remember(&request.query, Arc::clone(&document));
        request.set_parsed_query(Arc::unwrap_or_clone(document));
    }

    fn remember(&self, text: &str, document: Arc<ExecutableDocument>) {
        let mut entries = self.lock();
        if entries.by_text.contains_key(text) {
            return;
        }
        while entries.text_bytes + text.len() > self.budget_bytes {
            let Some(oldest) = entries.oldest_first.pop_front() else {
                return;
            };
            entries.text_bytes -= oldest.len();
            entries.by_text.remove(&oldest);
        }
        let text: Arc<str> = Arc::from(text);
        entries.text_bytes += text.len();
        entries.oldest_first.push_back(Arc::clone(&text));
        entries.by_text.insert(text, document);
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // The entries are consistent after every statement, so a panic elsewhere cannot leave
        // them half-updated.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    fn texts(&self) -> Vec<String> {
        self.lock()
            .oldest_first
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(cache: &DocumentCache, text: &str) -> Request {
        let mut request = Request::new(text);
        cache.prepare(&mut request);
        request
    }

    #[test]
    fn a_text_is_parsed_once_and_each_request_gets_the_document() {
        let cache = DocumentCache::new(1024);
        let mut first = prepared(&cache, "{ me { id } }");
        let mut second = prepared(&cache, "{ me { id } }");
        assert_eq!(cache.texts(), ["{ me { id } }"]);
        let (first, second) = (
            format!("{:?}", first.parsed_query().unwrap()),
            format!("{:?}", second.parsed_query().unwrap()),
        );
        assert_eq!(first, second);
    }

    #[test]
    fn a_text_that_does_not_parse_is_left_for_execution_to_report() {
        let cache = DocumentCache::new(1024);
        let mut request = prepared(&cache, "{ me { id }");
        assert!(cache.texts().is_empty());
        assert!(request.parsed_query().is_err());
    }

    #[test]
    fn a_long_text_is_left_for_execution_to_parse() {
        let cache = DocumentCache::new(4 * MAX_TEXT_BYTES);
        let long = format!("{{ me {{ id }} }}{}", " ".repeat(MAX_TEXT_BYTES));
        let mut request = prepared(&cache, &long);
        assert!(cache.texts().is_empty());
        assert!(request.parsed_query().is_ok());
    }

    #[test]
    fn the_oldest_text_is_forgotten_when_the_cache_is_full() {
        let cache = DocumentCache::new(10);
        for text in ["{ a }", "{ b }", "{ a }", "{ c }"] {
            prepared(&cache, text);
        }
        assert_eq!(cache.texts(), ["{ b }", "{ c }"]);
    }
}
