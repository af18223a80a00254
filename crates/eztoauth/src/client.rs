//! [`EztoProvider`]: the [`IdentityConnectionProvider`] for ezto auth and plain Keycloak, over
//! core's HTTP client; [`KeycloakProvider`] is the same provider under Keycloak's name.
//!
//! Routes (under `{host}{prefix}/admin/realms/{workspace}`):
//! `POST /identity-provider/instances` (201 + `Location`, empty body),
//! `GET /identity-provider/instances?first=&max=`, and `GET | PUT | DELETE
//! /identity-provider/instances/{alias}` (PUT and DELETE answer 204; ezto documents a body on
//! update, so a 200 with one is accepted too).
//!
//! **Which id.** [`Connection::id`] holds Keycloak's `internalId`. Every
//! `/instances/{key}` route resolves its key as an alias *or* an internal id (Keycloak
//! `getByIdOrAlias`; the pre-17 versions ezto runs match either too), so [`get`], [`update`]
//! and [`delete`] accept what `Connection::id` holds and, equally, the alias.
//!
//! **Mappers.** A provider's attribute mappers live at `.../instances/{alias}/mappers`
//! (`GET`, `POST` 201 + `Location`; `PUT | DELETE .../mappers/{id}`, 204). [`get`] and [`find`]
//! read them; [`list`] does not (one request per page, not per provider): its connections have
//! no `attribute_map`, and [`complete`] adds it, which `list_all_complete` (export, plan,
//! migrate) calls a bounded number at a time through the client's rate-limit gate. [`create`]
//! creates the provider, then its mappers; [`update`] writes the provider, then reconciles the
//! mappers by name: creates, updates, and deletes the ones the model reads, never a mapper of
//! a kind it does not model. Each mapper is one request: a failure is an error naming the
//! mapper, and a create whose answer was lost looks the name up before trying again.
//!
//! [`get`]: IdentityConnectionProvider::get
//! [`find`]: IdentityConnectionProvider::find
//! [`list`]: IdentityConnectionProvider::list
//! [`complete`]: IdentityConnectionProvider::complete
//! [`create`]: IdentityConnectionProvider::create
//! [`update`]: IdentityConnectionProvider::update
//! [`delete`]: IdentityConnectionProvider::delete

use idconn_core::http::{ApiRequest, HttpClient, HttpConfig, segment, write_reconciled};
use idconn_core::{
    Application, Applications, Applied, Capabilities, Connection, Error,
    IdentityConnectionProvider, Lenient, Page, PageRequest, Policy, Result, Skipped, Translation,
    Vendor, async_trait,
};

use crate::DEFAULT_PAGE_SIZE;
use crate::config::{Config, EztoBuilder, KeycloakBuilder};
use crate::errors::{KeycloakErrorMapper, in_mapper};
use crate::mapping::mappers::{self, MapperWrite};
use crate::mapping::{self, for_update, from_wire, is_valid_name};
use crate::wire::{IdentityProvider, IdentityProviderMapper};

/// Manages the identity providers of one ezto workspace (or Keycloak realm).
#[derive(Debug, Clone)]
pub struct EztoProvider {
    /// [`Vendor::Ezto`] or [`Vendor::Keycloak`], from the config.
    vendor: Vendor,
    http: HttpClient,
    /// `/admin/realms/{workspace}/identity-provider/instances`, relative to `{host}{prefix}`.
    instances: String,
}

impl EztoProvider {
    /// A provider for `config` ([`EztoBuilder`] is the usual way to get one).
    pub fn new(config: Config) -> Result<Self> {
        config.validate()?;
        if !mapping::serves(config.vendor) {
            return Err(Error::invalid(
                "vendor",
                format!(
                    "{} is not served by the ezto backend (eztoauth or keycloak)",
                    config.vendor
                ),
            ));
        }
        let mut http_config = HttpConfig::new(config.vendor, config.base_url()?);
        http_config.allow_insecure_http = config.allow_insecure_http;
        if let Some(retry) = &config.retry {
            http_config.retry = retry.clone();
        }
        if let Some(timeout) = config.timeout {
            http_config.timeout = timeout;
        }
        http_config.rate_limit = config.rate_limit;
        let token_path = format!(
            "/realms/{}/protocol/openid-connect/token",
            segment(config.token_realm())
        );
        let auth = config.credentials.auth(token_path, |grant| grant);
        Ok(EztoProvider {
            vendor: config.vendor,
            http: HttpClient::new(http_config, KeycloakErrorMapper, auth)?,
            instances: format!(
                "/admin/realms/{}/identity-provider/instances",
                segment(&config.workspace)
            ),
        })
    }

    /// A provider configured from `EZTO_*` environment variables ([`EztoBuilder::from_env`]).
    pub fn from_env() -> Result<Self> {
        EztoBuilder::from_env().build()
    }

    /// A provider configured from `EZTO_*` pairs, for example a simulator's `env_vars()`
    /// ([`EztoBuilder::from_vars`]).
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        EztoBuilder::from_vars(vars).build()
    }

    /// The path of one provider. `key` is an alias or an internal id; `.` and `..` cannot be
    /// sent as a path segment at all (a URL resolves them away), so such an alias is refused
    /// here with the way round it: the provider's internal id.
    fn instance(&self, key: &str) -> Result<String> {
        if is_dot_segment(key) {
            return Err(Error::invalid(
                "id",
                format!(
                    "ezto addresses an identity provider in the URL path, where the alias \"{key}\" \
                     cannot be sent (`.` and `..` are path steps, not names); address it by its \
                     internal id (the connection's `id`, shown by `idconn list`) instead"
                ),
            ));
        }
        Ok(format!("{}/{}", self.instances, segment(key)))
    }

    /// The key that addresses `idp` in a path: its alias, or its internal id when the alias
    /// is `.` or `..` (Keycloak's `getByIdOrAlias` accepts either).
    fn key_of<'a>(idp: &'a IdentityProvider, fallback: &'a str) -> &'a str {
        match (idp.alias.as_deref(), idp.internal_id.as_deref()) {
            (Some(alias), Some(id)) if is_dot_segment(alias) => id,
            (Some(alias), _) => alias,
            (None, Some(id)) => id,
            (None, None) => fallback,
        }
    }

    async fn read(&self, key: &str) -> Result<IdentityProvider> {
        self.http
            .send_json(ApiRequest::get(self.instance(key)?).operation("get"))
            .await
    }

    /// Providers whose alias is exactly `alias`, by Keycloak's exact search (`"alias"`).
    async fn search_exact(&self, alias: &str) -> Result<Option<IdentityProvider>> {
        let request = ApiRequest::get(self.instances.clone())
            .query("search", format!("\"{alias}\""))
            .query("max", 10)
            .operation("find");
        let found: Vec<IdentityProvider> = self.http.send_json(request).await?;
        Ok(found
            .into_iter()
            .find(|idp| idp.alias.as_deref() == Some(alias)))
    }

    /// One POST; on 201 reads back what the `Location` header names (the alias).
    async fn post(&self, payload: &IdentityProvider) -> Result<IdentityProvider> {
        let request = ApiRequest::post(self.instances.clone())
            .json(payload)?
            .operation("create");
        let response = self.http.send(request).await?;
        let alias = payload.alias.clone().unwrap_or_default();
        let key = response
            .header("location")
            .and_then(|location| location.rsplit('/').next())
            .map(|tail| tail.split(['?', '#']).next().unwrap_or(tail))
            .filter(|tail| !tail.is_empty())
            .map(crate::errors::decode_segment)
            .unwrap_or(alias);
        self.read(&key).await
    }

    /// The provider whose alias is exactly `alias`, if any.
    async fn by_alias(&self, alias: &str) -> Result<Option<IdentityProvider>> {
        if !is_valid_name(alias) {
            return Ok(None); // Keycloak cannot hold it, so no provider has it.
        }
        if is_dot_segment(alias) {
            // Cannot go in the path: an older client may have created it, so search for it.
            return self.search_exact(alias).await;
        }
        match self.read(alias).await {
            Ok(idp) if idp.alias.as_deref() == Some(alias) => Ok(Some(idp)),
            // The key matched another provider's internalId first: search by exact alias.
            Ok(_) => self.search_exact(alias).await,
            Err(Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn mappers_path(&self, key: &str) -> Result<String> {
        Ok(format!("{}/mappers", self.instance(key)?))
    }

    fn mapper_path(&self, key: &str, id: &str) -> Result<String> {
        Ok(format!("{}/{}", self.mappers_path(key)?, segment(id)))
    }

    /// The provider's mappers.
    async fn read_mappers(&self, alias: &str) -> Result<Vec<IdentityProviderMapper>> {
        let request = ApiRequest::get(self.mappers_path(alias)?).operation("list mappers");
        self.http.send_json(request).await
    }

    /// The neutral connection for `idp`, with its mappers.
    async fn whole(&self, idp: &IdentityProvider) -> Result<Connection> {
        let mut connection = from_wire(self.vendor, idp)?;
        // Dot aliases cannot go in a path: address the provider by its internal id.
        let key = Self::key_of(idp, "");
        let provider_id = idp.provider_id.as_deref().unwrap_or_default();
        connection.attribute_map =
            mappers::read(self.vendor, provider_id, &self.read_mappers(key).await?);
        Ok(connection)
    }

    /// Makes the provider's mappers match `desired`, one request per change (deletes first,
    /// so a name is free before it is reused).
    async fn sync_mappers(
        &self,
        alias: &str,
        provider_id: &str,
        desired: &[IdentityProviderMapper],
    ) -> Result<()> {
        let current = self.read_mappers(alias).await?;
        for write in mappers::reconcile(provider_id, &current, desired) {
            self.write_mapper(alias, &write)
                .await
                .map_err(|error| in_mapper(write.name(), error))?;
        }
        Ok(())
    }

    async fn write_mapper(&self, alias: &str, write: &MapperWrite) -> Result<()> {
        let retry = self.http.retry_config();
        match write {
            MapperWrite::Create(mapper) => {
                let body = IdentityProviderMapper {
                    identity_provider_alias: Some(alias.to_string()),
                    ..mapper.clone()
                };
                let post = || async {
                    let request = ApiRequest::post(self.mappers_path(alias)?)
                        .json(&body)?
                        .operation("create mapper");
                    self.http.send(request).await.map(|_| ())
                };
                // Names are unique per provider: after a lost answer, the name says whether
                // the POST took effect.
                let exists = || async {
                    let current = self.read_mappers(alias).await?;
                    Ok::<_, Error>(current.iter().any(|m| m.name == mapper.name).then_some(()))
                };
                write_reconciled(retry, post, exists).await
            }
            MapperWrite::Update(mapper) => {
                let id = mapper.id.clone().unwrap_or_default();
                let body = IdentityProviderMapper {
                    identity_provider_alias: Some(alias.to_string()),
                    ..mapper.clone()
                };
                // The body states the whole mapper, so sending it twice is harmless.
                let request = ApiRequest::put(self.mapper_path(alias, &id)?)
                    .json(&body)?
                    .operation("update mapper")
                    .idempotent(true);
                self.http.send(request).await.map(|_| ())
            }
            MapperWrite::Delete(mapper) => {
                let id = mapper.id.clone().unwrap_or_default();
                let delete_once = || async {
                    let request = ApiRequest::delete(self.mapper_path(alias, &id)?)
                        .operation("delete mapper")
                        .idempotent(false);
                    self.http.send(request).await.map(|_| ())
                };
                let gone = || async {
                    let current = self.read_mappers(alias).await?;
                    let gone = !current.iter().any(|m| m.id.as_deref() == Some(id.as_str()));
                    Ok::<_, Error>(gone.then_some(()))
                };
                write_reconciled(retry, delete_once, gone).await
            }
        }
    }
}

fn is_dot_segment(key: &str) -> bool {
    key == "." || key == ".."
}

#[async_trait]
impl IdentityConnectionProvider for EztoProvider {
    fn vendor(&self) -> Vendor {
        self.vendor
    }

    fn capabilities(&self) -> Capabilities {
        self.vendor.capabilities()
    }

    fn translate(&self, connection: &Connection, policy: &Policy) -> Result<Translation> {
        mapping::translate(self.vendor, connection, policy)
    }

    async fn create(&self, connection: &Connection, policy: &Policy) -> Result<Applied> {
        let vendor = self.vendor;
        let (payload, mut losses) = mapping::to_wire(vendor, connection)?;
        let desired = mapping::mappers_for(vendor, connection, &payload, &mut losses)?;
        let translation = mapping::finish(
            vendor,
            connection,
            &payload,
            desired.as_deref(),
            losses,
            policy,
        )?;
        let alias = payload.alias.clone().unwrap_or_default();
        let created = write_reconciled(
            self.http.retry_config(),
            || self.post(&payload),
            || self.by_alias(&alias),
        )
        .await?;
        if let Some(desired) = desired.filter(|d| !d.is_empty()) {
            let provider_id = created.provider_id.as_deref().unwrap_or_default();
            self.sync_mappers(&alias, provider_id, &desired).await?;
        }
        Ok(Applied {
            connection: Connection {
                applications: translation.connection.applications,
                ..self.whole(&created).await?
            },
            report: translation.report,
        })
    }

    async fn get(&self, id: &str) -> Result<Connection> {
        self.whole(&self.read(id).await?).await
    }

    async fn find(&self, name: &str) -> Result<Option<Connection>> {
        match self.by_alias(name).await? {
            Some(idp) => self.whole(&idp).await.map(Some),
            None => Ok(None),
        }
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Connection>> {
        let first: u32 = match page.cursor.as_deref() {
            None => 0,
            Some(cursor) => cursor.parse().map_err(|_| {
                Error::invalid(
                    "cursor",
                    format!("\"{cursor}\" is not an ezto page cursor (an offset)"),
                )
            })?,
        };
        let size = page.size_within(DEFAULT_PAGE_SIZE, self.capabilities().max_page_size);
        let request = ApiRequest::get(self.instances.clone())
            .query("first", first)
            .query("max", size)
            .operation("list");
        // One record that cannot be read never fails the page: it is reported and skipped.
        let found: Lenient<IdentityProvider> = self.http.send_json(request).await?;
        let len = u32::try_from(found.items.len() + found.rejected.len()).unwrap_or(u32::MAX);
        // A Keycloak older than paging (keycloak#22003) ignores first/max and answers
        // everything: that answer is the whole list.
        let next = if len == size && first.checked_add(size).is_some() {
            Some((first + size).to_string())
        } else {
            if len > size {
                tracing::warn!(
                    len,
                    size,
                    "the server ignored first/max; treating the answer as the whole list"
                );
            }
            None
        };
        // Without mappers: `complete` reads them, one request per provider.
        let mut skipped: Vec<Skipped> = found
            .rejected
            .iter()
            .map(|(raw, why)| Skipped::of(raw, &["alias", "internalId"], why.clone()))
            .collect();
        let mut items = Vec::with_capacity(found.items.len());
        for idp in &found.items {
            match from_wire(self.vendor, idp) {
                Ok(connection) => items.push(connection),
                Err(error) => skipped.push(Skipped {
                    record: idp
                        .alias
                        .clone()
                        .or_else(|| idp.internal_id.clone())
                        .unwrap_or_else(|| "(unnamed)".into()),
                    reason: error.to_string(),
                }),
            }
        }
        Ok(Page {
            items,
            next,
            skipped,
        })
    }

    async fn complete(&self, mut connection: Connection) -> Result<Connection> {
        let provider_id = mapping::provider_id_of(self.vendor, &connection)?;
        let found = self.read_mappers(&connection.name).await?;
        connection.attribute_map = mappers::read(self.vendor, &provider_id, &found);
        Ok(connection)
    }

    async fn update(&self, id: &str, connection: &Connection, policy: &Policy) -> Result<Applied> {
        let current = self.read(id).await?;
        let vendor = self.vendor;
        let (merged, mut losses) = for_update(vendor, &current, connection)?;
        let desired = mapping::mappers_for(vendor, connection, &merged, &mut losses)?;
        let translation = mapping::finish(
            vendor,
            connection,
            &merged,
            desired.as_deref(),
            losses,
            policy,
        )?;
        let alias = current.alias.clone().unwrap_or_else(|| id.to_string());
        let key = Self::key_of(&current, id).to_owned();
        let request = ApiRequest::put(self.instance(&key)?)
            .json(&merged)?
            .operation("update");
        let response = self.http.send(request).await?;
        // Keycloak answers 204; ezto's docs show the provider in the answer: use it when present.
        let returned = (!response.body().is_empty())
            .then(|| response.json::<IdentityProvider>().ok())
            .flatten()
            .filter(|idp| idp.alias.as_deref() == Some(alias.as_str()));
        let stored = match returned {
            Some(idp) => idp,
            None => self.read(&key).await?,
        };
        if let Some(desired) = &desired {
            let provider_id = stored.provider_id.as_deref().unwrap_or_default();
            self.sync_mappers(&alias, provider_id, desired).await?;
        }
        Ok(Applied {
            connection: Connection {
                applications: translation.connection.applications,
                ..self.whole(&stored).await?
            },
            report: translation.report,
        })
    }

    /// A DELETE whose answer is lost may have deleted: retried blindly it would answer 404.
    /// So it is sent once per round (not idempotent to the client) and core's reconcile loop
    /// asks, after an ambiguous failure, whether the provider is gone before deleting again.
    async fn delete(&self, id: &str) -> Result<()> {
        let delete_once = || async {
            let request = ApiRequest::delete(self.instance(id)?)
                .operation("delete")
                .idempotent(false);
            self.http.send(request).await.map(|_| ())
        };
        let gone = || async {
            match self.read(id).await {
                Err(Error::NotFound { .. }) => Ok(Some(())),
                Ok(_) => Ok(None),
                Err(error) => Err(error),
            }
        };
        write_reconciled(self.http.retry_config(), delete_once, gone).await
    }

    async fn list_applications(&self) -> Result<Vec<Application>> {
        Err(Error::Unsupported {
            vendor: self.vendor,
            what:
                "naming applications: its identity providers serve every application of the realm"
                    .into(),
        })
    }

    /// Every application: Keycloak identity providers are realm-wide.
    async fn applications(&self, id: &str) -> Result<Applications> {
        self.read(id).await?;
        Ok(Applications::All)
    }
}

/// A plain Keycloak's identity providers: an [`EztoProvider`] built with Keycloak's defaults
/// ([`KeycloakBuilder`]), reporting itself as [`Vendor::Keycloak`]. Its own type so that
/// `AnyProvider` can tell the two vendors apart.
#[derive(Debug, Clone)]
pub struct KeycloakProvider(EztoProvider);

impl KeycloakProvider {
    /// A provider for `config`, whose vendor must be [`Vendor::Keycloak`]
    /// ([`KeycloakBuilder`] is the usual way to get one).
    pub fn new(config: Config) -> Result<Self> {
        if config.vendor != Vendor::Keycloak {
            return Err(Error::invalid(
                "vendor",
                format!("a KeycloakProvider serves keycloak, not {}", config.vendor),
            ));
        }
        EztoProvider::new(config).map(KeycloakProvider)
    }

    /// A provider configured from `KEYCLOAK_*` environment variables
    /// ([`KeycloakBuilder::from_env`]).
    pub fn from_env() -> Result<Self> {
        KeycloakBuilder::from_env().build()
    }

    /// A provider configured from `KEYCLOAK_*` pairs, for example a simulator's `env_vars()`
    /// ([`KeycloakBuilder::from_vars`]).
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Result<Self> {
        KeycloakBuilder::from_vars(vars).build()
    }
}

#[async_trait]
impl IdentityConnectionProvider for KeycloakProvider {
    fn vendor(&self) -> Vendor {
        self.0.vendor()
    }
    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }
    fn translate(&self, connection: &Connection, policy: &Policy) -> Result<Translation> {
        self.0.translate(connection, policy)
    }
    async fn create(&self, connection: &Connection, policy: &Policy) -> Result<Applied> {
        self.0.create(connection, policy).await
    }
    async fn get(&self, id: &str) -> Result<Connection> {
        self.0.get(id).await
    }
    async fn find(&self, name: &str) -> Result<Option<Connection>> {
        self.0.find(name).await
    }
    async fn list(&self, page: PageRequest) -> Result<Page<Connection>> {
        self.0.list(page).await
    }
    async fn complete(&self, connection: Connection) -> Result<Connection> {
        self.0.complete(connection).await
    }
    async fn update(&self, id: &str, connection: &Connection, policy: &Policy) -> Result<Applied> {
        self.0.update(id, connection, policy).await
    }
    async fn delete(&self, id: &str) -> Result<()> {
        self.0.delete(id).await
    }
    async fn list_applications(&self) -> Result<Vec<Application>> {
        self.0.list_applications().await
    }
    async fn applications(&self, id: &str) -> Result<Applications> {
        self.0.applications(id).await
    }
}
