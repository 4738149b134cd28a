//! Fixtures that the tests of several crates share, so that none of them
//! includes another crate's test files by path. Only dev-dependencies use
//! this crate.

pub mod scene;
