//! Serving a [`VendorApi`] on 127.0.0.1 with the knobs around it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::gate::Gate;
use crate::knobs::{FaultCounts, Knobs};
use crate::{SimVendor, VendorApi};

/// Starts simulators.
pub struct Sim;

/// A running simulator. Dropping it (or calling [`SimHandle::stop`]) stops the server: the
/// port is closed and open connections are cut.
pub struct SimHandle {
    addr: SocketAddr,
    vendor: SimVendor,
    api: Arc<dyn VendorApi>,
    counts: Arc<FaultCounts>,
    gate: Arc<Gate>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Sim {
    /// An Auth0 simulator ([`crate::auth0::Auth0Sim::new`]) on an OS-chosen port, without knobs.
    pub async fn auth0() -> std::io::Result<SimHandle> {
        Sim::start(crate::auth0::Auth0Sim::new(), Knobs::default(), 0).await
    }

    /// A GenAuth simulator ([`crate::genauth::GenAuthSim::new`]) on an OS-chosen port, without
    /// knobs.
    pub async fn genauth() -> std::io::Result<SimHandle> {
        Sim::start(crate::genauth::GenAuthSim::new(), Knobs::default(), 0).await
    }

    /// An ezto auth simulator ([`crate::ezto::EztoSim::new`]) on an OS-chosen port, without
    /// knobs.
    pub async fn ezto() -> std::io::Result<SimHandle> {
        Sim::start(crate::ezto::EztoSim::new(), Knobs::default(), 0).await
    }

    /// A plain Keycloak simulator ([`crate::ezto::EztoSim::keycloak`]) on an OS-chosen port,
    /// without knobs.
    pub async fn keycloak() -> std::io::Result<SimHandle> {
        Sim::start(crate::ezto::EztoSim::keycloak(), Knobs::default(), 0).await
    }

    /// Serves `api` on 127.0.0.1 at `port` (0 for an OS-chosen one) with `knobs`.
    pub async fn start<V: VendorApi>(
        api: V,
        knobs: Knobs,
        port: u16,
    ) -> std::io::Result<SimHandle> {
        let api: Arc<dyn VendorApi> = Arc::new(api);
        let counts = Arc::new(FaultCounts::default());
        let router = api.clone().router();
        let gate = Arc::new(Gate::new(api.clone(), router, knobs, counts.clone()));
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(accept_until_stopped(listener, gate.clone(), rx));
        Ok(SimHandle {
            addr,
            vendor: api.vendor(),
            api,
            counts,
            gate,
            shutdown: Some(tx),
        })
    }
}

/// Accepts connections until the handle says stop (or is gone), then cuts every connection.
async fn accept_until_stopped(
    listener: TcpListener,
    gate: Arc<Gate>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, gate.clone()));
                }
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    connections.abort_all();
}

async fn serve_connection(stream: TcpStream, gate: Arc<Gate>) {
    // Small JSON answers: do not let Nagle hold them back.
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let gate = gate.clone();
        async move { gate.serve(request.map(Body::new)).await }
    });
    // A connection ending in an error (a client gone, or an injected drop) concerns nobody else.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
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

    /// Adds an application to the tenant ([`VendorApi::add_application`]): its id, or `None`
    /// where the vendor has no per-application switches.
    pub fn add_application(&self, name: &str) -> Option<String> {
        self.api.add_application(name)
    }

    /// The fault and refusal counters.
    pub fn counts(&self) -> &FaultCounts {
        &self.counts
    }

    /// The knobs in force.
    pub fn knobs(&self) -> Knobs {
        self.gate.knobs()
    }

    /// Replaces the knobs while the server runs (for example: seed data, then turn faults on).
    /// The rate-limit bucket starts full and the fault generator restarts from the new seed;
    /// the counters keep counting.
    pub fn set_knobs(&self, knobs: Knobs) {
        self.gate.set_knobs(knobs);
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
