//! Rebuilds the UI crate when a translation changes: the catalogue is read by a macro, which
//! cargo would not otherwise know depends on app/locales/.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
