//! [`Auth0Provider`]: the `IdentityConnectionProvider` of Auth0, HTTP through core.

use std::collections::BTreeSet;

use idconn_core::http::{ApiRequest, HttpClient, HttpConfig, segment, write_reconciled};
use idconn_core::{
    Application, ApplicationDirectory, Applications, Applied, Capabilities, Connection, Error,
    IdentityConnectionProvider, Page, PageRequest, Policy, Result, Skipped, Translation, Vendor,
    application_switches, async_trait,
};
use serde::de::DeserializeOwned;

use crate::CAPABILITIES;
use crate::config::{Auth0Builder, Config};
use crate::errors::Auth0ErrorMapper;
use crate::mapping::{self, is_valid_name};
use crate::wire;

const CONNECTIONS: &str = "/api/v2/connections";
const CLIENTS: &str = "/api/v2/clients";
/// OAS `GET /clients`: `take` is at most 100.
const CLIENTS_PAGE: u32 = 100;
/// OAS `GET /connections/{id}/clients`: `take` is at most 1000.
const ENABLED_CLIENTS_PAGE: u32 = 1000;
/// The largest checkpoint page Auth0 documents for `GET /api/v2/connections` (`take`: 1 to 100,
/// Management API v2 OpenAPI, https://auth0.com/docs/api/management/v2/connections/get-connections):
/// fewer round trips for a long listing.
const DEFAULT_PAGE_SIZE: u32 = 100;

/// Auth0 connections through the Management API v2.
///
/// ```no_run
/// use idconn_auth0::Auth0Builder;
/// use idconn_core::{Connection, ConnectionKind, Credentials, IdentityConnectionProvider, Policy};
/// # async fn demo() -> idconn_core::Result<()> {
/// let provider = Auth0Builder::new()
///     .with_domain("acme.eu.auth0.com")
///     .with_credentials(Credentials::client("client-id", "client-secret"))
///     .build()?;
/// let applied = provider
///     .create(&Connection::new("acme-sso", ConnectionKind::Oidc), &Policy::STRICT)
///     .await?;
/// println!("created {:?}", applied.connection.id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Auth0Provider {
    http: HttpClient,
}

impl Auth0Provider {
    /// A provider for the tenant `config` describes ([`Auth0Builder`] is the usual way to get
    /// one). Fails when the base URL is not https (loopback aside, unless insecure http is
    /// allowed).
    pub fn new(config: Config) -> Result<Self> {
        let mut http = HttpConfig::new(Vendor::Auth0, config.api_base()?);
        http.allow_insecure_http = config.insecure_http_allowed();
        if let Some(retry) = config.retry() {
            http.retry = retry.clone();
        }
        if let Some(timeout) = config.timeout() {
            http.timeout = timeout;
        }
        http.rate_limit = config.rate_limit();
        // The audience carries the trailing slash (Auth0 docs, "Get Management API Access
        // Tokens for Production").
        let auth = config.credentials().auth("/oauth/token", |grant| {
            grant.with_param("audience", config.audience())
        });
        Ok(Auth0Provider {
            http: HttpClient::new(http, Auth0ErrorMapper, auth)?,
        })
    }

    /// A provider configured from `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET`,
    /// and optionally `AUTH0_TOKEN`, `AUTH0_BASE_URL` and `AUTH0_ALLOW_INSECURE_HTTP`
    /// ([`Auth0Builder::from_env`]).
    pub fn from_env() -> Result<Self> {
        Auth0Builder::from_env().build()
    }

    /// A provider configured from `AUTH0_*` pairs, for example a simulator's `env_vars()`
    /// ([`Auth0Builder::from_vars`]).
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        Auth0Builder::from_vars(vars).build()
    }

    async fn fetch(&self, id: &str) -> Result<wire::Connection> {
        let request = ApiRequest::get(format!("{CONNECTIONS}/{}", segment(id))).operation("get");
        self.http
            .send_json(request)
            .await
            .map_err(|e| name_not_found(e, id))
    }

    async fn find_wire(&self, name: &str) -> Result<Option<wire::Connection>> {
        // Names Auth0 cannot hold cannot exist there.
        if !is_valid_name(name) {
            return Ok(None);
        }
        let request = ApiRequest::get(CONNECTIONS)
            .query("name", name)
            .query("take", 1)
            .operation("find");
        let page: wire::CheckpointPage = self.http.send_json(request).await?;
        Ok(page.connections.items.into_iter().find(|c| c.name == name))
    }
}

/// A checkpoint page: its items and the `from` of the next page.
trait Checkpointed: DeserializeOwned {
    type Item;
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

impl Checkpointed for wire::ClientsPage {
    type Item = wire::Client;
    fn into_parts(self) -> (Vec<wire::Client>, Option<String>) {
        (self.clients, self.next)
    }
}

impl Checkpointed for wire::EnabledClientsPage {
    type Item = wire::EnabledClient;
    fn into_parts(self) -> (Vec<wire::EnabledClient>, Option<String>) {
        (self.clients, self.next)
    }
}

impl Auth0Provider {
    /// Every item of a checkpoint-paged list, following `next` until the last page.
    async fn every_page<P: Checkpointed>(&self, request: ApiRequest) -> Result<Vec<P::Item>> {
        let mut items = Vec::new();
        let mut from: Option<String> = None;
        loop {
            let mut page = request.clone();
            if let Some(cursor) = &from {
                page = page.query("from", cursor);
            }
            let (mut batch, next) = self.http.send_json::<P>(page).await?.into_parts();
            items.append(&mut batch);
            match next.filter(|n| !n.is_empty()) {
                Some(next) => from = Some(next),
                None => return Ok(items),
            }
        }
    }

    /// The tenant's applications, read once for resolving names.
    async fn directory(&self) -> Result<ApplicationDirectory> {
        Ok(ApplicationDirectory::new(
            Vendor::Auth0,
            self.list_applications().await?,
        ))
    }

    /// The ids of the clients connection `id` is enabled for.
    async fn enabled_clients(&self, id: &str) -> Result<BTreeSet<String>> {
        let request = ApiRequest::get(format!("{CONNECTIONS}/{}/clients", segment(id)))
            .query("take", ENABLED_CLIENTS_PAGE)
            .operation("read applications");
        let clients = self
            .every_page::<wire::EnabledClientsPage>(request)
            .await
            .map_err(|e| name_not_found(e, id))?;
        Ok(clients.into_iter().map(|c| c.client_id).collect())
    }

    /// Enables connection `id` for exactly the clients `wanted`, changing only those whose
    /// state differs, at most 50 a request. Each request states its clients' final state, so
    /// sending it twice is harmless.
    async fn converge_applications(&self, id: &str, wanted: &BTreeSet<String>) -> Result<()> {
        let current = self.enabled_clients(id).await?;
        let switches = application_switches(&current, wanted);
        for body in mapping::applications::patches(&switches) {
            let request = ApiRequest::patch(format!("{CONNECTIONS}/{}/clients", segment(id)))
                .json(&body)?
                .operation("write applications")
                .idempotent(true);
            self.http.send(request).await?;
        }
        Ok(())
    }

    /// The client ids `applications` means on this tenant, resolved before any write; `None`
    /// when the connection leaves its applications alone.
    async fn resolve(
        &self,
        applications: Option<&Applications>,
    ) -> Result<Option<BTreeSet<String>>> {
        match applications {
            Some(applications) => Ok(Some(self.directory().await?.resolve(applications)?)),
            None => Ok(None),
        }
    }
}

/// A NotFound names the connection asked for rather than repeating the vendor's sentence.
fn name_not_found(error: Error, id: &str) -> Error {
    match error {
        Error::NotFound { vendor, .. } => Error::NotFound {
            vendor,
            what: format!("connection {id}"),
        },
        other => other,
    }
}

#[async_trait]
impl IdentityConnectionProvider for Auth0Provider {
    fn vendor(&self) -> Vendor {
        Vendor::Auth0
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    fn translate(&self, connection: &Connection, policy: &Policy) -> Result<Translation> {
        mapping::translate(connection, policy)
    }

    async fn create(&self, connection: &Connection, policy: &Policy) -> Result<Applied> {
        // Not `translate`: a create needs neither the printable payload nor the read-back.
        let (payload, report) = mapping::plan_create(connection, policy)?;
        let applications = mapping::applications::held(connection);
        let wanted = self.resolve(applications.as_ref()).await?;
        let request = ApiRequest::post(CONNECTIONS)
            .json(&payload)?
            .operation("create");
        let http = &self.http;
        let created: wire::Connection = write_reconciled(
            http.retry_config(),
            || {
                let request = request.clone();
                async move { http.send_json(request).await }
            },
            || self.find_wire(&payload.name),
        )
        .await?;
        let mut connection = mapping::from_wire_owned(created)?;
        if let (Some(id), Some(wanted)) = (&connection.id, &wanted) {
            self.converge_applications(id, wanted).await?;
            connection.applications = applications;
        }
        Ok(Applied { connection, report })
    }

    async fn get(&self, id: &str) -> Result<Connection> {
        mapping::from_wire_owned(self.fetch(id).await?)
    }

    async fn find(&self, name: &str) -> Result<Option<Connection>> {
        self.find_wire(name)
            .await?
            .as_ref()
            .map(mapping::from_wire)
            .transpose()
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Connection>> {
        let take = page.size_within(DEFAULT_PAGE_SIZE, CAPABILITIES.max_page_size);
        // Checkpoint pagination: the only kind that reaches past 1000 connections (OAS).
        let mut request = ApiRequest::get(CONNECTIONS)
            .query("take", take)
            .operation("list");
        if let Some(cursor) = &page.cursor {
            request = request.query("from", cursor);
        }
        let answer: wire::CheckpointPage = self.http.send_json(request).await?;
        // One record that cannot be read never fails the page: it is reported and skipped.
        let mut skipped: Vec<Skipped> = answer
            .connections
            .rejected
            .iter()
            .map(|(raw, why)| Skipped::of(raw, &["name", "id"], why.clone()))
            .collect();
        let mut items = Vec::with_capacity(answer.connections.items.len());
        for wire in answer.connections.items {
            let name = wire.name.clone();
            match mapping::from_wire_owned(wire) {
                Ok(connection) => items.push(connection),
                Err(error) => skipped.push(Skipped {
                    record: name,
                    reason: error.to_string(),
                }),
            }
        }
        Ok(Page {
            items,
            next: answer.next.filter(|n| !n.is_empty()),
            skipped,
        })
    }

    async fn update(&self, id: &str, connection: &Connection, policy: &Policy) -> Result<Applied> {
        // Local checks first, so a connection that could never be written sends nothing.
        mapping::to_wire(connection)?;
        let current = self.fetch(id).await?;
        // The policy sees the update's real losses (the server keeps its secret and unmodelled
        // options), and refuses before the PATCH.
        let (body, report) = mapping::plan_update(connection, &current, policy)?;
        let applications = mapping::applications::held(connection);
        let wanted = self.resolve(applications.as_ref()).await?;
        // The body states the whole desired connection, so sending it twice is harmless.
        let request = ApiRequest::patch(format!("{CONNECTIONS}/{}", segment(id)))
            .json(&body)?
            .operation("update")
            .idempotent(true);
        let updated: wire::Connection = self
            .http
            .send_json(request)
            .await
            .map_err(|e| name_not_found(e, id))?;
        let mut connection = mapping::from_wire_owned(updated)?;
        if let Some(wanted) = &wanted {
            self.converge_applications(id, wanted).await?;
            connection.applications = applications;
        }
        Ok(Applied { connection, report })
    }

    async fn delete(&self, id: &str) -> Result<()> {
        // 202 `{deleted_at}` while deleting, 204 when it no longer exists (OAS, TF-REC).
        let request =
            ApiRequest::delete(format!("{CONNECTIONS}/{}", segment(id))).operation("delete");
        self.http
            .send(request)
            .await
            .map_err(|e| name_not_found(e, id))?;
        Ok(())
    }

    async fn list_applications(&self) -> Result<Vec<Application>> {
        // Checkpoint paging (`take` without `page`) answers `{clients, next}`; asking for two
        // fields keeps client secrets off the wire.
        let request = ApiRequest::get(CLIENTS)
            .query("fields", "client_id,name")
            .query("include_fields", true)
            .query("take", CLIENTS_PAGE)
            .operation("list applications");
        let clients = self.every_page::<wire::ClientsPage>(request).await?;
        Ok(clients
            .into_iter()
            .map(mapping::applications::application_of)
            .collect())
    }

    async fn applications(&self, id: &str) -> Result<Applications> {
        let enabled = self.enabled_clients(id).await?;
        Ok(self
            .directory()
            .await?
            .names_of(enabled.iter().map(String::as_str)))
    }
}
