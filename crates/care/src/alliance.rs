//! The alliance over a course of care, from both sides: trajectory, ruptures,
//! repairs and the gap between client and therapist.
//!
//! There is no published rupture rule for session-by-session alliance ratings
//! (the facts file notes "a drop of ≥ 1 SD between sessions" as a research
//! convention, not an author rule). Attune's rule is therefore ours, stated
//! here and configurable per clinic:
//!
//! - **Rupture** at a session: the client's rating falls below their own
//!   recent level (the mean of up to `window` earlier ratings, at least
//!   `min_history` of them) by at least `max(min_drop, sd_multiplier × SD of
//!   those earlier ratings)`.
//! - **Repair**: a later rating back to within `repair_margin` of that recent
//!   level. Until then the rupture is `Pending` for the next `repair_within`
//!   rated sessions, and `Unrepaired` after them.
//! - **Episode**: ratings from a rupture until its repair belong to it. A low
//!   rating inside an episode is not a new rupture (a sustained drop of 9, 9,
//!   5, 5, 5 is one unrepaired rupture, not a second "pending" one that would
//!   hide the first); after the repair, a new drop is a new rupture.
//! - **Gap**: client minus therapist rating at the same session; flagged when
//!   its size reaches `gap_threshold`.
//!
//! Defaults are for the 0-10 Session Alliance Check; scale them for other measures.

/// Ratings of one session; either side may be missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AllianceObservation {
    /// Position of the session in the course (1-based).
    pub session: u32,
    pub client: Option<f64>,
    pub therapist: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AllianceRules {
    pub window: usize,
    pub min_history: usize,
    pub min_drop: f64,
    pub sd_multiplier: f64,
    pub repair_within: usize,
    pub repair_margin: f64,
    pub gap_threshold: f64,
    /// How many of the latest client ratings the trend is fitted to.
    pub trend_window: usize,
}

impl Default for AllianceRules {
    fn default() -> Self {
        AllianceRules {
            window: 3,
            min_history: 2,
            min_drop: 1.5,
            sd_multiplier: 1.0,
            repair_within: 2,
            repair_margin: 0.5,
            gap_threshold: 2.0,
            trend_window: 4,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuptureStatus {
    Repaired {
        at_session: u32,
    },
    /// Not yet repaired, but the repair window is still open.
    Pending,
    Unrepaired,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rupture {
    pub session: u32,
    /// The client's recent level the drop is measured against.
    pub baseline: f64,
    pub value: f64,
    pub drop: f64,
    /// The drop that counted as a rupture at this point.
    pub threshold: f64,
    pub status: RuptureStatus,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap {
    pub session: u32,
    /// Client minus therapist: positive when the client rates the alliance higher.
    pub gap: f64,
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AllianceSummary {
    pub latest_client: Option<f64>,
    pub latest_therapist: Option<f64>,
    /// Mean of the last `window` client ratings.
    pub recent_client: Option<f64>,
    /// Least-squares slope of the last `trend_window` client ratings, per session.
    pub trend: Option<f64>,
    pub ruptures: Vec<Rupture>,
    pub gaps: Vec<Gap>,
}

impl AllianceSummary {
    /// A rupture that is not (yet) repaired.
    pub fn open_rupture(&self) -> Option<&Rupture> {
        self.ruptures
            .iter()
            .rev()
            .find(|r| !matches!(r.status, RuptureStatus::Repaired { .. }))
    }

    /// The latest flagged gap, if the latest session with both ratings is flagged.
    pub fn current_gap(&self) -> Option<&Gap> {
        self.gaps.last().filter(|g| g.flagged)
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Sample standard deviation (n − 1); zero for fewer than two values.
fn sd(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return 0.0;
    }
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

/// Least-squares slope of y on x; `None` for fewer than two points or no spread in x.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    let my = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    Some(sxy / sxx)
}

/// Ruptures and repairs in one rater's series (session, rating), in session
/// order; each rupture is one episode, ended by its repair.
pub fn ruptures(series: &[(u32, f64)], rules: &AllianceRules) -> Vec<Rupture> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < series.len() {
        let (session, value) = series[i];
        let history: Vec<f64> = series[i.saturating_sub(rules.window)..i]
            .iter()
            .map(|p| p.1)
            .collect();
        let baseline = mean(&history);
        let threshold = rules.min_drop.max(rules.sd_multiplier * sd(&history));
        let drop = baseline - value;
        if history.len() < rules.min_history.max(1) || drop < threshold {
            i += 1;
            continue;
        }
        let later = &series[i + 1..];
        let repair = later
            .iter()
            .position(|p| p.1 >= baseline - rules.repair_margin);
        let status = match repair {
            Some(k) => RuptureStatus::Repaired {
                at_session: later[k].0,
            },
            None if later.len() < rules.repair_within => RuptureStatus::Pending,
            None => RuptureStatus::Unrepaired,
        };
        out.push(Rupture {
            session,
            baseline,
            value,
            drop,
            threshold,
            status,
        });
        // The episode runs to its repair; the next rupture is looked for after it.
        i = match repair {
            Some(k) => i + 1 + k + 1,
            None => series.len(),
        };
    }
    out
}

/// The alliance summary of one course from its observations (any order).
pub fn summarise(observations: &[AllianceObservation], rules: &AllianceRules) -> AllianceSummary {
    let mut obs = observations.to_vec();
    obs.sort_by_key(|o| o.session);
    let client: Vec<(u32, f64)> = obs
        .iter()
        .filter_map(|o| o.client.map(|v| (o.session, v)))
        .collect();
    let therapist_latest = obs.iter().rev().find_map(|o| o.therapist);
    let recent: Vec<f64> = client
        .iter()
        .rev()
        .take(rules.window)
        .map(|p| p.1)
        .collect();
    let trend_points: Vec<(f64, f64)> = client[client.len().saturating_sub(rules.trend_window)..]
        .iter()
        .map(|&(s, v)| (f64::from(s), v))
        .collect();
    let gaps = obs
        .iter()
        .filter_map(|o| match (o.client, o.therapist) {
            (Some(c), Some(t)) => Some(Gap {
                session: o.session,
                gap: c - t,
                flagged: (c - t).abs() >= rules.gap_threshold,
            }),
            _ => None,
        })
        .collect();
    AllianceSummary {
        latest_client: client.last().map(|p| p.1),
        latest_therapist: therapist_latest,
        recent_client: (!recent.is_empty()).then(|| mean(&recent)),
        trend: slope(&trend_points),
        ruptures: ruptures(&client, rules),
        gaps,
    }
}
