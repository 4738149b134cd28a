//! MEQ30 (Barrett 2015): 30 items 0-5; factors Mystical (15), Positive mood
//! (6), Transcendence of time and space (6), Ineffability (3) as means and
//! percent of maximum; complete mystical experience when every factor ≥ 60 %.

use super::*;
use attune_instruments::CategoryValue;

const MYSTICAL: [usize; 15] = [4, 5, 6, 9, 14, 15, 16, 18, 20, 21, 23, 24, 25, 26, 28];
const POSITIVE: [usize; 6] = [2, 8, 12, 17, 27, 30];
const TRANSCENDENCE: [usize; 6] = [1, 7, 11, 13, 19, 22];
const INEFFABILITY: [usize; 3] = [3, 10, 29];

fn complete(sc: &Score) -> Option<bool> {
    match sc.categories["complete_mystical"].clone() {
        Some(CategoryValue::Flag(b)) => Some(b),
        None => None,
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn minimum_and_maximum() {
    let low = s("meq30", &rep("0", 30));
    assert_eq!(low.total, Some(0.0));
    assert_eq!(low.percent_of_max.as_ref().unwrap().total, Some(0.0));
    assert_eq!(complete(&low), Some(false));
    let high = s("meq30", &rep("5", 30));
    assert_eq!(high.total, Some(5.0));
    assert_eq!(high.percent_of_max.as_ref().unwrap().total, Some(100.0));
    assert_eq!(complete(&high), Some(true));
}

#[test]
fn factors_follow_the_published_key() {
    for (factor, items) in [
        ("mystical", &MYSTICAL[..]),
        ("positive_mood", &POSITIVE[..]),
        ("transcendence", &TRANSCENDENCE[..]),
        ("ineffability", &INEFFABILITY[..]),
    ] {
        let overrides: Vec<(usize, &str)> = items.iter().map(|i| (*i, "5")).collect();
        let sc = s("meq30", &with("0", 30, &overrides));
        for (id, value) in &sc.subscales {
            let expected = if id == factor { 5.0 } else { 0.0 };
            assert_eq!(*value, Some(expected), "{factor}: {id}");
        }
        assert_eq!(sc.total, Some(5.0 * items.len() as f64 / 30.0));
    }
}

#[test]
fn complete_mystical_boundary_is_sixty_percent_of_every_factor() {
    // Every item at 3: each factor mean 3.0 = exactly 60 %.
    let sc = s("meq30", &rep("3", 30));
    assert_eq!(
        sc.percent_of_max.as_ref().unwrap().subscales["mystical"],
        Some(60.0)
    );
    assert_eq!(complete(&sc), Some(true));
    // One mystical item at 2: (14 × 3 + 2) / 15 = 2.933 → 58.7 %: not complete.
    let sc = s("meq30", &with("3", 30, &[(4, "2")]));
    assert_eq!(complete(&sc), Some(false));
    // The same dip in the small ineffability factor: 8/3 = 2.67 → 53 %.
    assert_eq!(
        complete(&s("meq30", &with("3", 30, &[(29, "2")]))),
        Some(false)
    );
    // Everything high but ineffability just below.
    let r = with("5", 30, &[(3, "3"), (10, "3"), (29, "2")]);
    assert_eq!(complete(&s("meq30", &r)), Some(false));
}

#[test]
fn missing_items_leave_a_small_factor_empty_and_the_rule_open_or_decided() {
    // One of three ineffability items missing: 67 % answered, below 75 %.
    let sc = s("meq30", &with("4", 30, &[(3, "-")]));
    assert_eq!(sc.subscales["ineffability"], None);
    assert_eq!(sc.subscales["mystical"], Some(4.0));
    assert_eq!(complete(&sc), None, "the missing factor could tip it");
    // With positive mood low, the rule fails whatever ineffability was.
    let overrides = [(3, "-"), (2, "0"), (8, "0"), (12, "0")];
    assert_eq!(
        complete(&s("meq30", &with("4", 30, &overrides))),
        Some(false)
    );
}
