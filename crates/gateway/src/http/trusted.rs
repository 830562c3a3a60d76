//! Trusted documents: a manifest of the operations a deployment's own clients send, by the
//! SHA-256 of their text (`{ "sha256:<hex>": "<document>" }`, what `npm run trusted-documents`
//! writes for the TypeScript client). A request may name one by id instead of sending its text —
//! `{ "documentId": "sha256:<hex>" }`, or Apollo's `extensions.persistedQuery.sha256Hash` — and
//! with `GRAPHQL_TRUSTED_DOCUMENTS_ONLY=true` any other document is refused
//! (`DOCUMENT_NOT_TRUSTED`), so a stolen token cannot run queries the product never sends.
//!
//! The manifest is read, hashed, parsed and validated against every rule of the schema once, at
//! start-up (a manifest with a document this server cannot run refuses to load). A request naming
//! a trusted document is then neither parsed nor validated again: it runs on the trusted schema
//! (`crate::schema::build_trusted_schema`), which only prices it, since its depth and cost depend
//! on the variables.

use crate::schema::Validator;
use async_graphql::parser::parse_query;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

const ID_PREFIX: &str = "sha256:";

/// The manifest's documents, parsed, by the hex SHA-256 of their text.
#[derive(Default)]
pub struct TrustedDocuments {
    by_hash: HashMap<String, Trusted>,
    /// Whether documents outside the manifest are refused.
    only: bool,
}

struct Trusted {
    text: Arc<str>,
    document: Arc<ExecutableDocument>,
}

impl std::fmt::Debug for TrustedDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedDocuments")
            .field("documents", &self.by_hash.len())
            .field("only", &self.only)
            .finish()
    }
}

/// Marks a request whose document is a trusted one, validated when the manifest loaded.
struct Validated;

/// Gives `request` the parsed trusted `document` and marks it as validated already.
pub fn use_trusted(request: &mut async_graphql::Request, document: &ExecutableDocument) {
    request.set_parsed_query(document.clone());
    request.data.insert(Validated);
}

/// Whether `request` runs a trusted document (see [`use_trusted`]).
pub fn is_trusted(request: &async_graphql::Request) -> bool {
    request
        .data
        .contains_key(&std::any::TypeId::of::<Validated>())
}

/// Every operation of `document` against every validation rule; the errors joined.
fn validate(validator: &Validator, document: &ExecutableDocument) -> Result<(), String> {
    let operations: Vec<Option<&str>> = match &document.operations {
        DocumentOperations::Single(_) => vec![None],
        DocumentOperations::Multiple(operations) => {
            operations.keys().map(|name| Some(name.as_str())).collect()
        }
    };
    for operation in operations {
        validator
            .validate(document, operation)
            .map_err(|errors| errors.join("; "))?;
    }
    Ok(())
}

/// Why a request's document is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untrusted(pub String);

fn hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl TrustedDocuments {
    /// Reads the manifest at `path`; each entry's id must be its text's SHA-256 and its text
    /// must parse. `only` refuses every other document.
    pub fn load(path: &Path, only: bool) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        Self::from_manifest(&text, only).map_err(|error| format!("{}: {error}", path.display()))
    }

    fn from_manifest(manifest: &str, only: bool) -> Result<Self, String> {
        let Ok(Value::Object(entries)) = serde_json::from_str(manifest) else {
            return Err("is not a JSON object of \"sha256:<hex>\": \"<document>\"".to_owned());
        };
        let mut by_hash = HashMap::with_capacity(entries.len());
        let validator = Validator::default();
        for (id, text) in entries {
            let Value::String(text) = text else {
                return Err(format!("the entry {id} is not a document's text"));
            };
            let key = id
                .strip_prefix(ID_PREFIX)
                .unwrap_or(&id)
                .to_ascii_lowercase();
            if key != hash(&text) {
                return Err(format!("the entry {id} is not the SHA-256 of its text"));
            }
            let document = parse_query(&text)
                .map_err(|error| format!("the entry {id} does not parse: {error}"))?;
            validate(&validator, &document)
                .map_err(|errors| format!("the entry {id} is not valid here: {errors}"))?;
            by_hash.insert(
                key,
                Trusted {
                    text: Arc::from(text),
                    document: Arc::new(document),
                },
            );
        }
        Ok(Self { by_hash, only })
    }

    /// Whether a manifest is configured (else requests pass through untouched).
    pub fn configured(&self) -> bool {
        self.only || !self.by_hash.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// Puts the text of the document each operation of a request body (one object, or a batch's
    /// array) names into its `query`, and answers the parsed documents in order (`None` for an
    /// operation sent as text outside the manifest, allowed unless only trusted ones are).
    pub fn resolve(
        &self,
        body: &mut Value,
    ) -> Result<Vec<Option<Arc<ExecutableDocument>>>, Untrusted> {
        match body {
            Value::Array(operations) => operations
                .iter_mut()
                .map(|operation| self.resolve_one(operation))
                .collect(),
            operation => Ok(vec![self.resolve_one(operation)?]),
        }
    }

    fn resolve_one(
        &self,
        operation: &mut Value,
    ) -> Result<Option<Arc<ExecutableDocument>>, Untrusted> {
        let Value::Object(fields) = operation else {
            return Ok(None);
        };
        let named = fields
            .get("documentId")
            .and_then(Value::as_str)
            .map(|id| {
                id.strip_prefix(ID_PREFIX)
                    .unwrap_or(id)
                    .to_ascii_lowercase()
            })
            .or_else(|| {
                fields
                    .get("extensions")?
                    .get("persistedQuery")?
                    .get("sha256Hash")?
                    .as_str()
                    .map(str::to_ascii_lowercase)
            });
        let sent = fields
            .get("query")
            .and_then(Value::as_str)
            .filter(|text| !text.trim().is_empty());
        let key = match (named, sent) {
            (Some(id), _) => id,
            (None, Some(text)) => hash(text),
            (None, None) => return Ok(None),
        };
        match self.by_hash.get(&key) {
            Some(trusted) => {
                if sent.is_some_and(|text| *text != *trusted.text) {
                    return Err(Untrusted(
                        "the query text is not the document its id names".to_owned(),
                    ));
                }
                fields.insert("query".to_owned(), Value::from(&*trusted.text));
                Ok(Some(Arc::clone(&trusted.document)))
            }
            None if sent.is_none() => Err(Untrusted(format!(
                "no trusted document has the id {ID_PREFIX}{key}: send one the deployment's \
                 manifest holds"
            ))),
            None if self.only => Err(Untrusted(
                "only trusted documents are accepted here: send the id of one the deployment's \
                 manifest holds"
                    .to_owned(),
            )),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PRODUCTS: &str = "query Products { products { totalCount } }";

    fn manifest(only: bool) -> TrustedDocuments {
        let text = json!({ format!("sha256:{}", hash(PRODUCTS)): PRODUCTS }).to_string();
        TrustedDocuments::from_manifest(&text, only).unwrap()
    }

    #[test]
    fn a_manifest_entry_must_be_the_hash_of_a_document_that_parses_and_validates() {
        let wrong = json!({ "sha256:00": PRODUCTS }).to_string();
        assert!(TrustedDocuments::from_manifest(&wrong, false).is_err());
        let broken = "{ products";
        let unparsable = json!({ hash(broken): broken }).to_string();
        assert!(TrustedDocuments::from_manifest(&unparsable, false).is_err());
        assert!(TrustedDocuments::from_manifest("[]", false).is_err());
        let paged = "query Paged($first: Int!) { products(first: $first) { totalCount } }";
        let required = json!({ hash(paged): paged }).to_string();
        assert!(
            TrustedDocuments::from_manifest(&required, false).is_ok(),
            "a required variable the cost reads is supplied per request"
        );
        let stale = "query Stale { products { noSuchField } }";
        let invalid = json!({ hash(stale): stale }).to_string();
        let refused = TrustedDocuments::from_manifest(&invalid, false)
            .err()
            .unwrap();
        assert!(refused.contains("noSuchField"), "{refused}");
        assert_eq!(manifest(false).len(), 1);
    }

    #[test]
    fn the_typescript_clients_manifest_loads_every_document_validated() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../clients/typescript/trusted-documents.json");
        let manifest = TrustedDocuments::load(&path, true).unwrap();
        assert!(manifest.len() > 100, "{} documents", manifest.len());
    }

    #[test]
    fn operations_are_named_by_document_id_or_apollo_hash_and_others_refused_when_only_trusted() {
        let trusted = manifest(true);
        let mut by_id = json!({ "documentId": format!("sha256:{}", hash(PRODUCTS)) });
        assert!(trusted.resolve(&mut by_id).unwrap()[0].is_some());
        assert_eq!(by_id["query"], PRODUCTS);
        let mut apollo = json!([
            { "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash(PRODUCTS) } } },
            { "query": PRODUCTS },
        ]);
        let documents = trusted.resolve(&mut apollo).unwrap();
        assert!(documents.iter().all(Option::is_some));
        let mut other = json!({ "query": "{ customers { totalCount } }" });
        assert!(trusted.resolve(&mut other).is_err());
        assert!(manifest(false).resolve(&mut other).unwrap()[0].is_none());
        let mut unknown = json!({ "documentId": "sha256:abc" });
        assert!(manifest(false).resolve(&mut unknown).is_err());
        let mut mismatched =
            json!({ "documentId": hash(PRODUCTS), "query": "{ customers { totalCount } }" });
        assert!(manifest(false).resolve(&mut mismatched).is_err());
    }
}
