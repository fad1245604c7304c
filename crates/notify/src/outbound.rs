//! Calls to addresses users gave (webhook endpoints, push services) reach the public
//! internet only (issue 15, point 4).
//!
//! **Which addresses.** Every range of the IANA IPv4 and IPv6 Special-Purpose Address
//! Registries that is not globally reachable, plus what the registries list as reachable but
//! that leads inside: IPv4 inside IPv6 (mapped `::ffff:0:0/96`, the NAT64 prefix
//! `64:ff9b::/96`) is judged by the IPv4 address it carries, so `[64:ff9b::a9fe:a9fe]` is the
//! metadata address `169.254.169.254`; 6to4 (`2002::/16`), Teredo and the other IETF
//! protocol assignments (`2001::/23`), the deprecated site-local `fec0::/10` and
//! IPv4-compatible `::/96`, and `64:ff9b:1::/48` are refused whole. Membership is `ipnet`'s
//! (maintained, already used for trusted proxies); the table below is the registries' data.
//! The small crates that offer an `is_global` (`ip_rfc`, `ipext`, `nex-core`) follow the
//! registry without unwrapping embedded IPv4, and are unmaintained or bring a network stack.
//!
//! **Pinned.** The HTTP client resolves names through [`GuardedResolver`]: it looks the
//! name up once, refuses the call when any answer is forbidden, and hands the answers it
//! checked to the connector, which connects to those and nothing else. A name whose answer
//! changes between a check and the connection (DNS rebinding) cannot slip through, because
//! there is no second lookup. Literal addresses in URLs are checked by [`forbidden`] before the
//! call ([`crate::webhook::check_url`]); redirects are not followed; proxies from the
//! environment are not used (they would resolve the name themselves).

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// IPv4 ranges that are not globally reachable (IANA IPv4 Special-Purpose Address Registry,
/// with multicast and the reserved class E).
const V4: &[(&str, &str)] = &[
    ("0.0.0.0/8", "this network"),
    ("10.0.0.0/8", "private use"),
    ("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link local (cloud metadata)"),
    ("172.16.0.0/12", "private use"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("192.31.196.0/24", "AS112-v4"),
    ("192.52.193.0/24", "AMT"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast"),
    ("192.168.0.0/16", "private use"),
    ("192.175.48.0/24", "direct delegation AS112 service"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved (and limited broadcast)"),
];

/// IPv6 ranges refused whole (IANA IPv6 Special-Purpose Address Registry and deprecated
/// ranges). `::ffff:0:0/96` and `64:ff9b::/96` are not here: they are judged by the IPv4
/// address inside.
const V6: &[(&str, &str)] = &[
    (
        "::/96",
        "unspecified, loopback and IPv4-compatible (deprecated)",
    ),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
    ("100::/64", "discard only"),
    ("100:0:0:1::/64", "dummy prefix"),
    (
        "2001::/23",
        "IETF protocol assignments (Teredo, benchmarking, ORCHID)",
    ),
    ("2001:db8::/32", "documentation"),
    ("2002::/16", "6to4"),
    ("2620:4f:8000::/48", "direct delegation AS112 service"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "segment routing (SRv6) SIDs"),
    ("fc00::/7", "unique local"),
    ("fe80::/10", "link local"),
    ("fec0::/10", "site local (deprecated)"),
    ("ff00::/8", "multicast"),
];

/// Why an address may not be called, or `None` when it is a public one.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return forbidden_v4(v4);
            }
            V6.iter().find_map(|(net, why)| {
                net.parse::<Ipv6Net>()
                    .ok()
                    .filter(|n| n.contains(&v6))
                    .map(|_| *why)
            })
        }
    }
}

fn forbidden_v4(v4: Ipv4Addr) -> Option<&'static str> {
    V4.iter().find_map(|(net, why)| {
        net.parse::<Ipv4Net>()
            .ok()
            .filter(|n| n.contains(&v4))
            .map(|_| *why)
    })
}

/// The IPv4 address an IPv6 one stands for: IPv4-mapped, or the NAT64 well-known prefix.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let nat64: IpNet = "64:ff9b::/96".parse().ok()?;
    if nat64.contains(&IpAddr::V6(v6)) {
        let o = v6.octets();
        return Some(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    None
}

/// Looks a host name up (the system's resolver in production; tests put their own).
pub trait Lookup: Send + Sync {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;
}

/// The system's resolver (`getaddrinfo`, through tokio).
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        Box::pin(async move {
            Ok(tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .map(|a| a.ip())
                .collect())
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {ip}, {why}: outbound calls go to public addresses only")]
pub struct Refused {
    host: String,
    ip: IpAddr,
    why: &'static str,
}

/// The HTTP client's resolver: one lookup, every answer checked, the checked answers used.
pub struct GuardedResolver {
    allow_private: bool,
    lookup: Arc<dyn Lookup>,
}

impl GuardedResolver {
    pub fn new(allow_private: bool, lookup: Arc<dyn Lookup>) -> Self {
        Self {
            allow_private,
            lookup,
        }
    }

    /// The addresses to connect to for `host`, or why none may be.
    pub async fn resolve_checked(
        &self,
        host: &str,
    ) -> Result<Vec<IpAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let host = host.trim_matches(['[', ']']).to_owned();
        let addrs = self.lookup.lookup(host.clone()).await?;
        if addrs.is_empty() {
            return Err(format!("{host} does not resolve").into());
        }
        if !self.allow_private {
            for ip in &addrs {
                if let Some(why) = forbidden(*ip) {
                    return Err(Box::new(Refused { host, ip: *ip, why }));
                }
            }
        }
        Ok(addrs)
    }
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let lookup = self.lookup.clone();
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let this = GuardedResolver {
                allow_private,
                lookup,
            };
            let addrs = this.resolve_checked(&host).await?;
            // Port 0: the connector puts the URL's port on each address.
            let addrs: reqwest::dns::Addrs =
                Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The HTTP client for calls to addresses users gave: names resolved by a
/// [`GuardedResolver`], no redirects, no proxies from the environment.
pub fn client(
    agent: &str,
    allow_private: bool,
    lookup: Arc<dyn Lookup>,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(std::time::Duration::from_secs(5))
        .dns_resolver(Arc::new(GuardedResolver::new(allow_private, lookup)))
        .user_agent(format!("{agent}/{}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// An error with its sources, for what a failed attempt records (reqwest's own message
/// names only the URL).
pub fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_parse() {
        for (net, _) in V4 {
            assert!(net.parse::<Ipv4Net>().is_ok(), "{net}");
        }
        for (net, _) in V6 {
            assert!(net.parse::<Ipv6Net>().is_ok(), "{net}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ok in [
            "93.184.216.34",
            "1.1.1.1",
            "192.0.3.1",
            "2606:4700::1111",
            "2a00:1450:4007::200e",
            "::ffff:93.184.216.34",
            "64:ff9b::5db8:d822",
        ] {
            assert_eq!(forbidden(ok.parse().unwrap()), None, "{ok}");
        }
    }
}
