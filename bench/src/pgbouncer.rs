//! `--pgbouncer`: the server reaches the benchmark database through a PgBouncer that the bench
//! starts from the installed `pgbouncer` program (Debian: `apt-get install pgbouncer`), so that
//! a run with and a run without measure what the pooler costs. It is configured as
//! `docs/database/README.md` ("Behind PgBouncer") says for a PgBouncer that does not track
//! prepared statements (Debian 12's 1.18), the way `scripts/test` runs its end-to-end checks:
//! transaction mode, each server connection cleared of prepared statements when a client gives
//! it back, and the server with `DATABASE_POOLER=transaction`. The raw baseline stays direct.

use crate::{Options, Result};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

pub struct PgBouncer {
    /// Killed when dropped.
    _child: tokio::process::Child,
    /// The server's `DATABASE_URL`.
    pub url: String,
    pub version: String,
    /// Server connections (`default_pool_size`).
    pub pool_size: u32,
}

fn program() -> Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join("pgbouncer"))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            "--pgbouncer needs the pgbouncer program: install it (Debian/Ubuntu: apt-get install pgbouncer)"
                .into()
        })
}

/// The user PgBouncer runs as when the bench is root, which it refuses to run as.
fn unprivileged_user() -> Option<&'static str> {
    let id = |args: &[&str]| {
        std::process::Command::new("id")
            .args(args)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    if id(&["-u"]).as_deref() != Some("0") {
        return None;
    }
    Some(if id(&["-u", "postgres"]).is_some() {
        "postgres"
    } else {
        "nobody"
    })
}

/// `%XX` escapes of a URL's user or password, decoded.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| text.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                at += 3;
            }
            None => {
                decoded.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

pub async fn start(options: &Options, out_dir: &Path) -> Result<PgBouncer> {
    let program = program()?;
    let version = std::process::Command::new(&program)
        .arg("--version")
        .output()?;
    let version = String::from_utf8_lossy(&version.stdout)
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("PgBouncer "))
        .unwrap_or("(unknown version)")
        .trim()
        .to_owned();
    let direct = url::Url::parse(&options.database_url)?;
    let database = direct.path().trim_start_matches('/').to_owned();
    let host = direct.host_str().unwrap_or("127.0.0.1").to_owned();
    let port = direct.port().unwrap_or(5432);
    let user = match direct.username() {
        "" => "postgres".to_owned(),
        user => percent_decoded(user),
    };
    let password = match direct.password().map(percent_decoded) {
        Some(password) if password.contains(['\'', '\\']) => {
            return Err("--pgbouncer: the database password holds a quote or a backslash, which the bench cannot hand to PgBouncer".into());
        }
        Some(password) => format!(" password='{password}'"),
        None => String::new(),
    };
    let pool_size = options.pgbouncer_pool_size.unwrap_or(options.pool_max);
    let listen_port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let newer = version
        .split('.')
        .take(2)
        .map(|part| part.parse::<u32>().unwrap_or(0))
        .collect::<Vec<_>>();
    // A PgBouncer that could track prepared statements (1.21 and newer) does not here, as 1.18.
    let untracked = if newer >= vec![1, 21] {
        "max_prepared_statements = 0\n"
    } else {
        ""
    };
    let ini = out_dir.join("pgbouncer.ini");
    // It may hold the database's password.
    std::fs::File::create(&ini)?
        .set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    std::fs::write(
        &ini,
        format!(
            "[databases]\n\
             {database} = host={host} port={port} dbname={database} user={user}{password}\n\n\
             [pgbouncer]\n\
             listen_addr = 127.0.0.1\n\
             listen_port = {listen_port}\n\
             unix_socket_dir =\n\
             auth_type = any\n\
             pool_mode = transaction\n\
             server_reset_query = DEALLOCATE ALL\n\
             server_reset_query_always = 1\n\
             ignore_startup_parameters = extra_float_digits\n\
             default_pool_size = {pool_size}\n\
             max_client_conn = 1000\n\
             {untracked}"
        ),
    )?;
    let log = std::fs::File::create(out_dir.join("pgbouncer.log"))?;
    let mut command = tokio::process::Command::new(&program);
    if let Some(user) = unprivileged_user() {
        // It reads its configuration before it switches.
        command.arg("-u").arg(user);
    }
    let mut child = command
        .arg(&ini)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| format!("cannot start {}: {error}", program.display()))?;
    let url = format!("postgres://{user}@127.0.0.1:{listen_port}/{database}?sslmode=disable");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait()? {
            return Err(format!(
                "PgBouncer exited ({status}); see {}",
                out_dir.join("pgbouncer.log").display()
            )
            .into());
        }
        if let Ok(db) = sea_orm::Database::connect(&url).await {
            let answered = db.ping().await.is_ok();
            let _ = db.close().await;
            if answered {
                break;
            }
        }
        if Instant::now() > deadline {
            return Err("PgBouncer did not accept a connection within 20 s".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(PgBouncer {
        _child: child,
        url,
        version,
        pool_size,
    })
}
