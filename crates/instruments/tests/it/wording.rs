//! Wording packs: checked against their instrument's items; official wording
//! is preferred over our adapted prompts once a clinic installs it.

use attune_instruments::{Library, WordingKind};

fn pack(items: &str) -> String {
    format!(
        r#"
id = "gad7-en-official"
instrument = "gad7"
instrument_version = 1
language = "en"
kind = "official"
source = "Clinic copy of the published form"
copyright = "© Pfizer Inc."
instructions = "Official instructions"

[items]
{items}

[options.frequency]
"0" = "Official anchor 0"
"#
    )
}

fn seven() -> String {
    (1..=7)
        .map(|i| format!("\"{i}\" = \"Official text {i}\"\n"))
        .collect()
}

#[test]
fn an_official_pack_is_preferred_once_installed() {
    let mut library = Library::builtin().unwrap();
    let gad7 = library.get("gad7").unwrap().clone();
    assert_eq!(
        library.wording_for(&gad7, "en").unwrap().reference().kind,
        WordingKind::Adapted
    );
    library
        .add_wording("official.toml", &pack(&seven()))
        .unwrap();
    let chosen = library.wording_for(&gad7, "en").unwrap();
    let r = chosen.reference();
    assert_eq!(
        (r.pack.as_str(), r.kind, r.language.as_str()),
        ("gad7-en-official", WordingKind::Official, "en")
    );
    assert_eq!(chosen.item_text("3"), Some("Official text 3"));
    // A language with no pack falls back to English.
    assert_eq!(
        library.wording_for(&gad7, "de").unwrap().id(),
        "gad7-en-official"
    );
    let e = library
        .add_wording("again.toml", &pack(&seven()))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "again.toml: id: a wording pack 'gad7-en-official' is already installed"
    );
}

#[test]
fn a_pack_must_match_the_items_exactly() {
    let mut library = Library::builtin().unwrap();
    let six: String = (1..=6).map(|i| format!("\"{i}\" = \"t\"\n")).collect();
    let e = library.add_wording("p.toml", &pack(&six)).unwrap_err();
    assert_eq!(e.to_string(), "p.toml: items: no text for item(s) 7");
    let eight = format!("{}\"8\" = \"t\"\n", seven());
    let e = library.add_wording("p.toml", &pack(&eight)).unwrap_err();
    assert_eq!(e.to_string(), "p.toml: items: unknown item(s) 8");
}

#[test]
fn instrument_version_scale_and_language_are_checked() {
    let mut library = Library::builtin().unwrap();
    let text = pack(&seven());
    for (from, to, expected) in [
        (
            "instrument = \"gad7\"",
            "instrument = \"gad8\"",
            "p.toml: instrument: no instrument 'gad8' version 1 in the library",
        ),
        (
            "instrument_version = 1",
            "instrument_version = 2",
            "p.toml: instrument: no instrument 'gad7' version 2 in the library",
        ),
        (
            "\"0\" = \"Official anchor 0\"",
            "\"4\" = \"x\"",
            "p.toml: options.frequency.4: not a value of this scale",
        ),
        (
            "[options.frequency]",
            "[options.other]",
            "p.toml: options.other: no such scale in the instrument",
        ),
        (
            "language = \"en\"",
            "language = \"english!\"",
            "p.toml: language: 'english!' is not a language tag such as en or de-CH",
        ),
        (
            "kind = \"official\"",
            "kind = \"pirated\"",
            "p.toml: line 6, column 8: unknown variant `pirated`, expected `adapted` or `official`",
        ),
        (
            "\"Official text 2\"",
            "\"\"",
            "p.toml: items.2: must not be empty",
        ),
    ] {
        let e = library
            .add_wording("p.toml", &text.replacen(from, to, 1))
            .unwrap_err();
        assert_eq!(e.to_string(), expected);
    }
}
