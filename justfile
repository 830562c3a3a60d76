# Leora's everyday commands. `just --list` shows them; each is plain cargo underneath, so the
# README's two commands work without just installed.

set dotenv-load := false

# List the recipes
default:
    @just --list

# Run the server (development: finds or starts PostgreSQL, migrates, serves GraphiQL)
dev:
    cargo run --bin leora

# Run every test: the Rust suites, then the TypeScript client and GraphiQL browser checks
test:
    scripts/test

# The Rust suites with the clock moved to instants where UTC's and a tenant's calendars disagree
test-clock *INSTANTS:
    scripts/test-clock {{INSTANTS}}

# Format check and clippy with warnings as errors
lint:
    cargo fmt --check
    cargo clippy --workspace --all-targets -- -D warnings

# Apply pending migrations (DIRECT_URL, else DATABASE_URL, else the local PostgreSQL)
migrate:
    cargo run --bin leora -- migrate

# Roll back the last migration (sea-orm CLI; needs DIRECT_URL or DATABASE_URL)
migrate-down:
    cargo run -p leora-migration -- down

# Regenerate schema.graphql from the code
schema:
    cargo run --quiet --bin leora -- schema > schema.graphql

# Seed the Well Crafted demo tenant (idempotent) and print the demo sign-in
seed:
    cargo run --bin leora -- seed

# Generate synthetic tenants for benchmarks (defaults: 20 tenants x 200 customers x 50 orders)
seed-synthetic *ARGS:
    cargo run --release --bin leora -- seed --synthetic {{ARGS}}

# (Builds the server and the bench in release, seeds `leora_bench` when needed, starts the real
# server, drives the mix at c=1,8,32,64, then the raw-SQL baseline. Options: `just bench --help`.)
#
# Benchmark the HTTP API against raw SQL (target/bench/results.md, docs/performance.md)
bench *ARGS:
    cargo build --release --bin leora --bin leora-bench
    cargo run --release -p leora-bench -- {{ARGS}}

# Instructions per request under callgrind, to compare builds on a noisy machine (needs valgrind)
bench-instructions REQUESTS="20" *ARGS:
    cargo build --release --bin leora --bin leora-bench
    cargo run --release -p leora-bench -- --instructions {{REQUESTS}} {{ARGS}}

# Drop and recreate the development database DATABASE_URL names (asks first; --yes does not), then migrate and seed
db-reset *ARGS:
    scripts/db-reset {{ARGS}}
