//! A real HTTP receiver on 127.0.0.1 for webhooks, and the signature it should see.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, KeyInit, Mac};
use leora_integrations::signature;
use serde_json::Value;
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(Clone)]
pub struct Hit {
    pub at: Instant,
    headers: HeaderMap,
    pub body: Bytes,
}

impl Hit {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }

    pub fn event_id(&self) -> Uuid {
        self.header(signature::EVENT_ID_HEADER).parse().unwrap()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

#[derive(Default)]
pub struct Behaviour {
    /// Answer 500 to the first this many requests.
    pub fail_first: usize,
    pub always_fail: bool,
    pub delay: Duration,
}

struct ReceiverState {
    behaviour: Behaviour,
    hits: Mutex<Vec<Hit>>,
}

/// An HTTP endpoint on 127.0.0.1 that records every request.
pub struct Receiver {
    pub url: String,
    state: Arc<ReceiverState>,
}

impl Receiver {
    pub async fn start(behaviour: Behaviour) -> Self {
        let state = Arc::new(ReceiverState {
            behaviour,
            hits: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, state }
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.state.hits.lock().unwrap().clone()
    }

    pub async fn wait_for_hits(&self, at_least: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.hits().len() < at_least {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {at_least} requests"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn receive(
    State(state): State<Arc<ReceiverState>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let seen = {
        let mut hits = state.hits.lock().unwrap();
        hits.push(Hit {
            at: Instant::now(),
            headers,
            body,
        });
        hits.len()
    };
    if !state.behaviour.delay.is_zero() {
        tokio::time::sleep(state.behaviour.delay).await;
    }
    if state.behaviour.always_fail || seen <= state.behaviour.fail_first {
        (StatusCode::INTERNAL_SERVER_ERROR, "receiver is down")
    } else {
        (StatusCode::OK, "ok")
    }
}

/// HMAC-SHA256 of "{timestamp}.{body}", computed here rather than by the crate under test.
pub fn expected_signature(secret: &str, hit: &Hit) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(hit.header(signature::TIMESTAMP_HEADER).as_bytes());
    mac.update(b".");
    mac.update(&hit.body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("v1={hex}")
}
