//! Invalid definitions are rejected with origin, field and reason.

use attune_instruments::{Instrument, Library};

const BASE: &str = r#"
id = "mini"
version = 1
name = "Mini"
short_name = "Mini"
kind = "project"
construct = "test"
respondent = "client"
time_frame = "now"
citation = "test"
licence = "test"
wording_redistributable = true
higher_is = "worse"
bands_source = "test"

[scales.s]
kind = "options"
options = [{ value = 0, label = "no" }, { value = 1, label = "some" }, { value = 2, label = "much" }]

[[subscales]]
id = "one"
name = "One"
method = "sum"

[[items]]
id = "a"
number = 1
label = "first"
scale = "s"
subscales = ["one"]

[[items]]
id = "b"
number = 2
label = "second"
scale = "s"
safety = [{ at_least = 1, level = "review", action = "look", evidence = "project" }]

[scoring]
total = "sum"
missing = { policy = "none", evidence = "project" }
source = "test"

[[bands]]
min = 0
max = 1
label = "low"
[[bands]]
min = 2
max = 4
label = "high"

[[cutoffs]]
id = "case"
label = "case"
at_least = 2
source = "test"
evidence = "project"
"#;

/// The error for BASE with one text replaced, as "field: reason".
fn err(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "BASE lacks {from:?}");
    let text = BASE.replacen(from, to, 1);
    let e = Instrument::parse("mini.toml", &text).expect_err("should be rejected");
    assert_eq!(e.origin, "mini.toml");
    format!("{}: {}", e.field, e.reason)
}

#[test]
fn the_base_definition_is_valid() {
    let inst = Instrument::parse("mini.toml", BASE).unwrap();
    assert_eq!(inst.total_range().map(|r| (r.min, r.max)), Some((0.0, 4.0)));
}

#[test]
fn syntax_and_shape_errors_name_the_line() {
    assert_eq!(
        err("version = 1", "version = "),
        "line 3, column 11: string values must be quoted, expected literal string"
    );
    let e = err(
        "short_name = \"Mini\"",
        "short_name = \"Mini\"\ncolour = \"red\"",
    );
    assert!(
        e.starts_with("line 6") && e.contains("unknown field `colour`"),
        "{e}"
    );
    let e = err("label = \"first\"\n", "");
    assert!(e.contains("missing field `label`"), "{e}");
    let e = err("respondent = \"client\"", "respondent = \"robot\"");
    assert!(e.contains("unknown variant `robot`"), "{e}");
}

#[test]
fn semantic_errors_name_the_field() {
    for (from, to, expected) in [
        (
            "id = \"mini\"",
            "id = \"Mini!\"",
            "id: 'Mini!' is not an identifier",
        ),
        ("version = 1", "version = 0", "version: must be 1 or more"),
        (
            "citation = \"test\"",
            "citation = \"  \"",
            "citation: must not be empty",
        ),
        (
            "scale = \"s\"\nsubscales",
            "scale = \"t\"\nsubscales",
            "items[0] (id 'a').scale: no scale 't' in [scales]",
        ),
        (
            "id = \"b\"",
            "id = \"a\"",
            "items[1] (id 'a').id: appears twice",
        ),
        (
            "number = 2",
            "number = 1",
            "items[1] (id 'b').number: number 1 appears twice",
        ),
        (
            "subscales = [\"one\"]",
            "subscales = [\"two\"]",
            "items[0] (id 'a').subscales: no subscale 'two'",
        ),
        (
            "min = 2\n",
            "min = 3\n",
            "bands[1]: bands must run without gap or overlap from 0 to 4",
        ),
        (
            "max = 4",
            "max = 3",
            "bands: the last band must end at the maximum total 4",
        ),
        (
            "at_least = 2\nsource",
            "at_least = 9\nsource",
            "cutoffs[0].at_least: must lie inside the total's range 0-4",
        ),
        (
            "{ at_least = 1, level",
            "{ at_least = 0, level",
            "items[1] (id 'b').safety[0].at_least: must lie above the scale minimum 0",
        ),
        (
            "{ value = 1, label = \"some\" }",
            "{ value = 0, label = \"some\" }",
            "scales.s.options[1]: value 0 appears twice",
        ),
        (
            "label = \"first\"",
            "label = \"fir\\u0007st\"",
            "items[0] (id 'a').label: contains a control character",
        ),
        (
            "total = \"sum\"",
            "total = \"none\"",
            "scoring.total: bands, cut-offs and change rules need a total",
        ),
    ] {
        let e = err(from, to);
        assert!(
            e.starts_with(expected),
            "{from} → {to}:\n  got      {e}\n  expected {expected}"
        );
    }
}

#[test]
fn scoring_rules_must_fit_the_method() {
    let e = err(
        "missing = { policy = \"none\", evidence = \"project\" }",
        "missing = { policy = \"mean_of_answered\", min_answered_percent = 75, evidence = \"project\" }",
    );
    assert!(
        e.starts_with("scoring.missing: mean_of_answered works only where"),
        "{e}"
    );
    let e = err("safety = [", "reverse = true\nsafety = [");
    assert!(e.contains("a safety item must not be reverse-keyed"), "{e}");
    let e = err(
        "scale = \"s\"\nsafety",
        "scale = \"s\"\nask_if = { item = \"c\", at_least = 1 }\nsafety",
    );
    assert!(e.contains("ask_if.item: 'c' is not an earlier item"), "{e}");
    let e = err(
        "[[cutoffs]]",
        "[change.reliable]\nrc = 1\nsd = 2\nreliability = 0.5\nsource = \"x\"\nevidence = \"project\"\n\n[[cutoffs]]",
    );
    assert!(e.starts_with("change.reliable: give either rc"), "{e}");
    let better = format!(
        "{}\n[change.remission]\nat_most = 1\nsource = \"x\"\nevidence = \"project\"\n",
        BASE.replacen("higher_is = \"worse\"", "higher_is = \"better\"", 1)
    );
    let e = Instrument::parse("mini.toml", &better).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mini.toml: change: response and remission are defined for symptom scales (higher_is = \"worse\")"
    );
}

#[test]
fn a_clinic_cannot_redefine_a_built_in_or_repeat_a_version() {
    let mut library = Library::builtin().unwrap();
    let phq = BASE.replacen("id = \"mini\"", "id = \"phq9\"", 1);
    let e = library.add_instrument("mine.toml", &phq).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mine.toml: id: 'phq9' is a built-in instrument; choose another id"
    );
    library.add_instrument("mini.toml", BASE).unwrap();
    let e = library.add_instrument("again.toml", BASE).unwrap_err();
    assert_eq!(
        e.to_string(),
        "again.toml: id: 'mini' version 1 is already defined by mini.toml"
    );
    let v2 = BASE.replacen("version = 1", "version = 2", 1);
    library.add_instrument("v2.toml", &v2).unwrap();
    assert_eq!(
        library.get("mini").unwrap().version(),
        2,
        "the newest version is the default"
    );
    assert_eq!(
        library.get_version("mini", 1).unwrap().origin(),
        "mini.toml"
    );
    let e = library.get("nope").unwrap_err().to_string();
    assert!(
        e.starts_with("unknown instrument 'nope'; known: alliance-check-client"),
        "{e}"
    );
}
