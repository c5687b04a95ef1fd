//! The dashboard and reports against sums the test computes itself from
//! the same invoices, and the invoice PDF read back as text and as a QR
//! code — on SQLite and on DynamoDB/S3 (moto).

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, get, post};
use jiff::civil::Date;
use serde_json::json;
use std::collections::BTreeMap;

fn days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap()
}

/// What the test knows of an invoice it made.
struct Made {
    date: Date,
    due: Date,
    total: i64,
    paid: i64,
    cancelled: bool,
    draft: bool,
    customer: usize,
}

both!(
    dashboard_figures_equal_the_tests_own_sums,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let today = t.today();
        let mut customers = vec![];
        for name in ["Asha Stores", "Bharat Mills", "Chand Traders"] {
            let c = post(&t, &tok, "/v1/customers", json!({"name": name})).await;
            customers.push(c["id"].as_str().unwrap().to_string());
        }
        // Invoices spread over the last 100 days, with various due dates,
        // payments, one cancellation and one draft.
        let plan: Vec<(i64, i64, i64, usize, i64, &str)> = vec![
            // (days ago, due after days, amount, customer, paid, what)
            (100, 5, 120_000, 0, 0, "open"),     // 95 days late → 90+
            (70, 10, 80_000, 1, 30_000, "open"), // 60 days late → 31-60
            (40, 5, 50_000, 2, 50_000, "open"),  // paid
            (20, 7, 70_000, 0, 10_000, "open"),  // 13 days late → 1-30
            (20, 30, 33_333, 1, 0, "open"),      // due in 10 days → current
            (5, 15, 44_000, 2, 0, "cancel"),
            (2, 15, 99_000, 2, 0, "draft"),
            (0, 0, 10_000, 1, 0, "open"), // due today → current
        ];
        let mut made = vec![];
        let mut received_by_day: BTreeMap<Date, i64> = BTreeMap::new();
        for (ago, terms, amount, c, paid, what) in &plan {
            let date = days(today, -ago);
            let due = days(date, *terms);
            let inv = post(
            &t,
            &tok,
            "/v1/invoices",
            json!({"customer_id": customers[*c], "invoice_date": date.to_string(), "due_date": due.to_string(),
                   "draft": *what == "draft",
                   "lines": [{"description": "Goods", "quantity": 1, "unit_price": amount, "tax_rate_bp": 0}]}),
        )
        .await;
            let id = inv["id"].as_str().unwrap();
            if *paid > 0 {
                let pay_date = days(date, 1).min(today);
                post(
                    &t,
                    &tok,
                    &format!("/v1/invoices/{id}/payments"),
                    json!({"amount": paid, "method": "upi", "date": pay_date.to_string()}),
                )
                .await;
                *received_by_day.entry(pay_date).or_default() += paid;
            }
            if *what == "cancel" {
                // The reason is optional: a bare POST without a body cancels.
                let auth = format!("Bearer {tok}");
                let path = format!("/v1/invoices/{id}/cancel");
                let r = t
                    .raw(Method::POST, &path, &[("authorization", &auth)], vec![])
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                assert_eq!(r.body["status"], "cancelled");
            }
            made.push(Made {
                date,
                due,
                total: *amount,
                paid: *paid,
                cancelled: *what == "cancel",
                draft: *what == "draft",
                customer: *c,
            });
        }
        // A customer-level payment goes to that customer's oldest open invoice
        // (the one of 100 days ago) and counts as received today.
        post(
            &t,
            &tok,
            &format!("/v1/customers/{}/payments", customers[0]),
            json!({"amount": 5000, "method": "cash"}),
        )
        .await;
        made[0].paid += 5000;
        *received_by_day.entry(today).or_default() += 5000;

        let from = days(today, -60);
        let dash = get(
            &t,
            &tok,
            &format!("/v1/reports/dashboard?from={from}&to={today}"),
        )
        .await;

        // The test's own sums over the invoices dated in the range.
        let in_range: Vec<&Made> = made
            .iter()
            .filter(|m| m.date >= from && m.date <= today)
            .collect();
        let sales: Vec<&&Made> = in_range
            .iter()
            .filter(|m| !m.cancelled && !m.draft)
            .collect();
        let revenue: i64 = sales.iter().map(|m| m.total).sum();
        let pending: i64 = sales.iter().map(|m| m.total - m.paid).sum();
        let overdue: i64 = sales
            .iter()
            .filter(|m| m.due < today)
            .map(|m| m.total - m.paid)
            .sum();
        let received: i64 = received_by_day.range(from..=today).map(|(_, v)| v).sum();
        assert_eq!(dash["revenue"], revenue);
        assert_eq!(dash["pending"], pending);
        assert_eq!(dash["overdue"], overdue);
        assert_eq!(dash["received"], received);
        assert_eq!(dash["invoice_count"], sales.len());
        assert_eq!(dash["currency"], "INR");

        let status_of = |m: &Made| {
            if m.cancelled {
                "cancelled"
            } else if m.draft {
                "draft"
            } else if m.paid == m.total {
                "paid"
            } else if m.due < today {
                "overdue"
            } else if m.paid > 0 {
                "partially_paid"
            } else {
                "unpaid"
            }
        };
        let mut expected: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
        for m in &in_range {
            let e = expected.entry(status_of(m)).or_default();
            e.0 += 1;
            e.1 += m.total;
            if !m.cancelled && !m.draft {
                e.2 += m.total - m.paid;
            }
        }
        for f in dash["by_status"].as_array().unwrap() {
            let s = f["status"].as_str().unwrap();
            let (n, amount, bal) = expected.get(s).copied().unwrap_or_default();
            assert_eq!(
                (
                    f["count"].as_i64().unwrap(),
                    f["amount"].as_i64().unwrap(),
                    f["balance"].as_i64().unwrap()
                ),
                (n, amount, bal),
                "status {s}"
            );
        }

        // Sales by day: every day of the range, the invoiced and received sums.
        let by_day = dash["sales_by_day"].as_array().unwrap();
        assert_eq!(by_day.len(), 61);
        for p in by_day {
            let d: Date = p["period"].as_str().unwrap().parse().unwrap();
            let inv: i64 = sales.iter().filter(|m| m.date == d).map(|m| m.total).sum();
            assert_eq!(p["invoiced"], inv, "{d}");
            assert_eq!(
                p["received"],
                received_by_day.get(&d).copied().unwrap_or(0),
                "{d}"
            );
        }
        let months: i64 = dash["sales_by_month"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["invoiced"].as_i64().unwrap())
            .sum();
        assert_eq!(months, revenue);

        // Aging over every open invoice, as of today.
        let mut aging: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for m in made
            .iter()
            .filter(|m| !m.cancelled && !m.draft && m.paid < m.total)
        {
            let late = (today - m.due).get_days();
            let b = match late {
                ..=0 => "current",
                1..=30 => "1-30",
                31..=60 => "31-60",
                61..=90 => "61-90",
                _ => "90+",
            };
            let e = aging.entry(b).or_default();
            e.0 += 1;
            e.1 += m.total - m.paid;
        }
        for b in dash["aging"]["buckets"].as_array().unwrap() {
            let name = b["bucket"].as_str().unwrap();
            let (n, amount) = aging.get(name).copied().unwrap_or_default();
            assert_eq!(
                (b["count"].as_i64().unwrap(), b["amount"].as_i64().unwrap()),
                (n, amount),
                "aging {name}"
            );
        }
        let open_total: i64 = aging.values().map(|v| v.1).sum();
        assert_eq!(dash["aging"]["total_amount"], open_total);

        // Top customers by what they owe now.
        let mut owed = [0i64; 3];
        for m in made.iter().filter(|m| !m.cancelled && !m.draft) {
            owed[m.customer] += m.total - m.paid;
        }
        let top: Vec<i64> = dash["top_customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["balance"].as_i64().unwrap())
            .collect();
        let mut want: Vec<i64> = owed.iter().copied().filter(|b| *b > 0).collect();
        want.sort_by(|a, b| b.cmp(a));
        assert_eq!(top, want);

        // The same figures as CSV.
        let r = t
            .call(
                Method::GET,
                &format!("/v1/reports/sales?from={from}&to={today}&interval=month&format=csv"),
                Some(&tok),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = r.body.as_str().unwrap().to_string();
        assert!(
            text.starts_with(
                "period,invoiced,invoices,received,payments,cost_of_goods,gross_margin,purchased\n"
            ),
            "{text}"
        );
        let csv_revenue: f64 = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().parse::<f64>().unwrap())
            .sum();
        assert_eq!((csv_revenue * 100.0).round() as i64, revenue);
        let r = t
            .call(
                Method::GET,
                "/v1/reports/aging?format=csv",
                Some(&tok),
                None,
            )
            .await;
        let text = r.body.as_str().unwrap().to_string();
        assert!(
            text.lines().last().unwrap().starts_with(&format!(
                "total,{}",
                aging.values().map(|v| v.0).sum::<i64>()
            )),
            "{text}"
        );
        let r = t
            .call(
                Method::GET,
                &format!("/v1/reports/invoices?from={from}&to={today}&format=csv"),
                Some(&tok),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let text = r.body.as_str().unwrap().to_string();
        assert!(text.starts_with(
            "number,invoice_date,due_date,customer,status,total,paid,balance_due,invoice_id\n"
        ));
        assert_eq!(text.lines().count() - 1, in_range.len());
        assert!(text.contains(",overdue,"), "{text}");

        let bad = t
            .call(
                Method::GET,
                "/v1/reports/dashboard?from=2026-05-01&to=2026-04-01",
                Some(&tok),
                None,
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = t
            .call(
                Method::GET,
                "/v1/reports/sales?format=xml",
                Some(&tok),
                None,
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.fields(), ["format"]);
    }
);

/// Runs a command on a file and returns its standard output.
fn run(cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed (infra/test.sh installs it): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

both!(
    the_invoice_pdf_reads_back_with_a_paying_qr_code,
    |t: TestApp| async move {
        let tok = t.billing_owner().await;
        let c = post(
            &t,
            &tok,
            "/v1/customers",
            json!({"name": "Ravi Kirana Stores", "gstin": "27AABCS1429B1ZU",
        "address": "22 Station Road, Thane"}),
        )
        .await;
        let cid = c["id"].as_str().unwrap();
        let inv = post(&t, &tok, "/v1/invoices", json!({"customer_id": cid, "notes": "Thank you",
        "lines": [{"description": "Basmati rice", "hsn_sac": "1006", "quantity": 4, "unit": "bag", "unit_price": 250000, "tax_rate_bp": 500},
                  {"description": "Delivery", "quantity": 1, "unit_price": 20000, "tax_rate_bp": 1800}]})).await;
        let iid = inv["id"].as_str().unwrap();
        post(
            &t,
            &tok,
            &format!("/v1/invoices/{iid}/payments"),
            json!({"amount": 100000, "method": "cash"}),
        )
        .await;
        let link = get(&t, &tok, &format!("/v1/invoices/{iid}/pdf")).await;
        assert_eq!(link["content_type"], "application/pdf");
        let (status, bytes) = t.fetch_link(link["url"].as_str().unwrap()).await;
        assert_eq!(status, 200);
        assert!(bytes.starts_with(b"%PDF-"));
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("invoice.pdf");
        std::fs::write(&pdf, &bytes).unwrap();
        let text = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        // 4 × 2500.00 = 10,000.00 + 5 % (250 + 250); 200.00 + 18 % (18 + 18)
        for needle in [
            "INV-0001",
            "Ravi Kirana Stores",
            "27AABCS1429B1ZU",
            "Basmati rice",
            "1006",
            "10,736.00",
            "Balance due",
            "9,736.00",
            "Amount paid",
            "1,000.00",
            "CGST",
            "SGST",
            "Asha Traders",
        ] {
            assert!(
                text.contains(needle),
                "{needle} not in the PDF text:\n{text}"
            );
        }
        assert_eq!(inv["total"], 1_073_600);
        run(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-png",
                pdf.to_str().unwrap(),
                dir.path().join("page").to_str().unwrap(),
            ],
        );
        let page = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "png"))
            .expect("a rendered page");
        let qr = run("zbarimg", &["-q", "--raw", page.to_str().unwrap()]);
        assert_eq!(
            qr.trim(),
            "upi://pay?pa=asha@okaxis&pn=Asha%20Traders&am=9736.00&cu=INR&tn=INV-0001"
        );

        // The link is short-lived (the local store checks it against the clock;
        // S3 checks real time, which this test cannot move).
        if matches!(t.backend, common::Backend::Sqlite) {
            t.clock.advance(15 * 60 - 1);
            let (status, _) = t.fetch_link(link["url"].as_str().unwrap()).await;
            assert_eq!(status, 200, "still valid at 15 minutes");
            t.clock.advance(2);
            let (status, _) = t.fetch_link(link["url"].as_str().unwrap()).await;
            assert_eq!(status, 403);
        }
    }
);
