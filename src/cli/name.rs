//! A secret in a file's name: `wget` saves `…/model.pt?sv=…&sig=…` under that name. The
//! name is scanned like a one-line text and each finding is reported for the file as a
//! whole (a path-only location). Reports show the path only redacted (see
//! [`crate::source::walk::display`]), and `--fix` cannot rename the file: it says so.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::report::{for_each_located, Located};
use crate::config::Settings;

/// The findings in the last component of `path`: the name `wget` gave. (Folders above
/// are not scanned: each file below one would repeat its finding.)
pub fn findings(path: &Path, settings: &Settings, now: DateTime<Utc>, mut each: impl FnMut(Located)) {
    let Some(name) = path.file_name() else { return };
    let name = name.to_string_lossy();
    for_each_located(name.as_bytes(), settings, now, |mut l| {
        l.in_file_name = true;
        each(l)
    });
}

/// What `--fix` says about a file whose name holds a secret.
pub const NOT_RENAMED: &str = "not fixed: the secret is in the file name; rename the file and rotate the secret";
