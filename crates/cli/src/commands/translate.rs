//! `idconn translate -f FILE --to VENDOR`: each connection's vendor payload and losses, offline
//! ([`idconn::translate`]: no credentials, no network).

use idconn::Document;
use idconn::{Error, Loss, Mode, Note, Policy, Vendor};
use serde::Serialize;

use super::Ctx;
use crate::cli::{OutputFormat, TranslateArgs};
use crate::error::{CliError, FAILURE, REFUSED};
use crate::output::{losses, notes, print, structured};

/// Translating with this policy shows every loss; the asked policy then says what it refuses.
const SEE_EVERYTHING: Policy = Policy {
    mode: Mode::Lenient,
    allow_widening: true,
    allow_insecure_endpoints: false,
};

/// One connection's translation, as printed.
#[derive(Debug, Serialize)]
pub struct Translated {
    /// The name in the file.
    pub name: String,
    /// The name the vendor would hold.
    pub target_name: String,
    /// The vendor request body (secrets masked or left out).
    pub payload: serde_json::Value,
    /// Everything lost.
    pub losses: Vec<Loss>,
    /// What was carried in a way worth knowing (never refused).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Whether the asked policy refuses this translation.
    pub refused: bool,
}

/// Prints every translation; exits 3 when the policy refuses any (listing those losses), and
/// 1 when a connection breaks the vendor's rules.
/// With `--resolve-discovery`, discovery-only OIDC connections are resolved first (the only
/// network access).
pub async fn run(ctx: &Ctx, args: TranslateArgs) -> Result<(), CliError> {
    let mut document = Document::read_within(&args.file, ctx.limits)?;
    super::resolve(args.resolve, &mut document.connections).await?;
    let policy = args.policy.policy();
    let (translated, refused, invalid) = translate_all(args.to, &document, &policy);
    match ctx.output {
        OutputFormat::Table => print(&render(&translated, args.to))?,
        format => print(&structured(&translated, format)?)?,
    }
    if !invalid.is_empty() {
        return Err(CliError {
            message: format!(
                "{}: {} connection(s) cannot be written to {}",
                args.file.display(),
                invalid.len(),
                args.to
            ),
            code: FAILURE,
            details: invalid,
        });
    }
    if !refused.is_empty() {
        let count = translated.iter().filter(|t| t.refused).count();
        return Err(CliError {
            message: format!(
                "{} cannot represent {count} connection(s) without loss under this policy",
                args.to
            ),
            code: REFUSED,
            details: refused,
        });
    }
    Ok(())
}

fn translate_all(
    vendor: Vendor,
    document: &Document,
    policy: &Policy,
) -> (Vec<Translated>, Vec<String>, Vec<String>) {
    let mut translated = Vec::new();
    let mut refused = Vec::new();
    let mut invalid = Vec::new();
    for connection in &document.connections {
        let see_everything =
            SEE_EVERYTHING.with_insecure_endpoints(policy.allow_insecure_endpoints);
        match idconn::translate(vendor, connection, &see_everything) {
            Ok(t) => {
                let refusal = match policy.enforce(&t.report) {
                    Err(Error::Unrepresentable { losses, .. }) => losses,
                    _ => Vec::new(),
                };
                refused.extend(
                    refusal
                        .iter()
                        .map(|loss| format!("{}: {loss}", connection.name)),
                );
                translated.push(Translated {
                    name: connection.name.clone(),
                    target_name: t.connection.name.clone(),
                    payload: t.payload,
                    losses: t.report.losses,
                    notes: t.report.notes,
                    refused: !refusal.is_empty(),
                });
            }
            Err(error) => invalid.push(format!(
                "connection {}: {error}",
                idconn::backend::validate::quoted(&connection.name)
            )),
        }
    }
    (translated, refused, invalid)
}

fn render(translated: &[Translated], vendor: Vendor) -> String {
    let mut out = String::new();
    for t in translated {
        out.push_str(&format!("== {} -> {vendor}", t.name));
        if t.target_name != t.name {
            out.push_str(&format!(" (as \"{}\")", t.target_name));
        }
        out.push('\n');
        out.push_str(&serde_json::to_string_pretty(&t.payload).unwrap_or_default());
        out.push('\n');
        if t.losses.is_empty() {
            out.push_str("  exact: nothing lost\n");
        } else {
            out.push_str(&format!(
                "  {} loss(es){}:\n",
                t.losses.len(),
                if t.refused {
                    ", refused by the policy"
                } else {
                    ""
                }
            ));
            out.push_str(&losses(&t.name, &t.losses));
        }
        out.push_str(&notes(&t.name, &t.notes));
    }
    out
}
