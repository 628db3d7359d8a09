#!/usr/bin/env bash
# A real Neo4j Community server for the tests, run from Maven Central jars (no Docker).
#
#   set -a; eval "$(bash tests/neo4j/server.sh start)"; set +a   # prints NEO4J_URI/USER/PASSWORD lines
#   bash tests/neo4j/server.sh status            # "running pid=… uri=…" or "not running" (exit 1)
#   bash tests/neo4j/server.sh stop
#
# The jars are resolved once into $CACHE/neo4j-$VERSION/lib; each start after that reuses them. The server's
# home (conf, data, logs, run) is $NEO4J_RUN_DIR (default: a folder under ${TMPDIR:-/tmp}). Ports come from
# NEO4J_BOLT_PORT (7687) and NEO4J_HTTP_PORT (7474); it listens on 127.0.0.1 only. Memory: NEO4J_HEAP (512m),
# NEO4J_PAGECACHE (128m) and NEO4J_TX_MEMORY (256m), test-sized. Auth is on, with a password
# generated on the first start and kept in the run folder. Only the eval-able lines go to stdout.
set -euo pipefail

VERSION="${NEO4J_VERSION:-5.26.30}"
CACHE="${DASHIJI_HOME:-$HOME/.cache/dashiji}"
LIB="$CACHE/neo4j-$VERSION/lib"
M2_REPO="${MAVEN_REPO:-$CACHE/m2}"
RUN_DIR="${NEO4J_RUN_DIR:-${TMPDIR:-/tmp}/dashiji-neo4j-$(id -u)}"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
HEAP="${NEO4J_HEAP:-512m}"            # test-sized defaults; bench/ may ask for more
PAGECACHE="${NEO4J_PAGECACHE:-128m}"
TX_MEMORY="${NEO4J_TX_MEMORY:-256m}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"  # Neo4j 5.26 runs on Java 17 or 21
PID_FILE="$RUN_DIR/run/neo4j.pid"
PASS_FILE="$RUN_DIR/password"
URI_FILE="$RUN_DIR/uri"

say() { echo "server.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# --- resolving the jars ----------------------------------------------------------------------------
resolve() {
    [[ -f "$LIB/.complete" ]] && return 0
    command -v mvn >/dev/null || die "maven (mvn) is needed once to fetch Neo4j $VERSION: apt-get install maven"
    local pom_dir started
    pom_dir="$(mktemp -d)"
    started=$SECONDS
    cat >"$pom_dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dashiji.tests</groupId>
  <artifactId>neo4j-server-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
    say "resolving org.neo4j:neo4j:$VERSION into $LIB (once)"
    rm -rf "$LIB"
    mkdir -p "$LIB" "$M2_REPO"
    if ! mvn -q -B -f "$pom_dir/pom.xml" -Dmaven.repo.local="$M2_REPO" \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$LIB" >"$pom_dir/mvn.log" 2>&1; then
        tail -n 20 "$pom_dir/mvn.log" >&2
        die "maven could not resolve org.neo4j:neo4j:$VERSION (log above)"
    fi
    rm -rf "$pom_dir"
    touch "$LIB/.complete"
    say "resolved $(ls "$LIB" | wc -l) jars in $((SECONDS - started)) s"
}

# --- configuration ---------------------------------------------------------------------------------
write_conf() {
    mkdir -p "$RUN_DIR"/{conf,data,logs,run,import,plugins,licenses}
    # Only keys Neo4j 5.x knows: with strict validation on, a misspelt key stops the server.
    cat >"$RUN_DIR/conf/neo4j.conf" <<EOF
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$BOLT_PORT
server.bolt.advertised_address=127.0.0.1:$BOLT_PORT
server.http.enabled=true
server.http.listen_address=127.0.0.1:$HTTP_PORT
server.http.advertised_address=127.0.0.1:$HTTP_PORT
server.https.enabled=false
server.directories.data=$RUN_DIR/data
server.directories.logs=$RUN_DIR/logs
server.directories.run=$RUN_DIR/run
server.directories.import=$RUN_DIR/import
server.directories.plugins=$RUN_DIR/plugins
server.directories.licenses=$RUN_DIR/licenses
server.memory.heap.initial_size=256m
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE
dbms.memory.transaction.total.max=$TX_MEMORY
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
db.tx_log.rotation.retention_policy=1 files
EOF
}

# The initial password is written the way `neo4j-admin dbms set-initial-password` does it (into
# data/dbms/auth.ini, read once when the system database is first created).
set_password() {
    [[ -f "$PASS_FILE" ]] && return 0
    # Without its password the old data cannot be opened: start from an empty server.
    rm -rf "$RUN_DIR/data" && mkdir -p "$RUN_DIR/data"
    local pw
    pw="dsj-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    NEO4J_HOME="$RUN_DIR" NEO4J_CONF="$RUN_DIR/conf" \
        "$JAVA" -cp "$LIB/*" org.neo4j.cli.AdminTool dbms set-initial-password "$pw" >"$RUN_DIR/logs/admin.log" 2>&1 \
        || { cat "$RUN_DIR/logs/admin.log" >&2; die "set-initial-password failed"; }
    (umask 077 && printf '%s\n' "$pw" >"$PASS_FILE")
}

# --- process control -------------------------------------------------------------------------------
# The recorded PID, if that process is still our Neo4j (a PID reused by another program does not count).
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "CommunityEntryPoint --home-dir=$RUN_DIR" || return 1
    echo "$pid"
}

bolt_answers() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

print_env() {
    echo "NEO4J_URI=$(cat "$URI_FILE")"
    echo "NEO4J_USER=neo4j"
    echo "NEO4J_PASSWORD=$(cat "$PASS_FILE")"
}

start() {
    if pid="$(running_pid)"; then
        say "already running (pid $pid)"
        print_env
        return 0
    fi
    command -v "$JAVA" >/dev/null || die "java 17 or 21 is needed: apt-get install openjdk-17-jre-headless"
    resolve
    bolt_answers "$BOLT_PORT" && die "port $BOLT_PORT is taken by another process; set NEO4J_BOLT_PORT"
    write_conf
    set_password
    local started=$SECONDS log="$RUN_DIR/logs/neo4j.log" seen=0
    [[ -f "$log" ]] && seen=$(wc -l <"$log")
    say "starting Neo4j $VERSION on bolt 127.0.0.1:$BOLT_PORT, http 127.0.0.1:$HTTP_PORT (home $RUN_DIR)"
    nohup "$JAVA" -Xms256m -Xmx"$HEAP" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -Dfile.encoding=UTF-8 \
        -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.disable.jmx=true \
        --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -cp "$LIB/*" \
        org.neo4j.server.CommunityEntryPoint --home-dir="$RUN_DIR" --config-dir="$RUN_DIR/conf" \
        >"$RUN_DIR/logs/console.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$PID_FILE"
    echo "bolt://127.0.0.1:$BOLT_PORT" >"$URI_FILE"
    # "Started." in neo4j.log (after the lines of earlier runs) comes once the default database is online.
    until tail -n +"$((seen + 1))" "$log" 2>/dev/null | grep -q "INFO  Started\." && bolt_answers "$BOLT_PORT"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$RUN_DIR/logs/console.log" "$log" >&2
            rm -f "$PID_FILE"
            die "Neo4j exited while starting (logs above; all logs in $RUN_DIR/logs)"
        fi
        if ((SECONDS - started > START_TIMEOUT)); then
            tail -n 30 "$log" >&2
            stop
            die "Bolt did not answer within $START_TIMEOUT s"
        fi
        sleep 1
    done
    say "ready in $((SECONDS - started)) s (pid $pid)"
    print_env
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        say "not running"
        rm -f "$PID_FILE"
        return 0
    fi
    kill "$pid"
    for _ in $(seq 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "pid $pid did not stop in 60 s; killing it"
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    say "stopped (pid $pid)"
}

status() {
    local pid
    if pid="$(running_pid)"; then
        echo "running pid=$pid uri=$(cat "$URI_FILE")"
    else
        echo "not running"
        return 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: server.sh start|stop|status" ;;
esac
