//! `site-split IN.wasm PKG_DIR MAIN_OUT.wasm OUT_NAME`: cuts the admin app's linked WASM
//! (built with `--emit-relocs`) into the main module and one chunk per `#[lazy]` /
//! `#[lazy_route]` split point, the way leptos 0.8 expects at run time:
//! - the main module goes to MAIN_OUT.wasm, for wasm-bindgen to process next;
//! - the chunks and the loader (`__wasm_split.______________________.js`, the name leptos'
//!   `HydrationScripts` links) go to PKG_DIR;
//! - `PKG_DIR/__wasm_split_manifest.json` names each split's chunks, so the server can preload
//!   the chunks of the page it renders.

use std::path::Path;
use std::process::ExitCode;

/// The loader's module name, as leptos' hydration scripts expect it (unhashed files).
const LINK_NAME: &str = "./__wasm_split.______________________.js";

fn run(args: &[String]) -> Result<usize, String> {
    let [input, pkg, main_out, out_name] = args else {
        return Err("usage: site-split IN.wasm PKG_DIR MAIN_OUT.wasm OUT_NAME".into());
    };
    let wasm = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let main_module = format!("./{out_name}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&wasm);
        options.output_dir = Path::new(pkg);
        options.main_out_path = Path::new(main_out);
        options.main_module = &main_module;
        options.link_name = LINK_NAME;
        options
    })
    .map_err(|e| format!("splitting {input}: {e:#}"))?;
    let manifest =
        serde_json::to_string_pretty(&split.prefetch_map).map_err(|e| format!("manifest: {e}"))?;
    let path = Path::new(pkg).join("__wasm_split_manifest.json");
    std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(split.split_modules.len())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(chunks) => {
            println!("{chunks} chunks");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("site-split: {e}");
            ExitCode::FAILURE
        }
    }
}
