//! The layers import downward only: the engine (scan, policy, fix, config, redact) knows
//! no front end and no LSP type; the server never reaches into the command line, nor the
//! command line into the server (except `sasguard lsp` starting it).

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
        }
    }
}

fn check(dirs: &[&str], forbidden: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for d in dirs {
        let p = root.join(d);
        if p.is_dir() {
            sources(&p, &mut files);
        } else {
            files.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
        }
    }
    assert!(!files.is_empty());
    for (path, text) in files {
        for f in forbidden {
            assert!(!text.contains(f), "{path} uses `{f}`");
        }
    }
}

#[test]
fn the_engine_knows_no_front_end() {
    check(
        &["scan", "policy", "fix", "config", "redact.rs", "source"],
        &["crate::cli", "crate::lsp", "tower_lsp", "ls_types"],
    );
}

#[test]
fn the_server_does_not_reach_into_the_command_line() {
    check(&["lsp"], &["crate::cli", "super::cli"]);
}

#[test]
fn only_the_server_knows_lsp_types() {
    check(&["cli"], &["tower_lsp", "ls_types"]);
}
