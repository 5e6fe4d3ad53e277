//! Host and account names from URLs and connection-string endpoints.

use super::decode::decode_lossy;

/// DNS suffixes of Azure Storage endpoints in every cloud.
const STORAGE_SUFFIXES: &[&str] = &[
    ".core.windows.net",
    ".core.chinacloudapi.cn",
    ".core.usgovcloudapi.net",
    ".core.cloudapi.de",
    ".storage.azure.net",
];

/// Host and account of a URL as written (any encoding). The account is known for
/// Azure storage hosts and the emulator's path-style URLs; custom domains give none.
pub fn host_and_account(raw_url: &[u8]) -> (Option<String>, Option<String>) {
    let url = decode_lossy(raw_url);
    let Some(after) = url.find("://").map(|i| &url[i + 3..]) else {
        return (None, None);
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = authority.split(':').next().unwrap_or("").to_ascii_lowercase();
    if host.is_empty() {
        return (None, None);
    }
    let account = account_of(&host, after);
    (Some(host), account)
}

fn account_of(host: &str, after_scheme: &str) -> Option<String> {
    // The emulator's path-style account, on any host (`host.docker.internal`, a compose
    // service name, …).
    let first_segment = after_scheme
        .split_once('/')
        .and_then(|(_, p)| p.split(['/', '?']).next());
    if let Some(seg) = first_segment.filter(|s| s.eq_ignore_ascii_case("devstoreaccount1")) {
        return Some(seg.to_string());
    }
    if host == "127.0.0.1" || host == "localhost" || host.starts_with("azurite") {
        // Path-style emulator URL: the account is the first path segment.
        let path = after_scheme.split_once('/')?.1;
        let first = path.split(['/', '?']).next()?;
        return (!first.is_empty()).then(|| first.to_string());
    }
    if STORAGE_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return host.split('.').next().map(str::to_string);
    }
    None
}

/// The namespace label of a Service Bus / Event Hubs / IoT Hub host (`ns` of `ns.servicebus.windows.net`).
pub fn namespace_of(resource: &str) -> (Option<String>, Option<String>) {
    let r = resource.trim();
    let after = r.find("://").map(|i| &r[i + 3..]).unwrap_or(r);
    let host = after.split(['/', '?']).next().unwrap_or("").to_ascii_lowercase();
    if host.is_empty() || !host.contains('.') {
        return (None, None);
    }
    let ns = host.split('.').next().map(str::to_string);
    (Some(host), ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_hosts_in_every_cloud() {
        for (url, host, acct) in [
            (
                "https://acct.blob.core.windows.net/c/b",
                "acct.blob.core.windows.net",
                Some("acct"),
            ),
            (
                "https://acct.dfs.core.chinacloudapi.cn/x",
                "acct.dfs.core.chinacloudapi.cn",
                Some("acct"),
            ),
            (
                "https://acct.z12.blob.storage.azure.net/x",
                "acct.z12.blob.storage.azure.net",
                Some("acct"),
            ),
            (
                "https://acct.privatelink.blob.core.windows.net/",
                "acct.privatelink.blob.core.windows.net",
                Some("acct"),
            ),
            (
                "http://127.0.0.1:10000/devstoreaccount1/c",
                "127.0.0.1",
                Some("devstoreaccount1"),
            ),
            ("https://cdn.example.com/c/b", "cdn.example.com", None),
            (
                "https%3A%2F%2Facct.blob.core.windows.net%2Fc",
                "acct.blob.core.windows.net",
                Some("acct"),
            ),
            (
                "https:\\/\\/acct.blob.core.windows.net\\/c",
                "acct.blob.core.windows.net",
                Some("acct"),
            ),
        ] {
            let (h, a) = host_and_account(url.as_bytes());
            assert_eq!(h.as_deref(), Some(host), "{url}");
            assert_eq!(a.as_deref(), acct, "{url}");
        }
    }

    #[test]
    fn service_bus_namespaces() {
        let (h, ns) = namespace_of("https://myns.servicebus.windows.net/queue1");
        assert_eq!(h.as_deref(), Some("myns.servicebus.windows.net"));
        assert_eq!(ns.as_deref(), Some("myns"));
        assert_eq!(
            namespace_of("hub.azure-devices.net/devices/d1").1.as_deref(),
            Some("hub")
        );
    }
}
