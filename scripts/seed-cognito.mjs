#!/usr/bin/env node
// Seeds a local Cognito emulator (cognito-local) with the demo user pool, an app
// client without a secret and a confirmed demo user, then writes the runtime
// config.json the app reads. Idempotent: if the config already names a pool and
// client that still exist, they are reused (the demo user's password is reset);
// otherwise a fresh pool is created.
//
// usage: node scripts/seed-cognito.mjs --endpoint http://127.0.0.1:9229 --out config.json
//          [--id-validity 2m] [--access-validity 2m] [--refresh-validity 20m]
//          [--preset protective] [--storage session] [--api http://127.0.0.1:8787]
//          [--email demo@example.com] [--password ...] [--reuse]
//          [--other-user other@example.com]   (a second user with the same password)
//          [--flavor moto]   (moto: AWS-style issuer in tokens, JWKS served locally)
import { readFileSync, writeFileSync, existsSync } from "node:fs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) {
      const next = all[i + 1];
      pairs.push([arg.slice(2), next === undefined || next.startsWith("--") ? "true" : next]);
    }
    return pairs;
  }, []),
);
const endpoint = (args.endpoint ?? "http://127.0.0.1:9229").replace(/\/+$/, "");
const out = args.out ?? "config.json";
const email = args.email ?? "demo@example.com";
const password = args.password ?? "Demo-Passw0rd!";
const preset = args.preset ?? "protective";
const storage = args.storage ?? "session";
const idValidity = args["id-validity"] ?? "2m";
const accessValidity = args["access-validity"] ?? idValidity;
const refreshValidity = args["refresh-validity"] ?? "20m";
const reuse = args.reuse === "true";
const flavor = args.flavor ?? "cognito-local";

// "2m" -> [2, "minutes"]: the units Cognito's TokenValidityUnits accepts.
function validity(text, field) {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`--${field} must look like 10s, 2m, 1h or 30d, not "${text}"`);
  const unit = { s: "seconds", m: "minutes", h: "hours", d: "days" }[match[2]];
  return [Number(match[1]), unit];
}

async function call(action, body) {
  let response;
  try {
    response = await fetch(`${endpoint}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`the Cognito emulator at ${endpoint} did not answer ${action} (${error.cause?.code ?? error.message}); is it running?`);
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const type = (json.__type ?? json.code ?? "Error").split("#").pop();
    const error = new Error(`${action} failed: ${type}: ${json.message ?? text}`);
    error.type = type;
    throw error;
  }
  return json;
}

async function existingIds() {
  if (!reuse || !existsSync(out)) return null;
  try {
    const config = JSON.parse(readFileSync(out, "utf8"));
    const { user_pool_id: pool, client_id: client } = config.cognito ?? {};
    if (!pool || !client || (config.cognito.endpoint ?? "").replace(/\/+$/, "") !== endpoint) return null;
    await call("DescribeUserPoolClient", { UserPoolId: pool, ClientId: client });
    return { pool, client };
  } catch {
    return null;
  }
}

async function main() {
  const [idN, idUnit] = validity(idValidity, "id-validity");
  const [accessN, accessUnit] = validity(accessValidity, "access-validity");
  const [refreshN, refreshUnit] = validity(refreshValidity, "refresh-validity");
  let ids = await existingIds();
  if (ids) {
    console.log(`reusing user pool ${ids.pool} and app client ${ids.client}`);
  } else {
    const { UserPool } = await call("CreateUserPool", {
      PoolName: "session-guard-demo",
      UsernameAttributes: ["email"],
      Policies: { PasswordPolicy: { MinimumLength: 8 } },
    });
    const { UserPoolClient } = await call("CreateUserPoolClient", {
      UserPoolId: UserPool.Id,
      ClientName: "session-guard-web",
      GenerateSecret: false,
      // What an AWS console app client allows (SRP) plus the password flow,
      // which cognito-local needs: it has no SRP.
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      EnableTokenRevocation: true,
      IdTokenValidity: idN,
      AccessTokenValidity: accessN,
      RefreshTokenValidity: refreshN,
      TokenValidityUnits: { IdToken: idUnit, AccessToken: accessUnit, RefreshToken: refreshUnit },
    });
    ids = { pool: UserPool.Id, client: UserPoolClient.ClientId };
    console.log(`created user pool ${ids.pool} and app client ${ids.client}`);
  }
  const users = [email];
  // Tests need a second user to prove drafts never cross users.
  if (args["other-user"]) users.push(args["other-user"]);
  for (const username of users) {
    try {
      await call("AdminCreateUser", {
        UserPoolId: ids.pool,
        Username: username,
        TemporaryPassword: password,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: username },
          { Name: "email_verified", Value: "true" },
        ],
      });
    } catch (error) {
      if (error.type !== "UsernameExistsException") throw error;
    }
    await call("AdminSetUserPassword", { UserPoolId: ids.pool, Username: username, Password: password, Permanent: true });
  }

  const config = {
    cognito: {
      region: "us-east-1",
      user_pool_id: ids.pool,
      client_id: ids.client,
      endpoint: `${endpoint}/`,
      refresh_token_validity: refreshValidity,
      // cognito-local has no SRP; moto runs the SRP exchange (it checks the
      // message shapes, not the proof).
      sign_in_flow: flavor === "moto" ? "srp" : "password",
    },
    session: { preset },
    storage,
  };
  if (flavor === "moto") {
    config.cognito.issuer = `https://cognito-idp.us-east-1.amazonaws.com/${ids.pool}`;
    config.cognito.jwks_url = `${endpoint}/${ids.pool}/.well-known/jwks.json`;
  }
  if (args.api) config.api = { base_url: args.api };
  writeFileSync(out, JSON.stringify(config, null, 2) + "\n");
  console.log(`wrote ${out}; demo user ${email} / ${password}`);
}

main().catch((error) => {
  console.error(`seed-cognito: ${error.message}`);
  process.exit(1);
});
