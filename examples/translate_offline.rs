//! Offline translation: what each vendor built into this program would be sent for one neutral
//! connection, and what it could not hold. No credentials and no network: `idconn::translate`
//! is the same pure translation a write runs before its request.
//!
//! ```text
//! cargo run --example translate_offline
//! ```

use idconn::{ClientSecret, Connection, OAuthSettings, Policy, Purpose, Vendor, translate};

fn main() {
    // A constructor per kind, so the kind and the settings cannot disagree.
    let sso = Connection::oidc(
        "acme-sso",
        OAuthSettings {
            client_id: Some("upstream-client".into()),
            client_secret: ClientSecret::known("upstream-secret"),
            issuer: Some("https://login.acme.example".into()),
            authorization_url: Some("https://login.acme.example/authorize".into()),
            token_url: Some("https://login.acme.example/oauth/token".into()),
            scopes: vec!["openid".into(), "email".into()],
            ..OAuthSettings::default()
        },
    )
    .with_display_name("Acme SSO")
    // May link an account, may not sign users in: not every vendor can say that.
    .with_purpose(Purpose {
        sign_in: Some(false),
        ..Purpose::default()
    });

    let mut translated = 0;
    for vendor in Vendor::ALL {
        if !compiled(vendor) {
            println!("{vendor}: not in this build (its cargo feature is off)");
            continue;
        }
        // Strict (the default for writes) refuses anything the vendor cannot hold...
        match translate(vendor, &sso, &Policy::STRICT) {
            Ok(translation) => {
                translated += 1;
                println!("{vendor}: exact; it would send");
                // Secrets in a payload are masked: it is safe to print.
                let body =
                    serde_json::to_string_pretty(&translation.payload).expect("a payload is JSON");
                println!("{body}");
            }
            Err(refused) => {
                translated += 1;
                println!("{vendor}: strict refuses: {refused}");
                // ...lenient goes on and reports each loss (widening still needs asking by name).
                let lenient = Policy::LENIENT.with_widening(true);
                match translate(vendor, &sso, &lenient) {
                    Ok(translation) => {
                        for loss in &translation.report.losses {
                            println!(
                                "  lenient: {} {} becomes {} ({})",
                                loss.field, loss.source, loss.target, loss.reason
                            );
                        }
                    }
                    Err(error) => println!("  lenient refuses too: {error}"),
                }
            }
        }
    }
    println!("{translated} vendor(s) checked offline; no request was sent");
}

/// Whether this build has `vendor`'s backend (each is a cargo feature of `idconn`).
// With every feature on, each arm is `true`; the match is the list of features.
#[allow(clippy::match_like_matches_macro)]
fn compiled(vendor: Vendor) -> bool {
    match vendor {
        Vendor::Auth0 => cfg!(feature = "auth0"),
        Vendor::GenAuth => cfg!(feature = "genauth"),
        Vendor::Ezto => cfg!(feature = "eztoauth"),
        Vendor::Keycloak => cfg!(feature = "keycloak"),
        _ => false,
    }
}
