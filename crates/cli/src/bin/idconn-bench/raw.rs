//! The baseline: plain reqwest POSTs of the same bodies, with a token fetched once.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};

/// An Auth0 simulator's management token, by client credentials.
pub async fn token(client: &reqwest::Client, vars: &[(String, String)]) -> Result<String, String> {
    let var = |name: &str| {
        vars.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("the simulator gave no {name}"))
    };
    let base = var("AUTH0_BASE_URL")?;
    let body = json!({
        "grant_type": "client_credentials",
        "client_id": var("AUTH0_CLIENT_ID")?,
        "client_secret": var("AUTH0_CLIENT_SECRET")?,
        "audience": format!("https://{}/api/v2/", var("AUTH0_DOMAIN")?),
    });
    let answer: Value = client
        .post(format!("{base}/oauth/token"))
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    answer["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no access_token in {answer}"))
}

/// POSTs every body to `{base}/api/v2/connections`, `concurrency` at a time; the elapsed time.
/// Every answer must be a 201, read to the end (as a client that uses the result would).
pub async fn post_all(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    bodies: &[Value],
    concurrency: usize,
) -> Result<Duration, String> {
    let url = format!("{base}/api/v2/connections");
    let started = Instant::now();
    let mut answers = futures::stream::iter(bodies)
        .map(|body| {
            let request = client.post(&url).bearer_auth(token).json(body);
            async move {
                let response = request.send().await.map_err(|e| e.to_string())?;
                let status = response.status();
                let bytes = response.bytes().await.map_err(|e| e.to_string())?;
                if status.as_u16() == 201 {
                    Ok(bytes.len())
                } else {
                    Err(format!(
                        "HTTP {status}: {}",
                        String::from_utf8_lossy(&bytes)
                    ))
                }
            }
        })
        .buffer_unordered(concurrency);
    while let Some(answer) = answers.next().await {
        answer?;
    }
    Ok(started.elapsed())
}
