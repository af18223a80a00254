//! `idconn-sim`: serves one simulated vendor API on 127.0.0.1 for clients in any language.
//!
//! Once listening it prints one `KEY=VALUE` line per environment variable a client needs (the
//! `idconn` CLI's names), flushed, then serves until SIGINT or SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use idconn_sim::auth0::Auth0Sim;
use idconn_sim::ezto::EztoSim;
use idconn_sim::genauth::GenAuthSim;
use idconn_sim::upstream::UpstreamIdp;
use idconn_sim::{Faults, Knobs, RateLimit, Sim, SimHandle, VendorApi};

const FAULTS_HELP: &str = "\
Fault SPEC: comma-separated key=value pairs, every key optional:
  error_before=SHARE  answer a 5xx before handling (nothing changes)
  error_after=SHARE   writes only: apply the change, then answer a 5xx
  drop_after=SHARE    writes only: apply the change, then close the connection unanswered
  rate_limited=SHARE  answer the vendor's 429 although the rate limit was not reached
  latency_ms=MS       add MS milliseconds to every request
SHARE is from 0 to 1; the four shares add up to at most 1. The token endpoint is never
faulted (latency and the rate limit still apply). Example:
  --faults error_before=0.1,error_after=0.05,drop_after=0.02,rate_limited=0.05,latency_ms=20

Output: once listening, one KEY=VALUE line per environment variable a client needs
(e.g. AUTH0_BASE_URL=http://127.0.0.1:PORT; for upstream IDCONN_UPSTREAM_ISSUER and
IDCONN_UPSTREAM_SAML_METADATA_URL), then it serves until SIGINT or SIGTERM.";

/// Serve a faithful in-memory simulator of one vendor's connection-management API on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "idconn-sim", version, after_help = FAULTS_HELP)]
struct Args {
    /// The vendor API to simulate.
    vendor: VendorName,

    /// The port on 127.0.0.1; 0 lets the system pick a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// A token-bucket rate limit: BURST requests at once, refilled at PER_SEC per second
    /// (e.g. 10/2). Unlimited when absent.
    #[arg(long, value_name = "BURST/PER_SEC")]
    rate_limit: Option<RateLimit>,

    /// Injected faults (see "Fault SPEC" below). None when absent.
    #[arg(long, value_name = "SPEC")]
    faults: Option<Faults>,

    /// The seed of the fault generator: the same seed repeats the same faults.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// The vendors, as named on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum VendorName {
    /// Auth0 Management API v2 (`/api/v2/connections`).
    Auth0,
    /// GenAuth (Authing V3) ext-idp connections.
    Genauth,
    /// ezto auth (Keycloak admin API identity providers under `/auth`).
    Eztoauth,
    /// A plain Keycloak 17+ (the same admin API at the root, admin tokens from `master`).
    Keycloak,
    /// A customer's identity provider to onboard from: OpenID discovery, JWKS and SAML
    /// metadata with a fresh certificate (the rate-limit and fault options do not apply).
    Upstream,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) if !error.use_stderr() => {
            // --help and --version.
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("idconn-sim: {}", one_line(&error.to_string()));
            return ExitCode::from(2);
        }
    };
    let knobs = Knobs {
        rate_limit: args.rate_limit,
        faults: args.faults.unwrap_or_default(),
        seed: args.seed,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("idconn-sim: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async move {
        // One arm per vendor.
        match args.vendor {
            VendorName::Auth0 => serve(Auth0Sim::new(), knobs, args.port).await,
            VendorName::Genauth => serve(GenAuthSim::new(), knobs, args.port).await,
            VendorName::Eztoauth => serve(EztoSim::new(), knobs, args.port).await,
            VendorName::Keycloak => serve(EztoSim::keycloak(), knobs, args.port).await,
            VendorName::Upstream => serve_upstream(args.port).await,
        }
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("idconn-sim: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Starts `api`, prints its environment, and serves until SIGINT or SIGTERM.
async fn serve<V: VendorApi>(api: V, knobs: Knobs, port: u16) -> Result<(), String> {
    // Listen for the signals before announcing the server: a client that reads the environment
    // and stops us at once must find the handlers in place, not the default (a killed process).
    let stopped = stop_signals()?;
    let sim = Sim::start(api, knobs, port)
        .await
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port} (--port): {error}"))?;
    // A reader that closed the pipe after the lines it wanted still gets a server.
    if let Err(error) = print_env(&sim) {
        eprintln!("idconn-sim: cannot write the environment to standard output: {error}");
    }
    eprintln!(
        "idconn-sim: {:?} simulator listening on {}",
        sim.vendor(),
        sim.base_url()
    );
    stopped.await;
    sim.stop();
    Ok(())
}

/// Starts the upstream identity provider, prints its environment, and serves until SIGINT or
/// SIGTERM.
async fn serve_upstream(port: u16) -> Result<(), String> {
    let stopped = stop_signals()?;
    let upstream = UpstreamIdp::start(port)
        .await
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port} (--port): {error}"))?;
    if let Err(error) = print_vars(&upstream.env_vars()) {
        eprintln!("idconn-sim: cannot write the environment to standard output: {error}");
    }
    eprintln!(
        "idconn-sim: upstream identity provider listening on {}",
        upstream.issuer()
    );
    stopped.await;
    upstream.stop();
    Ok(())
}

fn print_env(sim: &SimHandle) -> std::io::Result<()> {
    print_vars(&sim.env_vars())
}

fn print_vars(vars: &[(String, String)]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for (key, value) in vars {
        writeln!(out, "{key}={value}")?;
    }
    out.flush()
}

/// A future that ends at the first SIGINT or SIGTERM (both handlers installed on return).
fn stop_signals() -> Result<impl std::future::Future<Output = ()>, String> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt =
        signal(SignalKind::interrupt()).map_err(|e| format!("cannot listen for SIGINT: {e}"))?;
    let mut terminate =
        signal(SignalKind::terminate()).map_err(|e| format!("cannot listen for SIGTERM: {e}"))?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// clap's message without its usage and tip lines, on one line (it names the flag at fault).
fn one_line(message: &str) -> String {
    let text = message.trim_start_matches("error:").trim();
    text.split("\n\n")
        .next()
        .unwrap_or(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
