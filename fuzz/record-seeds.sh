#!/usr/bin/env bash
# Records the fuzz corpora's seeds from the emulators: real tokens, key sets
# and answers of cognito-local and moto (sign-in, refresh, errors), the
# config.json the seeding script writes, and stored state of today's format
# built from those tokens. Run from the repository root after `make setup`:
#   fuzz/record-seeds.sh
# It rewrites fuzz/corpus/*/emulator-* (remove the old ones first); review the diff before committing.
# The emulators sign with publicly known keys and the tokens expire: none of
# this is a secret.
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
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; exit 1; }

cl_port=$(free_port)
mkdir -p "$work/cl/.cognito"
printf '{"ServerConfig":{"hostname":"127.0.0.1","port":%s},"TokenConfig":{"IssuerDomain":"http://127.0.0.1:%s"}}\n' \
  "$cl_port" "$cl_port" > "$work/cl/.cognito/config.json"
(cd "$work/cl" && exec node "$OLDPWD/node_modules/cognito-local/lib/bin/start.js") > "$work/cl.log" 2>&1 &
pids+=($!)
moto_port=$(free_port)
.venv/bin/moto_server -H 127.0.0.1 -p "$moto_port" > "$work/moto.log" 2>&1 &
pids+=($!)
wait_port "$cl_port"; wait_port "$moto_port"
node scripts/seed-cognito.mjs --endpoint "http://127.0.0.1:$cl_port" --out "$work/cl.json" >/dev/null
node scripts/seed-cognito.mjs --endpoint "http://127.0.0.1:$moto_port" --out "$work/moto.json" --flavor moto >/dev/null

python3 - "$work" <<'EOF'
import base64, json, os, sys, urllib.request, urllib.error
work = sys.argv[1]
corpus = "fuzz/corpus"

def put(target, name, data):
    os.makedirs(f"{corpus}/{target}", exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(f"{corpus}/{target}/{name}", "wb") as f:
        f.write(data)

def call(endpoint, action, body):
    request = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()

def get(url):
    with urllib.request.urlopen(url) as answer:
        return answer.read().decode()

def part(token, index):
    text = token.split(".")[index]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()

for flavor in ["cl", "moto"]:
    config_text = open(f"{work}/{flavor}.json").read()
    config = json.loads(config_text)
    cognito = config["cognito"]
    endpoint = cognito["endpoint"]
    client_id = cognito["client_id"]
    put("config", f"emulator-{flavor}.json", config_text)
    user = {"cl": "demo@example.com", "moto": "demo@example.com"}[flavor]
    status, signed_in = call(endpoint, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": user, "PASSWORD": "Demo-Passw0rd!"}})
    put("cognito_answers", f"emulator-{flavor}-sign-in", f"0 {status}\n{signed_in}")
    result = json.loads(signed_in)["AuthenticationResult"]
    status, refreshed = call(endpoint, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]}})
    if flavor == "moto":
        put("cognito_answers", f"emulator-{flavor}-refresh", f"7 {status}\n{refreshed}")
    status, wrong = call(endpoint, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": user, "PASSWORD": "wrong-Passw0rd!"}})
    put("cognito_answers", f"emulator-{flavor}-wrong-password", f"0 {status}\n{wrong}")
    status, revoked = call(endpoint, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": "not-a-refresh-token"}})
    put("cognito_answers", f"emulator-{flavor}-bad-refresh", f"7 {status}\n{revoked}")
    status, srp = call(endpoint, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": user, "SRP_A": "02"}})
    put("cognito_answers", f"emulator-{flavor}-srp", f"1 {status} 200\n{srp}\n---\n{signed_in}")
    jwks_url = cognito.get("jwks_url") or f"{endpoint.rstrip('/')}/{cognito['user_pool_id']}/.well-known/jwks.json"
    put("jwks", f"emulator-{flavor}.json", get(jwks_url))
    for kind, token, flag in [("id", result["IdToken"], 0), ("access", result["AccessToken"], 1)]:
        put("token", f"emulator-{flavor}-{kind}-whole", bytes([flag | 4]) + token.encode())
        put("token", f"emulator-{flavor}-{kind}-parts", bytes([flag]) + f"{part(token, 0)}\n{part(token, 1)}".encode())
    id_claims = json.loads(part(result["IdToken"], 1))
    snapshot = {"tokens": {"id_token": result["IdToken"], "access_token": result["AccessToken"],
        "refresh_token": result.get("RefreshToken"), "issued_at": id_claims["iat"] * 1000,
        "expires_at": id_claims["exp"] * 1000, "auth_time": id_claims["auth_time"] * 1000,
        "user": {"sub": id_claims["sub"], "username": id_claims["cognito:username"],
                 "email": id_claims.get("email"), "groups": id_claims.get("cognito:groups", [])}},
        "session_started_at": id_claims["auth_time"] * 1000, "clock_offset": 0,
        "last_activity": id_claims["iat"] * 1000}
    # One of each shape, a few KB per corpus: the stored entry and the
    # refresh message with moto's tokens, the offered snapshot with cognito-local's.
    if flavor == "moto":
        put("stored_session", f"emulator-{flavor}-entry", b"\0" + json.dumps({"v": 2, "snapshot": snapshot}, separators=(",", ":")).encode())
        event = {"Session": {"TokensRefreshed": {"snapshot": snapshot}}}
        put("tab_message", f"emulator-{flavor}-refreshed", json.dumps({"v": 2, "event": event}, separators=(",", ":")))
    else:
        put("stored_session", f"emulator-{flavor}-offered", b"\1" + json.dumps(snapshot, separators=(",", ":")).encode())
        event = {"SessionOffered": snapshot}
        put("tab_message", f"emulator-{flavor}-offered", json.dumps({"v": 2, "event": event}, separators=(",", ":")))
EOF
echo "record-seeds: wrote fuzz/corpus/*/emulator-*"
