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

/// Every line of a JSON Lines file, parsed, in a set (order-free).
fn items(path: &Path) -> std::collections::BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn demo_data_goes_out_to_a_file_and_into_a_new_store_unchanged_and_again_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let out = hisaab(&["seed", "demo", "--customers", "20", "--months", "1"], &a);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(report["deliveries"].as_u64().unwrap() > 500, "{report}");
    assert!(report["invoices"].as_u64().unwrap() > 20, "{report}");

    let file = dir.path().join("all.jsonl");
    let out = hisaab(&["export", "all", "-o", file.to_str().unwrap()], &a);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Scan"),
        "a platform export says it scans"
    );
    let exported = items(&file);

    let out = hisaab(&["import", file.to_str().unwrap()], &b);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(r["written"].as_u64().unwrap(), exported.len() as u64, "{r}");

    let again = dir.path().join("again.jsonl");
    let out = hisaab(&["export", "all", "-o", again.to_str().unwrap()], &b);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(items(&again), exported);

    let out = hisaab(&["import", file.to_str().unwrap()], &b);
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (r["written"].as_u64(), r["unchanged"].as_u64()),
        (Some(0), Some(exported.len() as u64))
    );

    // One kind of one business, as CSV, to standard output.
    let biz = exported
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["entity"] == "business" && v["name"] == "Sharma Traders")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = hisaab(
        &["export", "customers", "--business", &biz, "--format", "csv"],
        &a,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    assert!(csv.starts_with("id,name,phone,email,gstin"), "{csv}");
    assert_eq!(csv.lines().count(), 21, "a header and 20 customers: {csv}");
    let out = hisaab(&["export", "comments", "--format", "csv"], &a);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("CSV is offered for"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_line_makes_the_import_exit_2_and_names_the_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.jsonl");
    std::fs::write(
        &file,
        "{\"PK\":\"BIZ#biz_1\",\"SK\":\"SETTINGS\",\"entity\":\"settings\"}\n{\"PK\":\"X\"}\n",
    )
    .unwrap();
    let out = hisaab(&["import", file.to_str().unwrap()], &dir.path().join("s"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(r["written"], 1, "{r}");
    assert_eq!(r["invalid"][0]["line"], 2, "{r}");
    assert_eq!(r["invalid"][0]["field"], "SK", "{r}");
}

#[test]
fn a_backup_taken_while_another_connection_writes_restores_to_a_consistent_store() {
    use hisaab::table::{Item, Table, sqlite::SqliteTable};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    std::fs::create_dir_all(&data).unwrap();
    let db = data.join("hisaab.sqlite");
    let table = SqliteTable::open(&db).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let put = |n: usize| {
        let mut batch = Vec::new();
        for k in 0..25 {
            let mut i = Item::new();
            i.insert("PK".into(), format!("P#{n}").into());
            i.insert("SK".into(), format!("S#{k:02}").into());
            i.insert("entity".into(), "settings".into());
            batch.push(i);
        }
        rt.block_on(table.put_batch(batch)).unwrap();
    };
    for n in 0..200 {
        put(n);
    }
    // Another writer goes on while the backup runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let t = SqliteTable::open(&db).unwrap();
            let rt = tokio::runtime::Runtime::new().unwrap();
            let mut n = 1000;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let batch = (0..25)
                    .map(|k| {
                        let mut i = Item::new();
                        i.insert("PK".into(), format!("P#{n}").into());
                        i.insert("SK".into(), format!("S#{k:02}").into());
                        i.insert("entity".into(), "settings".into());
                        i
                    })
                    .collect();
                rt.block_on(t.put_batch(batch)).unwrap();
                n += 1;
            }
        })
    };
    let backup = dir.path().join("backup.sqlite");
    let out = hisaab(&["backup", backup.to_str().unwrap()], &data);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    writer.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = hisaab(&["backup", backup.to_str().unwrap()], &data);
    assert!(!out.status.success(), "a backup never overwrites a file");

    let restored = dir.path().join("restored");
    let out = hisaab(&["restore", backup.to_str().unwrap()], &restored);
    assert!(out.status.success(), "{}", stderr(&out));
    // Every batch (one transaction) is there whole or not at all, and
    // everything written before the backup started is there.
    let copy = SqliteTable::open(&restored.join("hisaab.sqlite")).unwrap();
    let mut per_partition = std::collections::BTreeMap::<String, usize>::new();
    let mut scan = hisaab::table::Scan {
        segment: 0,
        segments: 1,
        limit: 1000,
        start: None,
    };
    loop {
        let page = rt.block_on(copy.scan(&scan)).unwrap();
        for i in &page.items {
            *per_partition
                .entry(i["PK"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        match page.last_key {
            Some(k) => scan.start = Some(k),
            None => break,
        }
    }
    assert!(per_partition.len() >= 200);
    assert!(
        per_partition.values().all(|&n| n == 25),
        "a half-copied batch"
    );
    let out = hisaab(
        &["restore", dir.path().join("none").to_str().unwrap()],
        &restored,
    );
    assert!(!out.status.success());
}
