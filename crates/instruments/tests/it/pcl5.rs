//! PCL-5 (Weathers 2013; Blevins 2015): sum 0-80; clusters B 1-5, C 6-7,
//! D 8-14, E 15-20; provisional PTSD when ≥1 B, ≥1 C, ≥2 D and ≥2 E items are
//! rated 2 or more.

use super::*;
use attune_instruments::CategoryValue;

fn flag(sc: &Score) -> Option<bool> {
    match sc.categories["provisional_ptsd"].clone() {
        Some(CategoryValue::Flag(b)) => Some(b),
        None => None,
        other => panic!("unexpected {other:?}"),
    }
}

/// The smallest endorsement pattern that meets the rule: B1, C1, D1, D2, E1, E2 at 2.
fn minimal_pattern() -> String {
    with(
        "0",
        20,
        &[(1, "2"), (6, "2"), (8, "2"), (9, "2"), (15, "2"), (16, "2")],
    )
}

#[test]
fn minimum_and_maximum() {
    let low = s("pcl5", &rep("0", 20));
    assert_eq!(low.total, Some(0.0));
    assert_eq!(flag(&low), Some(false));
    let high = s("pcl5", &rep("4", 20));
    assert_eq!(high.total, Some(80.0));
    assert_eq!(flag(&high), Some(true));
    for (cluster, max) in [("b", 20.0), ("c", 8.0), ("d", 28.0), ("e", 24.0)] {
        assert_eq!(high.subscales[cluster], Some(max), "cluster {cluster}");
    }
}

#[test]
fn clusters_follow_the_dsm5_item_key() {
    // Item i answered with its cluster's code: B=1, C=2, D=3, E=4.
    let r = [rep("1", 5), rep("2", 2), rep("3", 7), rep("4", 6)].join(" ");
    let sc = s("pcl5", &r);
    assert_eq!(sc.subscales["b"], Some(5.0));
    assert_eq!(sc.subscales["c"], Some(4.0));
    assert_eq!(sc.subscales["d"], Some(21.0));
    assert_eq!(sc.subscales["e"], Some(24.0));
    assert_eq!(sc.total, Some(54.0));
}

#[test]
fn provisional_diagnosis_needs_every_cluster() {
    let sc = s("pcl5", &minimal_pattern());
    assert_eq!((sc.total, flag(&sc)), (Some(12.0), Some(true)));
    // Remove each required endorsement in turn: the rule then fails.
    for pos in [1, 6, 9, 16] {
        let r = with(
            "0",
            20,
            &[
                (1, "2"),
                (6, "2"),
                (8, "2"),
                (9, "2"),
                (15, "2"),
                (16, "2"),
                (pos, "1"),
            ],
        );
        assert_eq!(flag(&s("pcl5", &r)), Some(false), "item {pos} lowered to 1");
    }
}

#[test]
fn a_rating_of_one_is_not_an_endorsement() {
    let sc = s("pcl5", &rep("1", 20));
    assert_eq!((sc.total, flag(&sc)), (Some(20.0), Some(false)));
}

#[test]
fn probable_ptsd_cut_point_at_33() {
    assert_eq!(
        s("pcl5", &summing_to(32, 20, 4)).cutoffs["probable_ptsd"],
        Some(false)
    );
    assert_eq!(
        s("pcl5", &summing_to(33, 20, 4)).cutoffs["probable_ptsd"],
        Some(true)
    );
}

#[test]
fn up_to_two_missing_items_are_prorated_and_clusters_with_gaps_stay_empty() {
    // 36 over 18 answered: 36 × 20 / 18 = 40.
    let sc = s("pcl5", &with("2", 20, &[(3, "-"), (12, "-")]));
    assert_eq!((sc.total, sc.prorated), (Some(40.0), true));
    assert_eq!(sc.subscales["b"], None);
    assert_eq!(sc.subscales["c"], Some(4.0));
    assert_eq!(sc.subscales["d"], None);
    assert_eq!(
        total("pcl5", &with("2", 20, &[(3, "-"), (12, "-"), (20, "-")])),
        None
    );
}

#[test]
fn the_diagnosis_is_decided_despite_missing_items_when_it_can_be() {
    // Met by the answered items alone.
    let met = with(
        "0",
        20,
        &[
            (1, "2"),
            (6, "2"),
            (8, "2"),
            (9, "2"),
            (15, "2"),
            (16, "2"),
            (20, "-"),
        ],
    );
    assert_eq!(flag(&s("pcl5", &met)), Some(true));
    // Cluster C both 0: cannot be met whatever the missing B item was.
    let unmet = with(
        "0",
        20,
        &[(1, "-"), (8, "2"), (9, "2"), (15, "2"), (16, "2")],
    );
    assert_eq!(flag(&s("pcl5", &unmet)), Some(false));
    // Only the missing B item decides it: open.
    let open = with(
        "0",
        20,
        &[(1, "-"), (6, "2"), (8, "2"), (9, "2"), (15, "2"), (16, "2")],
    );
    assert_eq!(flag(&s("pcl5", &open)), None);
}
