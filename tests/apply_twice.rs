//! Applying the same document twice: the second run plans and writes nothing, on every vendor.

mod support;

use idconn::{Document, Format, PlanOptions, apply, plan};
use idconn_core::{Policy, Vendor};
use idconn_sim::{FaultCounts, Knobs};
use support::sims::{oidc, provider, saml, start};

async fn apply_twice(vendor: Vendor) {
    let sim = start(vendor, Knobs::default()).await;
    let target = provider(vendor, &sim);
    let target = &target;
    let mut renamed = oidc(7);
    renamed.name = "acme_corp.sso".into();
    let document = Document {
        connections: vec![oidc(1), oidc(2), saml("acme-saml"), renamed],
    };
    // Through the file format, as the CLI does.
    let text = document.render(Format::Yaml, true).unwrap();
    let document = Document::parse(&text, Format::Yaml, "desired.yaml").unwrap();
    let options = PlanOptions {
        policy: Policy::LENIENT,
        prune: true,
    };

    let first = plan(target, &document.connections, options).await.unwrap();
    let report = apply(target, &first, 4).await.unwrap();
    assert!(report.succeeded(), "{report:?}");
    let written = first.changes.iter().filter(|c| c.action.writes()).count();
    assert_eq!(report.counts().created, written);
    let stored = sim.connections().len();

    let requests = FaultCounts::get(&sim.counts().requests);
    let second = plan(target, &document.connections, options).await.unwrap();
    let writes: Vec<_> = second
        .changes
        .iter()
        .filter(|c| c.action.writes())
        .collect();
    assert!(writes.is_empty(), "{vendor}: second plan wants {writes:?}");
    let again = apply(target, &second, 4).await.unwrap();
    assert_eq!(
        again.counts().unchanged + again.counts().skipped,
        document.connections.len()
    );
    assert_eq!(sim.connections().len(), stored);
    // The second run only read: one listing (a few pages at most), no write request.
    let used = FaultCounts::get(&sim.counts().requests) - requests;
    assert!(used <= 12, "{vendor}: the second run sent {used} requests");
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_twice_on_auth0_writes_nothing_the_second_time() {
    apply_twice(Vendor::Auth0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_twice_on_genauth_writes_nothing_the_second_time() {
    apply_twice(Vendor::GenAuth).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_twice_on_ezto_writes_nothing_the_second_time() {
    apply_twice(Vendor::Ezto).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_twice_on_keycloak_writes_nothing_the_second_time() {
    apply_twice(Vendor::Keycloak).await;
}
