//! Human-readable output. Safety findings come first and stand out: they are
//! the one thing a clinician must not miss.

use std::fmt::Write;

use attune_instruments::{CategoryValue, Comparison, FindingLevel, Instrument, Score};

use crate::output::status_str;

/// A number as a person writes it: 14, 2.33, 58.7.
pub fn n(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), n)
}

pub fn score(inst: &Instrument, s: &Score) -> String {
    let d = inst.definition();
    let mut out = String::new();
    let _ = writeln!(out, "{} ({} v{})", d.short_name, d.id, d.version);
    for f in &s.safety {
        let level = match f.level {
            FindingLevel::NotAnswered => "SAFETY ITEM NOT ANSWERED".to_owned(),
            other => format!("SAFETY {}", other.as_str().to_uppercase()),
        };
        let value = f.value.map_or_else(String::new, |v| format!(" = {}", n(v)));
        let _ = writeln!(out, "  !! {level}: item {}{value}. {}", f.item, f.action);
    }
    let total = match (s.total, inst.total_range()) {
        (Some(t), Some(r)) => format!("{} (range {}-{})", n(t), n(r.min), n(r.max)),
        (None, _) => format!(
            "none: {}",
            s.total_note.as_deref().unwrap_or("not computed")
        ),
        (Some(t), None) => n(t),
    };
    let _ = writeln!(out, "  total: {total}");
    if let Some(band) = &s.band {
        let _ = writeln!(out, "  band: {band}");
    }
    let complete = match (s.complete, s.prorated) {
        (true, _) => "yes".to_owned(),
        (false, true) => format!("no, prorated (missing: {})", s.missing.join(", ")),
        (false, false) => format!("no (missing: {})", s.missing.join(", ")),
    };
    let _ = writeln!(out, "  complete: {complete}");
    for (id, v) in &s.alternates {
        let _ = writeln!(out, "  {id}: {}", opt(*v));
    }
    for sub in &d.subscales {
        let pct = s
            .percent_of_max
            .as_ref()
            .and_then(|p| p.subscales.get(&sub.id).copied().flatten())
            .map_or_else(String::new, |p| format!(" ({} % of max)", n(p)));
        let v = s.subscales.get(&sub.id).copied().flatten();
        let _ = writeln!(out, "  {}: {}{pct}", sub.name, opt(v));
    }
    for dom in &d.domains {
        let v = s.domains.get(&dom.id).copied().flatten();
        let _ = writeln!(out, "  {}: {}", dom.name, opt(v));
    }
    for c in &d.cutoffs {
        let met = match s.cutoffs.get(&c.id).copied().flatten() {
            Some(true) => "met",
            Some(false) => "not met",
            None => "undecided",
        };
        let _ = writeln!(out, "  {} (≥ {}): {met}", c.label, n(c.at_least));
    }
    for c in &d.categories {
        let v = match s.categories.get(c.id()).cloned().flatten() {
            Some(CategoryValue::Flag(true)) => "yes".to_owned(),
            Some(CategoryValue::Flag(false)) => "no".to_owned(),
            Some(CategoryValue::Level(l)) => l,
            None => "undecided (items missing)".to_owned(),
        };
        let _ = writeln!(out, "  {}: {v}", c.label());
    }
    let skipped: Vec<&str> = s
        .items
        .iter()
        .filter(|i| status_str(i.status) == "skipped")
        .map(|i| i.id.as_str())
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "  skipped by the form's logic: {}", skipped.join(", "));
    }
    out
}

pub fn comparison(inst: &Instrument, c: &Comparison) -> String {
    let d = inst.definition();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} v{}): {} → {}",
        d.short_name,
        d.id,
        d.version,
        n(c.before),
        n(c.after)
    );
    let direction = if c.improvement > 0.0 {
        "better"
    } else if c.improvement < 0.0 {
        "worse"
    } else {
        "no change"
    };
    let _ = writeln!(out, "  change: {:+} ({direction})", c.change);
    match &c.reliable {
        Some(r) => {
            let _ = writeln!(
                out,
                "  reliable change: {} (RCI {}, threshold {} points; {})",
                if r.reliable { "yes" } else { "no" },
                n(r.rci),
                n(r.threshold),
                r.source
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  reliable change: not available (no verified reliable-change inputs)"
            );
        }
    }
    if let Some(k) = &c.clinical {
        let _ = writeln!(
            out,
            "  clinical cut-off {}: {}",
            n(k.threshold),
            if k.crossed { "crossed" } else { "not crossed" }
        );
    }
    let tri = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not defined",
    };
    let _ = writeln!(
        out,
        "  clinically significant: {}",
        tri(c.clinically_significant)
    );
    let _ = writeln!(
        out,
        "  category: {}",
        c.category.map_or("not available", |k| k.as_str())
    );
    let _ = writeln!(out, "  response: {}", tri(c.response));
    let _ = writeln!(out, "  remission: {}", tri(c.remission));
    if c.prorated {
        let _ = writeln!(out, "  note: a prorated total is part of this comparison");
    }
    out
}
