//! Time-based one-time passwords (RFC 6238 over RFC 4226: HMAC-SHA1, 30 s
//! steps, 6 digits), the optional second step of staff sign-in, compatible
//! with ordinary authenticator apps. A code is accepted one step either side
//! of now, for clocks that drift.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::http::error::AppError;

pub const STEP: u64 = 30;
pub const SECRET_LEN: usize = 20;

/// The 6-digit code for a counter value (RFC 4226 §5.3, dynamic truncation).
pub fn code(secret: &[u8], counter: u64) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return u32::MAX; // never a 6-digit code: no key of any length fails HMAC
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let binary = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    binary % 1_000_000
}

/// Whether `typed` is the code for `unix` seconds, or one step either side.
pub fn verify(secret: &[u8], typed: &str, unix: u64) -> bool {
    matching_step(secret, typed, unix).is_some()
}

/// The time step whose code `typed` is (now, or one step either side), so
/// that a sign-in can refuse a step already used: a code seen over a
/// shoulder or in a proxy log cannot be replayed (RFC 6238 §5.2).
pub fn matching_step(secret: &[u8], typed: &str, unix: u64) -> Option<u64> {
    let typed = typed.trim().replace(' ', "");
    let value = typed.parse::<u32>().ok()?;
    if typed.len() != 6 {
        return None;
    }
    let step = unix / STEP;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| code(secret, *s) == value)
}

pub fn new_secret() -> Result<Vec<u8>, AppError> {
    let mut s = vec![0u8; SECRET_LEN];
    getrandom::fill(&mut s).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(s)
}

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The `otpauth://` address an authenticator app scans.
pub fn uri(account: &str, secret: &[u8]) -> String {
    let account: String = account
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-_".contains(*c))
        .collect();
    format!(
        "otpauth://totp/Attune:{account}?secret={}&issuer=Attune&algorithm=SHA1&digits=6&period=30",
        base32(secret)
    )
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_sha1_vectors_to_six_digits() {
        // Appendix B: T = 59 -> 94287082; 1111111109 -> 07081804; 1234567890 -> 89005924;
        // 2000000000 -> 69279037. Six digits are the last six.
        for (t, expected) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(code(RFC_SECRET, t / STEP), expected, "T = {t}");
        }
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        // Appendix D: counters 0..3.
        for (c, expected) in [(0, 755_224), (1, 287_082), (2, 359_152), (3, 969_429)] {
            assert_eq!(code(RFC_SECRET, c), expected);
        }
    }

    #[test]
    fn verification_allows_one_step_of_drift_and_nothing_malformed() {
        assert!(verify(RFC_SECRET, "287082", 59));
        assert!(verify(RFC_SECRET, "287 082", 59 + STEP), "a step late");
        assert!(!verify(RFC_SECRET, "287082", 59 + 3 * STEP));
        assert!(
            verify(RFC_SECRET, "005924", 1_234_567_890),
            "leading zeros count"
        );
        assert!(!verify(RFC_SECRET, "5924", 1_234_567_890));
        assert!(!verify(RFC_SECRET, "abcdef", 59));
        assert!(!verify(RFC_SECRET, "", 59));
    }

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"fooba"), "MZXW6YTB");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert!(uri("ana.reyes", RFC_SECRET).contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
    }
}
