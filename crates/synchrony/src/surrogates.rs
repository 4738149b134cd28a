//! Pseudo-synchrony: what synchrony looks like between people who never met
//! (between-dyad recombination) or with the timing destroyed (within-dyad
//! segment shuffling), to judge a dyad's synchrony against (rMEA's `shuffle`,
//! `shuffle_segments`). Seeded and reproducible; rMEA uses R's generator, so
//! sampled sets differ from rMEA's while the all-pairs set is the same.

use crate::{Dyad, Mode, SynchronyError};

/// One series of the pool: person 1 or person 2 of dyad `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    S1(usize),
    S2(usize),
}

/// All pseudo-pairs of `n` dyads in rMEA's order: the pool is every s1, then
/// every s2; pairs (a, b) with a before b, in `combn` order, without the real
/// pairs. With `keep_roles`, only s1-with-s2 pairs. n = 20 gives 760 (380).
pub fn between_dyad_pairs(n: usize, keep_roles: bool) -> Vec<(Member, Member)> {
    let member = |k: usize| {
        if k < n {
            Member::S1(k)
        } else {
            Member::S2(k - n)
        }
    };
    let mut out = Vec::new();
    for a in 0..2 * n {
        for b in a + 1..2 * n {
            let real = b == a + n && a < n;
            let same_role = (a < n) == (b < n);
            if real || (keep_roles && same_role) {
                continue;
            }
            out.push((member(a), member(b)));
        }
    }
    out
}

/// The series a member names.
pub fn member_series(dyads: &[Dyad], m: Member) -> &[f64] {
    match m {
        Member::S1(i) => &dyads[i].s1,
        Member::S2(i) => &dyads[i].s2,
    }
}

/// A pseudo-dyad: both series cut to the shorter length. rMEA also drops every
/// row with a missing value (`na.omit`), closing the gaps in time; the fixed
/// mode keeps the gaps as missing samples.
pub fn recombine(
    dyads: &[Dyad],
    pair: (Member, Member),
    mode: Mode,
) -> Result<Dyad, SynchronyError> {
    let (a, b) = (member_series(dyads, pair.0), member_series(dyads, pair.1));
    let n = a.len().min(b.len());
    let rate = dyads.first().map_or(1.0, |d| d.rate);
    let (mut x, mut y) = (a[..n].to_vec(), b[..n].to_vec());
    if mode == Mode::RmeaCompatible {
        let keep: Vec<bool> = x
            .iter()
            .zip(&y)
            .map(|(p, q)| !p.is_nan() && !q.is_nan())
            .collect();
        let mut k = keep.iter();
        x.retain(|_| *k.next().unwrap_or(&false));
        let mut k = keep.iter();
        y.retain(|_| *k.next().unwrap_or(&false));
    }
    Dyad::new(x, y, rate)
}

/// SplitMix64: small, seeded, good enough to draw permutations.
#[derive(Debug, Clone)]
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n ≥ 1), by rejection so that no value is favoured.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let v = self.next();
            if v < zone {
                return (v % n) as usize;
            }
        }
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// `size` pairs drawn without replacement (all of them when `size` ≥ their number).
pub fn sample_pairs(
    pairs: &[(Member, Member)],
    size: usize,
    rng: &mut Seeded,
) -> Vec<(Member, Member)> {
    if size >= pairs.len() {
        return pairs.to_vec();
    }
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    rng.shuffle(&mut order);
    order.truncate(size);
    order.into_iter().map(|i| pairs[i]).collect()
}

/// Within-dyad segment shuffling (Ramseyer & Tschacher 2010): both series cut
/// into segments of `segment_sec`, each reordered by its own permutation.
/// rMEA fails when the length is not a whole number of segments; the fixed
/// mode shuffles the whole segments and leaves the shorter tail at the end.
pub fn segment_shuffle(
    d: &Dyad,
    segment_sec: f64,
    mode: Mode,
    rng: &mut Seeded,
) -> Result<Dyad, SynchronyError> {
    let seg = (segment_sec * d.rate).round();
    if seg.is_nan() || seg < 1.0 || seg as usize > d.len() {
        return Err(SynchronyError::Parameter {
            field: "segment",
            expected: "at least one sample and at most the series",
            got: segment_sec.to_string(),
        });
    }
    let seg = seg as usize;
    let whole = d.len() / seg;
    if mode == Mode::RmeaCompatible && !d.len().is_multiple_of(seg) {
        return Err(SynchronyError::Parameter {
            field: "segment",
            expected: "a whole divisor of the series length (rMEA 1.3.0 fails otherwise)",
            got: segment_sec.to_string(),
        });
    }
    let mut shuffled = |s: &[f64]| {
        let mut order: Vec<usize> = (0..whole).collect();
        rng.shuffle(&mut order);
        let mut out = Vec::with_capacity(s.len());
        for k in order {
            out.extend_from_slice(&s[k * seg..(k + 1) * seg]);
        }
        out.extend_from_slice(&s[whole * seg..]);
        out
    };
    let s1 = shuffled(&d.s1);
    let s2 = shuffled(&d.s2);
    Dyad::new(s1, s2, d.rate)
}

/// A dyad's synchrony against its surrogate distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurrogateComparison {
    pub real: f64,
    pub surrogate_mean: f64,
    pub surrogate_sd: f64,
    /// Share of surrogates strictly below the real value (0-1).
    pub percentile: f64,
    /// (real − mean) / sd of the surrogates.
    pub z: f64,
    pub surrogates: usize,
}

pub fn compare_to_surrogates(real: f64, surrogates: &[f64]) -> Option<SurrogateComparison> {
    let s: Vec<f64> = surrogates.iter().copied().filter(|v| !v.is_nan()).collect();
    if s.len() < 2 || real.is_nan() {
        return None;
    }
    let n = s.len() as f64;
    let mean = s.iter().sum::<f64>() / n;
    let sd = (s.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    Some(SurrogateComparison {
        real,
        surrogate_mean: mean,
        surrogate_sd: sd,
        percentile: s.iter().filter(|v| **v < real).count() as f64 / n,
        z: if sd > 0.0 {
            (real - mean) / sd
        } else {
            f64::NAN
        },
        surrogates: s.len(),
    })
}

/// Cohen's d between two groups with the pooled SD, **signed** (x − y);
/// rMEA's `cohens_d` is the absolute value of this.
pub fn cohens_d(x: &[f64], y: &[f64]) -> f64 {
    let stats = |v: &[f64]| {
        let v: Vec<f64> = v.iter().copied().filter(|a| !a.is_nan()).collect();
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        (
            n,
            m,
            v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0),
        )
    };
    let ((nx, mx, vx), (ny, my, vy)) = (stats(x), stats(y));
    (mx - my) / (((nx - 1.0) * vx + (ny - 1.0) * vy) / (nx + ny - 2.0)).sqrt()
}
