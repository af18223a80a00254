//! Ctrl-C (SIGINT) sent to a real `idconn apply` or `idconn migrate` midway, against slow
//! simulators: no new write starts, those in flight finish, the report so far is printed (and
//! written to `--report`), `interrupted: N of M written` is on standard error with N what the
//! vendor holds, the exit code is 130, and a re-run finishes the job with nothing duplicated.
#![cfg(unix)]

mod support;

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use idconn_sim::auth0::Auth0Sim;
use idconn_sim::{FaultCounts, Faults, Knobs, Sim, SimHandle};
use serde_json::Value;
use support::{Run, auth0, idconn, secret_of, temp_dir, tenant_toml, write};

/// How many connections each run has to write.
const TOTAL: usize = 40;

/// An Auth0 simulator that answers every request after `latency`: slow enough that a signal
/// lands while most writes are still to come.
async fn slow_auth0(latency: Duration) -> SimHandle {
    let knobs = Knobs {
        faults: Faults {
            latency,
            ..Faults::default()
        },
        ..Knobs::default()
    };
    Sim::start(Auth0Sim::new(), knobs, 0).await.unwrap()
}

/// A document of `TOTAL` OIDC connections that Auth0 holds exactly.
fn document() -> String {
    let mut out = String::from("connections:\n");
    for i in 1..=TOTAL {
        out.push_str(&format!(
            "  - name: conn-{i:02}
    display_name: Connection {i}
    kind: oidc
    settings:
      protocol: oauth
      client_id: client-{i:02}
      client_secret: secret-value-{i:02}-7f3a
      scopes: [openid, email]
      issuer: https://idp{i}.example.com
      authorization_url: https://idp{i}.example.com/authorize
      token_url: https://idp{i}.example.com/oauth/token
      jwks_url: https://idp{i}.example.com/jwks
"
        ));
    }
    out
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// How many of the report's connections ended as `outcome`.
fn count(report: &Value, outcome: &str) -> usize {
    report["connections"]
        .as_array()
        .unwrap_or_else(|| panic!("a report: {report}"))
        .iter()
        .filter(|c| c["outcome"] == outcome)
        .count()
}

/// The names the simulator holds, each once: a duplicate fails the test.
fn unique_names(sim: &SimHandle) -> BTreeSet<String> {
    let stored = sim.connections();
    let names: BTreeSet<String> = stored
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), stored.len(), "duplicated names: {stored:?}");
    names
}

/// N and M of the `interrupted: N of M written` line on standard error.
fn interrupted_line(run: &Run) -> (usize, usize) {
    let line = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("interrupted: "))
        .unwrap_or_else(|| panic!("no interrupted line; stderr:\n{}", run.stderr));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words.get(1), Some(&"of"), "{line}");
    assert!(
        words.get(3).is_some_and(|w| w.starts_with("written")),
        "{line}"
    );
    let number = |w: &str| w.parse::<usize>().unwrap_or_else(|e| panic!("{e}: {line}"));
    (number(words[0]), number(words[2]))
}

/// Runs `idconn` like [`support::idconn`], but sends it SIGINT once `sim` has received at least
/// `writes` writes, then waits for it to exit.
async fn interrupted(args: &[&str], env: &[(String, String)], sim: &SimHandle, writes: u64) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_idconn"))
        .args(args)
        .env_clear()
        .env("RUST_BACKTRACE", "1")
        .envs(env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the idconn binary runs");
    let started = Instant::now();
    while FaultCounts::get(&sim.counts().writes) < writes {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("idconn ended ({status}) before the signal was sent");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the simulator never received {writes} writes"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -INT failed");
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("the waiting thread")
        .expect("idconn is waited for");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_apply_finishes_the_writes_in_flight_and_a_rerun_completes() {
    let sim = slow_auth0(Duration::from_millis(150)).await;
    let dir = temp_dir("interrupt-apply");
    let file = write(&dir, "desired.yaml", &document());
    let env = sim.env_vars();
    let args = [
        "apply",
        "--vendor",
        "auth0",
        "-f",
        &file,
        "--yes",
        "--concurrency",
        "2",
        "--output",
        "json",
    ];

    let run = interrupted(&args, &env, &sim, 4).await.expect(130);
    let (written, writes) = interrupted_line(&run);
    assert_eq!(writes, TOTAL, "{}", run.stderr);
    assert!(written < writes, "stopped midway: {}", run.stderr);
    assert!(
        written >= 2,
        "the writes seen before the signal count: {}",
        run.stderr
    );
    assert_eq!(
        unique_names(&sim).len(),
        written,
        "the vendor holds exactly what was reported written"
    );
    let report = json(&run.stdout);
    assert_eq!(report["interrupted"], true, "{report}");
    assert_eq!(count(&report, "created"), written, "{report}");
    assert_eq!(count(&report, "not_started"), TOTAL - written, "{report}");

    let run = idconn(&args, &env).await.expect(0);
    let report = json(&run.stdout);
    assert_eq!(report["interrupted"], false, "{report}");
    assert_eq!(count(&report, "created"), TOTAL - written, "{report}");
    assert_eq!(count(&report, "unchanged"), written, "{report}");
    assert_eq!(unique_names(&sim).len(), TOTAL);
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_migrate_writes_the_report_so_far_and_a_rerun_completes() {
    let prod = auth0().await;
    let staging = slow_auth0(Duration::from_millis(150)).await;
    let dir = temp_dir("interrupt-migrate");
    let config = write(
        &dir,
        "idconn.toml",
        &[
            tenant_toml("prod", "auth0", &prod, "PROD_SECRET"),
            tenant_toml("staging", "auth0", &staging, "STAGING_SECRET"),
        ]
        .concat(),
    );
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let env = vec![
        ("PROD_SECRET".to_string(), secret_of(&prod)),
        ("STAGING_SECRET".to_string(), secret_of(&staging)),
        ("IDCONN_CONFIG".to_string(), config),
    ];
    let desired = write(&dir, "desired.yaml", &document());
    idconn(
        &["--tenant", "prod", "apply", "-f", &desired, "--yes"],
        &env,
    )
    .await
    .expect(0);
    assert_eq!(prod.connections().len(), TOTAL);

    let report_file = dir.join("report.json");
    let report_path = report_file.display().to_string();
    let args = [
        "migrate",
        "--from",
        "prod",
        "--to",
        "staging",
        "--concurrency",
        "2",
        "--output",
        "json",
        "--report",
        &report_path,
    ];
    let run = interrupted(&args, &env, &staging, 4).await.expect(130);
    let (written, writes) = interrupted_line(&run);
    assert_eq!(writes, TOTAL, "{}", run.stderr);
    assert!(written < writes, "stopped midway: {}", run.stderr);
    assert!(
        written >= 2,
        "the writes seen before the signal count: {}",
        run.stderr
    );
    assert_eq!(unique_names(&staging).len(), written);
    let printed = json(&run.stdout);
    assert_eq!(printed["interrupted"], true, "{printed}");
    assert_eq!(count(&printed, "created"), written, "{printed}");
    assert_eq!(count(&printed, "not_started"), TOTAL - written, "{printed}");
    let saved = json(&std::fs::read_to_string(&report_file).expect("--report was written"));
    assert_eq!(saved, printed, "the file holds the report printed");

    std::fs::remove_file(&report_file).unwrap();
    let run = idconn(&args, &env).await.expect(0);
    let report = json(&run.stdout);
    assert_eq!(report["interrupted"], false, "{report}");
    assert_eq!(count(&report, "created"), TOTAL - written, "{report}");
    assert_eq!(count(&report, "unchanged"), written, "{report}");
    assert_eq!(
        json(&std::fs::read_to_string(&report_file).unwrap()),
        report
    );
    assert_eq!(unique_names(&staging), unique_names(&prod));
}
