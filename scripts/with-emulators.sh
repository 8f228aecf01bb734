#!/usr/bin/env bash
# Runs a command with both Cognito emulators started on free loopback ports
# and seeded: cognito-local (the one the app runs on) and moto (closest to real
# Cognito's wire format). Their app configs are passed to the command as
# SG_COGNITO_LOCAL_CONFIG (2-minute tokens), SG_COGNITO_LOCAL_SHORT_CONFIG
# (10-second tokens) and SG_MOTO_CONFIG (config.json text); the browser
# tests read them at compile time. Both emulators are stopped on exit, also
# when the command fails.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  # Up to 30 s: node starts slowly on a loaded machine.
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "with-emulators: $2 did not start on port $1; its log:" >&2; cat "$3" >&2; exit 1
}

cl_port=$(free_port)
mkdir -p "$work/cognito-local/.cognito"
printf '{"ServerConfig":{"hostname":"127.0.0.1","port":%s},"TokenConfig":{"IssuerDomain":"http://127.0.0.1:%s"}}\n' \
  "$cl_port" "$cl_port" > "$work/cognito-local/.cognito/config.json"
(cd "$work/cognito-local" && exec node "$OLDPWD/node_modules/cognito-local/lib/bin/start.js") > "$work/cognito-local.log" 2>&1 &
pids+=($!)

moto_port=$(free_port)
.venv/bin/moto_server -H 127.0.0.1 -p "$moto_port" > "$work/moto.log" 2>&1 &
pids+=($!)

wait_port "$cl_port" cognito-local "$work/cognito-local.log"
wait_port "$moto_port" moto "$work/moto.log"
node scripts/seed-cognito.mjs --endpoint "http://127.0.0.1:$cl_port" --out "$work/cognito-local.json" \
  --id-validity 2m --refresh-validity 20m --other-user other@example.com >/dev/null
# A second pool with 10-second tokens: refreshes happen within a test's time.
node scripts/seed-cognito.mjs --endpoint "http://127.0.0.1:$cl_port" --out "$work/cognito-local-short.json" \
  --id-validity 10s --refresh-validity 20m >/dev/null
node scripts/seed-cognito.mjs --endpoint "http://127.0.0.1:$moto_port" --out "$work/moto.json" \
  --refresh-validity 1h --flavor moto >/dev/null
# The demo notes API, one per pool (it checks ID tokens of one app client),
# and one that expects another client id: it refuses every token (401).
cargo build --quiet -p session-guard-notes-api
notes_url=""
start_notes_api() { # name, app config, extra notes-api flags...
  local name=$1 config=$2; shift 2
  target/debug/notes-api --config "$config" --listen 127.0.0.1:0 "$@" > "$work/$name.out" 2> "$work/$name.log" &
  pids+=($!)
  notes_url=""
  for _ in $(seq 1 200); do
    # The background shell may not have created the file yet: not an error.
    notes_url=$(sed -n 's/^listening on //p' "$work/$name.out" 2>/dev/null || true)
    [ -n "$notes_url" ] && return 0
    sleep 0.05
  done
  echo "with-emulators: $name did not start; its log:" >&2; cat "$work/$name.log" >&2; exit 1
}
with_api() { # config file, API base URL
  python3 -c 'import json, sys; path, url = sys.argv[1:]; c = json.load(open(path)); c["api"] = {"base_url": url}; json.dump(c, open(path, "w"), indent=2)' "$1" "$2"
}
start_notes_api notes-api "$work/cognito-local.json"
with_api "$work/cognito-local.json" "$notes_url"
start_notes_api notes-api-short "$work/cognito-local-short.json"
with_api "$work/cognito-local-short.json" "$notes_url"
start_notes_api notes-api-wrong-audience "$work/cognito-local-short.json" --client-id not-this-app
export SG_NOTES_API_WRONG_AUDIENCE_URL="$notes_url"
# An API that accepts connections and never answers (a hung server).
silent_port=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); held = []
while True:
    connection, _ = s.accept(); held.append(connection)' "$silent_port" > "$work/silent-api.log" 2>&1 &
pids+=($!)
wait_port "$silent_port" "the silent API" "$work/silent-api.log"
export SG_SILENT_API_URL="http://127.0.0.1:$silent_port"

export SG_COGNITO_LOCAL_CONFIG="$(cat "$work/cognito-local.json")"
export SG_COGNITO_LOCAL_SHORT_CONFIG="$(cat "$work/cognito-local-short.json")"
export SG_MOTO_CONFIG="$(cat "$work/moto.json")"
echo "with-emulators: cognito-local on :$cl_port, moto on :$moto_port, notes APIs started"
"$@"
