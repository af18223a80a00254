//! [`GenAuthProvider`]: the [`IdentityConnectionProvider`] for GenAuth, over core's HTTP client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use idconn_core::http::{Auth, HttpClient, HttpConfig, write_reconciled};
use idconn_core::{
    Application, Applications, Applied, Capabilities, Connection, Error,
    IdentityConnectionProvider, Page, PageRequest, Policy, Result, Settings, Translation,
    TranslationReport, Vendor, async_trait, purpose_losses, validate,
};
use serde_json::Value;

use crate::api::Api;
use crate::applications;
use crate::config::Config;
use crate::errors::GenAuthErrors;
use crate::mapping::{self, Intent, extras_keys};
use crate::placement::parent_for;
use crate::scan::{self, Cursor};
use crate::snapshots::Snapshots;
use crate::token::ManagementToken;
use crate::wire::{Conn, CreateConn, UpdateConn};
use crate::{CAPABILITIES, DEFAULT_PAGE_SIZE};

/// Remembered parents of at most this many connections (a cache, not a store).
const PARENT_HINTS: usize = 100_000;

/// GenAuth (Authing V3) ext-idp connections of one user pool.
pub struct GenAuthProvider {
    config: Config,
    api: Api,
    /// Connection id to parent identity source, learned from every read and write, so that
    /// `get`/`update`/`delete` of a connection seen before cost one `get-ext-idp`, not a scan.
    parents: Mutex<HashMap<String, String>>,
    /// Source-id lists of listings in progress.
    snapshots: Snapshots,
}

impl GenAuthProvider {
    /// A provider for `config`. Fails with [`Error::InvalidInput`] when the host is not https
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
        let mut http = HttpConfig::new(Vendor::GenAuth, config.host.clone())
            .with_header("x-authing-userpool-id", config.userpool_id.clone());
        http.allow_insecure_http = config.allow_insecure_http;
        http.retry = config.retry.clone();
        let tokens = ManagementToken::new(
            config.access_key_id.clone(),
            config.access_key_secret.clone(),
        );
        let client = HttpClient::new(http, GenAuthErrors, Auth::source(tokens))?;
        Ok(GenAuthProvider {
            api: Api::new(client, config.tenant_id.clone()),
            config,
            parents: Mutex::new(HashMap::new()),
            snapshots: Snapshots::default(),
        })
    }

    /// A provider from the `GENAUTH_*` environment variables ([`Config::from_env`]).
    pub fn from_env() -> Result<Self> {
        Self::new(Config::from_env()?)
    }

    /// A provider from `GENAUTH_*` pairs, for example a simulator's `env_vars()`
    /// ([`Config::from_vars`]).
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        Self::new(Config::from_vars(vars)?)
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
        Ok(mapping::from_wire(&conn))
    }

    /// The one translation flow: wire body and losses, purpose losses from the read-back,
    /// the policy, and what GenAuth will hold.
    /// The user pool's applications (as read before a write) and the ids `applications`
    /// means there, resolved before anything is written; `None` when the connection leaves
    /// its applications alone.
    async fn resolve(
        &self,
        applications: Option<&Applications>,
    ) -> Result<
        Option<(
            Vec<crate::wire::Application>,
            std::collections::BTreeSet<String>,
        )>,
    > {
        let Some(wanted) = applications else {
            return Ok(None);
        };
        let apps = applications::every_application(&self.api).await?;
        let ids = applications::directory(&apps).resolve(wanted)?;
        Ok(Some((apps, ids)))
    }

    fn translation(
        &self,
        connection: &Connection,
        policy: &Policy,
        intent: Intent,
    ) -> Result<(CreateConn, Translation)> {
        let (mut body, mut losses) = mapping::to_wire(connection, intent)?;
        if body.ext_idp_id.is_empty()
            && let crate::Placement::Fixed(id) = &self.config.placement
        {
            body.ext_idp_id.clone_from(id);
        }
        let mut held = mapping::from_wire(&mapping::held(&body));
        held.applications = applications::held(connection);
        losses.extend(purpose_losses(
            &connection.purpose,
            &held.purpose,
            "GenAuth connections always allow sign-in, switch only linking (loginOnly) and keep no upstream tokens",
        ));
        let report = TranslationReport {
            vendor: Vendor::GenAuth,
            connection: connection.name.clone(),
            losses,
        };
        policy.enforce(&report)?;
        let payload = mapping::printable(&body);
        Ok((
            body,
            Translation {
                connection: held,
                payload,
                report,
            },
        ))
    }

    /// Removes a parent created for a connection whose creation then failed for good, if it
    /// is still empty (so a concurrent writer's connection is never taken with it).
    async fn discard_parent(&self, parent: &str) {
        if let Ok(detail) = self.api.get_ext_idp(parent).await
            && detail.connections.is_empty()
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

/// `desired` over `current`: what the model does not say (extras, the stored secret when the
/// desired one is masked or absent, unmodelled `fields` keys) is taken from `current`.
fn merge_over(desired: &Connection, current: &Connection) -> Connection {
    let mut merged = desired.clone();
    merged.id.clone_from(&current.id);
    let current_extras = current.extras_for(Vendor::GenAuth);
    let mut extras = current_extras.clone();
    for (key, value) in desired.extras_for(Vendor::GenAuth) {
        match (key.as_str(), extras.get_mut(&key), value) {
            (extras_keys::FIELDS, Some(Value::Object(held)), Value::Object(wanted)) => {
                held.extend(wanted);
            }
            (_, _, value) => {
                extras.insert(key, value);
            }
        }
    }
    if !extras.is_empty() {
        merged.extras.insert(Vendor::GenAuth, extras);
    }
    // A switch the desired connection leaves unset (its vendor has none) keeps GenAuth's value:
    // the update omits loginOnly then.
    if merged.purpose.link.is_none() {
        merged.purpose.link = current.purpose.link;
    }
    match (&mut merged.settings, &current.settings) {
        (Settings::OAuth(want), Settings::OAuth(have)) => {
            if !want.client_secret.is_known() {
                want.client_secret = have.client_secret.clone();
            }
            if want.client_id.is_none() {
                want.client_id.clone_from(&have.client_id);
            }
        }
        (Settings::None, Settings::OAuth(_)) => merged.settings = current.settings.clone(),
        _ => {}
    }
    merged
}

/// Refuses changes `update-ext-idp-conn` cannot make (reference §1: `type`, `identifier` and
/// `extIdpId` are fixed).
fn check_immutable(desired: &Connection, current: &Connection) -> Result<()> {
    validate::unchanged(
        "name",
        "a GenAuth connection's identifier",
        current.name.as_str(),
        desired.name.as_str(),
    )?;
    validate::unchanged(
        "kind",
        "a GenAuth connection's type",
        &current.kind,
        &desired.kind,
    )?;
    let parent = |c: &Connection| {
        c.extras_for(Vendor::GenAuth)
            .get(extras_keys::EXT_IDP_ID)
            .cloned()
    };
    if let (Some(wanted), Some(held)) = (parent(desired), parent(current)) {
        validate::unchanged(
            "extras.genauth.extIdpId",
            "a GenAuth connection's identity source (extIdpId)",
            &text(&held),
            &text(&wanted),
        )?;
    }
    Ok(())
}

/// An extras value as shown in an error: a string without its JSON quotes.
fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
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
                Ok(found.map(|conn| {
                    self.remember(&conn);
                    mapping::from_wire(&conn)
                }))
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
        Ok(mapping::from_wire(&conn))
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
        Ok(found.map(|conn| {
            self.remember(&conn);
            mapping::from_wire(&conn)
        }))
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
        let (conns, next) = scan::page(
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
        let items = conns
            .iter()
            .map(|conn| {
                self.remember(conn);
                mapping::from_wire(conn)
            })
            .collect();
        Ok(Page {
            items,
            next: next.map(|c| c.encode()),
        })
    }

    async fn update(&self, id: &str, connection: &Connection, policy: &Policy) -> Result<Applied> {
        let stored = self.locate(id).await?.ok_or_else(|| not_found(id))?;
        let current = mapping::from_wire(&stored);
        check_immutable(connection, &current)?;
        let merged = merge_over(connection, &current);
        let (body, mut translation) = self.translation(&merged, policy, Intent::Update)?;
        // An update leaves read-only state as the server has it.
        translation.connection.extras = merged.extras.clone();
        let logo = match (body.logo, &current.logo_url) {
            (Some(logo), _) => Some(logo),
            // Clearing: GenAuth reads "" as no logo.
            (None, Some(_)) => Some(String::new()),
            (None, None) => None,
        };
        let update = UpdateConn {
            id: id.to_string(),
            display_name: body.display_name,
            fields: body.fields,
            logo,
            login_only: body.login_only,
            tenant_id: None,
        };
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
        Ok(applications::neutral(&apps))
    }

    async fn applications(&self, id: &str) -> Result<Applications> {
        self.locate(id).await?.ok_or_else(|| not_found(id))?;
        let apps = applications::every_application(&self.api).await?;
        let enabled = applications::enabled_for(&apps, id);
        Ok(applications::directory(&apps).names_of(enabled.iter().map(String::as_str)))
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
