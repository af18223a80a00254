//! What an update must change: the neutral fields the desired connection sets and the target
//! holds differently.
//!
//! The desired side is the connection as the target would hold it (its translation), and only
//! the fields it sets are compared: a field the document leaves unset keeps whatever the server
//! holds, which is what the backends' read-merge-write updates do. Extras are compared for the
//! target vendor only (a backend reads only its own). So server defaults and vendor-only extras
//! never make a plan that does not converge.

use std::collections::BTreeSet;

use idconn_core::{AttributeMap, Capabilities, ClientSecret, Connection, Vendor, changed_fields};
use serde_json::{Map, Value};

const SECRET_PATH: &str = "settings.client_secret";

/// The dotted paths of the fields `desired` sets that `current` holds differently, on a vendor
/// with these capabilities: what an update must change. `plan` calls it with the translation
/// of the desired connection; an empty result means the target already holds it.
pub fn pending_changes(
    current: &Connection,
    desired: &Connection,
    target: &Capabilities,
) -> Vec<String> {
    let vendor = target.vendor;
    let mut changed = Vec::new();
    let (current_json, desired_json) =
        (comparable(current, None), comparable(desired, Some(vendor)));
    if let (Value::Object(c), Value::Object(d)) = (&current_json, &desired_json) {
        diff_set_fields("", c, d, &mut changed);
    }
    if let Some(desired_map) = &desired.attribute_map {
        let current_map = current.attribute_map.clone().unwrap_or_default();
        mapping_changes(&current_map, desired_map, vendor, &mut changed);
    }
    // Secrets compare by value, and a masked one cannot be compared (core's rule). A vendor that
    // never returns secrets reads back as absent, which says nothing either.
    let comparable_secret = target.reads_secrets || !current.settings.client_secret().is_absent();
    if comparable_secret
        && !desired.settings.client_secret().is_absent()
        && changed_fields(current, desired)
            .iter()
            .any(|p| p == SECRET_PATH)
    {
        changed.push(SECRET_PATH.to_string());
    }
    changed.sort();
    changed
}

/// Whether `current` on the target is the same login source as `desired`: the same kind and
/// the same upstream identity (the OAuth client id, the SAML identity provider, the directory).
/// `plan` asks before it lets a rewritten name match a connection of the target, so that a
/// re-run finds what the first run created but never takes over another connection.
pub(crate) fn same_login_source(current: &Connection, desired: &Connection) -> bool {
    use idconn_core::Settings;
    let same_upstream = match (&current.settings, &desired.settings) {
        (Settings::OAuth(c), Settings::OAuth(d)) => c.client_id == d.client_id,
        (Settings::Saml(c), Settings::Saml(d)) => {
            c.idp_entity_id == d.idp_entity_id && c.sign_in_url == d.sign_in_url
        }
        (Settings::Directory(c), Settings::Directory(d)) => c.url == d.url,
        (Settings::None, Settings::None) => true,
        _ => false,
    };
    current.kind == desired.kind && same_upstream
}

/// The connection as JSON without its id and secret, and (for the desired side) with only the
/// target vendor's extras.
fn comparable(connection: &Connection, keep_extras_of: Option<Vendor>) -> Value {
    let mut plain = connection.clone();
    plain.id = None;
    if let idconn_core::Settings::OAuth(settings) = &mut plain.settings {
        settings.client_secret = ClientSecret::Absent;
    }
    if let Some(vendor) = keep_extras_of {
        plain.extras.retain(|v, _| *v == vendor);
    }
    // Compared rule by rule by `mapping_changes`.
    plain.attribute_map = None;
    serde_json::to_value(&plain).unwrap_or(Value::Null)
}

/// The mapping's changes, one path per rule (`attribute_map.rules.email`) so a plan shows
/// which rules an update creates, changes or removes; the mode; and the target vendor's kept
/// entries the desired mapping sets. A stated mapping is the whole mapping: a current rule it
/// leaves out is removed.
fn mapping_changes(
    current: &AttributeMap,
    desired: &AttributeMap,
    vendor: Vendor,
    out: &mut Vec<String>,
) {
    if current.mode != desired.mode {
        out.push("attribute_map.mode".into());
    }
    let targets: BTreeSet<&str> = current
        .rules
        .iter()
        .chain(&desired.rules)
        .map(|rule| rule.target.as_str())
        .collect();
    for target in targets {
        if current.rule_for(target) != desired.rule_for(target) {
            out.push(format!("attribute_map.rules.{target}"));
        }
    }
    let have = current.kept_for(vendor);
    for (key, want) in desired.kept_for(vendor) {
        if have.get(&key) != Some(&want) {
            out.push(format!("attribute_map.kept.{vendor}.{key}"));
        }
    }
}

/// Pushes the path of every leaf `desired` sets (non-null) that `current` lacks or holds
/// differently. Lists compare whole.
fn diff_set_fields(
    path: &str,
    current: &Map<String, Value>,
    desired: &Map<String, Value>,
    out: &mut Vec<String>,
) {
    for (key, want) in desired {
        if want.is_null() {
            continue;
        }
        let child = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match (current.get(key), want) {
            (Some(Value::Object(have)), Value::Object(want)) => {
                diff_set_fields(&child, have, want, out)
            }
            (Some(have), want) if have == want => {}
            (_, Value::Object(want)) if want.is_empty() => {}
            _ => out.push(child),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use idconn_core::{
        ApplicationSupport, ConnectionKind, NameRule, OAuthSettings, PurposeSupport, Settings,
        Switch,
    };
    use serde_json::json;

    fn oidc(client_id: &str, secret: ClientSecret) -> Connection {
        let mut c = Connection::new("acme", ConnectionKind::Oidc);
        c.settings = Settings::OAuth(OAuthSettings {
            client_id: Some(client_id.into()),
            client_secret: secret,
            ..OAuthSettings::default()
        });
        c
    }

    fn caps(reads_secrets: bool) -> Capabilities {
        let mut caps = Capabilities::new(Vendor::Auth0);
        caps.name = NameRule::new(128, "letters");
        caps.purpose = PurposeSupport::new(Switch::Settable, Switch::Unsupported, Switch::Settable);
        caps.logo = true;
        caps.show_on_login = true;
        caps.max_domains = 10;
        caps.saml = true;
        caps.oidc_discovery_only = true;
        caps.reads_secrets = reads_secrets;
        caps.max_page_size = 100;
        caps.applications = ApplicationSupport::PerApplication;
        caps
    }

    fn extras(value: serde_json::Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn fields_the_desired_side_leaves_unset_are_not_changes() {
        let mut current = oidc("id", ClientSecret::Masked);
        current.id = Some("con_1".into());
        current.enabled = Some(true);
        current.display_name = Some("Server default".into());
        current.extras.insert(
            Vendor::Auth0,
            extras(json!({"oidc_metadata": {"issuer": "x"}, "a.b": 1})),
        );
        let mut desired = oidc("id", ClientSecret::known("s"));
        // Another vendor's extras are not the target's business.
        desired
            .extras
            .insert(Vendor::Ezto, extras(json!({"trustEmail": true})));
        assert!(pending_changes(&current, &desired, &caps(true)).is_empty());
    }

    #[test]
    fn set_fields_that_differ_are_changes() {
        let mut current = oidc("id", ClientSecret::known("old"));
        current
            .extras
            .insert(Vendor::Auth0, extras(json!({"a.b": 1, "keep": true})));
        let mut desired = oidc("other", ClientSecret::known("new"));
        desired.display_name = Some("Acme".into());
        desired
            .extras
            .insert(Vendor::Auth0, extras(json!({"a.b": 2})));
        assert_eq!(
            pending_changes(&current, &desired, &caps(true)),
            vec![
                "display_name",
                "extras.auth0.a.b",
                "settings.client_id",
                "settings.client_secret"
            ]
        );
    }

    #[test]
    fn mapping_changes_are_listed_per_rule() {
        use idconn_core::{MappingRule, MappingSource};
        let claim = |c: &str| MappingSource::Claim {
            claim: c.into(),
            from: None,
        };
        let mut current = oidc("id", ClientSecret::Absent);
        current.attribute_map = Some(AttributeMap {
            rules: vec![
                MappingRule::new("email", claim("email")),
                MappingRule::new("nickname", claim("nick")),
            ],
            ..AttributeMap::default()
        });
        let mut desired = oidc("id", ClientSecret::Absent);
        // No mapping stated: whatever the vendor holds stays.
        assert!(pending_changes(&current, &desired, &caps(true)).is_empty());
        desired.attribute_map = Some(AttributeMap {
            rules: vec![
                MappingRule::new("email", claim("mail")),
                MappingRule::new("picture", claim("avatar")),
            ],
            ..AttributeMap::default()
        });
        assert_eq!(
            pending_changes(&current, &desired, &caps(true)),
            vec![
                "attribute_map.rules.email",
                "attribute_map.rules.nickname",
                "attribute_map.rules.picture"
            ]
        );
    }

    #[test]
    fn an_absent_desired_secret_keeps_the_stored_one() {
        let current = oidc("id", ClientSecret::known("old"));
        let desired = oidc("id", ClientSecret::Absent);
        assert!(pending_changes(&current, &desired, &caps(true)).is_empty());
    }

    #[test]
    fn a_vendor_that_hides_secrets_is_not_asked_to_rewrite_them() {
        let current = oidc("id", ClientSecret::Absent);
        let desired = oidc("id", ClientSecret::known("s"));
        assert_eq!(
            pending_changes(&current, &desired, &caps(false)),
            Vec::<String>::new()
        );
        assert_eq!(
            pending_changes(&current, &desired, &caps(true)),
            vec!["settings.client_secret"]
        );
    }
}
