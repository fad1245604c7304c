//! Where a visitor is: from the headers a trusted proxy (a CDN, a load balancer with a GeoIP
//! module) sets on each request, and from a MaxMind database when one is configured.
//!
//! The header names are configuration (`SWITCHBOARD_GEO_HEADERS`). A visitor could send them
//! too, so they are believed only from a peer in `SWITCHBOARD_TRUSTED_PROXIES`. The database
//! is looked up with the client's address (SPEC §12.4: the peer, or the nearest untrusted
//! hop of `X-Forwarded-For` behind trusted proxies). The proxy's headers win field by field;
//! the database fills in what they leave out, unless it places the visitor in another
//! country (a region of one country and a city of another would match no sensible rule).

use std::str::FromStr;
use std::sync::Arc;

use poem::Request;
use poem::http::HeaderName;
use switchboard_service::widget::Location;

use crate::client_addr::TrustedProxies;
use crate::geoip::GeoIpDb;

/// The names of the country, region and city headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoHeaders {
    pub country: HeaderName,
    pub region: HeaderName,
    pub city: HeaderName,
}

impl Default for GeoHeaders {
    fn default() -> Self {
        Self {
            country: HeaderName::from_static("x-geo-country"),
            region: HeaderName::from_static("x-geo-region"),
            city: HeaderName::from_static("x-geo-city"),
        }
    }
}

impl FromStr for GeoHeaders {
    type Err = String;

    /// Three header names, comma-separated: country, region, city.
    fn from_str(raw: &str) -> Result<Self, String> {
        let names: Vec<&str> = raw.split(',').map(str::trim).collect();
        let [country, region, city] = names[..] else {
            return Err("must be three header names, comma-separated: country,region,city".into());
        };
        let parse = |n: &str| {
            HeaderName::from_bytes(n.as_bytes()).map_err(|_| format!("{n:?} is not a header name"))
        };
        Ok(Self {
            country: parse(country)?,
            region: parse(region)?,
            city: parse(city)?,
        })
    }
}

impl GeoHeaders {
    /// The location the request's headers give (an empty header is no value).
    fn location(&self, req: &Request) -> Location {
        let header = |name: &HeaderName| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Location {
            country: header(&self.country),
            region: header(&self.region),
            city: header(&self.city),
        }
    }
}

/// Locates the visitor of a request.
#[derive(Debug, Clone)]
pub struct Locator {
    headers: GeoHeaders,
    proxies: TrustedProxies,
    db: Option<Arc<GeoIpDb>>,
}

impl Locator {
    pub fn new(headers: GeoHeaders, proxies: TrustedProxies, db: Option<GeoIpDb>) -> Self {
        Self {
            headers,
            proxies,
            db: db.map(Arc::new),
        }
    }

    /// The proxies whose forwarding headers are believed.
    pub fn proxies(&self) -> &TrustedProxies {
        &self.proxies
    }

    /// Where the request's visitor is, as far as anything tells.
    pub fn location(&self, req: &Request) -> Location {
        let told = if self.proxies.is_trusted_peer(req) {
            self.headers.location(req)
        } else {
            Location::default()
        };
        let looked_up = match (&self.db, self.proxies.client_addr_of(req)) {
            (Some(db), Some(ip)) => db.locate(ip),
            _ => Location::default(),
        };
        merge(told, looked_up)
    }
}

/// The proxy's values, completed by the database's where they agree on the country.
fn merge(told: Location, looked_up: Location) -> Location {
    let same_country = match (&told.country, &looked_up.country) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (Some(_), None) => false,
        (None, _) => true,
    };
    let looked_up = if same_country {
        looked_up
    } else {
        Location::default()
    };
    Location {
        country: told.country.or(looked_up.country),
        region: told.region.or(looked_up.region),
        city: told.city.or(looked_up.city),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(country: Option<&str>, region: Option<&str>, city: Option<&str>) -> Location {
        Location {
            country: country.map(Into::into),
            region: region.map(Into::into),
            city: city.map(Into::into),
        }
    }

    fn parts(l: &Location) -> (Option<&str>, Option<&str>, Option<&str>) {
        (l.country.as_deref(), l.region.as_deref(), l.city.as_deref())
    }

    #[test]
    fn the_proxy_wins_and_the_database_fills_in_within_the_same_country() {
        let london = at(Some("GB"), Some("England"), Some("London"));
        // Nothing told: the database.
        let l = merge(Location::default(), london.clone());
        assert_eq!(parts(&l), (Some("GB"), Some("England"), Some("London")));
        // Everything told: the proxy.
        let l = merge(
            at(Some("DE"), Some("Berlin"), Some("Berlin")),
            london.clone(),
        );
        assert_eq!(parts(&l), (Some("DE"), Some("Berlin"), Some("Berlin")));
        // Only the country told (a CDN's country header), the same one: the rest looked up.
        let l = merge(at(Some("gb"), None, None), london.clone());
        assert_eq!(parts(&l), (Some("gb"), Some("England"), Some("London")));
        // Another country told: nothing of the database's.
        let l = merge(at(Some("FR"), None, None), london.clone());
        assert_eq!(parts(&l), (Some("FR"), None, None));
        // A country told and none looked up: the proxy's alone.
        let l = merge(at(Some("FR"), None, None), at(None, None, Some("Paris")));
        assert_eq!(parts(&l), (Some("FR"), None, None));
    }

    #[test]
    fn three_names_parse_and_anything_else_is_refused() {
        let g: GeoHeaders = "CF-IPCountry, X-Region ,X-City".parse().unwrap_or_default();
        assert_eq!(g.country.as_str(), "cf-ipcountry");
        assert_eq!(g.region.as_str(), "x-region");
        assert!("X-Country,X-Region".parse::<GeoHeaders>().is_err());
        assert!("X Country,X-Region,X-City".parse::<GeoHeaders>().is_err());
    }
}
