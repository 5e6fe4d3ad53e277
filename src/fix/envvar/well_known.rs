//! Environment variable names that the system, shells, runtimes and tools read: a moved
//! secret must never take one over (a variable called `path` must not become `PATH`).

use crate::scan::Token;

use super::name::fallback_name;

/// Names the system, shells, runtimes and tools read: a secret must not take them over.
#[rustfmt::skip]
const WELL_KNOWN: &[&str] = &[
    "PATH", "HOME", "USER", "USERNAME", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "PWD", "OLDPWD",
    "TMP", "TMPDIR", "TEMP", "TZ", "HOST", "HOSTNAME", "HOSTTYPE", "DISPLAY", "EDITOR", "VISUAL", "PAGER",
    "MAIL", "IFS", "PS1", "PS2", "PS4", "CDPATH", "ENV", "UID", "EUID", "GID", "GROUPS", "SHLVL", "COLUMNS",
    "LINES", "OSTYPE", "MACHTYPE", "BROWSER", "CLASSPATH", "JAVA_HOME", "JAVA_OPTS", "GOPATH", "GOROOT",
    "GOFLAGS", "GOOS", "GOARCH", "GOPROXY", "PORT", "PROMPT", "APPDATA", "LOCALAPPDATA", "USERPROFILE",
    "SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "PROGRAMFILES", "PSMODULEPATH", "HTTP_PROXY", "HTTPS_PROXY",
    "NO_PROXY", "ALL_PROXY", "FTP_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE", "CI", "DEBUG", "VIRTUAL_ENV", "CONDA_PREFIX", "MANPATH", "INFOPATH", "PYTHONPATH",
    "PYTHONHOME", "NODE_PATH", "NODE_OPTIONS", "NODE_ENV", "SSH_AUTH_SOCK", "GPG_TTY", "XAUTHORITY",
    "DBUS_SESSION_BUS_ADDRESS", "RUSTFLAGS", "CC", "CXX", "CFLAGS", "LDFLAGS", "MAKEFLAGS",
];

/// Prefixes of families of such names (`LD_PRELOAD`, `LC_ALL`, `XDG_CONFIG_HOME`…).
#[rustfmt::skip]
const WELL_KNOWN_PREFIXES: &[&str] = &[
    "LD_", "DYLD_", "LC_", "XDG_", "GIT_", "BASH_", "ZSH_", "PYTHONDONTWRITEBYTECODE", "NPM_CONFIG_",
    "DOTNET_", "CARGO_", "RUSTUP_", "MSBUILD", "DOCKER_", "KUBECONFIG", "SSH_", "SUDO_",
];

/// Whether `name` is (or belongs to a family of) well-known environment variables.
pub fn is_well_known(name: &str) -> bool {
    WELL_KNOWN.contains(&name) || WELL_KNOWN_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// `name` unless it is well known (`path` gives `PATH`): then with the kind as suffix
/// (`PATH_SAS`, `HOME_KEY`).
pub fn avoid_well_known(name: String, token: &Token) -> String {
    if !is_well_known(&name) {
        return name;
    }
    let fallback = fallback_name(token);
    let suffix = if fallback.ends_with("_CONNECTION_STRING") {
        "CONNECTION_STRING"
    } else if fallback.ends_with("_KEY") {
        "KEY"
    } else {
        "SAS"
    };
    format!("{name}_{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_names_and_families() {
        for n in [
            "PATH",
            "HOME",
            "USER",
            "SHELL",
            "LANG",
            "TERM",
            "PWD",
            "TMP",
            "LD_PRELOAD",
            "LC_ALL",
            "XDG_DATA_HOME",
        ] {
            assert!(is_well_known(n), "{n}");
        }
        for n in ["MODEL_URL", "PATH_SAS", "BLOB_SAS", "AZURE_STORAGE_SAS"] {
            assert!(!is_well_known(n), "{n}");
        }
    }
}
