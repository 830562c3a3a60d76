//! Webhook secrets and integration tokens at rest, and the encryption keys they need.

use crate::support::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use leora_integrations::service::subscriptions;
use leora_integrations::service::tokens;
use leora_integrations::{KeyCheckError, KeyError, SecretBox, verify_encryption_keys};
use leora_tenancy::events::EventType;
use leora_test_db::sql::stmt;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn secrets_and_tokens_are_not_readable_in_plaintext_from_the_database() {
    let w = world().await;
    let sub = w
        .subscribe(w.a, "http://127.0.0.1:9/hook", &[EventType::OrderPlaced])
        .await;
    let token = "qb_live_4f9a8c7e6d5b4a3f2e1d0c9b";
    let store = async |token: &str| {
        let input = tokens::NewToken {
            provider: "quickbooks".into(),
            token: token.into(),
            scopes: vec!["accounting".into(), "payments".into()],
            expires_at: Some(chrono::Utc::now() + chrono::Duration::days(30)),
        };
        w.run(w.a, async |tx| {
            tokens::store_token(tx, &w.secrets, input).await
        })
        .await
        .unwrap()
    };
    let first = store(token).await;
    let second = store(token).await;
    assert_eq!(second.token_last4, "0c9b");
    assert_eq!(second.key_id, KEY_ID);
    assert_ne!(
        first.token_ciphertext, second.token_ciphertext,
        "a fresh nonce for every encryption"
    );

    for (table, plaintext) in [
        ("webhook_subscriptions", sub.secret.as_str()),
        ("integration_tokens", token),
    ] {
        // Every column as text (bytea as hex); the raw bytes are searched below.
        let found = w
            .count(
                &format!(
                    "SELECT count(*) FROM {table} t WHERE strpos(row_to_json(t)::text, $1) > 0"
                ),
                [plaintext.into()],
            )
            .await;
        assert_eq!(found, 0, "{table} holds the plaintext");
    }
    let found = w
        .count(
            "SELECT count(*) FROM webhook_subscriptions
             WHERE position(convert_to($1, 'UTF8') IN secret_ciphertext) > 0",
            [sub.secret.clone().into()],
        )
        .await
        + w.count(
            "SELECT count(*) FROM integration_tokens
             WHERE position(convert_to($1, 'UTF8') IN token_ciphertext) > 0",
            [token.into()],
        )
        .await;
    assert_eq!(found, 0);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM integration_tokens WHERE revoked_at IS NOT NULL",
            []
        )
        .await,
        1,
        "storing a provider's token again replaces the old one"
    );

    // The keys open them again.
    let opened = w
        .run(w.a, async |tx| {
            let found = subscriptions::find_subscription(tx, sub.subscription.id).await?;
            let secret = subscriptions::open_secret(&w.secrets, &found)?;
            let token = tokens::use_token(tx, &w.secrets, "quickbooks").await?;
            Ok((secret, token))
        })
        .await
        .unwrap();
    assert_eq!(opened, (sub.secret.clone(), Some(token.to_owned())));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM integration_tokens WHERE last_used_at IS NOT NULL",
            []
        )
        .await,
        1
    );

    // A ciphertext copied into another row does not open there.
    let other = w
        .subscribe(w.a, "http://127.0.0.1:9/other", &[EventType::OrderPlaced])
        .await;
    w.pools.owner
        .execute_raw(stmt(
            "UPDATE webhook_subscriptions SET secret_ciphertext = (SELECT secret_ciphertext FROM webhook_subscriptions WHERE id = $1) WHERE id = $2",
            [sub.subscription.id.into(), other.subscription.id.into()],
        ))
        .await
        .unwrap();
    let moved = w
        .run(w.a, async |tx| {
            let found = subscriptions::find_subscription(tx, other.subscription.id).await?;
            Ok(subscriptions::open_secret(&w.secrets, &found))
        })
        .await
        .unwrap();
    assert!(moved.is_err());
}

#[tokio::test]
async fn a_wrong_or_missing_key_gives_one_clear_error() {
    let w = world().await;
    let missing = SecretBox::from_key_env("LEORA_INTEGRATIONS_TEST_KEYS_NEVER_SET").unwrap_err();
    assert!(matches!(missing, KeyError::Missing { .. }));
    assert!(
        missing
            .to_string()
            .starts_with("LEORA_INTEGRATIONS_TEST_KEYS_NEVER_SET is not set"),
        "{missing}"
    );
    let short = SecretBox::parse(&format!("k1:{}", STANDARD.encode([1_u8; 16]))).unwrap_err();
    assert_eq!(
        short.to_string(),
        "LEORA_ENCRYPTION_KEYS: entry 1 (id \"k1\") decodes to 16 bytes; AES-256 needs exactly 32 \
         (expected `id:base64key`, ids of letters, digits, `_` or `-`)"
    );

    // Nothing encrypted yet: any key passes.
    assert!(
        verify_encryption_keys(&w.pools.db, &w.secrets)
            .await
            .unwrap()
            .is_empty()
    );

    w.subscribe(w.a, "http://127.0.0.1:9/hook", &[EventType::OrderPlaced])
        .await;
    let input = tokens::NewToken {
        provider: "vinosmith".into(),
        token: "vs_0123456789abcdef".into(),
        scopes: vec![],
        expires_at: None,
    };
    w.run(w.b, async |tx| {
        tokens::store_token(tx, &w.secrets, input).await
    })
    .await
    .unwrap();
    assert_eq!(
        verify_encryption_keys(&w.pools.db, &w.secrets)
            .await
            .unwrap(),
        [KEY_ID]
    );

    let check = async |spec: String| {
        let secrets = SecretBox::parse(&spec).unwrap();
        verify_encryption_keys(&w.pools.db, &secrets).await
    };
    let wrong = check(key_spec(KEY_ID, 8)).await.unwrap_err();
    assert!(matches!(wrong, KeyCheckError::Key { .. }));
    assert!(
        wrong.to_string().starts_with("LEORA_ENCRYPTION_KEYS cannot decrypt the stored")
            && wrong.to_string().contains(
                "encrypted under key id \"t1\" does not decrypt: LEORA_ENCRYPTION_KEYS holds a different key under that id"
            ),
        "{wrong}"
    );
    let dropped = check(key_spec("t2", 8)).await.unwrap_err();
    assert!(
        dropped
            .to_string()
            .contains("encrypted under key id \"t1\", which LEORA_ENCRYPTION_KEYS does not list"),
        "{dropped}"
    );
    // Rotation: a new key first, the old one kept, passes.
    let rotated = format!("{},{}", key_spec("t2", 8), key_spec(KEY_ID, 7));
    assert_eq!(check(rotated).await.unwrap(), [KEY_ID]);
}
