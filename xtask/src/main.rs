//! `cargo xtask codegen`: writes every file the route table drives (see
//! the crate's documentation); `cargo xtask codegen --check` only lists
//! the stale ones and fails when there are any.

use std::process::ExitCode;

fn main() -> anyhow::Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::root();
    match args.as_slice() {
        ["codegen"] => {
            let changed = xtask::write(&root)?;
            for p in &changed {
                println!("wrote {}", p.display());
            }
            println!("{} files changed", changed.len());
            Ok(ExitCode::SUCCESS)
        }
        ["codegen", "--check"] => {
            let stale = xtask::stale(&root)?;
            for p in &stale {
                println!("stale: {}", p.display());
            }
            if stale.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                println!("run `{}`", xtask::COMMAND);
                Ok(ExitCode::FAILURE)
            }
        }
        _ => {
            eprintln!("usage: cargo xtask codegen [--check]");
            Ok(ExitCode::from(2))
        }
    }
}
