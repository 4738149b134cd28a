//! Listing, showing and extending the library through the binary.

use super::*;

fn official_gad7() -> String {
    let items: String = (1..=7)
        .map(|i| format!("\"{i}\" = \"Clinic's licensed text {i}\"\n"))
        .collect();
    format!(
        "id = \"gad7-en-official\"\ninstrument = \"gad7\"\ninstrument_version = 1\nlanguage = \"en\"\nkind = \"official\"\nsource = \"Clinic copy\"\n\n[items]\n{items}"
    )
}

#[test]
fn list_names_every_instrument() {
    let v: serde_json::Value =
        serde_json::from_str(&ok(&["instruments", "list", "--json"])).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 12);
    assert!(ids.contains(&"cssrs-screener") && ids.contains(&"pre-session-check"));
    let text = ok(&["instruments", "list"]);
    assert!(text.contains("pre-session-check") && text.contains("(project measure)"));
}

#[test]
fn show_gives_structure_sources_and_wording() {
    let text = ok(&["instruments", "show", "wai-sr"]);
    assert!(text.contains("Hatcher RL, Gillaspy JA"));
    assert!(text.contains("wording shown: wai-sr-en-adapted (adapted, en)"));
    let v: serde_json::Value =
        serde_json::from_str(&ok(&["instruments", "show", "meq30", "--json"])).unwrap();
    assert_eq!(v["definition"]["items"].as_array().unwrap().len(), 30);
    assert_eq!(v["default_wording"]["kind"], "adapted");
}

#[test]
fn an_installed_official_pack_becomes_the_wording_shown() {
    let d = data_dir();
    let file = d.join("gad7-official.toml");
    std::fs::write(&file, official_gad7()).unwrap();
    let o = attune_in(&d, &["instruments", "add-wording", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .starts_with("installed wording pack gad7-en-official (official, en) for gad7 v1")
    );
    assert!(d.join("wording/gad7-en-official.toml").exists());
    let v: serde_json::Value = serde_json::from_str(&stdout(&attune_in(
        &d,
        &["instruments", "show", "gad7", "--json"],
    )))
    .unwrap();
    assert_eq!(v["default_wording"]["pack"], "gad7-en-official");
    assert_eq!(v["default_wording"]["kind"], "official");
    assert_eq!(v["item_text"]["3"], "Clinic's licensed text 3");
    // Installing it twice is refused and changes nothing.
    let err = fails(&d, &["instruments", "add-wording", file.to_str().unwrap()]);
    assert!(err.contains("already installed"), "{err}");
}

#[test]
fn a_pack_that_does_not_match_its_instrument_is_not_installed() {
    let d = data_dir();
    let file = d.join("short.toml");
    std::fs::write(
        &file,
        official_gad7().replace("\"7\" = \"Clinic's licensed text 7\"\n", ""),
    )
    .unwrap();
    let err = fails(&d, &["instruments", "add-wording", file.to_str().unwrap()]);
    assert!(err.ends_with("items: no text for item(s) 7"), "{err}");
    assert!(
        !d.join("wording").exists()
            || std::fs::read_dir(d.join("wording"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn a_clinic_instrument_can_be_added_and_scored() {
    let d = data_dir();
    let def = r#"
id = "sleep-diary"
version = 1
name = "Clinic sleep diary"
short_name = "Sleep"
kind = "project"
construct = "sleep"
respondent = "client"
time_frame = "last night"
citation = "Our clinic"
licence = "Ours"
wording_redistributable = true
higher_is = "better"
[scales.q]
kind = "range"
min = 0
max = 10
step = 1
[[items]]
id = "quality"
number = 1
label = "sleep quality"
scale = "q"
[[items]]
id = "rested"
number = 2
label = "felt rested"
scale = "q"
[scoring]
total = "mean"
missing = { policy = "none", evidence = "project" }
source = "mean"
"#;
    let file = d.join("sleep.toml");
    std::fs::write(&file, def).unwrap();
    assert!(
        attune_in(&d, &["instruments", "add", file.to_str().unwrap()])
            .status
            .success()
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&attune_in(
        &d,
        &["score", "sleep-diary", "6", "9", "--json"],
    )))
    .unwrap();
    assert_eq!(v["total"], 7.5);
    let phq = def.replace("id = \"sleep-diary\"", "id = \"phq9\"");
    std::fs::write(&file, phq).unwrap();
    let err = fails(&d, &["instruments", "add", file.to_str().unwrap()]);
    assert!(
        err.ends_with("id: 'phq9' is a built-in instrument; choose another id"),
        "{err}"
    );
}

#[test]
fn demo_fills_a_fresh_directory_once_and_reproducibly() {
    let dir = data_dir().join("demo");
    let o = attune_in(
        &dir,
        &["demo", "--no-serve", "--as-of", "2026-11-26", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["clients"].as_u64(), v["staff"].as_u64()),
        (Some(80), Some(6))
    );
    assert!(v["administrations"].as_u64().unwrap() > 2000);
    assert!(v["alerts"]["safety"].as_u64().unwrap() >= 1);
    let logins = v["logins"].as_array().unwrap();
    assert_eq!(logins.len(), 6);
    assert!(
        logins
            .iter()
            .all(|l| l["password"].as_str().unwrap().len() == 20)
    );
    // The record it made is a normal one: the audit chain verifies.
    let out = stdout(&attune_in(&dir, &["audit", "verify"]));
    assert!(out.starts_with("audit log intact"), "{out}");
    // Never over an existing record.
    let err = fails(&dir, &["demo", "--no-serve"]);
    assert!(err.contains("already holds a record"), "{err}");
    let err = fails(&data_dir(), &["demo", "--as-of", "26/11/2026"]);
    assert!(err.contains("expected YYYY-MM-DD"), "{err}");
}
