//! The second sign-in step (MFA) and the authenticator app in the
//! settings: the driver carries the user's answers to Cognito and ends the
//! sign-in for its purpose (a new session, or the same user in place).

use super::sign_in::SignInPurpose;
use super::*;

/// How long a settings change may wait for a fresh access token.
const SETTINGS_TOKEN_WAIT: Duration = Duration::from_secs(15);
/// The access token must outlive the call it is sent with (as for the
/// app's API calls: a few seconds, less than the shortest token lifetime).
const SETTINGS_TOKEN_VALIDITY: Duration = Duration::from_secs(5);

impl SessionDriver {
    /// Answers an MFA code (authenticator app, SMS or email).
    pub async fn answer_mfa(
        &self,
        challenge: &MfaChallenge,
        code: &str,
        purpose: SignInPurpose,
    ) -> Result<SignInOutcome, SignInError> {
        let step = self.inner.client.answer_mfa_code(challenge, code).await?;
        self.finish(step, purpose).await
    }

    /// Answers SELECT_MFA_TYPE; the outcome is the chosen factor's code step.
    pub async fn choose_mfa(
        &self,
        challenge: &MfaChallenge,
        choice: MfaType,
        purpose: SignInPurpose,
    ) -> Result<SignInOutcome, SignInError> {
        let step = self.inner.client.choose_mfa(challenge, choice).await?;
        self.finish(step, purpose).await
    }

    /// MFA_SETUP: a new authenticator secret for the user signing in.
    pub async fn begin_mfa_setup(
        &self,
        challenge: &MfaChallenge,
    ) -> Result<TotpEnrolment, SignInError> {
        Ok(self.inner.client.begin_mfa_setup(challenge).await?)
    }

    /// MFA_SETUP: the app's first code, then the sign-in goes on.
    pub async fn finish_mfa_setup(
        &self,
        challenge: &MfaChallenge,
        enrolment: &TotpEnrolment,
        code: &str,
        purpose: SignInPurpose,
    ) -> Result<SignInOutcome, SignInError> {
        let step = self
            .inner
            .client
            .finish_mfa_setup(challenge, enrolment, code)
            .await?;
        self.finish(step, purpose).await
    }

    /// An access token good for a settings call (renewed first if close
    /// to expiry).
    async fn settings_access_token(&self) -> Result<Secret, SignInError> {
        let tokens = self
            .fresh_tokens(SETTINGS_TOKEN_VALIDITY, SETTINGS_TOKEN_WAIT)
            .await?;
        Ok(tokens.access_token)
    }

    /// Settings: starts adding an authenticator app for the signed-in user.
    pub async fn add_authenticator(&self) -> Result<TotpEnrolment, SignInError> {
        let access_token = self.settings_access_token().await?;
        Ok(self
            .inner
            .client
            .associate_authenticator(&access_token)
            .await?)
    }

    /// Settings: the new app's first code proves it; then sign-in asks for
    /// the app's code from now on.
    pub async fn confirm_authenticator(&self, code: &str) -> Result<(), SignInError> {
        let access_token = self.settings_access_token().await?;
        let client = &self.inner.client;
        client.verify_authenticator(&access_token, code).await?;
        client.set_authenticator_mfa(&access_token, true).await?;
        Ok(())
    }

    /// Settings: whether sign-in asks this user for an authenticator app's code.
    pub async fn authenticator_enabled(&self) -> Result<bool, SignInError> {
        let access_token = self.settings_access_token().await?;
        Ok(self
            .inner
            .client
            .authenticator_enabled(&access_token)
            .await?)
    }

    /// Settings: sign-in no longer asks for the authenticator app's code.
    pub async fn remove_authenticator(&self) -> Result<(), SignInError> {
        let access_token = self.settings_access_token().await?;
        Ok(self
            .inner
            .client
            .set_authenticator_mfa(&access_token, false)
            .await?)
    }
}
