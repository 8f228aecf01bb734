#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod cognito;
pub mod config;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
// The authenticator-app key's QR code, drawn by the components.
#[cfg(all(
    feature = "mfa",
    any(
        test,
        feature = "fuzzing",
        all(target_arch = "wasm32", feature = "components")
    )
))]
pub(crate) mod qr;
pub mod session;

// Browser-only: compiled for wasm32 (web-sys's Web Locks binding needs the
// target's `web_sys_unstable_apis` cfg). Native builds check the pure core only.
#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(all(target_arch = "wasm32", feature = "components"))]
pub mod components;
#[cfg(all(target_arch = "wasm32", feature = "testing"))]
pub mod testing;
