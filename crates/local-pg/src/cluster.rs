//! The private cluster: `initdb`, start, status and stop, serialised by a lock on the directory.

use std::fs::{self, File};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::LocalPgError;
use crate::binaries::{self, Binaries};

/// Holds the port chosen the first time, so the cluster's URL is stable across runs. PostgreSQL
/// ignores files it does not know in its data directory.
const PORT_FILE: &str = "leora-port";
const LOG_FILE: &str = "server.log";

/// Sockets live in the data directory, so they need no system directory (which an unprivileged
/// user may not be able to write) and cannot clash with another cluster's. `sun_path` holds 104
/// bytes on macOS, 108 on Linux; the socket's own name takes 15 of them.
const MAX_SOCKET_DIR_LEN: usize = 104 - 1 - ".s.PGSQL.65535".len() - 1;

pub(crate) struct Running {
    pub(crate) port: u16,
    pub(crate) log: PathBuf,
}

pub(crate) fn ensure_running(dir: &Path) -> Result<Running, LocalPgError> {
    let binaries = binaries::find()?;
    let runner = Runner::for_current_user()?;
    fs::create_dir_all(dir).map_err(io("create", dir))?;
    let _lock = lock(dir)?;
    runner.prepare(dir)?;

    if !dir.join("PG_VERSION").is_file() {
        // Locale C: whatever LANG says may not be installed (initdb then fails), and tests should
        // sort the same everywhere. UTF8 because the application stores arbitrary text.
        run(runner.command(&binaries.initdb).arg("-D").arg(dir).args([
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--locale=C",
        ]))?;
    }

    let log = dir.join(LOG_FILE);
    if is_running(&binaries, &runner, dir)? {
        let port = running_port(dir)?;
        return Ok(Running { port, log });
    }

    let port = choose_port(dir)?;
    // The port file (and anything else root wrote) must belong to the server's user.
    runner.prepare(dir)?;
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1",
        socket_dir_option(dir)
    );
    // Only what this start appends to the log explains its failure.
    let log_start = fs::metadata(&log).map_or(0, |metadata| metadata.len());
    let started = run(runner
        .command(&binaries.pg_ctl)
        .arg("-D")
        .arg(dir)
        .arg("-l")
        .arg(&log)
        .args(["-w", "-t", "60", "-o", &options, "start"]));
    match started {
        Ok(_) => Ok(Running { port, log }),
        Err(error) => {
            let detail = start_failure(&log, log_start).unwrap_or_else(|| error.to_string());
            Err(LocalPgError::StartFailed {
                dir: dir.to_owned(),
                log,
                detail,
            })
        }
    }
}

pub(crate) fn stop(dir: &Path) -> Result<(), LocalPgError> {
    if !dir.join("PG_VERSION").is_file() {
        return Ok(());
    }
    let binaries = binaries::find()?;
    let runner = Runner::for_current_user()?;
    let _lock = lock(dir)?;
    if is_running(&binaries, &runner, dir)? {
        run(runner
            .command(&binaries.pg_ctl)
            .arg("-D")
            .arg(dir)
            .args(["-m", "fast", "-w", "stop"]))?;
    }
    Ok(())
}

/// Serialises processes managing the same cluster (e.g. several test binaries starting at once).
///
/// The lock is on the directory itself because initdb insists on an empty directory, so no lock
/// file can live inside it beforehand. Released when the returned file is dropped.
fn lock(dir: &Path) -> Result<File, LocalPgError> {
    let handle = File::open(dir).map_err(io("open", dir))?;
    handle.lock().map_err(io("lock", dir))?;
    Ok(handle)
}

fn is_running(binaries: &Binaries, runner: &Runner, dir: &Path) -> Result<bool, LocalPgError> {
    let mut command = runner.command(&binaries.pg_ctl);
    command.arg("-D").arg(dir).arg("status");
    let output = command
        .output()
        .map_err(|e| failed(&command, &e.to_string()))?;
    // pg_ctl status: 0 running, 3 not running; anything else means it could not tell.
    match output.status.code() {
        Some(0) => Ok(true),
        Some(3) => Ok(false),
        _ => Err(failed(&command, &detail(&output))),
    }
}

/// The port a running cluster listens on, from the fourth line of `postmaster.pid`: authoritative
/// even if someone started the cluster by hand on another port.
fn running_port(dir: &Path) -> Result<u16, LocalPgError> {
    let pid_file = dir.join("postmaster.pid");
    let text = fs::read_to_string(&pid_file).map_err(io("read", &pid_file))?;
    text.lines()
        .nth(3)
        .and_then(|line| line.trim().parse().ok())
        .ok_or_else(|| LocalPgError::Io {
            action: "find the port in",
            path: pid_file,
            source: std::io::Error::other("no port on the fourth line"),
        })
}

/// The remembered port if it is still free, else a new free one (remembered from now on).
fn choose_port(dir: &Path) -> Result<u16, LocalPgError> {
    let port_file = dir.join(PORT_FILE);
    if let Ok(text) = fs::read_to_string(&port_file)
        && let Ok(port) = text.trim().parse::<u16>()
        && TcpListener::bind(("127.0.0.1", port)).is_ok()
    {
        return Ok(port);
    }
    let port = TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map_err(io("pick a free port for", dir))?
        .port();
    fs::write(&port_file, format!("{port}\n")).map_err(io("write", &port_file))?;
    Ok(port)
}

fn socket_dir_option(dir: &Path) -> String {
    // pg_ctl hands `-o` to a shell and PostgreSQL splits the directory list on commas and
    // spaces, so only plain paths are used; otherwise Unix sockets are off (TCP still works).
    match dir.to_str() {
        Some(path)
            if path.len() <= MAX_SOCKET_DIR_LEN
                && path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)) =>
        {
            path.to_owned()
        }
        _ => "''".to_owned(),
    }
}

/// PostgreSQL will not run as root, so as root its programs run as an unprivileged user.
enum Runner {
    CurrentUser,
    As { user: &'static str, owner: String },
}

impl Runner {
    fn for_current_user() -> Result<Self, LocalPgError> {
        if !is_root() {
            return Ok(Self::CurrentUser);
        }
        ["postgres", "nobody"]
            .into_iter()
            .find_map(|user| {
                let uid = id(&["-u", user])?;
                let gid = id(&["-g", user])?;
                Some(Self::As {
                    user,
                    owner: format!("{uid}:{gid}"),
                })
            })
            .ok_or(LocalPgError::NoUnprivilegedUser)
    }

    fn command(&self, program: &Path) -> Command {
        match self {
            Self::CurrentUser => Command::new(program),
            Self::As { user, .. } => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                // root's working directory is often unreadable to that user.
                command.current_dir("/");
                command
            }
        }
    }

    /// As root: hands the directory to the server's user, and lets that user reach it.
    ///
    /// The directory may sit under a root-owned tree (e.g. a checkout's `target/`). Any ancestor
    /// missing the "others may traverse" bit gets it (only `x`, never `r`: nothing becomes
    /// listable or readable that was not already).
    fn prepare(&self, dir: &Path) -> Result<(), LocalPgError> {
        let Self::As { owner, .. } = self else {
            return Ok(());
        };
        for ancestor in dir.ancestors().skip(1) {
            let metadata = fs::metadata(ancestor).map_err(io("inspect", ancestor))?;
            let mut permissions = metadata.permissions();
            if permissions.mode() & 0o001 == 0 {
                permissions.set_mode(permissions.mode() | 0o001);
                fs::set_permissions(ancestor, permissions)
                    .map_err(io("make traversable", ancestor))?;
            }
        }
        run(Command::new("chown").args(["-R", owner]).arg(dir)).map(drop)
    }
}

fn is_root() -> bool {
    // The second field of the `Uid:` line is the effective uid; `id -u` where there is no /proc.
    let from_proc = fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|uids| uids.split_whitespace().nth(1))
                .map(|euid| euid == "0")
        });
    from_proc.unwrap_or_else(|| id(&["-u"]).is_some_and(|uid| uid == 0))
}

fn id(args: &[&str]) -> Option<u32> {
    let output = Command::new("id").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()?.trim().parse().ok()
}

fn run(command: &mut Command) -> Result<Output, LocalPgError> {
    let output = command
        .output()
        .map_err(|e| failed(command, &e.to_string()))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(failed(command, &detail(&output)))
    }
}

fn failed(command: &Command, detail: &str) -> LocalPgError {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    LocalPgError::CommandFailed {
        command: line,
        detail: detail.to_owned(),
    }
}

/// The line of a failed command's output that says why: its last one.
fn detail(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    last_line(&stderr)
        .or_else(|| last_line(&stdout))
        .map_or_else(|| output.status.to_string(), str::to_owned)
}

/// The line of the server log that explains a failed start: the last FATAL or PANIC written
/// since `offset`, else the last line.
fn start_failure(log: &Path, offset: u64) -> Option<String> {
    let bytes = fs::read(log).ok()?;
    let appended = bytes.get(usize::try_from(offset).ok()?..)?;
    let text = String::from_utf8_lossy(appended);
    text.lines()
        .rfind(|line| line.contains("FATAL:") || line.contains("PANIC:"))
        .or_else(|| last_line(&text))
        .map(|line| line.trim().to_owned())
}

fn last_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).rfind(|line| !line.is_empty())
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> LocalPgError {
    let path = path.to_owned();
    move |source| LocalPgError::Io {
        action,
        path,
        source,
    }
}
