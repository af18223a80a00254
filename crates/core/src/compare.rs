//! Comparing connections: what a translation changed, and what `plan` must update.

use serde_json::Value;

use crate::model::{ClientSecret, Connection, Purpose};
use crate::policy::Loss;

/// The losses between a source purpose and the purpose a target holds after translation.
///
/// A switch the source did not set (`None`: its vendor has no such switch) is never a loss.
/// A switch that ends up `true` where the source said `false` widens access.
pub fn purpose_losses(source: &Purpose, target: &Purpose, why: &str) -> Vec<Loss> {
    let switches = [
        ("purpose.sign_in", source.sign_in, target.sign_in),
        ("purpose.link", source.link, target.link),
        (
            "purpose.store_tokens",
            source.store_tokens,
            target.store_tokens,
        ),
    ];
    switches
        .into_iter()
        .filter_map(|(field, from, to)| {
            let from = from?;
            if to == Some(from) {
                return None;
            }
            let loss = Loss::changed(field, from.to_string(), render(to), why);
            Some(if to == Some(true) && !from {
                loss.widening()
            } else {
                loss
            })
        })
        .collect()
}

fn render(value: Option<bool>) -> String {
    value.map_or_else(|| "(dropped)".to_string(), |v| v.to_string())
}

/// The neutral fields (as dotted paths) whose values differ between `current` and `desired`,
/// ignoring the vendor id. Used by `plan` to show an update's changes and by tests to prove a
/// round trip loses nothing. Secrets compare by value; a secret the vendor masks compares equal
/// to any known secret, since its value cannot be read back.
pub fn changed_fields(current: &Connection, desired: &Connection) -> Vec<String> {
    let mut changed = Vec::new();
    let (a, b) = (strip(current), strip(desired));
    diff_values("", &a, &b, &mut changed);
    // Secrets serialize masked: compare their values instead.
    let secrets = [
        (
            "settings.client_secret",
            current.settings.client_secret(),
            desired.settings.client_secret(),
        ),
        (
            "settings.request_signing_key",
            current.settings.request_signing_key(),
            desired.settings.request_signing_key(),
        ),
    ];
    for (path, cur, want) in secrets {
        changed.retain(|p| p != path);
        let secret_changed = match (cur, want) {
            (ClientSecret::Masked, ClientSecret::Known(_)) => false,
            (_, ClientSecret::Masked) => false,
            _ => cur != want,
        };
        if secret_changed {
            changed.push(path.to_string());
        }
    }
    changed.sort();
    changed
}

fn strip(connection: &Connection) -> Value {
    let mut value = serde_json::to_value(connection).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.remove("id");
    }
    value
}

fn diff_values(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match (x.get(key), y.get(key)) {
                    (Some(l), Some(r)) => diff_values(&child, l, r, out),
                    (l, r) if l != r => out.push(child),
                    _ => {}
                }
            }
        }
        _ if a != b => out.push(path.to_string()),
        _ => {}
    }
}
