//! Typed calls to the V3 endpoints this backend uses: GET for reads,
//! POST for writes, deletes included.

use idconn_core::Result;
use idconn_core::http::{ApiRequest, HttpClient};

use crate::wire::{
    ApplicationList, ById, ChangeConnState, Conn, CreateConn, CreateExtIdp, Envelope, ExtIdp,
    ExtIdpDetail, ExtIdpList, IsSuccess, UpdateConn,
};

/// One user pool's V3 management API, scoped to an optional tenant.
#[derive(Clone)]
pub struct Api {
    http: HttpClient,
    tenant_id: Option<String>,
}

impl Api {
    /// Calls through `http`, adding `tenantId` where the endpoints take it.
    pub fn new(http: HttpClient, tenant_id: Option<String>) -> Self {
        Api { http, tenant_id }
    }

    /// The client, for its retry settings.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    fn scoped(&self, request: ApiRequest) -> ApiRequest {
        match &self.tenant_id {
            Some(tenant) => request.query("tenantId", tenant),
            None => request,
        }
    }

    /// `GET list-ext-idp`: every identity source (the endpoint does not page).
    pub async fn list_ext_idps(&self) -> Result<Vec<ExtIdp>> {
        let request =
            self.scoped(ApiRequest::get("/api/v3/list-ext-idp").operation("list-ext-idp"));
        let answer: Envelope<ExtIdpList> = self.http.send_json(request).await?;
        Ok(answer.data.list)
    }

    /// `GET get-ext-idp?id=`: one identity source with its connections.
    pub async fn get_ext_idp(&self, id: &str) -> Result<ExtIdpDetail> {
        let request = self.scoped(
            ApiRequest::get("/api/v3/get-ext-idp")
                .query("id", id)
                .operation("get-ext-idp"),
        );
        let answer: Envelope<ExtIdpDetail> = self.http.send_json(request).await?;
        Ok(answer.data)
    }

    /// `POST create-ext-idp`. Not idempotent: callers reconcile after ambiguous failures.
    pub async fn create_ext_idp(&self, name: &str, kind: &str) -> Result<ExtIdp> {
        let body = CreateExtIdp {
            name: name.to_string(),
            kind: kind.to_string(),
            tenant_id: self.tenant_id.clone(),
        };
        let request = ApiRequest::post("/api/v3/create-ext-idp")
            .json(&body)?
            .operation("create-ext-idp");
        let answer: Envelope<ExtIdp> = self.http.send_json(request).await?;
        Ok(answer.data)
    }

    /// `POST delete-ext-idp {id}`.
    pub async fn delete_ext_idp(&self, id: &str) -> Result<bool> {
        self.post_by_id("/api/v3/delete-ext-idp", "delete-ext-idp", id)
            .await
    }

    /// `POST create-ext-idp-conn`; the answer has no `fields`. Not idempotent.
    pub async fn create_conn(&self, body: &CreateConn) -> Result<Conn> {
        let mut body = body.clone();
        body.tenant_id = self.tenant_id.clone();
        let request = ApiRequest::post("/api/v3/create-ext-idp-conn")
            .json(&body)?
            .operation("create");
        let answer: Envelope<Conn> = self.http.send_json(request).await?;
        Ok(answer.data)
    }

    /// `POST update-ext-idp-conn`; the answer has no `fields`. Sending the same update twice
    /// has the effect of sending it once, so it is retried like an idempotent request.
    pub async fn update_conn(&self, body: &UpdateConn) -> Result<Conn> {
        let mut body = body.clone();
        body.tenant_id = self.tenant_id.clone();
        let request = ApiRequest::post("/api/v3/update-ext-idp-conn")
            .json(&body)?
            .operation("update")
            .idempotent(true);
        let answer: Envelope<Conn> = self.http.send_json(request).await?;
        Ok(answer.data)
    }

    /// `POST delete-ext-idp-conn {id}`. Not retried after an ambiguous failure: a second
    /// attempt would answer 404 for a delete that worked; the caller reconciles instead.
    pub async fn delete_conn(&self, id: &str) -> Result<bool> {
        self.post_by_id("/api/v3/delete-ext-idp-conn", "delete", id)
            .await
    }

    /// `GET list-applications?page=&limit=` (page from 1, limit at most 50).
    pub async fn list_applications(&self, page: u32, limit: u32) -> Result<ApplicationList> {
        let request = ApiRequest::get("/api/v3/list-applications")
            .query("page", page)
            .query("limit", limit)
            .operation("list-applications");
        let answer: Envelope<ApplicationList> = self.http.send_json(request).await?;
        Ok(answer.data)
    }

    /// `POST change-ext-idp-conn-state`: connection `id` on or off for application `app_id`.
    /// It states the final state, so it is retried like an idempotent request.
    pub async fn change_conn_state(&self, id: &str, app_id: &str, enabled: bool) -> Result<bool> {
        let body = ChangeConnState {
            id,
            enabled,
            app_id,
            tenant_id: self.tenant_id.as_deref(),
        };
        let request = ApiRequest::post("/api/v3/change-ext-idp-conn-state")
            .json(&body)?
            .operation("change-ext-idp-conn-state")
            .idempotent(true);
        let answer: Envelope<IsSuccess> = self.http.send_json(request).await?;
        Ok(answer.data.success)
    }

    async fn post_by_id(&self, path: &str, operation: &'static str, id: &str) -> Result<bool> {
        let body = ById {
            id,
            tenant_id: self.tenant_id.as_deref(),
        };
        let request = ApiRequest::post(path).json(&body)?.operation(operation);
        let answer: Envelope<IsSuccess> = self.http.send_json(request).await?;
        Ok(answer.data.success)
    }
}
