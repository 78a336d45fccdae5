//! Small SVG charts drawn by Leptos (no JavaScript library): bars (grouped or stacked) and
//! lines over local days, with a y axis, day labels, a legend, an accessible name and a
//! sentence for screen readers, and an empty state when the range holds no data.

use leptos::prelude::*;

/// One series of a chart: a name for the legend, a colour and one value per day (`None`: no
/// value that day, e.g. no latency without calls).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Fill or stroke colour (CSS).
    pub color: &'static str,
    /// One value per label.
    pub values: Vec<Option<f64>>,
}

impl Series {
    /// A series from whole numbers.
    pub fn counts(name: &str, color: &'static str, values: impl IntoIterator<Item = i64>) -> Self {
        Self {
            name: name.to_owned(),
            color,
            values: values.into_iter().map(|v| Some(v as f64)).collect(),
        }
    }
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bars side by side per day.
    Bars,
    /// Bars on top of each other per day.
    Stacked,
    /// Lines through the days.
    Lines,
}

const W: f64 = 480.0;
const H: f64 = 200.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 28.0;

/// The smallest "nice" number (1, 2 or 5 times a power of ten) at least `v`.
pub fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v - 1e-9)
        .unwrap_or(10.0 * magnitude)
}

/// How many steps the y axis is divided into: one per unit for small counts, else four,
/// five or two, whichever gives whole steps.
fn tick_steps(max: f64) -> usize {
    if max <= 5.0 && max.fract() == 0.0 {
        return (max as usize).max(1);
    }
    [4usize, 5, 2]
        .into_iter()
        .find(|n| (max / *n as f64).fract() == 0.0)
        .unwrap_or(4)
}

/// A tick value as text with at most one decimal.
fn tick_text(v: f64, unit: &str) -> String {
    let number = if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    };
    format!("{number}{unit}")
}

/// The chart's largest value (per day summed when stacked).
fn top_value(kind: Kind, series: &[Series], days: usize) -> f64 {
    let value = |s: &Series, i: usize| s.values.get(i).copied().flatten().unwrap_or(0.0);
    (0..days)
        .map(|i| match kind {
            Kind::Stacked => series.iter().map(|s| value(s, i)).sum(),
            _ => series.iter().map(|s| value(s, i)).fold(0.0, f64::max),
        })
        .fold(0.0, f64::max)
}

/// A chart over days; `labels` are `YYYY-MM-DD`, `unit` follows every tick ("", " ms", "%").
#[component]
pub fn Chart(
    /// Heading and accessible name.
    #[prop(into)]
    title: String,
    /// One sentence saying what the chart shows, for screen readers.
    #[prop(into)]
    summary: String,
    /// Days.
    labels: Vec<String>,
    /// What is drawn.
    series: Vec<Series>,
    /// Bars, stacked bars or lines.
    kind: Kind,
    /// Unit after tick values.
    #[prop(optional)]
    unit: &'static str,
    /// `data-testid` of the figure.
    #[prop(into)]
    testid: String,
    /// A fixed top of the y axis (100 for percentages); else the data's, rounded up.
    #[prop(optional)]
    top: Option<f64>,
) -> impl IntoView {
    let days = labels.len();
    // A line's zero is a value (a 0 % booking rate); a bar of zero draws nothing.
    let has_data = series.iter().any(|s| {
        s.values
            .iter()
            .any(|v| v.is_some_and(|v| kind == Kind::Lines || v != 0.0))
    });
    let legend = series
        .iter()
        .map(|s| {
            let color = s.color;
            view! {
                <li class="flex items-center gap-1">
                    <span class="inline-block h-2.5 w-2.5 rounded-sm" style=format!("background:{color}")></span>
                    {s.name.clone()}
                </li>
            }
        })
        .collect_view();
    let body = if has_data && days > 0 {
        plot(&labels, &series, kind, unit, &title, top).into_any()
    } else {
        view! {
            <p class="flex h-32 items-center justify-center rounded-lg bg-slate-50 text-sm text-slate-500" data-testid="chart-empty">
                "No data in this range yet."
            </p>
        }
        .into_any()
    };
    view! {
        <figure class="rounded-xl bg-white p-5 shadow-sm" data-testid=testid data-has-data=has_data.to_string()>
            <figcaption class="mb-2 flex flex-wrap items-baseline justify-between gap-2">
                <span class="font-medium">{title.clone()}</span>
                <ul class="flex flex-wrap gap-3 text-xs text-slate-600">{legend}</ul>
            </figcaption>
            <p class="sr-only">{summary}</p>
            {body}
        </figure>
    }
}

/// The SVG itself.
fn plot(
    labels: &[String],
    series: &[Series],
    kind: Kind,
    unit: &'static str,
    title: &str,
    top: Option<f64>,
) -> impl IntoView {
    let days = labels.len();
    let max = top.unwrap_or_else(|| nice_ceiling(top_value(kind, series, days)));
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y = move |v: f64| TOP + plot_h - (v / max * plot_h);
    let band = plot_w / days as f64;
    let x_mid = move |i: usize| LEFT + band * (i as f64 + 0.5);
    let steps = tick_steps(max);
    let ticks = (0..=steps)
        .map(|k| {
            let v = max * k as f64 / steps as f64;
            let ty = y(v);
            view! {
                <line x1=LEFT x2=W - RIGHT y1=ty y2=ty stroke="#e2e8f0" stroke-width="1"></line>
                <text x=LEFT - 6.0 y=ty + 4.0 text-anchor="end" font-size="12" fill="#64748b">{tick_text(v, unit)}</text>
            }
        })
        .collect_view();
    let step = days.div_ceil(8).max(1);
    let x_labels = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i + 1 == days)
        .map(|(i, day)| {
            let short = day.get(5..).unwrap_or(day).to_owned();
            view! {
                <text x=x_mid(i) y=H - 10.0 text-anchor="middle" font-size="12" fill="#64748b">{short}</text>
            }
        })
        .collect_view();
    let marks = match kind {
        Kind::Lines => series
            .iter()
            .map(|s| {
                let points: Vec<(f64, f64)> = s
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (x_mid(i), y(v))))
                    .collect();
                let path = points
                    .iter()
                    .map(|(px, py)| format!("{px:.1},{py:.1}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let dots = points
                    .iter()
                    .map(|(px, py)| view! { <circle cx=*px cy=*py r="3" fill=s.color></circle> })
                    .collect_view();
                view! {
                    <polyline points=path fill="none" stroke=s.color stroke-width="2"></polyline>
                    {dots}
                }
                .into_any()
            })
            .collect_view()
            .into_any(),
        Kind::Bars | Kind::Stacked => {
            let groups = series.len().max(1) as f64;
            let inner = band * 0.7;
            let bars = (0..days)
                .flat_map(|i| {
                    let mut base = 0.0;
                    series
                        .iter()
                        .enumerate()
                        .filter_map(|(k, s)| {
                            let v = s.values.get(i).copied().flatten().unwrap_or(0.0);
                            if v <= 0.0 {
                                return None;
                            }
                            let (bx, bw, low) = match kind {
                                Kind::Stacked => (x_mid(i) - inner / 2.0, inner, base),
                                _ => (x_mid(i) - inner / 2.0 + inner / groups * k as f64, inner / groups, 0.0),
                            };
                            base += v;
                            let top = y(low + v);
                            let label = format!("{} {}: {}", labels[i], s.name, tick_text(v, unit));
                            // An accessible name, not a <title> child: tachys treats `title` as
                            // the document's HTML title, which does not hydrate inside SVG.
                            Some(view! {
                                <rect x=bx y=top width=bw.max(1.0) height=(y(low) - top).max(1.0) fill=s.color aria-label=label></rect>
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .collect_view();
            bars.into_any()
        }
    };
    view! {
        <svg viewBox=format!("0 0 {W} {H}") class="h-auto w-full" role="img" aria-label=title.to_owned()>
            {ticks}
            <line x1=LEFT x2=LEFT y1=TOP y2=TOP + plot_h stroke="#94a3b8" stroke-width="1"></line>
            <line x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h stroke="#94a3b8" stroke-width="1"></line>
            {marks}
            {x_labels}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_nice_numbers() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(3.0), 5.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(180.0), 200.0);
        assert_eq!(nice_ceiling(1.0), 1.0);
        assert_eq!(tick_text(2.5, " ms"), "2.5 ms");
        assert_eq!(tick_text(40.0, "%"), "40%");
        assert_eq!(tick_steps(2.0), 2);
        assert_eq!(tick_steps(1.0), 1);
        assert_eq!(tick_steps(5.0), 5);
        assert_eq!(tick_steps(10.0), 5);
        assert_eq!(tick_steps(20.0), 4);
        assert_eq!(tick_steps(50.0), 5);
        assert_eq!(tick_steps(100.0), 4);
    }

    #[test]
    fn stacked_charts_scale_to_the_sum_of_a_day() {
        let a = Series::counts("a", "#000", [1, 4]);
        let b = Series::counts("b", "#000", [2, 3]);
        assert_eq!(top_value(Kind::Stacked, &[a.clone(), b.clone()], 2), 7.0);
        assert_eq!(top_value(Kind::Bars, &[a, b], 2), 4.0);
    }
}
