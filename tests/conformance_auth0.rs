//! The conformance suite against the Auth0 simulator.

use idconn::Vendor;
use idconn::testkit::{Harness, oidc_with_endpoints};
use idconn_sim::Sim;
use serde_json::json;

async fn harness() -> Harness {
    // `options.set_user_root_attributes` is an Auth0 option the model does not cover.
    Harness::new(
        Vendor::Auth0,
        Sim::auth0().await.unwrap(),
        oidc_with_endpoints,
        json!({"options": {"set_user_root_attributes": "on_first_login"}}),
        "/options/set_user_root_attributes",
    )
}

idconn::conformance_suite!(harness);
