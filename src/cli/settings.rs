//! The settings each path of `sasguard check` is scanned with.

use std::path::{Path, PathBuf};

use super::args::CheckArgs;
use crate::config::{self, ConfigError, Settings};

/// Settings for a path: `--config`, else the nearest `.sasguard.toml`, else defaults;
/// command-line options on top. Returns the settings and the directory excludes are
/// relative to.
pub fn settings_for(path: &Path, args: &CheckArgs, cwd: &Path) -> Result<(Settings, PathBuf), ConfigError> {
    let file = match &args.config {
        Some(c) => Some(c.clone()),
        None => config::discover(path),
    };
    let (mut settings, root) = match file {
        Some(f) => {
            let s = Settings::load(&f)?;
            let root = std::path::absolute(&f)
                .ok()
                .and_then(|a| a.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| cwd.to_path_buf());
            (s, root)
        }
        None => (Settings::default(), cwd.to_path_buf()),
    };
    if let Some(m) = args.max_file_size {
        settings.max_file_size = m;
    }
    Ok((settings, root))
}
