#!/usr/bin/env bash
# The whole test suite: lint, types, import contracts, unit, database and browser tests on
# SQLite, the same again with the clock moved a year ahead and a year back (nothing may depend
# on the day the suite runs), then the database tests again on PostgreSQL when
# TEST_POSTGRES_URL is set (e.g. postgresql://postgres@127.0.0.1:5432/broadfront). Tests run
# in parallel (pytest-xdist, BROADFRONT_TEST_WORKERS processes, 2 by default). Prints a
# summary; exits non-zero when any step fails.
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

WORKERS=${BROADFRONT_TEST_WORKERS:-2}
mkdir -p test-artifacts
step "lint (ruff)" "$BIN/ruff" check src benchmarks
step "types (mypy)" "$BIN/mypy"
step "import contracts (import-linter)" "$BIN/lint-imports"
step "tests on SQLite" env -u DATABASE_URL -u BROADFRONT_TEST_CLOCK_SHIFT_DAYS "$BIN/pytest" \
  -p no:cacheprovider -n "$WORKERS" --junitxml=test-artifacts/sqlite.xml
for days in 365 -365; do
  step "tests on SQLite, clock moved $days days" env -u DATABASE_URL \
    BROADFRONT_TEST_CLOCK_SHIFT_DAYS="$days" "$BIN/pytest" -p no:cacheprovider -n "$WORKERS" \
    -q --junitxml="test-artifacts/sqlite-clock$days.xml"
done
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  step "database tests on PostgreSQL" env -u BROADFRONT_TEST_CLOCK_SHIFT_DAYS \
    DATABASE_URL="$TEST_POSTGRES_URL" "$BIN/pytest" -p no:cacheprovider -n "$WORKERS" \
    -m "db and not browser" --junitxml=test-artifacts/postgresql.xml
else
  results+=("skipped database tests on PostgreSQL: no server configured (set TEST_POSTGRES_URL=postgresql://user@host:5432/name)")
fi

echo
echo "==> Summary"
for line in "${results[@]}"; do echo "  $line"; done
exit $status
