//! The `slotline` binary: parses the command line, runs it, and turns any failure into one
//! clear line on stderr with a non-zero exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = slotline::cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("slotline: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(slotline::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("slotline: error: {e}");
            ExitCode::FAILURE
        }
    }
}
