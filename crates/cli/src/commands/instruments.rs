//! `attune instruments list | show | add-wording | add`.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use attune_instruments::{
    Instrument, Library,
    definition::{CategoryDef, MissingPolicy, ResponseScale, TotalMethod},
};

use super::print_json;
use crate::args::InstrumentsCommand;
use crate::data_dir::{self, Kind};
use crate::output::{self, evidence_str};
use crate::text::n;

pub fn run(dir: &Path, cmd: InstrumentsCommand) -> Result<()> {
    match cmd {
        InstrumentsCommand::List { json } => list(dir, json),
        InstrumentsCommand::Show { id, language, json } => show(dir, &id, &language, json),
        InstrumentsCommand::AddWording { file } => {
            let mut lib = data_dir::load(dir)?;
            let text = data_dir::read(&file)?;
            let pack = lib.add_wording(&file.display().to_string(), &text)?;
            let d = pack.definition();
            let path = data_dir::install(dir, Kind::Wording, &d.id, &text)?;
            println!(
                "installed wording pack {} ({}, {}) for {} v{} at {}",
                d.id,
                d.kind.as_str(),
                d.language,
                d.instrument,
                d.instrument_version,
                path.display()
            );
            Ok(())
        }
        InstrumentsCommand::Add { file } => {
            let mut lib = data_dir::load(dir)?;
            let text = data_dir::read(&file)?;
            let inst = lib.add_instrument(&file.display().to_string(), &text)?;
            let name = format!("{}-v{}", inst.id(), inst.version());
            let path = data_dir::install(dir, Kind::Instrument, &name, &text)?;
            println!(
                "installed instrument {} v{} at {}",
                inst.id(),
                inst.version(),
                path.display()
            );
            Ok(())
        }
    }
}

fn list(dir: &Path, json: bool) -> Result<()> {
    let lib = data_dir::load(dir)?;
    if json {
        let entries: Vec<_> = lib.latest().map(|i| output::list_entry(&lib, i)).collect();
        return print_json(&entries);
    }
    println!(
        "{:<26} {:>3}  {:<26} {:<10} {:<24} wording",
        "id", "v", "name", "rated by", "measures"
    );
    for inst in lib.latest() {
        let e = output::list_entry(&lib, inst);
        let wording: Vec<&str> = e.wording.iter().map(|w| w.kind).collect();
        let project = if e.kind == "project" {
            " (project measure)"
        } else {
            ""
        };
        println!(
            "{:<26} {:>3}  {:<26} {:<10} {:<24} {}{project}",
            e.id,
            e.version,
            e.short_name,
            e.respondent,
            e.construct,
            wording.join(", ")
        );
    }
    Ok(())
}

fn show(dir: &Path, id: &str, language: &str, json: bool) -> Result<()> {
    let lib = data_dir::load(dir)?;
    let inst = lib.get(id)?;
    let pack = lib.wording_for(inst, language);
    if json {
        return print_json(&output::ShowJson {
            origin: inst.origin(),
            builtin: lib.is_builtin(inst.id()),
            definition: inst.definition(),
            wording: lib
                .packs_for(inst)
                .into_iter()
                .map(output::wording_json)
                .collect(),
            default_wording: pack.map(output::wording_json),
            item_text: pack
                .map(|p| p.definition().items.clone())
                .unwrap_or_default(),
        });
    }
    print!("{}", describe(&lib, inst, language));
    Ok(())
}

fn describe(lib: &Library, inst: &Instrument, language: &str) -> String {
    let d = inst.definition();
    let pack = lib.wording_for(inst, language);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: {} ({} v{}, {})",
        d.short_name,
        d.name,
        d.id,
        d.version,
        output::kind_str(d)
    );
    let _ = writeln!(
        o,
        "measures {}; rated by the {}; time frame: {}",
        d.construct,
        output::respondent_str(d),
        d.time_frame
    );
    let _ = writeln!(o, "citation: {}", d.citation);
    let _ = writeln!(o, "licence: {}", d.licence);
    match pack {
        Some(p) => {
            let r = p.reference();
            let _ = writeln!(
                o,
                "wording shown: {} ({}, {})",
                r.pack,
                r.kind.as_str(),
                r.language
            );
            if let Some(i) = &p.definition().instructions {
                let _ = writeln!(o, "instructions: {i}");
            }
        }
        None => {
            let _ = writeln!(o, "wording shown: none installed (labels only)");
        }
    }
    let _ = writeln!(o, "\nresponse scales:");
    for (id, scale) in &d.scales {
        let desc = match scale {
            ResponseScale::Options { options } => options
                .iter()
                .map(|x| format!("{} {}", n(x.value), x.label))
                .collect::<Vec<_>>()
                .join(" · "),
            ResponseScale::Range { min, max, step, .. } => {
                format!("{} to {} in steps of {}", n(*min), n(*max), n(*step))
            }
        };
        let _ = writeln!(o, "  {id}: {desc}");
    }
    let _ = writeln!(o, "\nitems:");
    for item in &d.items {
        let mut tags = Vec::new();
        if !item.subscales.is_empty() {
            tags.push(item.subscales.join(","));
        }
        if let Some(dom) = &item.domain {
            tags.push(format!("domain {dom}"));
        }
        if item.reverse {
            tags.push("reverse-keyed".into());
        }
        if !item.scored {
            tags.push("not scored".into());
        }
        if let Some(c) = &item.ask_if {
            tags.push(format!("asked if item {} ≥ {}", c.item, n(c.at_least)));
        }
        for r in &item.safety {
            tags.push(format!("SAFETY ≥ {}: {:?}", n(r.at_least), r.level).to_lowercase());
        }
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", tags.join("; "))
        };
        let _ = writeln!(o, "  {:>4}  {}{tags}", item.id, item.label);
        if let Some(t) = pack.and_then(|p| p.item_text(&item.id)) {
            let _ = writeln!(o, "        “{t}”");
        }
    }
    let s = &d.scoring;
    let total = match s.total {
        TotalMethod::Sum => "sum",
        TotalMethod::Mean => "mean",
        TotalMethod::DomainMaxSum => "sum of domain maxima",
        TotalMethod::None => "none (categorical)",
    };
    let missing = match &s.missing {
        MissingPolicy::None { evidence } => {
            format!("no missing item allowed ({})", evidence_str(*evidence))
        }
        MissingPolicy::Prorate {
            max_missing,
            evidence,
        } => {
            format!(
                "prorate up to {max_missing} missing, never a safety item ({})",
                evidence_str(*evidence)
            )
        }
        MissingPolicy::MeanOfAnswered {
            min_answered_percent,
            evidence,
        } => format!(
            "mean of answered items when at least {} % answered ({})",
            n(*min_answered_percent),
            evidence_str(*evidence)
        ),
        MissingPolicy::WithinDomain { evidence } => {
            format!(
                "a domain's maximum over its answered items ({})",
                evidence_str(*evidence)
            )
        }
    };
    let _ = writeln!(o, "\nscoring: total = {total}; missing items: {missing}");
    if let Some(r) = inst.total_range() {
        let _ = writeln!(o, "  total range {}-{}", n(r.min), n(r.max));
    }
    let _ = writeln!(o, "  source: {}", s.source);
    if !d.bands.is_empty() {
        let bands: Vec<String> = d
            .bands
            .iter()
            .map(|b| format!("{}-{} {}", n(b.min), n(b.max), b.label))
            .collect();
        let _ = writeln!(
            o,
            "bands: {} ({})",
            bands.join(" · "),
            d.bands_source.as_deref().unwrap_or("")
        );
    }
    for c in &d.cutoffs {
        let _ = writeln!(
            o,
            "cut-off {} ≥ {}: {} ({}; {})",
            c.id,
            n(c.at_least),
            c.label,
            c.source,
            evidence_str(c.evidence)
        );
    }
    for c in &d.categories {
        let source = match c {
            CategoryDef::Endorsement { source, .. }
            | CategoryDef::AllSubscalesPercent { source, .. }
            | CategoryDef::FirstMatch { source, .. } => source,
        };
        let _ = writeln!(o, "category {}: {} ({source})", c.id(), c.label());
    }
    if let Some(ch) = &d.change {
        if let Some(r) = &ch.reliable {
            let basis = match (r.rc, r.sd, r.reliability) {
                (Some(rc), _, _) => format!("RC = {}", n(rc)),
                (None, Some(sd), Some(rel)) => format!("SD {} and reliability {}", n(sd), n(rel)),
                _ => String::new(),
            };
            let _ = writeln!(
                o,
                "reliable change: {basis} ({}; {})",
                r.source,
                evidence_str(r.evidence)
            );
        }
        if let Some(c) = &ch.clinical {
            let basis = c.cutoff.as_ref().map_or_else(
                || "criterion c from norms".to_owned(),
                |id| format!("cut-off {id}"),
            );
            let _ = writeln!(
                o,
                "clinical significance: {basis} ({}; {})",
                c.source,
                evidence_str(c.evidence)
            );
        }
        if let Some(r) = &ch.response {
            let rule = match (r.min_reduction_percent, r.min_reduction_points) {
                (Some(p), _) => format!(
                    "reduction {} {} %",
                    if r.inclusive { "≥" } else { ">" },
                    n(p)
                ),
                (None, Some(p)) => format!("reduction ≥ {} points", n(p)),
                _ => String::new(),
            };
            let _ = writeln!(
                o,
                "response: {rule} ({}; {})",
                r.source,
                evidence_str(r.evidence)
            );
        }
        if let Some(r) = &ch.remission {
            let _ = writeln!(
                o,
                "remission: total ≤ {} ({}; {})",
                n(r.at_most),
                r.source,
                evidence_str(r.evidence)
            );
        }
    }
    if let Some(l) = &d.loinc {
        let _ = writeln!(
            o,
            "LOINC: panel {}{}",
            l.panel,
            l.total
                .as_ref()
                .map_or_else(String::new, |t| format!(", total {t}"))
        );
    }
    for note in &d.notes {
        let _ = writeln!(o, "note: {note}");
    }
    o
}
