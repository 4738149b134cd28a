//! The built-in library, embedded in the binary so that nothing needs installing.
//! Each file is validated when the library loads; a test loads them all.

macro_rules! files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../", $dir, "/", $name)))),*]
    };
}

pub(crate) const INSTRUMENTS: &[(&str, &str)] = files!("library":
    "alliance-check-client.toml",
    "alliance-check-therapist.toml",
    "cssrs-screener.toml",
    "ebi.toml",
    "gad7.toml",
    "madrs.toml",
    "meq30.toml",
    "pcl5.toml",
    "phq9.toml",
    "pre-session-check.toml",
    "qids-sr16.toml",
    "wai-sr.toml",
);

pub(crate) const WORDING: &[(&str, &str)] = files!("wording":
    "alliance-check-client-en-adapted.toml",
    "alliance-check-therapist-en-adapted.toml",
    "cssrs-screener-en-adapted.toml",
    "ebi-en-adapted.toml",
    "gad7-en-adapted.toml",
    "madrs-en-adapted.toml",
    "meq30-en-adapted.toml",
    "pcl5-en-adapted.toml",
    "phq9-en-adapted.toml",
    "pre-session-check-en-adapted.toml",
    "qids-sr16-en-adapted.toml",
    "wai-sr-en-adapted.toml",
);
