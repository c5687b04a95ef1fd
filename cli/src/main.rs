//! The `hisaab` command: `serve` runs every route of the API in one local
//! server on the embedded SQLite store with a local outbox for SMS and
//! mail, and serves the built web app at `/`; `admin create` creates a
//! platform admin, locally or in a DynamoDB table; `export`, `import`,
//! `backup`, `restore` and `seed demo` move data in and out (`data`).

mod data;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use hisaab::Hisaab;
use hisaab::identity::Role;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "hisaab",
    version,
    about = "Hisaab: receivables and trade credit for small businesses"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve every route locally on SQLite, with the outbox at GET /_local/outbox.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:3000", env = "HISAAB_ADDR")]
        addr: String,
        /// Where the database, outbox and signing key live (created on first run).
        #[arg(long, default_value = "./.hisaab", env = "HISAAB_DATA_DIR")]
        data_dir: PathBuf,
        /// Base URL of the app, used in links sent by mail.
        #[arg(long, env = "HISAAB_APP_URL")]
        app_url: Option<String>,
        /// The built web app, served at / (build it: `cd web && npm ci && npm run build`).
        #[arg(long, default_value = "web/dist", env = "HISAAB_WEB_DIR")]
        web_dir: PathBuf,
        /// Do not run the scheduled jobs (reminders every 15 minutes, the
        /// digest) in this process; `POST /_local/jobs/<name>` still runs one.
        #[arg(long, env = "HISAAB_NO_SCHEDULES")]
        no_schedules: bool,
        /// Fill an empty store with the demo data first (`hisaab seed demo`
        /// with its defaults: a trader and a dairy of 300 households with
        /// three months of history; half a minute or so).
        #[arg(long)]
        demo: bool,
    },
    /// Scheduled jobs, run once by hand (as their Lambdas do on a schedule).
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Platform administration tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Export one kind of item, or all, as JSON Lines (or CSV) to a file
    /// or standard output. With --business only that business's
    /// partitions are read (key queries); without it, the whole platform
    /// (a parallel Scan).
    Export {
        /// `all`, or one kind: businesses, customers, products, categories,
        /// invoices, payments, orders, deliveries, comments, companies,
        /// reports, disputes, edit-requests, users, audit, notifications,
        /// aggregates, other.
        kind: String,
        /// One business (`biz_…`).
        #[arg(long)]
        business: Option<String>,
        #[command(flatten)]
        store: data::Store,
        /// jsonl (every kind, what import reads) or csv (one kind's main entity).
        #[arg(long, value_enum, default_value = "jsonl")]
        format: data::Format,
        /// The file to write (standard output without it).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Parallel Scan segments of a platform export.
        #[arg(long, default_value_t = 4)]
        segments: u32,
    },
    /// Import a JSON Lines export (or a CSV of customers from a
    /// spreadsheet) into a store, empty or not; prints the report. Exit
    /// status 2 when some lines were invalid or conflicting.
    Import {
        /// The file (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        store: data::Store,
        /// jsonl (an export) or csv (customers: name, phone, GSTIN, email,
        /// address, opening balance in rupees).
        #[arg(long, value_enum, default_value = "jsonl")]
        format: data::Format,
        /// The business a CSV of customers goes into.
        #[arg(long)]
        business: Option<String>,
        /// What a bad line does: skip it, or stop the import.
        #[arg(long, value_enum, default_value = "skip")]
        on_error: data::OnErrorArg,
    },
    /// Copy the local store to a file while `hisaab serve` runs (SQLite's
    /// online backup API: a consistent snapshot).
    Backup {
        /// The backup file to create.
        to: PathBuf,
        /// Local data directory.
        #[arg(long, default_value = "./.hisaab", env = "HISAAB_DATA_DIR")]
        data_dir: PathBuf,
    },
    /// Put a backup made by `hisaab backup` back as the local store
    /// (checked first; replaces everything in it).
    Restore {
        /// The backup file.
        from: PathBuf,
        /// Local data directory.
        #[arg(long, default_value = "./.hisaab", env = "HISAAB_DATA_DIR")]
        data_dir: PathBuf,
    },
    /// Fill the local store with demo data.
    Seed {
        #[command(subcommand)]
        command: SeedCommand,
    },
}

#[derive(Subcommand)]
enum SeedCommand {
    /// A wholesale trader and a dairy with a year of invoices, payments
    /// and daily deliveries, made through the domain's own writes.
    Demo {
        /// The dairy's households (the trader gets a fiftieth, 20 to 200).
        #[arg(long, default_value_t = 300)]
        customers: usize,
        /// Months of history, ending yesterday.
        #[arg(long, default_value_t = 3)]
        months: u32,
        /// Local data directory.
        #[arg(long, default_value = "./.hisaab", env = "HISAAB_DATA_DIR")]
        data_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a platform admin, who logs in with an OTP sent to the phone.
    Create {
        /// Mobile number (E.164, or 10 digits for India).
        #[arg(long)]
        phone: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// Admin level.
        #[arg(long, value_enum, default_value = "l1")]
        level: Level,
        /// The local data directory (with --table it only holds the
        /// signing key and outbox), or the DynamoDB table to write to.
        #[command(flatten)]
        store: data::Store,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Run one job: `reminders` (the payment reminders that are due),
    /// `digest` (each owner's daily digest) or `exports` (the exports
    /// admins asked for); prints its report as JSON.
    Run {
        /// The job.
        #[arg(value_parser = ["reminders", "digest", "exports"])]
        name: String,
        /// Run as of 12:00 UTC of this date (YYYY-MM-DD) instead of now:
        /// what is due by then is sent, for real.
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        /// Local data directory.
        #[arg(long, default_value = "./.hisaab", env = "HISAAB_DATA_DIR")]
        data_dir: PathBuf,
        /// Base URL of the app, used in the links of messages.
        #[arg(long, default_value = "http://127.0.0.1:3000", env = "HISAAB_APP_URL")]
        app_url: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    L1,
    Senior,
    Super,
}

impl From<Level> for Role {
    fn from(l: Level) -> Role {
        match l {
            Level::L1 => Role::AdminL1,
            Level::Senior => Role::AdminSenior,
            Level::Super => Role::AdminSuper,
        }
    }
}

/// The local server answers many small requests at once, each of which
/// decodes and encodes a page of JSON items: mimalloc's thread-local free
/// lists make those allocations cheaper than glibc's (`docs/benchmarks.md`,
/// "Local server throughput").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    hisaab_functions::init_tracing();
    match Cli::parse().command {
        Command::Serve {
            addr,
            data_dir,
            app_url,
            web_dir,
            no_schedules,
            demo,
        } => {
            if demo {
                data::seed_demo_once(&data_dir).await?;
            }
            let listener = tokio::net::TcpListener::bind(&addr)
                .await
                .with_context(|| format!("binding {addr}"))?;
            let url = format!("http://{}", listener.local_addr()?);
            let app = Hisaab::local(&data_dir, app_url.as_deref().unwrap_or(&url), &url)?;
            if !no_schedules {
                hisaab_functions::local::spawn_schedules(app.clone());
            }
            let router = hisaab_functions::api(app.clone())
                .merge(hisaab_functions::local::router(app))
                .fallback_service(hisaab_functions::local::web(&web_dir));
            println!("Hisaab is serving {url} (data in {})", data_dir.display());
            println!("  web app: {url}/ (from {})", web_dir.display());
            println!("  OpenAPI: {url}/v1/openapi.json   outbox: {url}/_local/outbox");
            // The peer's address reaches the handlers (the per-source OTP
            // limit) as `ConnectInfo`.
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
        Command::Jobs {
            command:
                JobsCommand::Run {
                    name,
                    date,
                    data_dir,
                    app_url,
                },
        } => {
            let mut app = Hisaab::local(&data_dir, &app_url, &app_url)?;
            if let Some(d) = date {
                let noon = d
                    .at(12, 0, 0, 0)
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)?
                    .timestamp();
                app.clock = Arc::new(hisaab::clock::ManualClock::at(noon));
            }
            let report = hisaab_functions::jobs::run_named(&app, &name, None)
                .await
                .context("no such job")?
                .map_err(|e| anyhow::anyhow!(e.to_string()))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Command::Export {
            kind,
            business,
            store,
            format,
            output,
            segments,
        } => data::export(&kind, business, &store, format, output, segments).await?,
        Command::Import {
            file,
            store,
            format,
            business,
            on_error,
        } => {
            let code = data::import(&file, &store, format, business, on_error).await?;
            if code != 0 {
                std::process::exit(code);
            }
        }
        Command::Backup { to, data_dir } => data::backup(&data_dir, &to)?,
        Command::Restore { from, data_dir } => data::restore(&from, &data_dir)?,
        Command::Seed {
            command:
                SeedCommand::Demo {
                    customers,
                    months,
                    data_dir,
                },
        } => data::seed_demo(&data_dir, customers, months).await?,
        Command::Admin {
            command:
                AdminCommand::Create {
                    phone,
                    name,
                    level,
                    store,
                },
        } => {
            let mut app = Hisaab::local(
                &store.data_dir,
                "http://127.0.0.1:3000",
                "http://127.0.0.1:3000",
            )?;
            if store.table.is_some() {
                app.table = store.open().await?;
            }
            let user = app
                .create_admin(&name, &phone, level.into())
                .await
                .map_err(|e| anyhow::anyhow!(describe(e)))?;
            println!("{}", serde_json::to_string_pretty(&user)?);
        }
    }
    Ok(())
}

/// A domain error as the command line shows it: each bad field named.
fn describe(e: hisaab::Error) -> String {
    match e {
        hisaab::Error::Validation(errs) => format!(
            "invalid input: {}",
            errs.iter()
                .map(|e| format!("{}: {}", e.field, e.detail))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        e => e.to_string(),
    }
}

/// The SDK's whole provider chain (environment, profiles, SSO, …) with
/// the process's one HTTPS client.
async fn aws_config_load() -> anyhow::Result<aws_config::SdkConfig> {
    Ok(aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(hisaab::aws::https_client()?)
        .load()
        .await)
}
