//! Signatures that only look like a SAS: `sr=…&sig=…` (and `se=<unix seconds>`) with no other
//! SAS parameter, on a host that is clearly not Azure, is some other service's signed URL.
//! A storage SAS always carries `sv`; a Service Bus, Event Hubs, Relay or IoT Hub token names
//! its namespace in `sr` (or its policy in `skn`).

use super::decode::decode_lossy;
use super::host::namespace_of;
use super::params::Param;

/// Azure hosts a bare `sr`/`se`/`sig` token can be for.
const AZURE_SUFFIXES: &[&str] = &[
    ".windows.net",
    ".azure-devices.net",
    ".azure-devices.cn",
    ".azure-devices.us",
    ".chinacloudapi.cn",
    ".usgovcloudapi.net",
    ".cloudapi.de",
    ".storage.azure.net",
    ".azure.net",
    ".azure.com",
];

fn is_azure_host(h: &str) -> bool {
    AZURE_SUFFIXES.iter().any(|s| h.ends_with(s))
}

/// True when the group holds nothing but `sr`, `se` and `sig`, and neither its resource nor
/// the URL it sits in (`url_host`) is an Azure host.
pub fn is_foreign_minimal(t: &[u8], group: &[Param], url_host: Option<&str>) -> bool {
    let minimal = group
        .iter()
        .filter(|p| super::params::is_sas_key(&t[p.key.clone()]))
        .all(|p| p.key_is(t, "sr") || p.key_is(t, "se") || p.key_is(t, "sig"));
    if !minimal {
        return false;
    }
    let sr = group
        .iter()
        .find(|p| p.key_is(t, "sr"))
        .map(|p| decode_lossy(&t[p.value.clone()]));
    let sr_host = sr.as_deref().and_then(|r| namespace_of(r).0);
    !sr_host.as_deref().is_some_and(is_azure_host) && !url_host.is_some_and(is_azure_host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::params::split_params;

    fn foreign(q: &str, host: Option<&str>) -> bool {
        let t = q.as_bytes();
        is_foreign_minimal(t, &split_params(t, 0..t.len()), host)
    }

    #[test]
    fn only_sr_se_sig_away_from_azure() {
        assert!(foreign("sr=a&sig=x", Some("example.org")));
        assert!(foreign("sr=a&se=1800000000&sig=x", None));
        assert!(!foreign("sr=myhub.azure-devices.net%2Fdevices%2Fd1&sig=x&se=1", None));
        assert!(!foreign("sr=b&sig=x", Some("acct.blob.core.windows.net")));
        assert!(!foreign("sv=2024-11-04&sr=b&sig=x", Some("example.org")));
        assert!(!foreign("sr=a&sig=x&skn=send", Some("example.org")));
    }
}
