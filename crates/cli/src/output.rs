//! Everything printed on standard output: tables for people, JSON or YAML for scripts.

use std::io::Write;

use idconn::backend::validate::escape_controls;
use idconn::{ApplyReport, ConnectionOutcome, MigrationReport, Outcome, OutcomeCounts, Plan};
use idconn::{Connection, Loss, Note, ReadNote, Settings, Skipped};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::error::CliError;

/// Writes `text` to standard output. A closed pipe (`idconn list | head`) is not an error.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::failure(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

/// Serializes `value` as JSON or YAML (secrets masked: the model's default serialization).
pub fn structured<T: Serialize>(value: &T, format: OutputFormat) -> Result<String, CliError> {
    let text = match format {
        OutputFormat::Yaml => serde_yaml_ng::to_string(value).map_err(|e| e.to_string()),
        _ => serde_json::to_string_pretty(value)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
    };
    text.map_err(|e| CliError::failure(format!("cannot render the output: {e}")))
}

/// Aligned columns under a header; the last column is not padded. Control characters in
/// cells are escaped ([`escape_controls`]): a name cannot forge rows or drive the terminal.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    table_rows(header, rows, true)
}

/// Rows aligned under `header`'s columns, control characters escaped as in [`table`]; the
/// header line itself only when `with_header` (a listing printed page by page shows it once).
pub fn table_rows(header: &[&str], rows: &[Vec<String>], with_header: bool) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| escape_controls(cell).into_owned())
                .collect()
        })
        .collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, cell) in cells.into_iter().enumerate() {
            out.push_str(cell);
            if i < last {
                let pad = widths[i] - cell.chars().count() + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = if with_header {
        line(header.to_vec())
    } else {
        String::new()
    };
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn switch(value: Option<bool>) -> String {
    value.map_or_else(
        || "-".to_string(),
        |v| if v { "yes" } else { "no" }.to_string(),
    )
}

/// The connections as a table: name, kind, display name, purpose, id.
pub fn connections_table(connections: &[Connection]) -> String {
    let mut out = table(&CONNECTION_HEADER, &connection_rows(connections));
    out.push_str(&format!("{} connection(s)\n", connections.len()));
    out
}

/// The columns of a connection listing.
pub const CONNECTION_HEADER: [&str; 6] = ["NAME", "KIND", "DISPLAY NAME", "SIGN IN", "LINK", "ID"];

/// One listing row per connection, under [`CONNECTION_HEADER`].
pub fn connection_rows(connections: &[Connection]) -> Vec<Vec<String>> {
    connections
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                c.kind.to_string(),
                c.display_name.clone().unwrap_or_default(),
                switch(c.purpose.sign_in),
                switch(c.purpose.link),
                c.id.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

/// One connection as `field: value` lines; the secret is described, never shown.
pub fn connection_detail(c: &Connection) -> String {
    let mut rows: Vec<(String, String)> = vec![
        ("name".into(), c.name.clone()),
        ("id".into(), c.id.clone().unwrap_or_default()),
        (
            "display_name".into(),
            c.display_name.clone().unwrap_or_default(),
        ),
        ("kind".into(), c.kind.to_string()),
        ("purpose.sign_in".into(), switch(c.purpose.sign_in)),
        ("purpose.link".into(), switch(c.purpose.link)),
        (
            "purpose.store_tokens".into(),
            switch(c.purpose.store_tokens),
        ),
        ("enabled".into(), switch(c.enabled)),
        ("show_on_login".into(), switch(c.show_on_login)),
    ];
    if let Some(logo) = &c.logo_url {
        rows.push(("logo_url".into(), logo.clone()));
    }
    if !c.domains.is_empty() {
        rows.push(("domains".into(), c.domains.join(", ")));
    }
    match &c.settings {
        Settings::OAuth(s) => {
            let mut add = |k: &str, v: &Option<String>| {
                if let Some(v) = v {
                    rows.push((format!("settings.{k}"), v.clone()));
                }
            };
            add("client_id", &s.client_id);
            add("issuer", &s.issuer);
            add("discovery_url", &s.discovery_url);
            add("authorization_url", &s.authorization_url);
            add("token_url", &s.token_url);
            add("userinfo_url", &s.userinfo_url);
            add("jwks_url", &s.jwks_url);
            add("tenant", &s.tenant);
            rows.push((
                "settings.client_secret".into(),
                s.client_secret.describe().to_string(),
            ));
            if !s.scopes.is_empty() {
                rows.push(("settings.scopes".into(), s.scopes.join(" ")));
            }
        }
        Settings::Saml(s) => {
            let mut add = |k: &str, v: &Option<String>| {
                if let Some(v) = v {
                    rows.push((format!("settings.{k}"), v.clone()));
                }
            };
            add("sign_in_url", &s.sign_in_url);
            add("sign_out_url", &s.sign_out_url);
            add("idp_entity_id", &s.idp_entity_id);
            add("sp_entity_id", &s.sp_entity_id);
            add("name_id_format", &s.name_id_format);
            rows.push((
                "settings.signing_certificates".into(),
                s.signing_certificates.len().to_string(),
            ));
        }
        Settings::Directory(s) => {
            if let Some(url) = &s.url {
                rows.push(("settings.url".into(), url.clone()));
            }
            if let Some(dn) = &s.base_dn {
                rows.push(("settings.base_dn".into(), dn.clone()));
            }
        }
        // Settings of a protocol this version does not know are not shown.
        _ => {}
    }
    for (vendor, extras) in &c.extras {
        let keys: Vec<&str> = extras.keys().map(String::as_str).collect();
        rows.push((format!("extras.{vendor}"), keys.join(", ")));
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{k:width$}  {}\n", escape_controls(v)))
        .collect()
}

/// Losses as indented lines under a connection name.
pub fn losses(name: &str, losses: &[Loss]) -> String {
    losses
        .iter()
        .map(|loss| {
            let line = format!("{name}: {loss}");
            format!("    {}\n", escape_controls(&line))
        })
        .collect()
}

/// Tells, on standard error, what reading the vendor could not take as the model wants it:
/// each value kept verbatim (the connection is still in the output) and each record skipped.
/// Fails (exit 1, after the output) only when a record had to be skipped.
pub fn read_report<'a>(
    vendor: impl std::fmt::Display,
    noted: impl IntoIterator<Item = (&'a str, &'a [ReadNote])>,
    skipped: &[Skipped],
) -> Result<(), CliError> {
    for (name, notes) in noted {
        for note in notes {
            eprintln!("note: {vendor}: connection \"{name}\": {note}");
        }
    }
    for record in skipped {
        eprintln!(
            "skipped: {vendor}: record \"{}\": {}",
            record.record, record.reason
        );
    }
    if skipped.is_empty() {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "{} record(s) on {vendor} could not be read as connections and were skipped (listed above); the rest is complete",
            skipped.len()
        )))
    }
}

/// The read notes of `connections`, by name, for [`read_report`].
pub fn notes_of(connections: &[Connection]) -> impl Iterator<Item = (&str, &[ReadNote])> {
    connections
        .iter()
        .map(|c| (c.name.as_str(), c.read_notes.as_slice()))
}

/// Translation notes as indented lines under a connection name, marked apart from losses.
pub fn notes(name: &str, notes: &[Note]) -> String {
    notes
        .iter()
        .map(|note| format!("    {name}: note: {note}\n"))
        .collect()
}

fn action_mark(label: &str) -> &'static str {
    match label {
        "create" | "created" => "+",
        "update" | "updated" => "~",
        "delete" | "deleted" => "-",
        "skip" | "skipped" => "!",
        "failed" => "x",
        "not_started" => ".",
        "planned" => "?",
        _ => "=",
    }
}

/// A plan, one line per connection, the losses under it, and a summary line.
pub fn plan_table(plan: &Plan) -> String {
    let mut out = String::new();
    for change in &plan.changes {
        let label = change.action.label();
        let mut line = format!("{} {label:<9} {}", action_mark(label), change.name);
        if change.target_name != change.name {
            line.push_str(&format!(" (as \"{}\")", change.target_name));
        }
        match &change.action {
            idconn::Action::Update { changed } => {
                line.push_str(&format!(": {}", changed.join(", ")));
            }
            idconn::Action::Skip { reason } => line.push_str(&format!(": {reason}")),
            _ => {}
        }
        out.push_str(&escape_controls(&line));
        out.push('\n');
        if let Some(applications) = &change.applications {
            out.push_str(&format!("    applications: {}\n", applications.summary()));
        }
        out.push_str(&losses(&change.name, &change.report.losses));
        out.push_str(&notes(&change.name, &change.report.notes));
    }
    out.push_str(&format!(
        "Plan for {}: {} to create, {} to update, {} to delete, {} unchanged, {} skipped.\n",
        plan.vendor,
        plan.counts().create,
        plan.counts().update,
        plan.counts().delete,
        plan.counts().unchanged,
        plan.counts().skip,
    ));
    out
}

/// Outcomes, one line per connection, losses under each.
pub fn outcomes_table(outcomes: &[ConnectionOutcome]) -> String {
    let mut out = String::new();
    for c in outcomes {
        let label = c.outcome.label();
        let mut line = format!("{} {label:<9} {}", action_mark(label), c.name);
        if c.target_name != c.name {
            line.push_str(&format!(" (as \"{}\")", c.target_name));
        }
        match &c.outcome {
            Outcome::Updated { changed, .. } => line.push_str(&format!(": {}", changed.join(", "))),
            Outcome::Planned { action, changed } => {
                line.push_str(&format!(": would {action}"));
                if !changed.is_empty() {
                    line.push_str(&format!(" ({})", changed.join(", ")));
                }
            }
            Outcome::Skipped { reason } => line.push_str(&format!(": {reason}")),
            Outcome::Failed { error } => line.push_str(&format!(": {error}")),
            Outcome::NotStarted { action } => {
                line.push_str(&format!(": interrupted before the {action}"));
            }
            _ => {}
        }
        out.push_str(&escape_controls(&line));
        out.push('\n');
        if let Some(applications) = &c.applications {
            out.push_str(&format!("    applications: {}\n", applications.summary()));
        }
        if !c.missing_applications.is_empty() {
            out.push_str(&format!(
                "    applications not found on the target (left out): {}\n",
                c.missing_applications.join(", ")
            ));
        }
        out.push_str(&losses(&c.name, &c.losses));
        out.push_str(&notes(&c.name, &c.notes));
    }
    out
}

fn summary(outcomes: &[ConnectionOutcome]) -> String {
    let counts = OutcomeCounts::of(outcomes);
    let mut parts = vec![
        format!("{} created", counts.created),
        format!("{} updated", counts.updated),
    ];
    if counts.deleted > 0 {
        parts.push(format!("{} deleted", counts.deleted));
    }
    if counts.planned > 0 {
        parts.push(format!("{} planned", counts.planned));
    }
    parts.push(format!("{} unchanged", counts.unchanged));
    parts.push(format!("{} skipped", counts.skipped));
    parts.push(format!("{} failed", counts.failed));
    if counts.not_started > 0 {
        parts.push(format!("{} not started", counts.not_started));
    }
    parts.push(format!("{} with losses", counts.with_losses));
    parts.join(", ")
}

/// An apply's outcomes and a summary line.
pub fn apply_table(report: &ApplyReport) -> String {
    let mut out = outcomes_table(&report.connections);
    out.push_str(&format!(
        "Applied to {}{}: {}.\n",
        report.vendor,
        if report.interrupted {
            " until interrupted"
        } else {
            ""
        },
        summary(&report.connections)
    ));
    out
}

/// A migration's outcomes and a summary line.
pub fn migration_table(report: &MigrationReport) -> String {
    let mut out = outcomes_table(&report.connections);
    out.push_str(&format!(
        "{} {} -> {}{}: {}.\n",
        if report.dry_run {
            "Dry run"
        } else {
            "Migrated"
        },
        report.from,
        report.to,
        if report.interrupted {
            " until interrupted"
        } else {
            ""
        },
        summary(&report.connections)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let out = table(
            &["A", "BB"],
            &[vec!["xxx".into(), "y".into()], vec!["z".into(), "".into()]],
        );
        assert_eq!(out, "A    BB\nxxx  y\nz\n");
    }
}
