//! The model keeps the promises its documentation makes, on a large cohort.

use attune_demo::Rng;
use attune_demo::model::{Program, cohort};

fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

/// Simulates what the clinic records: 3 preparation ratings, 9 after dosing,
/// and the final outcome.
fn simulate(seed: u64, n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut pre, mut course, mut improvement, mut meq) = (vec![], vec![], vec![], vec![]);
    for c in cohort(seed, n) {
        let mut r = Rng::new(c.noise_seed);
        let ratings: Vec<f64> = (0..12)
            .map(|k| c.alliance_pair(k, k >= 3, &mut r).0)
            .collect();
        pre.push(ratings[..3].iter().sum::<f64>() / 3.0);
        course.push(ratings.iter().sum::<f64>() / 12.0);
        let end = c.outcome_at(1.0, &mut r);
        improvement.push((c.baseline - end) / c.baseline);
        meq.push(c.acute(&mut r).0);
    }
    (pre, course, improvement, meq)
}

#[test]
fn alliance_predicts_outcome_as_documented() {
    let (pre, course, improvement, meq) = simulate(2026, 4000);
    let r_pre = pearson(&pre, &improvement);
    let r_course = pearson(&course, &improvement);
    let r_meq = pearson(&pre, &meq);
    eprintln!("r(pre-dosing alliance, improvement) = {r_pre:.3}");
    eprintln!("r(course alliance, improvement) = {r_course:.3}");
    eprintln!("r(pre-dosing alliance, MEQ30) = {r_meq:.3}");
    assert!((0.38..=0.55).contains(&r_pre), "{r_pre}");
    assert!((0.22..=0.34).contains(&r_course), "{r_course}");
    assert!(
        r_pre > r_course + 0.08,
        "pre-dosing alliance must matter more"
    );
    assert!((0.3..=0.6).contains(&r_meq), "{r_meq}");
}

#[test]
fn the_demo_mix_and_rates() {
    let c = cohort(1, 80);
    for (program, n) in Program::MIX {
        assert_eq!(c.iter().filter(|m| m.program == program).count(), n);
    }
    let c = cohort(3, 4000);
    let share = |f: &dyn Fn(&attune_demo::model::ClientModel) -> bool| {
        c.iter().filter(|m| f(m)).count() as f64 / 4000.0
    };
    assert!((0.17..0.23).contains(&share(&|m| m.rupture.is_some())));
    // Clearly worse (a quarter of the baseline or more): the planned deteriorations
    // plus a thin tail of the normal spread.
    assert!((0.06..0.12).contains(&share(&|m| m.improvement <= -0.25)));
    assert!(
        c.iter()
            .all(|m| m.co_therapist.is_some() == (m.program == Program::MdmaPtsd))
    );
}

#[test]
fn the_same_seed_gives_the_same_cohort() {
    assert_eq!(cohort(42, 80), cohort(42, 80));
    assert_ne!(cohort(42, 80), cohort(43, 80));
}

/// Session video: synchrony follows alliance capacity modestly, and the
/// client moves more after the course than before when symptoms lift.
#[test]
fn session_video_follows_the_documented_model() {
    let (mut z, mut sync, mut lift, mut moved) = (vec![], vec![], vec![], vec![]);
    for c in cohort(11, 4000) {
        let mut r = Rng::new(c.noise_seed);
        let before = c.video(0.0, &mut r);
        let after = c.video(1.0, &mut r);
        z.push(c.z);
        sync.push(before.synchrony);
        lift.push(c.improvement);
        moved.push(after.client.0 - before.client.0);
        for d in [before, after] {
            assert!(d.synchrony >= 0.06 && d.chance_sd > 0.0);
            assert!((0.05..=0.95).contains(&d.client.2));
            assert!(d.peak_lag.abs() <= 4.0);
        }
    }
    let r_sync = pearson(&z, &sync);
    let r_move = pearson(&lift, &moved);
    eprintln!(
        "r(capacity, synchrony) = {r_sync:.3}; r(improvement, movement change) = {r_move:.3}"
    );
    assert!((0.28..=0.46).contains(&r_sync), "{r_sync}");
    assert!(r_move > 0.5, "{r_move}");
}
