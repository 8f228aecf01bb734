//! Calling the app's own API with the right token: the ID token by default
//! (it says who the user is), never an expired one, refreshed first when it
//! is about to expire, and refreshed once on a 401.

mod authorized;

pub use authorized::{ApiError, ApiResponse, AuthorizedClient};
