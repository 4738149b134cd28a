//! Alliance trajectory: ruptures, repairs, gaps and trend, by hand.

use attune_care::alliance::{AllianceObservation, AllianceRules, RuptureStatus, slope, summarise};

fn client(values: &[Option<f64>]) -> Vec<AllianceObservation> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| AllianceObservation {
            session: i as u32 + 1,
            client: *v,
            therapist: None,
        })
        .collect()
}

fn series(values: &[f64]) -> Vec<AllianceObservation> {
    client(&values.iter().map(|v| Some(*v)).collect::<Vec<_>>())
}

/// Expected ruptures: (session, status).
type Expected = Vec<(u32, RuptureStatus)>;

#[test]
fn rupture_and_repair_cases() {
    let rules = AllianceRules::default();
    // (ratings, expected ruptures as (session, status))
    let cases: Vec<(&[f64], Expected)> = vec![
        // Steady: nothing.
        (&[8.0, 8.0, 8.0, 8.0], vec![]),
        // 8, 8, 8 then 6: drop 2 ≥ 1.5 → rupture at 4; back to 8 at 5 → repaired.
        (
            &[8.0, 8.0, 8.0, 6.0, 8.0],
            vec![(4, RuptureStatus::Repaired { at_session: 5 })],
        ),
        // A drop of exactly 1.5 counts; 1.4 does not.
        (&[8.0, 8.0, 6.5], vec![(3, RuptureStatus::Pending)]),
        (&[8.0, 8.0, 6.6], vec![]),
        // Repair within the margin: baseline 8, back to 7.5 counts, 7.4 does not.
        (
            &[8.0, 8.0, 8.0, 6.0, 7.5],
            vec![(4, RuptureStatus::Repaired { at_session: 5 })],
        ),
        (
            &[8.0, 8.0, 8.0, 6.0, 7.4],
            vec![(4, RuptureStatus::Pending)],
        ),
        // Two sessions later still low: unrepaired.
        (
            &[8.0, 8.0, 8.0, 6.0, 7.0, 7.0],
            vec![(4, RuptureStatus::Unrepaired)],
        ),
        // Repaired at the second session after.
        (
            &[8.0, 8.0, 8.0, 6.0, 6.5, 8.0],
            vec![(4, RuptureStatus::Repaired { at_session: 6 })],
        ),
        // Only one earlier rating: not enough history.
        (&[9.0, 5.0], vec![]),
        // A noisy client: SD of (4, 8, 6) = 2 → a drop of 1.9 from 6 is within noise.
        (&[4.0, 8.0, 6.0, 4.1], vec![]),
        (&[4.0, 8.0, 6.0, 4.0], vec![(4, RuptureStatus::Pending)]),
        // A sustained drop is one episode: one unrepaired rupture at 3, not a
        // second "pending" one at 4 or 5 hiding it.
        (
            &[9.0, 9.0, 5.0, 5.0, 5.0],
            vec![(3, RuptureStatus::Unrepaired)],
        ),
        // Back to the old level after the window: repaired late, and the
        // episode ends there.
        (
            &[8.0, 8.0, 8.0, 6.0, 7.0, 7.0, 8.0],
            vec![(4, RuptureStatus::Repaired { at_session: 7 })],
        ),
        // After a repair, a new drop is a new rupture.
        (
            &[9.0, 9.0, 5.0, 9.0, 9.0, 4.0],
            vec![
                (3, RuptureStatus::Repaired { at_session: 4 }),
                (6, RuptureStatus::Pending),
            ],
        ),
    ];
    for (values, expected) in cases {
        let s = summarise(&series(values), &rules);
        let got: Vec<(u32, RuptureStatus)> =
            s.ruptures.iter().map(|r| (r.session, r.status)).collect();
        assert_eq!(got, expected, "{values:?}");
    }
}

#[test]
fn a_rupture_records_its_baseline_and_threshold() {
    let s = summarise(&series(&[7.0, 8.0, 9.0, 5.0]), &AllianceRules::default());
    let r = s.ruptures[0];
    assert_eq!(
        (r.baseline, r.value, r.drop, r.threshold),
        (8.0, 5.0, 3.0, 1.5)
    );
    assert_eq!(s.open_rupture().map(|r| r.session), Some(4));
}

#[test]
fn missing_ratings_are_skipped_not_zero() {
    let s = summarise(
        &client(&[Some(8.0), None, Some(8.0), Some(8.0), None]),
        &AllianceRules::default(),
    );
    assert!(s.ruptures.is_empty());
    assert_eq!(s.latest_client, Some(8.0));
}

#[test]
fn configurable_rules() {
    let strict = AllianceRules {
        min_drop: 1.0,
        ..AllianceRules::default()
    };
    assert_eq!(
        summarise(&series(&[8.0, 8.0, 7.0]), &strict).ruptures.len(),
        1
    );
    assert!(
        summarise(&series(&[8.0, 8.0, 7.0]), &AllianceRules::default())
            .ruptures
            .is_empty()
    );
}

#[test]
fn gaps_between_client_and_therapist() {
    let obs = [
        AllianceObservation {
            session: 1,
            client: Some(9.0),
            therapist: Some(8.0),
        },
        AllianceObservation {
            session: 2,
            client: Some(9.0),
            therapist: Some(7.0),
        },
        AllianceObservation {
            session: 3,
            client: Some(5.0),
            therapist: Some(8.5),
        },
        AllianceObservation {
            session: 4,
            client: Some(7.0),
            therapist: None,
        },
    ];
    let s = summarise(&obs, &AllianceRules::default());
    let gaps: Vec<(u32, f64, bool)> = s
        .gaps
        .iter()
        .map(|g| (g.session, g.gap, g.flagged))
        .collect();
    assert_eq!(gaps, [(1, 1.0, false), (2, 2.0, true), (3, -3.5, true)]);
    assert_eq!(s.current_gap().map(|g| g.session), Some(3));
    assert_eq!(s.latest_therapist, Some(8.5));
}

#[test]
fn trend_and_recent_level() {
    // Last four client ratings 5, 6, 7, 8 over sessions 2-5: slope 1 per session.
    let s = summarise(
        &series(&[9.0, 5.0, 6.0, 7.0, 8.0]),
        &AllianceRules::default(),
    );
    assert_eq!(s.trend, Some(1.0));
    assert_eq!(s.recent_client, Some(7.0));
    assert_eq!(slope(&[(1.0, 2.0)]), None);
    assert_eq!(slope(&[(1.0, 2.0), (1.0, 3.0)]), None);
    assert_eq!(slope(&[(0.0, 3.0), (2.0, 2.0)]), Some(-0.5));
}

#[test]
fn sessions_are_ordered_before_analysis() {
    let mut obs = series(&[8.0, 8.0, 8.0, 6.0, 8.0]);
    obs.reverse();
    let s = summarise(&obs, &AllianceRules::default());
    assert_eq!(s.ruptures.len(), 1);
    assert_eq!(s.latest_client, Some(8.0));
}
