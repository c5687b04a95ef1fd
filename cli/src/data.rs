//! `hisaab export`, `import`, `backup`, `restore` and `seed demo`: the
//! data operations of `hisaab::dataops` on the local store or a DynamoDB
//! table, with a progress bar on a terminal (quiet when piped).

use anyhow::Context;
use clap::{Args, ValueEnum};
use hisaab::Hisaab;
use hisaab::dataops::export::{self, Scope};
use hisaab::dataops::import::{self, ImportReport, OnError};
use hisaab::dataops::{Kind, demo};
use hisaab::table::Table;
use hisaab::table::sqlite::SqliteTable;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the items are: the local store or a DynamoDB table.
#[derive(Args, Clone)]
pub struct Store {
    /// Local data directory (its `hisaab.sqlite`).
    #[arg(long, default_value = "./.hisaab", env = "HISAAB_DATA_DIR")]
    pub data_dir: PathBuf,
    /// A DynamoDB table instead (the usual AWS environment: AWS_REGION,
    /// AWS_PROFILE, AWS_ENDPOINT_URL, …).
    #[arg(long)]
    pub table: Option<String>,
}

impl Store {
    /// The table: DynamoDB when `--table` is given, else the local file,
    /// with calls the store could not serve just now sent again
    /// ([`hisaab::table::retry::Retrying`]).
    pub async fn open(&self) -> anyhow::Result<Arc<dyn Table>> {
        let table: Arc<dyn Table> = match &self.table {
            Some(t) => {
                let aws = hisaab::aws::Aws::from_sdk_config(crate::aws_config_load().await?);
                Arc::new(hisaab::table::dynamo::DynamoTable::new(aws.dynamodb(), t))
            }
            None => {
                std::fs::create_dir_all(&self.data_dir)
                    .with_context(|| format!("creating {}", self.data_dir.display()))?;
                Arc::new(SqliteTable::open(&self.data_dir.join("hisaab.sqlite"))?)
            }
        };
        Ok(Arc::new(hisaab::table::retry::Retrying::new(table)))
    }
}

/// File formats.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines: one stored item a line (every kind; what import reads).
    Jsonl,
    /// CSV of the kind's main entity (customers, products, categories,
    /// invoices, payments, orders, deliveries, reports, users, audit).
    Csv,
}

/// What to do with a bad line.
#[derive(Clone, Copy, ValueEnum)]
pub enum OnErrorArg {
    /// Report it and go on.
    Skip,
    /// Report it and stop.
    Stop,
}

/// A spinner with a count on a terminal's stderr; hidden when piped.
fn bar(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new_spinner();
    b.set_style(
        ProgressStyle::with_template("{spinner} {msg} {pos}/{len} {per_sec} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b.set_message(what.to_string());
    b
}

/// `hisaab export`.
pub async fn export(
    kind: &str,
    business: Option<String>,
    store: &Store,
    format: Format,
    output: Option<PathBuf>,
    segments: u32,
) -> anyhow::Result<()> {
    let kind = match kind {
        "all" => None,
        k => Some(
            Kind::parse(k)
                .with_context(|| format!("no kind `{k}`: one of all, {}", Kind::names()))?,
        ),
    };
    let csv_columns = match (format, kind) {
        (Format::Jsonl, _) => None,
        (Format::Csv, Some(k)) => Some(export::csv_columns(k).with_context(|| {
            format!("CSV is offered for customers, products, categories, invoices, payments, orders, deliveries, reports, users and audit, not {}", k.as_str())
        })?),
        (Format::Csv, None) => anyhow::bail!("CSV holds one kind: name it instead of `all`"),
    };
    let table = store.open().await?;
    let scope = match business {
        Some(b) => Scope::Business(b),
        None => {
            eprintln!(
                "exporting the whole platform: a Scan of every item in {segments} segment(s)"
            );
            Scope::Platform { segments }
        }
    };
    let out: Box<dyn Write + Send> = match &output {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let progress = bar("items");
    let counts = match csv_columns {
        None => {
            export::export(table, &scope, kind, &mut |item| {
                serde_json::to_writer(&mut out, item)?;
                out.write_all(b"\n")?;
                progress.inc(1);
                Ok(())
            })
            .await?
        }
        Some((entity, columns)) => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(columns)?;
            let c = export::export(table, &scope, kind, &mut |item| {
                if let Some(rec) = export::csv_record(entity, columns, item) {
                    w.write_record(rec)?;
                    progress.inc(1);
                }
                Ok(())
            })
            .await?;
            w.flush()?;
            c
        }
    };
    out.flush()?;
    progress.finish_and_clear();
    eprintln!("{}", serde_json::to_string(&counts)?);
    Ok(())
}

/// `hisaab import`: exit status 0 when every line is in the store
/// (written now or already there), 2 when some were not.
pub async fn import(
    file: &Path,
    store: &Store,
    format: Format,
    business: Option<String>,
    on_error: OnErrorArg,
) -> anyhow::Result<i32> {
    let on_error = match on_error {
        OnErrorArg::Skip => OnError::Skip,
        OnErrorArg::Stop => OnError::Stop,
    };
    let input: Box<dyn std::io::Read + Send> = if file == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?)
    };
    let table = store.open().await?;
    let report: ImportReport = match format {
        Format::Jsonl => {
            let progress = bar("lines");
            let reader: Box<dyn BufRead + Send> =
                Box::new(BufReader::with_capacity(1 << 16, input));
            let r = import::import(table.as_ref(), reader, on_error, &mut |n| {
                progress.set_position(n)
            })
            .await?;
            progress.finish_and_clear();
            r
        }
        Format::Csv => {
            let business = business
                .context("a CSV of customers goes into one business: give --business biz_…")?;
            let app = Hisaab {
                table,
                ..Hisaab::local(
                    &store.data_dir,
                    "http://127.0.0.1:3000",
                    "http://127.0.0.1:3000",
                )?
            };
            app.import_customers_csv(&business, input, on_error)
                .await
                .map_err(|e| anyhow::anyhow!(crate::describe(e)))?
        }
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(
        if report.invalid.is_empty() && report.conflicts.is_empty() {
            0
        } else {
            2
        },
    )
}

/// `hisaab backup`.
pub fn backup(data_dir: &Path, to: &Path) -> anyhow::Result<()> {
    let pages = SqliteTable::backup(&data_dir.join("hisaab.sqlite"), to)?;
    println!(
        "backed up {} ({pages} pages) to {}",
        data_dir.join("hisaab.sqlite").display(),
        to.display()
    );
    Ok(())
}

/// `hisaab restore`.
pub fn restore(from: &Path, data_dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let items = SqliteTable::restore(from, &data_dir.join("hisaab.sqlite"))?;
    println!(
        "restored {items} items from {} into {}",
        from.display(),
        data_dir.join("hisaab.sqlite").display()
    );
    Ok(())
}

/// `hisaab serve --demo`: seeds the demo set with its defaults unless the
/// store already has it.
pub async fn seed_demo_once(data_dir: &Path) -> anyhow::Result<()> {
    let table = SqliteTable::open(&{
        std::fs::create_dir_all(data_dir)?;
        data_dir.join("hisaab.sqlite")
    })?;
    if table
        .get(&hisaab::keys::unique_phone(demo::DEMO_OWNERS[0]))
        .await?
        .is_some()
    {
        println!("the demo data is already in {}", data_dir.display());
        return Ok(());
    }
    seed_demo(data_dir, 300, 3).await
}

/// `hisaab seed demo`.
pub async fn seed_demo(data_dir: &Path, customers: usize, months: u32) -> anyhow::Result<()> {
    let app = Hisaab::local(data_dir, "http://127.0.0.1:3000", "http://127.0.0.1:3000")?;
    let progress = bar("");
    let started = std::time::Instant::now();
    let report = app
        .seed_demo(
            demo::DemoSize { customers, months },
            &mut |what, done, of| {
                progress.set_message(what.to_string());
                progress.set_length(of);
                progress.set_position(done);
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!(crate::describe(e)))?;
    progress.finish_and_clear();
    println!("{}", serde_json::to_string_pretty(&report)?);
    eprintln!(
        "seeded in {:.1} s; log in with {} or {} (the OTP is in the outbox)",
        started.elapsed().as_secs_f64(),
        report.owners[0],
        report.owners[1]
    );
    Ok(())
}
