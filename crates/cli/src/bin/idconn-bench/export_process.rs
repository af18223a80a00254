//! (5) `idconn export` as users run it: its own process, writing a file, against an Auth0
//! simulator in the bench's process. What it shows is the streaming: the export writes each
//! page as it arrives, so the peak resident size of the process barely grows with the tenant.
//!
//! The peak is the kernel's own figure for the child (`ru_maxrss` from `wait4`), so nothing is
//! sampled and nothing is missed between samples. Linux carries a process's peak across `exec`,
//! so a child spawned straight from this process (whose simulator holds the whole tenant) would
//! report this process's size. The bench therefore runs itself again as a small measurer
//! (`idconn-bench --peak-rss-of PROGRAM ARGS...`), which spawns the export and prints its peak.

use std::path::{Path, PathBuf};
use std::time::Instant;

use idconn::Connection;
use idconn_sim::Knobs;

/// The tenant sizes exported; the first is the baseline the others are compared with.
const SIZES: [usize; 3] = [200, 2_000, 20_000];

/// Runs section (5).
pub async fn run() -> Result<(), String> {
    println!(
        "(5) `idconn export -o FILE` as a process, Auth0 simulator: elapsed and peak resident size"
    );
    let idconn = idconn_binary()?;
    println!(
        "connections  exported  elapsed (s)  peak RSS (MiB)  vs {}",
        SIZES[0]
    );
    let mut baseline = None;
    for count in SIZES {
        let sim = super::auth0_sim(Knobs::default()).await?;
        let connections: Vec<Connection> = (0..count).map(super::connection).collect();
        super::seed(&sim, &connections).await?;
        drop(connections);
        let file = std::env::temp_dir().join(format!(
            "idconn-bench-export-{}-{count}.json",
            std::process::id()
        ));
        let started = Instant::now();
        let peak_kib = export_peak_kib(&idconn, &sim.env_vars(), &file).await?;
        let elapsed = started.elapsed().as_secs_f64();
        let exported = exported_count(&file);
        let _ = std::fs::remove_file(&file);
        let exported = exported?;
        if exported != count {
            return Err(format!("the export of {count} held {exported} connections"));
        }
        let base = *baseline.get_or_insert(peak_kib);
        println!(
            "{count:<11}  {exported:<8}  {elapsed:<11.2}  {:<14.1}  {:.2}x",
            peak_kib as f64 / 1024.0,
            peak_kib as f64 / base as f64
        );
    }
    Ok(())
}

/// The `idconn` binary beside this one (cargo builds both into the same folder).
fn idconn_binary() -> Result<PathBuf, String> {
    let bench = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let idconn = bench.with_file_name(format!("idconn{}", std::env::consts::EXE_SUFFIX));
    if idconn.is_file() {
        Ok(idconn)
    } else {
        Err(format!(
            "section (5) runs the idconn binary, which is not built beside this one ({}): run \
             `cargo build --release -p idconn-cli` first",
            idconn.display()
        ))
    }
}

/// The flag that makes this program a measurer instead of the bench.
pub const MEASURER_FLAG: &str = "--peak-rss-of";

/// Runs `idconn export --vendor auth0 -o FILE` with the simulator's variables through a fresh
/// measurer process and returns the export's peak resident size in KiB, once it has exited
/// successfully.
async fn export_peak_kib(
    idconn: &Path,
    vars: &[(String, String)],
    file: &Path,
) -> Result<u64, String> {
    let bench = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut command = std::process::Command::new(bench);
    command
        .arg(MEASURER_FLAG)
        .arg(idconn)
        .args(["export", "--vendor", "auth0", "-o"])
        .arg(file)
        .envs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    // The simulator answers on this runtime's threads; the wait blocks one of its own.
    let measured = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| format!("the wait for the measurer failed: {e}"))?
        .map_err(|e| format!("cannot run the measurer: {e}"))?;
    let stdout = String::from_utf8_lossy(&measured.stdout);
    if !measured.status.success() {
        return Err(format!(
            "idconn export failed: {}",
            String::from_utf8_lossy(&measured.stderr).trim()
        ));
    }
    stdout
        .trim()
        .parse()
        .map_err(|_| format!("the measurer printed {stdout:?}, not a size in KiB"))
}

/// The measurer: spawns `program` with `args`, waits for it, and prints its peak resident size
/// in KiB on standard output; the child's standard error passes through. Fails when the child
/// does.
pub fn measure(program: &str, args: &[String]) -> Result<(), String> {
    let child = std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let peak = wait_with_peak(child)?;
    println!("{peak}");
    Ok(())
}

/// Waits for `child` and returns its peak resident size in KiB: `wait4` reports the resources
/// of that one child, where `getrusage(RUSAGE_CHILDREN)` would give the largest of every child
/// waited for so far.
#[cfg(unix)]
fn wait_with_peak(child: std::process::Child) -> Result<u64, String> {
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("child pid: {e}"))?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data the kernel fills; an all-zero value is a valid start.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped (std's `Child` reaps only when asked),
    // and both out-pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if reaped != pid {
        return Err(format!(
            "cannot wait for the child: {}",
            std::io::Error::last_os_error()
        ));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err("the child failed (its standard error is above)".into());
    }
    // Linux reports ru_maxrss in KiB.
    u64::try_from(usage.ru_maxrss).map_err(|e| format!("peak resident size: {e}"))
}

#[cfg(not(unix))]
fn wait_with_peak(_child: std::process::Child) -> Result<u64, String> {
    Err("section (5) measures the peak resident size with wait4, which needs a Unix".into())
}

/// How many connections the exported document holds.
fn exported_count(file: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read the export {}: {e}", file.display()))?;
    let document: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("the export {} is not JSON: {e}", file.display()))?;
    document["connections"]
        .as_array()
        .map(Vec::len)
        .ok_or_else(|| format!("the export {} has no connections list", file.display()))
}
