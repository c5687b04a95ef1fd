//! Durability of `hisaab serve` on its SQLite store: the process is
//! killed with SIGKILL in the middle of a stream of concurrent writes and
//! started again on the same data directory, three times. Every write that was
//! answered 2xx is there, with the figures of its answer; a write that
//! was never answered is there whole or not at all; and every maintained
//! figure (a customer's balance, an invoice's amount paid, the invoice
//! counter, the dashboard's aggregates) still equals what it is kept
//! from. Its own test binary (`cargo test --workspace --test durability`):
//! it starts real processes, so it can be run, or left out, alone.

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// Client threads writing at once.
const WRITERS: usize = 4;
/// Customers the writes are spread over (each thread goes round them, so
/// writers race on the same balances and on the invoice counter).
const CUSTOMERS: usize = 3;
/// The rounds: in each the server is killed once this many writes have
/// been answered, then started again.
const KILL_AFTER: [usize; 3] = [45, 60, 75];
/// A thread stops after this many writes even if the server lives on (it
/// never should: the kill comes long before).
const MAX_WRITES_PER_THREAD: usize = 1000;

/// A running `hisaab serve`, killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    url: String,
    /// What it printed, for failure messages.
    log: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `hisaab serve` on a free port of loopback with its data in
    /// `dir`, and waits until it says it is serving (it has bound the
    /// port and opened the store by then).
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hisaab"))
            .args(["serve", "--addr", "127.0.0.1:0", "--no-schedules"])
            .arg("--data-dir")
            .arg(dir)
            .arg("--web-dir")
            .arg(dir.join("no-web"))
            .env_remove("HISAAB_APP_URL")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting hisaab serve");
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        // Both pipes are read to the end, so the server never blocks on a
        // full pipe; the first line naming the URL is sent back.
        let out = child.stdout.take().unwrap();
        let (log1, log2) = (log.clone(), log.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Hisaab is serving ") {
                    let url = rest.split_whitespace().next().unwrap_or_default();
                    let _ = tx.send(url.to_string());
                }
                log1.lock().unwrap().push(line);
            }
        });
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                log2.lock().unwrap().push(line);
            }
        });
        // Generous: a debug build on a busy machine.
        let url = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!(
                    "hisaab serve did not start: {:?}",
                    log.lock().unwrap().join("\n")
                )
            });
        Server { child, url, log }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reaps the process.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        let status = self.child.wait().expect("waiting for the server");
        assert!(!status.success(), "the server was killed, not stopped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that reads every answer (a 4xx or 5xx too) and gives up on a
/// request after a minute.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// One request: `Ok((status, body))` when the server answered, `Err` when
/// it did not (refused, reset, closed before the answer).
fn call(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Result<(u16, Value), ureq::Error> {
    let mut res = match (method, body) {
        ("GET", _) => {
            let mut r = agent.get(url);
            if let Some(t) = token {
                r = r.header("authorization", &format!("Bearer {t}"));
            }
            r.call()?
        }
        ("POST", b) => {
            let mut r = agent.post(url);
            if let Some(t) = token {
                r = r.header("authorization", &format!("Bearer {t}"));
            }
            r.send_json(b.unwrap_or(json!({})))?
        }
        (m, _) => panic!("no {m} here"),
    };
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string()?;
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok((status, body))
}

/// A request the server must answer with a 2xx; its body.
fn ok(agent: &ureq::Agent, method: &str, url: &str, token: &str, body: Option<Value>) -> Value {
    let (status, body) = call(agent, method, url, Some(token), body)
        .unwrap_or_else(|e| panic!("{method} {url}: no answer: {e}"));
    assert!(
        (200..300).contains(&status),
        "{method} {url}: {status} {body}"
    );
    body
}

/// Every item of a paginated list (`items`, `next_cursor`).
fn all(agent: &ureq::Agent, url: &str, token: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if url.contains('?') { '&' } else { '?' };
        let page_url = match &cursor {
            Some(c) => format!("{url}{sep}limit=100&cursor={c}"),
            None => format!("{url}{sep}limit=100"),
        };
        let page = ok(agent, "GET", &page_url, token, None);
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return items,
        }
    }
}

/// Registers a business owner through the API, reads the OTP from the
/// local outbox (`<data dir>/outbox.jsonl`) and verifies it; the access
/// token.
fn owner(agent: &ureq::Agent, url: &str, dir: &Path) -> String {
    let phone = "+919812345678";
    let (status, body) = call(
        agent,
        "POST",
        &format!("{url}/v1/auth/register"),
        None,
        Some(
            json!({"name": "Asha", "phone": phone, "account_type": "business",
                    "business_name": "Durable Traders"}),
        ),
    )
    .expect("register");
    assert_eq!(status, 201, "{body}");
    let outbox = std::fs::read_to_string(dir.join("outbox.jsonl")).expect("the outbox");
    let sms = outbox
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .rfind(|m| m["channel"] == "sms" && m["to"] == phone)
        .expect("an OTP text");
    let code = sms["body"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .expect("a 6-digit code")
        .to_string();
    let (status, body) = call(
        agent,
        "POST",
        &format!("{url}/v1/auth/otp/verify"),
        None,
        Some(json!({"phone": phone, "code": code})),
    )
    .expect("verify");
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

/// A write that was answered 2xx, with the figures of its answer.
#[derive(Debug, Clone)]
enum Answered {
    Invoice {
        id: String,
        customer_id: String,
        number: String,
        total: i64,
    },
    Payment {
        id: String,
        customer_id: String,
        amount: i64,
    },
}

/// What one writer thread saw.
#[derive(Debug, Default)]
struct Seen {
    answered: Vec<Answered>,
    /// Answers other than 2xx: none is expected.
    refused: Vec<String>,
    /// The write that got no answer (the server died under it): whether
    /// it was an invoice. `None`: the thread hit its cap instead.
    unanswered_invoice: Option<bool>,
}

/// Writer `t`: invoices and customer payments, round the customers, until
/// the server stops answering.
#[allow(clippy::too_many_arguments)]
fn writer(
    t: usize,
    url: &str,
    token: &str,
    customers: &[String],
    invoice_date: &str,
    payment_date: &str,
    answered: &AtomicUsize,
) -> Seen {
    let agent = agent();
    let mut seen = Seen::default();
    for k in 0..MAX_WRITES_PER_THREAD {
        let customer = &customers[(t + k) % customers.len()];
        let is_invoice = k % 3 != 2;
        let (path, body) = if is_invoice {
            (
                "/v1/invoices".to_string(),
                json!({"customer_id": customer, "invoice_date": invoice_date, "lines": [
                    {"description": "Basmati rice", "unit": "kg", "quantity": "2.5",
                     "unit_price": 10_000 + 100 * t + k, "tax_rate_bp": 500},
                    {"description": "Loading", "quantity": 1, "unit_price": 5_000}]}),
            )
        } else {
            (
                format!("/v1/customers/{customer}/payments"),
                json!({"amount": 7_000 + 13 * t + 7 * k, "method": "cash", "date": payment_date}),
            )
        };
        match call(
            &agent,
            "POST",
            &format!("{url}{path}"),
            Some(token),
            Some(body),
        ) {
            Ok((201, b)) => {
                seen.answered.push(if is_invoice {
                    Answered::Invoice {
                        id: b["id"].as_str().unwrap().into(),
                        customer_id: customer.clone(),
                        number: b["number"].as_str().unwrap().into(),
                        total: b["total"].as_i64().unwrap(),
                    }
                } else {
                    Answered::Payment {
                        id: b["id"].as_str().unwrap().into(),
                        customer_id: customer.clone(),
                        amount: b["amount"].as_i64().unwrap(),
                    }
                });
                answered.fetch_add(1, Ordering::SeqCst);
            }
            Ok((status, b)) => seen.refused.push(format!("POST {path}: {status} {b}")),
            Err(_) => {
                seen.unanswered_invoice = Some(is_invoice);
                return seen;
            }
        }
    }
    seen
}

fn sum(items: &[&Value], field: &str) -> i64 {
    items.iter().map(|v| v[field].as_i64().unwrap()).sum()
}

#[test]
fn a_server_killed_during_concurrent_writes_comes_back_with_every_answered_write_and_its_aggregates_whole()
 {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let agent = agent();
    let mut server = Server::start(&data);
    let url = server.url.clone();
    let token = owner(&agent, &url, &data);
    let customers: Vec<String> = (0..CUSTOMERS)
        .map(|i| {
            ok(
                &agent,
                "POST",
                &format!("{url}/v1/customers"),
                &token,
                Some(json!({"name": format!("Customer {i}")})),
            )["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // In the past (a payment cannot be dated in the future), fixed for the
    // run, and the dashboard's range below covers both.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let invoice_date = today.checked_sub(jiff::Span::new().days(10)).unwrap();
    let payment_date = today.checked_sub(jiff::Span::new().days(5)).unwrap();

    // Rounds of a stream of writes with a kill in the middle, each on the
    // store the last one left (the new process's connection recovers the
    // write-ahead log).
    let mut seen: Vec<Seen> = Vec::new();
    for (round, &kill_after) in KILL_AFTER.iter().enumerate() {
        if round > 0 {
            server = Server::start(&data);
        }
        let url = server.url.clone();
        let answered = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..WRITERS)
            .map(|t| {
                let (url, token, customers, answered) = (
                    url.clone(),
                    token.clone(),
                    customers.clone(),
                    answered.clone(),
                );
                let (inv, pay) = (invoice_date.to_string(), payment_date.to_string());
                std::thread::spawn(move || {
                    writer(t, &url, &token, &customers, &inv, &pay, &answered)
                })
            })
            .collect();
        while answered.load(Ordering::SeqCst) < kill_after {
            assert!(
                threads.iter().any(|t| !t.is_finished()),
                "every writer stopped before the kill: {:?}",
                server.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        server.kill();
        let round: Vec<Seen> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(
            round.iter().all(|s| s.unanswered_invoice.is_some()),
            "every writer was still writing when the server died"
        );
        seen.extend(round);
    }
    let refused: Vec<&String> = seen.iter().flat_map(|s| &s.refused).collect();
    assert!(refused.is_empty(), "writes refused: {refused:?}");
    let answered: Vec<&Answered> = seen.iter().flat_map(|s| &s.answered).collect();
    assert!(answered.len() >= KILL_AFTER.iter().sum());
    let in_flight_invoices = seen
        .iter()
        .filter(|s| s.unanswered_invoice == Some(true))
        .count();
    let in_flight_payments = seen.len() - in_flight_invoices;

    // Started once more for the checks.
    let server = Server::start(&data);
    let url = server.url.clone();

    // Every answered write is there, as answered.
    let invoices: BTreeMap<String, Value> = all(&agent, &format!("{url}/v1/invoices"), &token)
        .into_iter()
        .map(|i| (i["id"].as_str().unwrap().to_string(), i))
        .collect();
    let mut payments: BTreeMap<String, Value> = BTreeMap::new();
    for c in &customers {
        for p in all(&agent, &format!("{url}/v1/customers/{c}/payments"), &token) {
            payments.insert(p["id"].as_str().unwrap().to_string(), p);
        }
    }
    let (mut answered_invoices, mut answered_payments) = (0, 0);
    for a in &answered {
        match a {
            Answered::Invoice {
                id,
                customer_id,
                number,
                total,
            } => {
                answered_invoices += 1;
                let i = invoices
                    .get(id)
                    .unwrap_or_else(|| panic!("answered invoice {id} is gone"));
                assert_eq!(
                    (&i["customer_id"], &i["number"], &i["total"]),
                    (&json!(customer_id), &json!(number), &json!(total)),
                    "{i}"
                );
            }
            Answered::Payment {
                id,
                customer_id,
                amount,
            } => {
                answered_payments += 1;
                let p = payments
                    .get(id)
                    .unwrap_or_else(|| panic!("answered payment {id} is gone"));
                assert_eq!(
                    (&p["customer_id"], &p["amount"], &p["status"]),
                    (&json!(customer_id), &json!(amount), &json!("recorded")),
                    "{p}"
                );
            }
        }
    }
    // Beyond them, at most the writes that were under way when it died.
    assert!(
        invoices.len() <= answered_invoices + in_flight_invoices,
        "{} invoices stored, {answered_invoices} answered, {in_flight_invoices} under way",
        invoices.len()
    );
    assert!(
        payments.len() <= answered_payments + in_flight_payments,
        "{} payments stored, {answered_payments} answered, {in_flight_payments} under way",
        payments.len()
    );

    // Every stored write is whole: each invoice's payments and figures
    // agree, each payment's parts are on the invoices they name.
    let mut details: BTreeMap<String, Value> = BTreeMap::new();
    for id in invoices.keys() {
        let d = ok(
            &agent,
            "GET",
            &format!("{url}/v1/invoices/{id}"),
            &token,
            None,
        );
        let applied: Vec<&Value> = d["payments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["status"] == "recorded")
            .collect();
        let paid = sum(&applied, "amount");
        assert_eq!(d["amount_paid"], json!(paid), "{d}");
        assert_eq!(
            d["balance_due"].as_i64().unwrap(),
            d["total"].as_i64().unwrap() - paid,
            "{d}"
        );
        assert!(
            d["history"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "issued" || e["action"] == "created"),
            "{d}"
        );
        for p in &applied {
            assert!(
                payments.contains_key(p["payment_id"].as_str().unwrap()),
                "invoice {id} has a part of a payment that is not there: {p}"
            );
        }
        details.insert(id.clone(), d);
    }
    for (id, p) in &payments {
        let allocations = p["allocations"].as_array().unwrap();
        let allocated: i64 = allocations
            .iter()
            .map(|a| a["amount"].as_i64().unwrap())
            .sum();
        assert_eq!(
            p["amount"].as_i64().unwrap(),
            allocated + p["advance"].as_i64().unwrap(),
            "payment {id} is not all accounted for: {p}"
        );
        for a in allocations {
            let inv = &details[a["invoice_id"].as_str().unwrap()];
            let copy = inv["payments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["payment_id"] == json!(id))
                .unwrap_or_else(|| panic!("payment {id} is not on its invoice: {inv}"));
            assert_eq!(copy["amount"], a["amount"], "{p} {inv}");
        }
    }

    // Each customer's balance is its invoices less its payments.
    for c in &customers {
        let customer = ok(
            &agent,
            "GET",
            &format!("{url}/v1/customers/{c}"),
            &token,
            None,
        );
        let invs: Vec<&Value> = invoices
            .values()
            .filter(|i| i["customer_id"] == json!(c))
            .collect();
        let pays: Vec<&Value> = payments
            .values()
            .filter(|p| p["customer_id"] == json!(c))
            .collect();
        assert_eq!(
            customer["balance"].as_i64().unwrap(),
            sum(&invs, "total") - sum(&pays, "amount"),
            "{customer}"
        );
        assert_eq!(
            customer["balance"].as_i64().unwrap(),
            sum(&invs, "balance_due") - sum(&pays, "advance"),
            "{customer}"
        );
    }

    // The invoice counter: the numbers are 1..=n with none missing or
    // twice, and the counter is at n + 1.
    let settings = ok(
        &agent,
        "GET",
        &format!("{url}/v1/business/settings"),
        &token,
        None,
    );
    let prefix = settings["invoice_prefix"].as_str().unwrap();
    let n = invoices.len();
    let numbers: BTreeSet<String> = invoices
        .values()
        .map(|i| i["number"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = (1..=n).map(|k| format!("{prefix}{k:04}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(settings["next_invoice_number"], json!(n + 1));

    // The dashboard's aggregates equal the invoices and payments.
    let all_invoices: Vec<&Value> = invoices.values().collect();
    let all_payments: Vec<&Value> = payments.values().collect();
    let d = ok(
        &agent,
        "GET",
        &format!("{url}/v1/reports/dashboard?from={invoice_date}&to={payment_date}"),
        &token,
        None,
    );
    let open: Vec<&Value> = all_invoices
        .iter()
        .copied()
        .filter(|i| i["balance_due"].as_i64().unwrap() > 0)
        .collect();
    assert_eq!(
        (
            &d["invoice_count"],
            &d["revenue"],
            &d["received"],
            &d["pending"],
            &d["aging"]["total_count"],
            &d["aging"]["total_amount"],
        ),
        (
            &json!(n),
            &json!(sum(&all_invoices, "total")),
            &json!(sum(&all_payments, "amount")),
            &json!(sum(&all_invoices, "balance_due")),
            &json!(open.len()),
            &json!(sum(&all_invoices, "balance_due")),
        ),
        "{d}"
    );

    // The store takes writes again, and the next number is the next one.
    let c = &customers[0];
    let before = ok(
        &agent,
        "GET",
        &format!("{url}/v1/customers/{c}"),
        &token,
        None,
    )["balance"]
        .as_i64()
        .unwrap();
    let inv = ok(
        &agent,
        "POST",
        &format!("{url}/v1/invoices"),
        &token,
        Some(json!({"customer_id": c, "lines": [
            {"description": "After the restart", "quantity": 1, "unit_price": 100}]})),
    );
    assert_eq!(inv["number"], json!(format!("{prefix}{:04}", n + 1)));
    let after = ok(
        &agent,
        "GET",
        &format!("{url}/v1/customers/{c}"),
        &token,
        None,
    )["balance"]
        .as_i64()
        .unwrap();
    assert_eq!(after, before + inv["total"].as_i64().unwrap());

    // And SQLite finds the file sound.
    let db = rusqlite::Connection::open_with_flags(
        data.join("hisaab.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    eprintln!(
        "killed {} times after {} answered writes ({answered_invoices} invoices, \
         {answered_payments} payments); stored {} invoices and {} payments",
        KILL_AFTER.len(),
        answered.len(),
        invoices.len(),
        payments.len()
    );
    drop(server);
}
