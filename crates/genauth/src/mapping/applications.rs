//! Applications: GenAuth switches a connection on per application with
//! `POST /api/v3/change-ext-idp-conn-state`, and shows the switches in each application's
//! `loginConfig.enabledExtIdpConns` (Authing V3 management API, `ApplicationDto`).

use std::collections::BTreeSet;

use idconn_core::{
    Application, ApplicationDirectory, Applications, Connection, Loss, Vendor,
    enabled_as_applications,
};

use crate::wire;

/// The applications a write gives the connection (`None`: leave the server's), GenAuth having
/// no on/off switch on a connection: one that is off is on for no application.
pub fn held(connection: &Connection) -> Option<Applications> {
    enabled_as_applications(connection, Vendor::GenAuth).0
}

/// What the connection's `enabled` and `applications` lose on GenAuth.
pub fn losses(connection: &Connection) -> Vec<Loss> {
    enabled_as_applications(connection, Vendor::GenAuth).1
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
