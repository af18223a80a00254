//! Applications: GenAuth switches a connection on per application with
//! `POST /api/v3/change-ext-idp-conn-state`, and shows the switches in each application's
//! `loginConfig.enabledExtIdpConns` (Authing V3 management API, `ApplicationDto`). Reading one
//! connection's applications therefore reads every application.

use std::collections::BTreeSet;

use idconn_core::{
    Application, ApplicationDirectory, Applications, Connection, Loss, Result, Vendor,
    application_switches, enabled_as_applications,
};

use crate::api::Api;
use crate::wire;

/// SPEC `list-applications`: "每页数目，最大不能超过 50".
const PAGE_LIMIT: u32 = 50;

/// The applications a write gives the connection (`None`: leave the server's), GenAuth having
/// no on/off switch on a connection: one that is off is on for no application.
pub fn held(connection: &Connection) -> Option<Applications> {
    enabled_as_applications(connection, Vendor::GenAuth).0
}

/// What the connection's `enabled` and `applications` lose on GenAuth.
pub fn losses(connection: &Connection) -> Vec<Loss> {
    enabled_as_applications(connection, Vendor::GenAuth).1
}

/// Every application of the user pool, page by page.
pub async fn every_application(api: &Api) -> Result<Vec<wire::Application>> {
    let mut all = Vec::new();
    for page in 1.. {
        let answer = api.list_applications(page, PAGE_LIMIT).await?;
        let got = answer.list.len();
        all.extend(answer.list);
        if got < PAGE_LIMIT as usize || all.len() as u64 >= answer.total_count {
            break;
        }
    }
    Ok(all)
}

/// The neutral applications.
pub fn neutral(applications: &[wire::Application]) -> Vec<Application> {
    applications
        .iter()
        .map(|app| Application {
            id: app.app_id.clone(),
            name: app.app_name.clone(),
        })
        .collect()
}

/// The directory for resolving names.
pub fn directory(applications: &[wire::Application]) -> ApplicationDirectory {
    ApplicationDirectory::new(Vendor::GenAuth, neutral(applications))
}

/// The ids of the applications connection `id` is switched on for (an item without
/// `enabled` counts as on).
pub fn enabled_for(applications: &[wire::Application], id: &str) -> BTreeSet<String> {
    applications
        .iter()
        .filter(|app| {
            app.login_config.as_ref().is_some_and(|config| {
                config
                    .enabled_ext_idp_conns
                    .iter()
                    .any(|conn| conn.ext_idp_conn_id == id && conn.enabled != Some(false))
            })
        })
        .map(|app| app.app_id.clone())
        .collect()
}

/// Switches connection `id` on for exactly `wanted` (application ids), given the applications
/// as read before the write, one request per application whose state changes.
pub async fn converge(
    api: &Api,
    id: &str,
    applications: &[wire::Application],
    wanted: &BTreeSet<String>,
) -> Result<()> {
    for (app_id, enabled) in application_switches(&enabled_for(applications, id), wanted) {
        api.change_conn_state(id, &app_id, enabled).await?;
    }
    Ok(())
}
