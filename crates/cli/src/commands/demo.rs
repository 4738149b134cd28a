//! `attune demo`. Until the clinical record and web application land, the demo
//! shows the instrument library and a worked example of scoring and change.

use anyhow::Result;
use attune_instruments::{Library, Responses, compare, score};
use serde::Serialize;

use super::print_json;
use crate::args::DemoArgs;
use crate::output::{self, CompareJson, ListEntryJson};
use crate::text;

/// A client's PHQ-9 at intake and after a course of psilocybin-assisted
/// therapy: fictional numbers, chosen to show reliable change and recovery.
const BEFORE: [&str; 9] = ["2", "3", "2", "2", "1", "2", "2", "1", "1"];
const AFTER: [&str; 9] = ["1", "1", "1", "1", "0", "1", "0", "0", "0"];

#[derive(Serialize)]
struct DemoJson {
    instruments: Vec<ListEntryJson>,
    example: CompareJson,
}

pub fn run(args: &DemoArgs) -> Result<()> {
    let lib = Library::builtin()?;
    let phq9 = lib.get("phq9")?;
    let before = score(phq9, &Responses::parse(phq9, &BEFORE)?);
    let after = score(phq9, &Responses::parse(phq9, &AFTER)?);
    let change = compare(phq9, &before, &after)?;
    if args.json {
        return print_json(&DemoJson {
            instruments: lib.latest().map(|i| output::list_entry(&lib, i)).collect(),
            example: output::compare_json(&before, &after, &change),
        });
    }
    println!("Attune demo: the instrument library and a worked example.");
    println!(
        "(The demo clinic in the browser arrives with the clinical record and web application.)\n"
    );
    println!("Instruments ({}):", lib.latest().count());
    for inst in lib.latest() {
        let d = inst.definition();
        println!("  {:<26} {} ({})", d.id, d.name, output::kind_str(d));
    }
    println!("\nIntake PHQ-9: attune score phq9 {}", BEFORE.join(" "));
    print!("{}", text::score(phq9, &before));
    println!("\nAfter treatment: attune score phq9 {}", AFTER.join(" "));
    print!("{}", text::score(phq9, &after));
    println!(
        "\nChange: attune compare phq9 --before {} --after {}",
        BEFORE.join(" "),
        AFTER.join(" ")
    );
    print!("{}", text::comparison(phq9, &change));
    Ok(())
}
