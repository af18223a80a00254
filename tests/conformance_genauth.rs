//! The conformance suite against the GenAuth simulator.

use idconn::testkit::Harness;
use idconn::{Connection, ConnectionKind, OAuthSettings, Settings, Vendor};
use idconn_sim::Sim;
use serde_json::json;

/// An OIDC connection GenAuth holds exactly: its client id (`fields.clientId`).
fn sample(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some(format!("GenAuth {name}"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("client-{name}")),
        ..OAuthSettings::default()
    });
    c
}

async fn harness() -> Harness {
    // A `fields` key the model does not map travels in extras.
    Harness::new(
        Vendor::GenAuth,
        Sim::genauth().await.unwrap(),
        sample,
        json!({"fields": {"region": "cn-north"}}),
        "/fields/region",
    )
}

idconn::conformance_suite!(harness);
