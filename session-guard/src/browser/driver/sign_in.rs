//! The user's actions: sign in (password or SRP, and the first-sign-in
//! password change), re-authenticate in place, sign out, stay signed in.

use super::*;
use crate::cognito::managed_login::ManagedLogin;

/// Why signing in (or re-authenticating) did not work, in words for the form.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SignInError {
    /// Cognito refused or could not be reached; its message says what the user
    /// can do (wrong password, code expired, offline, ...).
    #[error("{0}")]
    Cognito(#[from] CognitoError),
    /// Cognito answered with tokens that failed verification (wrong pool or app
    /// client in the configuration, a clock far off): nothing was signed in.
    #[error("The sign-in service sent tokens this app cannot accept: {0}")]
    Token(#[from] TokenError),
    /// A re-authentication signed in someone else; the page's work belongs to
    /// the user named in the message, so the session was not switched.
    #[error("You signed in as a different user; sign in as {expected} to keep this page's work.")]
    DifferentUser {
        /// The username of the session's user.
        expected: String,
    },
    /// The action needs a signed-in user (re-authentication, settings) and
    /// there is none.
    #[error("Nobody is signed in.")]
    NotSignedIn,
    /// The account must choose its password before this step can finish.
    #[error(
        "This account must choose a new password first; sign out and sign in again to choose it."
    )]
    NewPasswordRequired,
    /// The browser offers no secure random numbers, which SRP needs.
    #[error(
        "This browser cannot generate secure random numbers, which signing in needs; use a current browser."
    )]
    NoSecureRandom,
    /// Managed login did not sign the user in; the message says why and what
    /// to do.
    #[cfg(feature = "managed-login")]
    #[error("{0}")]
    ManagedLogin(#[from] ManagedLoginError),
    /// The configuration names SRP, which this build left out.
    #[error(
        "This app was built without SRP sign-in (session-guard's `srp` feature); its configuration must name the \"password\" or \"hosted\" sign-in flow."
    )]
    SrpNotBuilt,
    /// The account must give a second factor, and this build left MFA out.
    #[error(
        "This account must confirm its sign-in with a second factor, which this app was built without (session-guard's `mfa` feature)."
    )]
    MfaNotBuilt,
    /// The pool signs in on Cognito's own page, not with this form.
    #[error("This app signs in on your organisation's sign-in page: use the \"Sign in\" button.")]
    UsesManagedLogin,
    /// The browser refused to keep the managed-login state across the
    /// redirect (site data blocked); holds the browser's reason.
    #[error(
        "The browser did not let this page remember the sign-in it started ({0}); allow site data for this page and try again."
    )]
    Storage(String),
    /// The browser blocked the sign-in window; `url` opens it in a new tab.
    #[error(
        "The browser blocked the sign-in window. Allow pop-ups for this site, or open the sign-in page in a new tab."
    )]
    WindowBlocked {
        /// The managed-login address to open in a new tab instead.
        url: String,
    },
    /// A settings change needs the session's access token, and there is none to use.
    #[error("The change was not made: {0}.")]
    Session(#[from] SessionUnavailable),
}

/// Why "Sign out everywhere" did not reach every device.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SignOutEverywhereError {
    /// The session's access token lacks the `aws.cognito.signin.user.admin`
    /// scope that `GlobalSignOut` needs (add it to the managed-login scopes).
    /// This tab is signed out; the other devices are not.
    #[error(
        "Signing out everywhere needs the aws.cognito.signin.user.admin scope, which this app's sign-in does not grant. \
         You are still signed in on your other devices; sign out there, or ask your administrator to add the scope."
    )]
    MissingScope,
    /// This tab is signed out, but Cognito refused or could not be reached:
    /// the other devices keep their sessions until their refresh tokens end.
    #[error("Signed out here, but the other devices could not be signed out: {0}")]
    Cognito(#[from] CognitoError),
    /// The session's tokens failed verification, so they were not sent to
    /// Cognito; this tab is signed out.
    #[error("The session's tokens could not be checked: {0}")]
    Token(#[from] TokenError),
}

/// Where a sign-in stands: done, the account must choose a password
/// first, or Cognito asks for a second factor.
#[non_exhaustive]
pub enum SignInOutcome {
    /// Signed in: the session has started in every tab.
    SignedIn,
    /// The account must choose a new password first: answer with
    /// `choose_new_password`.
    NewPasswordRequired(NewPasswordChallenge),
    /// Cognito asks for a second step: answer with `answer_mfa`, `choose_mfa`
    /// or the MFA setup calls.
    Mfa(MfaChallenge),
}

/// What a sign-in is for: a new session, or the same user again in place
/// (the page and its work stay; the user must not change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInPurpose {
    /// A new session, for whoever signs in.
    NewSession,
    /// The same user again, in place: the page and its work stay, and another
    /// user is refused ([`SignInError::DifferentUser`]).
    Reauthenticate,
}

impl SessionDriver {
    /// Signs in with email and password; on success the session starts in
    /// every tab. A first sign-in of an account an administrator created
    /// returns the challenge to answer with [`Self::choose_new_password`].
    pub async fn sign_in(
        &self,
        email: &str,
        password: &Secret,
    ) -> Result<SignInOutcome, SignInError> {
        let step = self.password_step(email, password).await?;
        self.finish_sign_in(step).await
    }

    /// Computes the next SRP sign-in's `A = g^a` now, so that submitting the
    /// form only does the password-dependent half. Called by the sign-in and
    /// re-authentication forms once they are on screen; a no-op for the
    /// password flow or when one is ready.
    pub fn prepare_sign_in(&self) {
        #[cfg(feature = "srp")]
        if self.inner.config.cognito.sign_in_flow == SignInFlow::Srp
            && self.inner.srp.borrow().is_none()
            && let Ok(srp) = new_srp_client()
        {
            *self.inner.srp.borrow_mut() = Some(srp);
        }
    }

    /// Answers NEW_PASSWORD_REQUIRED; on success the session starts.
    pub async fn choose_new_password(
        &self,
        challenge: &NewPasswordChallenge,
        new_password: &Secret,
    ) -> Result<SignInOutcome, SignInError> {
        let step = self
            .inner
            .client
            .answer_new_password(challenge, new_password)
            .await?;
        self.finish_sign_in(step).await
    }

    pub(super) async fn finish_sign_in(
        &self,
        step: SignInStep,
    ) -> Result<SignInOutcome, SignInError> {
        let issued = match step {
            SignInStep::SignedIn(issued) => issued,
            SignInStep::NewPasswordRequired(challenge) => {
                return Ok(SignInOutcome::NewPasswordRequired(challenge));
            }
            SignInStep::Mfa(challenge) => return second_step(challenge),
        };
        let verified = self.verify(issued).await?;
        let tokens = token_set(&verified);
        self.inner.store.clear_sign_out();
        self.handle(Input::SignedIn { tokens });
        Ok(SignInOutcome::SignedIn)
    }

    /// One password check with the configured flow (SRP or plain password).
    pub(super) async fn password_step(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<SignInStep, SignInError> {
        let client = &self.inner.client;
        match self.inner.config.cognito.sign_in_flow {
            SignInFlow::Hosted => Err(SignInError::UsesManagedLogin),
            SignInFlow::Password => Ok(client.sign_in_password(username, password).await?),
            #[cfg(not(feature = "srp"))]
            SignInFlow::Srp => Err(SignInError::SrpNotBuilt),
            #[cfg(feature = "srp")]
            SignInFlow::Srp => {
                // Each attempt uses a fresh secret: take the prepared one.
                let prepared = self.inner.srp.borrow_mut().take();
                let srp = match prepared {
                    Some(srp) => srp,
                    None => new_srp_client()?,
                };
                // Cognito checks the signed timestamp against its own clock:
                // use the provider's time when a session has measured the skew.
                let offset = self.inner.machine.borrow().clock_offset();
                let now = || {
                    let local = Millis(js_sys::Date::now() as i64);
                    let provider = offset.map_or(local, |offset| offset.to_provider(local));
                    (provider.0.max(0) / 1000) as u64
                };
                Ok(client.sign_in_srp(username, password, srp, now).await?)
            }
        }
    }

    /// Starts a password reset: Cognito sends a code to the account's
    /// verified email or phone.
    pub async fn forgot_password(&self, username: &str) -> Result<CodeDelivery, SignInError> {
        if self.inner.config.cognito.sign_in_flow == SignInFlow::Hosted {
            return Err(SignInError::UsesManagedLogin);
        }
        Ok(self.inner.client.forgot_password(username.trim()).await?)
    }

    /// Sets the new password with the code from the message, then signs in
    /// with it (the user asked to get in, not just to change a password).
    pub async fn reset_password(
        &self,
        username: &str,
        code: &str,
        new_password: &Secret,
    ) -> Result<SignInOutcome, SignInError> {
        let username = username.trim();
        self.inner
            .client
            .confirm_forgot_password(username, code, new_password)
            .await?;
        self.sign_in(username, new_password).await
    }

    /// Signs the same user in again without leaving the page (the work in
    /// it stays): a new session with a new hard end. A pool with MFA
    /// answers with the second step, finished with the `purpose`
    /// [`SignInPurpose::Reauthenticate`] methods.
    pub async fn reauthenticate(&self, password: &Secret) -> Result<SignInOutcome, SignInError> {
        let username = self.reauth_username()?;
        let step = self.password_step(&username, password).await?;
        self.finish(step, SignInPurpose::Reauthenticate).await
    }

    /// Who must sign in again: the signed-in user.
    fn reauth_username(&self) -> Result<String, SignInError> {
        let user = self
            .inner
            .machine
            .borrow()
            .user()
            .cloned()
            .ok_or(SignInError::NotSignedIn)?;
        Ok(user.display_name().to_owned())
    }

    /// Ends a sign-in step for its purpose: a new session starts, or the
    /// same user's session is renewed in place.
    pub(super) async fn finish(
        &self,
        step: SignInStep,
        purpose: SignInPurpose,
    ) -> Result<SignInOutcome, SignInError> {
        match purpose {
            SignInPurpose::NewSession => self.finish_sign_in(step).await,
            SignInPurpose::Reauthenticate => self.finish_reauth(step).await,
        }
    }

    async fn finish_reauth(&self, step: SignInStep) -> Result<SignInOutcome, SignInError> {
        let username = self.reauth_username()?;
        let issued = match step {
            SignInStep::SignedIn(issued) => issued,
            SignInStep::NewPasswordRequired(_) => return Err(SignInError::NewPasswordRequired),
            SignInStep::Mfa(challenge) => return second_step(challenge),
        };
        let verified = self.verify(issued).await?;
        let tokens = token_set(&verified);
        if !self.inner.machine.borrow().accepts_reauth_by(&tokens) {
            return Err(SignInError::DifferentUser { expected: username });
        }
        self.handle(Input::ReauthSucceeded { tokens });
        Ok(SignInOutcome::SignedIn)
    }

    /// Signs out (the refresh token is revoked). With managed login the
    /// browser then goes through Cognito's `/logout`, which ends the
    /// managed-login session too, so the next person at this computer is
    /// asked for credentials rather than signed straight back in.
    pub fn sign_out(&self) {
        self.handle(Input::SignOutRequested);
    }

    /// Signs out and deletes every draft of this user from the device (a
    /// shared computer); nothing is flushed first.
    pub fn sign_out_deleting_drafts(&self) {
        self.handle(Input::SignOutDeletingDrafts);
    }

    /// With managed login, leaves for Cognito's `/logout` once this tab's
    /// revocation is on its way ([`Command::EndProviderSession`]).
    #[cfg(feature = "managed-login")]
    pub(super) fn end_managed_login_session(&self) {
        if self.inner.config.cognito.sign_in_flow == SignInFlow::Hosted
            && let Some(login) = self.managed_login()
        {
            let driver = self.clone();
            spawn_local(async move {
                driver
                    .leave_for_logout(&login.logout_url(&driver.inner.config.cognito.client_id))
                    .await;
            });
        }
    }

    /// Lets the revocation reach the provider (leaving the page would
    /// cancel it), at most a few seconds, then navigates to `url`.
    #[cfg(feature = "managed-login")]
    async fn leave_for_logout(&self, url: &str) {
        let started = self.now();
        while self.inner.revocations.get() > 0 && started.until(self.now()) < Duration::from_secs(3)
        {
            self.inner
                .changes
                .changed_or_after(Duration::from_millis(100))
                .await;
        }
        if let Some(window) = web_sys::window()
            && window.location().assign(url).is_err()
        {
            notice("the browser refused to open the managed login sign-out page");
        }
    }

    /// Signs out every device (GlobalSignOut), then this session. A failure
    /// to reach the provider is returned, but this tab signs out anyway.
    /// Without the scope GlobalSignOut needs (a managed-login app client
    /// that does not grant it), nothing happens and the reason is returned:
    /// the user is still signed in everywhere and must hear so.
    pub async fn sign_out_everywhere(&self) -> Result<(), SignOutEverywhereError> {
        let tokens = self
            .inner
            .machine
            .borrow()
            .snapshot()
            .map(|snapshot| snapshot.tokens);
        let result = match tokens {
            Some(tokens) => {
                let verified = self.verify(issued(&tokens)).await?;
                if !ManagedLogin::allows_global_sign_out(verified.access.scope.as_deref()) {
                    return Err(SignOutEverywhereError::MissingScope);
                }
                self.inner
                    .client
                    .global_sign_out(&tokens.access_token)
                    .await
                    .map_err(SignOutEverywhereError::from)
            }
            None => Ok(()),
        };
        self.sign_out();
        result
    }

    /// The user answered the idle warning with "Stay signed in": counts as
    /// activity, shared with every tab.
    pub fn stay_signed_in(&self) {
        self.handle(Input::StaySignedIn);
    }

    /// Tells the core whether unsaved work exists (it flushes drafts before
    /// any sign-out it decides on).
    pub fn drafts_changed(&self, dirty: bool) {
        if self.inner.machine.borrow().drafts_dirty() != dirty {
            self.handle(Input::DraftsChanged { dirty });
        }
    }
}

/// Cognito asks for a second factor: the form's next step, or, in a build
/// without MFA, a refusal that says so.
fn second_step(challenge: MfaChallenge) -> Result<SignInOutcome, SignInError> {
    #[cfg(feature = "mfa")]
    return Ok(SignInOutcome::Mfa(challenge));
    #[cfg(not(feature = "mfa"))]
    {
        drop(challenge);
        Err(SignInError::MfaNotBuilt)
    }
}

/// One SRP exchange's secret from the browser's CSPRNG, with `A` computed.
#[cfg(feature = "srp")]
pub(super) fn new_srp_client() -> Result<SrpClient, SignInError> {
    let mut random = random_bytes::<SECRET_BYTES>()?;
    let srp = SrpClient::new(&random).map_err(CognitoError::from)?;
    // The bytes are the secret exponent; do not leave a copy behind.
    random.fill(0);
    Ok(srp)
}

/// `N` bytes from the browser's CSPRNG.
#[cfg(any(feature = "srp", feature = "managed-login"))]
pub(super) fn random_bytes<const N: usize>() -> Result<[u8; N], SignInError> {
    let crypto = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .ok_or(SignInError::NoSecureRandom)?;
    let mut random = [0u8; N];
    crypto
        .get_random_values_with_u8_array(&mut random)
        .map_err(|_| SignInError::NoSecureRandom)?;
    Ok(random)
}
