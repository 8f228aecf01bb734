#!/usr/bin/env bash
# Runs the app locally: cognito-local on 127.0.0.1:9229 (state kept in
# .run/cognito-local), seeded with the demo pool, client and user, then the
# Trunk dev server on http://127.0.0.1:8080. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
COGNITO_PORT=${COGNITO_PORT:-9229}
APP_PORT=${APP_PORT:-8080}
state=.run/cognito-local

mkdir -p "$state/.cognito"
printf '{"ServerConfig":{"hostname":"127.0.0.1","port":%s},"TokenConfig":{"IssuerDomain":"http://127.0.0.1:%s"}}\n' \
  "$COGNITO_PORT" "$COGNITO_PORT" > "$state/.cognito/config.json"

# A cognito-local left over from an earlier run is stopped first.
if [ -f .run/cognito-local.pid ] && kill -0 "$(cat .run/cognito-local.pid)" 2>/dev/null; then
  kill "$(cat .run/cognito-local.pid)" 2>/dev/null || true
  sleep 0.5
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$COGNITO_PORT") 2>/dev/null; then
  echo "serve: port $COGNITO_PORT is taken by another program; stop it or run COGNITO_PORT=<port> make serve" >&2
  exit 1
fi
(cd "$state" && exec node ../../node_modules/cognito-local/lib/bin/start.js) > .run/cognito-local.log 2>&1 &
echo $! > .run/cognito-local.pid
trap 'kill "$(cat .run/cognito-local.pid)" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$COGNITO_PORT") 2>/dev/null && break
  sleep 0.1
done
node scripts/seed-cognito.mjs --endpoint "http://127.0.0.1:$COGNITO_PORT" --out config.json --reuse \
  --id-validity 2m --refresh-validity 20m

cat <<MSG

  Session Guard:  http://127.0.0.1:$APP_PORT/
  Demo user:      demo@example.com
  Password:       Demo-Passw0rd!
  cognito-local:  http://127.0.0.1:$COGNITO_PORT (log: .run/cognito-local.log)

MSG
trunk serve --offline --port "$APP_PORT" --address 127.0.0.1
