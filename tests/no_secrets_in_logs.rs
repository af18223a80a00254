//! With tracing at its most verbose, a full migration's logs and its report carry no client
//! secret and no token. (Its own test binary: the subscriber is process-wide.)

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use idconn::{MigrateOptions, PlanOptions, Secrets, apply, migrate, plan};
use idconn_core::{Connection, Vendor};
use idconn_sim::Knobs;
use support::sims::{oidc, provider, saml, secret, start};
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_migration_logs_no_secret_and_no_token() {
    let logs = Buffer::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .init();

    let auth0_sim = start(Vendor::Auth0, Knobs::default()).await;
    let ezto_sim = start(Vendor::Ezto, Knobs::default()).await;
    let genauth_sim = start(Vendor::GenAuth, Knobs::default()).await;
    let auth0 = &provider(Vendor::Auth0, &auth0_sim);
    let ezto = &provider(Vendor::Ezto, &ezto_sim);
    let genauth = &provider(Vendor::GenAuth, &genauth_sim);

    let connections: Vec<Connection> = (0..20).map(oidc).chain([saml("acme-saml")]).collect();
    let seeded = plan(auth0, &connections, PlanOptions::default())
        .await
        .unwrap();
    apply(auth0, &seeded, 4).await.unwrap();

    // Seeded for no application: ezto makes them realm-wide, a widening this test allows.
    let lenient = MigrateOptions {
        policy: idconn_core::Policy::LENIENT.with_widening(true),
        ..MigrateOptions::default()
    };
    let to_ezto = migrate(auth0, ezto, &lenient).await.unwrap();
    assert_eq!(to_ezto.counts().created, connections.len());
    let to_genauth = migrate(auth0, genauth, &lenient).await.unwrap();
    assert!(to_genauth.succeeded());
    // ezto masks secrets: the way back takes them from a secrets map.
    let back_sim = start(Vendor::Auth0, Knobs::default()).await;
    let back = &provider(Vendor::Auth0, &back_sim);
    let mut secrets = Secrets::new();
    for i in 0..20 {
        secrets.insert(format!("conn-{i:04}"), secret(i));
    }
    let from_ezto = migrate(
        ezto,
        back,
        &MigrateOptions {
            secrets,
            ..lenient.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        from_ezto.counts().created,
        connections.len(),
        "{from_ezto:?}"
    );

    let reports = serde_json::to_string(&(&to_ezto, &to_genauth, &from_ezto)).unwrap()
        + &format!("{to_ezto:?}{to_genauth:?}{from_ezto:?}");
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.lines().count() > 100,
        "tracing was on: {} lines",
        logged.lines().count()
    );

    let mut forbidden: Vec<String> = (0..20).map(secret).collect();
    for sim in [&auth0_sim, &ezto_sim, &genauth_sim] {
        for (key, value) in sim.env_vars() {
            if key.contains("SECRET") || key.contains("TOKEN") {
                forbidden.push(value);
            }
        }
    }
    // Every token the simulators issue is a JWT, and every JWT starts with `eyJ` ('{"').
    forbidden.push("eyJ".into());
    forbidden.push("Bearer ".into());
    for needle in &forbidden {
        assert!(
            !logged.contains(needle.as_str()),
            "the logs contain {needle:?}"
        );
        assert!(
            !reports.contains(needle.as_str()),
            "a report contains {needle:?}"
        );
    }
}
