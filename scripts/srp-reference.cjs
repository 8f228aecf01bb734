// Independent reference for the SRP known-answer tests: runs AWS's own
// amazon-cognito-identity-js AuthenticationHelper on fixed inputs.
//
// stdin:  JSON array of {poolId, userId, password, a, b, salt, secretBlock, timestamp, unixSeconds}
//         (a, b, salt in hex exactly as Cognito would send them; secretBlock base64)
// stdout: JSON array of {timestamp, A, u, x, S, key, signature} (hex, the SDK's padHex
//         form; signature base64; timestamp = the SDK's format of unixSeconds), one per input.
'use strict';
const path = require('path');
const lib = path.join(__dirname, '..', 'node_modules', 'amazon-cognito-identity-js', 'lib');
const AuthenticationHelper = require(path.join(lib, 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(lib, 'BigInteger.js')).default;
const DateHelper = require(path.join(lib, 'DateHelper.js')).default;
const { Sha256 } = require('@aws-crypto/sha256-js');

// DateHelper formats "now"; pin "now" to the given instant.
function timestampAt(unixSeconds) {
  const RealDate = global.Date;
  global.Date = class extends RealDate { constructor() { super(unixSeconds * 1000); } };
  try { return new DateHelper().getNowString(); } finally { global.Date = RealDate; }
}

function run(input) {
  const poolName = input.poolId.split('_')[1];
  const helper = new AuthenticationHelper(poolName);
  // Replace the helper's random secret with the fixed one and recompute A.
  helper.smallAValue = new BigInteger(input.a, 16);
  helper.largeAValue = undefined;
  let A;
  helper.getLargeAValue((err, value) => { if (err) throw err; A = value; });
  const B = new BigInteger(input.b, 16);
  const salt = new BigInteger(input.salt, 16);
  let key;
  helper.getPasswordAuthenticationKey(input.userId, input.password, B, salt, (err, hkdf) => {
    if (err) throw err;
    key = Buffer.from(hkdf);
  });
  // x is local to the helper; recompute it with the helper's own primitives.
  const x = new BigInteger(
    helper.hexHash(helper.padHex(salt) + helper.hash(`${poolName}${input.userId}:${input.password}`)), 16);
  let S;
  helper.calculateS(x, B, (err, value) => { if (err) throw err; S = value; });
  // The signature exactly as CognitoUser.authenticateUserDefaultAuth builds it.
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(input.userId, 'utf8'),
    Buffer.from(input.secretBlock, 'base64'),
    Buffer.from(input.timestamp, 'utf8'),
  ]);
  const hmac = new Sha256(key);
  hmac.update(message);
  const signature = Buffer.from(hmac.digestSync()).toString('base64');
  return {
    timestamp: input.unixSeconds === undefined ? undefined : timestampAt(input.unixSeconds),
    A: A.toString(16),
    u: helper.padHex(helper.UValue),
    x: helper.padHex(x),
    S: helper.padHex(S),
    key: key.toString('hex'),
    signature,
  };
}

let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { text += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(text).map(run)));
});
