//! `attune synchrony FILE` and `attune synchrony batch DIR`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use attune_synchrony::surrogates::{
    Seeded, SurrogateComparison, between_dyad_pairs, cohens_d, compare_to_surrogates, recombine,
    sample_pairs, segment_shuffle,
};
use attune_synchrony::{Analysis, CcfParams, Dyad, Mode, Settings, analyse, parse_mea};
use serde_json::{Value, json};

use crate::args::{SynchronyArgs, SynchronyBatch, SynchronyOptions};
use crate::data_dir;

pub fn run(args: SynchronyArgs) -> Result<()> {
    match (args.batch, args.file) {
        (Some(SynchronyBatch::Batch { dir, opts }), _) => batch(&dir, &opts),
        (None, Some(file)) => one(&file, &args.opts),
        (None, None) => {
            bail!("name a motion-energy FILE, or `batch DIR` (see attune synchrony --help)")
        }
    }
}

fn settings(o: &SynchronyOptions) -> Settings {
    let mode = if o.rmea_compatible {
        Mode::RmeaCompatible
    } else {
        Mode::Fixed
    };
    Settings {
        smooth_sec: o.smooth,
        ccf: CcfParams {
            lag_sec: o.lag,
            window_sec: o.window,
            step_sec: o.step,
            fisher_z: !o.no_fisher,
            absolute: o.abs,
            mode,
        },
    }
}

fn load(file: &Path, o: &SynchronyOptions) -> Result<Dyad> {
    let text = data_dir::read(file)?;
    parse_mea(&text, &o.s1_cols, &o.s2_cols, o.rate).with_context(|| file.display().to_string())
}

/// Runs `f` over `items` on both cores, keeping their order.
fn on_both_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let half = items.len().div_ceil(2).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(half)
            .map(|chunk| s.spawn(|| chunk.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn grand(d: &Dyad, s: &Settings) -> f64 {
    analyse(d, s).map_or(f64::NAN, |a| a.summary.grand_average)
}

fn finite(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

fn analysis_json(name: &str, d: &Dyad, a: &Analysis, c: Option<&SurrogateComparison>) -> Value {
    let mean = |v: &[f64]| {
        let p: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        if p.is_empty() {
            f64::NAN
        } else {
            p.iter().sum::<f64>() / p.len() as f64
        }
    };
    let s = &a.summary;
    let profile = |p: &Option<attune_synchrony::MovementProfile>| {
        p.map(|p| json!({ "mean": p.mean, "sd": p.sd, "moving_share": p.moving_share }))
    };
    json!({
        "dyad": name,
        "samples": d.len(),
        "rate": d.rate,
        "windows": a.windows,
        "lags": a.lags,
        "synchrony": finite(s.grand_average),
        "s1_lead": finite(mean(&s.s1_lead)),
        "s2_lead": finite(mean(&s.s2_lead)),
        "lag_zero": finite(mean(&s.lag_zero)),
        "best_lag_mean_sec": finite(mean(&s.best_lag)),
        "best_lag_sec": s.best_lag.iter().map(|v| finite(*v)).collect::<Vec<_>>(),
        "lag_profile": s.lag_profile.iter().map(|v| finite(*v)).collect::<Vec<_>>(),
        "movement_s1": profile(&a.s1),
        "movement_s2": profile(&a.s2),
        "surrogates": c.map(|c| json!({ "n": c.surrogates, "mean": c.surrogate_mean, "sd": c.surrogate_sd, "percentile": c.percentile, "z": finite(c.z) })),
    })
}

fn one(file: &Path, o: &SynchronyOptions) -> Result<()> {
    let d = load(file, o)?;
    let s = settings(o);
    let a = analyse(&d, &s).with_context(|| file.display().to_string())?;
    let comparison = if o.surrogates > 0 {
        let mut rng = Seeded::new(o.seed);
        let shuffled = (0..o.surrogates)
            .map(|_| segment_shuffle(&d, o.segment, s.ccf.mode, &mut rng))
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("--segment {}", o.segment))?;
        let values = on_both_cores(&shuffled, |x| grand(x, &s));
        compare_to_surrogates(a.summary.grand_average, &values)
    } else {
        None
    };
    let name = file
        .file_stem()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if o.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&analysis_json(&name, &d, &a, comparison.as_ref()))?
        );
        return Ok(());
    }
    let v = analysis_json(&name, &d, &a, comparison.as_ref());
    let x = |k: &str| {
        v[k].as_f64()
            .map_or_else(|| "—".to_owned(), |x| format!("{x:.4}"))
    };
    let minutes = d.len() as f64 / d.rate / 60.0;
    println!(
        "{name}: {} samples at {} Hz ({minutes:.1} min), {} windows × {} lags",
        d.len(),
        d.rate,
        a.windows,
        a.lags
    );
    println!("  synchrony (grand average): {}", x("synchrony"));
    println!(
        "  client leads: {}   therapist leads: {}   lag 0: {}",
        x("s1_lead"),
        x("s2_lead"),
        x("lag_zero")
    );
    println!(
        "  mean best lag: {} s (positive: the client leads)",
        x("best_lag_mean_sec")
    );
    if let Some(c) = comparison {
        println!(
            "  against {} segment-shuffled surrogates (seed {}): mean {:.4}, sd {:.4}, above {:.0} % of them, z = {:.2}",
            c.surrogates,
            o.seed,
            c.surrogate_mean,
            c.surrogate_sd,
            c.percentile * 100.0,
            c.z
        );
    }
    Ok(())
}

fn batch(dir: &Path, o: &SynchronyOptions) -> Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "csv"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}: no .txt or .csv files", dir.display());
    }
    let dyads = files
        .iter()
        .map(|f| load(f, o))
        .collect::<Result<Vec<_>>>()?;
    let s = settings(o);
    let results = on_both_cores(&dyads, |d| analyse(d, &s));
    let analyses = results
        .into_iter()
        .zip(&files)
        .map(|(r, f)| r.with_context(|| f.display().to_string()))
        .collect::<Result<Vec<_>>>()?;
    let mut pooled = Vec::new();
    if o.surrogates > 0 {
        let pairs = sample_pairs(
            &between_dyad_pairs(dyads.len(), true),
            o.surrogates,
            &mut Seeded::new(o.seed),
        );
        let pseudo = pairs
            .iter()
            .map(|p| recombine(&dyads, *p, s.ccf.mode))
            .collect::<Result<Vec<_>, _>>()?;
        pooled = on_both_cores(&pseudo, |d| grand(d, &s));
    }
    // One line per dyad, streamed: a reader that stops early (`| head`) ends the
    // output quietly instead of failing.
    let mut out = std::io::stdout().lock();
    let mut emit = |line: String| -> Result<bool> {
        match writeln!(out, "{line}") {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Err(e) => Err(e.into()),
        }
    };
    if !o.json && !emit("dyad,samples,windows,synchrony,s1_lead,s2_lead,lag_zero,best_lag_mean_sec,surrogate_percentile,surrogate_z".into())? {
        return Ok(());
    }
    let mut real = Vec::new();
    for ((f, d), a) in files.iter().zip(&dyads).zip(&analyses) {
        let name = f
            .file_stem()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let c = if pooled.is_empty() {
            None
        } else {
            compare_to_surrogates(a.summary.grand_average, &pooled)
        };
        real.push(a.summary.grand_average);
        let v = analysis_json(&name, d, a, c.as_ref());
        let line = if o.json {
            serde_json::to_string(&v)?
        } else {
            let cell = |k: &str| {
                v[k].as_f64()
                    .map_or_else(String::new, |x| format!("{x:.6}"))
            };
            let (pct, z) = c.map_or((String::new(), String::new()), |c| {
                (format!("{:.3}", c.percentile), format!("{:.3}", c.z))
            });
            format!(
                "{name},{},{},{},{},{},{},{},{pct},{z}",
                d.len(),
                a.windows,
                cell("synchrony"),
                cell("s1_lead"),
                cell("s2_lead"),
                cell("lag_zero"),
                cell("best_lag_mean_sec")
            )
        };
        if !emit(line)? {
            return Ok(());
        }
    }
    if !pooled.is_empty() {
        let d = cohens_d(&real, &pooled);
        let line = format!(
            "{} dyads against {} re-paired surrogates (seed {}): Cohen's d = {d:.3} (positive: real above surrogate)",
            real.len(),
            pooled.len(),
            o.seed
        );
        eprintln!("{line}");
    }
    Ok(())
}
