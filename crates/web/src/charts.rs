//! Small SVG charts, drawn by hand: one code path, no plotting crate, no
//! script, and nothing the page's Content-Security-Policy would block (colours
//! are presentation attributes, not style attributes). Every text is escaped.

use std::fmt::Write;

pub struct Series {
    pub name: String,
    pub colour: &'static str,
    pub points: Vec<(f64, f64)>,
}

/// A shaded horizontal band (a severity band of an outcome measure).
pub struct Band {
    pub from: f64,
    pub to: f64,
    pub label: String,
}

/// A vertical line at an x (a medicine session).
pub struct Rule {
    pub x: f64,
    pub label: String,
}

/// A marked point (a rupture, a reliable change) with its explanation.
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub symbol: Symbol,
    pub title: String,
}

#[derive(Clone, Copy)]
pub enum Symbol {
    /// A downward triangle, red.
    Warning,
    /// A ring, green.
    Good,
}

pub struct Chart {
    pub title: String,
    pub y: (f64, f64),
    pub x: (f64, f64),
    pub x_ticks: Vec<(f64, String)>,
    pub series: Vec<Series>,
    pub bands: Vec<Band>,
    pub rules: Vec<Rule>,
    pub marks: Vec<Mark>,
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 30.0;
/// Points per series drawn as dots (with their value on hover).
const DOTS_UP_TO: usize = 60;

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn nice(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() < 1.0 {
        // Small scales (synchrony, 0-0.2) need their second decimal.
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

impl Chart {
    fn px(&self, x: f64) -> f64 {
        let span = (self.x.1 - self.x.0).max(f64::EPSILON);
        LEFT + (x - self.x.0) / span * (W - LEFT - RIGHT)
    }

    fn py(&self, y: f64) -> f64 {
        let span = (self.y.1 - self.y.0).max(f64::EPSILON);
        TOP + (1.0 - (y - self.y.0) / span) * (H - TOP - BOTTOM)
    }

    pub fn svg(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-label="{}">"#,
            escape(&self.title)
        );
        let _ = write!(s, "<title>{}</title>", escape(&self.title));
        for (i, b) in self.bands.iter().enumerate() {
            let (y0, y1) = (self.py(b.to.min(self.y.1)), self.py(b.from.max(self.y.0)));
            let fill = if i % 2 == 0 { "#f1f4f8" } else { "#ffffff" };
            let _ = write!(
                s,
                r##"<rect x="{LEFT}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{}</title></rect><text x="{:.1}" y="{:.1}" font-size="10" fill="#8a93a3" text-anchor="end">{}</text>"##,
                W - LEFT - RIGHT,
                (y1 - y0).max(0.0),
                escape(&b.label),
                W - RIGHT - 4.0,
                y0 + 11.0,
                escape(&b.label)
            );
        }
        // Axes and y ticks.
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#9aa3b2"/><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#9aa3b2"/>"##,
            H - BOTTOM,
            H - BOTTOM,
            W - RIGHT,
            H - BOTTOM
        );
        for k in 0..=4 {
            let v = self.y.0 + (self.y.1 - self.y.0) * f64::from(k) / 4.0;
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#5b6475" text-anchor="end">{}</text>"##,
                LEFT - 4.0,
                self.py(v) + 3.0,
                nice(v)
            );
        }
        for (x, label) in &self.x_ticks {
            // The first and last ticks stay inside the edges instead of running past them.
            let anchor = if *x >= self.x.1 {
                "end"
            } else if *x <= self.x.0 {
                "start"
            } else {
                "middle"
            };
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#5b6475" text-anchor="{anchor}">{}</text>"##,
                self.px(*x),
                H - BOTTOM + 14.0,
                escape(label)
            );
        }
        for r in &self.rules {
            let x = self.px(r.x);
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#c0762c" stroke-dasharray="3 3"><title>{}</title></line>"##,
                H - BOTTOM,
                escape(&r.label)
            );
        }
        for series in &self.series {
            let pts: Vec<String> = series
                .points
                .iter()
                .map(|(x, y)| format!("{:.1},{:.1}", self.px(*x), self.py(*y)))
                .collect();
            if pts.len() > 1 {
                let _ = write!(
                    s,
                    r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
                    pts.join(" "),
                    series.colour
                );
            }
            // A dense series (a lag profile) is a line; dots would hide it.
            let dots = if series.points.len() <= DOTS_UP_TO {
                &series.points[..]
            } else {
                &[]
            };
            for (x, y) in dots {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"><title>{}: {}</title></circle>"#,
                    self.px(*x),
                    self.py(*y),
                    series.colour,
                    escape(&series.name),
                    nice(*y)
                );
            }
        }
        for m in &self.marks {
            let (x, y) = (self.px(m.x), self.py(m.y));
            match m.symbol {
                Symbol::Warning => {
                    let _ = write!(
                        s,
                        r##"<path d="M{:.1},{:.1} L{:.1},{:.1} L{x:.1},{:.1} Z" fill="#b3261e"><title>{}</title></path>"##,
                        x - 6.0,
                        y - 14.0,
                        x + 6.0,
                        y - 14.0,
                        y - 4.0,
                        escape(&m.title)
                    );
                }
                Symbol::Good => {
                    let _ = write!(
                        s,
                        r##"<circle cx="{x:.1}" cy="{y:.1}" r="7" fill="none" stroke="#2e7d32" stroke-width="2"><title>{}</title></circle>"##,
                        escape(&m.title)
                    );
                }
            }
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            title: "Alliance <script>".into(),
            y: (0.0, 10.0),
            x: (1.0, 3.0),
            x_ticks: vec![(1.0, "S1".into())],
            series: vec![Series {
                name: "client".into(),
                colour: "#2d6a8f",
                points: vec![(1.0, 10.0), (3.0, 0.0)],
            }],
            bands: vec![],
            rules: vec![],
            marks: vec![Mark {
                x: 2.0,
                y: 5.0,
                symbol: Symbol::Warning,
                title: "rupture <b>".into(),
            }],
        }
    }

    #[test]
    fn points_map_into_the_plot_area() {
        let c = chart();
        assert_eq!(c.px(1.0), LEFT);
        assert_eq!(c.px(3.0), W - RIGHT);
        assert_eq!(c.py(10.0), TOP);
        assert_eq!(c.py(0.0), H - BOTTOM);
    }

    #[test]
    fn text_is_escaped_and_nothing_is_inline_style() {
        let svg = chart().svg();
        assert!(svg.contains("Alliance &lt;script&gt;"));
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        assert!(!svg.contains("style="));
        assert!(svg.contains("<polyline"));
    }
}
