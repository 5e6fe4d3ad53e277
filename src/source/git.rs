//! Running the `git` command: its output, or its error with secrets scrubbed. Git never
//! fetches here: a partial clone's missing objects are reported, not downloaded.

use std::path::Path;
use std::process::{Command, Stdio};

/// `git -C dir`, with nothing on stdin and no network: lazy fetching of a partial
/// clone's missing objects is off, and every transport refused (for gits older than
/// `GIT_NO_LAZY_FETCH`).
pub fn command(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .args(["-c", "protocol.allow=never"])
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::null());
    c
}

/// Runs `git -C dir args…` and returns its stdout; `what` names the caller in errors.
pub fn run(dir: &Path, args: &[&str], what: &str) -> Result<Vec<u8>, String> {
    let out = command(dir)
        .args(args)
        .output()
        .map_err(|e| format!("{what} needs git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "git {}: {}",
            args.first().unwrap_or(&""),
            crate::redact::scrub(err.trim())
        ));
    }
    Ok(out.stdout)
}

/// The top folder of the repository `dir` is in.
pub fn toplevel(dir: &Path, what: &str) -> Result<std::path::PathBuf, String> {
    let top = run(dir, &["rev-parse", "--show-toplevel"], what).map_err(|_| {
        format!(
            "{what}: {} is not inside a git repository",
            crate::redact::scrub(&dir.display().to_string())
        )
    })?;
    Ok(std::path::PathBuf::from(
        String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']),
    ))
}
