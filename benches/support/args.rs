//! The arguments a bench was run with (`cargo bench --bench NAME -- a b`): cargo adds
//! `--bench`, which is not one of them.

/// The bench's own arguments.
pub fn args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect()
}

/// Argument `i` as a number, else `default`.
pub fn number<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> T {
    args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default)
}
