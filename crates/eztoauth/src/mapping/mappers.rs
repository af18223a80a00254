//! Attribute mapping <-> Keycloak identity-provider mappers (`IdentityProviderMapperRepresentation`,
//! Keycloak `broker/{oidc,saml,provider}/mappers`). Pure: the client reads and writes them.
//!
//! | rule | mapper type | config |
//! |---|---|---|
//! | claim → attribute (OIDC) | `oidc-user-attribute-idp-mapper` | `claim`, `user.attribute` |
//! | claim → attribute (social) | `<providerId>-user-attribute-mapper` | `jsonField`, `userAttribute` |
//! | SAML attribute → attribute | `saml-user-attribute-idp-mapper` | `attribute.name` or `attribute.friendly.name`, `user.attribute` |
//! | constant → attribute | `hardcoded-attribute-idp-mapper` | `attribute`, `attribute.value` |
//! | claim, SAML attribute or template → `username` | `oidc-username-idp-mapper` / `saml-username-idp-mapper` | `template` (`${CLAIM.x}`, `${ATTRIBUTE.x}`) |
//!
//! Every mapper also carries `syncMode` (`INHERIT` for a rule without one, `IMPORT`, `FORCE`).
//! A mapper of another type, with config keys the table does not list, or with a `syncMode` the
//! model has no word for (`LEGACY`, which the server also assumes when the key is absent), is
//! kept verbatim under the mapper's name, so an update never changes or deletes it.

use std::collections::BTreeMap;

use idconn_core::{
    AttributeMap, Error, Loss, MappingMode, MappingRule, MappingSource, Result, SyncMode, Vendor,
    rewrite_placeholders,
};
use serde_json::{Map, Value};

use crate::wire::IdentityProviderMapper;

const OIDC_ATTRIBUTE: &str = "oidc-user-attribute-idp-mapper";
const SAML_ATTRIBUTE: &str = "saml-user-attribute-idp-mapper";
const HARDCODED: &str = "hardcoded-attribute-idp-mapper";
const OIDC_USERNAME: &str = "oidc-username-idp-mapper";
const SAML_USERNAME: &str = "saml-username-idp-mapper";
const SYNC_MODE: &str = "syncMode";

/// Social providers whose claims are read with a JSON-field mapper
/// (`AbstractJsonUserAttributeMapper` subclasses, one per provider).
const JSON_FIELD_PROVIDERS: [&str; 11] = [
    "google",
    "github",
    "facebook",
    "gitlab",
    "bitbucket",
    "instagram",
    "microsoft",
    "paypal",
    "stackoverflow",
    "openshift-v3",
    "openshift-v4",
];

/// Why modes other than the default cannot be held.
const MODE_REASON: &str = "Keycloak always imports its standard profile; mappers add to it and nothing copies every claim";

/// The attribute mapping of a provider with these mappers; `None` without mappers.
/// Mapper kinds the model does not cover are kept under `vendor`'s key.
pub fn read(
    vendor: Vendor,
    provider_id: &str,
    mappers: &[IdentityProviderMapper],
) -> Option<AttributeMap> {
    if mappers.is_empty() {
        return None;
    }
    let mut map = AttributeMap::default();
    let mut kept = Map::new();
    for mapper in mappers {
        match rule_of(provider_id, mapper) {
            Some(rule) if map.rule_for(&rule.target).is_none() => map.rules.push(rule),
            _ => {
                kept.insert(mapper.name.clone(), verbatim(mapper));
            }
        }
    }
    // Keycloak serves mappers in id order, which says nothing: rules read sorted by target.
    map.rules.sort_by(|a, b| a.target.cmp(&b.target));
    if !kept.is_empty() {
        map.kept.insert(vendor, kept);
    }
    Some(map)
}

/// The mappers `map` describes for a provider of type `provider_id` (ids and alias unset), and
/// what they lose. Kept mappers of this vendor are included as they were read.
pub fn write(
    vendor: Vendor,
    provider_id: &str,
    map: &AttributeMap,
    losses: &mut Vec<Loss>,
) -> Result<Vec<IdentityProviderMapper>> {
    map.validate()?;
    if !map.mode.is_default() {
        losses.push(Loss::changed(
            "attribute_map.mode",
            map.mode.to_string(),
            MappingMode::ProviderDefault.to_string(),
            MODE_REASON,
        ));
    }
    let mut out = Vec::new();
    for rule in &map.rules {
        if let Some(mapper) = mapper_of(provider_id, rule, losses) {
            out.push(mapper);
        }
    }
    // Kept mappers of ezto auth are Keycloak's own, and the other way round: carried, not lost.
    let carried = super::kept_entry(vendor, &map.kept);
    let mut foreign = map.clone();
    if let Some((owner, _)) = carried {
        foreign.kept.remove(&owner);
    }
    losses.extend(foreign.foreign_losses(vendor));
    let (owner, carried) =
        carried.map_or((vendor, Map::new()), |(owner, kept)| (owner, kept.clone()));
    for (name, value) in carried {
        let field = format!("attribute_map.kept.{owner}.{name}");
        if out.iter().any(|m| m.name == name) {
            return Err(Error::invalid(field, "a rule has the same mapper name"));
        }
        out.push(from_verbatim(&name, &value, &field)?);
    }
    Ok(out)
}

/// One write that makes a provider's mappers match the desired ones.
#[derive(Debug, Clone, PartialEq)]
pub enum MapperWrite {
    /// Create this mapper.
    Create(IdentityProviderMapper),
    /// Replace the mapper with this id.
    Update(IdentityProviderMapper),
    /// Delete this mapper.
    Delete(IdentityProviderMapper),
}

impl MapperWrite {
    /// The mapper's name, for errors.
    pub fn name(&self) -> &str {
        match self {
            MapperWrite::Create(m) | MapperWrite::Update(m) | MapperWrite::Delete(m) => &m.name,
        }
    }
}

/// The writes, deletes first (they free names), that turn `current` into `desired`, matching
/// by name. A current mapper that is not desired is deleted only when its type and config are
/// ones the model reads; any other is left alone.
pub fn reconcile(
    provider_id: &str,
    current: &[IdentityProviderMapper],
    desired: &[IdentityProviderMapper],
) -> Vec<MapperWrite> {
    let mut writes = Vec::new();
    for have in current {
        let wanted = desired.iter().any(|want| want.name == have.name);
        if !wanted && rule_of(provider_id, have).is_some() {
            writes.push(MapperWrite::Delete(have.clone()));
        }
    }
    for want in desired {
        match current.iter().find(|have| have.name == want.name) {
            None => writes.push(MapperWrite::Create(want.clone())),
            Some(have)
                if have.identity_provider_mapper != want.identity_provider_mapper
                    || have.config != want.config =>
            {
                writes.push(MapperWrite::Update(IdentityProviderMapper {
                    id: have.id.clone(),
                    ..want.clone()
                }));
            }
            Some(_) => {}
        }
    }
    writes
}

/// The rule a mapper expresses, if the model can say it exactly.
fn rule_of(provider_id: &str, mapper: &IdentityProviderMapper) -> Option<MappingRule> {
    let config = &mapper.config;
    let sync = match config.get(SYNC_MODE).map(String::as_str) {
        Some("INHERIT") => None,
        Some("IMPORT") => Some(SyncMode::Import),
        Some("FORCE") => Some(SyncMode::Force),
        _ => return None,
    };
    let only = |keys: &[&str]| {
        config
            .keys()
            .all(|k| k == SYNC_MODE || keys.contains(&k.as_str()))
    };
    let value = |key: &str| config.get(key).filter(|v| !v.is_empty()).cloned();
    let kind = mapper.identity_provider_mapper.as_str();
    let (target, source) = match kind {
        OIDC_ATTRIBUTE if only(&["claim", "user.attribute"]) => (
            neutral_attribute(&value("user.attribute")?),
            MappingSource::Claim {
                claim: value("claim")?,
                from: None,
            },
        ),
        _ if kind == json_mapper(provider_id) && only(&["jsonField", "userAttribute"]) => (
            neutral_attribute(&value("userAttribute")?),
            MappingSource::Claim {
                claim: value("jsonField")?,
                from: None,
            },
        ),
        SAML_ATTRIBUTE
            if only(&["attribute.name", "user.attribute"])
                || only(&["attribute.friendly.name", "user.attribute"]) =>
        {
            let (name, friendly) = match value("attribute.name") {
                Some(name) => (name, false),
                None => (value("attribute.friendly.name")?, true),
            };
            (
                neutral_attribute(&value("user.attribute")?),
                MappingSource::SamlAttribute {
                    names: vec![name],
                    friendly,
                },
            )
        }
        HARDCODED if only(&["attribute", "attribute.value"]) => (
            neutral_attribute(&value("attribute")?),
            MappingSource::Constant(config.get("attribute.value").cloned().unwrap_or_default()),
        ),
        OIDC_USERNAME | SAML_USERNAME if only(&["template"]) => (
            "username".to_string(),
            username_source(&value("template")?)?,
        ),
        _ => return None,
    };
    Some(MappingRule {
        name: (mapper.name != target).then(|| mapper.name.clone()),
        target,
        source,
        sync,
    })
}

/// The mapper for one rule on a provider of type `provider_id`; `None` (with the loss) when
/// Keycloak has no mapper for it.
fn mapper_of(
    provider_id: &str,
    rule: &MappingRule,
    losses: &mut Vec<Loss>,
) -> Option<IdentityProviderMapper> {
    let saml = provider_id == "saml";
    let field = rule.field();
    let drop = |losses: &mut Vec<Loss>, why: &str| {
        losses.push(Loss::dropped(field.clone(), rule.source.to_string(), why));
        None
    };
    let attribute = keycloak_attribute(&rule.target);
    let username = rule.target == "username";
    let (kind, config): (String, Vec<(&str, String)>) = match &rule.source {
        MappingSource::Claim { claim, from } => {
            if saml {
                return drop(losses, "a SAML identity provider has no OIDC claims");
            }
            if let Some(origin) = from {
                losses.push(Loss::changed(
                    format!("{field}.source.from"),
                    origin.to_string(),
                    "(any token)",
                    "Keycloak reads a claim from the access token, the ID token, then userinfo; it cannot be pinned",
                ));
            }
            if username {
                (
                    OIDC_USERNAME.into(),
                    vec![("template", format!("${{CLAIM.{claim}}}"))],
                )
            } else if JSON_FIELD_PROVIDERS.contains(&provider_id) {
                (
                    json_mapper(provider_id),
                    vec![("jsonField", claim.clone()), ("userAttribute", attribute)],
                )
            } else {
                (
                    OIDC_ATTRIBUTE.into(),
                    vec![("claim", claim.clone()), ("user.attribute", attribute)],
                )
            }
        }
        MappingSource::SamlAttribute { names, friendly } => {
            if !saml {
                return drop(losses, "only a SAML identity provider has SAML attributes");
            }
            if names.len() > 1 {
                losses.push(Loss::changed(
                    format!("{field}.source"),
                    rule.source.to_string(),
                    names[0].clone(),
                    "a Keycloak mapper reads one attribute; fallback names are dropped",
                ));
            }
            let name = names[0].clone();
            if username {
                if *friendly {
                    return drop(
                        losses,
                        "Keycloak's username template names attributes by Name, not FriendlyName",
                    );
                }
                (
                    SAML_USERNAME.into(),
                    vec![("template", format!("${{ATTRIBUTE.{name}}}"))],
                )
            } else {
                let key = if *friendly {
                    "attribute.friendly.name"
                } else {
                    "attribute.name"
                };
                (
                    SAML_ATTRIBUTE.into(),
                    vec![(key, name), ("user.attribute", attribute)],
                )
            }
        }
        MappingSource::Constant(value) => {
            if username {
                return drop(
                    losses,
                    "Keycloak sets a constant only on user attributes, not the username",
                );
            }
            (
                HARDCODED.into(),
                vec![("attribute", attribute), ("attribute.value", value.clone())],
            )
        }
        MappingSource::Template(template) => {
            if !username {
                return drop(
                    losses,
                    "Keycloak applies templates only to the username (username template mappers)",
                );
            }
            let (kind, prefixes) = if saml {
                (SAML_USERNAME, [("attribute", "ATTRIBUTE")])
            } else {
                (OIDC_USERNAME, [("claim", "CLAIM")])
            };
            match rewrite_placeholders(template, &prefixes) {
                Some(text) => (kind.into(), vec![("template", text)]),
                None => {
                    return drop(
                        losses,
                        "the template names a placeholder this identity provider does not have",
                    );
                }
            }
        }
    };
    let mut config: BTreeMap<String, String> = config
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    config.insert(
        SYNC_MODE.into(),
        match rule.sync {
            None => "INHERIT",
            Some(SyncMode::Import) => "IMPORT",
            Some(SyncMode::Force) => "FORCE",
        }
        .into(),
    );
    Some(IdentityProviderMapper {
        id: None,
        name: rule.name().to_string(),
        identity_provider_alias: None,
        identity_provider_mapper: kind,
        config,
    })
}

/// The username template's source: one `${CLAIM.x}` or `${ATTRIBUTE.x}` alone is that claim
/// or attribute, other texts with only such placeholders are templates; anything else
/// (`${ALIAS}`, `${UUID}`, transformers) is not modelled.
fn username_source(template: &str) -> Option<MappingSource> {
    let neutral =
        rewrite_placeholders(template, &[("CLAIM", "claim"), ("ATTRIBUTE", "attribute")])?;
    let single = neutral
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .filter(|inner| !inner.contains("${"));
    Some(match single.and_then(|inner| inner.split_once('.')) {
        Some(("claim", claim)) => MappingSource::Claim {
            claim: claim.to_string(),
            from: None,
        },
        Some(("attribute", name)) => MappingSource::SamlAttribute {
            names: vec![name.to_string()],
            friendly: false,
        },
        _ => MappingSource::Template(neutral),
    })
}

/// The JSON-field mapper type of a social provider.
fn json_mapper(provider_id: &str) -> String {
    format!("{provider_id}-user-attribute-mapper")
}

/// Keycloak's name for a neutral attribute: its built-ins `firstName`, `lastName`, `email`;
/// every other name is a user attribute of that name.
fn keycloak_attribute(target: &str) -> String {
    match target {
        "given_name" => "firstName".into(),
        "family_name" => "lastName".into(),
        other => other.into(),
    }
}

/// The neutral name of a Keycloak user attribute (its built-ins match case-insensitively).
fn neutral_attribute(attribute: &str) -> String {
    match attribute.to_ascii_lowercase().as_str() {
        "firstname" => "given_name".into(),
        "lastname" => "family_name".into(),
        "email" => "email".into(),
        _ => attribute.into(),
    }
}

/// A mapper kept verbatim: its type and config, keyed elsewhere by its name.
fn verbatim(mapper: &IdentityProviderMapper) -> Value {
    let config: Map<String, Value> = mapper
        .config
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    serde_json::json!({
        "identityProviderMapper": mapper.identity_provider_mapper,
        "config": config,
    })
}

/// A kept mapper back as a mapper to write.
fn from_verbatim(name: &str, value: &Value, field: &str) -> Result<IdentityProviderMapper> {
    let kind = value
        .get("identityProviderMapper")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            Error::invalid(
                format!("{field}.identityProviderMapper"),
                "the mapper type is required",
            )
        })?;
    let mut config = BTreeMap::new();
    match value.get("config") {
        None | Some(Value::Null) => {}
        Some(Value::Object(entries)) => {
            for (key, value) in entries {
                let Value::String(text) = value else {
                    return Err(Error::invalid(
                        format!("{field}.config.{key}"),
                        "Keycloak mapper config values are strings",
                    ));
                };
                config.insert(key.clone(), text.clone());
            }
        }
        Some(_) => {
            return Err(Error::invalid(
                format!("{field}.config"),
                "must be an object of strings",
            ));
        }
    }
    Ok(IdentityProviderMapper {
        id: None,
        name: name.to_string(),
        identity_provider_alias: None,
        identity_provider_mapper: kind.to_string(),
        config,
    })
}
