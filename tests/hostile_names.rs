//! Names vendors would route as paths, rewrites that land on another connection's name, and
//! plain-http upstream endpoints, on every backend against its simulator.

mod support;

use idconn::{Action, AnyProvider, PlanOptions, SyncError, apply, plan};
use idconn_core::http::{ApiRequest, HttpClient, HttpConfig, StatusErrors};
use idconn_core::{
    Connection, Error, IdentityConnectionProvider, PageRequest, Policy, Settings, Vendor,
};
use idconn_sim::{Knobs, SimHandle};
use support::sims::{oidc, provider, saml, start};

const VENDORS: [Vendor; 3] = [Vendor::Auth0, Vendor::GenAuth, Vendor::Ezto];

async fn tenant(vendor: Vendor) -> (SimHandle, AnyProvider) {
    let sim = start(vendor, Knobs::default()).await;
    let provider = provider(vendor, &sim);
    (sim, provider)
}

fn named(name: &str, i: usize) -> Connection {
    let mut c = oidc(i);
    c.name = name.to_string();
    c
}

fn client_id(c: &Connection) -> Option<String> {
    c.settings.oauth().and_then(|s| s.client_id.clone())
}

fn lenient() -> PlanOptions {
    PlanOptions {
        policy: Policy::LENIENT,
        prune: false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn path_syntax_names_are_refused_before_any_request_on_every_backend() {
    for vendor in VENDORS {
        let (sim, provider) = tenant(vendor).await;
        for name in [".", "..", "../victim", "victim?", "a#b", "100%", "a\\b"] {
            for policy in [Policy::STRICT, Policy::LENIENT] {
                let error = provider.create(&named(name, 1), &policy).await.unwrap_err();
                assert!(
                    matches!(&error, Error::InvalidInput { field, .. } if field == "name"),
                    "{vendor} {name:?}: {error}"
                );
                assert!(error.to_string().contains("URL path syntax"), "{error}");
            }
            let error = plan(&provider, &[named(name, 1)], lenient())
                .await
                .unwrap_err();
            assert!(
                matches!(error, SyncError::Invalid { .. }),
                "{vendor}: {error}"
            );
        }
        assert!(
            sim.connections().is_empty(),
            "{vendor}: {:?}",
            sim.connections()
        );
    }
}

/// Creates an identity provider aliased `alias` straight through ezto's admin API, as an older
/// client could have.
async fn seed_ezto(sim: &SimHandle, alias: &str) {
    let config = idconn_eztoauth::EztoBuilder::from_vars(&sim.env_vars())
        .build_config()
        .unwrap();
    let token_path = format!(
        "/realms/{}/protocol/openid-connect/token",
        config.token_realm()
    );
    let http = HttpClient::new(
        HttpConfig::new(Vendor::Ezto, config.base_url().unwrap()),
        StatusErrors,
        config.credentials.auth(token_path, |grant| grant),
    )
    .unwrap();
    let body = serde_json::json!({
        "alias": alias,
        "providerId": "oidc",
        "enabled": true,
        "config": {
            "clientId": "legacy",
            "clientSecret": "legacy-secret",
            "authorizationUrl": "https://idp.example.com/authorize",
            "tokenUrl": "https://idp.example.com/token",
        }
    });
    let request = ApiRequest::post(format!(
        "/admin/realms/{}/identity-provider/instances",
        config.workspace
    ))
    .json(&body)
    .unwrap();
    http.send(request).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ezto_provider_aliased_dot_can_be_listed_read_found_and_deleted() {
    let (sim, ezto) = tenant(Vendor::Ezto).await;
    for alias in [".", ".."] {
        seed_ezto(&sim, alias).await;
        let page = ezto.list(PageRequest::default()).await.unwrap();
        let listed = page.items.iter().find(|c| c.name == alias).unwrap();
        let id = listed.id.clone().expect("ezto lists the internal id");

        assert_eq!(ezto.get(&id).await.unwrap().name, alias);
        let found = ezto.find(alias).await.unwrap().expect("found by its alias");
        assert_eq!(found.id.as_deref(), Some(id.as_str()));
        // By the alias itself there is no path: the error says what to use instead.
        let error = ezto.get(alias).await.unwrap_err().to_string();
        assert!(error.contains("internal id"), "{error}");

        ezto.delete(&id).await.unwrap();
        assert!(ezto.find(alias).await.unwrap().is_none());
    }
    assert!(sim.connections().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rewritten_name_never_takes_over_another_connection_on_any_backend() {
    for vendor in VENDORS {
        let (sim, provider) = tenant(vendor).await;
        let victim = named("victim", 1);
        let created = plan(&provider, std::slice::from_ref(&victim), lenient())
            .await
            .unwrap();
        apply(&provider, &created, 1).await.unwrap();

        // Spaces are rewritten away by every vendor; a zero-width space by all but ezto.
        for intruder in [" victim", "victim\u{200b}"] {
            let desired = vec![named(intruder, 2)];
            let planned = plan(&provider, &desired, lenient()).await.unwrap();
            let change = &planned.changes[0];
            if change.target_name == intruder {
                assert_eq!(change.action, Action::Create, "{vendor} holds {intruder:?}");
                continue;
            }
            let Action::Skip { reason } = &change.action else {
                panic!("{vendor} {intruder:?}: {:?}", change.action);
            };
            assert!(reason.contains("another connection"), "{reason}");
            let report = apply(&provider, &planned, 1).await.unwrap();
            assert_eq!(report.counts().skipped, 1, "{vendor}: {report:?}");
        }
        let victim_now = provider.find("victim").await.unwrap().unwrap();
        assert_eq!(client_id(&victim_now), client_id(&victim), "{vendor}");

        // Within one document: the rewritten one is skipped, whichever comes first.
        let desired = vec![named(" twin", 3), named("twin", 4)];
        let planned = plan(&provider, &desired, lenient()).await.unwrap();
        assert!(
            matches!(&planned.changes[0].action, Action::Skip { reason } if reason.contains("same document")),
            "{vendor}: {:?}",
            planned.changes
        );
        assert_eq!(planned.changes[1].action, Action::Create, "{vendor}");
        apply(&provider, &planned, 1).await.unwrap();
        let twin = provider.find("twin").await.unwrap().unwrap();
        assert_eq!(client_id(&twin), client_id(&named("twin", 4)), "{vendor}");
        drop(sim);
    }
}

fn with_http_endpoint(mut c: Connection, url: &str) -> Connection {
    match &mut c.settings {
        Settings::OAuth(s) => s.token_url = Some(url.to_string()),
        Settings::Saml(s) => s.sign_in_url = Some(url.to_string()),
        _ => unreachable!(),
    }
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_upstream_endpoints_need_an_explicit_allowance_on_every_backend() {
    for vendor in VENDORS {
        let (sim, provider) = tenant(vendor).await;
        for (connection, field) in [
            (oidc(1), "settings.token_url"),
            (saml("plain-saml"), "settings.sign_in_url"),
        ] {
            let plain = with_http_endpoint(connection.clone(), "http://idp.example.com/x");
            let stored = sim.connections().len();
            for policy in [Policy::STRICT, Policy::LENIENT] {
                let error = provider.create(&plain, &policy).await.unwrap_err();
                assert!(
                    matches!(&error, Error::InvalidInput { field: f, .. } if f == field),
                    "{vendor}: {error}"
                );
                let text = error.to_string();
                let ezto_rule = vendor == Vendor::Ezto && text.contains("https URL is required");
                assert!(
                    text.contains("allow-insecure-endpoints") || ezto_rule,
                    "{text}"
                );
            }
            assert_eq!(sim.connections().len(), stored, "{vendor}: nothing written");
            // Loopback needs no allowance; any host does with it.
            let local = with_http_endpoint(connection.clone(), "http://127.0.0.1:9/x");
            if let Err(e) = provider.translate(&local, &Policy::LENIENT) {
                panic!("{vendor}: {e}");
            }
            let allowed = Policy::LENIENT.with_insecure_endpoints(true);
            let created = provider.create(&plain, &allowed).await;
            if vendor == Vendor::Ezto {
                // Keycloak itself refuses plain http to other hosts (its realms' "SSL
                // required: external requests"), so no allowance can help there.
                let error = created.unwrap_err().to_string();
                assert!(error.contains("https URL is required"), "{error}");
            } else {
                created.unwrap();
                assert_eq!(sim.connections().len(), stored + 1, "{vendor}");
            }
        }
    }
}
