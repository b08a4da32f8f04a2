#!/usr/bin/env bash
# The whole test suite: lint, types, import contracts, unit, database and browser tests on
# SQLite, then the database tests again on PostgreSQL when TEST_POSTGRES_URL is set
# (e.g. postgresql://postgres@127.0.0.1:5432/broadfront). Prints a summary; exits non-zero
# when any step fails.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
declare -a names results
status=0

step() {
  local name=$1; shift
  echo
  echo "==> $name"
  local start=$SECONDS
  if "$@"; then
    results+=("ok      $name ($((SECONDS - start)) s)")
  else
    local rc=$?
    results+=("FAILED  $name ($((SECONDS - start)) s, exit $rc)")
    status=1
  fi
}

mkdir -p test-artifacts
step "lint (ruff)" "$BIN/ruff" check src benchmarks
step "types (mypy)" "$BIN/mypy"
step "import contracts (import-linter)" "$BIN/lint-imports"
step "tests on SQLite" env -u DATABASE_URL "$BIN/pytest" -p no:cacheprovider \
  --junitxml=test-artifacts/sqlite.xml
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  step "database tests on PostgreSQL" env DATABASE_URL="$TEST_POSTGRES_URL" "$BIN/pytest" \
    -p no:cacheprovider -m "db and not browser" --junitxml=test-artifacts/postgresql.xml
else
  results+=("skipped database tests on PostgreSQL: no server configured (set TEST_POSTGRES_URL=postgresql://user@host:5432/name)")
fi

echo
echo "==> Summary"
for line in "${results[@]}"; do echo "  $line"; done
exit $status
