//! The `slotline` binary: parses the command line, runs it, and turns any failure into one
//! clear line on stderr with a non-zero exit code.

use clap::Parser;
use std::process::ExitCode;

// mimalloc instead of glibc's malloc: under load glibc's allocator took ~17 % of the
// server's CPU (profiled with perf on the gateway bench; docs/decisions.md). Built without
// transparent huge pages (`no_thp`): with them the idle server held ~10 MB more.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
