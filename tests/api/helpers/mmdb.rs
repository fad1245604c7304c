//! A MaxMind DB writer, just enough to make a City database for the tests (no GeoLite2 file
//! can be shipped or fetched). It follows the format's specification, version 2.0: a binary
//! search tree over the 128 bits of an IPv6 address (IPv4 networks under `::/96`, where
//! readers look them up), 24-bit records, 16 zero bytes, a data section of typed values,
//! then the metadata marker and the metadata map.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// One network of the test database and where it is.
pub struct Place {
    pub network: &'static str,
    pub country: &'static str,
    pub region_code: &'static str,
    pub region: &'static str,
    pub city: &'static str,
}

/// The test database's places: London and Paris (IPv4 and IPv6), and the loopback address,
/// where every in-process test client is, in Reykjavik.
pub const PLACES: [Place; 3] = [
    Place {
        network: "81.2.69.0/24",
        country: "GB",
        region_code: "ENG",
        region: "England",
        city: "London",
    },
    Place {
        network: "2001:db8:1::/48",
        country: "FR",
        region_code: "IDF",
        region: "Île-de-France",
        city: "Paris",
    },
    Place {
        network: "127.0.0.1/32",
        country: "IS",
        region_code: "1",
        region: "Capital Region",
        city: "Reykjavik",
    },
];

/// Writes the City database of [`PLACES`] into `dir`; returns its path.
pub fn write_city_database(dir: &Path) -> PathBuf {
    let path = dir.join("GeoLite2-City-Test.mmdb");
    std::fs::write(&path, city_database(&PLACES)).unwrap();
    path
}

/// A City database of `places`, as bytes.
pub fn city_database(places: &[Place]) -> Vec<u8> {
    let mut tree = Tree::default();
    let mut data = Vec::new();
    for p in places {
        let offset = data.len();
        encode(&city_record(p), &mut data);
        let (addr, prefix) = network(p.network);
        tree.insert(addr, prefix, offset);
    }
    let node_count = tree.nodes.len();
    let record = |r: Record| -> u32 {
        let v = match r {
            Record::Empty => node_count,
            Record::Node(n) => n,
            Record::Data(offset) => node_count + 16 + offset,
        };
        u32::try_from(v).unwrap()
    };
    let mut out = Vec::new();
    for [left, right] in &tree.nodes {
        out.extend_from_slice(&record(*left).to_be_bytes()[1..]);
        out.extend_from_slice(&record(*right).to_be_bytes()[1..]);
    }
    out.extend_from_slice(&[0; 16]);
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
    let metadata = Value::Map(vec![
        ("binary_format_major_version", Value::U16(2)),
        ("binary_format_minor_version", Value::U16(0)),
        ("build_epoch", Value::U64(1_767_225_600)),
        ("database_type", Value::Str("GeoLite2-City")),
        (
            "description",
            Value::Map(vec![("en", Value::Str("Switchboard's test City database"))]),
        ),
        ("ip_version", Value::U16(6)),
        ("languages", Value::Array(vec![Value::Str("en")])),
        ("node_count", Value::U32(u32::try_from(node_count).unwrap())),
        ("record_size", Value::U16(24)),
    ]);
    encode(&metadata, &mut out);
    out
}

/// The record a GeoIP2 City database has for a network (the fields Switchboard reads, and
/// a few it does not).
fn city_record(p: &Place) -> Value {
    let names = |en| Value::Map(vec![("en", Value::Str(en))]);
    Value::Map(vec![
        ("city", Value::Map(vec![("names", names(p.city))])),
        (
            "continent",
            Value::Map(vec![("code", Value::Str("EU")), ("names", names("Europe"))]),
        ),
        (
            "country",
            Value::Map(vec![("iso_code", Value::Str(p.country))]),
        ),
        (
            "location",
            Value::Map(vec![("accuracy_radius", Value::U16(100))]),
        ),
        (
            "subdivisions",
            Value::Array(vec![Value::Map(vec![
                ("iso_code", Value::Str(p.region_code)),
                ("names", names(p.region)),
            ])]),
        ),
    ])
}

/// An address as the tree's 128 bits and its prefix length there.
fn network(cidr: &str) -> (u128, u32) {
    let (addr, prefix) = cidr.split_once('/').unwrap();
    let prefix: u32 = prefix.parse().unwrap();
    match addr.parse::<IpAddr>().unwrap() {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 96 + prefix),
        IpAddr::V6(v6) => (u128::from(v6), prefix),
    }
}

#[derive(Clone, Copy)]
enum Record {
    Empty,
    Node(usize),
    Data(usize),
}

/// The search tree: node 0 is the root; a node's left record follows a 0 bit.
struct Tree {
    nodes: Vec<[Record; 2]>,
}

impl Default for Tree {
    fn default() -> Self {
        Self {
            nodes: vec![[Record::Empty; 2]],
        }
    }
}

impl Tree {
    fn insert(&mut self, addr: u128, prefix: u32, offset: usize) {
        assert!(prefix > 0);
        let mut node = 0;
        for depth in 0..prefix {
            let bit = ((addr >> (127 - depth)) & 1) as usize;
            if depth == prefix - 1 {
                self.nodes[node][bit] = Record::Data(offset);
                return;
            }
            node = match self.nodes[node][bit] {
                Record::Node(next) => next,
                Record::Empty => {
                    self.nodes.push([Record::Empty; 2]);
                    let next = self.nodes.len() - 1;
                    self.nodes[node][bit] = Record::Node(next);
                    next
                }
                Record::Data(_) => panic!("overlapping networks in the test database"),
            };
        }
    }
}

/// The data section's types this writer needs.
enum Value {
    Str(&'static str),
    U16(u16),
    U32(u32),
    U64(u64),
    Map(Vec<(&'static str, Value)>),
    Array(Vec<Value>),
}

fn encode(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Str(s) => {
            control(2, s.len(), out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::U16(n) => unsigned(5, u64::from(*n), out),
        Value::U32(n) => unsigned(6, u64::from(*n), out),
        Value::U64(n) => unsigned(9, *n, out),
        Value::Map(pairs) => {
            control(7, pairs.len(), out);
            for (key, value) in pairs {
                encode(&Value::Str(key), out);
                encode(value, out);
            }
        }
        Value::Array(items) => {
            control(11, items.len(), out);
            for item in items {
                encode(item, out);
            }
        }
    }
}

/// An unsigned integer in as few big-endian bytes as it needs.
fn unsigned(kind: u8, n: u64, out: &mut Vec<u8>) {
    let bytes = n.to_be_bytes();
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    control(kind, bytes.len() - first, out);
    out.extend_from_slice(&bytes[first..]);
}

/// The control byte: the type in its three high bits (types above 7 in an extra byte), the
/// size in its five low bits (29, 30, 31: the size follows in 1, 2, 3 more bytes).
fn control(kind: u8, size: usize, out: &mut Vec<u8>) {
    let (low, extra): (u8, Vec<u8>) = match size {
        0..29 => (size as u8, vec![]),
        29..285 => (29, vec![(size - 29) as u8]),
        285..65_821 => (30, ((size - 285) as u16).to_be_bytes().to_vec()),
        _ => (31, ((size - 65_821) as u32).to_be_bytes()[1..].to_vec()),
    };
    if kind <= 7 {
        out.push((kind << 5) | low);
    } else {
        out.push(low);
        out.push(kind - 7);
    }
    out.extend_from_slice(&extra);
}
