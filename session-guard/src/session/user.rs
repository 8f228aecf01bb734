//! Who the session belongs to.
//!
//! The core keeps the user with the tokens it holds, taken only from
//! verified ID token claims, so every decision about "the same user" (a
//! sign-in in another tab, a re-authentication in place, whose drafts to
//! file) is made here, by `sub`: the one identifier Cognito never reuses or
//! lets a user change (an email address can change, and a username can be
//! reused after an account is deleted).

use crate::json::{FromJson, Json, JsonError, ToJson};

/// The signed-in user, from the verified ID token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionUser {
    /// The ID token's `sub`.
    pub sub: String,
    /// `cognito:username`.
    pub username: String,
    /// The `email` claim, if the token has one.
    pub email: Option<String>,
    /// `cognito:groups`.
    pub groups: Vec<String>,
}

impl SessionUser {
    /// Whether `other` is the same person (same `sub`).
    pub fn is_same_person(&self, other: &SessionUser) -> bool {
        self.sub == other.sub
    }

    /// What to call the user on screen and in the re-auth form: the email
    /// when the pool has one, else the username.
    pub fn display_name(&self) -> &str {
        self.email.as_deref().unwrap_or(&self.username)
    }
}

/// Stored and sent with the tokens. `email` may be absent; the rest is
/// required.
impl FromJson for SessionUser {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let user = value.object_or_err()?;
        Ok(SessionUser {
            sub: user.field("sub")?,
            username: user.field("username")?,
            email: user.field("email")?,
            groups: user.field("groups")?,
        })
    }
}

impl ToJson for SessionUser {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("sub", self.sub.to_json()),
            ("username", self.username.to_json()),
            ("email", self.email.to_json()),
            ("groups", self.groups.to_json()),
        ])
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::SessionUser;

    pub fn user(sub: &str) -> SessionUser {
        SessionUser {
            sub: sub.to_owned(),
            username: format!("user-{sub}"),
            email: Some(format!("{sub}@example.com")),
            groups: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::user;

    #[test]
    fn the_same_person_is_the_same_sub_whatever_the_email() {
        let a = user("a");
        let mut renamed = user("a");
        renamed.email = Some("new@example.com".into());
        renamed.username = "other".into();
        assert!(a.is_same_person(&renamed));
        assert!(!a.is_same_person(&user("b")));
    }

    #[test]
    fn display_name_prefers_the_email() {
        let mut u = user("a");
        assert_eq!(u.display_name(), "a@example.com");
        u.email = None;
        assert_eq!(u.display_name(), "user-a");
    }
}
