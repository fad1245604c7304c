//! Whose request this is (SPEC §12.4): the client's address is the socket's peer, or, when
//! the peer is a proxy the deployment trusts (`SWITCHBOARD_TRUSTED_PROXIES`), the nearest
//! untrusted hop of `X-Forwarded-For`.
//!
//! Each proxy appends the address it received the request from, so the list reads
//! client, proxy 1, proxy 2, … and only its right end was written by proxies we know. It is
//! read from the right: trusted hops are skipped, and the first address that is not a
//! trusted proxy is the client. Anything left of it was written by the client itself and
//! may be a lie, so it is never looked at. A hop that is not an address (`unknown`, an
//! obfuscated name) ends the walk there: nothing behind it can be vouched for, so the
//! client is the last trusted hop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use ipnet::IpNet;
use poem::Request;
use poem::http::header::HeaderMap;

/// The header proxies append the address they received the request from to.
const FORWARDED_FOR: &str = "x-forwarded-for";

/// The addresses and networks of the proxies whose `X-Forwarded-For` and geo headers are
/// believed. The default is the loopback networks: the server listens on 127.0.0.1 by
/// default, so whatever reaches it there is a reverse proxy on the same host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Arc<[IpNet]>,
}

impl Default for TrustedProxies {
    fn default() -> Self {
        Self {
            networks: Arc::new([
                IpNet::new_assert(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8),
                IpNet::new_assert(IpAddr::V6(Ipv6Addr::LOCALHOST), 128),
            ]),
        }
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated addresses (`10.0.0.7`, `::1`) and networks (`10.0.0.0/8`,
    /// `fd00::/8`); `none` trusts no proxy.
    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("none") {
            return Ok(Self::none());
        }
        let networks = raw
            .split(',')
            .map(str::trim)
            .map(|item| {
                if let Ok(net) = item.parse::<IpNet>() {
                    Ok(net.trunc())
                } else if let Ok(ip) = item.parse::<IpAddr>() {
                    Ok(IpNet::from(ip))
                } else {
                    Err(format!(
                        "{item:?} is neither an IP address nor a network like 10.0.0.0/8; \
                         give a comma-separated list, or `none`"
                    ))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            networks: networks.into(),
        })
    }
}

impl TrustedProxies {
    /// Trusts no proxy: the client is always the socket's peer.
    pub fn none() -> Self {
        Self {
            networks: Arc::new([]),
        }
    }

    /// Whether `ip` is one of the trusted proxies. An IPv4 peer seen on an IPv6 socket
    /// (`::ffff:10.0.0.7`) is its IPv4 address.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.networks.iter().any(|net| net.contains(&ip))
    }

    /// The client's address, given the socket's peer and the request's headers.
    pub fn client_addr(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        // Several headers are one list, in order (RFC 9110 §5.3).
        let hops: Vec<&str> = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|hop| !hop.is_empty())
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }

    /// The client's address of a request; `None` when it did not come over IP.
    pub fn client_addr_of(&self, req: &Request) -> Option<IpAddr> {
        let peer = req.remote_addr().as_socket_addr()?.ip();
        Some(self.client_addr(peer, req.headers()))
    }

    /// Whether the request comes straight from a trusted proxy, whose own headers (the
    /// visitor's location) may be believed.
    pub fn is_trusted_peer(&self, req: &Request) -> bool {
        req.remote_addr()
            .as_socket_addr()
            .is_some_and(|peer| self.trusts(peer.ip()))
    }
}

/// One `X-Forwarded-For` hop: an address, perhaps with a port (`203.0.113.9:4711`,
/// `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use poem::http::HeaderValue;

    use super::*;

    fn proxies(raw: &str) -> TrustedProxies {
        raw.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(FORWARDED_FOR, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn addresses_and_networks_of_both_families_parse_and_anything_else_is_refused() {
        let p = proxies(" 10.0.0.0/8, 192.0.2.7 ,fd00::/8, 2001:db8::1");
        assert!(p.trusts(ip("10.200.3.4")));
        assert!(p.trusts(ip("192.0.2.7")));
        assert!(!p.trusts(ip("192.0.2.8")));
        assert!(p.trusts(ip("fd12:3456::1")));
        assert!(p.trusts(ip("2001:db8::1")));
        assert!(!p.trusts(ip("2001:db8::2")));
        // A network written with host bits set is its network.
        assert!(proxies("10.1.2.3/16").trusts(ip("10.1.200.1")));
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!(
            "10.0.0.0/8,proxy.example.com"
                .parse::<TrustedProxies>()
                .is_err()
        );
        assert!("".parse::<TrustedProxies>().is_err());
        assert!(!proxies("none").trusts(ip("127.0.0.1")));
    }

    #[test]
    fn the_default_trusts_loopback_only() {
        let p = TrustedProxies::default();
        assert!(p.trusts(ip("127.0.0.1")));
        assert!(p.trusts(ip("127.8.9.10")));
        assert!(p.trusts(ip("::1")));
        assert!(p.trusts(ip("::ffff:127.0.0.1")));
        assert!(!p.trusts(ip("10.0.0.1")));
        assert!(!p.trusts(ip("::2")));
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let p = proxies("10.0.0.0/8");
        let h = forwarded(&["198.51.100.4"]);
        assert_eq!(p.client_addr(ip("203.0.113.9"), &h), ip("203.0.113.9"));
        assert_eq!(
            TrustedProxies::none().client_addr(ip("127.0.0.1"), &h),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let p = proxies("10.0.0.0/8,2001:db8:ffff::/48");
        // The client wrote a spoofed hop itself; the proxy appended the real peer.
        let h = forwarded(&["1.2.3.4, 198.51.100.4"]);
        assert_eq!(p.client_addr(ip("10.0.0.2"), &h), ip("198.51.100.4"));
        // Two trusted proxies in a row, the list split over two headers.
        let h = forwarded(&["1.2.3.4, 198.51.100.4", "10.0.0.9"]);
        assert_eq!(p.client_addr(ip("10.0.0.2"), &h), ip("198.51.100.4"));
        // IPv6 hops, the trusted one skipped.
        let h = forwarded(&["2001:db8::7, 2001:db8:ffff::1"]);
        assert_eq!(p.client_addr(ip("2001:db8:ffff::2"), &h), ip("2001:db8::7"));
        // Ports and brackets.
        let h = forwarded(&["198.51.100.4:4711"]);
        assert_eq!(p.client_addr(ip("10.0.0.2"), &h), ip("198.51.100.4"));
        let h = forwarded(&["[2001:db8::7]:4711"]);
        assert_eq!(p.client_addr(ip("10.0.0.2"), &h), ip("2001:db8::7"));
        // An IPv4 peer on an IPv6 socket.
        let h = forwarded(&["198.51.100.4"]);
        assert_eq!(p.client_addr(ip("::ffff:10.0.0.2"), &h), ip("198.51.100.4"));
    }

    #[test]
    fn without_a_usable_hop_the_last_trusted_address_is_the_client() {
        let p = proxies("10.0.0.0/8");
        assert_eq!(
            p.client_addr(ip("10.0.0.2"), &HeaderMap::new()),
            ip("10.0.0.2")
        );
        // Nothing behind an unreadable hop can be vouched for.
        let h = forwarded(&["198.51.100.4, unknown, 10.0.0.9"]);
        assert_eq!(p.client_addr(ip("10.0.0.2"), &h), ip("10.0.0.9"));
        // Every hop trusted: the farthest one.
        let h = forwarded(&["10.3.3.3, 10.0.0.9"]);
        assert_eq!(p.client_addr(ip("10.0.0.2"), &h), ip("10.3.3.3"));
    }
}
