//! Properties over arbitrary input: the loader and scorer never panic; scores
//! stay in range; a missing safety item is never prorated around.

use super::*;
use attune_instruments::{
    FindingLevel, Instrument, ItemStatus, Library, definition::ResponseScale,
};
use proptest::prelude::*;

/// The built-in definition texts, read the way a clinic's files would be.
const TEXTS: &[&str] = &[
    include_str!("../../library/phq9.toml"),
    include_str!("../../library/pcl5.toml"),
    include_str!("../../library/cssrs-screener.toml"),
    include_str!("../../library/qids-sr16.toml"),
    include_str!("../../library/meq30.toml"),
    include_str!("../../library/ebi.toml"),
];

/// One response token: usually valid, sometimes missing, off-scale or garbage.
/// With `clean`, only valid values and `-`, so that long forms reach the scorer.
fn token(inst: &Instrument, position: usize, pick: u8, n: f64, clean: bool) -> String {
    let valid: Vec<f64> = match inst.scale_at(position) {
        Some(ResponseScale::Options { options }) => options.iter().map(|o| o.value).collect(),
        Some(ResponseScale::Range { min, max, step, .. }) => {
            vec![
                *min,
                *max,
                min + step * ((n.abs() * 1000.0) % ((max - min) / step)).floor(),
            ]
        }
        None => vec![0.0],
    };
    match pick % 10 {
        0 | 1 => "-".to_owned(),
        2 if !clean => format!("{n}"),
        3 if !clean => ["x", "", "1e400", "NaN", "--", "٣"][(n.abs() as usize) % 6].to_owned(),
        k => valid[(k as usize) % valid.len()].to_string(),
    }
}

fn scored_in_range(inst: &Instrument, sc: &Score) -> Result<(), TestCaseError> {
    if let (Some(t), Some(r)) = (sc.total, inst.total_range()) {
        prop_assert!(
            t >= r.min - 1e-9 && t <= r.max + 1e-9,
            "total {t} outside {r:?}"
        );
    }
    for (id, v) in &sc.subscales {
        if let (Some(v), Some(r)) = (v, inst.subscale_range(id)) {
            prop_assert!(
                *v >= r.min - 1e-9 && *v <= r.max + 1e-9,
                "{id} {v} outside {r:?}"
            );
        }
    }
    if let Some(p) = &sc.percent_of_max {
        for v in p.subscales.values().chain([&p.total]).flatten() {
            prop_assert!((-1e-9..=100.0 + 1e-9).contains(v));
        }
    }
    if sc.complete {
        prop_assert!(!sc.prorated);
    }
    for (item, s) in inst.items().iter().zip(&sc.items) {
        if !item.safety.is_empty() && s.status == ItemStatus::Missing {
            prop_assert_eq!(sc.total, None, "item {} missing yet a total", item.id);
            prop_assert!(
                sc.safety
                    .iter()
                    .any(|f| f.item == item.id && f.level == FindingLevel::NotAnswered)
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn responses_never_panic_and_scores_stay_in_range(
        picks in proptest::collection::vec((any::<u8>(), -1e3f64..1e3), 0..34),
        extra in 0usize..3,
        clean in any::<bool>(),
    ) {
        let mut scored = 0;
        for inst in lib().latest() {
            let n = inst.items().len();
            let len = if extra == 0 { n } else { (n + extra - 1).min(picks.len().max(1)) };
            let tokens: Vec<String> = (0..len)
                .map(|i| {
                    let (p, x) = picks.get(i % picks.len().max(1)).copied().unwrap_or((4, 0.0));
                    token(inst, i.min(n - 1), p.wrapping_add(i as u8), x, clean)
                })
                .collect();
            if let Ok(parsed) = Responses::parse(inst, &tokens) {
                let sc = score(inst, &parsed);
                scored_in_range(inst, &sc)?;
                scored += 1;
            }
        }
        // Clean, correctly counted lists parse for every instrument whose skip
        // logic they happen to respect; most of the library must be reached.
        if clean && extra == 0 {
            prop_assert!(scored >= 10, "only {scored} instruments scored");
        }
    }

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in "\\PC{0,400}") {
        let _ = Instrument::parse("fuzz.toml", &text);
        let mut library = Library::builtin().unwrap();
        let _ = library.add_wording("fuzz.toml", &text);
        let _ = library.add_instrument("fuzz.toml", &text);
    }

    #[test]
    fn mutated_definitions_never_panic_and_what_loads_scores_sanely(
        which in 0usize..6,
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), 0u8..6, "[0-9a-z=\\[\\]\"., -]{0,6}"), 1..4),
        answers in proptest::collection::vec(any::<u8>(), 40),
    ) {
        let mut text = TEXTS[which].to_owned();
        for (at, len, kind, insert) in edits {
            let bytes = text.len();
            let at = at % bytes;
            let end = (at + len % 40).min(bytes);
            if !text.is_char_boundary(at) || !text.is_char_boundary(end) {
                continue;
            }
            match kind {
                0 => text.replace_range(at..end, ""),
                1 => text.replace_range(at..end, &insert),
                2 => text.insert_str(at, &insert),
                // Swap a number for another: the edits that pass the parser and test validation.
                _ => {
                    if let Some(pos) = text[at..].find(|c: char| c.is_ascii_digit()) {
                        let p = at + pos;
                        text.replace_range(p..p + 1, &((len % 10).to_string()));
                    }
                }
            }
        }
        if let Ok(inst) = Instrument::parse("mutated.toml", &text) {
            let tokens: Vec<String> = (0..inst.items().len())
                .map(|i| token(&inst, i, answers[i % answers.len()], answers[(i + 1) % answers.len()] as f64, true))
                .collect();
            if let Ok(parsed) = Responses::parse(&inst, &tokens) {
                let sc = score(&inst, &parsed);
                scored_in_range(&inst, &sc)?;
            }
        }
    }
}
