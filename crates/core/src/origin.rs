//! A web origin (`scheme://host[:port]`) as browsers send it in `Origin`, for the sites a
//! tenant's widget may run on (SPEC §12.4). Parsed with the `url` crate so that case,
//! default ports, IDNA and IPv6 literals compare the way browsers serialise them.

use crate::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin(String);

impl Origin {
    /// An `http` or `https` origin: a path of `/` is tolerated (people paste their home
    /// page), anything else after the host (path, query, fragment, user) is refused.
    pub fn parse(field: &str, raw: &str) -> Result<Origin, ValidationError> {
        let bad = |why: &str| ValidationError::new(field, why.to_owned());
        let url = url::Url::parse(raw.trim()).map_err(|_| {
            bad("must be an origin such as https://www.example.com (scheme and host)")
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("must start with https:// or http://"));
        }
        if url.host().is_none() {
            return Err(bad("must name a host"));
        }
        if !url.username().is_empty()
            || url.password().is_some()
            || url.path() != "/"
            || url.query().is_some()
            || url.fragment().is_some()
        {
            return Err(bad(
                "must be an origin only: scheme, host and port, without a path or query",
            ));
        }
        Ok(Origin(url.origin().ascii_serialization()))
    }

    /// The `Origin` header of a request, when it is a real origin (`null`, or a value that
    /// does not parse, is `None`: it matches no listed origin).
    pub fn from_header(value: &str) -> Option<Origin> {
        Origin::parse("Origin", value).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_as_browsers_serialise_them() {
        let o = |s| Origin::parse("o", s).unwrap().as_str().to_owned();
        assert_eq!(o("https://Shop.Example.com"), "https://shop.example.com");
        assert_eq!(
            o("https://shop.example.com:443/"),
            "https://shop.example.com"
        );
        assert_eq!(o("http://localhost:8080"), "http://localhost:8080");
        assert_eq!(o("https://[::1]:8443"), "https://[::1]:8443");
        assert_eq!(o("https://café.example"), "https://xn--caf-dma.example");
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        for bad in [
            "",
            "shop.example.com",
            "ftp://shop.example.com",
            "https://shop.example.com/contact",
            "https://shop.example.com?x=1",
            "https://user@shop.example.com",
            "javascript:alert(1)",
            "null",
        ] {
            assert!(Origin::parse("o", bad).is_err(), "{bad}");
        }
        assert_eq!(Origin::from_header("null"), None);
    }
}
