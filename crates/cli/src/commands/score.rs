//! `attune score` and `attune compare`.

use std::path::Path;

use anyhow::Result;
use attune_instruments::{
    Instrument, Responses, Score, compare as compare_scores, score as score_responses,
};

use super::print_json;
use crate::args::{CompareArgs, ScoreArgs};
use crate::{data_dir, output, text};

fn scored(inst: &Instrument, responses: &[String]) -> Result<Score> {
    let parsed = Responses::parse(inst, responses)?;
    Ok(score_responses(inst, &parsed))
}

pub fn score(dir: &Path, args: &ScoreArgs) -> Result<()> {
    let lib = data_dir::load(dir)?;
    let inst = lib.get(&args.id)?;
    let s = scored(inst, &args.responses)?;
    if args.json {
        print_json(&output::ScoreJson::from(&s))
    } else {
        print!("{}", text::score(inst, &s));
        Ok(())
    }
}

pub fn compare(dir: &Path, args: &CompareArgs) -> Result<()> {
    let lib = data_dir::load(dir)?;
    let inst = lib.get(&args.id)?;
    let before = scored(inst, &args.before).map_err(|e| e.context("--before"))?;
    let after = scored(inst, &args.after).map_err(|e| e.context("--after"))?;
    let c = compare_scores(inst, &before, &after)?;
    if args.json {
        print_json(&output::compare_json(&before, &after, &c))
    } else {
        print!("{}", text::comparison(inst, &c));
        for (label, s) in [("before", &before), ("after", &after)] {
            if !s.safety.is_empty() {
                println!("  {label}:");
                print!("{}", text::score(inst, s));
            }
        }
        Ok(())
    }
}
