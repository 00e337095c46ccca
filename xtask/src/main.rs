//! Maintainer tasks. Placeholder until `cargo xtask docs` lands.

fn main() {}
