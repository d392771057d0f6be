//! Turning written values into bands: numbers, percentages, intervals,
//! yardstick terms and likelihood-ratio strengths.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::lexicon::{self, RatioScale, Yardstick};
use crate::model::{Origin, Value};
use crate::span::Span;
use crate::syntax::ast::Prob;

use crate::lexicon::TERM_EDGE;

/// The value of a plain number or percentage.
pub fn plain(p: &Prob) -> Option<f64> {
    match p {
        Prob::Number { value, .. } | Prob::Percent { value, .. } => Some(*value),
        _ => None,
    }
}

pub(super) struct ValueResolver {
    pub(super) yardstick: Yardstick,
    others: Vec<Yardstick>,
    ratio_scale: RatioScale,
    /// First use of each ICD 203 row.
    rows_used: [Option<Span>; 2],
    /// Shared names per (yardstick slot, term): slot 0 is the governing yardstick, then `others`.
    origins: rustc_hash::FxHashMap<(usize, usize), Origin>,
    pub diags: Vec<Diagnostic>,
}

impl ValueResolver {
    pub fn new(yardstick: Yardstick, customs: Vec<Yardstick>) -> Self {
        let mut others: Vec<Yardstick> = customs
            .into_iter()
            .filter(|y| y.name != yardstick.name)
            .collect();
        others.extend(
            lexicon::builtin_yardsticks()
                .into_iter()
                .filter(|y| y.name != yardstick.name),
        );
        ValueResolver {
            yardstick,
            others,
            ratio_scale: lexicon::enfsi(),
            rows_used: [None, None],
            origins: rustc_hash::FxHashMap::default(),
            diags: Vec::new(),
        }
    }

    fn out_of_range(&mut self, span: Span, value: f64) {
        self.diags.push(
            Diagnostic::error(
                Code::ProbabilityOutOfRange,
                format!("{} is not a probability", crate::format::trim_float(value)),
            )
            .with_label(span, "outside 0 to 1")
            .with_help("probabilities are numbers from 0 to 1 (`0.7`) or percentages from 0% to 100% (`70%`)"),
        );
    }

    fn number(&mut self, p: &Prob) -> Option<f64> {
        let v = plain(p)?;
        if !(0.0..=1.0).contains(&v) {
            if let Prob::Number { value, span } = p
                && *value > 1.0
                && *value <= 100.0
            {
                self.diags.push(
                    Diagnostic::error(
                        Code::ProbabilityOutOfRange,
                        format!("{value} is not a probability"),
                    )
                    .with_label(*span, "outside 0 to 1")
                    .with_fix(*span, format!("{value}%"))
                    .with_help(format!(
                        "did you mean `{value}%`? Plain numbers are fractions from 0 to 1"
                    )),
                );
                return None;
            }
            self.out_of_range(p.span(), v);
            return None;
        }
        Some(v)
    }

    /// A probability: number, percentage, interval or term.
    pub fn probability(&mut self, p: &Prob) -> Option<Value> {
        match p {
            Prob::Number { span, .. } | Prob::Percent { span, .. } => self
                .number(p)
                .map(|v| Value::exact(v, Origin::Number, *span)),
            Prob::Interval { lo, hi, span } => {
                let (lo, hi) = (self.number(lo)?, self.number(hi)?);
                if lo > hi {
                    self.diags.push(
                        Diagnostic::error(
                            Code::InvertedInterval,
                            "the interval's lower end is above its upper end",
                        )
                        .with_label(*span, "lower end first")
                        .with_help(format!(
                            "write `{}..{}`",
                            crate::format::trim_float(hi),
                            crate::format::trim_float(lo)
                        )),
                    );
                    return None;
                }
                Some(Value {
                    point: (lo + hi) / 2.0,
                    lo,
                    hi,
                    beta: None,
                    origin: Origin::Interval,
                    span: *span,
                })
            }
            Prob::Term { phrase, span } => self.term(phrase, *span),
            Prob::Rest { span } => {
                self.diags.push(
                    Diagnostic::error(
                        Code::MisplacedRest,
                        "`rest` is only for a hypothesis's prior",
                    )
                    .with_label(*span, "not a hypothesis prior")
                    .with_help("give a number, a percentage or a term here"),
                );
                None
            }
        }
    }

    /// The value of term `idx` of yardstick `slot` (0: the governing one, then the others).
    fn term_value(&mut self, slot: usize, idx: usize, span: Span) -> Option<Value> {
        let yardstick = if slot == 0 {
            &self.yardstick
        } else {
            self.others.get(slot - 1)?
        };
        let term = yardstick.term(idx)?;
        let clamp = |x: f64| x.clamp(TERM_EDGE, 1.0 - TERM_EDGE);
        // names are shared, so a large case does not copy them for every use
        let origin = self
            .origins
            .entry((slot, idx))
            .or_insert_with(|| Origin::Term {
                yardstick: yardstick.name.as_str().into(),
                term: term.name.as_str().into(),
            })
            .clone();
        Some(Value {
            point: clamp(term.point),
            lo: clamp(term.lo),
            hi: clamp(term.hi),
            beta: term.beta,
            origin,
            span,
        })
    }

    fn term(&mut self, phrase: &str, span: Span) -> Option<Value> {
        if let Some(m) = self.yardstick.find(phrase) {
            if let Some(row) = m.row {
                let slot = &mut self.rows_used[usize::from(row.min(1))];
                if slot.is_none() {
                    *slot = Some(span);
                }
            }
            return self.term_value(0, m.term_idx, span);
        }
        if self.not_a_term(phrase, span) {
            return None;
        }
        if let Some((slot, m)) = self
            .others
            .iter()
            .enumerate()
            .find_map(|(i, y)| y.find(phrase).map(|m| (i + 1, m)))
        {
            let value = self.term_value(slot, m.term_idx, span)?;
            let y = &self.others[slot - 1];
            let nearest = self
                .yardstick
                .terms
                .iter()
                .min_by(|a, b| {
                    (a.point - value.point)
                        .abs()
                        .total_cmp(&(b.point - value.point).abs())
                })
                .map(|t| format!("`{}` ({})", t.name, t.band_text()))
                .unwrap_or_default();
            self.diags.push(
                Diagnostic::warning(
                    Code::ForeignTerm,
                    format!(
                        "`{phrase}` is a term of the {} yardstick, not of {}",
                        y.name, self.yardstick.name
                    ),
                )
                .with_label(span, format!("read with its {} band", y.name))
                .with_help(format!(
                    "the case's yardstick is {}; its nearest term is {nearest}",
                    self.yardstick.name
                )),
            );
            return Some(value);
        }
        self.unknown_term(phrase, span);
        None
    }

    fn not_a_term(&mut self, phrase: &str, span: Span) -> bool {
        let Some((_, nearest, why)) = lexicon::known_non_terms()
            .iter()
            .find(|(p, _, _)| *p == phrase)
        else {
            return false;
        };
        let nearest = self
            .yardstick
            .find(nearest)
            .and_then(|m| self.yardstick.term(m.term_idx));
        let help = match nearest {
            Some(t) => format!("did you mean `{}` ({})?", t.name, t.band_text()),
            None => format!("use a term of the {} yardstick", self.yardstick.name),
        };
        let fix = nearest.map(|t| t.name.clone());
        self.diags.push(
            Diagnostic::error(
                Code::NotATerm,
                format!("`{phrase}` is not a yardstick term"),
            )
            .with_label(span, why.to_string())
            .with_fix_if(span, fix)
            .with_help(help),
        );
        true
    }

    fn unknown_term(&mut self, phrase: &str, span: Span) {
        let mut fix = None;
        let help = if ["nan", "inf", "infinity"].contains(&phrase) {
            "write a number from 0 to 1, a percentage, or a yardstick term".to_string()
        } else {
            let own = crate::text::suggest(phrase, self.yardstick.wordings().map(|(w, _)| w));
            let any = own.or_else(|| {
                crate::text::suggest(
                    phrase,
                    self.others
                        .iter()
                        .flat_map(|y| y.wordings().map(|(w, _)| w)),
                )
            });
            fix = any.map(str::to_string);
            match any {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the {} terms are: {}",
                    self.yardstick.name,
                    self.yardstick.term_names()
                ),
            }
        };
        self.diags.push(
            Diagnostic::error(
                Code::UnknownTerm,
                format!("unknown probability term `{phrase}`"),
            )
            .with_label(
                span,
                format!("not a term of the {} yardstick", self.yardstick.name),
            )
            .with_fix_if(span, fix)
            .with_help(help),
        );
    }

    /// A term that must belong to the case's own yardstick (judgments, expectations).
    pub fn term_of_yardstick(&mut self, p: &Prob) -> Option<usize> {
        let Prob::Term { phrase, span } = p else {
            return None;
        };
        if let Some(m) = self.yardstick.find(phrase) {
            return Some(m.term_idx);
        }
        if self.not_a_term(phrase, *span) {
            return None;
        }
        if let Some(y) = self.others.iter().find(|y| y.find(phrase).is_some()) {
            self.diags.push(
                Diagnostic::error(
                    Code::ForeignTerm,
                    format!(
                        "`{phrase}` is a term of the {} yardstick, not of {}",
                        y.name, self.yardstick.name
                    ),
                )
                .with_label(
                    *span,
                    "judgments and expectations use the case's own yardstick",
                )
                .with_help(format!("use one of: {}", self.yardstick.term_names())),
            );
            return None;
        }
        self.unknown_term(phrase, *span);
        None
    }

    /// A likelihood ratio: a positive number, an interval, or a strength word.
    pub fn ratio(&mut self, p: &Prob) -> Option<Value> {
        let positive = |v: f64| v.is_finite() && v > 0.0;
        match p {
            Prob::Number { value, span } if positive(*value) => {
                Some(Value::exact(*value, Origin::Number, *span))
            }
            Prob::Interval { lo, hi, span } => {
                let (lo, hi) = (plain(lo)?, plain(hi)?);
                if !(positive(lo) && positive(hi) && lo <= hi) {
                    self.invalid_ratio(*span);
                    return None;
                }
                Some(Value {
                    // the geometric mean, in logs: lo * hi overflows from 1e154 up
                    point: ((lo.ln() + hi.ln()) / 2.0).exp().clamp(lo, hi),
                    lo,
                    hi,
                    beta: None,
                    origin: Origin::Interval,
                    span: *span,
                })
            }
            Prob::Term { phrase, span } => match self.ratio_scale.find(phrase) {
                Some(idx) => {
                    let step = &self.ratio_scale.steps[idx];
                    Some(Value {
                        point: step.point(),
                        lo: step.lo,
                        hi: step.hi,
                        beta: None,
                        origin: Origin::Strength {
                            step: step.name.clone(),
                        },
                        span: *span,
                    })
                }
                None => {
                    let words: Vec<&str> = self
                        .ratio_scale
                        .steps
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect();
                    let suggestion = crate::text::suggest(phrase, words.iter().copied());
                    let help = match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("strengths are: {}", words.join(", ")),
                    };
                    self.diags.push(
                        Diagnostic::error(
                            Code::UnknownStrength,
                            format!("unknown strength `{phrase}`"),
                        )
                        .with_label(*span, "not a step of the ENFSI likelihood-ratio scale")
                        .with_fix_if(*span, suggestion)
                        .with_help(help),
                    );
                    None
                }
            },
            _ => {
                self.invalid_ratio(p.span());
                None
            }
        }
    }

    fn invalid_ratio(&mut self, span: Span) {
        self.diags.push(
            Diagnostic::error(Code::InvalidRatio, "a likelihood ratio must be a positive number")
                .with_label(span, "not a positive likelihood ratio")
                .with_help("write a number such as `50`, an interval `10..100`, or a strength such as `moderate`"),
        );
    }

    /// Under ICD 203, mixing its two rows of words needs the `rows-equivalent` disclaimer.
    pub fn check_rows(&mut self, rows_equivalent: bool, diags: &mut Vec<Diagnostic>) {
        if let [Some(a), Some(b)] = self.rows_used
            && !rows_equivalent
        {
            let rows = &self.yardstick.rows;
            let row = |i: usize| rows.get(i).map_or("another", String::as_str).to_string();
            diags.push(
                    Diagnostic::error(Code::MixedRows, format!("this case mixes the {} and {} rows of {}", row(0), row(1), self.yardstick.name))
                        .with_label(a, format!("{} row", row(0)))
                        .with_label(b, format!("{} row", row(1)))
                        .with_help("ICD 203 says not to mix its rows; use one row, or add `rows-equivalent` to the case header to state they mean the same"),
                );
        }
    }
}
