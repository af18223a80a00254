//! Applications: Auth0 enables a connection per client, through
//! `PATCH /api/v2/connections/{id}/clients` (Management API v2; the connection's own
//! `enabled_clients` is deprecated and never sent, see
//! <https://auth0.com/docs/troubleshoot/product-lifecycle/deprecations-and-migrations>).

use idconn_core::{Application, Applications, Connection, Loss, Vendor, enabled_as_applications};

use crate::wire::{Client, ClientSwitch};

/// "The limit per PATCH request is 50 clients" (OAS `UpdateEnabledClientConnectionsRequestContent`).
pub const MAX_CLIENTS_PER_PATCH: usize = 50;

/// The applications a write gives the connection (`None`: leave the server's), with Auth0 having
/// no on/off switch on a connection: one that is off is enabled for no application.
pub fn held(connection: &Connection) -> Option<Applications> {
    enabled_as_applications(connection, Vendor::Auth0).0
}

/// What the connection's `enabled` and `applications` lose on Auth0.
pub fn losses(connection: &Connection) -> Vec<Loss> {
    enabled_as_applications(connection, Vendor::Auth0).1
}

/// The PATCH bodies that make the `(client_id, enabled)` switches, at most 50 each.
pub fn patches(switches: &[(String, bool)]) -> Vec<Vec<ClientSwitch>> {
    switches
        .chunks(MAX_CLIENTS_PER_PATCH)
        .map(|chunk| {
            chunk
                .iter()
                .map(|(client_id, status)| ClientSwitch {
                    client_id: client_id.clone(),
                    status: *status,
                })
                .collect()
        })
        .collect()
}

/// The neutral application of a client.
pub fn application_of(client: Client) -> Application {
    Application {
        id: client.client_id,
        name: client.name,
    }
}
