//! Validation of instrument definitions. A definition is data a clinic may
//! write itself, so nothing in it is trusted: every reference is resolved,
//! every number checked, every rule made consistent with the scoring method.

use std::collections::{BTreeMap, BTreeSet};

use crate::definition::{
    Aggregate, CategoryDef, ChangeDef, Definition, Direction, MissingPolicy, ResponseScale,
    TotalMethod,
};
use crate::error::DefinitionError;
use crate::instrument::{Range, scale_range};

/// Longest free text accepted in a definition field.
pub(crate) const MAX_TEXT: usize = 2000;
const MAX_ITEMS: usize = 500;

type Check = Result<(), DefinitionError>;

pub(crate) fn definition(origin: &str, d: &Definition) -> Check {
    let err = |field: &str, reason: String| Err(DefinitionError::new(origin, field, reason));

    identifier(origin, "id", &d.id)?;
    if d.version == 0 {
        return err("version", "must be 1 or more".into());
    }
    for (field, value) in [
        ("name", &d.name),
        ("short_name", &d.short_name),
        ("construct", &d.construct),
        ("time_frame", &d.time_frame),
        ("citation", &d.citation),
        ("licence", &d.licence),
        ("scoring.source", &d.scoring.source),
    ] {
        text(origin, field, value)?;
    }
    for (i, note) in d.notes.iter().enumerate() {
        text(origin, &format!("notes[{i}]"), note)?;
    }
    if let Some(loinc) = &d.loinc {
        loinc_code(origin, "loinc.panel", &loinc.panel)?;
        for (field, code) in [
            ("loinc.total", &loinc.total),
            ("loinc.result", &loinc.result),
        ] {
            if let Some(code) = code {
                loinc_code(origin, field, code)?;
            }
        }
    }

    let ranges = scales(origin, d)?;
    items(origin, d, &ranges)?;
    groups(origin, d, &ranges)?;
    scoring(origin, d, &ranges)?;
    bands_and_cutoffs(origin, d, &ranges)?;
    categories(origin, d)?;
    if let Some(change) = &d.change {
        change_rules(origin, d, change)?;
    }
    Ok(())
}

/// Instrument, scale, subscale and category ids: lower-case words joined by `-` or `_`.
pub(crate) fn identifier(origin: &str, field: &str, value: &str) -> Check {
    let ok = !value.is_empty()
        && value.len() <= 40
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(DefinitionError::new(
            origin,
            field,
            format!(
                "'{}' is not an identifier (1-40 of a-z, 0-9, '-', '_', starting with a letter)",
                clip(value)
            ),
        ))
    }
}

/// Free text: present, bounded, and free of control characters other than newlines.
pub(crate) fn text(origin: &str, field: &str, value: &str) -> Check {
    let reason = if value.trim().is_empty() {
        Some("must not be empty".to_owned())
    } else if value.chars().count() > MAX_TEXT {
        Some(format!("longer than {MAX_TEXT} characters"))
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        Some("contains a control character".to_owned())
    } else {
        None
    };
    match reason {
        Some(reason) => Err(DefinitionError::new(origin, field, reason)),
        None => Ok(()),
    }
}

fn loinc_code(origin: &str, field: &str, code: &str) -> Check {
    let ok = code.split_once('-').is_some_and(|(num, check)| {
        !num.is_empty()
            && num.len() <= 7
            && num.chars().all(|c| c.is_ascii_digit())
            && check.len() == 1
            && check.chars().all(|c| c.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(DefinitionError::new(
            origin,
            field,
            format!("'{}' is not a LOINC code (digits-check digit)", clip(code)),
        ))
    }
}

fn clip(value: &str) -> String {
    value.chars().take(60).collect()
}

fn finite(origin: &str, field: &str, value: f64) -> Check {
    if value.is_finite() {
        Ok(())
    } else {
        Err(DefinitionError::new(
            origin,
            field,
            "must be a finite number",
        ))
    }
}

fn scales(origin: &str, d: &Definition) -> Result<BTreeMap<String, Range>, DefinitionError> {
    if d.scales.is_empty() {
        return Err(DefinitionError::new(
            origin,
            "scales",
            "at least one response scale is needed",
        ));
    }
    let mut ranges = BTreeMap::new();
    for (id, scale) in &d.scales {
        let field = format!("scales.{id}");
        identifier(origin, &field, id)?;
        match scale {
            ResponseScale::Options { options } => {
                if options.is_empty() {
                    return Err(DefinitionError::new(origin, field, "has no options"));
                }
                let mut seen = Vec::new();
                for (i, option) in options.iter().enumerate() {
                    let f = format!("{field}.options[{i}]");
                    finite(origin, &format!("{f}.value"), option.value)?;
                    text(origin, &format!("{f}.label"), &option.label)?;
                    if seen.contains(&option.value) {
                        return Err(DefinitionError::new(
                            origin,
                            f,
                            format!("value {} appears twice", option.value),
                        ));
                    }
                    seen.push(option.value);
                }
            }
            ResponseScale::Range {
                min,
                max,
                step,
                min_label,
                max_label,
            } => {
                for (f, v) in [("min", *min), ("max", *max), ("step", *step)] {
                    finite(origin, &format!("{field}.{f}"), v)?;
                }
                if min >= max {
                    return Err(DefinitionError::new(origin, field, "min must be below max"));
                }
                let steps = (max - min) / step;
                if *step <= 0.0 || (steps - steps.round()).abs() > 1e-9 || steps > 1e6 {
                    return Err(DefinitionError::new(
                        origin,
                        format!("{field}.step"),
                        "must be positive and divide max - min into at most a million steps",
                    ));
                }
                for (f, label) in [("min_label", min_label), ("max_label", max_label)] {
                    if let Some(label) = label {
                        text(origin, &format!("{field}.{f}"), label)?;
                    }
                }
            }
        }
        ranges.insert(id.clone(), scale_range(scale));
    }
    Ok(ranges)
}

fn item_field(i: usize, id: &str, rest: &str) -> String {
    format!("items[{i}] (id '{}').{rest}", clip(id))
}

fn items(origin: &str, d: &Definition, ranges: &BTreeMap<String, Range>) -> Check {
    if d.items.is_empty() || d.items.len() > MAX_ITEMS {
        return Err(DefinitionError::new(
            origin,
            "items",
            format!("needs 1 to {MAX_ITEMS} items, has {}", d.items.len()),
        ));
    }
    let subscale_ids: BTreeSet<&str> = d.subscales.iter().map(|s| s.id.as_str()).collect();
    let domain_ids: BTreeSet<&str> = d.domains.iter().map(|s| s.id.as_str()).collect();
    let mut ids = BTreeSet::new();
    let mut numbers = BTreeSet::new();
    for (i, item) in d.items.iter().enumerate() {
        let f = |rest: &str| item_field(i, &item.id, rest);
        let ok_id = !item.id.is_empty()
            && item.id.len() <= 16
            && item
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok_id {
            return Err(DefinitionError::new(
                origin,
                f("id"),
                "item ids are 1-16 of A-Z, a-z, 0-9, '-', '_'",
            ));
        }
        if !ids.insert(item.id.as_str()) {
            return Err(DefinitionError::new(origin, f("id"), "appears twice"));
        }
        if !numbers.insert(item.number) {
            return Err(DefinitionError::new(
                origin,
                f("number"),
                format!("number {} appears twice", item.number),
            ));
        }
        text(origin, &f("label"), &item.label)?;
        if item.label.chars().count() > 200 {
            return Err(DefinitionError::new(
                origin,
                f("label"),
                "labels are short (at most 200 characters)",
            ));
        }
        let Some(range) = ranges.get(&item.scale) else {
            return Err(DefinitionError::new(
                origin,
                f("scale"),
                format!("no scale '{}' in [scales]", clip(&item.scale)),
            ));
        };
        for s in &item.subscales {
            if !subscale_ids.contains(s.as_str()) {
                return Err(DefinitionError::new(
                    origin,
                    f("subscales"),
                    format!("no subscale '{}' in [[subscales]]", clip(s)),
                ));
            }
        }
        if let Some(domain) = &item.domain
            && !domain_ids.contains(domain.as_str())
        {
            return Err(DefinitionError::new(
                origin,
                f("domain"),
                format!("no domain '{}' in [[domains]]", clip(domain)),
            ));
        }
        if let Some(cond) = &item.ask_if {
            finite(origin, &f("ask_if.at_least"), cond.at_least)?;
            let earlier = d.items[..i].iter().any(|other| other.id == cond.item);
            if !earlier {
                return Err(DefinitionError::new(
                    origin,
                    f("ask_if.item"),
                    format!("'{}' is not an earlier item", clip(&cond.item)),
                ));
            }
        }
        let mut last = f64::NEG_INFINITY;
        for (j, rule) in item.safety.iter().enumerate() {
            let rf = f(&format!("safety[{j}]"));
            finite(origin, &format!("{rf}.at_least"), rule.at_least)?;
            text(origin, &format!("{rf}.action"), &rule.action)?;
            if rule.at_least <= range.min || rule.at_least > range.max {
                return Err(DefinitionError::new(
                    origin,
                    format!("{rf}.at_least"),
                    format!(
                        "must lie above the scale minimum {} and at most its maximum {}",
                        range.min, range.max
                    ),
                ));
            }
            if rule.at_least <= last {
                return Err(DefinitionError::new(
                    origin,
                    rf,
                    "safety rules must be listed in increasing order of at_least",
                ));
            }
            last = rule.at_least;
        }
        if !item.safety.is_empty() && item.reverse {
            return Err(DefinitionError::new(
                origin,
                f("reverse"),
                "a safety item must not be reverse-keyed: its alert is read from the raw answer",
            ));
        }
        if let Some(code) = &item.loinc {
            loinc_code(origin, &f("loinc"), code)?;
        }
    }
    Ok(())
}

/// Subscales and domains: unique, non-empty, and averaged items share a range.
fn groups(origin: &str, d: &Definition, ranges: &BTreeMap<String, Range>) -> Check {
    let mut seen = BTreeSet::new();
    for (i, s) in d.subscales.iter().enumerate() {
        let f = format!("subscales[{i}]");
        identifier(origin, &format!("{f}.id"), &s.id)?;
        text(origin, &format!("{f}.name"), &s.name)?;
        if !seen.insert(s.id.as_str()) {
            return Err(DefinitionError::new(
                origin,
                format!("{f}.id"),
                "appears twice",
            ));
        }
        let members: Vec<Range> = d
            .items
            .iter()
            .filter(|item| item.scored && item.subscales.contains(&s.id))
            .map(|item| ranges[&item.scale])
            .collect();
        if members.is_empty() {
            return Err(DefinitionError::new(
                origin,
                f,
                "no scored item belongs to it",
            ));
        }
        if s.method == Aggregate::Mean && !all_equal(&members) {
            return Err(DefinitionError::new(
                origin,
                format!("{f}.method"),
                "a mean needs all its items on the same range",
            ));
        }
    }
    for (i, dom) in d.domains.iter().enumerate() {
        let f = format!("domains[{i}]");
        identifier(origin, &format!("{f}.id"), &dom.id)?;
        text(origin, &format!("{f}.name"), &dom.name)?;
        if !seen.insert(dom.id.as_str()) {
            return Err(DefinitionError::new(
                origin,
                format!("{f}.id"),
                "appears twice among subscales and domains",
            ));
        }
        if !d
            .items
            .iter()
            .any(|item| item.scored && item.domain.as_deref() == Some(&dom.id))
        {
            return Err(DefinitionError::new(
                origin,
                f,
                "no scored item belongs to it",
            ));
        }
    }
    Ok(())
}

fn all_equal(ranges: &[Range]) -> bool {
    ranges.windows(2).all(|w| w[0] == w[1])
}

fn scoring(origin: &str, d: &Definition, ranges: &BTreeMap<String, Range>) -> Check {
    let scored: Vec<_> = d.items.iter().filter(|item| item.scored).collect();
    let err = |field: &str, reason: &str| Err(DefinitionError::new(origin, field, reason));
    if scored.is_empty() {
        return err("items", "at least one item must be scored");
    }
    let domain_scoring = d.scoring.total == TotalMethod::DomainMaxSum;
    if domain_scoring {
        if d.domains.is_empty() {
            return err("scoring.total", "domain_max_sum needs [[domains]]");
        }
        if let Some(item) = scored.iter().find(|item| item.domain.is_none()) {
            return Err(DefinitionError::new(
                origin,
                format!("items (id '{}').domain", item.id),
                "every scored item needs a domain under domain_max_sum",
            ));
        }
    } else if !d.domains.is_empty() {
        return err(
            "domains",
            "domains are used only with total = \"domain_max_sum\"",
        );
    }
    if d.scoring.total == TotalMethod::Mean {
        let rs: Vec<Range> = scored.iter().map(|item| ranges[&item.scale]).collect();
        if !all_equal(&rs) {
            return err(
                "scoring.total",
                "a mean total needs all scored items on the same range",
            );
        }
    }
    match &d.scoring.missing {
        MissingPolicy::None { .. } => {}
        MissingPolicy::Prorate { max_missing, .. } => {
            if *max_missing == 0 || *max_missing as usize >= scored.len() {
                return err(
                    "scoring.missing.max_missing",
                    "must be at least 1 and fewer than the scored items",
                );
            }
            if domain_scoring {
                return err("scoring.missing", "use within_domain with domain_max_sum");
            }
        }
        MissingPolicy::MeanOfAnswered {
            min_answered_percent,
            ..
        } => {
            if !(min_answered_percent.is_finite()
                && *min_answered_percent > 0.0
                && *min_answered_percent <= 100.0)
            {
                return err(
                    "scoring.missing.min_answered_percent",
                    "must be above 0 and at most 100",
                );
            }
            let sums = d.scoring.total == TotalMethod::Sum
                || d.subscales.iter().any(|s| s.method == Aggregate::Sum);
            if sums || domain_scoring {
                return err(
                    "scoring.missing",
                    "mean_of_answered works only where the total and every subscale are means",
                );
            }
        }
        MissingPolicy::WithinDomain { .. } => {
            if !domain_scoring {
                return err(
                    "scoring.missing",
                    "within_domain needs total = \"domain_max_sum\"",
                );
            }
        }
    }
    if d.scoring.also_report_sum && d.scoring.total != TotalMethod::Mean {
        return err(
            "scoring.also_report_sum",
            "only meaningful beside a mean total",
        );
    }
    if d.scoring.percent_of_max && d.scoring.total == TotalMethod::None && d.subscales.is_empty() {
        return err(
            "scoring.percent_of_max",
            "there is no score to express as a percent",
        );
    }
    let has_total = d.scoring.total != TotalMethod::None;
    if !has_total && (!d.bands.is_empty() || !d.cutoffs.is_empty() || d.change.is_some()) {
        return err(
            "scoring.total",
            "bands, cut-offs and change rules need a total; total is \"none\"",
        );
    }
    Ok(())
}

fn total_range(d: &Definition, ranges: &BTreeMap<String, Range>) -> Option<Range> {
    // Recomputed here (the Instrument is not built yet) only for bounds checks.
    let scored = d.items.iter().filter(|item| item.scored);
    match d.scoring.total {
        TotalMethod::Sum => Some(scored.fold(Range { min: 0.0, max: 0.0 }, |acc, item| {
            let r = ranges[&item.scale];
            Range {
                min: acc.min + r.min,
                max: acc.max + r.max,
            }
        })),
        TotalMethod::Mean => scored.map(|item| ranges[&item.scale]).next(),
        TotalMethod::DomainMaxSum => Some(d.domains.iter().fold(
            Range { min: 0.0, max: 0.0 },
            |acc, dom| {
                let members = d
                    .items
                    .iter()
                    .filter(|item| item.scored && item.domain.as_deref() == Some(&dom.id))
                    .map(|item| ranges[&item.scale]);
                let (lo, hi) = members.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                    (lo.min(r.min), hi.max(r.max))
                });
                Range {
                    min: acc.min + lo,
                    max: acc.max + hi,
                }
            },
        )),
        TotalMethod::None => None,
    }
}

fn bands_and_cutoffs(origin: &str, d: &Definition, ranges: &BTreeMap<String, Range>) -> Check {
    let total = total_range(d, ranges);
    if !d.bands.is_empty() {
        let integral_items = d
            .items
            .iter()
            .filter(|item| item.scored)
            .all(|item| integral_scale(&d.scales[&item.scale]));
        let integral_total = matches!(
            d.scoring.total,
            TotalMethod::Sum | TotalMethod::DomainMaxSum
        );
        if !(integral_total && integral_items) {
            return Err(DefinitionError::new(
                origin,
                "bands",
                "bands need a whole-number total (a sum of whole-number items)",
            ));
        }
        let Some(total) = total else {
            return Err(DefinitionError::new(origin, "bands", "no total to band"));
        };
        match &d.bands_source {
            Some(source) => text(origin, "bands_source", source)?,
            None => {
                return Err(DefinitionError::new(
                    origin,
                    "bands_source",
                    "bands need their source",
                ));
            }
        }
        let mut expected_min = total.min;
        for (i, band) in d.bands.iter().enumerate() {
            let f = format!("bands[{i}]");
            text(origin, &format!("{f}.label"), &band.label)?;
            if band.min != expected_min || band.max < band.min {
                return Err(DefinitionError::new(
                    origin,
                    f,
                    format!(
                        "bands must run without gap or overlap from {} to {}: expected this band to start at {expected_min}",
                        total.min, total.max
                    ),
                ));
            }
            expected_min = band.max + 1.0;
        }
        if expected_min - 1.0 != total.max {
            return Err(DefinitionError::new(
                origin,
                "bands",
                format!("the last band must end at the maximum total {}", total.max),
            ));
        }
    }
    let mut ids = BTreeSet::new();
    for (i, cutoff) in d.cutoffs.iter().enumerate() {
        let f = format!("cutoffs[{i}]");
        identifier(origin, &format!("{f}.id"), &cutoff.id)?;
        text(origin, &format!("{f}.label"), &cutoff.label)?;
        text(origin, &format!("{f}.source"), &cutoff.source)?;
        finite(origin, &format!("{f}.at_least"), cutoff.at_least)?;
        if !ids.insert(cutoff.id.as_str()) {
            return Err(DefinitionError::new(
                origin,
                format!("{f}.id"),
                "appears twice",
            ));
        }
        if let Some(total) = total
            && (cutoff.at_least <= total.min || cutoff.at_least > total.max)
        {
            return Err(DefinitionError::new(
                origin,
                format!("{f}.at_least"),
                format!(
                    "must lie inside the total's range {}-{}",
                    total.min, total.max
                ),
            ));
        }
    }
    Ok(())
}

fn integral_scale(scale: &ResponseScale) -> bool {
    match scale {
        ResponseScale::Options { options } => options.iter().all(|o| o.value.fract() == 0.0),
        ResponseScale::Range { min, step, .. } => min.fract() == 0.0 && step.fract() == 0.0,
    }
}

fn categories(origin: &str, d: &Definition) -> Check {
    let mut ids = BTreeSet::new();
    for (i, cat) in d.categories.iter().enumerate() {
        let f = format!("categories[{i}]");
        identifier(origin, &format!("{f}.id"), cat.id())?;
        text(origin, &format!("{f}.label"), cat.label())?;
        if !ids.insert(cat.id()) {
            return Err(DefinitionError::new(
                origin,
                format!("{f}.id"),
                "appears twice",
            ));
        }
        match cat {
            CategoryDef::Endorsement {
                endorse_at_least,
                require,
                source,
                ..
            } => {
                text(origin, &format!("{f}.source"), source)?;
                finite(origin, &format!("{f}.endorse_at_least"), *endorse_at_least)?;
                if require.is_empty() {
                    return Err(DefinitionError::new(origin, f, "require is empty"));
                }
                for (j, req) in require.iter().enumerate() {
                    let size = d
                        .items
                        .iter()
                        .filter(|item| item.scored && item.subscales.contains(&req.subscale))
                        .count();
                    if !d.subscales.iter().any(|s| s.id == req.subscale) {
                        return Err(DefinitionError::new(
                            origin,
                            format!("{f}.require[{j}].subscale"),
                            format!("no subscale '{}'", clip(&req.subscale)),
                        ));
                    }
                    if req.count == 0 || req.count as usize > size {
                        return Err(DefinitionError::new(
                            origin,
                            format!("{f}.require[{j}].count"),
                            format!("must be 1 to {size}, the subscale's item count"),
                        ));
                    }
                }
            }
            CategoryDef::AllSubscalesPercent {
                at_least_percent,
                source,
                ..
            } => {
                text(origin, &format!("{f}.source"), source)?;
                if d.subscales.is_empty() || !d.scoring.percent_of_max {
                    return Err(DefinitionError::new(
                        origin,
                        f,
                        "needs subscales and scoring.percent_of_max = true",
                    ));
                }
                if !(at_least_percent.is_finite()
                    && *at_least_percent > 0.0
                    && *at_least_percent <= 100.0)
                {
                    return Err(DefinitionError::new(
                        origin,
                        format!("{f}.at_least_percent"),
                        "must be above 0 and at most 100",
                    ));
                }
            }
            CategoryDef::FirstMatch {
                levels,
                otherwise,
                source,
                ..
            } => {
                text(origin, &format!("{f}.source"), source)?;
                identifier(origin, &format!("{f}.otherwise"), otherwise)?;
                if levels.is_empty() {
                    return Err(DefinitionError::new(origin, f, "levels is empty"));
                }
                let mut values = BTreeSet::from([otherwise.as_str()]);
                for (j, level) in levels.iter().enumerate() {
                    let lf = format!("{f}.levels[{j}]");
                    identifier(origin, &format!("{lf}.value"), &level.value)?;
                    finite(origin, &format!("{lf}.at_least"), level.at_least)?;
                    if !values.insert(level.value.as_str()) {
                        return Err(DefinitionError::new(
                            origin,
                            format!("{lf}.value"),
                            "appears twice",
                        ));
                    }
                    if level.items.is_empty() {
                        return Err(DefinitionError::new(origin, lf, "names no items"));
                    }
                    if let Some(missing) = level
                        .items
                        .iter()
                        .find(|id| !d.items.iter().any(|item| &item.id == *id))
                    {
                        return Err(DefinitionError::new(
                            origin,
                            format!("{lf}.items"),
                            format!("no item '{}'", clip(missing)),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

fn change_rules(origin: &str, d: &Definition, c: &ChangeDef) -> Check {
    let err = |field: &str, reason: &str| Err(DefinitionError::new(origin, field, reason));
    if let Some(r) = &c.reliable {
        text(origin, "change.reliable.source", &r.source)?;
        match (r.rc, r.sd, r.reliability) {
            (Some(rc), None, None) if rc.is_finite() && rc > 0.0 => {}
            (None, Some(sd), Some(rel))
                if sd.is_finite() && sd > 0.0 && (0.0..1.0).contains(&rel) => {}
            _ => {
                return err(
                    "change.reliable",
                    "give either rc > 0, or sd > 0 with reliability in [0, 1)",
                );
            }
        }
    }
    if let Some(clin) = &c.clinical {
        text(origin, "change.clinical.source", &clin.source)?;
        match (&clin.cutoff, &clin.norms) {
            (Some(id), None) => {
                if !d.cutoffs.iter().any(|cut| &cut.id == id) {
                    return Err(DefinitionError::new(
                        origin,
                        "change.clinical.cutoff",
                        format!("no cut-off '{}' in [[cutoffs]]", clip(id)),
                    ));
                }
            }
            (None, Some(norms)) => {
                for (f, n) in [
                    ("functional", norms.functional),
                    ("dysfunctional", norms.dysfunctional),
                ] {
                    finite(origin, &format!("change.clinical.norms.{f}.mean"), n.mean)?;
                    if !(n.sd.is_finite() && n.sd > 0.0) {
                        return Err(DefinitionError::new(
                            origin,
                            format!("change.clinical.norms.{f}.sd"),
                            "must be a positive number",
                        ));
                    }
                }
                let functional_better = match d.higher_is {
                    Direction::Worse => norms.functional.mean < norms.dysfunctional.mean,
                    Direction::Better => norms.functional.mean > norms.dysfunctional.mean,
                };
                if !functional_better {
                    return err(
                        "change.clinical.norms",
                        "the functional mean must lie on the better side of the dysfunctional mean",
                    );
                }
            }
            _ => return err("change.clinical", "give exactly one of cutoff or norms"),
        }
    }
    if (c.response.is_some() || c.remission.is_some()) && d.higher_is != Direction::Worse {
        return err(
            "change",
            "response and remission are defined for symptom scales (higher_is = \"worse\")",
        );
    }
    if let Some(resp) = &c.response {
        text(origin, "change.response.source", &resp.source)?;
        match (resp.min_reduction_percent, resp.min_reduction_points) {
            (Some(p), None) if p.is_finite() && p > 0.0 && p <= 100.0 => {}
            (None, Some(p)) if p.is_finite() && p > 0.0 => {}
            _ => {
                return err(
                    "change.response",
                    "give exactly one of min_reduction_percent (0-100) or min_reduction_points (> 0)",
                );
            }
        }
    }
    if let Some(rem) = &c.remission {
        text(origin, "change.remission.source", &rem.source)?;
        finite(origin, "change.remission.at_most", rem.at_most)?;
    }
    Ok(())
}
