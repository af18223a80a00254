//! Reading migration reports in tests.

use idconn::{ConnectionOutcome, MigrationReport};

/// The strings, sorted: loss and note fields compared as sets.
pub fn sorted<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = fields.into_iter().map(str::to_string).collect();
    out.sort();
    out
}

/// The outcome of the source connection `name`.
pub fn outcome<'a>(report: &'a MigrationReport, name: &str) -> &'a ConnectionOutcome {
    report
        .connections
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("{name} is not in {report:?}"))
}
