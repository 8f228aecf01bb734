//! The key of a new authenticator app: a QR code of the `otpauth://` URI
//! for the app to scan, and the same key as text for an app that cannot.
//! The only screen where the secret is ever shown.

use leptos::prelude::*;

use crate::cognito::{TOTP_ISSUER, TotpEnrolment};
use crate::qr::{ErrorCorrection, QrCode};

/// Light modules around the symbol, as the standard asks.
const QUIET_ZONE: usize = 4;

#[component]
pub fn AuthenticatorKey(
    enrolment: TotpEnrolment,
    /// The account's name as the app will list it.
    account: String,
) -> impl IntoView {
    let uri = enrolment.otpauth_uri(TOTP_ISSUER, &account);
    let symbol = QrCode::encode(uri.as_bytes(), ErrorCorrection::Medium).ok();
    let grouped = enrolment.secret_grouped();
    view! {
        <figure class="authenticator-key">
            {match symbol {
                Some(symbol) => {
                    let side = symbol.size() + 2 * QUIET_ZONE;
                    view! {
                        <svg class="qr-code" role="img" width="200" height="200"
                            aria-label="QR code of the authenticator key: scan it with your authenticator app"
                            viewBox=format!("0 0 {side} {side}") shape-rendering="crispEdges">
                            <rect width=side.to_string() height=side.to_string() fill="white"/>
                            <path d=symbol.svg_path() fill="black"
                                transform=format!("translate({QUIET_ZONE} {QUIET_ZONE})")/>
                        </svg>
                    }
                    .into_any()
                }
                None => view! {
                    <p class="qr-unavailable">"This key is too long for a QR code; type it into your app instead."</p>
                }
                .into_any(),
            }}
            <figcaption>
                "Cannot scan it? Add the account in your app by hand with this key (time-based): "
                <code class="totp-secret">{grouped}</code>
            </figcaption>
        </figure>
    }
}
