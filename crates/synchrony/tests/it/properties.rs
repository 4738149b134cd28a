//! Random series, parameters and missing values never panic the pipeline;
//! every cell is missing or a finite value in range.
use attune_synchrony::{CcfParams, Dyad, Mode, ccf, profile, scale_by_sd, smooth, summarise};
use proptest::prelude::*;

fn series() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(
        prop_oneof![8 => 0.0f64..1e4, 1 => Just(f64::NAN), 1 => Just(0.0)],
        0..400,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_pipeline_never_panics(
        a in series(),
        b in series(),
        rate in prop_oneof![Just(10.0), Just(25.0), Just(29.97), 0.5f64..60.0],
        lag in 0.0f64..3.0,
        win in 0.1f64..10.0,
        step in 0.1f64..5.0,
        smooth_sec in 0.0f64..2.0,
        rmea in any::<bool>(),
        z in any::<bool>(),
        abs in any::<bool>(),
    ) {
        let mode = if rmea { Mode::RmeaCompatible } else { Mode::Fixed };
        let n = a.len().min(b.len());
        let s1 = scale_by_sd(&smooth(&a[..n], rate, smooth_sec, mode));
        let s2 = scale_by_sd(&smooth(&b[..n], rate, smooth_sec, mode));
        let _ = profile(&s1, 0.0);
        if let Ok(d) = Dyad::new(s1, s2, rate)
            && let Ok(m) = ccf(&d, &CcfParams { lag_sec: lag, window_sec: win, step_sec: step, fisher_z: z, absolute: abs, mode })
        {
            let bound = if z { 10.0 } else { 1.0 };
            prop_assert!(m.cells.iter().all(|c| c.is_nan() || (c.abs() <= bound + 1e-12)));
            let s = summarise(&m);
            prop_assert_eq!(s.best_lag.len(), m.windows);
        }
    }
}
