//! Locating `initdb` and `pg_ctl`, which distributions rarely put on PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::LocalPgError;

pub(crate) struct Binaries {
    pub(crate) initdb: PathBuf,
    pub(crate) pg_ctl: PathBuf,
}

/// `pg_config --bindir` knows where the server programs of the installed version live; failing
/// that, an `initdb` on PATH; failing that, Debian's versioned directories, newest first.
pub(crate) fn find() -> Result<Binaries, LocalPgError> {
    from_pg_config()
        .or_else(from_path)
        .or_else(from_debian_layout)
        .ok_or(LocalPgError::BinariesNotFound)
}

fn in_dir(dir: &Path) -> Option<Binaries> {
    let initdb = dir.join("initdb");
    let pg_ctl = dir.join("pg_ctl");
    (initdb.is_file() && pg_ctl.is_file()).then_some(Binaries { initdb, pg_ctl })
}

fn from_pg_config() -> Option<Binaries> {
    // libpq's development package ships pg_config without the server, so check what it names.
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8(output.stdout).ok()?;
    in_dir(Path::new(dir.trim()))
}

fn from_path() -> Option<Binaries> {
    let path = std::env::var_os("PATH")?;
    let initdb = std::env::split_paths(&path)
        .map(|dir| dir.join("initdb"))
        .find(|candidate| candidate.is_file())?;
    // A symlinked initdb (e.g. /usr/local/bin -> /usr/lib/postgresql/15/bin) may have no pg_ctl
    // beside it, but its target does.
    std::fs::canonicalize(&initdb)
        .ok()
        .and_then(|real| in_dir(real.parent()?))
        .or_else(|| in_dir(initdb.parent()?))
}

fn from_debian_layout() -> Option<Binaries> {
    std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            Some((version, in_dir(&entry.path().join("bin"))?))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, binaries)| binaries)
}
