//! `idconn demo` runs with no arguments, credentials or network, and shows what it promises.

mod support;

use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn demo_runs_in_seconds_and_shows_payloads_migrations_and_losses() {
    let started = Instant::now();
    let run = support::idconn(&["demo"], &[]).await.expect(0);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(20), "demo took {elapsed:?}");
    let out = &run.stdout;
    for expected in [
        "[auth0]",
        "[genauth]",
        "[eztoauth]",
        "acme-oidc",
        "partner-link",
        "acme-saml",
        "Refused before any request",
        "purpose.sign_in",
        "What could not be carried, and why",
        "unchanged",
        "Attribute mapping of acme-saml on eztoauth:",
        "email <- SAML attribute http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "attribute_map.rules.email",
        "Onboarding two customers",
        "initech-saml",
        "globex-oidc",
        "HTTP-Redirect binding was chosen",
    ] {
        assert!(
            out.contains(expected),
            "demo output lacks {expected:?}:\n{out}"
        );
    }
    for secret in [
        "acme-demo-client-secret",
        "google-demo-client-secret",
        "globex-demo-secret",
    ] {
        assert!(!out.contains(secret), "the demo printed a secret:\n{out}");
    }
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}
