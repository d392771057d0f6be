//! The reliability diagram as a self-contained SVG: forecast against observed
//! frequency per bin, the yardstick's bands shaded, the diagonal of perfect calibration,
//! and on every point the 90% interval of its frequency, resampling questions.

use crate::calibrate::Scores;
use crate::lexicon::Yardstick;

const W: f64 = 640.0;
const H: f64 = 560.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 170.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 70.0;
const COLOURS: [&str; 4] = ["#1f5fa8", "#c2410c", "#15803d", "#7e22ce"];

fn x(p: f64) -> f64 {
    LEFT + p * (W - LEFT - RIGHT)
}

fn y(p: f64) -> f64 {
    H - BOTTOM - p * (H - TOP - BOTTOM)
}

fn escape(s: &str) -> String {
    crate::escape::html(s)
}

/// Draws the diagram for one or more forecasters on yardstick `yardstick`.
pub fn reliability_diagram(title: &str, yardstick: &Yardstick, forecasters: &[&Scores]) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <title>{}</title>\n<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n",
        escape(title)
    );
    s.push_str(&format!(
        "<text x=\"{}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
        LEFT,
        escape(title)
    ));
    // yardstick bands along the forecast axis, gaps left white
    for (i, t) in yardstick.terms.iter().enumerate() {
        let shade = if i % 2 == 0 { "#e8eef7" } else { "#f3f6fb" };
        s.push_str(&format!(
            "<rect class=\"band\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{shade}\"><title>{} ({})</title></rect>\n",
            x(t.lo),
            y(1.0),
            (x(t.hi) - x(t.lo)).max(1.0),
            y(0.0) - y(1.0),
            escape(&t.name),
            t.band_text()
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" fill=\"#555\" transform=\"rotate(-90 {:.1} {:.1})\">{}</text>\n",
            x((t.lo + t.hi) / 2.0) + 3.0,
            y(0.0) - 4.0,
            x((t.lo + t.hi) / 2.0) + 3.0,
            y(0.0) - 4.0,
            escape(&t.name)
        ));
    }
    // axes and grid
    for i in 0..=10 {
        let p = i as f64 / 10.0;
        s.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/>\n",
            x(0.0),
            y(p),
            x(1.0),
            y(p)
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}%</text>\n",
            x(0.0) - 6.0,
            y(p) + 4.0,
            i * 10
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}%</text>\n",
            x(p),
            y(0.0) + 18.0,
            i * 10
        ));
    }
    s.push_str(&format!("<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#333\"/>\n", x(0.0), y(1.0), x(1.0) - x(0.0), y(0.0) - y(1.0)));
    s.push_str(&format!(
        "<line class=\"diagonal\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-dasharray=\"5 4\"/>\n",
        x(0.0),
        y(0.0),
        x(1.0),
        y(1.0)
    ));
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">forecast probability</text>\n",
        (x(0.0) + x(1.0)) / 2.0,
        H - 22.0
    ));
    s.push_str(&format!(
        "<text x=\"18\" y=\"{:.1}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {:.1})\">observed frequency</text>\n",
        (y(0.0) + y(1.0)) / 2.0,
        (y(0.0) + y(1.0)) / 2.0
    ));
    // points with their intervals
    for (fi, f) in forecasters.iter().enumerate() {
        let colour = COLOURS[fi % COLOURS.len()];
        let max_n = f
            .decomposition
            .bins
            .iter()
            .map(|b| b.n)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        for b in &f.decomposition.bins {
            let [lo, hi] = b.interval.unwrap_or([b.observed, b.observed]);
            let r = 3.0 + 7.0 * (b.n as f64 / max_n).sqrt();
            s.push_str(&format!(
                "<line class=\"interval\" x1=\"{0:.1}\" y1=\"{1:.1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\n",
                x(b.mean_forecast),
                y(lo),
                y(hi)
            ));
            s.push_str(&format!(
                "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"{colour}\" fill-opacity=\"0.75\"><title>{}: forecast {:.1}%, observed {:.1}% (n={}, 90% interval {:.0}-{:.0}%)</title></circle>\n",
                x(b.mean_forecast),
                y(b.observed),
                escape(&f.name),
                b.mean_forecast * 100.0,
                b.observed * 100.0,
                b.n,
                lo * 100.0,
                hi * 100.0
            ));
        }
        let ly = TOP + 10.0 + fi as f64 * 40.0;
        s.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{ly:.1}\" r=\"6\" fill=\"{colour}\"/>\n",
            W - RIGHT + 20.0
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            W - RIGHT + 32.0,
            ly + 4.0,
            escape(&f.name)
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#555\">n={}, Brier {:.3}</text>\n",
            W - RIGHT + 32.0,
            ly + 18.0,
            f.n,
            f.decomposition.brier
        ));
    }
    s.push_str("</svg>\n");
    s
}
