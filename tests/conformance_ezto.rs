//! The conformance suite against the ezto auth simulator.

use idconn::Vendor;
use idconn::testkit::{Harness, oidc_with_endpoints};
use idconn_sim::Sim;
use serde_json::json;

async fn harness() -> Harness {
    // `config.guiOrder` is a Keycloak config key the model does not cover.
    Harness::new(
        Vendor::Ezto,
        Sim::ezto().await.unwrap(),
        oidc_with_endpoints,
        json!({"config": {"guiOrder": "5"}}),
        "/config/guiOrder",
    )
}

idconn::conformance_suite!(harness);
