//! `/graphiql`: the GraphiQL IDE, with React and GraphiQL served from the binary itself
//! (`crates/gateway/assets/graphiql/`, copied unchanged from the npm packages, with their
//! licences), so that it works on a network with no way out. Asset URLs carry their version, so
//! they can be cached for good.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const REACT: &str = "react-18.3.1.production.min.js";
const REACT_DOM: &str = "react-dom-18.3.1.production.min.js";
const GRAPHIQL_JS: &str = "graphiql-4.1.2.min.js";
const GRAPHIQL_CSS: &str = "graphiql-4.1.2.min.css";

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The assets by the name the page asks for: their bytes and type.
fn asset(name: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match name {
        REACT => (
            include_bytes!("../../assets/graphiql/react.production.min.js"),
            JAVASCRIPT,
        ),
        REACT_DOM => (
            include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
            JAVASCRIPT,
        ),
        GRAPHIQL_JS => (
            include_bytes!("../../assets/graphiql/graphiql.min.js"),
            JAVASCRIPT,
        ),
        GRAPHIQL_CSS => (
            include_bytes!("../../assets/graphiql/graphiql.min.css"),
            CSS,
        ),
        _ => return None,
    })
}

pub async fn page() -> Html<String> {
    Html(
        include_str!("graphiql.html")
            .replace("{react}", REACT)
            .replace("{react_dom}", REACT_DOM)
            .replace("{graphiql_js}", GRAPHIQL_JS)
            .replace("{graphiql_css}", GRAPHIQL_CSS),
    )
}

pub async fn assets(Path(name): Path<String>) -> Response {
    let Some((bytes, content_type)) = asset(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_page_asks_only_its_own_server_for_what_it_loads() {
        let Html(html) = page().await;
        for name in [REACT, REACT_DOM, GRAPHIQL_JS, GRAPHIQL_CSS] {
            assert!(html.contains(&format!("/graphiql/assets/{name}")), "{name}");
            assert!(
                asset(name).is_some_and(|(bytes, _)| bytes.len() > 1_000),
                "{name}"
            );
        }
        for attribute in ["src=\"", "href=\""] {
            for link in html.split(attribute).skip(1) {
                assert!(
                    link.starts_with('/') || link.starts_with("data:"),
                    "{attribute}{link:.60}"
                );
            }
        }
        assert!(!html.contains("unpkg") && !html.contains("://"), "{html}");
    }
}
