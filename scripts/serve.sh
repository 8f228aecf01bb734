#!/usr/bin/env bash
# Runs the app locally: cognito-local on 127.0.0.1:9229 (state kept in
# .run/cognito-local), seeded with the demo pool, client and user, the demo
# notes API on 127.0.0.1:8787 (notes kept in the SQLite file .run/notes.db;
# an earlier run's .run/notes.json is imported into it once), then the Trunk
# dev server on http://127.0.0.1:8080. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
COGNITO_PORT=${COGNITO_PORT:-9229}
APP_PORT=${APP_PORT:-8080}
NOTES_PORT=${NOTES_PORT:-8787}
state=.run/cognito-local

mkdir -p "$state/.cognito"
printf '{"ServerConfig":{"hostname":"127.0.0.1","port":%s},"TokenConfig":{"IssuerDomain":"http://127.0.0.1:%s"}}\n' \
  "$COGNITO_PORT" "$COGNITO_PORT" > "$state/.cognito/config.json"

# Services left over from an earlier run are stopped first.
for service in cognito-local notes-api; do
  if [ -f ".run/$service.pid" ] && kill -0 "$(cat ".run/$service.pid")" 2>/dev/null; then
    kill "$(cat ".run/$service.pid")" 2>/dev/null || true
    sleep 0.5
  fi
done
for port in "$COGNITO_PORT" "$NOTES_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "serve: port $port is taken by another program; stop it or choose COGNITO_PORT / NOTES_PORT / APP_PORT" >&2
    exit 1
  fi
done
cargo build --quiet -p session-guard-notes-api
(cd "$state" && exec node ../../node_modules/cognito-local/lib/bin/start.js) > .run/cognito-local.log 2>&1 &
echo $! > .run/cognito-local.pid
trap 'kill "$(cat .run/cognito-local.pid)" "$(cat .run/notes-api.pid 2>/dev/null)" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$COGNITO_PORT") 2>/dev/null && break
  sleep 0.1
done
node scripts/seed-cognito.mjs --endpoint "http://127.0.0.1:$COGNITO_PORT" --out config.json --reuse \
  --id-validity 2m --refresh-validity 20m --api "http://127.0.0.1:$NOTES_PORT"
import_json=(); [ -f .run/notes.json ] && import_json=(--import-json .run/notes.json)
target/debug/notes-api --config config.json --listen "127.0.0.1:$NOTES_PORT" \
  --database sqlite://.run/notes.db "${import_json[@]}" \
  > .run/notes-api.out 2> .run/notes-api.log &
echo $! > .run/notes-api.pid

cat <<MSG

  Session Guard:  http://127.0.0.1:$APP_PORT/
  Demo user:      demo@example.com
  Password:       Demo-Passw0rd!
  cognito-local:  http://127.0.0.1:$COGNITO_PORT (log: .run/cognito-local.log)
  notes API:      http://127.0.0.1:$NOTES_PORT (log: .run/notes-api.log)

MSG
trunk serve --offline --port "$APP_PORT" --address 127.0.0.1
