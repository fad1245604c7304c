//! Where a visitor is, from the headers a trusted proxy (a CDN, a load balancer with a GeoIP
//! module) sets on each request. The header names are configuration
//! (`SWITCHBOARD_GEO_HEADERS`); only a proxy the deployment trusts may set them, since a
//! visitor could send them too.

use std::str::FromStr;

use poem::Request;
use poem::http::HeaderName;
use switchboard_service::widget::Location;

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
    /// The location the request's headers give.
    pub fn location(&self, req: &Request) -> Location {
        let header = |name: &HeaderName| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Location {
            country: header(&self.country),
            region: header(&self.region),
            city: header(&self.city),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_names_parse_and_anything_else_is_refused() {
        let g: GeoHeaders = "CF-IPCountry, X-Region ,X-City".parse().unwrap_or_default();
        assert_eq!(g.country.as_str(), "cf-ipcountry");
        assert_eq!(g.region.as_str(), "x-region");
        assert!("X-Country,X-Region".parse::<GeoHeaders>().is_err());
        assert!("X Country,X-Region,X-City".parse::<GeoHeaders>().is_err());
    }
}
