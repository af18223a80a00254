//! The user pool's identity sources (ext-idps) and their connections, indexed for scale:
//! sources by id (ordered, so listing follows creation order), connections by id and by
//! identifier.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::errors::ApiError;
use super::types::{category, ext_idp_type_for};

/// An identity source.
pub struct ExtIdp {
    id: String,
    name: String,
    kind: String,
    logo: String,
    tenant_id: Option<String>,
    /// Connection ids, in creation order.
    connections: Vec<String>,
}

/// A connection under an identity source.
pub struct Conn {
    id: String,
    ext_idp_id: String,
    kind: String,
    identifier: String,
    display_name: String,
    logo: String,
    login_only: bool,
    /// Console-managed and read-only through the V3 API.
    association_mode: String,
    challenge_binding_methods: Vec<String>,
    fields: Map<String, Value>,
    /// Per-application on/off switch (change-ext-idp-conn-state).
    app_states: BTreeMap<String, bool>,
    /// Per-tenant association (change-ext-idp-conn-association-state).
    tenant_associations: BTreeMap<String, bool>,
    /// The user-pool-wide switch for tenants (change-userpool-tenant-ext-idp-conn-state).
    tenant_enabled: Option<bool>,
}

/// What a create-ext-idp-conn request carries (SPEC `CreateExtIdpConnDto`).
pub struct NewConn {
    /// Parent identity source.
    pub ext_idp_id: String,
    /// Connection type.
    pub kind: String,
    /// Unique identifier.
    pub identifier: String,
    /// Login-page name.
    pub display_name: String,
    /// Opaque settings.
    pub fields: Map<String, Value>,
    /// `loginOnly`, default false.
    pub login_only: Option<bool>,
    /// Icon URL.
    pub logo: Option<String>,
    /// Tenant scope.
    pub tenant_id: Option<String>,
}

/// What an update-ext-idp-conn request carries (SPEC `UpdateExtIdpConnDto`).
pub struct ConnChanges {
    /// Connection id.
    pub id: String,
    /// New display name (required by the vendor on every update).
    pub display_name: String,
    /// Fields merged shallowly into the stored ones ("增量修改").
    pub fields: Map<String, Value>,
    /// New icon.
    pub logo: Option<String>,
    /// New `loginOnly`.
    pub login_only: Option<bool>,
    /// Tenant scope.
    pub tenant_id: Option<String>,
}

/// Filters shared by the listing endpoints.
#[derive(Default)]
pub struct ListFilter {
    /// Only sources of this tenant.
    pub tenant_id: Option<String>,
    /// Only sources with a connection switched on for this application.
    pub app_id: Option<String>,
    /// Only `social` or `enterprise` sources.
    pub category: Option<String>,
}

/// ObjectId-like ids (24 hex digits: seconds, a per-store random, a counter), increasing, so
/// ordering by id is ordering by creation.
struct IdGen {
    random: u64,
    counter: u32,
}

impl IdGen {
    fn next(&mut self) -> String {
        self.counter = self.counter.wrapping_add(1);
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        format!(
            "{:08x}{:010x}{:06x}",
            secs as u32,
            self.random & 0xff_ffff_ffff,
            self.counter & 0xff_ffff
        )
    }
}

/// All state of one simulated user pool.
pub struct Store {
    ext_idps: BTreeMap<String, ExtIdp>,
    conns: HashMap<String, Conn>,
    by_identifier: HashMap<String, String>,
    ids: IdGen,
    /// Applications (`create-application`), in creation order: `(appId, appIdentifier, appName)`.
    apps: Vec<(String, String, String)>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            ext_idps: BTreeMap::new(),
            conns: HashMap::new(),
            by_identifier: HashMap::new(),
            apps: Vec::new(),
            ids: IdGen {
                random: rand::random(),
                counter: 0,
            },
        }
    }
}

fn same_tenant(scope: &Option<String>, holder: &Option<String>) -> bool {
    scope.is_none() || scope == holder
}

impl Store {
    fn ext_idp(&self, id: &str, tenant: &Option<String>) -> Result<&ExtIdp, ApiError> {
        self.ext_idps
            .get(id)
            .filter(|idp| same_tenant(tenant, &idp.tenant_id))
            .ok_or_else(|| ApiError::not_found(format!("identity source {id} does not exist")))
    }

    fn conn_id(&self, id: &str, tenant: &Option<String>) -> Result<(), ApiError> {
        let visible = self.conns.get(id).is_some_and(|conn| {
            self.ext_idps
                .get(&conn.ext_idp_id)
                .is_some_and(|idp| same_tenant(tenant, &idp.tenant_id))
        });
        if visible {
            Ok(())
        } else {
            Err(ApiError::not_found(format!(
                "identity source connection {id} does not exist"
            )))
        }
    }

    fn conn_mut(&mut self, id: &str, tenant: &Option<String>) -> Result<&mut Conn, ApiError> {
        self.conn_id(id, tenant)?;
        self.conns.get_mut(id).ok_or_else(|| {
            ApiError::not_found(format!("identity source connection {id} does not exist"))
        })
    }

    fn matches(&self, idp: &ExtIdp, filter: &ListFilter) -> bool {
        same_tenant(&filter.tenant_id, &idp.tenant_id)
            && filter
                .category
                .as_deref()
                .is_none_or(|c| category(&idp.kind) == c)
            && filter.app_id.as_deref().is_none_or(|app| {
                idp.connections.iter().any(|cid| {
                    self.conns
                        .get(cid)
                        .is_some_and(|c| c.app_states.get(app) == Some(&true))
                })
            })
    }

    /// `list-ext-idp`: every matching source, unpaged (SPEC: no paging parameters).
    pub fn list_ext_idps(&self, filter: &ListFilter) -> Value {
        let list: Vec<Value> = self
            .ext_idps
            .values()
            .filter(|idp| self.matches(idp, filter))
            .map(ExtIdp::dto)
            .collect();
        json!({"totalCount": list.len(), "list": list})
    }

    /// `list-tenant-ext-idp`: matching sources, paged by `page`/`limit`.
    pub fn list_tenant_ext_idps(&self, filter: &ListFilter, page: usize, limit: usize) -> Value {
        let matching = self
            .ext_idps
            .values()
            .filter(|idp| self.matches(idp, filter));
        let total = matching.clone().count();
        let list: Vec<Value> = matching
            .skip((page - 1).saturating_mul(limit))
            .take(limit)
            .map(ExtIdp::dto)
            .collect();
        json!({"totalCount": total, "list": list})
    }

    /// `get-ext-idp`: the source with its connections (each with its `fields`, see
    /// [`Conn::stored`]).
    pub fn get_ext_idp(
        &self,
        id: &str,
        tenant: &Option<String>,
        wanted: Option<&str>,
    ) -> Result<Value, ApiError> {
        let idp = self.ext_idp(id, tenant)?;
        if wanted.is_some_and(|c| category(&idp.kind) != c) {
            return Err(ApiError::not_found(format!(
                "identity source {id} does not exist"
            )));
        }
        let connections: Vec<Value> = idp
            .connections
            .iter()
            .filter_map(|cid| self.conns.get(cid))
            .map(Conn::stored)
            .collect();
        let mut dto = idp.dto();
        dto["connections"] = Value::Array(connections);
        dto["autoJoin"] = json!(false);
        Ok(dto)
    }

    /// `create-ext-idp`.
    pub fn create_ext_idp(
        &mut self,
        name: String,
        kind: String,
        tenant_id: Option<String>,
    ) -> Value {
        let id = self.ids.next();
        let idp = ExtIdp {
            id: id.clone(),
            name,
            kind,
            logo: String::new(),
            tenant_id,
            connections: Vec::new(),
        };
        let dto = idp.dto();
        self.ext_idps.insert(id, idp);
        dto
    }

    /// `update-ext-idp`: only the name can change.
    pub fn update_ext_idp(
        &mut self,
        id: &str,
        name: String,
        tenant: &Option<String>,
    ) -> Result<Value, ApiError> {
        self.ext_idp(id, tenant)?;
        let idp = self
            .ext_idps
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found(format!("identity source {id} does not exist")))?;
        idp.name = name;
        Ok(idp.dto())
    }

    /// `delete-ext-idp`: removes the source and, with it, its connections (they cannot live
    /// without a parent; the vendor documents no refusal for a non-empty source).
    pub fn delete_ext_idp(&mut self, id: &str, tenant: &Option<String>) -> Result<Value, ApiError> {
        self.ext_idp(id, tenant)?;
        if let Some(idp) = self.ext_idps.remove(id) {
            for cid in idp.connections {
                if let Some(conn) = self.conns.remove(&cid) {
                    self.by_identifier.remove(&conn.identifier);
                }
            }
        }
        Ok(json!({"success": true}))
    }

    /// `create-ext-idp-conn`.
    pub fn create_conn(&mut self, new: NewConn) -> Result<Value, ApiError> {
        let parent_kind = self.ext_idp(&new.ext_idp_id, &new.tenant_id)?.kind.clone();
        if ext_idp_type_for(&new.kind) != Some(parent_kind.as_str()) {
            return Err(ApiError::invalid(format!(
                "a connection of type {} cannot be created under an identity source of type {parent_kind}",
                new.kind
            )));
        }
        if self.by_identifier.contains_key(&new.identifier) {
            return Err(ApiError::conflict(format!(
                "identifier {} is already used by another connection",
                new.identifier
            )));
        }
        let id = self.ids.next();
        let conn = Conn {
            id: id.clone(),
            ext_idp_id: new.ext_idp_id.clone(),
            kind: new.kind,
            identifier: new.identifier.clone(),
            display_name: new.display_name,
            logo: new.logo.unwrap_or_default(),
            login_only: new.login_only.unwrap_or(false),
            association_mode: "none".into(),
            challenge_binding_methods: Vec::new(),
            fields: new.fields,
            app_states: BTreeMap::new(),
            tenant_associations: BTreeMap::new(),
            tenant_enabled: None,
        };
        let detail = conn.detail();
        if let Some(idp) = self.ext_idps.get_mut(&new.ext_idp_id) {
            idp.connections.push(id.clone());
        }
        self.by_identifier.insert(new.identifier, id.clone());
        self.conns.insert(id, conn);
        Ok(detail)
    }

    /// `update-ext-idp-conn`: `fields` merged one level deep, the rest replaced when given.
    pub fn update_conn(&mut self, changes: ConnChanges) -> Result<Value, ApiError> {
        let conn = self.conn_mut(&changes.id, &changes.tenant_id)?;
        conn.display_name = changes.display_name;
        conn.fields.extend(changes.fields);
        if let Some(logo) = changes.logo {
            conn.logo = logo;
        }
        if let Some(login_only) = changes.login_only {
            conn.login_only = login_only;
        }
        Ok(conn.detail())
    }

    /// `delete-ext-idp-conn`.
    pub fn delete_conn(&mut self, id: &str, tenant: &Option<String>) -> Result<Value, ApiError> {
        self.conn_id(id, tenant)?;
        if let Some(conn) = self.conns.remove(id) {
            self.by_identifier.remove(&conn.identifier);
            if let Some(idp) = self.ext_idps.get_mut(&conn.ext_idp_id) {
                idp.connections.retain(|cid| cid != id);
            }
        }
        Ok(json!({"success": true}))
    }

    /// `change-ext-idp-conn-state`: switch a connection on or off for applications.
    pub fn change_conn_state(
        &mut self,
        id: &str,
        enabled: bool,
        apps: Vec<String>,
        tenant: &Option<String>,
    ) -> Result<Value, ApiError> {
        let conn = self.conn_mut(id, tenant)?;
        for app in apps {
            conn.app_states.insert(app, enabled);
        }
        Ok(json!({"success": true}))
    }

    /// `change-ext-idp-conn-association-state`: a tenant links or unlinks a connection.
    pub fn change_association(
        &mut self,
        id: &str,
        association: bool,
        tenant: Option<String>,
    ) -> Result<Value, ApiError> {
        let conn = self.conn_mut(id, &None)?;
        conn.tenant_associations
            .insert(tenant.unwrap_or_default(), association);
        Ok(json!({"success": true}))
    }

    /// `change-userpool-tenant-ext-idp-conn-state`: all-or-nothing over `conn_ids`.
    pub fn change_tenant_state(
        &mut self,
        conn_ids: &[String],
        enabled: bool,
    ) -> Result<Value, ApiError> {
        for id in conn_ids {
            self.conn_id(id, &None)?;
        }
        for id in conn_ids {
            if let Some(conn) = self.conns.get_mut(id) {
                conn.tenant_enabled = Some(enabled);
            }
        }
        Ok(json!({"success": true}))
    }

    /// `ext-idp-conn-apps`: each connection of a source with its per-application switches.
    ///
    /// SPEC declares the list DTO here (a generator artefact); each item keeps
    /// `ExtIdpDto`'s required keys (`id`, `name`, `logo`, `type`, taken from the connection)
    /// and adds `identifier`, `apps: [{appId, enabled}]`, the tenant associations and the
    /// user-pool-wide tenant switch, so every state the write endpoints set can be read back.
    pub fn conn_apps(
        &self,
        id: &str,
        tenant: &Option<String>,
        app_id: Option<&str>,
    ) -> Result<Value, ApiError> {
        let idp = self.ext_idp(id, tenant)?;
        let list: Vec<Value> = idp
            .connections
            .iter()
            .filter_map(|cid| self.conns.get(cid))
            .map(|conn| {
                let apps: Vec<Value> = conn
                    .app_states
                    .iter()
                    .filter(|(app, _)| app_id.is_none_or(|wanted| wanted == app.as_str()))
                    .map(|(app, enabled)| json!({"appId": app, "enabled": enabled}))
                    .collect();
                let tenants: Vec<Value> = conn
                    .tenant_associations
                    .iter()
                    .map(|(tenant, on)| json!({"tenantId": tenant, "association": on}))
                    .collect();
                json!({
                    "id": conn.id,
                    "name": conn.display_name,
                    "logo": conn.logo,
                    "type": conn.kind,
                    "identifier": conn.identifier,
                    "apps": apps,
                    "tenants": tenants,
                    "tenantEnabled": conn.tenant_enabled,
                })
            })
            .collect();
        Ok(json!({"totalCount": list.len(), "list": list}))
    }

    /// Every connection as stored (with `fields`), sources in creation order.
    pub fn all_connections(&self) -> Vec<Value> {
        self.ext_idps
            .values()
            .flat_map(|idp| idp.connections.iter())
            .filter_map(|cid| self.conns.get(cid))
            .map(Conn::stored)
            .collect()
    }
}

impl ExtIdp {
    /// SPEC `ExtIdpDto`.
    fn dto(&self) -> Value {
        let mut dto = json!({
            "id": self.id,
            "name": self.name,
            "logo": self.logo,
            "type": self.kind,
        });
        if let Some(tenant) = &self.tenant_id {
            dto["tenantId"] = json!(tenant);
        }
        dto
    }
}

impl Conn {
    /// SPEC `ExtIdpConnDetail`, as create/update answer it: without `fields`.
    fn detail(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.kind,
            "extIdpId": self.ext_idp_id,
            "logo": self.logo,
            "identifier": self.identifier,
            "displayName": self.display_name,
            "loginOnly": self.login_only,
            "associationMode": self.association_mode,
            "challengeBindingMethods": self.challenge_binding_methods,
        })
    }

    /// A connection as `get-ext-idp` lists it: `ExtIdpConnDetail` plus `fields`, secrets in
    /// clear.
    ///
    /// SPEC types `ExtIdpDetail.connections` only as `object`. The shape
    /// chosen is the older `ExtIdpConnDetail` that still had `fields` (GO `dto/ExtIdpConnDetail.go`
    /// variant, JAVA 2022-04 `ba83267`). `fields` comes back whole, `clientSecret`
    /// included and unmasked: get-ext-idp is the only read path for a connection, the console
    /// edits these values from it, and no mask value is documented anywhere; without them a
    /// client could not read back what it wrote.
    fn stored(&self) -> Value {
        let mut value = self.detail();
        value["fields"] = Value::Object(self.fields.clone());
        value
    }
}

/// Applications: the minimal `ApplicationDto` of `create-application` and `list-applications`
/// (SPEC), whose `loginConfig.enabledExtIdpConns` shows every connection switched for it by
/// `change-ext-idp-conn-state`.
impl Store {
    /// `create-application`: `appName` required; `appIdentifier` unique (generated if absent).
    pub fn create_app(
        &mut self,
        name: String,
        identifier: Option<String>,
    ) -> Result<Value, ApiError> {
        let id = self.ids.next();
        let identifier = identifier.unwrap_or_else(|| format!("app-{id}"));
        if self.apps.iter().any(|(_, taken, _)| *taken == identifier) {
            return Err(ApiError::invalid(format!(
                "appIdentifier {identifier} is already in use"
            )));
        }
        self.apps.push((id.clone(), identifier, name));
        let app = self.apps.last().cloned().unwrap_or_default();
        Ok(self.app_dto(&app))
    }

    /// `list-applications?page=&limit=`: `{totalCount, list}`.
    pub fn list_apps(&self, page: usize, limit: usize) -> Value {
        let list: Vec<Value> = self
            .apps
            .iter()
            .skip(page.saturating_sub(1).saturating_mul(limit))
            .take(limit)
            .map(|app| self.app_dto(app))
            .collect();
        json!({"totalCount": self.apps.len(), "list": list})
    }

    fn app_dto(&self, (id, identifier, name): &(String, String, String)) -> Value {
        let mut enabled: Vec<(&String, &Conn, bool)> = self
            .conns
            .iter()
            .filter_map(|(cid, conn)| conn.app_states.get(id).map(|on| (cid, conn, *on)))
            .collect();
        enabled.sort_by(|a, b| a.0.cmp(b.0));
        let conns: Vec<Value> = enabled
            .into_iter()
            .map(|(cid, conn, on)| {
                let idp_kind = self
                    .ext_idps
                    .get(&conn.ext_idp_id)
                    .map(|idp| idp.kind.clone())
                    .unwrap_or_default();
                json!({
                    "isSocial": category(&idp_kind) == "social",
                    "extIdpId": conn.ext_idp_id,
                    "extIdpType": idp_kind,
                    "extIdpConnId": cid,
                    "extIdpConnType": conn.kind,
                    "extIdpConnIdentifier": conn.identifier,
                    "extIdpConnDisplayName": conn.display_name,
                    "extIdpConnLogo": conn.logo,
                    "enabled": on,
                })
            })
            .collect();
        json!({
            "appId": id,
            "appIdentifier": identifier,
            "appName": name,
            "appLogo": "",
            "appType": "web",
            "isIntegrateApp": false,
            "ssoEnabled": false,
            "loginConfig": {
                "mergeLoginAndRegisterPage": false,
                "enabledBasicLoginMethods": [],
                "defaultLoginMethod": {},
                "enabledExtIdpConns": conns,
                "showAuthorizationPage": false,
            },
        })
    }
}
