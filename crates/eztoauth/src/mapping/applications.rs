//! Applications: Keycloak identity providers are realm-wide. No client representation names
//! them (Keycloak Admin REST API, `ClientRepresentation`), so every application of the
//! workspace may use every provider: "all applications" is held exactly, and a set is a loss.

use idconn_core::{Applications, Connection, Loss};

/// What ezto holds of the connection's applications: all of them, whatever was asked
/// (`None` when the connection leaves them alone).
pub fn held(connection: &Connection) -> Option<Applications> {
    connection.applications.as_ref().map(|_| Applications::All)
}

/// A set of applications is a loss: ezto lets every application use the connection. The empty
/// set is a widening too: a connection no application could use becomes one every
/// application can sign users in with.
pub fn losses(connection: &Connection) -> Vec<Loss> {
    match &connection.applications {
        Some(set @ Applications::Only(names)) => {
            let loss = Loss::changed(
                "applications",
                set.to_string(),
                Applications::All.to_string(),
                "Keycloak identity providers are realm-wide: every application of the realm may use them",
            );
            vec![if names.is_empty() {
                loss.widening()
            } else {
                loss
            }]
        }
        _ => Vec::new(),
    }
}
