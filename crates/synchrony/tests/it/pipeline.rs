//! The rMEA pipeline, pinned to the facts file's verified probes and checked
//! against an independent reference on real psychotherapy data.

use attune_synchrony::{
    CcfParams, Dyad, Mode, SynchronyError, ccf, parse_mea, profile, scale_by_sd, smooth, summarise,
};

use super::{real_dyads, walk};

const RMEA: Mode = Mode::RmeaCompatible;

#[test]
fn rmea_smoothing_reproduces_the_verified_probes() {
    // (rate, zeroed tail, interior gain on a constant, first output): facts file §1.3.
    for (rate, tail, gain, first) in [
        (10.0, 2, 1.0, 0.6),
        (20.0, 4, 1.0, 0.5),
        (25.0, 5, 0.96, 0.48),
        (30.0, 7, 1.0, 8.0 / 15.0),
    ] {
        let out = smooth(&[1.0; 200], rate, 0.5, RMEA);
        let zeros = out.iter().rev().take_while(|v| **v == 0.0).count();
        assert_eq!(zeros, tail, "{rate} Hz tail");
        assert!(
            (out[100] - gain).abs() < 1e-12,
            "{rate} Hz gain {}",
            out[100]
        );
        assert!((out[0] - first).abs() < 1e-12, "{rate} Hz first {}", out[0]);
    }
}

#[test]
fn rmea_smoothing_window_is_asymmetric_at_25_hz() {
    // Output t (1-based) averages samples t−6..t+5, so an impulse at 1-based
    // sample 51 (0-based 50) reaches outputs 46..=57, 0-based 45..=56.
    let mut a = vec![0.0; 120];
    a[50] = 12.5;
    let out = smooth(&a, 25.0, 0.5, RMEA);
    let hit: Vec<usize> = (0..120).filter(|t| out[*t] != 0.0).collect();
    assert_eq!(hit, (45..=56).collect::<Vec<_>>());
    assert!(hit.iter().all(|t| (out[*t] - 1.0).abs() < 1e-12));
}

#[test]
fn missing_values_zero_their_neighbours_in_rmea_and_not_in_the_fixed_mode() {
    let mut a = vec![2.0; 60];
    a[30] = f64::NAN;
    let r = smooth(&a, 10.0, 0.5, RMEA);
    assert!(r[30].is_nan(), "a missing sample stays missing");
    assert_eq!((r[28], r[29], r[31], r[32]), (0.0, 0.0, 0.0, 0.0));
    assert_eq!(r[27], 2.0);
    let f = smooth(&a, 10.0, 0.5, Mode::Fixed);
    assert_eq!(
        (f[29], f[31], f[59]),
        (2.0, 2.0, 2.0),
        "fixed: mean of what is present, no zeroed tail"
    );
    assert_eq!(f[30], 2.0);
}

#[test]
fn window_layout_matches_rmea() {
    let d = Dyad::new(walk(15_000, 1, 0.9), walk(15_000, 2, 0.9), 25.0).unwrap();
    let p = |lag, win, inc| CcfParams {
        lag_sec: lag,
        window_sec: win,
        step_sec: inc,
        fisher_z: true,
        absolute: true,
        mode: RMEA,
    };
    assert_eq!(ccf(&d, &p(5.0, 60.0, 30.0)).unwrap().windows, 18);
    let m = ccf(&d, &p(5.0, 30.0, 10.0)).unwrap();
    assert_eq!((m.windows, m.lags()), (57, 251));
    assert_eq!(m.lag_seconds(0), -5.0);
    let s = summarise(&m);
    assert_eq!(s.window_times[1], (10.0, 40.0));
}

#[test]
fn positive_lag_means_s1_leads() {
    // s2 follows s1 by one second (25 samples), plus a little noise.
    let s1 = walk(6_000, 3, 0.9);
    let extra = walk(6_000, 4, 0.9);
    let s2: Vec<f64> = (0..6_000)
        .map(|t| {
            if t >= 25 {
                s1[t - 25] + 0.05 * extra[t]
            } else {
                extra[t]
            }
        })
        .collect();
    let d = Dyad::new(s1, s2, 25.0).unwrap();
    for mode in [RMEA, Mode::Fixed] {
        let p = CcfParams {
            lag_sec: 5.0,
            window_sec: 30.0,
            step_sec: 10.0,
            fisher_z: true,
            absolute: false,
            mode,
        };
        let s = summarise(&ccf(&d, &p).unwrap());
        assert!(
            s.best_lag.iter().all(|l| (*l - 1.0).abs() < 1e-9),
            "{:?}",
            s.best_lag
        );
        assert!(s.s1_lead.iter().zip(&s.s2_lead).all(|(a, b)| a > b));
    }
}

#[test]
fn identical_windows_are_missing_and_perfect_correlation_is_clamped() {
    let a = walk(3_000, 5, 0.9);
    let p = CcfParams {
        lag_sec: 1.0,
        window_sec: 10.0,
        step_sec: 10.0,
        fisher_z: true,
        absolute: false,
        mode: RMEA,
    };
    let same = ccf(&Dyad::new(a.clone(), a.clone(), 25.0).unwrap(), &p).unwrap();
    assert!(
        same.row(0)[25].is_nan(),
        "rMEA: identical windows give a missing cell, not r = 1"
    );
    let scaled: Vec<f64> = a.iter().map(|v| 2.0 * v + 1.0).collect();
    let lin = ccf(&Dyad::new(a, scaled, 25.0).unwrap(), &p).unwrap();
    assert_eq!(lin.row(0)[25], 10.0, "atanh(1) clamped to 10");
}

#[test]
fn a_mostly_missing_window_stops_rmea_and_is_a_missing_row_in_the_fixed_mode() {
    let mut a = walk(3_000, 6, 0.9);
    for v in &mut a[0..200] {
        *v = f64::NAN;
    }
    let d = Dyad::new(a, walk(3_000, 7, 0.9), 25.0).unwrap();
    let p = |mode| CcfParams {
        lag_sec: 1.0,
        window_sec: 10.0,
        step_sec: 10.0,
        fisher_z: true,
        absolute: true,
        mode,
    };
    assert_eq!(
        ccf(&d, &p(RMEA)).unwrap_err(),
        SynchronyError::RmeaMissingWindow { window: 1 }
    );
    let m = ccf(&d, &p(Mode::Fixed)).unwrap();
    assert!(m.row(0).iter().all(|v| v.is_nan()));
    assert!(m.row(2).iter().all(|v| !v.is_nan()));
    assert!(summarise(&m).best_lag[0].is_nan());
}

#[test]
fn bad_parameters_and_inputs_are_clear_errors() {
    assert!(matches!(
        Dyad::new(vec![1.0; 3], vec![1.0; 4], 25.0),
        Err(SynchronyError::LengthMismatch { s1: 3, s2: 4 })
    ));
    assert!(Dyad::new(vec![1.0], vec![f64::INFINITY], 25.0).is_err());
    assert!(Dyad::new(vec![1.0], vec![1.0], 0.0).is_err());
    let d = Dyad::new(walk(100, 1, 0.9), walk(100, 2, 0.9), 25.0).unwrap();
    let p = CcfParams {
        lag_sec: 5.0,
        window_sec: 60.0,
        step_sec: 30.0,
        fisher_z: true,
        absolute: true,
        mode: Mode::Fixed,
    };
    assert!(matches!(ccf(&d, &p), Err(SynchronyError::TooShort { .. })));
    let frac = CcfParams {
        window_sec: 0.3,
        mode: RMEA,
        ..p
    };
    assert!(matches!(
        ccf(&d, &frac),
        Err(SynchronyError::Parameter {
            field: "window",
            ..
        })
    ));
    assert!(matches!(
        parse_mea("1 2\n3 x\n", &[1], &[2], 25.0),
        Err(SynchronyError::Parse { line: 2, .. })
    ));
    assert!(matches!(
        parse_mea("", &[1], &[2], 25.0),
        Err(SynchronyError::Parse { .. })
    ));
    assert!(matches!(
        parse_mea("1 2\n", &[1], &[3], 25.0),
        Err(SynchronyError::Parse { line: 1, .. })
    ));
    let ok = parse_mea("\"pat\" \"th\"\n1 2\nNA 4\n", &[1], &[2], 25.0).unwrap();
    assert_eq!(ok.s2, [2.0, 4.0]);
    assert!(ok.s1[1].is_nan());
}

#[test]
fn movement_profile() {
    let p = profile(&[0.0, 2.0, 4.0, f64::NAN, 0.0], 0.0).unwrap();
    assert_eq!((p.mean, p.samples, p.moving_share), (1.5, 4, 0.5));
    assert!((p.sd - (11.0f64 / 3.0).sqrt()).abs() < 1e-12);
    assert!(profile(&[f64::NAN], 0.0).is_none());
}

/// An independent reference: one-pass sums straight from the definition
/// cor(s1(t), s2(t + ℓ)) over the window's span, without the library's code.
fn reference_cell(s1: &[f64], s2: &[f64], start: usize, w: usize, lag: isize) -> f64 {
    let (xs, ys): (Vec<f64>, Vec<f64>) = (0..w)
        .map(|k| {
            let t = start + k + if lag < 0 { lag.unsigned_abs() } else { 0 };
            (s1[t], s2[(t as isize + lag) as usize])
        })
        .unzip();
    let n = w as f64;
    let (sx, sy) = (xs.iter().sum::<f64>(), ys.iter().sum::<f64>());
    let sxy: f64 = xs.iter().zip(&ys).map(|(a, b)| a * b).sum();
    let sxx: f64 = xs.iter().map(|a| a * a).sum();
    let syy: f64 = ys.iter().map(|b| b * b).sum();
    (n * sxy - sx * sy) / ((n * sxx - sx * sx).sqrt() * (n * syy - sy * sy).sqrt())
}

#[test]
fn real_dyads_match_an_independent_reference_and_are_reproducible() {
    let Some(all) = real_dyads() else { return };
    assert_eq!(all.len(), 20);
    let p = CcfParams {
        lag_sec: 5.0,
        window_sec: 60.0,
        step_sec: 30.0,
        fisher_z: false,
        absolute: false,
        mode: RMEA,
    };
    for (name, d) in all.iter().take(3) {
        let s1 = scale_by_sd(&smooth(&d.s1, 25.0, 0.5, RMEA));
        let s2 = scale_by_sd(&smooth(&d.s2, 25.0, 0.5, RMEA));
        let sd = Dyad::new(s1.clone(), s2.clone(), 25.0).unwrap();
        let m = ccf(&sd, &p).unwrap();
        assert_eq!(m.windows, 18, "{name}");
        for (win, col) in [(0, 0), (0, 125), (7, 250), (12, 60), (17, 200)] {
            let lag = col as isize - 125;
            let expected = reference_cell(&s1, &s2, win * 750, 1500, lag);
            let got = m.row(win)[col];
            assert!(
                (got - expected).abs() < 1e-9,
                "{name} window {win} lag {lag}: {got} vs {expected}"
            );
        }
    }
    // The whole rMEA-compatible pipeline, twice: the same numbers.
    let run = || -> Vec<f64> {
        all.iter()
            .map(|(_, d)| {
                let sd = Dyad::new(
                    scale_by_sd(&smooth(&d.s1, 25.0, 0.5, RMEA)),
                    scale_by_sd(&smooth(&d.s2, 25.0, 0.5, RMEA)),
                    25.0,
                )
                .unwrap();
                summarise(
                    &ccf(
                        &sd,
                        &CcfParams {
                            mode: RMEA,
                            ..CcfParams::default()
                        },
                    )
                    .unwrap(),
                )
                .grand_average
            })
            .collect()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    for ((name, _), g) in all.iter().zip(&a) {
        eprintln!("{name}: grand average |z| = {g:.6}");
        assert!(g.is_finite() && *g > 0.0 && *g < 2.0, "{name}: {g}");
    }
}
