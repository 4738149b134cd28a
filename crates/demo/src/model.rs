//! The model the demo clinic is generated from. Pure: numbers in, numbers out.
//!
//! Each client has a latent **alliance capacity** `z` (standard normal). It sets
//! the client-rated alliance during preparation, and it drives the outcome: the
//! share of the baseline symptom score that is gone by the end of the course is
//!
//! ```text
//! improvement = mean_p + sd_p × (RHO_PRE × z + √(1 − RHO_PRE²) × e),   e ~ N(0, 1)
//! ```
//!
//! so that alliance *before dosing*, as rated (with rating noise, rounding and
//! ruptures), correlates with improvement at about .45
//! (the psilocybin studies in the facts file report stronger associations for
//! pre-dosing alliance: Levin 2024, final-preparation alliance vs depression
//! r = −.65; Murphy 2022, alliance → acute experience → outcome). After dosing,
//! alliance follows `z` only loosely (weight `POST_WEIGHT`) and varies for other
//! reasons, which brings the correlation of the whole-course mean alliance with
//! improvement down to about .28, the meta-analytic figure (Flückiger 2018,
//! r = .278). `tests/model.rs` checks both on a large synthetic cohort.
//!
//! Acute experience follows the same capacity (Levin 2024: alliance with MEQ
//! peak r = .49). Program means follow the trials in the facts file: MAPP1
//! (PCL-5 here; CAPS-5 there), Carhart-Harris 2021 (QIDS-SR16 14.5 → −8.0),
//! Goodwin 2022 (MADRS about 32 → −12.0), and typical KAP practice.

use crate::rng::Rng;

/// Weight of the latent capacity in improvement.
pub const RHO_PRE: f64 = 0.62;
/// Weight of the latent capacity in alliance after the first dose.
pub const POST_WEIGHT: f64 = 0.45;
/// Share of clients with one alliance rupture, and of those, the share repaired.
pub const RUPTURE_RATE: f64 = 0.2;
pub const REPAIR_RATE: f64 = 0.8;
/// Share of clients whose therapist rates the alliance well above the client.
pub const GAP_RATE: f64 = 0.12;
/// Share of clients who get worse despite treatment.
pub const DETERIORATION_RATE: f64 = 0.07;
/// Share of clients who report thoughts of death at some point (a safety item).
pub const SAFETY_RATE: f64 = 0.12;

/// The five programmes of the demo clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Program {
    /// MDMA-assisted therapy for PTSD, MAPS protocol.
    MdmaPtsd,
    /// Psilocybin for depression, two doses (Imperial).
    PsilocybinTwoDose,
    /// Psilocybin for depression, one dose (COMP360).
    PsilocybinSingle,
    /// Ketamine-assisted psychotherapy for treatment-resistant depression.
    KetamineDepression,
    /// Ketamine-assisted psychotherapy for anxiety.
    KetamineAnxiety,
}

impl Program {
    /// How many of 80 clients each programme has.
    pub const MIX: [(Program, usize); 5] = [
        (Program::MdmaPtsd, 24),
        (Program::PsilocybinTwoDose, 14),
        (Program::PsilocybinSingle, 14),
        (Program::KetamineDepression, 16),
        (Program::KetamineAnxiety, 12),
    ];

    /// The primary outcome instrument.
    pub fn outcome(self) -> &'static str {
        match self {
            Program::MdmaPtsd => "pcl5",
            Program::PsilocybinTwoDose => "qids-sr16",
            Program::PsilocybinSingle => "madrs",
            Program::KetamineDepression => "phq9",
            Program::KetamineAnxiety => "gad7",
        }
    }

    /// Baseline mean and SD of the outcome, and improvement mean and SD.
    fn parameters(self) -> (f64, f64, f64, f64) {
        match self {
            Program::MdmaPtsd => (52.0, 9.0, 0.45, 0.28),
            Program::PsilocybinTwoDose => (15.0, 3.0, 0.50, 0.30),
            Program::PsilocybinSingle => (32.0, 5.0, 0.37, 0.30),
            Program::KetamineDepression => (18.0, 3.5, 0.35, 0.30),
            Program::KetamineAnxiety => (15.0, 3.0, 0.35, 0.30),
        }
    }

    /// The highest possible outcome total.
    pub fn outcome_max(self) -> f64 {
        match self {
            Program::MdmaPtsd => 80.0,
            Program::PsilocybinTwoDose | Program::KetamineDepression => 27.0,
            Program::PsilocybinSingle => 60.0,
            Program::KetamineAnxiety => 21.0,
        }
    }
}

/// A planned rupture: at which alliance rating (counted within the course),
/// how deep, and whether the client and therapist repair it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RupturePlan {
    pub at_rating: usize,
    pub depth: f64,
    pub repaired: bool,
}

/// Everything about one client that the clinic writer turns into records.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientModel {
    pub index: usize,
    pub program: Program,
    pub therapist: usize,
    /// MDMA is delivered by a dyad: a co-therapist.
    pub co_therapist: Option<usize>,
    /// Latent alliance capacity.
    pub z: f64,
    /// Independent post-dosing alliance factor.
    pub u: f64,
    pub baseline: f64,
    /// Share of the baseline gone by the end (negative: worse).
    pub improvement: f64,
    pub rupture: Option<RupturePlan>,
    /// The therapist rates the alliance well above the client.
    pub therapist_overrates: bool,
    /// Whether the client reports thoughts of death at one outcome measure.
    pub safety_event: bool,
    /// Days before the reference date on which the course began.
    pub started_days_ago: i64,
    /// Seed for this client's own noise.
    pub noise_seed: u64,
}

/// Therapist effects on rated alliance (index = therapist).
pub const THERAPIST_EFFECT: [f64; 4] = [0.3, -0.1, 0.1, -0.3];

pub fn cohort(seed: u64, clients: usize) -> Vec<ClientModel> {
    let root = Rng::new(seed);
    let mut programs: Vec<Program> = Program::MIX
        .iter()
        .flat_map(|(p, n)| std::iter::repeat_n(*p, *n))
        .collect();
    // Beyond 80 (calibration cohorts), cycle the same mix.
    while programs.len() < clients {
        let extra: Vec<Program> = programs.clone();
        programs.extend(extra);
    }
    (0..clients)
        .map(|i| {
            let mut r = root.fork(i as u64 + 1);
            let program = programs[i];
            let (b_mean, b_sd, i_mean, i_sd) = program.parameters();
            let z = r.normal();
            let u = r.normal();
            let e = r.normal();
            let baseline = (b_mean + b_sd * r.normal())
                .clamp(b_mean * 0.6, program.outcome_max() * 0.95)
                .round();
            let mut improvement =
                i_mean + i_sd * (RHO_PRE * z + (1.0 - RHO_PRE * RHO_PRE).sqrt() * e);
            if r.chance(DETERIORATION_RATE) {
                improvement = -0.25 - 0.3 * r.uniform();
            }
            let rupture = r.chance(RUPTURE_RATE).then(|| RupturePlan {
                at_rating: 3 + r.below(6),
                depth: 2.5 + r.uniform(),
                repaired: r.chance(REPAIR_RATE),
            });
            let therapist = i % 4;
            ClientModel {
                index: i,
                program,
                therapist,
                co_therapist: (program == Program::MdmaPtsd).then_some((therapist + 1) % 4),
                z,
                u,
                baseline,
                improvement: improvement.clamp(-0.6, 0.95),
                rupture,
                therapist_overrates: r.chance(GAP_RATE),
                safety_event: r.chance(SAFETY_RATE),
                started_days_ago: 20 + r.below(300) as i64,
                noise_seed: r.next_u64(),
            }
        })
        .collect()
}

/// Clamps a rating to the 0-10 alliance scale and rounds it to a whole point.
fn rating(x: f64) -> f64 {
    x.clamp(0.0, 10.0).round()
}

impl ClientModel {
    /// Expected client-rated alliance (0-10) before and after the first dose.
    pub fn alliance_level(&self, after_dose: bool) -> f64 {
        let t = THERAPIST_EFFECT[self.therapist];
        if after_dose {
            7.9 + 0.9 * (POST_WEIGHT * self.z + (1.0 - POST_WEIGHT * POST_WEIGHT).sqrt() * self.u)
                + t
        } else {
            7.5 + 0.9 * self.z + t
        }
    }

    /// The client's and therapist's ratings at the `k`-th alliance rating of the
    /// course (0-based), given how many sessions of growth came before.
    pub fn alliance_pair(&self, k: usize, after_dose: bool, rng: &mut Rng) -> (f64, f64) {
        // Alliance grows a little over the first sessions.
        let growth = 0.15 * (k.min(4) as f64);
        let mut level = self.alliance_level(after_dose) + growth;
        if let Some(r) = self.rupture {
            if k == r.at_rating {
                level -= r.depth;
            } else if r.repaired && k == r.at_rating + 1 {
                // A worked-through rupture often leaves the bond a little stronger.
                level += 0.5;
            } else if !r.repaired && k > r.at_rating && k <= r.at_rating + 3 {
                level -= r.depth * 0.8;
            }
        }
        let client = rating(level + 0.3 * rng.normal());
        let bias = if self.therapist_overrates { 2.6 } else { -0.3 };
        let therapist = rating(level + bias + 0.5 * rng.normal());
        (client, therapist)
    }

    /// The outcome total at a point of the course: `progress` runs from 0
    /// (baseline, before any dose) to 1 (end of course).
    pub fn outcome_at(&self, progress: f64, rng: &mut Rng) -> f64 {
        // Most of the change comes soon after dosing, as in the trials.
        let shape = progress.clamp(0.0, 1.0).sqrt();
        let expected = self.baseline * (1.0 - self.improvement * shape);
        let noise = 0.06 * self.program.outcome_max() * rng.normal() * progress.min(1.0);
        (expected + noise)
            .clamp(0.0, self.program.outcome_max())
            .round()
    }

    /// MEQ30 mean (0-5) and EBI mean (0-100) for a medicine session.
    pub fn acute(&self, rng: &mut Rng) -> (f64, f64) {
        let meq = 2.5 + 1.0 * (0.5 * self.z + 0.87 * rng.normal());
        let ebi = 50.0 + 20.0 * (0.45 * self.z + 0.89 * rng.normal());
        (meq.clamp(0.0, 5.0), ebi.clamp(0.0, 100.0))
    }
}

/// One recorded session of the demo, as its video analysis would report it.
/// Illustrative magnitudes, not fitted to a study: the 20 real intake dyads
/// in rMEA's data give grand averages of .11-.21 with the default settings
/// (crates/synchrony tests), and time-shuffled surrogates sit a little
/// lower. Synchrony rises with alliance capacity (Ramseyer & Tschacher 2011,
/// JCCP 79(3):284-295: higher movement synchrony in sessions rated higher on
/// the relationship), and the client moves more as symptoms lift.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoDay {
    pub synchrony: f64,
    pub chance_mean: f64,
    pub chance_sd: f64,
    /// Seconds; positive: the client leads.
    pub peak_lag: f64,
    /// Mean motion energy (% of the person's picture), SD, share of time moving.
    pub client: (f64, f64, f64),
    pub therapist: (f64, f64, f64),
}

impl ClientModel {
    /// A session video at `progress` through the course (0 before the first dose).
    pub fn video(&self, progress: f64, rng: &mut Rng) -> VideoDay {
        let lift = self.improvement * progress.clamp(0.0, 1.0).sqrt();
        let synchrony = (0.135 + 0.008 * self.z + 0.02 * rng.normal()).max(0.06);
        let client_mean = (1.6 + 1.4 * lift + 0.25 * rng.normal()).max(0.2);
        let therapist_mean = (1.4 + 0.2 * rng.normal()).max(0.2);
        VideoDay {
            synchrony,
            chance_mean: 0.112 + 0.004 * rng.normal(),
            chance_sd: 0.007 + 0.002 * rng.uniform(),
            peak_lag: ((0.8 * rng.normal()).clamp(-4.0, 4.0) * 25.0).round() / 25.0,
            client: (
                client_mean,
                client_mean * (1.3 + 0.1 * rng.normal()).max(0.5),
                (0.45 + 0.25 * lift + 0.05 * rng.normal()).clamp(0.05, 0.95),
            ),
            therapist: (
                therapist_mean,
                therapist_mean * (1.2 + 0.1 * rng.normal()).max(0.5),
                (0.5 + 0.05 * rng.normal()).clamp(0.05, 0.95),
            ),
        }
    }
}
