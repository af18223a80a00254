//! The conformance suite against the ezto auth simulator.

mod conformance;

use conformance::Harness;
use idconn::{Connection, ConnectionKind, OAuthSettings, Settings, Vendor};
use idconn_sim::Sim;
use serde_json::json;

/// Keycloak needs explicit endpoints for an OIDC provider (reference/ezto-keycloak.md §2.5).
fn sample(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some(format!("ezto {name}"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("client-{name}")),
        scopes: vec!["openid".into(), "email".into()],
        issuer: Some("https://idp.example.com".into()),
        authorization_url: Some("https://idp.example.com/authorize".into()),
        token_url: Some("https://idp.example.com/token".into()),
        ..OAuthSettings::default()
    });
    c
}

/// `config.guiOrder` is a Keycloak config key the model does not cover.
fn unmodelled(c: &mut Connection) -> fn(&Connection) -> bool {
    let extra = json!({"config": {"guiOrder": "5"}});
    c.extras
        .insert(Vendor::Ezto, extra.as_object().unwrap().clone());
    |c| {
        c.extras_for(Vendor::Ezto)
            .get("config")
            .and_then(|f| f.get("guiOrder"))
            == Some(&json!("5"))
    }
}

async fn harness() -> Harness {
    Harness::new(Vendor::Ezto, Sim::ezto().await.unwrap(), sample, unmodelled)
}

conformance_suite!(harness);
