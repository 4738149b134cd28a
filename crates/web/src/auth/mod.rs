//! Who is signed in: staff sign-in (`login`: argon2id `password`, optional
//! `totp`), staff sessions (`session`: the `Staff` extractor), bearer tokens
//! (`tokens`) and the CSRF layer (`csrf`). What a signed-in person may do is
//! `crate::access`.

pub mod csrf;
pub mod login;
pub mod password;
pub mod session;
pub mod tokens;
pub mod totp;
