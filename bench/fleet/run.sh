#!/usr/bin/env bash
# bench/fleet: 3 sidecars on one PostgreSQL vs 3 isolated SQLite sidecars, Zipf traffic sent
# round-robin; hit rate of each, propagation delay p50/p99 through the shared store, the write
# throughput of misses, and the start-up of a replica on STARTUP_ENTRIES entries.
#
#   bench/fleet/run.sh                 # BIN=.build/release by default (swift build -c release first)
#   BIN=.build/debug REQUESTS=3000 STARTUP_ENTRIES=100000 bench/fleet/run.sh
#
# Starts a private PostgreSQL 15 cluster (as nobody when run as root) on a free loopback port in a
# temporary directory and removes it at the end; every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
REQUESTS=${REQUESTS:-3000}
QUESTIONS=${QUESTIONS:-1000}
SAMPLES=${SAMPLES:-200}
STARTUP_ENTRIES=${STARTUP_ENTRIES:-100000}
WORK=$(mktemp -d /tmp/semcache-fleet-bench.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_server_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- env -C /tmp "$@"; else "$@"; fi; }
stop_cluster() {
  as_server_user "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  cleanup_started
  rm -rf "$WORK"
}
trap stop_cluster EXIT

chmod 755 "$WORK"
mkdir -p "$WORK/pg"
[ "$(id -u)" -ne 0 ] || chown nobody:nogroup "$WORK/pg"
as_server_user "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_server_user "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres fleet
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres startup
log "PostgreSQL 15 on 127.0.0.1:$PG_PORT"

start mock "$WORK/mock.log" "$BIN/semcache-mock-upstream" --port 0
sleep 0.5
MOCK=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/mock.log" | head -1)

# launch NAME DB: starts a sidecar (in this shell, so the exit trap stops it) and sets $URL to its
# base URL once it listens.
launch() {
  start "$1" "$WORK/$1.log" "$BIN/semcache" serve --upstream "$MOCK" --port 0 --db "$2" --embedder none --wait-for-index
  URL=""
  for _ in $(seq 1 600); do
    URL=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/$1.log" | grep -o 'http.*' || true)
    [ -n "$URL" ] && break
    sleep 0.05
  done
}

SHARED_DB="postgres://postgres@127.0.0.1:$PG_PORT/fleet?sslmode=disable"
SHARED="" ISOLATED=""
for n in 1 2 3; do launch "shared-$n" "$SHARED_DB"; SHARED="$SHARED${SHARED:+,}$URL"; done
for n in 1 2 3; do launch "isolated-$n" "$WORK/isolated-$n.db"; ISOLATED="$ISOLATED${ISOLATED:+,}$URL"; done

python3 bench/fleet/fleet_bench.py --shared "$SHARED" --isolated "$ISOLATED" \
  --requests "$REQUESTS" --questions "$QUESTIONS" --samples "$SAMPLES"

# Start-up of a replica: fill the database with STARTUP_ENTRIES entries (384-dimensional vectors),
# then time a sidecar from launch to "loaded the index".
STARTUP_DB="postgres://postgres@127.0.0.1:$PG_PORT/startup?sslmode=disable"
launch startup-schema "$STARTUP_DB"
"$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres startup <<SQL
INSERT INTO entries (key, context_key, endpoint, model, namespace, prompt, embedding, embedder_id, dimension, response,
    response_kind, status, content_type, upstream_ms, created_at, expires_at, change_seq)
SELECT sha256(int8send(n)), sha256(int8send(n % 1000)), '/v1/chat/completions', 'gpt-4o-mini', '', 'prompt ' || n,
    decode(repeat('0000803f', 384), 'hex'), 'minilm-l6-v2', 384, convert_to('{"id":"' || n || '"}', 'UTF8'),
    'json', 200, 'application/json', 100, extract(epoch FROM now()), extract(epoch FROM now()) + 86400,
    nextval('entry_change_seq')
FROM generate_series(1, $STARTUP_ENTRIES) AS n;
SQL
begin=$(date +%s.%N)
start startup "$WORK/startup.log" "$BIN/semcache" serve --upstream "$MOCK" --port 0 --db "$STARTUP_DB" --embedder none
for _ in $(seq 1 1200); do grep -q "loaded the index" "$WORK/startup.log" && break; sleep 0.05; done
end=$(date +%s.%N)
python3 -c "print(f'start-up of a replica with $STARTUP_ENTRIES entries: {float($end) - float($begin):.2f} s (launch to index loaded)')"
grep -o 'entries=[0-9]* scan=[0-9.]* seconds' "$WORK/startup.log" || true
