//! The conformance suite against a plain Keycloak simulator: Keycloak 17+ with the admin API at
//! the root, and a Keycloak that keeps the legacy `/auth` base path.

use idconn::Vendor;
use idconn::testkit::{Harness, oidc_with_endpoints};
use idconn_sim::ezto::EztoSim;
use idconn_sim::{Knobs, Sim};
use serde_json::json;

async fn harness_for(sim: EztoSim) -> Harness {
    // `config.guiOrder` is a Keycloak config key the model does not cover.
    Harness::new(
        Vendor::Keycloak,
        Sim::start(sim, Knobs::default(), 0).await.unwrap(),
        oidc_with_endpoints,
        json!({"config": {"guiOrder": "5"}}),
        "/config/guiOrder",
    )
}

mod at_the_root {
    async fn harness() -> idconn::testkit::Harness {
        super::harness_for(super::EztoSim::keycloak()).await
    }

    idconn::conformance_suite!(harness);
}

mod under_auth {
    async fn harness() -> idconn::testkit::Harness {
        super::harness_for(super::EztoSim::keycloak().with_prefix("/auth")).await
    }

    idconn::conformance_suite!(harness);
}
