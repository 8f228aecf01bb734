// The benchmark's second baseline (`make bench`): what a team would ship
// instead of Session Guard's first screen, written the usual way with React
// 19, aws-amplify (Auth only) and react-idle-timer, and bundled for
// production by esbuild (scripts/bench.sh: minified, NODE_ENV=production,
// one ES module). It shows the same sign-in form as the app (email,
// password, submit; the same ids and class, so the benchmark waits for the
// same selector), reads the user pool from the same config.json at run time,
// signs in with Amplify's `signIn` (SRP, or USER_PASSWORD_AUTH where the app
// would use it: `sign_in_flow: "password"`, or a local emulator, which has
// no SRP) and keeps an idle timer running. It sets the app's
// `session-guard-ready` performance mark once the form is on screen and a
// submit would reach the pool, which is what the app's own mark means.
// Tokens stay where Amplify keeps them by default (localStorage). Nothing
// here ships in the app.

import { StrictMode, useLayoutEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Amplify } from 'aws-amplify';
import { signIn, signOut } from 'aws-amplify/auth';
import { useIdleTimer } from 'react-idle-timer';

const READY_MARK = 'session-guard-ready';
// As the app's "strict" preset: signed out after 15 idle minutes.
const IDLE_TIMEOUT_MS = 15 * 60 * 1000;

let authFlowType = 'USER_SRP_AUTH';
// Started as soon as the module runs, while React renders; the preload in
// index.html has usually fetched the file by then.
const configured = fetch('config.json')
  .then((response) => {
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    return response.json();
  })
  .then(({ cognito }) => {
    const password = cognito.sign_in_flow === 'password' || (!cognito.sign_in_flow && cognito.endpoint);
    authFlowType = password ? 'USER_PASSWORD_AUTH' : 'USER_SRP_AUTH';
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: cognito.user_pool_id,
          userPoolClientId: cognito.client_id,
          // A local emulator in development and tests; Cognito otherwise.
          ...(cognito.endpoint ? { userPoolEndpoint: cognito.endpoint } : {}),
        },
      },
    });
  });

function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(null);
  const [signedIn, setSignedIn] = useState(false);

  useIdleTimer({
    timeout: IDLE_TIMEOUT_MS,
    onIdle: () => {
      setPassword('');
      if (signedIn) {
        signOut().finally(() => setSignedIn(false));
      }
    },
  });

  // Right after the first commit: the form is in the DOM; it is interactive
  // once Amplify knows the pool.
  useLayoutEffect(() => {
    configured
      .catch((failure) => setError(`The sign-in is not configured: ${failure.message}`))
      .finally(() => performance.mark(READY_MARK));
  }, []);

  const submit = async (event) => {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await configured;
      const { isSignedIn, nextStep } = await signIn({
        username: email.trim(),
        password,
        options: { authFlowType },
      });
      setPassword('');
      if (isSignedIn) setSignedIn(true);
      else setError(`One more step is needed: ${nextStep.signInStep}`);
    } catch (failure) {
      setError(failure.message || String(failure));
    } finally {
      setPending(false);
    }
  };

  if (signedIn) {
    return (
      <main>
        <p className="signed-in-user">Signed in as {email}</p>
      </main>
    );
  }
  return (
    <main>
      <h1>Sign in</h1>
      <form className="sign-in-form" aria-busy={pending} onSubmit={submit}>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required
          value={email} onChange={(event) => setEmail(event.target.value)}
          aria-invalid={error !== null} aria-describedby="sign-in-error" />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required
          value={password} onChange={(event) => setPassword(event.target.value)}
          aria-invalid={error !== null} aria-describedby="sign-in-error" />
        <p id="sign-in-error" role="alert">{error}</p>
        <button type="submit" disabled={pending}>{pending ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <SignIn />
  </StrictMode>,
);
