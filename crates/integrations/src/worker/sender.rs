//! One HTTP attempt: the signed POST, with a timeout, no redirects and no proxies, through a
//! resolver that (in production) never connects to an internal address.

use crate::safety::{UrlPolicy, check_url_syntax, is_public_ip};
use crate::signature::{
    ATTEMPT_HEADER, DELIVERY_ID_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER,
    TIMESTAMP_HEADER, sign,
};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const USER_AGENT: &str = concat!("Leora-Webhooks/", env!("CARGO_PKG_VERSION"));
/// How much of a failing receiver's reply is kept in `last_error`, to help its owner debug.
const ERROR_BODY_SNIPPET: usize = 256;
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
#[error("the webhook HTTP client could not be built: {0}")]
pub struct ClientBuildError(#[from] reqwest::Error);

/// The HTTP client every attempt goes through; cheap to clone (it shares its connection pool).
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    policy: UrlPolicy,
    timeout: Duration,
}

/// One delivery attempt to send.
pub struct Outgoing<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub event_id: Uuid,
    pub event_type: &'a str,
    pub delivery_id: Uuid,
    pub attempt: i32,
    pub body: &'a [u8],
}

/// How an attempt went: a 2xx status is success; anything else (another status, a timeout, a
/// refused connection) is a failure described in `error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration: Duration,
}

impl AttemptOutcome {
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
            && self
                .status_code
                .is_some_and(|code| (200..300).contains(&code))
    }

    pub(crate) fn refused(reason: String) -> Self {
        Self {
            status_code: None,
            error: Some(reason),
            duration: Duration::ZERO,
        }
    }
}

impl Sender {
    pub fn new(policy: UrlPolicy, timeout: Duration) -> Result<Self, ClientBuildError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(timeout)
            .connect_timeout(timeout.min(MAX_CONNECT_TIMEOUT))
            // A redirect could lead anywhere, internal addresses included; receivers answer
            // where they are subscribed.
            .redirect(reqwest::redirect::Policy::none())
            // Through a proxy the address checks would apply to the proxy, not the receiver.
            .no_proxy()
            .https_only(policy.require_https);
        if !policy.allow_internal_addresses {
            builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
        }
        Ok(Self {
            client: builder.build()?,
            policy,
            timeout,
        })
    }

    pub fn policy(&self) -> UrlPolicy {
        self.policy
    }

    /// Sends one signed attempt. Never fails: every problem is an unsuccessful outcome.
    pub async fn send(&self, outgoing: Outgoing<'_>) -> AttemptOutcome {
        // Saved URLs were checked when saved; the policy may have tightened since.
        if let Err(problem) = check_url_syntax(self.policy, outgoing.url) {
            return AttemptOutcome::refused(format!("not sent: the URL {problem}"));
        }
        let timestamp = chrono::Utc::now().timestamp();
        let started = Instant::now();
        let request = self
            .client
            .post(outgoing.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(EVENT_ID_HEADER, outgoing.event_id.to_string())
            .header(EVENT_TYPE_HEADER, outgoing.event_type)
            .header(DELIVERY_ID_HEADER, outgoing.delivery_id.to_string())
            .header(ATTEMPT_HEADER, outgoing.attempt.to_string())
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(
                SIGNATURE_HEADER,
                sign(outgoing.secret, timestamp, outgoing.body),
            )
            .body(outgoing.body.to_vec());
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                let error = if status.is_success() {
                    None
                } else {
                    Some(describe_status(status, response).await)
                };
                AttemptOutcome {
                    status_code: Some(status.as_u16()),
                    error,
                    duration: started.elapsed(),
                }
            }
            Err(error) => AttemptOutcome {
                status_code: None,
                error: Some(self.describe_error(&error)),
                duration: started.elapsed(),
            },
        }
    }

    fn describe_error(&self, error: &reqwest::Error) -> String {
        if error.is_timeout() {
            return format!("timed out after {} ms", self.timeout.as_millis());
        }
        let mut text = if error.is_connect() {
            "could not connect".to_owned()
        } else {
            "request failed".to_owned()
        };
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }
}

async fn describe_status(status: reqwest::StatusCode, mut response: reqwest::Response) -> String {
    let mut snippet = Vec::new();
    // The request timeout still bounds this read.
    while snippet.len() < ERROR_BODY_SNIPPET {
        match response.chunk().await {
            Ok(Some(chunk)) => snippet.extend_from_slice(&chunk),
            _ => break,
        }
    }
    snippet.truncate(ERROR_BODY_SNIPPET);
    let snippet = String::from_utf8_lossy(&snippet);
    let snippet = snippet.trim();
    if snippet.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {snippet}")
    }
}

/// Resolves with the system resolver and keeps only public addresses, so no name — however it
/// resolves today — connects inside the network.
struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|address| is_public_ip(address.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to internal addresses only").into());
            }
            let addresses: Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[tokio::test]
    async fn the_production_resolver_never_yields_an_internal_address() {
        let name = Name::from_str("localhost").unwrap();
        let error = match PublicOnlyResolver.resolve(name).await {
            Ok(addresses) => panic!("resolved to {:?}", addresses.collect::<Vec<_>>()),
            Err(error) => error,
        };
        assert_eq!(
            error.to_string(),
            "localhost resolves to internal addresses only"
        );
    }

    #[test]
    fn only_2xx_without_an_error_is_success() {
        let outcome = |status_code, error: Option<&str>| AttemptOutcome {
            status_code,
            error: error.map(str::to_owned),
            duration: Duration::ZERO,
        };
        assert!(outcome(Some(204), None).succeeded());
        assert!(!outcome(Some(301), Some("HTTP 301")).succeeded());
        assert!(!outcome(Some(500), Some("HTTP 500")).succeeded());
        assert!(!outcome(None, Some("timed out")).succeeded());
    }
}
