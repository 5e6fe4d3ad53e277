//! The README says what the project is made of: every runtime dependency in Cargo.toml is
//! named there, and every top-level source module appears in its layout.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn the_readme_names_every_runtime_dependency() {
    let cargo = read("Cargo.toml");
    let readme = read("README.md");
    let deps = cargo
        .split("\n[dependencies]\n")
        .nth(1)
        .expect("a [dependencies] table")
        .split("\n[")
        .next()
        .unwrap();
    let names: Vec<&str> = deps
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .filter(|k| !k.is_empty() && !k.starts_with('#'))
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    for n in names {
        assert!(
            readme.contains(&format!("`{n}`")),
            "README does not name the dependency `{n}`"
        );
    }
}

#[test]
fn the_readme_layout_names_every_top_level_module() {
    let readme = read("README.md");
    let lib = read("src/lib.rs");
    for m in lib.lines().filter_map(|l| l.strip_prefix("pub mod ")) {
        let m = m.trim_end_matches(';');
        let dir = format!("src/{m}/");
        let file = format!("src/{m}.rs");
        assert!(
            readme.contains(&dir) || readme.contains(&file),
            "README's layout does not mention {dir} or {file}"
        );
    }
}
