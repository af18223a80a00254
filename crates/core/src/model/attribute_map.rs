//! Attribute mapping: which upstream claim or SAML attribute becomes which user attribute.
//!
//! One neutral shape for Auth0's `options.attribute_map` / `options.fieldsMap` and ezto's
//! (Keycloak's) identity-provider mappers. What a vendor cannot express as rules (Keycloak role
//! and group mappers, Auth0 templates over other contexts) is kept verbatim per vendor in
//! [`AttributeMap::kept`], so an update never deletes it, and it is reported as a loss when
//! the connection moves to another vendor ([`AttributeMap::foreign_losses`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::policy::Loss;
use crate::vendor::Vendor;

/// The standard user attributes, by their neutral (OIDC standard claim) names.
pub const STANDARD_ATTRIBUTES: [&str; 7] = [
    "email",
    "given_name",
    "family_name",
    "name",
    "nickname",
    "picture",
    "username",
];

/// A connection's attribute mapping. The default (empty) mapping means "the vendor's default
/// profile and nothing else", and is left out of documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeMap {
    /// What the user profile holds besides the rules.
    #[serde(default, skip_serializing_if = "MappingMode::is_default")]
    pub mode: MappingMode,
    /// The mapping rules. Each target appears at most once; vendors hold no order, so a read
    /// returns them sorted by target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<MappingRule>,
    /// Per vendor, mapping settings the rules cannot express, kept verbatim: ezto mappers of
    /// other kinds by mapper name (`{"identityProviderMapper": ..., "config": {...}}`); Auth0's
    /// `userinfo_scope` and `attributes` entries that are not a claim, a constant or a claim
    /// template. A backend writes back only its own entry.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kept: BTreeMap<Vendor, Map<String, Value>>,
}

impl AttributeMap {
    /// True for the default mapping: the vendor's default profile, no rules, nothing kept.
    pub fn is_empty(&self) -> bool {
        self.mode.is_default() && self.rules.is_empty() && self.kept.is_empty()
    }

    /// Checks what every vendor needs: targets and rule names non-empty and unique, SAML rules
    /// with at least one non-empty name, claims non-empty. Errors name the rule's field.
    pub fn validate(&self) -> Result<()> {
        let mut targets = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for rule in &self.rules {
            let field = rule.field();
            if rule.target.trim().is_empty() {
                return Err(Error::invalid(
                    "attribute_map.rules.target",
                    "a rule's target must not be empty",
                ));
            }
            if !targets.insert(rule.target.as_str()) {
                return Err(Error::invalid(field, "two rules write this attribute"));
            }
            if !names.insert(rule.name()) {
                return Err(Error::invalid(
                    format!("{field}.name"),
                    format!("another rule is named \"{}\"", rule.name()),
                ));
            }
            match &rule.source {
                MappingSource::Claim { claim, .. } if claim.trim().is_empty() => {
                    return Err(Error::invalid(
                        format!("{field}.source.claim"),
                        "the claim must not be empty",
                    ));
                }
                MappingSource::SamlAttribute { names, .. }
                    if names.is_empty() || names.iter().any(|n| n.trim().is_empty()) =>
                {
                    return Err(Error::invalid(
                        format!("{field}.source.saml_attribute.names"),
                        "at least one attribute name, none empty",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// This vendor's kept settings, empty if none.
    pub fn kept_for(&self, vendor: Vendor) -> Map<String, Value> {
        self.kept.get(&vendor).cloned().unwrap_or_default()
    }

    /// The rule for `target`, if any.
    pub fn rule_for(&self, target: &str) -> Option<&MappingRule> {
        self.rules.iter().find(|rule| rule.target == target)
    }

    /// One loss per kept entry of a vendor other than `target`: those settings mean nothing to
    /// `target` and are not written there.
    pub fn foreign_losses(&self, target: Vendor) -> Vec<Loss> {
        self.kept
            .iter()
            .filter(|(vendor, _)| **vendor != target)
            .flat_map(|(vendor, entries)| {
                entries.iter().map(move |(key, value)| {
                    Loss::dropped(
                        format!("attribute_map.kept.{vendor}.{key}"),
                        value.to_string(),
                        format!("a {vendor} mapping setting that {target} cannot hold"),
                    )
                })
            })
            .collect()
    }

    /// Every rule as a loss, plus the mode and the kept entries: for a vendor that cannot hold
    /// a mapping at all. Empty for the default mapping.
    pub fn all_losses(&self, reason: &str) -> Vec<Loss> {
        let mut losses = Vec::new();
        if !self.mode.is_default() {
            losses.push(Loss::changed(
                "attribute_map.mode",
                self.mode.to_string(),
                MappingMode::ProviderDefault.to_string(),
                reason,
            ));
        }
        losses.extend(
            self.rules
                .iter()
                .map(|rule| Loss::dropped(rule.field(), rule.source.to_string(), reason)),
        );
        losses.extend(self.kept.iter().flat_map(|(vendor, entries)| {
            entries.iter().map(move |(key, value)| {
                Loss::dropped(
                    format!("attribute_map.kept.{vendor}.{key}"),
                    value.to_string(),
                    reason,
                )
            })
        }));
        losses
    }
}

/// What the user profile holds besides the rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingMode {
    /// The vendor's default profile, with the rules added or overriding (Auth0 Okta
    /// `basic_profile`, Auth0 SAML `fieldsMap`, merged with its defaults; Keycloak, which always
    /// imports its standard profile and whose mappers add to it).
    #[default]
    ProviderDefault,
    /// The rules only (Auth0 `use_map`).
    Explicit,
    /// Everything the identity provider sends, with the rules added (Auth0 OIDC `bind_all`).
    CopyAll,
}

impl MappingMode {
    /// True for [`MappingMode::ProviderDefault`].
    pub fn is_default(&self) -> bool {
        *self == MappingMode::ProviderDefault
    }
}

impl fmt::Display for MappingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MappingMode::ProviderDefault => "provider_default",
            MappingMode::Explicit => "explicit",
            MappingMode::CopyAll => "copy_all",
        })
    }
}

/// One rule: a user attribute and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingRule {
    /// The user attribute written: one of [`STANDARD_ATTRIBUTES`] or a custom attribute name.
    pub target: String,
    /// Where the value comes from.
    pub source: MappingSource,
    /// When the value is written; `None` leaves it to the connection or vendor default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncMode>,
    /// The vendor's name for the rule (a Keycloak mapper's name) when it is not the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl MappingRule {
    /// A rule with no sync mode and no name of its own.
    pub fn new(target: impl Into<String>, source: MappingSource) -> Self {
        MappingRule {
            target: target.into(),
            source,
            sync: None,
            name: None,
        }
    }

    /// The rule's name: its own, or its target.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.target)
    }

    /// The neutral field path of this rule in reports and plans (`attribute_map.rules.email`).
    pub fn field(&self) -> String {
        format!("attribute_map.rules.{}", self.target)
    }
}

/// Where a rule's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MappingSource {
    /// An OIDC claim (a dot path into the claims).
    Claim {
        /// The claim's name or dot path.
        claim: String,
        /// Where to read it; `None` lets the vendor look it up in the tokens it received.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<ClaimOrigin>,
    },
    /// A SAML attribute: the first of `names` the assertion carries.
    SamlAttribute {
        /// The attribute's name, then fallback names in order.
        names: Vec<String>,
        /// Match the attributes' `FriendlyName` rather than their `Name`.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        friendly: bool,
    },
    /// A fixed value.
    Constant(String),
    /// A text with placeholders `${claim.<name>}` (OIDC) or `${attribute.<name>}` (SAML).
    Template(String),
}

impl fmt::Display for MappingSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MappingSource::Claim { claim, from: None } => write!(f, "claim {claim}"),
            MappingSource::Claim {
                claim,
                from: Some(origin),
            } => write!(f, "claim {claim} from {origin}"),
            MappingSource::SamlAttribute { names, friendly } => write!(
                f,
                "SAML attribute{} {}",
                if *friendly { " (friendly name)" } else { "" },
                names.join(" or ")
            ),
            MappingSource::Constant(value) => write!(f, "constant \"{value}\""),
            MappingSource::Template(template) => write!(f, "template \"{template}\""),
        }
    }
}

/// Which OIDC response a claim is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimOrigin {
    /// The ID token.
    IdToken,
    /// The UserInfo endpoint's answer.
    Userinfo,
}

impl fmt::Display for ClaimOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClaimOrigin::IdToken => "the ID token",
            ClaimOrigin::Userinfo => "userinfo",
        })
    }
}

/// When a rule's value is written to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncMode {
    /// Once, when the user is first created.
    Import,
    /// On every login.
    Force,
}

impl fmt::Display for SyncMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SyncMode::Import => "import",
            SyncMode::Force => "force",
        })
    }
}

/// Rewrites every `${<from>.<name>}` placeholder of `template` as `${<to>.<name>}`, for each
/// `(from, to)` pair of `prefixes`; `None` when a placeholder matches no pair.
pub fn rewrite_placeholders(template: &str, prefixes: &[(&str, &str)]) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let inner = &after[..end];
        let (to, name) = prefixes.iter().find_map(|(from, to)| {
            inner
                .strip_prefix(from)
                .and_then(|tail| tail.strip_prefix('.'))
                .filter(|name| !name.is_empty())
                .map(|name| (*to, name))
        })?;
        out.push_str("${");
        out.push_str(to);
        out.push('.');
        out.push_str(name);
        out.push('}');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_default_mapping_is_empty_and_left_out() {
        assert!(AttributeMap::default().is_empty());
        assert_eq!(
            serde_json::to_value(AttributeMap::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn rules_read_and_write_as_documented() {
        let text = json!({
            "mode": "explicit",
            "rules": [
                {"target": "email", "source": {"claim": {"claim": "email"}}},
                {"target": "given_name", "source": {"claim": {"claim": "given_name", "from": "userinfo"}}, "sync": "force"},
                {"target": "family_name", "source": {"saml_attribute": {"names": ["sn", "surname"]}}},
                {"target": "tier", "source": {"constant": "gold"}, "name": "tier mapper"},
                {"target": "username", "source": {"template": "${claim.preferred_username}"}}
            ]
        });
        let map: AttributeMap = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(map.mode, MappingMode::Explicit);
        assert_eq!(map.rules[1].sync, Some(SyncMode::Force));
        assert_eq!(map.rules[3].name(), "tier mapper");
        assert_eq!(serde_json::to_value(&map).unwrap(), text);
    }

    #[test]
    fn templates_rewrite_between_syntaxes() {
        assert_eq!(
            rewrite_placeholders("x|${claim.email}", &[("claim", "context.tokenset")]).as_deref(),
            Some("x|${context.tokenset.email}")
        );
        assert_eq!(
            rewrite_placeholders("${context.userinfo.a}", &[("context.tokenset", "claim")]),
            None
        );
        assert_eq!(
            rewrite_placeholders("${ALIAS}.${claim.a}", &[("claim", "CLAIM")]),
            None
        );
    }

    #[test]
    fn foreign_kept_entries_are_losses() {
        let mut map = AttributeMap::default();
        map.kept.insert(
            Vendor::Ezto,
            json!({"admins": {"identityProviderMapper": "oidc-role-idp-mapper"}})
                .as_object()
                .cloned()
                .unwrap(),
        );
        assert!(map.foreign_losses(Vendor::Ezto).is_empty());
        let losses = map.foreign_losses(Vendor::Auth0);
        assert_eq!(losses[0].field, "attribute_map.kept.eztoauth.admins");
    }
}
