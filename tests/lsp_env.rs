//! "Move to environment variable" through the real server: the action, its one
//! `WorkspaceEdit` applied as an editor would, and a re-analysis that finds nothing left.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::lsp::{apply_edits, push_client, TestClient};
use common::{pct, sig};
use serde_json::{json, Value};

fn url(seed: u64) -> String {
    format!(
        "https://acct.blob.core.windows.net/models/x.pt?sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&spr=https&sig={}",
        pct(&sig(seed))
    )
}

fn query(seed: u64) -> String {
    url(seed).split_once('?').unwrap().1.to_string()
}

fn uri_of(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// A client that shows disabled code actions with their reasons (VS Code does).
fn with_disabled_support(mut params: Value) -> Value {
    params["capabilities"]["textDocument"]["codeAction"]["codeActionLiteralSupport"] =
        json!({"codeActionKind": {"valueSet": ["quickfix"]}});
    params["capabilities"]["textDocument"]["codeAction"]["disabledSupport"] = json!(true);
    params
}

fn client(root: &Path, resolve: bool, create: bool) -> Value {
    let mut params = push_client();
    params["workspaceFolders"] = json!([{"uri": uri_of(root), "name": "w"}]);
    let mut edit = json!({"documentChanges": true});
    if create {
        edit["resourceOperations"] = json!(["create"]);
    }
    params["capabilities"]["workspace"]["workspaceEdit"] = edit;
    if resolve {
        params["capabilities"]["textDocument"]["codeAction"] = json!({"resolveSupport": {"properties": ["edit"]}});
    }
    params
}

async fn actions(c: &mut TestClient, uri: &str) -> Vec<Value> {
    let res = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}, "context": {"diagnostics": []}}),
        )
        .await;
    res["result"].as_array().cloned().unwrap_or_default()
}

fn move_action(all: &[Value]) -> Option<Value> {
    all.iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Move to environment variable"))
        .cloned()
}

/// Applies a WorkspaceEdit to the disk (other files) and returns the source's new text.
fn apply(edit: &Value, source_uri: &str, source: &str) -> String {
    let mut new_source = source.to_string();
    let mut apply_file = |uri: &str, edits: &[Value]| {
        if uri == source_uri {
            new_source = apply_edits(&new_source, edits);
        } else {
            let path = uri.strip_prefix("file://").unwrap();
            let old = std::fs::read_to_string(path).unwrap_or_default();
            std::fs::write(path, apply_edits(&old, edits)).unwrap();
        }
    };
    if let Some(ops) = edit["documentChanges"].as_array() {
        for op in ops {
            if op["kind"] == "create" {
                let path = op["uri"].as_str().unwrap().strip_prefix("file://").unwrap().to_string();
                assert_eq!(op["options"]["overwrite"], false);
                if !Path::new(&path).exists() {
                    std::fs::write(&path, "").unwrap();
                }
            } else {
                apply_file(
                    op["textDocument"]["uri"].as_str().unwrap(),
                    op["edits"].as_array().unwrap(),
                );
            }
        }
    } else {
        for (uri, edits) in edit["changes"].as_object().unwrap() {
            apply_file(uri, edits.as_array().unwrap());
        }
    }
    new_source
}

#[tokio::test]
async fn moves_the_secret_creates_env_and_gitignore_and_nothing_remains() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let file = root.join("app.py");
    let source = format!("import os\nMODEL_URL = \"{}\"\n", url(1));
    std::fs::write(&file, &source).unwrap();
    let (mut c, _) = TestClient::initialized(client(root, false, true)).await;
    let uri = uri_of(&file);
    c.open(&uri, "python", &source).await;
    assert_eq!(c.diagnostics(&uri).await["diagnostics"].as_array().unwrap().len(), 1);
    let all = actions(&mut c, &uri).await;
    let action = move_action(&all).unwrap_or_else(|| panic!("not offered: {all:?}"));
    assert_eq!(action["title"], "Move to environment variable `MODEL_URL`");
    let ops = action["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops.iter().filter(|o| o["kind"] == "create").count(), 2, "{ops:?}");
    let after = apply(&action["edit"], &uri, &source);
    assert_eq!(
        after,
        "import os\nMODEL_URL = \"https://acct.blob.core.windows.net/models/x.pt?\" + os.environ[\"MODEL_URL\"]\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".env")).unwrap(),
        format!("MODEL_URL='{}'\n", query(1))
    );
    assert_eq!(std::fs::read_to_string(root.join(".gitignore")).unwrap(), ".env\n");
    c.change(&uri, 2, json!([{"text": after}])).await;
    assert_eq!(c.diagnostics(&uri).await["diagnostics"], json!([]));
    // The .env itself is ignored by git now: opening it shows nothing.
    let env_uri = uri_of(&root.join(".env"));
    c.open(&env_uri, "dotenv", &std::fs::read_to_string(root.join(".env")).unwrap())
        .await;
    assert_eq!(c.diagnostics(&env_uri).await["diagnostics"], json!([]));
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn resolves_lazily_and_appends_to_an_existing_env_without_newline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".env"), "OTHER=1").unwrap();
    std::fs::write(root.join(".gitignore"), "target/\n.env\n").unwrap();
    let file = root.join("app.py");
    let source = format!("import os\nMODEL_URL = \"{}\"\n", url(2));
    let (mut c, _) = TestClient::initialized(client(root, true, true)).await;
    let uri = uri_of(&file);
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    let action = move_action(&actions(&mut c, &uri).await).unwrap();
    assert!(action.get("edit").is_none(), "the edit is computed on resolve");
    assert!(
        !action["data"].to_string().contains(&pct(&sig(2))),
        "no secret in the action data"
    );
    let resolved = c.request("codeAction/resolve", action).await;
    let edit = &resolved["result"]["edit"];
    assert!(!edit["documentChanges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["kind"] == "create"));
    let after = apply(edit, &uri, &source);
    assert!(after.contains("os.environ[\"MODEL_URL\"]"));
    assert_eq!(
        std::fs::read_to_string(root.join(".env")).unwrap(),
        format!("OTHER=1\nMODEL_URL='{}'\n", query(2))
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".gitignore")).unwrap(),
        "target/\n.env\n"
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn not_offered_without_a_writable_root_or_a_way_to_create_env() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let file = root.join("app.py");
    let source = format!("import os\nMODEL_URL = \"{}\"\n", url(3));
    // No way to create files and no .env: not offered. With a .env: offered, as `changes`.
    let mut params = client(root, false, false);
    params["capabilities"]["workspace"]["workspaceEdit"] = json!({});
    let (mut c, _) = TestClient::initialized(params.clone()).await;
    let uri = uri_of(&file);
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    assert!(move_action(&actions(&mut c, &uri).await).is_none());
    c.shutdown_and_exit().await;
    std::fs::write(root.join(".env"), "").unwrap();
    std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
    let (mut c, _) = TestClient::initialized(params).await;
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    let action = move_action(&actions(&mut c, &uri).await).expect("offered with an existing .env");
    assert!(action["edit"].get("changes").is_some());
    c.shutdown_and_exit().await;

    // No workspace folder at all.
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    assert!(move_action(&actions(&mut c, &uri).await).is_none());
    c.shutdown_and_exit().await;

    // A read-only workspace folder.
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o555)).unwrap();
    let (mut c, _) = TestClient::initialized(client(root, false, true)).await;
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    let offered = move_action(&actions(&mut c, &uri).await).is_some();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(!offered, "offered in a read-only folder");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn multi_root_uses_the_env_of_the_folder_that_holds_the_file() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let mut params = client(a.path(), false, true);
    params["workspaceFolders"] =
        json!([{"uri": uri_of(a.path()), "name": "a"}, {"uri": uri_of(b.path()), "name": "b"}]);
    let (mut c, _) = TestClient::initialized(params).await;
    let file = b.path().join("svc/main.go");
    let source = format!("package main\n\nconst blobURL = \"{}\"\n", url(4));
    let uri = uri_of(&file);
    c.open(&uri, "go", &source).await;
    c.diagnostics(&uri).await;
    let action = move_action(&actions(&mut c, &uri).await).unwrap();
    let targets: Vec<String> = action["edit"]["documentChanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o["uri"]
                .as_str()
                .or(o["textDocument"]["uri"].as_str())
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(targets.contains(&uri_of(&b.path().join(".env"))), "{targets:?}");
    assert!(!targets.iter().any(|t| t.starts_with(&uri_of(a.path()))), "{targets:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn git_ignored_files_get_no_diagnostics_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), "secrets/\n").unwrap();
    let file = root.join("secrets/prod.env");
    let text = format!("MODEL_URL='{}'\n", url(5));
    let uri = uri_of(&file);
    let (mut c, _) = TestClient::initialized(client(root, false, true)).await;
    c.open(&uri, "dotenv", &text).await;
    assert_eq!(c.diagnostics(&uri).await["diagnostics"], json!([]));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"scanGitIgnored": true}}),
    )
    .await;
    assert_eq!(c.diagnostics(&uri).await["diagnostics"].as_array().unwrap().len(), 1);
    c.shutdown_and_exit().await;
}

/// The disabled "Move to environment variable" action's reason, if one is offered.
fn disabled_reason(all: &[Value]) -> Option<String> {
    all.iter()
        .find(|a| a["title"] == "Move to environment variable" && a.get("disabled").is_some())
        .map(|a| a["disabled"]["reason"].as_str().unwrap().to_string())
}

/// Opens `text` as `language` and returns the disabled action's reason (it must be one,
/// and no enabled move action).
async fn reason_for(params: Value, file: &Path, language: &str, text: &str) -> String {
    let (mut c, _) = TestClient::initialized(params).await;
    let uri = uri_of(file);
    c.open(&uri, language, text).await;
    c.diagnostics(&uri).await;
    let all = actions(&mut c, &uri).await;
    c.shutdown_and_exit().await;
    assert!(
        !all.iter().any(|a| a["title"]
            .as_str()
            .unwrap()
            .starts_with("Move to environment variable `")),
        "offered"
    );
    disabled_reason(&all).unwrap_or_else(|| panic!("no disabled action with a reason for {language}"))
}

#[tokio::test]
async fn says_why_the_move_is_missing_where_the_client_shows_disabled_actions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let file = root.join("app.py");
    let source = format!("import os\nMODEL_URL = \"{}\"\n", url(6));

    // No workspace folder.
    let reason = reason_for(with_disabled_support(push_client()), &file, "python", &source).await;
    assert!(reason.contains("no workspace folder"), "{reason}");
    // The client cannot create files (and there is no .env).
    let mut params = with_disabled_support(client(root, false, false));
    params["capabilities"]["workspace"]["workspaceEdit"] = json!({});
    let reason = reason_for(params, &file, "python", &source).await;
    assert!(reason.contains("cannot create files"), "{reason}");
    // The secret is not in a string literal; the language has no lookup; a Dockerfile.
    let params = with_disabled_support(client(root, false, true));
    let reason = reason_for(params.clone(), &file, "python", &format!("import os\nf({})\n", url(6))).await;
    assert!(reason.contains("not inside a string literal"), "{reason}");
    // Two tokens, one reason: shown once.
    let md = format!("<{}> <{}>\n", url(6), url(7));
    let (mut c, _) = TestClient::initialized(params.clone()).await;
    let md_uri = uri_of(&root.join("b.md"));
    c.open(&md_uri, "markdown", &md).await;
    c.diagnostics(&md_uri).await;
    let all = actions(&mut c, &md_uri).await;
    c.shutdown_and_exit().await;
    assert_eq!(all.iter().filter(|a| a.get("disabled").is_some()).count(), 1, "{all:?}");
    let reason = reason_for(
        params.clone(),
        &root.join("a.md"),
        "markdown",
        &format!("<{}>\n", url(6)),
    )
    .await;
    assert!(
        reason.contains("no environment lookup for language `markdown`"),
        "{reason}"
    );
    let docker = format!("FROM alpine\nRUN curl -o m \"{}\"\n", url(6));
    let reason = reason_for(params.clone(), &root.join("Dockerfile"), "dockerfile", &docker).await;
    assert!(reason.contains("image history"), "{reason}");
    // A .env that is a link out of the workspace folder.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("elsewhere.env"), "A=1\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("elsewhere.env"), root.join(".env")).unwrap();
    let reason = reason_for(params.clone(), &file, "python", &source).await;
    assert!(
        reason.contains(".env is a link that leads out of the workspace folder"),
        "{reason}"
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("elsewhere.env")).unwrap(),
        "A=1\n"
    );
    std::fs::remove_file(root.join(".env")).unwrap();
    // A read-only folder.
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o555)).unwrap();
    let (mut c, _) = TestClient::initialized(params.clone()).await;
    let uri = uri_of(&file);
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    let reason = disabled_reason(&actions(&mut c, &uri).await);
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    c.shutdown_and_exit().await;
    assert!(reason.as_deref().is_some_and(|r| r.contains("read-only")), "{reason:?}");

    // A client without `disabledSupport` gets no disabled action (the reason is logged).
    let (mut c, _) = TestClient::initialized(push_client()).await;
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    let all = actions(&mut c, &uri).await;
    assert!(all.iter().all(|a| a.get("disabled").is_none()), "{all:?}");
    assert!(move_action(&all).is_none());
    c.shutdown_and_exit().await;
}

/// The `.env` edit of the action for `source` in `root` (with `.gitignore` ignoring `.env`).
async fn env_edit(root: &Path, seed: u64) -> (Value, String, String) {
    let file = root.join("app.py");
    let source = format!("import os\nMODEL_URL = \"{}\"\n", url(seed));
    std::fs::write(&file, &source).unwrap();
    let (mut c, _) = TestClient::initialized(client(root, false, true)).await;
    let uri = uri_of(&file);
    c.open(&uri, "python", &source).await;
    c.diagnostics(&uri).await;
    let action = move_action(&actions(&mut c, &uri).await).expect("offered");
    c.shutdown_and_exit().await;
    (action["edit"].clone(), uri, source)
}

/// Applies a WorkspaceEdit with Neovim's own code (`vim.lsp.util.apply_workspace_edit`),
/// then writes every buffer. `false` when no `nvim` is installed.
fn apply_with_neovim(edit: &Value, dir: &Path) -> bool {
    if std::process::Command::new("nvim").arg("--version").output().is_err() {
        // scripts/test.sh installs it: in CI its absence is a failure.
        assert!(std::env::var_os("CI").is_none(), "nvim is needed for this test");
        eprintln!("nvim is not installed: the Neovim half of this test is skipped");
        return false;
    }
    let edit_path = dir.join("edit.json");
    std::fs::write(&edit_path, edit.to_string()).unwrap();
    let script = dir.join("apply.lua");
    std::fs::write(
        &script,
        "local f = assert(io.open(_G.arg[1]))\nlocal edit = vim.json.decode(f:read('a'))\nf:close()\nvim.lsp.util.apply_workspace_edit(edit, 'utf-16')\nvim.cmd('silent wall')\n",
    )
    .unwrap();
    let out = std::process::Command::new("nvim")
        .args(["--headless", "--clean", "-l"])
        .arg(&script)
        .arg(&edit_path)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "nvim: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_file(edit_path).unwrap();
    std::fs::remove_file(script).unwrap();
    true
}

#[tokio::test]
async fn the_env_file_ends_in_exactly_one_line_break_in_neovim_and_as_vs_code_applies_it() {
    // (the .env's text before, or None when it does not exist; its text after)
    let cases: [(Option<&str>, String); 4] = [
        (None, format!("MODEL_URL='{}'\n", query(7))),
        (Some(""), format!("MODEL_URL='{}'\n", query(7))),
        (Some("A=1\n"), format!("A=1\nMODEL_URL='{}'\n", query(7))),
        (Some("A=1"), format!("A=1\nMODEL_URL='{}'\n", query(7))),
    ];
    for (i, (before, after)) in cases.iter().enumerate() {
        for neovim in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
            if let Some(b) = before {
                std::fs::write(root.join(".env"), b).unwrap();
            }
            let (edit, uri, source) = env_edit(root, 7).await;
            if neovim {
                if !apply_with_neovim(&edit, root) {
                    continue;
                }
            } else {
                apply(&edit, &uri, &source);
            }
            let got = std::fs::read_to_string(root.join(".env")).unwrap();
            assert!(
                got == *after,
                "case {i} ({}): .env is {:?} (secret left out), expected {} bytes",
                if neovim { "Neovim" } else { "VS Code" },
                got.replace(&query(7), "<query>"),
                after.len()
            );
        }
    }
}

#[tokio::test]
async fn a_dotenv_that_is_not_utf8_is_appended_to_not_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
    let before: &[u8] = b"# caf\xe9\nMODEL_URL='other'\n";
    std::fs::write(root.join(".env"), before).unwrap();
    let (edit, _, _) = env_edit(root, 8).await;
    let ops = edit["documentChanges"].as_array().unwrap();
    assert!(
        !ops.iter().any(|o| o["kind"] == "create"),
        "a create for an existing .env"
    );
    let env_change = ops
        .iter()
        .find(|o| o["textDocument"]["uri"].as_str().is_some_and(|u| u.ends_with("/.env")))
        .expect("an edit of .env");
    // The clash with the existing MODEL_URL is seen: a new name, added after the last line.
    let e = &env_change["edits"][0];
    assert_eq!(e["range"]["start"], json!({"line": 1, "character": 17}));
    assert_eq!(e["newText"], format!("\nMODEL_URL_2='{}'", query(8)));
    if apply_with_neovim(&edit, root) {
        let got = std::fs::read(root.join(".env")).unwrap();
        assert_eq!(&got[..before.len()], before);
        assert_eq!(got[before.len()..], *format!("MODEL_URL_2='{}'\n", query(8)).as_bytes());
    }

    // A last line that is not UTF-8 (its length in UTF-16 unknown): the new line goes
    // before it, whole.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
    std::fs::write(root.join(".env"), b"A=1\n# caf\xe9").unwrap();
    let (edit, _, _) = env_edit(root, 9).await;
    let e = &edit["documentChanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["textDocument"]["uri"].as_str().is_some_and(|u| u.ends_with("/.env")))
        .expect("an edit of .env")["edits"][0];
    assert_eq!(e["range"]["start"], json!({"line": 1, "character": 0}));
    assert_eq!(e["range"]["end"], json!({"line": 1, "character": 0}));
    assert_eq!(e["newText"], format!("MODEL_URL='{}'\n", query(9)));
}
