//! [`EztoProvider`]: the [`IdentityConnectionProvider`] for ezto auth, over core's HTTP client.
//!
//! Routes (reference §2.1, under `{host}{prefix}/admin/realms/{workspace}`):
//! `POST /identity-provider/instances` (201 + `Location`, empty body),
//! `GET /identity-provider/instances?first=&max=`, and `GET | PUT | DELETE
//! /identity-provider/instances/{alias}` (PUT and DELETE answer 204; ezto documents a body on
//! update, so a 200 with one is accepted too).
//!
//! **Which id.** [`Connection::id`] holds Keycloak's `internalId` (DESIGN.md). Every
//! `/instances/{key}` route resolves its key as an alias *or* an internal id (Keycloak
//! `getByIdOrAlias`; the pre-17 versions ezto runs match either too), so [`get`], [`update`]
//! and [`delete`] accept what `Connection::id` holds and, equally, the alias.
//!
//! [`get`]: IdentityConnectionProvider::get
//! [`update`]: IdentityConnectionProvider::update
//! [`delete`]: IdentityConnectionProvider::delete

use idconn_core::http::{ApiRequest, HttpClient, HttpConfig, segment, write_reconciled};
use idconn_core::{
    Application, Applications, Applied, Capabilities, Connection, Error,
    IdentityConnectionProvider, Page, PageRequest, Policy, Result, Translation, Vendor,
    async_trait,
};

use crate::config::{Config, EztoBuilder};
use crate::errors::KeycloakErrors;
use crate::mapping::{self, alias_char, for_update, from_wire};
use crate::wire::IdentityProvider;
use crate::{CAPABILITIES, DEFAULT_PAGE_SIZE};

/// Manages the identity providers of one ezto workspace.
#[derive(Debug, Clone)]
pub struct EztoProvider {
    http: HttpClient,
    /// `/admin/realms/{workspace}/identity-provider/instances`, relative to `{host}{prefix}`.
    instances: String,
}

impl EztoProvider {
    /// A provider for `config` ([`EztoBuilder`] is the usual way to get one).
    pub fn new(config: Config) -> Result<Self> {
        config.validate()?;
        let mut http_config = HttpConfig::new(Vendor::Ezto, config.base_url()?);
        http_config.allow_insecure_http = config.allow_insecure_http;
        if let Some(retry) = &config.retry {
            http_config.retry = retry.clone();
        }
        if let Some(timeout) = config.timeout {
            http_config.timeout = timeout;
        }
        let token_path = format!(
            "/realms/{}/protocol/openid-connect/token",
            segment(config.token_realm())
        );
        let auth = config.credentials.auth(token_path, |grant| grant);
        Ok(EztoProvider {
            http: HttpClient::new(http_config, KeycloakErrors, auth)?,
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

    fn instance(&self, key: &str) -> String {
        format!("{}/{}", self.instances, segment(key))
    }

    async fn read(&self, key: &str) -> Result<IdentityProvider> {
        self.http
            .send_json(ApiRequest::get(self.instance(key)).operation("get"))
            .await
    }

    /// One POST; on 201 reads back what the `Location` header names (the alias).
    async fn post(&self, payload: &IdentityProvider) -> Result<Connection> {
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
        from_wire(&self.read(&key).await?)
    }

    /// The provider whose alias is exactly `alias`, if any.
    async fn by_alias(&self, alias: &str) -> Result<Option<Connection>> {
        if alias.is_empty() || !alias.chars().all(alias_char) {
            return Ok(None); // Keycloak cannot hold it, so no provider has it.
        }
        match self.read(alias).await {
            Ok(idp) if idp.alias.as_deref() == Some(alias) => from_wire(&idp).map(Some),
            // The key matched another provider's internalId first: search by exact alias.
            Ok(_) => {
                let request = ApiRequest::get(self.instances.clone())
                    .query("search", format!("\"{alias}\""))
                    .query("max", 10)
                    .operation("find");
                let found: Vec<IdentityProvider> = self.http.send_json(request).await?;
                found
                    .iter()
                    .find(|idp| idp.alias.as_deref() == Some(alias))
                    .map(from_wire)
                    .transpose()
            }
            Err(Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

#[async_trait]
impl IdentityConnectionProvider for EztoProvider {
    fn vendor(&self) -> Vendor {
        Vendor::Ezto
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    fn translate(&self, connection: &Connection, policy: &Policy) -> Result<Translation> {
        mapping::translate(connection, policy)
    }

    async fn create(&self, connection: &Connection, policy: &Policy) -> Result<Applied> {
        let (payload, losses) = mapping::to_wire(connection)?;
        let translation = mapping::finish(connection, &payload, losses, policy)?;
        let alias = payload.alias.clone().unwrap_or_default();
        let created = write_reconciled(
            self.http.retry_config(),
            || self.post(&payload),
            || self.by_alias(&alias),
        )
        .await?;
        Ok(Applied {
            connection: Connection {
                applications: translation.connection.applications,
                ..created
            },
            report: translation.report,
        })
    }

    async fn get(&self, id: &str) -> Result<Connection> {
        from_wire(&self.read(id).await?)
    }

    async fn find(&self, name: &str) -> Result<Option<Connection>> {
        self.by_alias(name).await
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
        let size = page.size_within(DEFAULT_PAGE_SIZE, CAPABILITIES.max_page_size);
        let request = ApiRequest::get(self.instances.clone())
            .query("first", first)
            .query("max", size)
            .operation("list");
        let found: Vec<IdentityProvider> = self.http.send_json(request).await?;
        let len = u32::try_from(found.len()).unwrap_or(u32::MAX);
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
        let items = found.iter().map(from_wire).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, next })
    }

    async fn update(&self, id: &str, connection: &Connection, policy: &Policy) -> Result<Applied> {
        let current = self.read(id).await?;
        let (merged, losses) = for_update(&current, connection)?;
        let translation = mapping::finish(connection, &merged, losses, policy)?;
        let alias = current.alias.clone().unwrap_or_else(|| id.to_string());
        let request = ApiRequest::put(self.instance(&alias))
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
            None => self.read(&alias).await?,
        };
        Ok(Applied {
            connection: Connection {
                applications: translation.connection.applications,
                ..from_wire(&stored)?
            },
            report: translation.report,
        })
    }

    /// A DELETE whose answer is lost may have deleted: retried blindly it would answer 404.
    /// So it is sent once per round (not idempotent to the client) and core's reconcile loop
    /// asks, after an ambiguous failure, whether the provider is gone before deleting again.
    async fn delete(&self, id: &str) -> Result<()> {
        let delete_once = || async {
            let request = ApiRequest::delete(self.instance(id))
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
            vendor: Vendor::Ezto,
            what: "naming applications: its identity providers serve every application of the workspace".into(),
        })
    }

    /// Every application: Keycloak identity providers are realm-wide.
    async fn applications(&self, id: &str) -> Result<Applications> {
        self.read(id).await?;
        Ok(Applications::All)
    }
}
