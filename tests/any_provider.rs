//! Every trait method called through `AnyProvider`, for each backend: proves the
//! enum_dispatch-generated impl is wired to core's trait (an inert `#[enum_dispatch]` would
//! fail to compile here, and a wrong arm would call the wrong vendor).

use futures::TryStreamExt;
use idconn::{
    AnyProvider, Connection, ConnectionKind, Error, IdentityConnectionProvider, OAuthSettings,
    PageRequest, Policy, Settings, Vendor, list_all,
};
use idconn_sim::{Sim, SimHandle};

fn connection(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some("Through AnyProvider".into());
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("any-client".into()),
        authorization_url: Some("https://idp.example.com/authorize".into()),
        token_url: Some("https://idp.example.com/token".into()),
        ..OAuthSettings::default()
    });
    c
}

async fn every_method(vendor: Vendor, sim: SimHandle) {
    let provider = AnyProvider::from_vars(vendor, &sim.env_vars()).unwrap();
    assert_eq!(provider.vendor(), vendor);
    assert_eq!(provider.capabilities().vendor, vendor);

    let lenient = Policy::LENIENT;
    let translation = provider
        .translate(&connection("any-one"), &lenient)
        .unwrap();
    assert_eq!(translation.report.vendor, vendor);

    let created = provider
        .create(&connection("any-one"), &lenient)
        .await
        .unwrap();
    let id = created.connection.id.clone().unwrap();
    assert_eq!(provider.get(&id).await.unwrap().name, "any-one");
    assert!(provider.find("any-one").await.unwrap().is_some());
    let page = provider.list(PageRequest::with_size(10)).await.unwrap();
    assert_eq!(page.items.len(), 1);
    let all: Vec<_> = list_all(&provider, None).try_collect().await.unwrap();
    assert_eq!(all.len(), 1);

    let mut desired = connection("any-one");
    desired.display_name = Some("Renamed".into());
    let updated = provider.update(&id, &desired, &lenient).await.unwrap();
    assert_eq!(updated.connection.display_name.as_deref(), Some("Renamed"));

    provider.delete(&id).await.unwrap();
    assert!(matches!(
        provider.get(&id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(
        sim.connections().is_empty(),
        "{vendor}: the simulator holds nothing"
    );
}

#[tokio::test]
async fn auth0() {
    every_method(Vendor::Auth0, Sim::auth0().await.unwrap()).await;
}

#[tokio::test]
async fn genauth() {
    every_method(Vendor::GenAuth, Sim::genauth().await.unwrap()).await;
}

#[tokio::test]
async fn ezto() {
    every_method(Vendor::Ezto, Sim::ezto().await.unwrap()).await;
}

#[tokio::test]
async fn keycloak() {
    every_method(Vendor::Keycloak, Sim::keycloak().await.unwrap()).await;
}

#[test]
fn from_vars_names_the_missing_variable() {
    for (vendor, variable) in [
        (Vendor::Auth0, "AUTH0_DOMAIN"),
        (Vendor::GenAuth, "GENAUTH_USERPOOL_ID"),
        (Vendor::Ezto, "EZTO_HOST"),
        (Vendor::Keycloak, "KEYCLOAK_URL"),
    ] {
        let err = AnyProvider::from_vars(vendor, &[] as &[(&str, &str)])
            .expect_err("no variables: an error");
        assert!(err.to_string().contains(variable), "{vendor}: {err}");
    }
}
