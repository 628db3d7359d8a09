#!/usr/bin/env bash
# Runs the whole test suite: starts a real Neo4j 5.26 server (tests/neo4j/server.sh) when Java is here,
# runs pytest, and stops the server again, also when the tests fail.
# DASHIJI_REQUIRE_NEO4J=1 (set by .ci/run) makes a missing server a failure instead of a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
started=""
if [ -z "${NEO4J_URI:-}" ]; then
  if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
    if env_lines=$(bash tests/neo4j/server.sh start); then
      eval "$env_lines"
      export NEO4J_URI NEO4J_USER NEO4J_PASSWORD
      started=1
    elif [ "${DASHIJI_REQUIRE_NEO4J:-0}" = "1" ]; then
      echo "tests/run.sh: Neo4j is required but did not start" >&2
      exit 1
    else
      echo "tests/run.sh: Neo4j did not start; its tests will skip" >&2
    fi
  else
    echo "tests/run.sh: no java/mvn here; Neo4j tests will skip" >&2
  fi
fi
cleanup() { if [ -n "$started" ]; then bash tests/neo4j/server.sh stop >&2 || true; fi; }
trap cleanup EXIT
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
