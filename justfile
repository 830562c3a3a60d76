# Leora's everyday commands. `just --list` shows them; each is plain cargo underneath, so the
# README's two commands work without just installed.

set dotenv-load := false

# List the recipes
default:
    @just --list

# Run the server (development: finds or starts PostgreSQL, migrates, serves GraphiQL)
dev:
    cargo run --bin leora

# Run every test
test:
    cargo test --workspace

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
