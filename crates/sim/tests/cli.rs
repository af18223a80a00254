//! The `idconn-sim` binary's command line: help, and one-line errors with exit code 2.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_idconn-sim"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn help_documents_the_fault_spec() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "auth0",
        "genauth",
        "eztoauth",
        "--rate-limit <BURST/PER_SEC>",
        "--faults <SPEC>",
        "--seed",
        "error_before=SHARE",
        "error_after=SHARE",
        "drop_after=SHARE",
        "rate_limited=SHARE",
        "latency_ms=MS",
        "KEY=VALUE",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}:\n{help}");
    }
}

#[test]
fn bad_arguments_get_one_line_naming_the_flag_and_exit_2() {
    let cases: [(&[&str], &str); 7] = [
        (&[], "<VENDOR>"),
        (&["okta"], "<VENDOR>"),
        (&["auth0", "--port", "http"], "--port"),
        (&["auth0", "--rate-limit", "10"], "--rate-limit"),
        (&["auth0", "--rate-limit", "10/0"], "--rate-limit"),
        (
            &["auth0", "--faults", "error_before=0.7,error_after=0.7"],
            "--faults",
        ),
        (&["auth0", "--seed=-1"], "--seed"),
    ];
    for (args, flag) in cases {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("idconn-sim: "), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
}
