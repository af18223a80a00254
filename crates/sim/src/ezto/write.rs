//! Turning a decoded body into the provider Keycloak stores: defaults on create, whole
//! replacement on update.

use std::collections::BTreeSet;

use axum::http::StatusCode;

use super::errors::{self, Refusal};
use super::rep::{DEFAULT_FIRST_BROKER_LOGIN_FLOW, Idp, Incoming, SECRET_MASK};
use super::validate;

/// The provider a POST creates. The alias is checked for reserved characters first, as
/// `IdentityProvidersResource.create` does before anything else. A body `internalId` is
/// honoured (measured on Keycloak 26.7.1); otherwise a UUID is minted.
pub(crate) fn for_create(
    incoming: Incoming,
    provider_ids: &BTreeSet<String>,
) -> Result<Idp, Refusal> {
    if let Some(alias) = &incoming.alias {
        validate::alias_characters(alias)?;
    }
    let internal_id = incoming
        .internal_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let provider_id = known_provider_id(incoming.provider_id.as_deref(), provider_ids)?;
    // Keycloak builds the Location header from the alias after storing; a missing alias fails
    // there with "path is null" (measured). The simulator refuses it before storing, so that
    // no row without an alias can exist.
    let alias = match &incoming.alias {
        Some(alias) if !alias.is_empty() => alias.clone(),
        _ => {
            return Err(errors::error_message(
                StatusCode::BAD_REQUEST,
                "path is null",
            ));
        }
    };
    build(incoming, alias, internal_id, provider_id)
}

/// The provider a PUT leaves behind: the body replaces everything (omitted fields take their
/// defaults, omitted config keys are gone), except that
/// - `internalId` stays the stored one;
/// - `providerId` is not updated even when the body names another valid one (keycloak#28592);
/// - `config.clientSecret` equal to the mask keeps the stored secret.
///
/// A body alias that differs from the stored one is refused (keycloak PR #47805). Keycloak 26.7
/// accepts a body with *no* alias and strands the row (measured); the simulator refuses that
/// too, so a client that forgets the alias fails loudly here rather than corrupting state.
pub(crate) fn for_update(
    incoming: Incoming,
    stored: &Idp,
    provider_ids: &BTreeSet<String>,
) -> Result<Idp, Refusal> {
    if incoming.alias.as_deref() != Some(stored.alias.as_str()) {
        return Err(errors::error_message(
            StatusCode::BAD_REQUEST,
            "Identity Provider alias cannot be changed",
        ));
    }
    known_provider_id(incoming.provider_id.as_deref(), provider_ids)?;
    let mut updated = build(
        incoming,
        stored.alias.clone(),
        stored.internal_id.clone(),
        stored.provider_id.clone(),
    )?;
    if updated.config.get("clientSecret").map(String::as_str) == Some(SECRET_MASK) {
        match stored.config.get("clientSecret") {
            Some(secret) => updated.config.insert("clientSecret".into(), secret.clone()),
            None => updated.config.remove("clientSecret"),
        };
    }
    Ok(updated)
}

fn known_provider_id(
    provider_id: Option<&str>,
    provider_ids: &BTreeSet<String>,
) -> Result<String, Refusal> {
    match provider_id {
        Some(id) if provider_ids.contains(id) => Ok(id.to_string()),
        other => Err(validate::invalid_provider_id(other)),
    }
}

/// `RepresentationToModel.toModel` plus the config class's `validate`.
fn build(
    incoming: Incoming,
    alias: String,
    internal_id: String,
    provider_id: String,
) -> Result<Idp, Refusal> {
    if incoming.organization_id.is_some() {
        // Measured: any organizationId, "" included, on a realm without that organization.
        return Err(errors::error_message(
            StatusCode::BAD_REQUEST,
            "Organization associated with broker does not exist",
        ));
    }
    let first_broker_login_flow_alias = match incoming.first_broker_login_flow_alias {
        Some(flow) if !flow.trim().is_empty() => {
            validate::flow_alias(&flow)?;
            flow
        }
        _ => DEFAULT_FIRST_BROKER_LOGIN_FLOW.to_string(),
    };
    let post_broker_login_flow_alias = match incoming.post_broker_login_flow_alias {
        Some(flow) if !flow.trim().is_empty() => {
            validate::flow_alias(&flow)?;
            Some(flow)
        }
        _ => None,
    };
    let mut config = incoming.config;
    // Keycloak 26 migrates the legacy `config.hideOnLoginPage` into `hideOnLogin` and drops
    // the key (reference §2.4); the field wins when both are sent.
    let legacy_hide = config.remove("hideOnLoginPage").map(|v| v == "true");
    let hide_on_login = incoming.hide_on_login.or(legacy_hide).unwrap_or(false);
    validate::config_urls(&provider_id, &config)?;
    if provider_id == "saml" {
        validate::saml_config(&config)?;
    }
    Ok(Idp {
        internal_id,
        alias,
        display_name: incoming.display_name,
        provider_id,
        enabled: incoming.enabled.unwrap_or(true),
        update_profile_first_login_mode: incoming
            .update_profile_first_login_mode
            .unwrap_or_else(|| "on".to_string()),
        trust_email: incoming.trust_email.unwrap_or(false),
        store_token: incoming.store_token.unwrap_or(false),
        add_read_token_role_on_create: incoming.add_read_token_role_on_create.unwrap_or(false),
        authenticate_by_default: incoming.authenticate_by_default.unwrap_or(false),
        link_only: incoming.link_only.unwrap_or(false),
        hide_on_login,
        first_broker_login_flow_alias,
        post_broker_login_flow_alias,
        config,
    })
}
