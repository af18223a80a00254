//! The GenAuth simulator's raw HTTP API, driven with reqwest: token, both auth schemes, the
//! envelope, every ext-idp and ext-idp-conn endpoint, and the vendor's error answers.

use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use idconn_sim::genauth::GenAuthSim;
use idconn_sim::{Knobs, Sim, SimHandle, VendorApi};
use serde_json::{Value, json};
use sha1::Sha1;

const AK: &str = "6568f0a1c2b3d4e5f6a7b8c9";
const SK: &str = "4ae78d3e579a6d0c1aeca7b1e29ec2f0";

struct Api {
    sim: SimHandle,
    http: reqwest::Client,
    token: String,
}

impl Api {
    async fn start() -> Api {
        let sim = Sim::start(GenAuthSim::new(), Knobs::default(), 0)
            .await
            .unwrap();
        let http = reqwest::Client::new();
        let mut api = Api {
            sim,
            http,
            token: String::new(),
        };
        let (status, body) = api
            .raw_post(
                "/api/v3/get-management-token",
                &[],
                json!({"accessKeyId": AK, "accessKeySecret": SK}).to_string(),
            )
            .await;
        assert_eq!(status, 200);
        api.token = body["data"]["access_token"].as_str().unwrap().to_string();
        api
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.base_url())
    }

    async fn raw_post(&self, path: &str, headers: &[(&str, &str)], body: String) -> (u16, Value) {
        let mut req = self.http.post(self.url(path)).body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }

    async fn raw_get(&self, path_and_query: &str, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut req = self.http.get(self.url(path_and_query));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }

    fn auth(&self) -> Vec<(&str, String)> {
        vec![
            ("authorization", format!("Bearer {}", self.token)),
            ("x-authing-userpool-id", AK.to_string()),
            ("content-type", "application/json".to_string()),
        ]
    }

    /// A Bearer POST; asserts HTTP 200 and returns the envelope.
    async fn post(&self, path: &str, body: Value) -> Value {
        let auth = self.auth();
        let headers: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = self.raw_post(path, &headers, body.to_string()).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// A Bearer GET; asserts HTTP 200 and returns the envelope.
    async fn get(&self, path_and_query: &str) -> Value {
        let auth = self.auth();
        let headers: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = self.raw_get(path_and_query, &headers).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    async fn ext_idp(&self, name: &str, kind: &str) -> String {
        let body = self
            .post(
                "/api/v3/create-ext-idp",
                json!({"name": name, "type": kind}),
            )
            .await;
        assert_eq!(body["statusCode"], 200, "{body}");
        body["data"]["id"].as_str().unwrap().to_string()
    }

    async fn conn(&self, ext_idp_id: &str, kind: &str, identifier: &str) -> Value {
        self.post(
            "/api/v3/create-ext-idp-conn",
            json!({
                "extIdpId": ext_idp_id,
                "type": kind,
                "identifier": identifier,
                "displayName": format!("{identifier} login"),
                "fields": {"clientId": "cid", "clientSecret": "s3cret"},
            }),
        )
        .await
    }
}

fn assert_error(body: &Value, status_code: u64) {
    assert_eq!(body["statusCode"], status_code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["requestId"].as_str().is_some(), "{body}");
    assert!(body.get("data").is_none(), "{body}");
}

#[tokio::test]
async fn token_is_a_jwt_the_python_sdk_can_decode() {
    let api = Api::start().await;
    let payload = api.token.split('.').nth(1).unwrap();
    assert!(!payload.contains(['-', '_']), "{payload}");
    let mut padded = payload.to_string();
    while padded.len() % 4 != 0 {
        padded.push('=');
    }
    let claims: Value = serde_json::from_slice(&STANDARD.decode(padded).unwrap()).unwrap();
    assert_eq!(claims["scoped_userpool_id"], AK);

    let (status, body) = api
        .raw_post(
            "/api/v3/get-management-token",
            &[("content-type", "application/json")],
            json!({"accessKeyId": AK, "accessKeySecret": SK}).to_string(),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["statusCode"], 200);
    assert_eq!(body["data"]["expires_in"], 7200);

    let (status, body) = api
        .raw_post(
            "/api/v3/get-management-token",
            &[],
            json!({"accessKeyId": AK, "accessKeySecret": "wrong"}).to_string(),
        )
        .await;
    assert_eq!(status, 200, "errors are HTTP 200");
    assert_error(&body, 401);
    let (_, body) = api
        .raw_post(
            "/api/v3/get-management-token",
            &[],
            json!({"accessKeyId": AK}).to_string(),
        )
        .await;
    assert_error(&body, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("accessKeySecret")
    );
    let (status, body) = api
        .raw_post("/api/v3/get-management-token", &[], "{not json".into())
        .await;
    assert_eq!(status, 200);
    assert_error(&body, 400);
}

#[tokio::test]
async fn token_auth_accepts_bearer_and_raw_forms_with_the_userpool_header() {
    let api = Api::start().await;
    let bearer = format!("Bearer {}", api.token);
    for authorization in [bearer.as_str(), api.token.as_str()] {
        let (status, body) = api
            .raw_get(
                "/api/v3/list-ext-idp",
                &[
                    ("authorization", authorization),
                    ("x-authing-userpool-id", AK),
                ],
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(body["statusCode"], 200, "{body}");
        assert_eq!(body["data"], json!({"totalCount": 0, "list": []}));
    }
    let (_, body) = api.raw_get("/api/v3/list-ext-idp", &[]).await;
    assert_error(&body, 401);
    let (_, body) = api
        .raw_get(
            "/api/v3/list-ext-idp",
            &[("authorization", bearer.as_str())],
        )
        .await;
    assert_error(&body, 401);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("x-authing-userpool-id")
    );
    let (_, body) = api
        .raw_get(
            "/api/v3/list-ext-idp",
            &[
                ("authorization", bearer.as_str()),
                ("x-authing-userpool-id", "other"),
            ],
        )
        .await;
    assert_error(&body, 403);
    let (_, body) = api
        .raw_get(
            "/api/v3/list-ext-idp",
            &[
                ("authorization", "Bearer abc.def.ghi"),
                ("x-authing-userpool-id", AK),
            ],
        )
        .await;
    assert_error(&body, 401);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let sim = Sim::start(
        GenAuthSim::new().with_token_lifetime(Duration::ZERO),
        Knobs::default(),
        0,
    )
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let body: Value = http
        .post(format!("{}/api/v3/get-management-token", sim.base_url()))
        .json(&json!({"accessKeyId": AK, "accessKeySecret": SK}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["expires_in"], 0);
    let token = body["data"]["access_token"].as_str().unwrap();
    let body: Value = http
        .get(format!("{}/api/v3/list-ext-idp", sim.base_url()))
        .bearer_auth(token)
        .header("x-authing-userpool-id", AK)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["statusCode"], 401);
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
}

/// Signs like the Node SDK (reference/genauth.md §2a, `buildSignature.ts`), written apart from
/// the simulator's verifier so that each checks the other.
struct NodeSigner {
    date: String,
    nonce: String,
    method_header: &'static str,
    version_header: &'static str,
    trailing_question: bool,
    secret: &'static str,
    /// The header family signed: `x-authing-` (Authing SDKs) or `x-genauth-` (GenAuth's).
    family: &'static str,
    /// The authorization scheme: `authing`, `GenAuth`, ...
    scheme: &'static str,
}

impl NodeSigner {
    fn new(nonce: &str) -> Self {
        NodeSigner {
            date: httpdate::fmt_http_date(SystemTime::now()),
            nonce: nonce.to_string(),
            method_header: "HMAC-SHA1",
            version_header: "1.0",
            trailing_question: false,
            secret: SK,
            family: "x-authing-",
            scheme: "authing",
        }
    }

    /// GenAuth's rebranded Node SDK (`@genauth/nodejs`): `x-genauth-*` headers, `scheme` prefix.
    fn genauth(nonce: &str, scheme: &'static str) -> Self {
        NodeSigner {
            family: "x-genauth-",
            scheme,
            ..NodeSigner::new(nonce)
        }
    }

    /// The headers to send. `params` are the SDK's params (GET) or body (POST) object members,
    /// already rendered: strings raw, objects as JSON.stringify left them.
    fn headers(&self, method: &str, path: &str, params: &[(&str, &str)]) -> Vec<(String, String)> {
        let family = self.family;
        let mut headers = vec![
            ("accept".to_string(), "application/json".to_string()),
            ("content-type".to_string(), "application/json".to_string()),
            (format!("{family}signature-nonce"), self.nonce.clone()),
            (
                format!("{family}signature-method"),
                self.method_header.to_string(),
            ),
            (
                format!("{family}signature-version"),
                self.version_header.to_string(),
            ),
            (
                format!("{family}sdk-version"),
                "authing-node-sdk:4.0.1".to_string(),
            ),
            (format!("{family}lang"), "zh-CN".to_string()),
            ("date".to_string(), self.date.clone()),
        ];
        let mut signed: Vec<&(String, String)> = headers
            .iter()
            .filter(|(k, _)| k.starts_with(family) || k == "date")
            .collect();
        signed.sort();
        let mut text = format!("{method}\n");
        for (k, v) in signed {
            text.push_str(&format!("{k}:{}\n", v.trim()));
        }
        let mut params = params.to_vec();
        params.sort();
        if params.is_empty() {
            text.push_str(path);
            if self.trailing_question {
                text.push('?');
            }
        } else {
            let joined: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            text.push_str(&format!("{path}?{}", joined.join("&")));
        }
        let mut mac = Hmac::<Sha1>::new_from_slice(self.secret.as_bytes()).unwrap();
        mac.update(text.as_bytes());
        let signature = STANDARD.encode(mac.finalize().into_bytes());
        headers.push((
            "authorization".into(),
            format!("{} {AK}:{signature}", self.scheme),
        ));
        headers
    }
}

async fn send_signed(
    api: &Api,
    method: &str,
    path_and_query: &str,
    headers: Vec<(String, String)>,
    body: Option<String>,
) -> Value {
    let mut req = match method {
        "GET" => api.http.get(api.url(path_and_query)),
        _ => api.http.post(api.url(path_and_query)),
    };
    for (k, v) in headers {
        req = req.header(k, v);
    }
    if let Some(body) = body {
        req = req.body(body);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

#[tokio::test]
async fn node_sdk_signed_requests_are_verified() {
    let api = Api::start().await;
    // GET with Content-Type and no body, no parameters.
    let headers = NodeSigner::new("n1").headers("GET", "/api/v3/list-ext-idp", &[]);
    let body = send_signed(&api, "GET", "/api/v3/list-ext-idp", headers, None).await;
    assert_eq!(body["statusCode"], 200, "{body}");
    // listExtIdp({}): every param undefined, so the SDK signed `/api/v3/list-ext-idp?`.
    let mut signer = NodeSigner::new("n2");
    signer.trailing_question = true;
    let headers = signer.headers("GET", "/api/v3/list-ext-idp", &[]);
    let body = send_signed(&api, "GET", "/api/v3/list-ext-idp", headers, None).await;
    assert_eq!(body["statusCode"], 200, "{body}");

    // POST: body members signed sorted, the object member as JSON.stringify wrote it.
    let idp = api.ext_idp("GitHub", "github").await;
    let fields = r#"{"clientSecret":"s e","clientId":"a&b"}"#;
    let body_text = format!(
        r#"{{"type":"github","identifier":"gh-signed","extIdpId":"{idp}","displayName":"Sign in","fields":{fields},"loginOnly":true}}"#
    );
    let params = [
        ("type", "github"),
        ("identifier", "gh-signed"),
        ("extIdpId", idp.as_str()),
        ("displayName", "Sign in"),
        ("fields", fields),
        ("loginOnly", "true"),
    ];
    let headers = NodeSigner::new("n3").headers("POST", "/api/v3/create-ext-idp-conn", &params);
    let body = send_signed(
        &api,
        "POST",
        "/api/v3/create-ext-idp-conn",
        headers,
        Some(body_text),
    )
    .await;
    assert_eq!(body["statusCode"], 200, "{body}");
    assert_eq!(body["data"]["loginOnly"], true);

    // GET with query parameters (decoded before signing).
    let headers =
        NodeSigner::new("n4").headers("GET", "/api/v3/get-ext-idp", &[("id", idp.as_str())]);
    let path = format!("/api/v3/get-ext-idp?id={idp}");
    let body = send_signed(&api, "GET", &path, headers, None).await;
    assert_eq!(body["statusCode"], 200, "{body}");
    assert_eq!(body["data"]["connections"][0]["fields"]["clientId"], "a&b");
}

#[tokio::test]
async fn signature_failures_carry_api_codes_1300_to_1306() {
    let api = Api::start().await;
    let path = "/api/v3/list-ext-idp";
    let check = |body: Value, api_code: u64| {
        assert_eq!(body["statusCode"], 401, "{body}");
        assert_eq!(body["apiCode"], api_code, "{body}");
    };

    let mut wrong = NodeSigner::new("f1");
    wrong.secret = "not-the-secret";
    check(
        send_signed(&api, "GET", path, wrong.headers("GET", path, &[]), None).await,
        1300,
    );
    // Signed for one query, sent with another.
    let headers = NodeSigner::new("f2").headers("GET", path, &[("tenantId", "t1")]);
    check(
        send_signed(
            &api,
            "GET",
            "/api/v3/list-ext-idp?tenantId=t2",
            headers,
            None,
        )
        .await,
        1300,
    );

    let mut method = NodeSigner::new("f3");
    method.method_header = "HMAC-SHA256";
    check(
        send_signed(&api, "GET", path, method.headers("GET", path, &[]), None).await,
        1301,
    );
    let mut version = NodeSigner::new("f4");
    version.version_header = "2.0";
    check(
        send_signed(&api, "GET", path, version.headers("GET", path, &[]), None).await,
        1302,
    );
    let mut bad_date = NodeSigner::new("f5");
    bad_date.date = "yesterday".into();
    check(
        send_signed(&api, "GET", path, bad_date.headers("GET", path, &[]), None).await,
        1303,
    );
    let no_date: Vec<(String, String)> = NodeSigner::new("f6")
        .headers("GET", path, &[])
        .into_iter()
        .filter(|(k, _)| k != "date")
        .collect();
    check(send_signed(&api, "GET", path, no_date, None).await, 1304);
    let mut old = NodeSigner::new("f7");
    old.date = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
    check(
        send_signed(&api, "GET", path, old.headers("GET", path, &[]), None).await,
        1305,
    );
    // The Java SDK's ms-epoch date is accepted.
    let mut java = NodeSigner::new("f8");
    java.date = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    let body = send_signed(&api, "GET", path, java.headers("GET", path, &[]), None).await;
    assert_eq!(body["statusCode"], 200, "{body}");

    let replayed = NodeSigner::new("f9").headers("GET", path, &[]);
    let body = send_signed(&api, "GET", path, replayed.clone(), None).await;
    assert_eq!(body["statusCode"], 200, "{body}");
    check(send_signed(&api, "GET", path, replayed, None).await, 1306);
}

#[tokio::test]
async fn connection_lifecycle_and_fields_merge() {
    let api = Api::start().await;
    let idp = api.ext_idp("Acme OIDC", "oidc").await;
    let create = json!({
        "extIdpId": idp,
        "type": "oidc",
        "identifier": "acme-oidc",
        "displayName": "Acme",
        "fields": {"clientId": "cid", "clientSecret": "s3cret", "issuerUrl": "https://idp.example.com"},
        "loginOnly": true,
        "logo": "https://example.com/logo.png",
    });
    let body = api
        .post("/api/v3/create-ext-idp-conn", create.clone())
        .await;
    assert_eq!(body["statusCode"], 200, "{body}");
    let data = &body["data"];
    let id = data["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 24);
    assert_eq!(
        data,
        &json!({
            "id": id, "type": "oidc", "extIdpId": idp, "logo": "https://example.com/logo.png",
            "identifier": "acme-oidc", "displayName": "Acme", "loginOnly": true,
            "associationMode": "none", "challengeBindingMethods": [],
        }),
        "create answers ExtIdpConnDetail without fields"
    );

    let body = api.post("/api/v3/create-ext-idp-conn", create).await;
    assert_error(&body, 409);

    let body = api
        .post(
            "/api/v3/update-ext-idp-conn",
            json!({"id": id, "displayName": "Acme SSO", "fields": {"clientSecret": "new", "extra": {"a": 1}}, "loginOnly": false}),
        )
        .await;
    assert_eq!(body["statusCode"], 200, "{body}");
    assert!(body["data"].get("fields").is_none(), "update omits fields");
    assert_eq!(body["data"]["displayName"], "Acme SSO");
    assert_eq!(body["data"]["loginOnly"], false);
    assert_eq!(
        body["data"]["logo"], "https://example.com/logo.png",
        "logo kept when omitted"
    );

    let body = api.get(&format!("/api/v3/get-ext-idp?id={idp}")).await;
    let detail = &body["data"];
    assert_eq!(detail["type"], "oidc");
    assert_eq!(detail["autoJoin"], false);
    let conn = &detail["connections"][0];
    assert_eq!(conn["id"], id);
    assert_eq!(
        conn["fields"],
        json!({"clientId": "cid", "clientSecret": "new", "issuerUrl": "https://idp.example.com", "extra": {"a": 1}}),
        "fields merged shallowly, secrets in clear"
    );
    assert_eq!(api.sim.connections(), vec![conn.clone()]);

    let body = api
        .post("/api/v3/delete-ext-idp-conn", json!({"id": id}))
        .await;
    assert_eq!(body["data"], json!({"success": true}));
    let body = api
        .post("/api/v3/delete-ext-idp-conn", json!({"id": id}))
        .await;
    assert_error(&body, 404);
    let body = api
        .post(
            "/api/v3/update-ext-idp-conn",
            json!({"id": id, "displayName": "x", "fields": {}}),
        )
        .await;
    assert_error(&body, 404);
    // The identifier is free again.
    let body = api.conn(&idp, "oidc", "acme-oidc").await;
    assert_eq!(body["statusCode"], 200, "{body}");
}

/// `fields` is a free-form object on GenAuth's side: the simulator stores and returns it as
/// given, whatever the values (the OIDC `mode`, the SAML request settings in any spelling, types
/// no key is known to have), and an update merges it one level deep.
#[tokio::test]
async fn fields_are_kept_verbatim_whatever_their_values() {
    let api = Api::start().await;
    let saml_idp = api.ext_idp("Corp SAML", "saml").await;
    let fields = json!({
        "signInEndPoint": "https://idp.example.com/sso",
        "signSamlRequest": true,
        "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "digestAlgorithm": "sha1",
        "protocolBinding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        "odd": [1, {"nested": null}, 2.5]
    });
    let body = api
        .post(
            "/api/v3/create-ext-idp-conn",
            json!({"extIdpId": saml_idp, "type": "saml", "identifier": "corp-saml",
                   "displayName": "Corp", "fields": fields}),
        )
        .await;
    assert_eq!(body["statusCode"], 200, "{body}");
    let id = body["data"]["id"].as_str().unwrap().to_string();
    let body = api.get(&format!("/api/v3/get-ext-idp?id={saml_idp}")).await;
    assert_eq!(body["data"]["connections"][0]["fields"], fields);

    let body = api
        .post(
            "/api/v3/update-ext-idp-conn",
            json!({"id": id, "displayName": "Corp", "fields": {"protocolBinding": "HTTP-Redirect", "mode": "FRONT_CHANNEL"}}),
        )
        .await;
    assert_eq!(body["statusCode"], 200, "{body}");
    let mut merged = fields.clone();
    merged["protocolBinding"] = json!("HTTP-Redirect");
    merged["mode"] = json!("FRONT_CHANNEL");
    let body = api.get(&format!("/api/v3/get-ext-idp?id={saml_idp}")).await;
    assert_eq!(body["data"]["connections"][0]["fields"], merged);
}

#[tokio::test]
async fn bad_arguments_are_400_envelopes() {
    let api = Api::start().await;
    let idp = api.ext_idp("Google", "google").await;
    let base = json!({"extIdpId": idp, "type": "google", "identifier": "g", "displayName": "G", "fields": {}});
    for (key, value, mentions) in [
        ("fields", Value::Null, "fields"),
        ("fields", json!("clientId=1"), "fields"),
        ("loginOnly", json!("yes"), "loginOnly"),
        ("identifier", json!(""), "identifier"),
        ("displayName", json!(42), "displayName"),
        ("type", json!("google-oauth2"), "type"),
        ("logo", json!(true), "logo"),
    ] {
        let mut body = base.clone();
        body[key] = value;
        let answer = api.post("/api/v3/create-ext-idp-conn", body).await;
        assert_error(&answer, 400);
        assert!(
            answer["message"].as_str().unwrap().contains(mentions),
            "{answer}"
        );
    }
    let answer = api
        .post(
            "/api/v3/create-ext-idp",
            json!({"name": "x", "type": "oauth"}),
        )
        .await;
    assert_error(&answer, 400);
    // A connection must sit under a source of its own type.
    let mut body = base.clone();
    body["type"] = json!("github");
    assert_error(&api.post("/api/v3/create-ext-idp-conn", body).await, 400);
    let mut body = base.clone();
    body["extIdpId"] = json!("000000000000000000000000");
    assert_error(&api.post("/api/v3/create-ext-idp-conn", body).await, 404);
    // Malformed JSON.
    let auth = api.auth();
    let headers: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, answer) = api
        .raw_post("/api/v3/create-ext-idp-conn", &headers, "{\"a\":".into())
        .await;
    assert_eq!(status, 200);
    assert_error(&answer, 400);
    let (status, answer) = api
        .raw_post("/api/v3/create-ext-idp-conn", &headers, "[]".into())
        .await;
    assert_eq!(status, 200);
    assert_error(&answer, 400);
    assert_error(&api.get("/api/v3/get-ext-idp").await, 400);
    assert_error(&api.get("/api/v3/get-ext-idp?id=nope").await, 404);
    assert_error(&api.get("/api/v3/list-tenant-ext-idp?limit=51").await, 400);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_real_404s() {
    let api = Api::start().await;
    let auth = api.auth();
    let headers: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = api.raw_get("/api/v3/list-ext-idp-conns", &headers).await;
    assert_eq!(status, 404);
    assert_eq!(body["statusCode"], 404);
    let (status, body) = api.raw_get("/api/v3/create-ext-idp", &headers).await;
    assert_eq!(status, 404);
    assert!(body["message"].as_str().unwrap().contains("Cannot GET"));
}

#[tokio::test]
async fn ext_idps_list_update_and_delete_with_their_connections() {
    let api = Api::start().await;
    let a = api.ext_idp("A", "oauth2").await;
    let b = api.ext_idp("B", "wechat").await;
    let tenant = api
        .post(
            "/api/v3/create-ext-idp",
            json!({"name": "T", "type": "saml", "tenantId": "t1"}),
        )
        .await["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(api.conn(&a, "oauth", "oa").await["statusCode"], 200);
    assert_eq!(api.conn(&b, "wechat:pc", "wx-pc").await["statusCode"], 200);
    assert_eq!(
        api.conn(&b, "wechatmp-qrcode", "wx-mp").await["statusCode"],
        200
    );

    let list = api.get("/api/v3/list-ext-idp").await;
    assert_eq!(list["data"]["totalCount"], 3);
    let ids: Vec<&str> = list["data"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![a.as_str(), b.as_str(), tenant.as_str()],
        "creation order"
    );
    assert_eq!(
        list["data"]["list"][0],
        json!({"id": a, "name": "A", "logo": "", "type": "oauth2"})
    );
    let list = api.get("/api/v3/list-ext-idp?tenantId=t1").await;
    assert_eq!(list["data"]["list"][0]["tenantId"], "t1");
    assert_eq!(list["data"]["totalCount"], 1);

    let body = api
        .post("/api/v3/update-ext-idp", json!({"id": a, "name": "A2"}))
        .await;
    assert_eq!(body["data"]["name"], "A2");
    assert_error(
        &api.post("/api/v3/update-ext-idp", json!({"id": "x", "name": "n"}))
            .await,
        404,
    );

    let body = api.post("/api/v3/delete-ext-idp", json!({"id": b})).await;
    assert_eq!(body["data"]["success"], true);
    let remaining: Vec<Value> = api
        .sim
        .connections()
        .into_iter()
        .map(|c| c["identifier"].clone())
        .collect();
    assert_eq!(remaining, vec![json!("oa")]);
    assert_error(&api.get(&format!("/api/v3/get-ext-idp?id={b}")).await, 404);
    // The identifiers of the deleted source's connections are free again.
    let c = api.ext_idp("C", "wechat").await;
    assert_eq!(api.conn(&c, "wechat:pc", "wx-pc").await["statusCode"], 200);
}

#[tokio::test]
async fn state_switches_and_tenant_listing() {
    let api = Api::start().await;
    let idp = api.ext_idp("GH", "github").await;
    let conn = api.conn(&idp, "github", "gh").await["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let body = api
        .post(
            "/api/v3/change-ext-idp-conn-state",
            json!({"id": conn, "enabled": true, "appId": "app1", "appIds": ["app2"]}),
        )
        .await;
    assert_eq!(body["data"]["success"], true);
    assert_error(
        &api.post(
            "/api/v3/change-ext-idp-conn-state",
            json!({"id": conn, "enabled": true}),
        )
        .await,
        400,
    );
    let body = api
        .post(
            "/api/v3/change-ext-idp-conn-association-state",
            json!({"id": conn, "association": true, "tenantId": "t1"}),
        )
        .await;
    assert_eq!(body["data"]["success"], true);
    let body = api
        .post(
            "/api/v3/change-userpool-tenant-ext-idp-conn-state",
            json!({"enabled": false, "connIds": [conn]}),
        )
        .await;
    assert_eq!(body["data"]["success"], true);
    assert_error(
        &api.post(
            "/api/v3/change-userpool-tenant-ext-idp-conn-state",
            json!({"enabled": false, "connIds": [conn, "missing"]}),
        )
        .await,
        404,
    );

    let apps = api
        .get(&format!("/api/v3/ext-idp-conn-apps?id={idp}"))
        .await;
    let item = &apps["data"]["list"][0];
    assert_eq!(item["id"], conn);
    assert_eq!(
        item["apps"],
        json!([{"appId": "app1", "enabled": true}, {"appId": "app2", "enabled": true}])
    );
    assert_eq!(
        item["tenants"],
        json!([{"tenantId": "t1", "association": true}])
    );
    assert_eq!(item["tenantEnabled"], false);
    let by_app = api.get("/api/v3/list-ext-idp?appId=app2").await;
    assert_eq!(by_app["data"]["totalCount"], 1);
    let by_app = api.get("/api/v3/list-ext-idp?appId=other").await;
    assert_eq!(by_app["data"]["totalCount"], 0);

    for i in 0..12 {
        api.ext_idp(&format!("S{i}"), "saml").await;
    }
    let page = api
        .get("/api/v3/list-tenant-ext-idp?page=2&limit=5&type=enterprise")
        .await;
    assert_eq!(page["data"]["totalCount"], 12);
    assert_eq!(page["data"]["list"].as_array().unwrap().len(), 5);
    assert_eq!(page["data"]["list"][0]["name"], "S5");
    let social = api.get("/api/v3/list-tenant-ext-idp?type=social").await;
    assert_eq!(social["data"]["totalCount"], 1);
    assert_error(
        &api.get("/api/v3/list-tenant-ext-idp?type=other").await,
        400,
    );
}

#[tokio::test]
async fn throttle_and_server_error_answers() {
    let sim = GenAuthSim::new();
    let response = sim.rate_limited(Duration::from_secs(1));
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("retry-after").is_none());
    let body: Value = serde_json::from_slice(
        &axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        body,
        json!({"statusCode": 429, "message": "您的请求已超过最大数量限制，请稍后重试"})
    );
    let response = sim.server_error();
    assert_eq!(response.status(), 500);
    let body: Value = serde_json::from_slice(
        &axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["statusCode"], 500);
    assert!(body["requestId"].is_string());
    assert!(sim.is_token_path("/api/v3/get-management-token"));
    assert!(!sim.is_token_path("/api/v3/list-ext-idp"));
    let vars = sim.env_vars("http://127.0.0.1:1");
    let names: Vec<&str> = vars.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "GENAUTH_HOST",
            "GENAUTH_USERPOOL_ID",
            "GENAUTH_ACCESS_KEY_ID",
            "GENAUTH_ACCESS_KEY_SECRET"
        ]
    );
}

#[tokio::test]
async fn concurrent_creates_land_once_each() {
    let api = Api::start().await;
    let idp = api.ext_idp("Many", "oidc").await;
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let (http, url, token, idp, gate) = (
            api.http.clone(),
            api.url("/api/v3/create-ext-idp-conn"),
            api.token.clone(),
            idp.clone(),
            gate.clone(),
        );
        tasks.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let body: Value = http
                .post(url)
                .bearer_auth(token)
                .header("x-authing-userpool-id", AK)
                .json(
                    &json!({"extIdpId": idp, "type": "oidc", "identifier": format!("c{i}"),
                    "displayName": "C", "fields": {}}),
                )
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["statusCode"].as_u64()
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), Some(200));
    }
    let detail = api.get(&format!("/api/v3/get-ext-idp?id={idp}")).await;
    assert_eq!(detail["data"]["connections"].as_array().unwrap().len(), 200);
    assert_eq!(api.sim.connections().len(), 200);
}

/// GenAuth's own SDKs: the Python SDK names the pool in `x-genauth-userpool-id`; the Node SDK
/// signs `GenAuth <AK>:<sig>` over `x-genauth-*` headers. Both brands are accepted, a call
/// naming no pool is refused, and a pool header that disagrees is refused.
#[tokio::test]
async fn genauth_branded_headers_and_signatures_are_accepted() {
    let api = Api::start().await;
    let bearer = format!("Bearer {}", api.token);
    for header in ["x-authing-userpool-id", "x-genauth-userpool-id"] {
        let (_, body) = api
            .raw_get(
                "/api/v3/list-ext-idp",
                &[("authorization", bearer.as_str()), (header, AK)],
            )
            .await;
        assert_eq!(body["statusCode"], 200, "{header}: {body}");
    }
    let (_, body) = api
        .raw_get(
            "/api/v3/list-ext-idp",
            &[
                ("authorization", bearer.as_str()),
                ("x-authing-userpool-id", AK),
                ("x-genauth-userpool-id", "other"),
            ],
        )
        .await;
    assert_error(&body, 403);
    let (_, body) = api
        .raw_get(
            "/api/v3/list-ext-idp",
            &[("authorization", bearer.as_str())],
        )
        .await;
    assert_error(&body, 401);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("x-genauth-userpool-id"),
        "{body}"
    );

    for (nonce, scheme) in [("g1", "GenAuth"), ("g2", "genauth")] {
        let headers =
            NodeSigner::genauth(nonce, scheme).headers("GET", "/api/v3/list-ext-idp", &[]);
        let body = send_signed(&api, "GET", "/api/v3/list-ext-idp", headers, None).await;
        assert_eq!(body["statusCode"], 200, "{scheme}: {body}");
    }
    // A GenAuth-branded signature over the Authing header family does not verify: the brand
    // names the headers that were signed.
    let mut mixed = NodeSigner::new("g3");
    mixed.scheme = "GenAuth";
    let headers = mixed.headers("GET", "/api/v3/list-ext-idp", &[]);
    let body = send_signed(&api, "GET", "/api/v3/list-ext-idp", headers, None).await;
    assert_error(&body, 401);
}
