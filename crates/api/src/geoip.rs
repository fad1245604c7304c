//! Where an address is, from a MaxMind City database (GeoLite2-City, GeoIP2-City, or a file
//! of the same layout) named by `SWITCHBOARD_GEOIP_DB`. The file is read into memory and
//! checked whole at start-up, so a missing, truncated or corrupt file stops the server
//! there rather than leaving every visitor unlocated.
//!
//! A visitor's country is its ISO code (`GB`), the region the English name of the largest
//! subdivision (`England`, `California`; its code when it has no English name), the city
//! its English name: the values a geo proxy's headers carry and rules are written against.

use std::net::IpAddr;
use std::path::Path;

use maxminddb::{MaxMindDbError, Reader, geoip2};
use switchboard_service::widget::Location;

/// Why a database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GeoIpError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a valid MaxMind database: {source}")]
    Invalid {
        path: String,
        source: MaxMindDbError,
    },
}

/// An opened, verified MaxMind database.
pub struct GeoIpDb {
    reader: Reader<Vec<u8>>,
}

impl std::fmt::Debug for GeoIpDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoIpDb")
            .field("database_type", &self.database_type())
            .finish_non_exhaustive()
    }
}

impl GeoIpDb {
    /// Reads the file and verifies all of it (its search tree and every record it points
    /// to: a few seconds at most for a full city database, once).
    pub fn open(path: &Path) -> Result<Self, GeoIpError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| GeoIpError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::from_bytes(bytes).map_err(|source| GeoIpError::Invalid {
            path: shown,
            source,
        })
    }

    fn from_bytes(bytes: Vec<u8>) -> Result<Self, MaxMindDbError> {
        let reader = Reader::from_source(bytes)?;
        reader.verify()?;
        Ok(Self { reader })
    }

    /// The kind of database, as its metadata names it (`GeoLite2-City`).
    pub fn database_type(&self) -> &str {
        &self.reader.metadata().database_type
    }

    /// Where `ip` is; nothing known when the database has no record for it. A record the
    /// database cannot decode is logged and taken as unknown: a visitor is never refused
    /// for want of a location.
    pub fn locate(&self, ip: IpAddr) -> Location {
        match self.lookup(ip) {
            Ok(found) => found.unwrap_or_default(),
            Err(error) => {
                tracing::warn!(%ip, %error, "GeoIP lookup failed");
                Location::default()
            }
        }
    }

    fn lookup(&self, ip: IpAddr) -> Result<Option<Location>, MaxMindDbError> {
        // An IPv6 visitor cannot be in an IPv4-only database.
        if ip.is_ipv6() && self.reader.metadata().ip_version == 4 {
            return Ok(None);
        }
        let Some(city) = self.reader.lookup(ip)?.decode::<geoip2::City>()? else {
            return Ok(None);
        };
        let text = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Ok(Some(Location {
            country: text(city.country.iso_code),
            region: city
                .subdivisions
                .first()
                .and_then(|s| text(s.names.english).or_else(|| text(s.iso_code))),
            city: text(city.city.names.english),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_database_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("garbage.mmdb");
        std::fs::write(&path, b"this is not a MaxMind database").unwrap();
        let err = GeoIpDb::open(&path).unwrap_err();
        assert!(matches!(err, GeoIpError::Invalid { .. }), "{err}");
        assert!(err.to_string().contains("garbage.mmdb"), "{err}");
        let err = GeoIpDb::open(&dir.path().join("missing.mmdb")).unwrap_err();
        assert!(matches!(err, GeoIpError::Read { .. }), "{err}");
    }
}
