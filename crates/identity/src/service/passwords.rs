//! Password hashing: argon2id with the crate's default (OWASP-recommended) parameters, stored as
//! PHC strings so the parameters travel with each hash and can be raised later without breaking
//! old ones.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::error::IdentityError;

pub const MIN_PASSWORD_CHARS: usize = 8;

/// Hashes a new password; refuses one shorter than [`MIN_PASSWORD_CHARS`].
pub fn hash_password(plain: &str) -> Result<String, IdentityError> {
    check_password_policy(plain)?;
    hash(plain)
}

/// The rule [`hash_password`] applies, for checking input before slower work.
pub(crate) fn check_password_policy(plain: &str) -> Result<(), IdentityError> {
    if plain.chars().count() < MIN_PASSWORD_CHARS {
        return Err(IdentityError::bad_input(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long"),
        ));
    }
    Ok(())
}

/// True when `plain` matches the PHC string `phc`; false for a malformed hash too.
pub fn verify_password(plain: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(plain.as_bytes(), phc)
        .is_ok()
}

/// [`hash_password`] on tokio's blocking pool: a hash costs tens of milliseconds of CPU, which on
/// an async worker thread would stall every other request scheduled there.
pub(crate) async fn hash_off_runtime(plain: &str) -> Result<String, IdentityError> {
    check_password_policy(plain)?;
    let plain = plain.to_owned();
    off_runtime(move || hash(&plain)).await?
}

/// [`verify_password`] on tokio's blocking pool, for the same reason.
pub(crate) async fn verify_off_runtime(plain: &str, phc: &str) -> Result<bool, IdentityError> {
    let (plain, phc) = (plain.to_owned(), phc.to_owned());
    off_runtime(move || verify_password(&plain, &phc)).await
}

/// Spends the time of one verification without a real hash, so a login for an unknown email
/// takes as long as one with a wrong password and timing does not reveal which emails exist.
pub(crate) async fn burn_verification_time(plain: &str) -> Result<(), IdentityError> {
    static DECOY: LazyLock<String> = LazyLock::new(|| {
        // A failed RNG leaves an empty hash, which merely makes the decoy fast.
        hash("an unguessable decoy password").unwrap_or_default()
    });
    let plain = plain.to_owned();
    // The decoy is dereferenced on the blocking pool too: its first use hashes it.
    off_runtime(move || {
        verify_password(&plain, &DECOY);
    })
    .await
}

/// Hashes running at once: one per CPU. Each argon2id hash holds 19 MiB and a core for tens of
/// milliseconds, so unbounded, a burst of sign-ins could take the blocking pool's 512 threads and
/// gigabytes of memory; beyond the bound, hashes queue.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
});

/// Every place in the hashing queue, held until the guard drops: a test's way to stop a sign-in
/// at its password check and look at what it holds meanwhile.
#[cfg(test)]
pub(crate) async fn hold_every_hashing_place() -> tokio::sync::SemaphorePermit<'static> {
    let places = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    HASHING
        .acquire_many(u32::try_from(places).unwrap())
        .await
        .unwrap()
}

async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IdentityError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|error| IdentityError::Crypto(format!("the hashing queue is closed: {error}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| IdentityError::Crypto(format!("a password hashing task failed: {error}")))
}

fn hash(plain: &str) -> Result<String, IdentityError> {
    Argon2::default()
        .hash_password(plain.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| IdentityError::Crypto(format!("hashing a password failed: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use leora_tenancy::Refusal;

    #[tokio::test]
    async fn no_more_hashes_run_at_once_than_there_are_cpus() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (running, most) = (Arc::clone(&running), Arc::clone(&most));
                tokio::spawn(off_runtime(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert!(most.load(Ordering::SeqCst) <= cpus, "{most:?} > {cpus}");
    }

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let phc = hash_password("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("correct horsE", &phc));
        assert!(!verify_password("", &phc));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let first = hash_password("correct horse").unwrap();
        let second = hash_password("correct horse").unwrap();
        assert_ne!(first, second, "each hash gets its own salt");
    }

    #[test]
    fn short_passwords_are_refused_naming_the_field() {
        let error = hash_password("1234567").unwrap_err();
        assert!(
            matches!(
                error,
                IdentityError::Refused(Refusal::BadInput {
                    field: "password",
                    ..
                })
            ),
            "{error:?}"
        );
        // Length counts characters, not bytes.
        assert!(hash_password("ééééééé").is_err());
        assert!(hash_password("éééééééé").is_ok());
    }

    #[test]
    fn malformed_hashes_never_verify() {
        for phc in [
            "",
            "x",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$2b$12$abcdefghijklmnopqrstuv",
        ] {
            assert!(!verify_password("whatever1", phc), "{phc:?}");
        }
    }
}
