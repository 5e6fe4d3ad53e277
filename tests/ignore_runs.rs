//! *Ignore this token* never changes what a program does: each program is run with its
//! real interpreter before and after the comment is added, and prints the same; and the
//! scanner no longer reports the token. Programs print lengths, never the secret.

mod common;

use std::path::Path;
use std::process::Command;

use common::{now, pct, sig};
use sasguard::config::Settings;
use sasguard::fix::{apply, ignore_comment};
use sasguard::policy::analyze;
use sasguard::scan::scan;

/// Runs `file` holding `text` with `cmd`; its stdout, or `None` when the tool is missing.
fn run(dir: &Path, file: &str, text: &str, cmd: &str) -> Option<(bool, String)> {
    std::fs::write(dir.join(file), text).unwrap();
    let out = Command::new(cmd).arg(file).current_dir(dir).output().ok()?;
    Some((out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned()))
}

#[test]
fn ignore_comments_leave_programs_running_the_same() {
    let url = format!(
        "https://acct.blob.core.windows.net/c?sv=2020-08-04&sr=c&sp=rl&se=2051-01-01&sig={}",
        pct(&sig(21))
    );
    // (language, file, interpreter, program, the comment goes on a line of its own above)
    let cases: Vec<(&str, &str, &str, String, bool)> = vec![
        (
            "python",
            "a.py",
            "python3",
            format!("u = \"{url}\"\nprint(len(u))\n"),
            false,
        ),
        (
            "python",
            "b.py",
            "python3",
            format!("D = \"\"\"a\n\"\"\"\nu = f'{url}'  # the model\nprint(len(u) + len(D))\n"),
            false,
        ),
        (
            "python",
            "c.py",
            "python3",
            format!("u = \"{url}\" \\\n    + \"x\"\nprint(len(u))\n"),
            true,
        ),
        (
            "javascript",
            "d.js",
            "node",
            format!("const u = `{url}`;\nconsole.log(u.length);\n"),
            false,
        ),
        (
            "javascript",
            "e.js",
            "node",
            format!("const a = [\n  \"{url}\",\n];\nconsole.log(a[0].length);\n"),
            false,
        ),
        (
            "shellscript",
            "f.sh",
            "bash",
            format!("cat <<EOF | wc -c\nx\nEOF\nprintf '%s' \\\n  '{url}' | wc -c\n"),
            false,
        ),
        (
            "perl",
            "g.pl",
            "perl",
            format!("my $u = \"{url}\";\nprint length($u), \"\\n\";\n"),
            false,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for (i, (language, file, cmd, text, above)) in cases.into_iter().enumerate() {
        let tokens = scan(text.as_bytes());
        assert_eq!(tokens.len(), 1, "case {i}");
        let edit = ignore_comment(text.as_bytes(), &tokens[0], language)
            .unwrap_or_else(|| panic!("case {i}: ignore not offered"));
        assert_eq!(edit.text.contains("next-line"), above, "case {i}: placement");
        let after = apply(&text, &[edit]);
        assert!(
            analyze(after.as_bytes(), &Settings::default(), now()).is_empty(),
            "case {i}: still reported"
        );
        let Some(before) = run(dir.path(), file, &text, cmd) else {
            eprintln!("case {i}: {cmd} not found, not run");
            continue;
        };
        assert!(before.0, "case {i}: the program fails as written");
        let changed = run(dir.path(), file, &after, cmd).unwrap();
        assert_eq!(changed, before, "case {i}: {language} behaves differently");
        ran += 1;
    }
    assert!(ran > 0, "no interpreter found");
}
