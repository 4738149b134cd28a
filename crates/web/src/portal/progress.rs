//! The client's own progress: a chart per measure on their link, where the
//! clinic allows clients to see it.

use attune_store::PortalLink;
use attune_store::Respondent;
use time::OffsetDateTime;

use crate::app::{Shared, Stores};
use crate::http::error::AppError;

use super::actor;

/// Charts of the client's own totals for the measures on this link.
pub(super) async fn progress<S: Stores>(
    app: &Shared<S>,
    link: &PortalLink,
    origin: &str,
) -> Result<Vec<(String, String, &'static str)>, AppError> {
    let library = app.library();
    if !crate::clinic::client_progress(app).await? {
        return Ok(Vec::new());
    }
    let history = app
        .store
        .administrations(&actor(origin), link.client)
        .await?;
    let mut charts = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for t in &link.tasks {
        if seen.contains(&t.instrument.as_str()) {
            continue;
        }
        seen.push(&t.instrument);
        let Ok(inst) = library.get(&t.instrument) else {
            continue;
        };
        let points: Vec<(OffsetDateTime, f64)> = history
            .iter()
            .filter(|a| a.instrument == t.instrument && a.respondent == Respondent::Client)
            .filter_map(|a| a.total.map(|v| (a.administered_at, v)))
            .collect();
        let (Some(first), Some(range)) = (points.first(), inst.total_range()) else {
            continue;
        };
        if points.len() < 2 {
            continue;
        }
        let start = first.0;
        let days = |t: OffsetDateTime| (t - start).whole_days() as f64;
        let end = points.last().map_or(1.0, |p| days(p.0).max(1.0));
        let name = inst.definition().short_name.clone();
        let chart = crate::charts::Chart {
            title: format!("Your {name} scores"),
            y: (range.min, range.max),
            x: (0.0, end),
            x_ticks: vec![
                (0.0, start.date().to_string()),
                (
                    end,
                    points
                        .last()
                        .map(|p| p.0.date().to_string())
                        .unwrap_or_default(),
                ),
            ],
            series: vec![crate::charts::Series {
                name: name.clone(),
                colour: "#2d6a8f",
                points: points.iter().map(|(t, v)| (days(*t), *v)).collect(),
            }],
            bands: inst
                .definition()
                .bands
                .iter()
                .map(|b| crate::charts::Band {
                    from: b.min,
                    to: b.max,
                    label: b.label.clone(),
                })
                .collect(),
            rules: vec![],
            marks: vec![],
        };
        let reading = match inst.definition().higher_is {
            attune_instruments::definition::Direction::Worse => {
                "Lower scores mean fewer difficulties."
            }
            attune_instruments::definition::Direction::Better => {
                "Higher scores mean more of what this measures."
            }
        };
        charts.push((format!("Your {name} over time"), chart.svg(), reading));
    }
    Ok(charts)
}
