//! One bad record never fails a whole read: for each vendor, a simulator holding one connection
//! whose certificate the model cannot decode among valid ones. Listing, export and migration
//! carry the valid ones and the bad one (its value kept verbatim and reported); an export ->
//! apply round trip leaves the bad raw value as the vendor had it.

mod support;

use idconn::{
    Document, IdentityConnectionProvider, MigrateOptions, PlanOptions, Policy, Vendor, apply,
    migrate, plan, read_all,
};
use idconn_sim::{Knobs, SimHandle};
use serde_json::{Value, json};
use support::sims::{oidc, provider, start};

/// What the vendor holds where a certificate belongs: not base64 DER.
const NOT_A_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----\nnot base64 DER at all\n";

/// Creates, behind the backend's back, a SAML connection named `bad` whose certificate does
/// not decode; returns the JSON path of that value in the simulator's stored record.
async fn seed_bad_saml(vendor: Vendor, sim: &SimHandle) -> &'static [&'static str] {
    let http = reqwest::Client::new();
    let base = sim.base_url();
    let var = |name: &str| {
        sim.env_vars()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .unwrap()
    };
    match vendor {
        Vendor::Auth0 => {
            let token: Value = http
                .post(format!("{base}/oauth/token"))
                .json(&json!({
                    "grant_type": "client_credentials",
                    "client_id": var("AUTH0_CLIENT_ID"),
                    "client_secret": var("AUTH0_CLIENT_SECRET"),
                    "audience": format!("https://{}/api/v2/", var("AUTH0_DOMAIN")),
                }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let response = http
                .post(format!("{base}/api/v2/connections"))
                .bearer_auth(token["access_token"].as_str().unwrap())
                .json(&json!({"name": "bad", "strategy": "samlp", "options": {
                    "signInEndpoint": "https://idp.example.com/sso",
                    "signingCert": NOT_A_CERTIFICATE}}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
            &["options", "signingCert"]
        }
        Vendor::GenAuth => {
            let pool = var("GENAUTH_USERPOOL_ID");
            let token: Value = http
                .post(format!("{base}/api/v3/get-management-token"))
                .json(&json!({"accessKeyId": var("GENAUTH_ACCESS_KEY_ID"),
                    "accessKeySecret": var("GENAUTH_ACCESS_KEY_SECRET")}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let token = token["data"]["access_token"].as_str().unwrap().to_string();
            let call = |path: &str, body: Value| {
                http.post(format!("{base}{path}"))
                    .bearer_auth(&token)
                    .header("x-genauth-userpool-id", &pool)
                    .json(&body)
                    .send()
            };
            let idp: Value = call(
                "/api/v3/create-ext-idp",
                json!({"name": "bad", "type": "saml"}),
            )
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
            let created: Value = call(
                "/api/v3/create-ext-idp-conn",
                json!({"extIdpId": idp["data"]["id"], "type": "saml", "identifier": "bad",
                    "displayName": "Bad", "fields": {
                        "signInEndPoint": "https://idp.example.com/sso",
                        "samlIdpCert": NOT_A_CERTIFICATE}}),
            )
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
            assert_eq!(created["statusCode"], 200, "{created}");
            &["fields", "samlIdpCert"]
        }
        Vendor::Ezto => {
            let token: Value = http
                .post(format!(
                    "{base}/auth/realms/{}/protocol/openid-connect/token",
                    var("EZTO_WORKSPACE")
                ))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", var("EZTO_CLIENT_ID").as_str()),
                    ("client_secret", var("EZTO_CLIENT_SECRET").as_str()),
                ])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let response = http
                .post(format!(
                    "{base}/auth/admin/realms/{}/identity-provider/instances",
                    var("EZTO_WORKSPACE")
                ))
                .bearer_auth(token["access_token"].as_str().unwrap())
                .json(&json!({"alias": "bad", "providerId": "saml", "config": {
                    "singleSignOnServiceUrl": "https://idp.example.com/sso",
                    "signingCertificate": NOT_A_CERTIFICATE}}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            &["config", "signingCertificate"]
        }
        other => panic!("no undecodable record is planted for {other}"),
    }
}

/// The stored raw value at `path` of the simulator's record named `bad`.
fn stored_bad(sim: &SimHandle, path: &[&str]) -> Value {
    let record = sim
        .connections()
        .into_iter()
        .find(|c| {
            ["name", "identifier", "alias"]
                .iter()
                .any(|k| c[k] == "bad")
        })
        .expect("the bad record is stored");
    path.iter().fold(record, |value, key| value[key].clone())
}

async fn one_bad_record(vendor: Vendor) {
    let sim = start(vendor, Knobs::default()).await;
    let p = provider(vendor, &sim);
    for i in 1..=2 {
        p.create(&oidc(i), &Policy::LENIENT).await.unwrap();
    }
    let path = seed_bad_saml(vendor, &sim).await;

    // Listing: the valid ones and the bad one, its value noted and kept.
    let listing = read_all(&p, None).await.unwrap();
    let mut names: Vec<&str> = listing
        .connections
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["bad", "conn-0001", "conn-0002"], "{vendor}");
    assert!(
        listing.skipped.is_empty(),
        "{vendor}: {:?}",
        listing.skipped
    );
    let bad = listing
        .connections
        .iter()
        .find(|c| c.name == "bad")
        .unwrap();
    assert_eq!(bad.read_notes.len(), 1, "{vendor}: {:?}", bad.read_notes);
    assert!(
        bad.read_notes[0].field.ends_with(path[1]),
        "{vendor}: {:?}",
        bad.read_notes
    );
    let good = listing
        .connections
        .iter()
        .find(|c| c.name == "conn-0001")
        .unwrap();
    assert!(good.read_notes.is_empty());
    // get notes it too.
    let got = p.get(bad.id.as_deref().unwrap()).await.unwrap();
    assert_eq!(got.read_notes, bad.read_notes, "{vendor}");

    // Export -> apply on the same vendor: nothing to change, the raw value untouched.
    let document = Document {
        connections: listing.connections.clone(),
    };
    let text = document.render(idconn::Format::Json, false).unwrap();
    let reread = Document::parse(&text, idconn::Format::Json, "export.json").unwrap();
    let planned = plan(&p, &reread.connections, PlanOptions::default())
        .await
        .unwrap();
    apply(&p, &planned, 2).await.unwrap();
    assert_eq!(stored_bad(&sim, path), json!(NOT_A_CERTIFICATE), "{vendor}");

    // An update of the bad connection writes the value back unchanged.
    let mut renamed = got.clone();
    renamed.display_name = Some("Still bad".into());
    p.update(got.id.as_deref().unwrap(), &renamed, &Policy::LENIENT)
        .await
        .unwrap();
    assert_eq!(stored_bad(&sim, path), json!(NOT_A_CERTIFICATE), "{vendor}");

    // Migration to another vendor carries every connection and reports the bad value.
    let target_vendor = if vendor == Vendor::Ezto {
        Vendor::Auth0
    } else {
        Vendor::Ezto
    };
    let target_sim = start(target_vendor, Knobs::default()).await;
    let target = provider(target_vendor, &target_sim);
    // The seeds are enabled for no application, which ezto's realm-wide providers widen:
    // allowed, since the bad record is the point here.
    let options = MigrateOptions {
        policy: Policy::LENIENT.with_widening(true),
        ..MigrateOptions::default()
    };
    let report = migrate(&p, &target, &options).await.unwrap();
    assert_eq!(report.connections.len(), 3, "{vendor}: {report:?}");
    assert!(report.skipped.is_empty());
    assert_eq!(report.read_notes["bad"], bad.read_notes, "{vendor}");
    // The bad connection is created on the target (without the value it cannot carry).
    assert!(
        report
            .connections
            .iter()
            .any(|c| c.name == "bad" && c.outcome.label() == "created"),
        "{vendor}: {report:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn auth0_one_bad_record_never_fails_the_read() {
    one_bad_record(Vendor::Auth0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn genauth_one_bad_record_never_fails_the_read() {
    one_bad_record(Vendor::GenAuth).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ezto_one_bad_record_never_fails_the_read() {
    one_bad_record(Vendor::Ezto).await;
}
