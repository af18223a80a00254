//! `idconn-bench`: idconn's speed against the in-process simulators, printed as a table.
//!
//! Run it in release mode, after building the `idconn` binary it runs in section 5:
//! `cargo build --release -p idconn-cli && target/release/idconn-bench`.
//! 1. Bulk create of 2,000 connections on the Auth0 simulator (no rate limit) through
//!    `apply`, at concurrency 1, 8 and 32, beside raw reqwest POSTs of the same bodies.
//! 2. A migration of 300 connections into an Auth0 simulator limited to burst 50, 16/s.
//! 3. `list_all` over 2,000 and 20,000 connections: peak heap while listing.
//! 4. An export (`list_all_complete`) of 2,000 ezto providers with two mappers each, under a
//!    rate limit of burst 50, 16/s: one list request per page and one mapper read per provider,
//!    by a provider configured with the same limit as its own (`EztoBuilder::with_rate_limit`).
//! 5. `idconn export` of 200, 2,000 and 20,000 Auth0 connections, run as its own process:
//!    elapsed and peak resident size (needs the `idconn` binary built beside this one).

mod alloc;
mod export_process;
mod raw;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use futures::StreamExt;
use idconn::{AnyProvider, EztoBuilder, MigrateOptions, PlanOptions, apply, migrate, plan};
// The client's own limit; the simulator's server-side one is `idconn_sim::RateLimit`.
use idconn::RateLimit as ClientRateLimit;
use idconn::{
    AttributeMap, ClientSecret, Connection, ConnectionKind, DEFAULT_READ_CONCURRENCY,
    IdentityConnectionProvider, MappingRule, MappingSource, OAuthSettings, Policy, Settings,
    Vendor, list_all, list_all_complete,
};
use idconn_sim::auth0::Auth0Sim;
use idconn_sim::ezto::EztoSim;
use idconn_sim::{FaultCounts, Faults, Knobs, RateLimit, Sim, SimHandle};
use serde_json::Value;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const BULK: usize = 2_000;
/// Paired runs (raw, then idconn, or the other way round) per row of (1) without added
/// latency. These rows take milliseconds each and swing by a factor of two from run to run on
/// a shared machine, so one run says little: the table shows the best of each side and the
/// median of the paired ratios, which a rare fast run of either side does not move.
const QUICK_ROUNDS: usize = 25;
/// Paired runs per row of (1) with added latency, where a run takes seconds and varies little.
const SLOW_ROUNDS: usize = 3;
/// Added to every simulator answer in the second half of (1): a nearby network, where the
/// client's CPU no longer competes with an in-process server for the same cores.
const NEARBY: Duration = Duration::from_millis(10);
const MIGRATED: usize = 300;
const BURST: u32 = 50;
const PER_SECOND: f64 = 16.0;

fn main() -> ExitCode {
    // Section (5) runs this program again as a measurer of one child's peak resident size.
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, program, rest @ ..] = args.as_slice()
        && flag == export_process::MEASURER_FLAG
    {
        return match export_process::measure(program, rest) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs every section, or the one named as the first argument (`bulk`, `migrate`, `list`,
/// `export`, `export-process`).
async fn run() -> Result<(), String> {
    let only = std::env::args().nth(1);
    if let Some(other) = only
        .as_deref()
        .filter(|o| !["bulk", "migrate", "list", "export", "export-process"].contains(o))
    {
        return Err(format!(
            "unknown section \"{other}\"; expected bulk, migrate, list, export or export-process"
        ));
    }
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    println!(
        "idconn-bench: in-process simulators on 127.0.0.1, {} CPU(s)",
        cpus()
    );
    if wanted("bulk") {
        println!();
        bulk_create().await?;
    }
    if wanted("migrate") {
        println!();
        rate_limited_migration().await?;
    }
    if wanted("list") {
        println!();
        listing_memory().await?;
    }
    if wanted("export") {
        println!();
        rate_limited_export().await?;
    }
    if wanted("export-process") {
        println!();
        export_process::run().await?;
    }
    Ok(())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A neutral OIDC connection every vendor can hold.
fn connection(i: usize) -> Connection {
    let mut c = Connection::new(format!("bench-{i:05}"), ConnectionKind::Oidc);
    c.display_name = Some(format!("Bench {i}"));
    let idp = format!("https://idp{i}.bench.example");
    c.settings = Settings::OAuth(OAuthSettings {
        client_id: Some(format!("client-{i}")),
        client_secret: ClientSecret::known(format!("secret-{i}-bench")),
        scopes: vec!["openid".into(), "profile".into(), "email".into()],
        issuer: Some(idp.clone()),
        authorization_url: Some(format!("{idp}/authorize")),
        token_url: Some(format!("{idp}/token")),
        userinfo_url: Some(format!("{idp}/userinfo")),
        jwks_url: Some(format!("{idp}/jwks")),
        ..OAuthSettings::default()
    });
    c
}

async fn auth0_sim(knobs: Knobs) -> Result<SimHandle, String> {
    Sim::start(Auth0Sim::new(), knobs, 0)
        .await
        .map_err(|e| format!("cannot start the Auth0 simulator: {e}"))
}

fn provider(sim: &SimHandle) -> Result<AnyProvider, String> {
    AnyProvider::from_vars(Vendor::Auth0, &sim.env_vars()).map_err(|e| e.to_string())
}

/// The request bodies a create sends: the translation's payload with the real secret.
fn bodies(
    provider: &dyn IdentityConnectionProvider,
    connections: &[Connection],
) -> Result<Vec<Value>, String> {
    connections
        .iter()
        .map(|c| {
            let mut payload = provider
                .translate(c, &Policy::STRICT)
                .map_err(|e| e.to_string())?
                .payload;
            if let (Some(secret), Some(options)) = (
                c.settings.client_secret().expose(),
                payload.get_mut("options").and_then(Value::as_object_mut),
            ) {
                options.insert("client_secret".into(), Value::String(secret.to_string()));
            }
            Ok(payload)
        })
        .collect()
}

/// Creates `connections` on `sim` with raw POSTs (fast seeding, not measured).
async fn seed(sim: &SimHandle, connections: &[Connection]) -> Result<(), String> {
    let provider = provider(sim)?;
    let bodies = bodies(&provider, connections)?;
    let client = reqwest::Client::new();
    let token = raw::token(&client, &sim.env_vars()).await?;
    raw::post_all(&client, &sim.base_url(), &token, &bodies, 32).await?;
    Ok(())
}

fn per_second(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
}

async fn bulk_create() -> Result<(), String> {
    println!(
        "(1) bulk create of {BULK} connections, Auth0 simulator, no rate limit \
         ({QUICK_ROUNDS} paired runs at 0 ms, {SLOW_ROUNDS} at {} ms; idconn and raw alternate)",
        NEARBY.as_millis()
    );
    println!(
        "latency  concurrency  idconn apply, best (conn/s)  raw reqwest, best (conn/s)  best / best  median of pairs"
    );
    let connections: Vec<Connection> = (0..BULK).map(connection).collect();
    let rows = [
        (Duration::ZERO, 1usize),
        (Duration::ZERO, 8),
        (Duration::ZERO, 32),
        (NEARBY, 8),
        (NEARBY, 32),
    ];
    for (latency, concurrency) in rows {
        let knobs = Knobs {
            faults: Faults {
                latency,
                ..Faults::default()
            },
            ..Knobs::default()
        };
        let rounds = if latency.is_zero() {
            QUICK_ROUNDS
        } else {
            SLOW_ROUNDS
        };
        let (mut ours, mut raw) = (0f64, 0f64);
        let mut ratios = Vec::with_capacity(rounds);
        for round in 0..rounds {
            // Alternating who goes first keeps a slow patch of the machine from always
            // landing on the same side.
            let (ours_now, raw_now) = if round % 2 == 0 {
                let raw_now = raw_round(knobs, &connections, concurrency).await?;
                (
                    apply_round(knobs, &connections, concurrency).await?,
                    raw_now,
                )
            } else {
                let ours_now = apply_round(knobs, &connections, concurrency).await?;
                (ours_now, raw_round(knobs, &connections, concurrency).await?)
            };
            ours = ours.max(ours_now);
            raw = raw.max(raw_now);
            ratios.push(ours_now / raw_now);
        }
        println!(
            "{:<7}  {concurrency:<11}  {ours:>27.0}  {raw:>26.0}  {:>10.1}%  {:>14.1}%",
            format!("{} ms", latency.as_millis()),
            100.0 * ours / raw,
            100.0 * median(&mut ratios),
        );
    }
    Ok(())
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Raw reqwest POSTs of the create bodies on a fresh simulator: connections per second.
async fn raw_round(
    knobs: Knobs,
    connections: &[Connection],
    concurrency: usize,
) -> Result<f64, String> {
    let sim = auth0_sim(knobs).await?;
    let bodies = bodies(&provider(&sim)?, connections)?;
    let client = reqwest::Client::new();
    let token = raw::token(&client, &sim.env_vars()).await?;
    let elapsed = raw::post_all(&client, &sim.base_url(), &token, &bodies, concurrency).await?;
    Ok(per_second(connections.len(), elapsed))
}

/// `apply` of a plan of creates on a fresh simulator (the plan's read is not timed).
async fn apply_round(
    knobs: Knobs,
    connections: &[Connection],
    concurrency: usize,
) -> Result<f64, String> {
    let sim = auth0_sim(knobs).await?;
    let provider = provider(&sim)?;
    let planned = plan(&provider, connections, PlanOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let report = apply(&provider, &planned, concurrency)
        .await
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if report.counts().created != connections.len() {
        return Err(format!(
            "apply created {} of {} connections",
            report.counts().created,
            connections.len()
        ));
    }
    Ok(per_second(connections.len(), elapsed))
}

async fn rate_limited_migration() -> Result<(), String> {
    println!(
        "(2) migration of {MIGRATED} connections into an Auth0 simulator limited to burst {BURST}, {PER_SECOND}/s"
    );
    let source = auth0_sim(Knobs::default()).await?;
    let connections: Vec<Connection> = (0..MIGRATED).map(connection).collect();
    seed(&source, &connections).await?;
    let limited = Knobs {
        rate_limit: Some(RateLimit {
            burst: BURST,
            per_second: PER_SECOND,
        }),
        ..Knobs::default()
    };
    let target = auth0_sim(limited).await?;
    let (from, to) = (provider(&source)?, provider(&target)?);
    let options = MigrateOptions {
        concurrency: 16,
        ..MigrateOptions::default()
    };
    let started = Instant::now();
    let report = migrate(&from, &to, &options)
        .await
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed().as_secs_f64();
    let ideal = (MIGRATED as f64 - f64::from(BURST)) / PER_SECOND;
    let counts = target.counts();
    println!("elapsed (s)  ideal (s)  over ideal  created  failed  429s received  requests");
    println!(
        "{elapsed:<11.2}  {ideal:<9.2}  {:>9.1}%  {:<7}  {:<6}  {:<13}  {}",
        100.0 * (elapsed / ideal - 1.0),
        report.counts().created,
        report.counts().failed,
        FaultCounts::get(&counts.rate_limited),
        FaultCounts::get(&counts.requests),
    );
    Ok(())
}

async fn listing_memory() -> Result<(), String> {
    println!(
        "(3) list_all: peak heap while listing (the in-process simulator's allocations included)"
    );
    println!("connections  listed  elapsed (s)  peak heap above start (KiB)");
    for count in [2_000usize, 20_000] {
        let sim = auth0_sim(Knobs::default()).await?;
        let connections: Vec<Connection> = (0..count).map(connection).collect();
        seed(&sim, &connections).await?;
        drop(connections);
        let provider = provider(&sim)?;
        // The token is fetched before the measurement, so only the listing is counted.
        provider
            .list(idconn::PageRequest::with_size(1))
            .await
            .map_err(|e| e.to_string())?;
        alloc::start();
        let started = Instant::now();
        let mut listed = 0usize;
        let mut stream = std::pin::pin!(list_all(&provider, None));
        while let Some(item) = stream.next().await {
            item.map_err(|e| e.to_string())?;
            listed += 1;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let peak = alloc::stop();
        println!(
            "{count:<11}  {listed:<6}  {elapsed:<11.2}  {:.0}",
            peak as f64 / 1024.0
        );
    }
    Ok(())
}

/// ezto providers exported in (4).
const EXPORTED: usize = 2_000;

async fn rate_limited_export() -> Result<(), String> {
    println!(
        "(4) export of {EXPORTED} ezto providers with two mappers each, limited to burst {BURST}, {PER_SECOND}/s, \
         the client configured with the same limit"
    );
    let sim = Sim::start(EztoSim::new(), Knobs::default(), 0)
        .await
        .map_err(|e| format!("cannot start the ezto simulator: {e}"))?;
    let ezto = AnyProvider::from_vars(Vendor::Ezto, &sim.env_vars()).map_err(|e| e.to_string())?;
    let connections: Vec<Connection> = (0..EXPORTED)
        .map(|i| {
            let mut c = connection(i);
            let claim = |name: &str| MappingSource::Claim {
                claim: name.into(),
                from: None,
            };
            c.attribute_map = Some(AttributeMap {
                rules: vec![
                    MappingRule::new("email", claim("email")),
                    MappingRule::new("nickname", claim("preferred_username")),
                ],
                ..AttributeMap::default()
            });
            c
        })
        .collect();
    // Seeding is not measured, and runs without the limit.
    let planned = plan(&ezto, &connections, PlanOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    let seeded = apply(&ezto, &planned, 32)
        .await
        .map_err(|e| e.to_string())?;
    if seeded.counts().created != EXPORTED {
        return Err(format!(
            "seeding created {} providers",
            seeded.counts().created
        ));
    }
    sim.set_knobs(Knobs {
        rate_limit: Some(RateLimit {
            burst: BURST,
            per_second: PER_SECOND,
        }),
        ..Knobs::default()
    });
    // The export's provider keeps the server's limit itself: Keycloak sends no rate-limit
    // counts, so without it the shared gate would learn the limit only from 429s.
    let limit = ClientRateLimit::new(BURST, PER_SECOND).map_err(|e| e.to_string())?;
    let paced = EztoBuilder::from_vars(&sim.env_vars())
        .with_rate_limit(limit)
        .build()
        .map_err(|e| e.to_string())?;
    let counts = sim.counts();
    let (requests_before, limited_before) = (
        FaultCounts::get(&counts.requests),
        FaultCounts::get(&counts.rate_limited),
    );
    let started = Instant::now();
    let exported: Vec<Connection> = futures::TryStreamExt::try_collect(list_all_complete(
        &paced,
        None,
        DEFAULT_READ_CONCURRENCY,
    ))
    .await
    .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed().as_secs_f64();
    let requests = FaultCounts::get(&counts.requests) - requests_before;
    let rate_limited = FaultCounts::get(&counts.rate_limited) - limited_before;
    let mapped = exported
        .iter()
        .filter(|c| c.attribute_map.as_ref().is_some_and(|m| m.rules.len() == 2))
        .count();
    // Requests answered 429 are not served, so the ideal counts the served ones.
    let served = requests - rate_limited;
    let ideal = (served as f64 - f64::from(BURST)) / PER_SECOND;
    println!("elapsed (s)  ideal (s)  over ideal  exported  with mappers  429s received  requests");
    println!(
        "{elapsed:<11.2}  {ideal:<9.2}  {:>9.1}%  {:<8}  {:<12}  {:<13}  {requests}",
        100.0 * (elapsed / ideal - 1.0),
        exported.len(),
        mapped,
        rate_limited,
    );
    Ok(())
}
