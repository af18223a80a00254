//! The behaviour suite every backend runs against its simulator (feature `testkit`).
//!
//! Like OpenDAL's behaviour tests and object_store's `integration` module: one set of checks,
//! generic over the trait; each backend's test file supplies a [`Harness`] (its simulator, its
//! provider, and a connection it can hold exactly) and instantiates every check with
//! [`conformance_suite!`](crate::conformance_suite). A backend written outside idconn runs the
//! same checks with [`Harness::with_provider`] against the idconn-sim simulator of the API it
//! speaks. The generated tests use `#[tokio::test]`: the calling crate needs tokio (features
//! `macros` and `rt-multi-thread`) among its dev-dependencies.

use std::collections::HashSet;
use std::time::Duration;

use crate::{
    AnyProvider, ApplicationSupport, Applications, AttributeMap, Certificate, ClientSecret,
    Connection, ConnectionKind, Error, IdentityConnectionProvider, MappingRule, MappingSource,
    OAuthSettings, OidcChannel, PageRequest, Policy, SamlBinding, SamlDigestAlgorithm,
    SamlSettings, SamlSignatureAlgorithm, Settings, Vendor, list_all, list_all_complete,
};
use futures::{StreamExt, TryStreamExt, stream};
use idconn_core::changed_fields;
use idconn_sim::{Faults, Knobs, RateLimit, SimHandle};
use serde_json::Value;

/// One vendor under test.
pub struct Harness {
    /// The running simulator.
    pub sim: SimHandle,
    /// The provider pointed at it.
    pub provider: Box<dyn IdentityConnectionProvider>,
    /// A connection named `name` that this vendor holds exactly (strict translation, no loss).
    pub sample: fn(&str) -> Connection,
    /// The vendor's extras holding one field the neutral model does not cover...
    pub unmodelled: Value,
    /// ...and the JSON pointer to that field within them.
    pub unmodelled_at: &'static str,
}

impl Harness {
    /// A harness for `vendor` on `sim`, its provider built from the simulator's variables
    /// (the vendor's backend feature must be on).
    // Without a backend, `AnyProvider` has no value: building one can only fail.
    #[cfg_attr(
        not(any(
            feature = "auth0",
            feature = "genauth",
            feature = "eztoauth",
            feature = "keycloak"
        )),
        allow(unreachable_code, unused_variables)
    )]
    pub fn new(
        vendor: Vendor,
        sim: SimHandle,
        sample: fn(&str) -> Connection,
        unmodelled: Value,
        unmodelled_at: &'static str,
    ) -> Harness {
        let provider = AnyProvider::from_vars(vendor, &sim.env_vars()).unwrap();
        Self::with_provider(provider, sim, sample, unmodelled, unmodelled_at)
    }

    /// A harness for any provider (a backend written outside idconn) pointed at `sim`.
    pub fn with_provider(
        provider: impl IdentityConnectionProvider + 'static,
        sim: SimHandle,
        sample: fn(&str) -> Connection,
        unmodelled: Value,
        unmodelled_at: &'static str,
    ) -> Harness {
        Harness {
            sim,
            provider: Box::new(provider),
            sample,
            unmodelled,
            unmodelled_at,
        }
    }

    /// The unmodelled field as `connection` holds it in this vendor's extras.
    fn unmodelled_in(&self, connection: &Connection) -> Option<Value> {
        let extras = Value::Object(connection.extras_for(self.p().vendor()));
        extras.pointer(self.unmodelled_at).cloned()
    }

    fn p(&self) -> &dyn IdentityConnectionProvider {
        self.provider.as_ref()
    }

    async fn create(&self, name: &str) -> Connection {
        let applied = self
            .p()
            .create(&(self.sample)(name), &Policy::STRICT)
            .await
            .unwrap_or_else(|e| panic!("create {name}: {e}"));
        assert!(applied.report.is_exact(), "{:?}", applied.report);
        applied.connection
    }

    /// Whether the simulator's raw state holds `needle` anywhere (e.g. a secret's value).
    fn stored_text_contains(&self, needle: &str) -> bool {
        serde_json::to_string(&self.sim.connections())
            .unwrap()
            .contains(needle)
    }
}

/// An OIDC connection with explicit endpoints: what Auth0 and Keycloak both hold exactly
/// (Keycloak's identity-provider representation needs the endpoints).
pub fn oidc_with_endpoints(name: &str) -> Connection {
    let mut c = Connection::new(name, ConnectionKind::Oidc);
    c.display_name = Some(format!("Conformance {name}"));
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("client-{name}")),
        scopes: vec!["openid".into(), "email".into()],
        issuer: Some("https://idp.example.com".into()),
        authorization_url: Some("https://idp.example.com/authorize".into()),
        token_url: Some("https://idp.example.com/token".into()),
        ..OAuthSettings::default()
    });
    c
}

/// Everything the sample set is read back; the server may add defaults where the sample set
/// nothing, and a secret may come back masked.
fn assert_holds(sample: &Connection, got: &Connection) {
    let set = serde_json::to_value(sample).unwrap();
    for path in changed_fields(sample, got) {
        let pointer = format!("/{}", path.replace('.', "/"));
        let was_set = set.pointer(&pointer).is_some_and(|v| !v.is_null());
        assert!(
            !was_set,
            "field {path} was set to {:?} but reads back as {:?}",
            set.pointer(&pointer),
            serde_json::to_value(got).unwrap().pointer(&pointer)
        );
    }
}

/// The sample translates exactly, and reads as the sample.
pub async fn translation_is_exact(h: &Harness) {
    let sample = (h.sample)("exact-one");
    let t = h.p().translate(&sample, &Policy::STRICT).unwrap();
    assert!(t.report.is_exact(), "{:?}", t.report.losses);
    assert_holds(&sample, &t.connection);
    assert_eq!(h.p().capabilities().vendor, h.p().vendor());
}

/// Create, get, find, list, update and delete one connection.
pub async fn crud(h: &Harness) {
    let sample = (h.sample)("crud-one");
    let created = h.create("crud-one").await;
    let id = created.id.clone().expect("created connection has an id");
    assert_holds(&sample, &created);

    let got = h.p().get(&id).await.unwrap();
    assert_eq!(got.id.as_deref(), Some(id.as_str()));
    assert_holds(&sample, &got);

    let found = h
        .p()
        .find("crud-one")
        .await
        .unwrap()
        .expect("found by name");
    assert_eq!(found.id, got.id);
    assert!(h.p().find("crud-none").await.unwrap().is_none());

    let page = h.p().list(PageRequest::first()).await.unwrap();
    assert!(page.items.iter().any(|c| c.name == "crud-one"));

    let mut desired = sample.clone();
    desired.display_name = Some("CRUD renamed".into());
    let applied = h.p().update(&id, &desired, &Policy::STRICT).await.unwrap();
    assert_eq!(
        applied.connection.display_name.as_deref(),
        Some("CRUD renamed")
    );
    let got = h.p().get(&id).await.unwrap();
    assert_eq!(got.display_name.as_deref(), Some("CRUD renamed"));

    h.p().delete(&id).await.unwrap();
    assert!(matches!(h.p().get(&id).await, Err(Error::NotFound { .. })));
    assert!(h.p().find("crud-one").await.unwrap().is_none());
}

/// Reading or updating a connection that does not exist is [`Error::NotFound`].
pub async fn not_found(h: &Harness) {
    let missing = "no-such-connection";
    assert!(matches!(
        h.p().get(missing).await,
        Err(Error::NotFound { .. })
    ));
    let err = h
        .p()
        .update(missing, &(h.sample)(missing), &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
}

/// Creating a name twice is [`Error::Conflict`].
pub async fn conflict(h: &Harness) {
    h.create("dup-one").await;
    let err = h
        .p()
        .create(&(h.sample)("dup-one"), &Policy::STRICT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
}

async fn create_many(h: &Harness, prefix: &str, count: usize, concurrency: usize) {
    let results: Vec<_> = stream::iter(0..count)
        .map(|i| {
            let name = format!("{prefix}-{i:04}");
            async move {
                h.p()
                    .create(&(h.sample)(&name), &Policy::STRICT)
                    .await
                    .map_err(|e| format!("{name}: {e}"))
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let failures: Vec<_> = results.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "{} failed: {failures:?}",
        failures.len()
    );
}

async fn names_with_prefix(h: &Harness, prefix: &str, page_size: Option<u32>) -> Vec<String> {
    list_all(h.p(), page_size)
        .map_ok(|c| c.name)
        .try_filter(|n| futures::future::ready(n.starts_with(prefix)))
        .try_collect()
        .await
        .unwrap()
}

/// Listing past several pages, with the default and a small page size, finds each once.
pub async fn pagination(h: &Harness) {
    // More than one page of every backend's default (Auth0 50, ezto 100).
    create_many(h, "page", 120, 8).await;
    for size in [None, Some(7)] {
        let names = names_with_prefix(h, "page", size).await;
        let unique: HashSet<_> = names.iter().collect();
        assert_eq!(names.len(), 120, "page size {size:?}");
        assert_eq!(unique.len(), 120, "no duplicates across pages");
    }
}

/// An update from a desired state that knows nothing of the vendor's extras keeps them.
pub async fn update_keeps_unmodelled(h: &Harness) {
    let mut with_extra = (h.sample)("keep-one");
    let extras = h
        .unmodelled
        .as_object()
        .expect("unmodelled extras are an object");
    with_extra.extras.insert(h.p().vendor(), extras.clone());
    let wanted = h.unmodelled.pointer(h.unmodelled_at).cloned();
    assert!(wanted.is_some(), "the pointer names a field of the extras");
    let still_there = |c: &Connection| h.unmodelled_in(c) == wanted;
    let created = h
        .p()
        .create(&with_extra, &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    assert!(
        still_there(&created),
        "unmodelled field read back after create"
    );

    // The desired state comes from a file that knows nothing of the vendor's extras.
    let mut desired = (h.sample)("keep-one");
    desired.display_name = Some("Kept".into());
    let id = created.id.unwrap();
    h.p().update(&id, &desired, &Policy::STRICT).await.unwrap();
    let got = h.p().get(&id).await.unwrap();
    assert_eq!(got.display_name.as_deref(), Some("Kept"));
    assert!(
        still_there(&got),
        "update wiped an unmodelled field: {got:?}"
    );
}

fn set_secret(c: &mut Connection, secret: ClientSecret) {
    match &mut c.settings {
        Settings::OAuth(s) => s.client_secret = secret,
        other => panic!("samples are OAuth-family connections, got {other:?}"),
    }
}

/// A secret reaches the vendor, never shows in `Debug`, survives updates that do not know it,
/// and is replaced by one that does.
pub async fn secrets(h: &Harness) {
    let first = "first-secret-7f3a9c";
    let second = "second-secret-0b1d2e";
    let mut sample = (h.sample)("secret-one");
    set_secret(&mut sample, ClientSecret::known(first));
    let created = h
        .p()
        .create(&sample, &Policy::STRICT)
        .await
        .unwrap()
        .connection;
    assert!(
        h.stored_text_contains(first),
        "the secret reached the vendor"
    );
    let id = created.id.clone().unwrap();

    let got = h.p().get(&id).await.unwrap();
    let read = got.settings.client_secret();
    if h.p().capabilities().reads_secrets {
        assert_eq!(read.expose(), Some(first));
    } else {
        assert!(
            matches!(read, ClientSecret::Masked | ClientSecret::Absent),
            "{read:?}"
        );
    }
    assert!(
        !format!("{got:?}").contains(first),
        "Debug never shows a secret"
    );

    // An update that does not know the secret keeps it.
    for unknown in [ClientSecret::Masked, ClientSecret::Absent] {
        let mut desired = sample.clone();
        set_secret(&mut desired, unknown);
        desired.display_name = Some("Secret kept".into());
        h.p().update(&id, &desired, &Policy::STRICT).await.unwrap();
        assert!(
            h.stored_text_contains(first),
            "an update without the secret wiped it"
        );
    }

    // An update that knows a new secret sets it.
    let mut desired = sample.clone();
    set_secret(&mut desired, ClientSecret::known(second));
    h.p().update(&id, &desired, &Policy::STRICT).await.unwrap();
    assert!(h.stored_text_contains(second));
    assert!(!h.stored_text_contains(first));
}

/// Concurrent creates under the simulator's rate limit all succeed.
pub async fn rate_limit_is_waited_out(h: &Harness) {
    h.sim.set_knobs(Knobs {
        rate_limit: Some(RateLimit {
            burst: 5,
            per_second: 40.0,
        }),
        ..Knobs::default()
    });
    create_many(h, "limited", 40, 16).await;
    h.sim.set_knobs(Knobs::default());
    assert_eq!(names_with_prefix(h, "limited", None).await.len(), 40);
}

/// Creates under injected faults (before and after the write) end with each exactly once.
pub async fn faults_are_retried_without_duplicates(h: &Harness) {
    h.sim.set_knobs(Knobs {
        faults: Faults {
            error_before: 0.10,
            error_after: 0.05,
            drop_after: 0.05,
            rate_limited: 0.05,
            latency: Duration::ZERO,
        },
        seed: 7,
        ..Knobs::default()
    });
    create_many(h, "faulty", 60, 8).await;
    h.sim.set_knobs(Knobs::default());
    let names = names_with_prefix(h, "faulty", None).await;
    let unique: HashSet<_> = names.iter().collect();
    assert_eq!(names.len(), 60, "each connection exactly once");
    assert_eq!(unique.len(), 60);
    let counts = h.sim.counts();
    let injected = idconn_sim::FaultCounts::get(&counts.errors_before)
        + idconn_sim::FaultCounts::get(&counts.errors_after)
        + idconn_sim::FaultCounts::get(&counts.drops_after);
    assert!(injected > 0, "the faults were really injected");
}

/// A mapping every vendor with mapping rules holds on an OIDC connection: a claim and a constant.
fn mapping(email_claim: &str) -> AttributeMap {
    AttributeMap {
        rules: vec![
            MappingRule::new(
                "email",
                MappingSource::Claim {
                    claim: email_claim.into(),
                    from: None,
                },
            ),
            MappingRule::new("tier", MappingSource::Constant("gold".into())),
        ],
        ..AttributeMap::default()
    }
}

/// A connection with an attribute mapping is created, read (by id, by name and whole from a
/// listing) and updated with its mapping; a vendor without mapping rules reports every rule as
/// a loss: strict refuses, lenient writes the rest.
pub async fn mappings(h: &Harness) {
    let mut sample = (h.sample)("mapped-one");
    sample.attribute_map = Some(mapping("mail"));
    if !h.p().capabilities().attribute_mapping.rules {
        match h.p().create(&sample, &Policy::STRICT).await {
            Err(Error::Unrepresentable { losses, .. }) => assert!(
                losses
                    .iter()
                    .any(|l| l.field == "attribute_map.rules.email"),
                "{losses:?}"
            ),
            other => panic!("strict must refuse the mapping: {other:?}"),
        }
        let applied = h.p().create(&sample, &Policy::LENIENT).await.unwrap();
        let fields: Vec<&str> = applied
            .report
            .losses
            .iter()
            .map(|l| l.field.as_str())
            .collect();
        assert!(fields.contains(&"attribute_map.rules.email"), "{fields:?}");
        assert!(fields.contains(&"attribute_map.rules.tier"), "{fields:?}");
        assert_eq!(applied.connection.attribute_map, None);
        return;
    }
    let applied = h.p().create(&sample, &Policy::STRICT).await.unwrap();
    assert!(applied.report.is_exact(), "{:?}", applied.report);
    assert_eq!(applied.connection.attribute_map, sample.attribute_map);
    let id = applied.connection.id.clone().unwrap();
    let got = h.p().get(&id).await.unwrap();
    assert_eq!(got.attribute_map, sample.attribute_map);
    let found = h.p().find("mapped-one").await.unwrap().unwrap();
    assert_eq!(found.attribute_map, sample.attribute_map);
    let listed: Vec<Connection> = list_all_complete(h.p(), None, 4)
        .try_collect()
        .await
        .unwrap();
    let listed = listed.iter().find(|c| c.name == "mapped-one").unwrap();
    assert_eq!(listed.attribute_map, sample.attribute_map);

    // One rule changed, one removed.
    let mut desired = sample.clone();
    let mut changed = mapping("email");
    changed.rules.truncate(1);
    desired.attribute_map = Some(changed);
    let updated = h.p().update(&id, &desired, &Policy::STRICT).await.unwrap();
    assert_eq!(updated.connection.attribute_map, desired.attribute_map);
    assert_eq!(
        h.p().get(&id).await.unwrap().attribute_map,
        desired.attribute_map
    );

    // A connection that states no mapping leaves the stored one alone.
    let mut silent = sample.clone();
    silent.attribute_map = None;
    silent.display_name = Some("No mapping stated".into());
    h.p().update(&id, &silent, &Policy::STRICT).await.unwrap();
    assert_eq!(
        h.p().get(&id).await.unwrap().attribute_map,
        desired.attribute_map
    );
}

/// Which applications may use a connection. A vendor that enables connections per application
/// holds exactly the set asked for and "all", refuses an unknown name before any write, and
/// leaves the set alone when a connection states none; one whose connections are realm-wide
/// holds "all" exactly and reports a set as a loss (strict refuses it).
pub async fn applications(h: &Harness) {
    let mut sample = (h.sample)("apps-one");
    match h.p().capabilities().applications {
        ApplicationSupport::PerApplication => {
            for name in ["Web shop", "Back office"] {
                h.sim
                    .add_application(name)
                    .expect("a per-application vendor's simulator holds applications");
            }
            let only = Applications::only(["Web shop"]);
            sample.applications = Some(only.clone());
            let applied = h.p().create(&sample, &Policy::STRICT).await.unwrap();
            assert!(applied.report.is_exact(), "{:?}", applied.report);
            let id = applied.connection.id.clone().unwrap();
            assert_eq!(h.p().applications(&id).await.unwrap(), only);

            let mut all = sample.clone();
            all.applications = Some(Applications::All);
            h.p().update(&id, &all, &Policy::STRICT).await.unwrap();
            let every = Applications::only(["Back office", "Web shop"]);
            assert_eq!(h.p().applications(&id).await.unwrap(), every);

            let mut unknown = sample.clone();
            unknown.applications = Some(Applications::only(["Nowhere"]));
            let before = h.sim.connections();
            match h.p().update(&id, &unknown, &Policy::STRICT).await {
                Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "applications"),
                other => panic!("an unknown application must be refused: {other:?}"),
            }
            assert_eq!(h.sim.connections(), before, "nothing written");

            let mut silent = sample.clone();
            silent.applications = None;
            silent.display_name = Some("No applications stated".into());
            h.p().update(&id, &silent, &Policy::STRICT).await.unwrap();
            assert_eq!(h.p().applications(&id).await.unwrap(), every);
        }
        ApplicationSupport::AllOnly => {
            sample.applications = Some(Applications::All);
            let applied = h.p().create(&sample, &Policy::STRICT).await.unwrap();
            assert!(applied.report.is_exact(), "{:?}", applied.report);
            let id = applied.connection.id.clone().unwrap();
            assert_eq!(h.p().applications(&id).await.unwrap(), Applications::All);

            let mut set = sample.clone();
            set.applications = Some(Applications::only(["Web shop"]));
            match h.p().update(&id, &set, &Policy::STRICT).await {
                Err(Error::Unrepresentable { losses, .. }) => {
                    assert!(
                        losses.iter().any(|l| l.field == "applications"),
                        "{losses:?}"
                    )
                }
                other => panic!("strict must refuse a set: {other:?}"),
            }
            let lenient = h.p().update(&id, &set, &Policy::LENIENT).await.unwrap();
            let loss = lenient
                .report
                .losses
                .iter()
                .find(|l| l.field == "applications");
            assert!(loss.is_some_and(|l| !l.widening), "{:?}", lenient.report);
        }
        // A kind of support this suite does not know yet: nothing to check.
        _ => {}
    }
}

/// The OIDC channel and the SAML request settings agree with the capabilities: every value they
/// list translates without a loss at its field and reads back after a create; every other value
/// is a reported loss at its field. A vendor whose digest follows the signature algorithm holds
/// a digest exactly when it is that algorithm's hash.
pub async fn channels_and_saml_requests(h: &Harness) {
    let caps = h.p().capabilities();
    let lenient = Policy::LENIENT.with_widening(true);
    let vendor = h.p().vendor();
    let lost = |c: &Connection, field: &str| {
        let t = h
            .p()
            .translate(c, &lenient)
            .unwrap_or_else(|e| panic!("{vendor}: {e}"));
        let lost = t.report.losses.iter().any(|l| l.field == field);
        (lost, t.connection)
    };
    let with_channel = |name: &str, channel: OidcChannel| {
        let mut c = (h.sample)(name);
        match &mut c.settings {
            Settings::OAuth(s) if c.kind == ConnectionKind::Oidc => s.channel = Some(channel),
            _ => return None,
        }
        Some(c)
    };
    for (i, channel) in OidcChannel::ALL.iter().copied().enumerate() {
        // A sample that is not OIDC has no channel to check.
        let Some(c) = with_channel(&format!("channel-{i}"), channel) else {
            break;
        };
        let held = caps.oidc_channels.contains(&channel);
        let (lost, translated) = lost(&c, "settings.channel");
        assert_eq!(lost, !held, "{vendor}: {channel}");
        if held {
            let expected = Some(channel);
            let channel_of = |c: &Connection| c.settings.oauth().and_then(|s| s.channel);
            assert_eq!(channel_of(&translated), expected, "{vendor}: {channel}");
            let created = h.create(&c.name).await;
            let id = created.id.clone().unwrap();
            let applied = h.p().update(&id, &c, &Policy::STRICT).await.unwrap();
            assert!(applied.report.is_exact(), "{:?}", applied.report);
            let got = h.p().get(&id).await.unwrap();
            assert_eq!(channel_of(&got), expected, "{vendor}: {channel} read back");
        }
    }
    if !caps.saml {
        return;
    }
    let requests = caps.saml_requests;
    let saml = |name: &str, settings: SamlSettings| {
        let mut c = Connection::new(name, ConnectionKind::Saml);
        c.settings = Settings::Saml(SamlSettings {
            sign_in_url: Some("https://saml.example.com/sso".into()),
            signing_certificates: vec![
                Certificate::from_der(vec![0x30, 0x03, 0x02, 0x01, 0x01], "test").unwrap(),
            ],
            ..settings
        });
        c
    };
    for algorithm in SamlSignatureAlgorithm::ALL.iter().copied() {
        let c = saml(
            "saml-algorithm",
            SamlSettings {
                request_signature_algorithm: Some(algorithm),
                ..SamlSettings::default()
            },
        );
        let held = requests.signature_algorithms.contains(&algorithm);
        let (lost, _) = lost(&c, "settings.request_signature_algorithm");
        assert_eq!(lost, !held, "{vendor}: {algorithm}");
    }
    for binding in SamlBinding::ALL.iter().copied() {
        let c = saml(
            "saml-binding",
            SamlSettings {
                request_binding: Some(binding),
                ..SamlSettings::default()
            },
        );
        let held = requests.bindings.contains(&binding);
        let (lost, _) = lost(&c, "settings.request_binding");
        assert_eq!(lost, !held, "{vendor}: {binding}");
    }
    for digest in SamlDigestAlgorithm::ALL.iter().copied() {
        for algorithm in requests.signature_algorithms.iter().copied() {
            let c = saml(
                "saml-digest",
                SamlSettings {
                    request_signature_algorithm: Some(algorithm),
                    request_digest_algorithm: Some(digest),
                    ..SamlSettings::default()
                },
            );
            let held = requests.digest_algorithms.contains(&digest)
                || (requests.digest_from_signature && algorithm.hash() == digest);
            let (lost, _) = lost(&c, "settings.request_digest_algorithm");
            assert_eq!(lost, !held, "{vendor}: {algorithm} with {digest}");
        }
    }
    // What is held reads back after a create: the last value of each list.
    let (Some(algorithm), Some(binding)) = (
        requests.signature_algorithms.last().copied(),
        requests.bindings.last().copied(),
    ) else {
        return;
    };
    let digest = match requests.digest_algorithms.last() {
        Some(digest) => *digest,
        None => algorithm.hash(),
    };
    let c = saml(
        "saml-requests",
        SamlSettings {
            request_signature_algorithm: Some(algorithm),
            request_digest_algorithm: Some(digest),
            request_binding: Some(binding),
            ..SamlSettings::default()
        },
    );
    let applied = h.p().create(&c, &lenient).await.unwrap();
    let got = h.p().get(&applied.connection.id.unwrap()).await.unwrap();
    let s = got.settings.saml().expect("SAML settings read back");
    assert_eq!(
        (
            s.request_signature_algorithm,
            s.request_digest_algorithm,
            s.request_binding
        ),
        (Some(algorithm), Some(digest), Some(binding)),
        "{vendor}"
    );
}

/// Instantiates every check of the suite as a `#[tokio::test]` for one harness constructor.
#[macro_export]
#[cfg_attr(docsrs, doc(cfg(feature = "testkit")))]
macro_rules! conformance_suite {
    ($harness:path) => {
        $crate::conformance_suite!(@tests $harness;
            translation_is_exact, crud, not_found, conflict, pagination,
            update_keeps_unmodelled, secrets, rate_limit_is_waited_out,
            faults_are_retried_without_duplicates, mappings, applications,
            channels_and_saml_requests);
    };
    (@tests $harness:path; $($check:ident),*) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let h = $harness().await;
                $crate::testkit::$check(&h).await;
            }
        )*
    };
}
