# Sourced by scripts/test and scripts/test-clock: makes sure a program the tests need is there,
# installing its Debian package when this runs as root with apt-get (a fresh CI machine), and
# otherwise failing with exactly what to install. Nothing is ever skipped.

apt_updated=""

# have_or_install DESCRIPTION PACKAGE CHECK...: runs CHECK; when it fails, installs PACKAGE with
# apt-get if it can and runs CHECK again; exits with an install hint if it still fails.
have_or_install() {
  local description=$1 package=$2
  shift 2
  "$@" && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing $description (apt-get install $package)"
    if [ -z "$apt_updated" ]; then
      apt-get update -qq
      apt_updated=yes
    fi
    # shellcheck disable=SC2086 # "nodejs npm" names two packages
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $package >/dev/null
    "$@" && return 0
  fi
  echo "$(basename "$0"): $description is missing: install it (Debian/Ubuntu: apt-get install $package)" >&2
  exit 1
}

find_pg_program() { # the named PostgreSQL program, from PATH or the newest installed server
  command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}
has_pg_program() { [ -n "$(find_pg_program "$1")" ]; }

find_sbin_program() { # a system program (pgbouncer, haproxy), from PATH or /usr/sbin
  command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; }
}
has_sbin_program() { [ -n "$(find_sbin_program "$1")" ]; }
