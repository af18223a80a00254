//! The provider against the GenAuth simulator over real HTTP.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use idconn_core::http::RetryConfig;
use idconn_core::{
    ClientSecret, Connection, ConnectionKind, Error, IdentityConnectionProvider, OAuthSettings,
    PageRequest, Policy, Settings, SocialProvider, Vendor, changed_fields, list_all,
};
use idconn_genauth::{GenAuthBuilder, GenAuthConfigKey, GenAuthProvider, Placement};
use idconn_sim::genauth::GenAuthSim;
use idconn_sim::{FaultCounts, Faults, Knobs, RateLimit, Sim, SimHandle};
use serde_json::{Value, json};

async fn sim() -> SimHandle {
    Sim::start(GenAuthSim::new(), Knobs::default(), 0)
        .await
        .unwrap()
}

fn builder(sim: &SimHandle) -> GenAuthBuilder {
    GenAuthBuilder::from_vars(&sim.env_vars()).with_retry(RetryConfig::new(
        8,
        Duration::from_millis(5),
        Duration::from_secs(20),
    ))
}

fn provider(sim: &SimHandle) -> GenAuthProvider {
    builder(sim).build().unwrap()
}

fn github(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Social(SocialProvider::GitHub));
    c.display_name = Some(format!("{name} login"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("{name}-id")),
        client_secret: ClientSecret::known(format!("{name}-secret")),
        ..OAuthSettings::default()
    });
    c.purpose.link = Some(false);
    c.logo_url = Some("https://cdn.example.com/gh.png".into());
    c
}

/// Raw access to the simulator for arranging and inspecting state.
struct Raw {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Raw {
    async fn new(sim: &SimHandle) -> Raw {
        let http = reqwest::Client::new();
        let base = sim.base_url();
        let body: Value = http
            .post(format!("{base}/api/v3/get-management-token"))
            .json(
                &json!({"accessKeyId": idconn_sim::genauth::DEFAULT_USERPOOL_ID,
                "accessKeySecret": idconn_sim::genauth::DEFAULT_ACCESS_KEY_SECRET}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = body["data"]["access_token"].as_str().unwrap().to_string();
        Raw { http, base, token }
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let req = if method == "GET" {
            self.http.get(url)
        } else {
            self.http.post(url).json(&body)
        };
        req.bearer_auth(&self.token)
            .header(
                "x-authing-userpool-id",
                idconn_sim::genauth::DEFAULT_USERPOOL_ID,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn ext_idps(&self) -> Vec<Value> {
        self.call("GET", "/api/v3/list-ext-idp", Value::Null).await["data"]["list"]
            .as_array()
            .unwrap()
            .clone()
    }

    async fn ext_idp(&self, name: &str, kind: &str) -> String {
        self.call(
            "POST",
            "/api/v3/create-ext-idp",
            json!({"name": name, "type": kind}),
        )
        .await["data"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

#[tokio::test]
async fn create_get_find_list_update_delete() {
    let sim = sim().await;
    let genauth = provider(&sim);
    let source = github("acme-github");

    let translation = genauth.translate(&source, &Policy::STRICT).unwrap();
    assert!(translation.report.is_exact());
    assert_eq!(translation.payload["fields"]["clientSecret"], "******");

    let applied = genauth.create(&source, &Policy::STRICT).await.unwrap();
    assert!(applied.report.is_exact());
    let created = applied.connection;
    let id = created.id.clone().unwrap();
    // What the server holds is the source plus its id and parent, with the secret readable.
    let mut expected = source.clone();
    expected.purpose.sign_in = Some(true);
    expected.extras = created.extras.clone();
    assert_eq!(changed_fields(&expected, &created), Vec::<String>::new());
    assert_eq!(
        created.settings.client_secret().expose(),
        Some("acme-github-secret")
    );
    assert!(created.extras_for(Vendor::GenAuth)["extIdpId"].is_string());

    assert_eq!(genauth.get(&id).await.unwrap(), created);
    // A provider that never saw the connection finds it by scanning.
    let fresh = provider(&sim);
    assert_eq!(fresh.get(&id).await.unwrap(), created);
    assert_eq!(
        fresh.find("acme-github").await.unwrap(),
        Some(created.clone())
    );
    assert_eq!(fresh.find("nope").await.unwrap(), None);
    let page = genauth.list(PageRequest::first()).await.unwrap();
    assert_eq!(page.items, vec![created.clone()]);
    assert_eq!(page.next, None);

    let mut desired = created.clone();
    desired.display_name = Some("GitHub (Acme)".into());
    desired.purpose.link = Some(true);
    desired.logo_url = None;
    if let Settings::OAuth(oauth) = &mut desired.settings {
        oauth.client_secret = ClientSecret::known("rotated");
    }
    let updated = genauth
        .update(&id, &desired, &Policy::STRICT)
        .await
        .unwrap();
    assert_eq!(
        updated.connection.display_name.as_deref(),
        Some("GitHub (Acme)")
    );
    assert_eq!(updated.connection.purpose.link, Some(true));
    assert_eq!(updated.connection.logo_url, None);
    assert_eq!(
        updated.connection.settings.client_secret().expose(),
        Some("rotated")
    );
    assert_eq!(
        changed_fields(&desired, &updated.connection),
        Vec::<String>::new()
    );

    genauth.delete(&id).await.unwrap();
    assert!(matches!(
        genauth.get(&id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        genauth.delete(&id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        genauth.update(&id, &desired, &Policy::STRICT).await,
        Err(Error::NotFound { .. })
    ));
    assert!(sim.connections().is_empty());
}

#[tokio::test]
async fn parent_ext_idp_is_found_or_created_by_type_and_name() {
    let sim = sim().await;
    let genauth = provider(&sim);
    let raw = Raw::new(&sim).await;
    let mut oauth = Connection::new("corp-oauth", ConnectionKind::OAuth2);
    oauth.display_name = Some("Corp".into());
    let created = genauth
        .create(&oauth, &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    let sources = raw.ext_idps().await;
    assert_eq!(sources.len(), 1);
    assert_eq!(
        sources[0]["type"], "oauth2",
        "ext-idp type oauth2 for connection type oauth"
    );
    assert_eq!(sources[0]["name"], "corp-oauth");
    assert_eq!(
        created.extras_for(Vendor::GenAuth)["extIdpId"],
        sources[0]["id"]
    );
    assert_eq!(sim.connections()[0]["type"], "oauth");

    // Deleted and created again: the source named after it is reused.
    genauth
        .delete(created.id.as_deref().unwrap())
        .await
        .unwrap();
    genauth.create(&oauth, &Policy::STRICT).await.unwrap();
    assert_eq!(raw.ext_idps().await.len(), 1);

    // A conflict on a source created for the attempt leaves no empty source behind.
    let fixed_source = raw.ext_idp("shared", "github").await;
    let fixed = builder(&sim)
        .with_placement(Placement::Fixed(fixed_source.clone()))
        .build()
        .unwrap();
    let placed = fixed
        .create(&github("dup"), &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    assert_eq!(
        placed.extras_for(Vendor::GenAuth)["extIdpId"],
        json!(fixed_source)
    );
    let err = genauth
        .create(&github("dup"), &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    let names: BTreeSet<String> = raw
        .ext_idps()
        .await
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["corp-oauth".to_string(), "shared".to_string()])
    );

    // The parent named in extras wins over placement.
    let mut named = github("named-parent");
    named.extras.insert(
        Vendor::GenAuth,
        serde_json::Map::from_iter([("extIdpId".to_string(), json!(fixed_source))]),
    );
    let c = genauth
        .create(&named, &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    assert_eq!(
        c.extras_for(Vendor::GenAuth)["extIdpId"],
        json!(fixed_source)
    );
}

#[tokio::test]
async fn listing_pages_across_many_ext_idps() {
    let sim = sim().await;
    let raw = Raw::new(&sim).await;
    let genauth = provider(&sim);
    // 40 sources holding 0 to 3 connections each: 60 connections.
    let mut expected = BTreeSet::new();
    for s in 0..40 {
        let source = raw.ext_idp(&format!("source-{s}"), "oidc").await;
        let fixed = builder(&sim)
            .with_placement(Placement::Fixed(source))
            .build()
            .unwrap();
        for c in 0..(s % 4) {
            let mut conn = Connection::new(format!("c{s}-{c}"), ConnectionKind::Oidc);
            conn.display_name = Some("C".into());
            fixed.create(&conn, &Policy::STRICT).await.unwrap();
            expected.insert(format!("c{s}-{c}"));
        }
    }
    assert_eq!(expected.len(), 60);

    let mut seen = Vec::new();
    let mut request = PageRequest::with_size(7);
    let mut pages = 0;
    loop {
        let page = genauth.list(request.clone()).await.unwrap();
        assert!(page.items.len() <= 7);
        pages += 1;
        seen.extend(page.items.into_iter().map(|c| c.name));
        match page.next {
            Some(next) => request.cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 9, "60 connections in pages of 7");
    assert_eq!(seen.len(), 60, "each exactly once");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), expected);

    let all: Vec<Connection> = list_all(&genauth, Some(100)).try_collect().await.unwrap();
    assert_eq!(all.len(), 60);
    let ids: Vec<String> = all.iter().map(|c| c.id.clone().unwrap()).collect();
    let fresh = provider(&sim);
    assert_eq!(fresh.get(&ids[59]).await.unwrap(), all[59]);

    // A cursor whose source was deleted resumes at the next source.
    let first = genauth.list(PageRequest::with_size(1)).await.unwrap();
    let cursor = first.next.clone().unwrap();
    let parent = first.items[0].extras_for(Vendor::GenAuth)["extIdpId"].clone();
    raw.call("POST", "/api/v3/delete-ext-idp", json!({"id": parent}))
        .await;
    let rest: Vec<String> = {
        let mut names = Vec::new();
        let mut request = PageRequest {
            cursor: Some(cursor),
            size: Some(50),
        };
        loop {
            let page = genauth.list(request.clone()).await.unwrap();
            names.extend(page.items.into_iter().map(|c| c.name));
            match page.next {
                Some(next) => request.cursor = Some(next),
                None => break,
            }
        }
        names
    };
    assert_eq!(rest.len(), 60 - 1, "the deleted source held one connection");

    let err = genauth
        .list(PageRequest {
            cursor: Some("garbage".into()),
            size: None,
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cursor"), "{err}");
}

#[tokio::test]
async fn update_keeps_fields_the_model_does_not_cover() {
    let sim = sim().await;
    let raw = Raw::new(&sim).await;
    let genauth = provider(&sim);
    let source = raw.ext_idp("corp", "oidc").await;
    let body = raw
        .call(
            "POST",
            "/api/v3/create-ext-idp-conn",
            json!({"extIdpId": source, "type": "oidc", "identifier": "corp-oidc", "displayName": "Corp", "loginOnly": true,
                "fields": {"clientId": "cid", "clientSecret": "kept-secret", "issuerUrl": "https://corp.example", "mode": "back-channel"}}),
        )
        .await;
    let id = body["data"]["id"].as_str().unwrap().to_string();

    // A desired connection from another vendor: no extras, the secret masked.
    let mut desired = Connection::new("corp-oidc", ConnectionKind::Oidc);
    desired.display_name = Some("Corp SSO".into());
    desired.settings = Settings::OAuth(OAuthSettings {
        client_id: Some("cid-2".into()),
        client_secret: ClientSecret::Masked,
        ..OAuthSettings::default()
    });
    let applied = genauth
        .update(&id, &desired, &Policy::STRICT)
        .await
        .unwrap();
    assert!(applied.report.is_exact(), "{:?}", applied.report);
    let stored = &sim.connections()[0];
    assert_eq!(stored["displayName"], "Corp SSO");
    assert_eq!(
        stored["loginOnly"], true,
        "a purpose the desired side leaves unset is kept"
    );
    assert_eq!(applied.connection.purpose.link, Some(false));
    assert_eq!(
        stored["fields"],
        json!({"clientId": "cid-2", "clientSecret": "kept-secret", "issuerUrl": "https://corp.example", "mode": "back-channel"})
    );
    // `issuerUrl` reads as the issuer; `mode` has no place in the model and stays in extras.
    let extras = applied.connection.extras_for(Vendor::GenAuth);
    assert_eq!(extras["fields"], json!({"mode": "back-channel"}));
    assert_eq!(
        applied
            .connection
            .settings
            .oauth()
            .unwrap()
            .issuer
            .as_deref(),
        Some("https://corp.example")
    );

    // Immutable fields are refused before any request.
    let before = FaultCounts::get(&sim.counts().requests);
    for (field, change) in [
        (
            "name",
            Box::new(|c: &mut Connection| c.name = "renamed".into())
                as Box<dyn Fn(&mut Connection)>,
        ),
        (
            "kind",
            Box::new(|c: &mut Connection| c.kind = ConnectionKind::OAuth2),
        ),
        (
            "extras.genauth.extIdpId",
            Box::new(|c: &mut Connection| {
                c.extras.insert(
                    Vendor::GenAuth,
                    serde_json::Map::from_iter([("extIdpId".to_string(), json!("other"))]),
                );
            }),
        ),
    ] {
        let mut wrong = applied.connection.clone();
        change(&mut wrong);
        let err = genauth
            .update(&id, &wrong, &Policy::STRICT)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field: f, .. } if f == field),
            "{err}"
        );
    }
    // Each refusal read the current state (one get-ext-idp each) and wrote nothing.
    assert_eq!(FaultCounts::get(&sim.counts().requests) - before, 3);
    assert_eq!(sim.connections()[0]["displayName"], "Corp SSO");
}

#[tokio::test]
async fn strict_refusals_send_nothing_and_lenient_reports() {
    let sim = sim().await;
    let genauth = provider(&sim);
    let mut c = github("acme_corp sso");
    c.enabled = Some(true);
    c.purpose.store_tokens = Some(true);
    let before = FaultCounts::get(&sim.counts().requests);
    let err = genauth.create(&c, &Policy::STRICT).await.unwrap_err();
    match &err {
        Error::Unrepresentable { losses, .. } => {
            let fields: Vec<&str> = losses.iter().map(|l| l.field.as_str()).collect();
            assert_eq!(fields, ["name", "enabled", "purpose.store_tokens"]);
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        FaultCounts::get(&sim.counts().requests),
        before,
        "no request"
    );
    let applied = genauth.create(&c, &Policy::LENIENT).await.unwrap();
    assert_eq!(applied.report.losses.len(), 3);
    assert_eq!(applied.connection.name, "acme_corp-sso");

    // A connection that may not sign in is a widening, refused even by lenient.
    let mut link_only = github("link-only");
    link_only.purpose.sign_in = Some(false);
    let err = genauth
        .create(&link_only, &Policy::LENIENT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unrepresentable { .. }), "{err}");
    let allowed = genauth
        .create(&link_only, &Policy::LENIENT.with_widening(true))
        .await
        .unwrap();
    assert_eq!(allowed.connection.purpose.sign_in, Some(true));
}

#[tokio::test]
async fn envelope_errors_with_http_200_are_mapped() {
    let sim = sim().await;
    // Wrong secret: the token endpoint answers HTTP 200 with statusCode 401.
    let bad = builder(&sim).with_config(GenAuthConfigKey::AccessKeySecret, "wrong-secret-value");
    let err = bad.build().unwrap().find("x").await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
    assert!(!err.to_string().contains("wrong-secret-value"));
    assert!(err.to_string().contains("request id"), "{err}");

    // A fixed parent of another type: statusCode 400 at HTTP 200, with its request id.
    let raw = Raw::new(&sim).await;
    let wechat = raw.ext_idp("wx", "wechat").await;
    let genauth = builder(&sim)
        .with_placement(Placement::Fixed(wechat))
        .build()
        .unwrap();
    let err = genauth
        .create(&github("gh"), &Policy::STRICT)
        .await
        .unwrap_err();
    match &err {
        Error::Rejected {
            status,
            request_id,
            message,
            ..
        } => {
            assert_eq!(*status, 400);
            assert!(request_id.is_some());
            assert!(message.contains("github"), "{message}");
        }
        other => panic!("{other}"),
    }
    // A fixed parent that does not exist: statusCode 404.
    let genauth = builder(&sim)
        .with_placement(Placement::Fixed("000000000000000000000000".into()))
        .build()
        .unwrap();
    let err = genauth
        .create(&github("gh"), &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
}

#[tokio::test]
async fn rate_limits_are_waited_out() {
    let sim = Sim::start(
        GenAuthSim::new(),
        Knobs {
            rate_limit: Some(RateLimit {
                burst: 3,
                per_second: 40.0,
            }),
            ..Knobs::default()
        },
        0,
    )
    .await
    .unwrap();
    let genauth = provider(&sim);
    for i in 0..6 {
        genauth
            .create(&github(&format!("rl-{i}")), &Policy::STRICT)
            .await
            .unwrap();
    }
    assert_eq!(sim.connections().len(), 6);
    assert!(
        FaultCounts::get(&sim.counts().rate_limited) > 0,
        "the limit was hit"
    );
}

#[tokio::test]
async fn creates_paced_to_the_servers_limit_meet_no_429s() {
    // The limit above, where creates one at a time meet 429s (GenAuth sends no counts); here
    // eight at a time, with the client keeping the server's own limit, and a listing after.
    let server: RateLimit = "3/40".parse().unwrap();
    let sim = Sim::start(
        GenAuthSim::new(),
        Knobs {
            rate_limit: Some(server),
            ..Knobs::default()
        },
        0,
    )
    .await
    .unwrap();
    let mut vars = sim.env_vars();
    vars.push(("GENAUTH_RATE_LIMIT".into(), "3/40".into()));
    let genauth = GenAuthBuilder::from_vars(&vars).build().unwrap();
    futures::stream::iter(0..12)
        .map(|i| {
            let genauth = &genauth;
            async move {
                genauth
                    .create(&github(&format!("paced-{i}")), &Policy::STRICT)
                    .await
            }
        })
        .buffer_unordered(8)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let listed: Vec<Connection> = list_all(&genauth, None).try_collect().await.unwrap();
    assert_eq!(listed.len(), 12);
    assert_eq!(
        FaultCounts::get(&sim.counts().rate_limited),
        0,
        "429s received"
    );
}

#[tokio::test]
async fn creates_and_deletes_under_faults_happen_exactly_once() {
    let sim = Sim::start(
        GenAuthSim::new(),
        Knobs {
            faults: Faults {
                error_before: 0.1,
                error_after: 0.2,
                drop_after: 0.1,
                ..Faults::default()
            },
            seed: 7,
            ..Knobs::default()
        },
        0,
    )
    .await
    .unwrap();
    let genauth = provider(&sim);
    let mut ids = Vec::new();
    for i in 0..20 {
        let c = genauth
            .create(&github(&format!("f-{i}")), &Policy::STRICT)
            .await
            .unwrap();
        ids.push(c.connection.id.unwrap());
    }
    let names: Vec<String> = sim
        .connections()
        .iter()
        .map(|c| c["identifier"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 20);
    assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), 20);
    let counts = sim.counts();
    assert!(FaultCounts::get(&counts.errors_after) + FaultCounts::get(&counts.drops_after) > 0);
    for id in &ids {
        genauth.delete(id).await.unwrap();
    }
    assert!(sim.connections().is_empty());
}

#[tokio::test]
async fn expired_tokens_are_refreshed() {
    let sim = Sim::start(
        GenAuthSim::new().with_token_lifetime(Duration::from_secs(1)),
        Knobs::default(),
        0,
    )
    .await
    .unwrap();
    let genauth = provider(&sim);
    genauth
        .create(&github("t1"), &Policy::STRICT)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    genauth
        .create(&github("t2"), &Policy::STRICT)
        .await
        .unwrap();
    assert_eq!(sim.connections().len(), 2);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let sim = sim().await;
    let genauth = provider(&sim);
    let shown = format!("{genauth:?}");
    assert!(
        !shown.contains(idconn_sim::genauth::DEFAULT_ACCESS_KEY_SECRET),
        "{shown}"
    );
    let created = genauth
        .create(&github("s"), &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    assert!(!format!("{created:?}").contains("s-secret"));
    assert!(
        !serde_json::to_string(&created)
            .unwrap()
            .contains("s-secret")
    );
    let extras = serde_json::to_string(&created.extras).unwrap();
    assert!(!extras.contains("secret"), "{extras}");
    let err = genauth
        .create(&github("s"), &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }));
    assert!(!err.to_string().contains("s-secret"));
}

fn sim_vars_without_host() -> Vec<(&'static str, &'static str)> {
    vec![
        ("GENAUTH_USERPOOL_ID", "p"),
        ("GENAUTH_ACCESS_KEY_ID", "a"),
        ("GENAUTH_ACCESS_KEY_SECRET", "s"),
    ]
}

#[tokio::test]
async fn settings_errors_name_the_variable() {
    let plain = GenAuthBuilder::new()
        .with_userpool_id("pool")
        .with_access_key("ak", "sk")
        .with_host("http://idp.example.com");
    let err = plain.clone().build().unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "GENAUTH_HOST"),
        "{err}"
    );
    assert!(plain.with_allow_http(true).build().is_ok());
    let err = match GenAuthProvider::from_vars(&[("GENAUTH_USERPOOL_ID", "p")]) {
        Err(err) => err,
        Ok(_) => panic!("missing variables accepted"),
    };
    assert!(err.to_string().contains("GENAUTH_ACCESS_KEY_ID"), "{err}");
    let err = GenAuthBuilder::from_vars(&sim_vars_without_host())
        .with_scan_concurrency(0)
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("GENAUTH_SCAN_CONCURRENCY"),
        "{err}"
    );
    // An unreachable host is a transport error, not a panic.
    let err = GenAuthBuilder::new()
        .with_userpool_id("p")
        .with_access_key("a", "s")
        .with_host("http://127.0.0.1:9")
        .with_retry(RetryConfig::disabled())
        .build()
        .unwrap()
        .get("x")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
}
