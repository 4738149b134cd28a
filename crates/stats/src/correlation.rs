//! Pearson's r with a 95 % confidence interval by Fisher's z transformation
//! (z = atanh r, standard error 1/sqrt(n − 3); Fisher 1921), the interval
//! most cohort reports in this field give.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    pub r: f64,
    pub n: usize,
    /// The 95 % interval; `None` below four pairs, where it is undefined.
    pub ci95: Option<(f64, f64)>,
}

/// z for a two-sided 95 % interval.
const Z_975: f64 = 1.959_963_984_540_054;

/// Pearson's r of paired values. `None` when fewer than three pairs remain
/// after dropping non-finite ones, or when either side has no spread.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<Correlation> {
    let pairs: Vec<(f64, f64)> = pairs
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let n = pairs.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / nf, b + y / nf));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    let r = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let ci95 = (n > 3 && r.abs() < 1.0).then(|| {
        let z = r.atanh();
        let se = 1.0 / (nf - 3.0).sqrt();
        ((z - Z_975 * se).tanh(), (z + Z_975 * se).tanh())
    });
    Some(Correlation { r, n, ci95 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_hand_worked_case() {
        // x = 1..5, y = 2, 4, 5, 4, 5: mean x 3, mean y 4;
        // Sxy = (-2)(-2) + (-1)(0) + 0 + (1)(0) + (2)(1) = 6; Sxx = 10; Syy = 4 + 0 + 1 + 0 + 1 = 6;
        // r = 6 / sqrt(60) = 0.774596669...
        let c = pearson(&[(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)]).unwrap();
        assert!(close(c.r, 6.0 / 60f64.sqrt()));
        assert_eq!(c.n, 5);
        // z = atanh(0.7746) = 1.0317; se = 1/sqrt(2) = 0.7071; z ± 1.96 se = -0.3543 .. 2.4177;
        // back through tanh: -0.3402 .. 0.9843.
        let (lo, hi) = c.ci95.unwrap();
        assert!((lo - (-0.3402)).abs() < 1e-3, "{lo}");
        assert!((hi - 0.9843).abs() < 1e-3, "{hi}");
    }

    #[test]
    fn perfect_and_undefined_cases() {
        let up = pearson(&[(1.0, 1.0), (2.0, 2.0), (3.0, 3.0), (4.0, 4.0)]).unwrap();
        assert!(close(up.r, 1.0));
        assert_eq!(up.ci95, None, "no interval at |r| = 1");
        let down = pearson(&[(1.0, 3.0), (2.0, 2.0), (3.0, 1.0)]).unwrap();
        assert!(close(down.r, -1.0));
        assert_eq!(pearson(&[(1.0, 1.0), (2.0, 2.0)]), None, "two pairs");
        assert_eq!(
            pearson(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]),
            None,
            "no spread in x"
        );
        let with_nan = pearson(&[(1.0, 2.0), (f64::NAN, 1.0), (2.0, 4.0), (3.0, 5.0)]).unwrap();
        assert_eq!(with_nan.n, 3);
    }
}
