//! WAI-SR (Hatcher & Gillaspy 2006): 12 items 1-5; Task 1,2,10,12; Goal
//! 4,6,8,11; Bond 3,5,7,9; reported as means, with the sum beside the total.

use super::*;

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

#[test]
fn minimum_and_maximum_as_means_and_sums() {
    let low = s("wai-sr", &rep("1", 12));
    assert_eq!((low.total, low.alternates["sum"]), (Some(1.0), Some(12.0)));
    let high = s("wai-sr", &rep("5", 12));
    assert_eq!(
        (high.total, high.alternates["sum"]),
        (Some(5.0), Some(60.0))
    );
    for sub in ["task", "goal", "bond"] {
        assert_eq!(high.subscales[sub], Some(5.0));
    }
}

#[test]
fn subscales_follow_the_published_key() {
    for (sub, items) in [
        ("task", [1, 2, 10, 12]),
        ("goal", [4, 6, 8, 11]),
        ("bond", [3, 5, 7, 9]),
    ] {
        let r = with("1", 12, &items.map(|i| (i, "5")));
        let sc = s("wai-sr", &r);
        assert_eq!(sc.subscales[sub], Some(5.0), "{sub}");
        for other in ["task", "goal", "bond"].iter().filter(|o| **o != sub) {
            assert_eq!(sc.subscales[*other], Some(1.0), "{sub} vs {other}");
        }
        // (4 × 5 + 8 × 1) / 12
        assert!(close(sc.total, 28.0 / 12.0));
    }
}

#[test]
fn means_tolerate_a_quarter_of_items_missing() {
    // 3 of 12 missing (75 % answered): mean of the 9 answered.
    let sc = s("wai-sr", &with("4", 12, &[(1, "-"), (4, "-"), (3, "-")]));
    assert_eq!((sc.total, sc.prorated), (Some(4.0), true));
    assert_eq!(
        sc.alternates["sum"], None,
        "a sum is never shown from a partial form"
    );
    // One item of a four-item subscale missing (75 %) still gives it; two do not.
    assert_eq!(sc.subscales["task"], Some(4.0));
    let sc = s("wai-sr", &with("4", 12, &[(1, "-"), (2, "-")]));
    assert_eq!(sc.subscales["task"], None);
    assert_eq!(sc.total, Some(4.0));
    // 4 of 12 missing: below 75 %.
    assert_eq!(
        total(
            "wai-sr",
            &with("4", 12, &[(1, "-"), (4, "-"), (3, "-"), (5, "-")])
        ),
        None
    );
}

#[test]
fn zero_is_off_the_one_to_five_scale() {
    let inst = lib().get("wai-sr").unwrap();
    let r = rep("0", 12);
    let tokens: Vec<&str> = r.split(' ').collect();
    assert!(Responses::parse(inst, &tokens).is_err());
}
