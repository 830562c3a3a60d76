//! Where webhooks may be sent. In production a subscription URL must be https and must not reach
//! loopback, private, link-local or otherwise internal addresses. When the URL is saved its text is
//! checked (an internal address or local name is refused); names are resolved only at every
//! connection, by the worker's resolver, which drops internal addresses — so a name that points,
//! or later re-points, inside the network is never reached, and saving a URL does no network I/O
//! inside the request's transaction. Development and tests allow both, so a receiver on 127.0.0.1
//! works.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

const MAX_URL_LEN: usize = 2048;

/// The one answer for every internal target: which address a name or literal is, and that it is
/// internal, is the network's business, not the caller's.
pub const INTERNAL: &str = "must not target an internal address";

/// The rules subscription URLs and outgoing connections follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlPolicy {
    pub require_https: bool,
    pub allow_internal_addresses: bool,
}

impl UrlPolicy {
    pub const PRODUCTION: Self = Self {
        require_https: true,
        allow_internal_addresses: false,
    };
    pub const DEVELOPMENT: Self = Self {
        require_https: false,
        allow_internal_addresses: true,
    };

    pub fn for_environment(production: bool) -> Self {
        if production {
            Self::PRODUCTION
        } else {
            Self::DEVELOPMENT
        }
    }
}

/// The checks that need no DNS: scheme, credentials, length, and IP-literal hosts.
pub fn check_url_syntax(policy: UrlPolicy, raw: &str) -> Result<Url, String> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_LEN {
        return Err(format!("must be at most {MAX_URL_LEN} characters"));
    }
    let url = Url::parse(raw).map_err(|e| format!("is not a valid URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" if !policy.require_https => {}
        "http" => return Err("must use https".into()),
        _ => return Err("must be an http(s) URL".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        // They would be stored and shown in plain text; the signature authenticates instead.
        return Err("must not contain credentials".into());
    }
    if url.fragment().is_some() {
        return Err("must not contain a #fragment".into());
    }
    if policy.allow_internal_addresses {
        return url
            .host()
            .map(|_| url.clone())
            .ok_or_else(|| "must name a host".into());
    }
    match url.host() {
        None => Err("must name a host".into()),
        Some(Host::Ipv4(ip)) if !is_public_ip(IpAddr::V4(ip)) => Err(INTERNAL.into()),
        Some(Host::Ipv6(ip)) if !is_public_ip(IpAddr::V6(ip)) => Err(INTERNAL.into()),
        Some(Host::Domain(domain)) if is_local_name(domain) => Err(INTERNAL.into()),
        Some(_) => Ok(url),
    }
}

fn is_local_name(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    domain == "localhost"
        || domain.ends_with(".localhost")
        || domain.ends_with(".local")
        || domain.ends_with(".internal")
}

/// Whether an address is on the public internet: not loopback, private, link-local (cloud
/// metadata lives there), carrier-grade NAT, multicast, broadcast, documentation, benchmarking or
/// unspecified — for IPv4, IPv6, and IPv4 embedded in IPv6.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10, carrier-grade NAT
    let benchmarking = a == 198 && (b == 18 || b == 19); // 198.18.0.0/15
    let protocol_assignments = a == 192 && b == 0 && c == 0; // 192.0.0.0/24
    let reserved = a >= 240; // 240.0.0.0/4 and broadcast
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || shared
        || benchmarking
        || protocol_assignments
        || reserved)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    let well_known_nat64 = segments[..6] == [0x0064, 0xff9b, 0, 0, 0, 0]; // 64:ff9b::/96
    if well_known_nat64 {
        let [a, b] = segments[6].to_be_bytes();
        let [c, d] = segments[7].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    // Other translation prefixes (64:ff9b:1::/48 for local use, RFC 8215) put the IPv4 address
    // where it can't be read back without knowing the prefix length, and ::ffff:0:a.b.c.d
    // (IPv4-translated, RFC 2765) reaches an IPv4 host too: none of them is a safe target.
    let other_translation =
        (segments[0] == 0x0064 && segments[1] == 0xff9b) || segments[..5] == [0, 0, 0, 0, 0xffff];
    let documentation = segments[0] == 0x2001 && segments[1] == 0x0db8;
    // Tunnels that carry an IPv4 address a relay then reaches: 6to4 (2002::/16) and Teredo
    // (2001::/32). A relay inside the network would reach what the address names.
    let six_to_four = segments[0] == 0x2002;
    let teredo = segments[0] == 0x2001 && segments[1] == 0;
    let site_local = segments[0] & 0xffc0 == 0xfec0;
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || ip.is_unique_local()
        || ip.is_unicast_link_local()
        || site_local
        || documentation
        || six_to_four
        || teredo
        || other_translation
        // ::a.b.c.d, the deprecated IPv4-compatible form.
        || segments[..6].iter().all(|s| *s == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_not_public() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1:a00:1::",
            "64:ff9b:1::808:808",
            "::ffff:0:a00:1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "2002:808:808::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        ] {
            let ip: IpAddr = internal.parse().unwrap();
            assert!(!is_public_ip(ip), "{internal} should be internal");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
            "64:ff9b::808:808",
        ] {
            let ip: IpAddr = public.parse().unwrap();
            assert!(is_public_ip(ip), "{public} should be public");
        }
    }

    #[test]
    fn production_refuses_plain_http_and_internal_targets() {
        let refuse = |url: &str| check_url_syntax(UrlPolicy::PRODUCTION, url).unwrap_err();
        assert_eq!(refuse("http://example.com/hook"), "must use https");
        for internal in [
            "https://127.0.0.1/hook",
            "https://[::1]:8443/hook",
            "https://169.254.169.254/latest",
            "https://10.0.0.5/",
            "https://localhost/hook",
            "https://api.localhost/hook",
            "https://[2002:a00:1::1]/hook",
        ] {
            assert_eq!(
                refuse(internal),
                INTERNAL,
                "{internal}: one answer for every internal target, naming none"
            );
        }
        assert!(refuse("https://user:pw@example.com/").contains("credentials"));
        assert!(refuse("ftp://example.com/").contains("http(s)"));
        assert!(refuse("not a url").contains("not a valid URL"));
        assert!(check_url_syntax(UrlPolicy::PRODUCTION, "https://93.184.216.34/hook").is_ok());
        assert!(check_url_syntax(UrlPolicy::PRODUCTION, "https://hooks.example.com/x").is_ok());
    }

    #[test]
    fn development_allows_local_receivers() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "https://10.0.0.5/",
        ] {
            assert!(
                check_url_syntax(UrlPolicy::DEVELOPMENT, url).is_ok(),
                "{url}"
            );
        }
        assert!(check_url_syntax(UrlPolicy::DEVELOPMENT, "file:///etc/passwd").is_err());
    }
}
