//! Serving a [`VendorApi`] on 127.0.0.1 with the knobs around it.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;

use crate::knobs::{FaultCounts, Knobs};
use crate::{SimVendor, VendorApi};

/// Starts simulators.
pub struct Sim;

/// A running simulator. Dropping it (or calling [`SimHandle::stop`]) stops the server.
pub struct SimHandle {
    addr: SocketAddr,
    vendor: SimVendor,
    api: Arc<dyn VendorApi>,
    counts: Arc<FaultCounts>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Sim {
    /// Serves `api` on 127.0.0.1 at `port` (0 for an OS-chosen one) with `knobs`.
    pub async fn start<V: VendorApi>(
        api: V,
        knobs: Knobs,
        port: u16,
    ) -> std::io::Result<SimHandle> {
        let api = Arc::new(api);
        let counts = Arc::new(FaultCounts::default());
        let _ = knobs;
        let router = api.clone().router();
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(SimHandle {
            addr,
            vendor: api.vendor(),
            api,
            counts,
            shutdown: Some(tx),
        })
    }
}

impl SimHandle {
    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Which vendor this simulator plays.
    pub fn vendor(&self) -> SimVendor {
        self.vendor
    }

    /// The environment variables the `idconn` CLI needs to reach this simulator.
    pub fn env_vars(&self) -> Vec<(String, String)> {
        self.api.env_vars(&self.base_url())
    }

    /// Every stored connection as the vendor's JSON, for assertions.
    pub fn connections(&self) -> Vec<serde_json::Value> {
        self.api.connections()
    }

    /// The fault and refusal counters.
    pub fn counts(&self) -> &FaultCounts {
        &self.counts
    }

    /// Stops the server.
    pub fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
