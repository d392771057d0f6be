//! `acre assess` output: the terminal report and the JSON document.

use crate::format::{pct1, whole_interval};
use crate::infer::Confidence;
use crate::infer::{Assessment, words};
use crate::model::Case;
use serde::Serialize;

/// "almost certain (95-100%)" for a value in a band; in a gap only where it falls ("between
/// highly likely and almost certain"), as no term may stand beside a number outside its band
/// (the gap note gives acre's suggestion).
pub fn verdict_words(case: &Case, v: &words::Placement) -> String {
    match v.band {
        Some(idx) => case.yardstick.term_with_band(idx),
        None => v.words.clone(),
    }
}

/// The confidence level's reasons, split into the rules that set it and those that were
/// also checked, one per line after `indent`.
pub fn confidence_text(c: &Confidence, indent: &str) -> String {
    let mut out = String::new();
    let (set_by, also): (Vec<_>, Vec<_>) = c.checks.iter().partition(|x| x.cap == Some(c.level));
    if !set_by.is_empty() {
        out.push_str(&format!("{indent}set by:\n"));
        for x in &set_by {
            out.push_str(&format!("{indent}  - {}\n", x.reason));
        }
    }
    if !also.is_empty() {
        out.push_str(&format!(
            "{indent}{}:\n",
            if set_by.is_empty() {
                "checked"
            } else {
                "also checked"
            }
        ));
        for x in &also {
            out.push_str(&format!("{indent}  - {}\n", x.reason));
        }
    }
    out
}

/// The terminal report.
pub fn text(case: &Case, a: &Assessment, file: &str) -> String {
    let mut out = String::new();
    let title = if case.title.is_empty() {
        file.to_string()
    } else {
        case.title.clone()
    };
    out.push_str(&format!("{title}\n"));
    if let Some(q) = &case.question {
        out.push_str(&format!("Question:  {q}\n"));
    }
    out.push_str(&format!(
        "Yardstick: {} ({})\n\n",
        case.yardstick.title, case.yardstick.name
    ));

    out.push_str("Hypotheses (posterior with every input at its point value)\n");
    // ids line up in a column up to 40 characters; a longer id is printed whole, unpadded
    // (a format width is at most 65,535)
    let id_width = case
        .hypotheses
        .iter()
        .map(|h| h.id.chars().count())
        .filter(|n| *n <= 40)
        .max()
        .unwrap_or(0);
    let mut order: Vec<usize> = (0..a.hypotheses.len()).collect();
    order.sort_by(|x, y| {
        a.hypotheses[*y]
            .point
            .total_cmp(&a.hypotheses[*x].point)
            .then(x.cmp(y))
    });
    let numbers = |out: &mut String, r: &crate::infer::HypothesisResult, id_width: usize| {
        out.push_str(&format!(
            "  {:<id_width$}  {}: {} [bounds {}-{}, 90% interval {}]\n",
            "",
            verdict_words(case, &r.placement),
            crate::infer::words::pct(&case.yardstick, r.point),
            pct1(r.lower).trim_end_matches('%'),
            pct1(r.upper),
            whole_interval(r.p05, r.p95),
        ));
        if let Some(note) = &r.term_note {
            out.push_str(&format!("  {:<id_width$}  note: {note}\n", ""));
        }
    };
    for h in order {
        let r = &a.hypotheses[h];
        out.push_str(&format!(
            "  {:<id_width$}  {}  (prior {})\n",
            r.id,
            r.label,
            pct1(r.prior)
        ));
        numbers(&mut out, r, id_width);
    }
    if !a.groups.is_empty() {
        out.push_str("\nGroups (each the sum of its members)\n");
        let id_width = case
            .groups
            .iter()
            .map(|g| g.id.chars().count())
            .filter(|n| *n <= 40)
            .max()
            .unwrap_or(0);
        for (g, r) in case.groups.iter().zip(&a.groups) {
            let members: Vec<&str> = g.members.iter().map(|m| case.proposition_id(*m)).collect();
            out.push_str(&format!(
                "  {:<id_width$}  {}  ({}; prior {})\n",
                r.id,
                r.label,
                members.join(" + "),
                pct1(r.prior)
            ));
            numbers(&mut out, r, id_width);
        }
    }
    if !a.assumptions.is_empty() {
        out.push_str("\nAssumptions\n");
        for r in &a.assumptions {
            let v = words::place(&case.yardstick, r.posterior);
            out.push_str(&format!(
                "  {}  {}\n    prior {} -> after the evidence {}: {} (90% interval {})\n",
                r.id,
                r.label,
                pct1(r.prior),
                verdict_words(case, &v),
                words::pct(&case.yardstick, r.posterior),
                whole_interval(r.p05, r.p95)
            ));
            if let Some(note) = words::term_note(&case.yardstick, &v, r.p05, r.p95) {
                out.push_str(&format!("    note: {note}\n"));
            }
        }
    }
    out.push_str(&format!(
        "\nAnalytic confidence: {}\n",
        a.confidence.level.word()
    ));
    out.push_str(&confidence_text(&a.confidence, "  "));
    if !a.expectations.is_empty() {
        let met = a.expectations.iter().filter(|e| e.met).count();
        out.push_str(&format!(
            "\nExpectations: {met} of {} met\n",
            a.expectations.len()
        ));
        for e in &a.expectations {
            out.push_str(&format!(
                "  {} {}  ({})\n",
                if e.met { "met   " } else { "NOT MET" },
                e.text,
                e.actual
            ));
        }
    }
    out.push_str(&format!(
        "\nMonte Carlo: {}{}; bounds: {}\n",
        monte_carlo_text(a),
        if a.impossible_samples > 0 {
            format!(" ({} impossible draws skipped)", a.impossible_samples)
        } else {
            String::new()
        },
        match a.bounds_method {
            crate::infer::bounds::Method::Point => "no banded input, bounds equal the point",
            crate::infer::bounds::Method::Exhaustive => "exact, every vertex of the bands searched",
            crate::infer::bounds::Method::Unsearched => "none (too many banded inputs and assumption states to search, and no draws: the bounds are the point)",
            crate::infer::bounds::Method::Samples if a.samples == 0 =>
                "none (too many banded inputs and assumption states to search, and no draws: the bounds are the point)",
            crate::infer::bounds::Method::Samples =>
                "the extremes of the Monte Carlo draws (too many banded inputs and assumption states to search; narrower than the true bounds)",
            crate::infer::bounds::Method::PriorSearch =>
                "vertices, then a search inside each banded prior (graded items: not guaranteed exact)",
            crate::infer::bounds::Method::VertexSearch =>
                "coordinate-wise vertex search (many banded inputs)",
        }
    ));
    out
}

/// The case, in `acre assess --format json`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CaseJson {
    /// Title.
    pub title: String,
    /// The question.
    pub question: Option<String>,
    /// The file as given.
    pub file: String,
    /// When the events happened.
    pub event: Option<String>,
    /// When the assessment was made.
    pub assessed: Option<String>,
    /// Analysts.
    pub analysts: Vec<String>,
    /// The hypothesis that turned out true, for resolved cases.
    pub outcome: Option<String>,
}

/// A posterior with its bounds and Monte Carlo summary.
#[derive(Serialize, schemars::JsonSchema)]
pub struct PosteriorJson {
    /// All inputs at their point values.
    pub point: f64,
    /// Least over the bands.
    pub lower: f64,
    /// Greatest over the bands.
    pub upper: f64,
    /// Monte Carlo mean.
    pub mean: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// One hypothesis.
#[derive(Serialize, schemars::JsonSchema)]
pub struct HypothesisJson {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Prior.
    pub prior: f64,
    /// Posterior.
    pub posterior: PosteriorJson,
    /// The term whose band holds the point, or null in a gap.
    pub term: Option<String>,
    /// That term's band.
    pub term_band: Option<[f64; 2]>,
    /// Words for the point ("between likely and highly likely" in a gap).
    pub words: String,
    /// The written term (semantics section 7): the band's term, or in a gap the nearer term
    /// (the lower on a tie), acre's suggestion.
    pub written_term: String,
    /// Whether `written_term` is acre's suggestion for a point outside every band.
    pub written_term_suggested: bool,
    /// Gap and interval notes.
    pub term_note: Option<String>,
    /// Monte Carlo probability of each band, in yardstick order, then `(gap)`.
    pub band_probabilities: indexmap::IndexMap<String, f64>,
}

/// One group of hypotheses: its numbers as a hypothesis's, and what it holds.
#[derive(Serialize, schemars::JsonSchema)]
pub struct GroupJson {
    /// The numbers.
    #[serde(flatten)]
    pub numbers: HypothesisJson,
    /// Its direct members (hypotheses or groups), as listed.
    pub members: Vec<String>,
    /// Every hypothesis under it.
    pub hypotheses: Vec<String>,
    /// The group it is a member of.
    pub parent: Option<String>,
}

/// One assumption.
#[derive(Serialize, schemars::JsonSchema)]
pub struct AssumptionJson {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Before the evidence.
    pub prior: f64,
    /// After the evidence.
    pub posterior: f64,
    /// 5th percentile of the posterior.
    pub p05: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Words for the posterior.
    pub words: String,
}

/// `acre assess --format json`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct AssessJson {
    /// The case.
    pub case: CaseJson,
    /// The governing yardstick's name.
    pub yardstick: String,
    /// Hypotheses in case order.
    pub hypotheses: Vec<HypothesisJson>,
    /// Groups of hypotheses in case order, each the sum of its members (empty when the case
    /// declares none).
    pub groups: Vec<GroupJson>,
    /// The hypothesis with the highest point posterior.
    pub leading: String,
    /// Assumptions.
    pub assumptions: Vec<AssumptionJson>,
    /// Analytic confidence.
    pub confidence: crate::infer::Confidence,
    /// Expectations written in the case.
    pub expectations: Vec<crate::infer::ExpectationResult>,
    /// Natural log of P(E).
    pub log_evidence: f64,
    /// How the bounds were found.
    pub bounds_method: crate::infer::bounds::Method,
    /// Monte Carlo samples drawn (0 when no input is banded).
    pub samples: usize,
    /// The most that were allowed; drawing stops once the percentiles have settled.
    pub samples_requested: usize,
    /// Draws whose evidence was impossible.
    pub impossible_samples: usize,
    /// Seed.
    pub seed: u64,
    /// Why the default draws were lowered (or none made) for this case, when they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draws_limited: Option<String>,
    /// How well the draws know their figures (absent without draws).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub least_settled: Option<LeastSettledJson>,
    /// The case's judgments against the numbers (empty when it has none).
    pub judgments: Vec<crate::review::JudgmentCheck>,
}

/// The figure the Monte Carlo draws know least well.
#[derive(Serialize, schemars::JsonSchema)]
pub struct LeastSettledJson {
    /// The largest half-width of a 95% confidence interval of any reported percentile
    /// shown (the 5th and 95th), as a probability; below 0.005 the draws stopped because
    /// every figure shown (in whole points) was known to half a point.
    pub half_width: f64,
    /// The hypothesis or assumption it belongs to.
    pub of: String,
}

/// The JSON document (shape documented in the README).
pub fn json(case: &Case, a: &Assessment, file: &str) -> AssessJson {
    let y = &case.yardstick;
    AssessJson {
        case: CaseJson {
            title: case.title.clone(),
            question: case.question.clone(),
            file: file.to_string(),
            event: case.event.clone(),
            assessed: case.assessed.clone(),
            analysts: case.analysts.clone(),
            outcome: case
                .outcome
                .as_ref()
                .map(|o| case.proposition_id(o.proposition).to_string()),
        },
        yardstick: y.name.clone(),
        hypotheses: a.hypotheses.iter().map(|r| hypothesis_json(y, r)).collect(),
        groups: case
            .groups
            .iter()
            .zip(&a.groups)
            .map(|(g, r)| GroupJson {
                numbers: hypothesis_json(y, r),
                members: g
                    .members
                    .iter()
                    .map(|m| case.proposition_id(*m).to_string())
                    .collect(),
                hypotheses: g
                    .hypotheses
                    .iter()
                    .map(|h| case.hypotheses[h.idx()].id.clone())
                    .collect(),
                parent: g.parent.map(|p| case.groups[p.idx()].id.clone()),
            })
            .collect(),
        leading: a.hypotheses[a.leading].id.clone(),
        assumptions: a
            .assumptions
            .iter()
            .map(|r| AssumptionJson {
                id: r.id.clone(),
                label: r.label.clone(),
                prior: r.prior,
                posterior: r.posterior,
                p05: r.p05,
                p95: r.p95,
                words: words::place(y, r.posterior).words,
            })
            .collect(),
        confidence: a.confidence.clone(),
        expectations: a.expectations.clone(),
        log_evidence: a.log_evidence,
        bounds_method: a.bounds_method,
        samples: a.samples,
        draws_limited: a.draws_limited.clone(),
        samples_requested: a.samples_requested,
        impossible_samples: a.impossible_samples,
        seed: a.seed,
        least_settled: a.least_settled.as_ref().map(|(u, of)| LeastSettledJson {
            half_width: *u,
            of: of.clone(),
        }),
        judgments: Vec::new(),
    }
}

/// A hypothesis's or group's numbers in JSON.
fn hypothesis_json(
    y: &crate::lexicon::Yardstick,
    r: &crate::infer::HypothesisResult,
) -> HypothesisJson {
    HypothesisJson {
        id: r.id.clone(),
        label: r.label.clone(),
        prior: r.prior,
        posterior: PosteriorJson {
            point: r.point,
            lower: r.lower,
            upper: r.upper,
            mean: r.mean,
            p05: r.p05,
            p50: r.p50,
            p95: r.p95,
        },
        term: r.placement.band.map(|i| y.terms[i].name.clone()),
        term_band: r.placement.band.map(|i| [y.terms[i].lo, y.terms[i].hi]),
        words: r.placement.words.clone(),
        written_term: y.terms[r.placement.written].name.clone(),
        written_term_suggested: r.placement.outside_bands(),
        term_note: r.term_note.clone(),
        band_probabilities: r.band_probabilities.iter().cloned().collect(),
    }
}

/// The case's judgments against the numbers, for the end of the text report.
pub fn judgments_text(case: &Case, checks: &[crate::review::JudgmentCheck]) -> String {
    if checks.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nJudgments in the case\n");
    for c in checks {
        let h = case
            .judgments
            .iter()
            .find(|j| j.id == c.id)
            .map_or("", |j| case.proposition_id(j.proposition));
        out.push_str(&format!(
            "  {:<10} {}: claims {h} {}; the numbers give {}, 90% interval {}\n",
            c.verdict,
            c.id,
            c.claimed,
            crate::infer::words::stated(&case.yardstick, c.point),
            whole_interval(c.p05, c.p95)
        ));
    }
    out
}

/// How many Monte Carlo samples were drawn, and why no more: "none needed (no banded
/// input)", "512 samples, seed 1 (settled: every figure shown known to half a point with
/// 95% confidence; up to 10,000 allowed)".
pub fn monte_carlo_text(a: &Assessment) -> String {
    if let Some(why) = &a.draws_limited
        && a.samples == 0
    {
        return why.clone();
    }
    if a.samples == 0
        && a.samples_requested > 0
        && a.bounds_method == crate::infer::bounds::Method::Point
    {
        return "no draws needed (no banded input: every draw would be the point)".to_string();
    }
    if a.samples < a.samples_requested {
        let limited = a
            .draws_limited
            .as_ref()
            .map_or(String::new(), |why| format!("; {why}"));
        return format!(
            "{} samples, seed {} (settled: every figure shown known to half a point with 95% confidence; up to {} allowed{limited})",
            a.samples, a.seed, a.samples_requested
        );
    }
    // every allowed draw was made: say how well they know the figures when not to the
    // printed digit
    let unsettled = a
        .least_settled
        .as_ref()
        .filter(|(u, _)| *u >= crate::infer::monte_carlo::SETTLED)
        .map(|(u, of)| {
            let known = format!(
                "the figures shown are known to within {} points with 95% confidence, {of}'s least",
                points(*u)
            );
            if a.draws_limited.is_some() {
                known
            } else {
                format!("the limit, not settled: {known}; ask for more with --samples N")
            }
        });
    let notes: Vec<&str> = [a.draws_limited.as_deref(), unsettled.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if notes.is_empty() {
        format!("{} samples, seed {}", a.samples, a.seed)
    } else {
        format!(
            "{} samples, seed {} ({})",
            a.samples,
            a.seed,
            notes.join("; ")
        )
    }
}

/// A probability difference `u` in percentage points, to two significant digits.
fn points(u: f64) -> String {
    let x = u * 100.0;
    match x {
        x if x < 1.0 => format!("{x:.2}"),
        x if x < 10.0 => format!("{x:.1}"),
        x => format!("{x:.0}"),
    }
}
