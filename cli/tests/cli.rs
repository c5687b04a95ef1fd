//! The `hisaab` command as a user runs it: a process with arguments, its
//! exit status and what it prints. (These tests also make `cargo test`
//! build `target/debug/hisaab` with the workspace's one feature set, the
//! binary the browser tests serve.)

use std::path::Path;
use std::process::{Command, Output};

fn hisaab(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hisaab"))
        .args(args)
        .env("HISAAB_DATA_DIR", data_dir)
        .env_remove("HISAAB_APP_URL")
        .output()
        .expect("running hisaab")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_job_run_by_hand_on_a_new_store_reports_nothing_due() {
    let dir = tempfile::tempdir().unwrap();
    let out = hisaab(&["jobs", "run", "reminders"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["due"], 0, "{report}");
    assert_eq!(report["sent"], 0, "{report}");
    assert!(
        dir.path().join("hisaab.sqlite").exists(),
        "the store was created"
    );
}

#[test]
fn a_bad_phone_for_a_new_admin_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = hisaab(
        &["admin", "create", "--phone", "12", "--name", "Asha"],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("phone"), "{}", stderr(&out));
}
