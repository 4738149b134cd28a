//! Comparing administrations: Jacobson & Truax (1991) reliable change and
//! clinical significance, response and remission, and the category.

use super::*;
use attune_instruments::{
    ChangeCategory, ClinicalBasis, CompareError, Instrument, Library, RciBasis, compare,
};

fn cmp_with(inst: &Instrument, before: &str, after: &str) -> attune_instruments::Comparison {
    let sc = |r: &str| {
        let tokens: Vec<&str> = r.split_whitespace().collect();
        score(inst, &Responses::parse(inst, &tokens).unwrap())
    };
    compare(inst, &sc(before), &sc(after)).unwrap()
}

/// Compares PHQ-9 totals (item 9 answered 0).
fn phq(before: u32, after: u32) -> attune_instruments::Comparison {
    let r = |t| format!("{} 0", summing_to(t, 8, 3));
    cmp_with(lib().get("phq9").unwrap(), &r(before), &r(after))
}

#[test]
fn phq9_recovered_improved_unchanged_deteriorated() {
    // 15 → 8: −7 ≥ RC 6, and crosses the caseness cut-off 10.
    let c = phq(15, 8);
    assert_eq!((c.change, c.improvement), (-7.0, 7.0));
    let r = c.reliable.as_ref().unwrap();
    assert_eq!(r.basis, RciBasis::PublishedValue);
    assert!(r.reliable);
    assert!((r.rci - (-7.0 * 1.96 / 6.0)).abs() < 1e-12);
    let clin = c.clinical.as_ref().unwrap();
    assert_eq!(clin.basis, ClinicalBasis::Cutoff("caseness".into()));
    assert!(clin.crossed);
    assert_eq!(c.category, Some(ChangeCategory::Recovered));
    assert_eq!(c.clinically_significant, Some(true));
    // 20 → 12: reliable, still at or above 10.
    assert_eq!(phq(20, 12).category, Some(ChangeCategory::Improved));
    // 12 → 7: crosses 10 but a change of 5 is not reliable.
    let c = phq(12, 7);
    assert_eq!(c.category, Some(ChangeCategory::Unchanged));
    assert_eq!(c.clinically_significant, Some(false));
    // Exactly the RC value counts.
    assert_eq!(phq(16, 10).category, Some(ChangeCategory::Improved));
    assert_eq!(phq(16, 11).category, Some(ChangeCategory::Unchanged));
    // Starting below the cut-off: reliable improvement cannot be "recovered".
    assert_eq!(phq(8, 2).category, Some(ChangeCategory::Improved));
    // 5 → 11: reliable worsening.
    assert_eq!(phq(5, 11).category, Some(ChangeCategory::Deteriorated));
    assert_eq!(phq(5, 10).category, Some(ChangeCategory::Unchanged));
}

#[test]
fn phq9_response_and_remission() {
    assert_eq!(phq(16, 8).response, Some(true), "exactly 50 % counts");
    assert_eq!(phq(15, 8).response, Some(false), "46.7 %");
    assert_eq!(phq(15, 4).remission, Some(true));
    assert_eq!(phq(15, 5).remission, Some(false));
    assert_eq!(
        phq(0, 0).response,
        None,
        "no reduction is defined from zero"
    );
}

#[test]
fn qids_response_is_strictly_more_than_half() {
    let inst = lib().get("qids-sr16").unwrap();
    let r = |t: u32| {
        // Put the total on single-item domains (5, 10, 11, 13, 14) then sleep.
        let mut v = vec!["0"; 16];
        let mut left = t;
        for item in [5, 10, 11, 13, 14, 1] {
            let x = left.min(3);
            v[item - 1] = ["0", "1", "2", "3"][x as usize];
            left -= x;
        }
        v.join(" ")
    };
    assert_eq!(cmp_with(inst, &r(10), &r(5)).response, Some(false));
    assert_eq!(cmp_with(inst, &r(10), &r(4)).response, Some(true));
    assert_eq!(cmp_with(inst, &r(10), &r(5)).remission, Some(true));
    assert_eq!(cmp_with(inst, &r(10), &r(6)).remission, Some(false));
    let c = cmp_with(inst, &r(10), &r(4));
    assert_eq!(
        (c.reliable, c.category),
        (None, None),
        "no verified RC for QIDS-SR16"
    );
}

#[test]
fn pcl5_response_in_points() {
    let inst = lib().get("pcl5").unwrap();
    let r = |t| summing_to(t, 20, 4);
    assert_eq!(cmp_with(inst, &r(40), &r(30)).response, Some(true));
    assert_eq!(cmp_with(inst, &r(40), &r(31)).response, Some(false));
    // Reliable change is 15 points (Marx 2022), clinically significant
    // change ends at 28 or less: 40 → 26 (14) is unchanged; 40 → 25 (15)
    // recovered; 50 → 29 (21) improved but still above 28; 43 → 28 recovered.
    let category = |b, a| cmp_with(inst, &r(b), &r(a)).category;
    assert_eq!(category(40, 26), Some(ChangeCategory::Unchanged));
    assert_eq!(category(40, 25), Some(ChangeCategory::Recovered));
    assert_eq!(category(50, 29), Some(ChangeCategory::Improved));
    assert_eq!(category(43, 28), Some(ChangeCategory::Recovered));
    assert_eq!(category(20, 35), Some(ChangeCategory::Deteriorated));
    assert_eq!(category(20, 34), Some(ChangeCategory::Unchanged));
}

#[test]
fn instruments_without_inputs_report_change_only() {
    let c = cmp_with(lib().get("wai-sr").unwrap(), &rep("2", 12), &rep("4", 12));
    assert_eq!((c.change, c.improvement), (2.0, 2.0));
    assert_eq!((c.reliable, c.clinical, c.category), (None, None, None));
}

#[test]
fn an_administration_without_a_total_cannot_be_compared() {
    let inst = lib().get("phq9").unwrap();
    let sc = |r: &str| {
        let t: Vec<&str> = r.split_whitespace().collect();
        score(inst, &Responses::parse(inst, &t).unwrap())
    };
    let err = compare(inst, &sc("1 1 1 1 1 1 1 1 -"), &sc("0 0 0 0 0 0 0 0 0")).unwrap_err();
    assert!(matches!(
        err,
        CompareError::NoTotal {
            which: "before",
            ..
        }
    ));
    let cssrs = lib().get("cssrs-screener").unwrap();
    let a = score(
        cssrs,
        &Responses::parse(cssrs, &["0", "0", "-", "-", "-", "0", "-"]).unwrap(),
    );
    assert!(matches!(
        compare(cssrs, &a, &a),
        Err(CompareError::NotScored { .. })
    ));
}

/// A test instrument with SD and reliability, norms for criterion c, and a
/// reverse-keyed item, to pin the formulae no built-in uses yet.
pub const NORMED: &str = r#"
id = "normed"
version = 1
name = "Normed test scale"
short_name = "NTS"
kind = "project"
construct = "test"
respondent = "client"
time_frame = "now"
citation = "test"
licence = "test"
wording_redistributable = true
higher_is = "worse"

[scales.s]
kind = "options"
options = [{ value = 0, label = "0" }, { value = 5, label = "5" }, { value = 10, label = "10" }]

[[items]]
id = "a"
number = 1
label = "a"
scale = "s"
[[items]]
id = "b"
number = 2
label = "b"
scale = "s"
reverse = true
[[items]]
id = "c"
number = 3
label = "c"
scale = "s"

[scoring]
total = "sum"
missing = { policy = "none", evidence = "project" }
source = "test"

[change.reliable]
sd = 5.0
reliability = 0.8
source = "test"
evidence = "project"

[change.clinical]
norms = { functional = { mean = 5.0, sd = 3.0 }, dysfunctional = { mean = 20.0, sd = 6.0 } }
source = "test"
evidence = "project"
"#;

#[test]
fn sd_based_rci_and_criterion_c_by_hand() {
    let mut library = Library::default();
    let inst = library
        .add_instrument("normed.toml", NORMED)
        .unwrap()
        .clone();
    // Item b is reversed: raw 0 scores 10. Totals: "10 0 10" = 30, "5 10 5" = 10, "5 5 0" = 10.
    assert_eq!(
        score(&inst, &Responses::parse(&inst, &["10", "0", "10"]).unwrap()).total,
        Some(30.0)
    );
    // SE = 5 √0.2 = 2.2360680; Sdiff = √2 · SE = 3.1622777; threshold 1.96 · Sdiff = 6.1980642.
    // c = (6 · 5 + 3 · 20) / (6 + 3) = 10.
    let c = cmp_with(&inst, "10 5 5", "0 5 5"); // 20 → 10
    let r = c.reliable.as_ref().unwrap();
    assert_eq!(r.basis, RciBasis::SdAndReliability);
    assert!((r.threshold - 6.198_064_213_930_06).abs() < 1e-9);
    assert!((r.rci - (-10.0 / 10.0_f64.sqrt())).abs() < 1e-12);
    let clin = c.clinical.as_ref().unwrap();
    assert_eq!(clin.basis, ClinicalBasis::CriterionC);
    assert!((clin.threshold - 10.0).abs() < 1e-12);
    assert!(
        !clin.crossed,
        "a score exactly on c is not yet closer to the functional mean"
    );
    assert_eq!(c.category, Some(ChangeCategory::Improved));
    let c = cmp_with(&inst, "10 5 5", "0 10 0"); // 20 → 5
    assert_eq!(c.category, Some(ChangeCategory::Recovered));
    let c = cmp_with(&inst, "5 5 5", "10 5 0"); // 15 → 15
    assert_eq!(c.category, Some(ChangeCategory::Unchanged));
}
