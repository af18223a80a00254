//! Identity-provider mappers: `{instances}/{alias}/mappers[/{id}]`, `{instances}/{alias}/mapper-types`
//! and `/identity-provider/providers/{providerId}` (Keycloak `IdentityProviderResource`,
//! `IdentityProvidersResource`; Keycloak 26's admin REST API OpenAPI document).
//!
//! As Keycloak: POST answers 201 with a `Location` naming the new id and an empty body (the
//! spec says 200); any failure to add is a 400 `Failed to add mapper '<name>' to identity
//! provider [<providerId>].`, which covers a name already used under the provider
//! (`JpaIdentityProviderStorageProvider`: "mapper name must be unique per identity provider").
//! PUT answers 204 and takes the body's `id`; DELETE 204; an unknown mapper id is 404. Mappers
//! are deleted with their provider. Stricter than Keycloak, which stores them and breaks at
//! login: a mapper type the provider's type does not support, and a body
//! `identityProviderAlias` other than the path's (keycloak PR #52652), are refused with 400.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::EztoSim;
use super::auth::Role;
use super::errors::{self, Refusal};

type Answer = Result<Response, Refusal>;

/// One stored mapper.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mapper {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) alias: String,
    pub(crate) kind: String,
    pub(crate) config: BTreeMap<String, String>,
}

impl Mapper {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "identityProviderAlias": self.alias,
            "identityProviderMapper": self.kind,
            "config": self.config,
        })
    }
}

/// A mapper body (`IdentityProviderMapperRepresentation`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Incoming {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    identity_provider_alias: Option<String>,
    #[serde(default)]
    identity_provider_mapper: Option<String>,
    #[serde(default)]
    config: BTreeMap<String, String>,
}

/// A built-in mapper type: its id, display name, category, and the provider ids it supports
/// (`*` for any), from Keycloak's `broker/{oidc,saml,provider}/mappers`.
struct MapperType {
    id: &'static str,
    name: &'static str,
    category: &'static str,
    providers: &'static [&'static str],
    properties: &'static [&'static str],
}

const OIDC: &[&str] = &["oidc", "keycloak-oidc"];
const SOCIAL: &[&str] = &[
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

const TYPES: &[MapperType] = &[
    MapperType {
        id: "hardcoded-attribute-idp-mapper",
        name: "Hardcoded Attribute",
        category: "Attribute Importer",
        providers: &["*"],
        properties: &["attribute", "attribute.value"],
    },
    MapperType {
        id: "oidc-hardcoded-role-idp-mapper",
        name: "Hardcoded Role",
        category: "Role Importer",
        providers: &["*"],
        properties: &["role"],
    },
    MapperType {
        id: "oidc-user-attribute-idp-mapper",
        name: "Attribute Importer",
        category: "Attribute Importer",
        providers: OIDC,
        properties: &["claim", "user.attribute"],
    },
    MapperType {
        id: "oidc-role-idp-mapper",
        name: "Claim to Role",
        category: "Role Importer",
        providers: OIDC,
        properties: &["claim", "claim.value", "role"],
    },
    MapperType {
        id: "oidc-advanced-role-idp-mapper",
        name: "Advanced Claim to Role",
        category: "Role Importer",
        providers: OIDC,
        properties: &["claims", "are.claim.values.regex", "role"],
    },
    MapperType {
        id: "saml-user-attribute-idp-mapper",
        name: "Attribute Importer",
        category: "Attribute Importer",
        providers: &["saml"],
        properties: &[
            "attribute.name",
            "attribute.friendly.name",
            "attribute.name.format",
            "user.attribute",
        ],
    },
    MapperType {
        id: "saml-role-idp-mapper",
        name: "SAML Attribute to Role",
        category: "Role Mapper",
        providers: &["saml"],
        properties: &[
            "attribute.name",
            "attribute.friendly.name",
            "attribute.value",
            "role",
        ],
    },
    MapperType {
        id: "saml-username-idp-mapper",
        name: "Username Template Importer",
        category: "Preprocessor",
        providers: &["saml"],
        properties: &["template", "target"],
    },
];

/// Whether `type_id` is supported by a provider of type `provider_id`
/// (`IdentityProviderMapper.getCompatibleProviders`).
fn supports(provider_id: &str, type_id: &str) -> bool {
    if type_id == "oidc-username-idp-mapper" {
        return OIDC.contains(&provider_id) || SOCIAL.contains(&provider_id);
    }
    if let Some(social) = type_id.strip_suffix("-user-attribute-mapper") {
        return social == provider_id && SOCIAL.contains(&provider_id);
    }
    TYPES.iter().any(|t| {
        t.id == type_id && (t.providers.contains(&"*") || t.providers.contains(&provider_id))
    })
}

/// The mapper types a provider of type `provider_id` supports, as `mapper-types` serves them.
fn types_for(provider_id: &str) -> serde_json::Map<String, Value> {
    let describe = |id: &str, name: &str, category: &str, properties: &[&str]| {
        let properties: Vec<Value> = properties
            .iter()
            .chain(std::iter::once(&"syncMode"))
            .map(|p| json!({"name": p, "label": p, "type": "String"}))
            .collect();
        json!({"id": id, "name": name, "category": category, "helpText": name, "properties": properties})
    };
    let mut out = serde_json::Map::new();
    for t in TYPES.iter().filter(|t| supports(provider_id, t.id)) {
        out.insert(
            t.id.into(),
            describe(t.id, t.name, t.category, t.properties),
        );
    }
    if supports(provider_id, "oidc-username-idp-mapper") {
        out.insert(
            "oidc-username-idp-mapper".into(),
            describe(
                "oidc-username-idp-mapper",
                "Username Template Importer",
                "Preprocessor",
                &["template", "target"],
            ),
        );
    }
    if SOCIAL.contains(&provider_id) {
        let id = format!("{provider_id}-user-attribute-mapper");
        let value = describe(
            &id,
            "Attribute Importer",
            "Attribute Importer",
            &["jsonField", "userAttribute"],
        );
        out.insert(id, value);
    }
    out
}

/// The provider type behind a path key, after the usual admission checks.
fn provider_of(sim: &EztoSim, key: &str) -> Result<(String, String), Refusal> {
    sim.shared
        .read()
        .resolve(key)
        .map(|idp| (idp.alias.clone(), idp.provider_id.clone()))
        .ok_or_else(errors::not_found)
}

fn decode(body: Result<Bytes, BytesRejection>) -> Result<Incoming, Refusal> {
    let body = body.map_err(|_| errors::cannot_parse_json())?;
    serde_json::from_slice(&body).map_err(|_| errors::cannot_parse_json())
}

/// Keycloak PR #52652: the body names the provider the path names.
fn check_alias(incoming: &Incoming, alias: &str) -> Result<(), Refusal> {
    match incoming.identity_provider_alias.as_deref() {
        Some(given) if given == alias => Ok(()),
        _ => Err(errors::error_message(
            StatusCode::BAD_REQUEST,
            format!(
                "Identity provider alias in the mapper does not match the path alias \"{alias}\""
            ),
        )),
    }
}

pub(crate) async fn list(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let Path((workspace, key)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::View)?;
    let (alias, _) = provider_of(&sim, &key)?;
    let mut found: Vec<Mapper> = sim.shared.read().mappers_of(&alias);
    found.sort_by(|a, b| a.id.cmp(&b.id));
    let items: Vec<Value> = found.iter().map(Mapper::to_json).collect();
    Ok(Json(Value::Array(items)).into_response())
}

pub(crate) async fn create(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path((workspace, key)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::Manage)?;
    let incoming = decode(body)?;
    let (alias, provider_id) = provider_of(&sim, &key)?;
    check_alias(&incoming, &alias)?;
    let name = incoming.name.clone().unwrap_or_default();
    let failed = || {
        errors::error_message(
            StatusCode::BAD_REQUEST,
            format!("Failed to add mapper '{name}' to identity provider [{provider_id}]."),
        )
    };
    let kind = incoming
        .identity_provider_mapper
        .clone()
        .unwrap_or_default();
    if name.is_empty() || !supports(&provider_id, &kind) {
        return Err(failed());
    }
    let mapper = Mapper {
        id: incoming
            .id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        name: name.clone(),
        alias: alias.clone(),
        kind,
        config: incoming.config,
    };
    let id = mapper.id.clone();
    if !sim.shared.write().add_mapper(mapper) {
        return Err(failed());
    }
    let location = format!(
        "http://{}{}/admin/realms/{workspace}/identity-provider/instances/{alias}/mappers/{id}",
        super::handlers::host(&headers),
        sim.settings.prefix,
    );
    Ok((StatusCode::CREATED, [(header::LOCATION, location)]).into_response())
}

pub(crate) async fn get_one(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let Path((workspace, key, id)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::View)?;
    let (alias, _) = provider_of(&sim, &key)?;
    sim.shared
        .read()
        .mappers_of(&alias)
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| Json(m.to_json()).into_response())
        .ok_or_else(model_not_found)
}

pub(crate) async fn update(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path((workspace, key, id)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::Manage)?;
    let incoming = decode(body)?;
    let (alias, provider_id) = provider_of(&sim, &key)?;
    let current = sim.shared.read().mappers_of(&alias);
    if !current.iter().any(|m| m.id == id) {
        return Err(model_not_found());
    }
    check_alias(&incoming, &alias)?;
    let kind = incoming
        .identity_provider_mapper
        .clone()
        .unwrap_or_default();
    if !supports(&provider_id, &kind) {
        return Err(errors::error_message(
            StatusCode::BAD_REQUEST,
            format!("Mapper type '{kind}' is not supported by identity provider [{provider_id}]."),
        ));
    }
    // Keycloak updates the mapper the *body's* id names; without one, or with a name another
    // mapper has, the storage layer throws and the answer is a 500.
    let Some(body_id) = incoming.id.clone() else {
        return Err(errors::server_error());
    };
    let name = incoming.name.clone().unwrap_or_default();
    if current.iter().any(|m| m.name == name && m.id != body_id) {
        return Err(errors::server_error());
    }
    let replaced = sim.shared.write().replace_mapper(Mapper {
        id: body_id,
        name,
        alias,
        kind,
        config: incoming.config,
    });
    if !replaced {
        return Err(errors::server_error());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn delete(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let Path((workspace, key, id)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::Manage)?;
    let (alias, _) = provider_of(&sim, &key)?;
    if sim.shared.write().remove_mapper(&alias, &id) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(model_not_found())
    }
}

pub(crate) async fn mapper_types(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let Path((workspace, key)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::View)?;
    let (_, provider_id) = provider_of(&sim, &key)?;
    Ok(Json(Value::Object(types_for(&provider_id))).into_response())
}

/// `GET /identity-provider/providers/{providerId}`: the provider factory's id and name;
/// an id no factory has is 400 (`BadRequestException("Could not find provider factory ...")`).
pub(crate) async fn provider_factory(
    State(sim): State<Arc<EztoSim>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Answer {
    let Path((workspace, provider_id)) = path.map_err(|_| errors::not_found())?;
    sim.admit(&headers, &workspace, Role::View)?;
    if !sim.settings.provider_ids.contains(&provider_id) {
        return Err(errors::error(
            StatusCode::BAD_REQUEST,
            format!("Could not find provider factory with id {provider_id}"),
        ));
    }
    Ok(Json(json!({"id": provider_id, "name": provider_id})).into_response())
}

/// 404 for a mapper id the provider does not have (`NotFoundException("Model not found")`).
fn model_not_found() -> Refusal {
    errors::error(StatusCode::NOT_FOUND, "Model not found")
}
