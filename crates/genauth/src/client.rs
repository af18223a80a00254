//! [`GenAuthProvider`]: the [`IdentityConnectionProvider`] for GenAuth, over core's HTTP client.
//!
//! HTTP only: the typed V3 calls (`api`), management tokens (`token`), reading connections
//! through their identity sources (`scan`, and `snapshots`, the source ids a listing started
//! from), finding or creating a new connection's source (`placement`) and switching
//! applications (`applications`). Translation, reading records, update merging, the immutables
//! and the choice of parent are pure, in [`crate::mapping`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use idconn_core::http::{Auth, HttpClient, HttpConfig, write_reconciled};
use idconn_core::{
    Application, Applications, Applied, Capabilities, Connection, Error,
    IdentityConnectionProvider, Page, PageRequest, Policy, Result, Skipped, Translation, Vendor,
    async_trait,
};

use crate::config::{Config, GenAuthBuilder};
use crate::errors::GenAuthErrorMapper;
use crate::mapping::{self, Intent};
use crate::wire::{Conn, CreateConn};
use crate::{CAPABILITIES, DEFAULT_PAGE_SIZE};
use api::Api;
use placement::parent_for;
use scan::Cursor;
use snapshots::Snapshots;
use token::ManagementToken;

mod api;
mod applications;

/// The applications read before a write, and the ids the connection should be on for.
type Resolved = (
    Vec<crate::wire::Application>,
    std::collections::BTreeSet<String>,
);
mod placement;
mod scan;
mod snapshots;
mod token;

/// Remembered parents of at most this many connections (a cache, not a store).
const PARENT_HINTS: usize = 100_000;

/// GenAuth (Authing V3) ext-idp connections of one user pool. Clones share the HTTP client,
/// the token and the caches.
#[derive(Clone)]
pub struct GenAuthProvider {
    config: Config,
    api: Api,
    /// Connection id to parent identity source, learned from every read and write, so that
    /// `get`/`update`/`delete` of a connection seen before cost one `get-ext-idp`, not a scan.
    parents: Arc<Mutex<HashMap<String, String>>>,
    /// Source-id lists of listings in progress.
    snapshots: Arc<Snapshots>,
}

impl GenAuthProvider {
    /// A provider for `config` ([`GenAuthBuilder`] is the usual way to get one). Fails with [`Error::InvalidInput`] when the host is not https
    /// (loopback excepted, or `allow_insecure_http`) or a setting cannot go in a header.
    pub fn new(config: Config) -> Result<Self> {
        for (field, value) in [
            ("userpool_id", &config.userpool_id),
            ("access_key_id", &config.access_key_id),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid(field, "must not be empty"));
            }
        }
        // The Authing SDKs name the user pool in `x-authing-userpool-id`, GenAuth's rebranded
        // ones (PyPI `genauth`, `@genauth` for Node) in `x-genauth-userpool-id`: both are sent,
        // so either host generation finds it.
        let mut http = HttpConfig::new(Vendor::GenAuth, config.host.clone())
            .with_header("x-authing-userpool-id", config.userpool_id.clone())
            .with_header("x-genauth-userpool-id", config.userpool_id.clone());
        http.allow_insecure_http = config.allow_insecure_http;
        http.retry = config.retry.clone();
        if let Some(timeout) = config.timeout {
            http.timeout = timeout;
        }
        http.rate_limit = config.rate_limit;
        let tokens = ManagementToken::new(
            config.access_key_id.clone(),
            config.access_key_secret.clone(),
        );
        let client = HttpClient::new(http, GenAuthErrorMapper, Auth::source(tokens))?;
        Ok(GenAuthProvider {
            api: Api::new(client, config.tenant_id.clone()),
            config,
            parents: Arc::default(),
            snapshots: Arc::default(),
        })
    }

    /// A provider from the `GENAUTH_*` environment variables ([`GenAuthBuilder::from_env`]).
    pub fn from_env() -> Result<Self> {
        GenAuthBuilder::from_env().build()
    }

    /// A provider from `GENAUTH_*` pairs, for example a simulator's `env_vars()`
    /// ([`GenAuthBuilder::from_vars`]).
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        GenAuthBuilder::from_vars(vars).build()
    }

    /// The settings in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn remember(&self, conn: &Conn) {
        if conn.ext_idp_id.is_empty() {
            return;
        }
        let mut parents = self.parents.lock().unwrap_or_else(|e| e.into_inner());
        if parents.len() >= PARENT_HINTS {
            parents.clear();
        }
        parents.insert(conn.id.clone(), conn.ext_idp_id.clone());
    }

    fn hinted_parent(&self, id: &str) -> Option<String> {
        let parents = self.parents.lock().unwrap_or_else(|e| e.into_inner());
        parents.get(id).cloned()
    }

    fn forget(&self, id: &str) {
        let mut parents = self.parents.lock().unwrap_or_else(|e| e.into_inner());
        parents.remove(id);
    }

    /// The stored connection `id` (with `fields`): one `get-ext-idp` when its parent is known,
    /// otherwise a scan of every identity source ([`scan::find`]).
    async fn locate(&self, id: &str) -> Result<Option<Conn>> {
        if let Some(parent) = self.hinted_parent(id)
            && let Some(conn) = scan::in_parent(&self.api, &parent, |c| c.id == id).await?
        {
            return Ok(Some(conn));
        }
        let found = scan::find(
            &self.api,
            self.config.scan_concurrency,
            |_| false,
            |c| c.id == id,
        )
        .await?;
        match &found {
            Some(conn) => self.remember(conn),
            None => self.forget(id),
        }
        Ok(found)
    }

    /// Reads connection `id` back from its parent (create and update answers omit `fields`).
    async fn read_back(&self, parent: &str, id: &str) -> Result<Connection> {
        let conn = scan::in_parent(&self.api, parent, |c| c.id == id)
            .await?
            .ok_or_else(|| not_found(id))?;
        self.remember(&conn);
        mapping::from_wire(&conn)
    }

    /// The user pool's applications (as read before a write) and the ids `applications`
    /// means there, resolved before anything is written; `None` when the connection leaves
    /// its applications alone.
    async fn resolve(&self, applications: Option<&Applications>) -> Result<Option<Resolved>> {
        let Some(wanted) = applications else {
            return Ok(None);
        };
        let apps = applications::every_application(&self.api).await?;
        let ids = mapping::applications::directory(&apps).resolve(wanted)?;
        Ok(Some((apps, ids)))
    }

    /// [`mapping::translate`] with this provider's fixed parent, if any.
    fn translation(
        &self,
        connection: &Connection,
        policy: &Policy,
        intent: Intent,
    ) -> Result<(CreateConn, Translation)> {
        mapping::translate(
            connection,
            policy,
            intent,
            self.config.placement.fixed_parent(),
        )
    }

    /// Removes a parent created for a connection whose creation then failed for good, if it
    /// is still empty (so a concurrent writer's connection is never taken with it).
    async fn discard_parent(&self, parent: &str) {
        if let Ok(detail) = self.api.get_ext_idp(parent).await
            && detail.connections.items.is_empty()
            && detail.connections.rejected.is_empty()
            && let Err(error) = self.api.delete_ext_idp(parent).await
        {
            tracing::warn!(%error, "could not remove the identity source created for a failed create");
        }
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        vendor: Vendor::GenAuth,
        what: format!("connection {id}"),
    }
}

#[async_trait]
impl IdentityConnectionProvider for GenAuthProvider {
    fn vendor(&self) -> Vendor {
        Vendor::GenAuth
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    fn translate(&self, connection: &Connection, policy: &Policy) -> Result<Translation> {
        Ok(self.translation(connection, policy, Intent::Create)?.1)
    }

    async fn create(&self, connection: &Connection, policy: &Policy) -> Result<Applied> {
        let (mut body, translation) = self.translation(connection, policy, Intent::Create)?;
        let wanted = self
            .resolve(translation.connection.applications.as_ref())
            .await?;
        let mut created_parent = false;
        if body.ext_idp_id.is_empty() {
            let (parent, created) = parent_for(
                &self.api,
                &self.config.placement,
                &body.kind,
                &body.identifier,
            )
            .await?;
            body.ext_idp_id = parent;
            created_parent = created;
        }
        let parent = body.ext_idp_id.clone();
        let identifier = body.identifier.clone();
        let outcome = write_reconciled(
            self.api.http().retry_config(),
            || async {
                let conn = self.api.create_conn(&body).await?;
                self.read_back(&parent, &conn.id).await
            },
            || async {
                let found =
                    scan::in_parent(&self.api, &parent, |c| c.identifier == identifier).await?;
                found
                    .map(|conn| {
                        self.remember(&conn);
                        mapping::from_wire(&conn)
                    })
                    .transpose()
            },
        )
        .await;
        match outcome {
            Ok(mut connection) => {
                if let (Some(id), Some((apps, wanted))) = (&connection.id, &wanted) {
                    applications::converge(&self.api, id, apps, wanted).await?;
                    connection.applications = translation.connection.applications;
                }
                Ok(Applied {
                    connection,
                    report: translation.report,
                })
            }
            Err(error) => {
                if created_parent && !error.is_ambiguous() {
                    self.discard_parent(&parent).await;
                }
                Err(error)
            }
        }
    }

    async fn get(&self, id: &str) -> Result<Connection> {
        let conn = self.locate(id).await?.ok_or_else(|| not_found(id))?;
        mapping::from_wire(&conn)
    }

    async fn find(&self, name: &str) -> Result<Option<Connection>> {
        // Default placement names a connection's source after it: read those sources first.
        let found = scan::find(
            &self.api,
            self.config.scan_concurrency,
            |idp| idp.name == name,
            |c| c.identifier == name,
        )
        .await?;
        found
            .map(|conn| {
                self.remember(&conn);
                mapping::from_wire(&conn)
            })
            .transpose()
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Connection>> {
        let cursor = page.cursor.as_deref().map(Cursor::parse).transpose()?;
        let size = page.size_within(DEFAULT_PAGE_SIZE, CAPABILITIES.max_page_size) as usize;
        let held = cursor
            .as_ref()
            .and_then(|c| c.snapshot)
            .and_then(|token| Some((token, self.snapshots.get(token)?)));
        let (token, ids) = match held {
            Some(held) => held,
            None => {
                let ids = Arc::new(scan::source_ids(&self.api).await?);
                (self.snapshots.put(Arc::clone(&ids)), ids)
            }
        };
        let (conns, mut skipped, next) = scan::page(
            &self.api,
            self.config.scan_concurrency,
            &ids,
            cursor.as_ref(),
            size,
        )
        .await?;
        let next = next.map(|c| Cursor {
            snapshot: Some(token),
            ..c
        });
        let mut items = Vec::with_capacity(conns.len());
        for conn in &conns {
            // One record that cannot be read never fails the page: it is reported and skipped.
            match mapping::from_wire(conn) {
                Ok(connection) => {
                    self.remember(conn);
                    items.push(connection);
                }
                Err(error) => skipped.push(Skipped {
                    record: conn.id.clone(),
                    reason: error.to_string(),
                }),
            }
        }
        Ok(Page {
            items,
            next: next.map(|c| c.encode()),
            skipped,
        })
    }

    async fn update(&self, id: &str, connection: &Connection, policy: &Policy) -> Result<Applied> {
        let stored = self.locate(id).await?.ok_or_else(|| not_found(id))?;
        let current = mapping::from_wire(&stored)?;
        let merged = mapping::for_update(&current, connection)?;
        let (body, translation) = self.translation(&merged, policy, Intent::Update)?;
        let update = mapping::update_body(id, body, &current);
        let wanted = self
            .resolve(translation.connection.applications.as_ref())
            .await?;
        self.api.update_conn(&update).await?;
        let mut connection = self.read_back(&stored.ext_idp_id, id).await?;
        if let Some((apps, wanted)) = &wanted {
            applications::converge(&self.api, id, apps, wanted).await?;
            connection.applications = translation.connection.applications;
        }
        Ok(Applied {
            connection,
            report: translation.report,
        })
    }

    async fn delete(&self, id: &str) -> Result<()> {
        write_reconciled(
            self.api.http().retry_config(),
            || async { self.api.delete_conn(id).await.map(|_| ()) },
            // After an ambiguous failure: gone means the earlier attempt deleted it.
            || async { Ok(self.locate(id).await?.is_none().then_some(())) },
        )
        .await?;
        self.forget(id);
        Ok(())
    }

    async fn list_applications(&self) -> Result<Vec<Application>> {
        let apps = applications::every_application(&self.api).await?;
        Ok(mapping::applications::neutral(&apps))
    }

    async fn applications(&self, id: &str) -> Result<Applications> {
        self.locate(id).await?.ok_or_else(|| not_found(id))?;
        let apps = applications::every_application(&self.api).await?;
        let enabled = mapping::applications::enabled_for(&apps, id);
        Ok(mapping::applications::directory(&apps).names_of(enabled.iter().map(String::as_str)))
    }
}

/// A secret never reaches `Debug`: only the configuration's redacted form is shown.
impl std::fmt::Debug for GenAuthProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GenAuthProvider")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}
