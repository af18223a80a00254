//! Attribute mapping <-> `options.attribute_map` (`oidc`, `okta`: OAS
//! `ConnectionAttributeMapOIDC` / `ConnectionAttributeMapOkta`) and `options.fieldsMap`
//! (`samlp`: OAS `ConnectionFieldsMapSAML`). Pure.
//!
//! - `mapping_mode`: `use_map` is [`MappingMode::Explicit`]; the strategy's default (`bind_all`
//!   for oidc, `basic_profile` for okta: what Auth0 stores when the key is omitted) is
//!   [`MappingMode::ProviderDefault`]; so on oidc [`MappingMode::CopyAll`] is written as
//!   `bind_all` and reads back as the default. A strategy default with no attributes reads as
//!   no mapping at all.
//! - `attributes` values (<https://auth0.com/docs/authenticate/identity-providers/enterprise-identity-providers/configure-pkce-claim-mapping-for-oidc>):
//!   `${context.tokenset.x}` alone is the claim `x` (the ID token's claims), `${context.userinfo.x}`
//!   alone the claim pinned to userinfo, a text without `${` a constant, a text whose only
//!   placeholders are `${context.tokenset.x}` a template. Anything else (other contexts, mixed
//!   userinfo templates), `userinfo_scope` and unknown keys are kept verbatim.
//! - `fieldsMap`: Auth0 field -> a SAML attribute name or up to 4 fallback names, at most 44
//!   fields of at most 2048 characters each, merged with Auth0's defaults (so the mode is always
//!   the provider default).

use idconn_core::{
    AttributeMap, ClaimOrigin, Error, Loss, MappingMode, MappingRule, MappingSource, Result,
    Vendor, rewrite_placeholders,
};
use serde_json::{Map, Value};

/// OAS `ConnectionFieldsMapSAML`: most properties.
pub const MAX_FIELDS: usize = 44;
/// OAS `ConnectionFieldsMapSAML`: most fallback names per field.
pub const MAX_SAML_NAMES: usize = 4;
/// OAS `ConnectionFieldsMapSAML`: longest attribute name.
pub const MAX_SAML_NAME_LEN: usize = 2048;
/// OAS `ConnectionAttributeMapUserinfoScope`: longest `userinfo_scope`.
pub const MAX_USERINFO_SCOPE_LEN: usize = 255;

const TOKENSET: &str = "context.tokenset";
const USERINFO: &str = "context.userinfo";

/// Where a strategy holds its mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `attribute_map`, with the strategy's default `mapping_mode`.
    AttributeMap { default_mode: &'static str },
    /// `fieldsMap`.
    FieldsMap,
    /// Nowhere.
    None,
}

fn place(strategy: &str) -> Place {
    match strategy {
        "oidc" => Place::AttributeMap {
            default_mode: "bind_all",
        },
        "okta" => Place::AttributeMap {
            default_mode: "basic_profile",
        },
        "samlp" => Place::FieldsMap,
        _ => Place::None,
    }
}

/// Takes the mapping out of a strategy's unmodelled options. A value of the wrong shape stays
/// in `rest` (and so in extras, verbatim).
pub(crate) fn read(strategy: &str, rest: &mut Map<String, Value>) -> Option<AttributeMap> {
    match place(strategy) {
        Place::AttributeMap { default_mode } => {
            let Some(Value::Object(raw)) = rest.get("attribute_map") else {
                return None;
            };
            let map = read_attribute_map(raw, default_mode)?;
            rest.remove("attribute_map");
            (!map.is_empty()).then_some(map)
        }
        Place::FieldsMap => {
            let Some(Value::Object(raw)) = rest.get("fieldsMap") else {
                return None;
            };
            let map = read_fields_map(raw);
            rest.remove("fieldsMap");
            (!map.is_empty()).then_some(map)
        }
        Place::None => None,
    }
}

fn read_attribute_map(raw: &Map<String, Value>, default_mode: &str) -> Option<AttributeMap> {
    let mut map = AttributeMap::default();
    let mut kept = Map::new();
    match raw.get("mapping_mode") {
        None => {}
        Some(Value::String(mode)) if mode == default_mode => {}
        Some(Value::String(mode)) if mode == "use_map" => map.mode = MappingMode::Explicit,
        Some(Value::String(mode)) if mode == "bind_all" => map.mode = MappingMode::CopyAll,
        Some(_) => return None,
    }
    let mut kept_attributes = Map::new();
    for (key, value) in raw {
        match key.as_str() {
            "mapping_mode" => {}
            "attributes" => {
                let Value::Object(attributes) = value else {
                    return None;
                };
                for (target, value) in attributes {
                    match value.as_str().and_then(source_of) {
                        Some(source) => map.rules.push(MappingRule::new(target.clone(), source)),
                        None => {
                            kept_attributes.insert(target.clone(), value.clone());
                        }
                    }
                }
            }
            _ => {
                kept.insert(key.clone(), value.clone());
            }
        }
    }
    // JSON objects have no order: rules read sorted by target.
    map.rules.sort_by(|a, b| a.target.cmp(&b.target));
    if !kept_attributes.is_empty() {
        kept.insert("attributes".into(), Value::Object(kept_attributes));
    }
    if !kept.is_empty() {
        map.kept.insert(Vendor::Auth0, kept);
    }
    Some(map)
}

/// The source an `attributes` value expresses, if the model can say it exactly.
fn source_of(value: &str) -> Option<MappingSource> {
    if !value.contains("${") {
        return Some(MappingSource::Constant(value.to_string()));
    }
    let single = value
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .filter(|inner| !inner.contains("${") && !inner.contains('}'));
    if let Some(inner) = single {
        for (prefix, from) in [(TOKENSET, None), (USERINFO, Some(ClaimOrigin::Userinfo))] {
            if let Some(claim) = inner
                .strip_prefix(prefix)
                .and_then(|tail| tail.strip_prefix('.'))
                .filter(|claim| !claim.is_empty())
            {
                return Some(MappingSource::Claim {
                    claim: claim.to_string(),
                    from,
                });
            }
        }
    }
    rewrite_placeholders(value, &[(TOKENSET, "claim")]).map(MappingSource::Template)
}

fn read_fields_map(raw: &Map<String, Value>) -> AttributeMap {
    let mut map = AttributeMap::default();
    let mut kept = Map::new();
    for (target, value) in raw {
        let names: Option<Vec<String>> = match value {
            Value::String(name) if !name.is_empty() => Some(vec![name.clone()]),
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|item| item.as_str().filter(|s| !s.is_empty()).map(str::to_string))
                .collect(),
            _ => None,
        };
        match names {
            Some(names) => map.rules.push(MappingRule::new(
                target.clone(),
                MappingSource::SamlAttribute {
                    names,
                    friendly: false,
                },
            )),
            None => {
                kept.insert(target.clone(), value.clone());
            }
        }
    }
    map.rules.sort_by(|a, b| a.target.cmp(&b.target));
    if !kept.is_empty() {
        map.kept.insert(
            Vendor::Auth0,
            Map::from_iter([("fieldsMap".to_string(), Value::Object(kept))]),
        );
    }
    map
}

/// Writes `map` into `options` for `strategy`, recording what it loses. `None` leaves the
/// options' mapping as it is (the server's, on update). Limits are checked first: an error
/// here is raised before any request.
pub(crate) fn write(
    strategy: &str,
    map: Option<&AttributeMap>,
    options: &mut Map<String, Value>,
    losses: &mut Vec<Loss>,
) -> Result<()> {
    let Some(map) = map else {
        return Ok(());
    };
    map.validate()?;
    losses.extend(map.foreign_losses(Vendor::Auth0));
    let kept = map.kept_for(Vendor::Auth0);
    match place(strategy) {
        Place::AttributeMap { default_mode } => {
            match write_attribute_map(strategy, default_mode, map, kept, losses)? {
                Some(value) => options.insert("attribute_map".into(), value),
                None => options.remove("attribute_map"),
            };
        }
        Place::FieldsMap => {
            match write_fields_map(map, kept, losses)? {
                Some(value) => options.insert("fieldsMap".into(), value),
                None => options.remove("fieldsMap"),
            };
        }
        Place::None => losses.extend(map.all_losses(&format!(
            "Auth0 holds attribute mappings only on oidc, okta and samlp connections, not {strategy}"
        ))),
    }
    Ok(())
}

fn common_losses(rule: &MappingRule, losses: &mut Vec<Loss>) {
    let field = rule.field();
    if let Some(sync) = rule.sync {
        losses.push(Loss::dropped(
            format!("{field}.sync"),
            sync.to_string(),
            "Auth0 has no sync mode per attribute (only set_user_root_attributes per connection)",
        ));
    }
    if let Some(name) = &rule.name {
        losses.push(Loss::dropped(
            format!("{field}.name"),
            name.clone(),
            "Auth0 mapping entries have no name besides their attribute",
        ));
    }
}

fn write_attribute_map(
    strategy: &str,
    default_mode: &str,
    map: &AttributeMap,
    mut kept: Map<String, Value>,
    losses: &mut Vec<Loss>,
) -> Result<Option<Value>> {
    let mode = match map.mode {
        MappingMode::ProviderDefault => default_mode,
        MappingMode::Explicit => "use_map",
        MappingMode::CopyAll if strategy == "oidc" => "bind_all",
        MappingMode::CopyAll => {
            losses.push(Loss::changed(
                "attribute_map.mode",
                map.mode.to_string(),
                MappingMode::ProviderDefault.to_string(),
                format!("Auth0 {strategy} connections cannot copy every claim (no bind_all)"),
            ));
            default_mode
        }
    };
    let mut attributes = match kept.remove("attributes") {
        None => Map::new(),
        Some(Value::Object(entries)) => entries,
        Some(_) => {
            return Err(Error::invalid(
                "attribute_map.kept.auth0.attributes",
                "must be an object",
            ));
        }
    };
    for rule in &map.rules {
        common_losses(rule, losses);
        let drop = |losses: &mut Vec<Loss>, why: &str| {
            losses.push(Loss::dropped(rule.field(), rule.source.to_string(), why));
        };
        let value = match &rule.source {
            MappingSource::Claim { claim, from } => match from {
                Some(ClaimOrigin::Userinfo) => format!("${{{USERINFO}.{claim}}}"),
                // context.tokenset holds the ID token's claims.
                None | Some(ClaimOrigin::IdToken) => format!("${{{TOKENSET}.{claim}}}"),
            },
            MappingSource::Constant(value) if !value.contains("${") => value.clone(),
            MappingSource::Constant(_) => {
                drop(losses, "Auth0 would read \"${\" in a value as a template");
                continue;
            }
            MappingSource::Template(template) => {
                match rewrite_placeholders(template, &[("claim", TOKENSET)]) {
                    Some(text) => text,
                    None => {
                        drop(
                            losses,
                            "Auth0 templates name OIDC claims, not SAML attributes",
                        );
                        continue;
                    }
                }
            }
            MappingSource::SamlAttribute { .. } => {
                drop(losses, "an OIDC connection has no SAML attributes");
                continue;
            }
        };
        attributes.insert(rule.target.clone(), Value::String(value));
    }
    if let Some(scope) = kept.get("userinfo_scope") {
        let fits = scope
            .as_str()
            .is_some_and(|s| s.chars().count() <= MAX_USERINFO_SCOPE_LEN);
        if !fits {
            return Err(Error::invalid(
                "attribute_map.kept.auth0.userinfo_scope",
                format!("must be a text of at most {MAX_USERINFO_SCOPE_LEN} characters"),
            ));
        }
    }
    if mode == default_mode && attributes.is_empty() && kept.is_empty() {
        return Ok(None);
    }
    let mut out = kept;
    out.insert("mapping_mode".into(), Value::String(mode.into()));
    if !attributes.is_empty() {
        out.insert("attributes".into(), Value::Object(attributes));
    }
    Ok(Some(Value::Object(out)))
}

fn write_fields_map(
    map: &AttributeMap,
    mut kept: Map<String, Value>,
    losses: &mut Vec<Loss>,
) -> Result<Option<Value>> {
    if !map.mode.is_default() {
        losses.push(Loss::changed(
            "attribute_map.mode",
            map.mode.to_string(),
            MappingMode::ProviderDefault.to_string(),
            "Auth0 merges a SAML fieldsMap with its default mappings",
        ));
    }
    let mut fields = match kept.remove("fieldsMap") {
        None => Map::new(),
        Some(Value::Object(entries)) => entries,
        Some(_) => {
            return Err(Error::invalid(
                "attribute_map.kept.auth0.fieldsMap",
                "must be an object",
            ));
        }
    };
    for (key, _) in kept {
        losses.push(Loss::dropped(
            format!("attribute_map.kept.auth0.{key}"),
            key.clone(),
            "Auth0 SAML connections hold only fieldsMap",
        ));
    }
    for rule in &map.rules {
        common_losses(rule, losses);
        let MappingSource::SamlAttribute { names, friendly } = &rule.source else {
            losses.push(Loss::dropped(
                rule.field(),
                rule.source.to_string(),
                "an Auth0 SAML fieldsMap maps SAML attribute names only",
            ));
            continue;
        };
        let field = format!("{}.source.saml_attribute.names", rule.field());
        if names.len() > MAX_SAML_NAMES {
            return Err(Error::invalid(
                field,
                format!("Auth0 takes at most {MAX_SAML_NAMES} names per field"),
            ));
        }
        if names.iter().any(|n| n.chars().count() > MAX_SAML_NAME_LEN) {
            return Err(Error::invalid(
                field,
                format!("Auth0 takes names of at most {MAX_SAML_NAME_LEN} characters"),
            ));
        }
        if *friendly {
            losses.push(Loss::changed(
                format!("{}.source.friendly", rule.field()),
                "FriendlyName",
                "Name",
                "Auth0 matches SAML attributes by Name",
            ));
        }
        let value = match names.as_slice() {
            [one] => Value::String(one.clone()),
            many => Value::Array(many.iter().cloned().map(Value::String).collect()),
        };
        fields.insert(rule.target.clone(), value);
    }
    if fields.len() > MAX_FIELDS {
        return Err(Error::invalid(
            "attribute_map.rules",
            format!(
                "Auth0 SAML connections take at most {MAX_FIELDS} mapped fields, not {}",
                fields.len()
            ),
        ));
    }
    Ok((!fields.is_empty()).then_some(Value::Object(fields)))
}
