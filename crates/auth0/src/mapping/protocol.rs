//! The OIDC channel and the SAML request settings in Auth0's names: oidc and okta
//! `options.type`, samlp `options.signatureAlgorithm`, `options.digestAlgorithm` and
//! `options.protocolBinding` (Auth0 Management API v2 OAS, `ConnectionOptionsOIDC`,
//! `ConnectionOptionsOkta`, `ConnectionOptionsCommonSAML`).
//!
//! A value Auth0 holds that has no neutral name stays verbatim in extras with a read note; a
//! neutral value Auth0 has no name for is a loss, and what Auth0 stores stays. A setting the
//! model leaves unset keeps what the options hold (Auth0's default applies when they hold
//! nothing: `front_channel` for oidc, `rsa-sha256`, `sha256` and HTTP-Redirect for samlp).

use idconn_core::spelling::{self, Spelling};
use idconn_core::{
    Loss, OidcChannel, ReadNote, SamlBinding, SamlDigestAlgorithm, SamlSettings,
    SamlSignatureAlgorithm,
};
use serde_json::{Map, Value};

/// OAS `ConnectionTypeEnumOIDC`.
const OIDC_CHANNELS: Spelling<OidcChannel> = &[
    (OidcChannel::FrontChannel, "front_channel"),
    (OidcChannel::BackChannel, "back_channel"),
];

/// OAS `ConnectionTypeEnumOkta`: `back_channel` only.
const OKTA_CHANNELS: Spelling<OidcChannel> = &[(OidcChannel::BackChannel, "back_channel")];

/// OAS `ConnectionSignatureAlgorithmEnumSAML`.
pub(crate) const SIGNATURE_ALGORITHMS: Spelling<SamlSignatureAlgorithm> = &[
    (SamlSignatureAlgorithm::RsaSha256, "rsa-sha256"),
    (SamlSignatureAlgorithm::RsaSha1, "rsa-sha1"),
];

/// OAS `ConnectionDigestAlgorithmEnumSAML`.
pub(crate) const DIGEST_ALGORITHMS: Spelling<SamlDigestAlgorithm> = &[
    (SamlDigestAlgorithm::Sha256, "sha256"),
    (SamlDigestAlgorithm::Sha1, "sha1"),
];

/// OAS `ConnectionProtocolBindingEnumSAML`: the bindings' URNs.
pub(crate) const BINDINGS: Spelling<SamlBinding> = &[
    (SamlBinding::HttpRedirect, SamlBinding::HttpRedirect.urn()),
    (SamlBinding::HttpPost, SamlBinding::HttpPost.urn()),
];

const CHANNEL: &str = "type";
const SIGNATURE_ALGORITHM: &str = "signatureAlgorithm";
const DIGEST_ALGORITHM: &str = "digestAlgorithm";
const PROTOCOL_BINDING: &str = "protocolBinding";

/// The channels a strategy of the OIDC family holds.
pub(crate) fn channels(strategy: &str) -> Spelling<OidcChannel> {
    if strategy == "okta" {
        OKTA_CHANNELS
    } else {
        OIDC_CHANNELS
    }
}

/// Takes `type` out of the options of an oidc or okta connection, whose strategy takes the
/// channels `held`.
pub(crate) fn read_channel(
    held: Spelling<OidcChannel>,
    rest: &mut Map<String, Value>,
    notes: &mut Vec<ReadNote>,
) -> Option<OidcChannel> {
    spelling::take(rest, CHANNEL, held, "options", notes)
}

/// Writes the channel as `type` into the options of a `strategy` connection (oidc or okta),
/// which takes the channels `held`.
pub(crate) fn write_channel(
    strategy: &str,
    held: Spelling<OidcChannel>,
    channel: Option<OidcChannel>,
    rest: &mut Map<String, Value>,
    losses: &mut Vec<Loss>,
) {
    spelling::put(
        rest,
        CHANNEL,
        channel,
        held,
        "settings.channel",
        || only(strategy, "channel", held),
        losses,
    );
}

/// The request settings of a samlp connection, taken out of its options.
pub(crate) fn read_saml(
    rest: &mut Map<String, Value>,
    notes: &mut Vec<ReadNote>,
) -> (
    Option<SamlSignatureAlgorithm>,
    Option<SamlDigestAlgorithm>,
    Option<SamlBinding>,
) {
    (
        spelling::take(
            rest,
            SIGNATURE_ALGORITHM,
            SIGNATURE_ALGORITHMS,
            "options",
            notes,
        ),
        spelling::take(rest, DIGEST_ALGORITHM, DIGEST_ALGORITHMS, "options", notes),
        spelling::take(rest, PROTOCOL_BINDING, BINDINGS, "options", notes),
    )
}

/// Writes the request settings into the options of a samlp connection.
pub(crate) fn write_saml(s: &SamlSettings, rest: &mut Map<String, Value>, losses: &mut Vec<Loss>) {
    spelling::put(
        rest,
        SIGNATURE_ALGORITHM,
        s.request_signature_algorithm,
        SIGNATURE_ALGORITHMS,
        "settings.request_signature_algorithm",
        || only("samlp", "request signature algorithm", SIGNATURE_ALGORITHMS),
        losses,
    );
    spelling::put(
        rest,
        DIGEST_ALGORITHM,
        s.request_digest_algorithm,
        DIGEST_ALGORITHMS,
        "settings.request_digest_algorithm",
        || only("samlp", "request digest algorithm", DIGEST_ALGORITHMS),
        losses,
    );
    spelling::put(
        rest,
        PROTOCOL_BINDING,
        s.request_binding,
        BINDINGS,
        "settings.request_binding",
        || only("samlp", "request binding", BINDINGS),
        losses,
    );
}

/// "Auth0 okta connections offer only back_channel for the channel".
fn only<T: std::fmt::Display>(strategy: &str, setting: &str, held: Spelling<T>) -> String {
    format!(
        "Auth0 {strategy} connections offer only {} for the {setting}",
        spelling::offered(held)
    )
}
