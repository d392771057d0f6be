//! The case header, custom yardsticks and the grading table.

use super::*;

/// What the case header says.
pub(super) struct Header {
    /// The governing yardstick (PHIA when the header names none).
    pub yardstick: Yardstick,
    /// `rows-equivalent`.
    pub rows_equivalent: bool,
    /// The title.
    pub title: String,
    /// `question`.
    pub question: Option<String>,
    /// `event`.
    pub event: Option<String>,
    /// `assessed`.
    pub assessed: Option<String>,
    /// `analyst`.
    pub analysts: Vec<String>,
    /// `summary`.
    pub summary: Option<String>,
}

impl Checker<'_> {
    pub(super) fn header(
        &mut self,
        header: Option<&ast::CaseHeader>,
        customs: &[Yardstick],
    ) -> Header {
        let mut yardstick = lexicon::builtin_yardstick("phia");
        let mut rows_equivalent = false;
        let mut title = String::new();
        let (mut question, mut event, mut assessed, mut summary) = (None, None, None, None);
        let mut analysts = Vec::new();
        match header {
            None => {
                let span = self
                    .file
                    .items
                    .first()
                    .map_or(Span::new(0, 0), AstItem::span);
                self.diags.push(
                    Diagnostic::warning(Code::NoCaseHeader, "this file has no `case` header")
                        .with_label(span, "the case starts here")
                        .with_help("start the file with `case \"Title\" { question \"...\" yardstick phia }`; the PHIA yardstick is assumed"),
                );
            }
            Some(h) => {
                title = h
                    .title
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_default();
                for field in &h.fields {
                    match field {
                        CaseField::Question(t) => question = Some(t.value.clone()),
                        CaseField::Yardstick(id) => {
                            let found = customs
                                .iter()
                                .find(|y| y.name == id.name)
                                .cloned()
                                .or_else(|| lexicon::builtin_yardstick(&id.name));
                            if found.is_none() {
                                let mut names: Vec<String> = lexicon::builtin_yardsticks()
                                    .into_iter()
                                    .map(|y| y.name)
                                    .collect();
                                names.extend(customs.iter().map(|y| y.name.clone()));
                                let suggestion = crate::text::suggest(
                                    &id.name,
                                    names.iter().map(String::as_str),
                                );
                                let help = match &suggestion {
                                    Some(s) => format!("did you mean `{s}`?"),
                                    None => format!("known yardsticks: {}", names.join(", ")),
                                };
                                self.diags.push(
                                    Diagnostic::error(
                                        Code::UnknownYardstick,
                                        format!("unknown yardstick `{}`", id.name),
                                    )
                                    .with_label(
                                        id.span,
                                        "not built in and not declared in this file",
                                    )
                                    .with_fix_if(id.span, suggestion)
                                    .with_help(help),
                                );
                            }
                            yardstick = found.or(yardstick);
                        }
                        CaseField::Event(d) => event = Some(self.date(d)),
                        CaseField::Assessed(d) => assessed = Some(self.date(d)),
                        CaseField::Analysts(list) => {
                            analysts.extend(list.iter().map(|t| t.value.clone()))
                        }
                        CaseField::Summary(t) => summary = Some(t.value.clone()),
                        CaseField::Note(_) => {}
                        CaseField::RowsEquivalent(_) => rows_equivalent = true,
                    }
                }
            }
        }
        let yardstick = yardstick.unwrap_or_else(|| lexicon::builtin_yardsticks().remove(0));
        Header {
            yardstick,
            rows_equivalent,
            title,
            question,
            event,
            assessed,
            analysts,
            summary,
        }
    }

    pub(super) fn date(&mut self, d: &ast::DateLit) -> String {
        let parts: Vec<&str> = d.text.split('-').collect();
        let ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m)),
            [y, m, day] => {
                y.len() == 4
                    && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
                    && day.parse::<u32>().is_ok_and(|x| (1..=31).contains(&x))
            }
            _ => false,
        };
        if !ok {
            self.diags.push(
                Diagnostic::error(
                    Code::InvalidDate,
                    format!("`{}` is not a valid date", d.text),
                )
                .with_label(d.span, "expected a year, year-month or year-month-day")
                .with_help("write dates as `2024-03-25`, `2024-03` or `2024`"),
            );
        }
        d.text.clone()
    }

    pub(super) fn custom_yardstick(&mut self, d: &ast::YardstickDecl) -> Option<Yardstick> {
        let mut terms = Vec::new();
        let mut ok = true;
        for t in &d.terms {
            let band = match &t.band {
                Some(Prob::Interval { lo, hi, .. }) => values::plain(lo).zip(values::plain(hi)),
                Some(p @ (Prob::Number { .. } | Prob::Percent { .. })) => {
                    values::plain(p).map(|v| (v, v))
                }
                _ => None,
            };
            let Some((lo, hi)) = band.filter(|(lo, hi)| {
                (0.0..=1.0).contains(lo) && (0.0..=1.0).contains(hi) && lo <= hi
            }) else {
                let span = t.band.as_ref().map_or(t.span, Prob::span);
                self.diags.push(
                    Diagnostic::error(
                        Code::InvalidBand,
                        format!("term `{}` needs a band within 0-100%", t.name.value),
                    )
                    .with_label(span, "not a band from 0 to 1 with its lower end first")
                    .with_help("write the band as an interval, e.g. `term \"likely\" 55%..75%`"),
                );
                ok = false;
                continue;
            };
            let mut term =
                lexicon::Term::new(&lexicon::normalize_phrase(&t.name.value), &[], lo, hi);
            term.synonyms = t
                .aliases
                .iter()
                .map(|a| lexicon::normalize_phrase(&a.value))
                .collect();
            if let Some(p) = &t.point {
                match values::plain(p) {
                    Some(v) if v >= lo && v <= hi => term.point = v,
                    _ => {
                        self.diags.push(
                            Diagnostic::error(
                                Code::PointOutsideBand,
                                format!("the point of `{}` lies outside its band", t.name.value),
                            )
                            .with_label(
                                p.span(),
                                format!("band is {}", crate::format::format_band(lo, hi)),
                            )
                            .with_help("choose a point inside the band"),
                        );
                        ok = false;
                    }
                }
            }
            if let Some((a, b, span)) = t.beta {
                if a > 0.0 && b > 0.0 {
                    term.beta = Some((a, b));
                } else {
                    self.diags.push(
                        Diagnostic::error(
                            Code::InvalidBeta,
                            "Beta parameters must both be positive",
                        )
                        .with_label(span, "not a Beta distribution")
                        .with_help(
                            "write `beta ALPHA BETA` with two positive numbers, e.g. `beta 13 7`",
                        ),
                    );
                    ok = false;
                }
            }
            terms.push(term);
        }
        if terms.is_empty() && ok {
            self.diags.push(
                Diagnostic::error(
                    Code::EmptyYardstick,
                    format!("yardstick `{}` defines no terms", d.id.name),
                )
                .with_label(d.id.span, "no `term` lines")
                .with_help("add terms like `term \"likely\" 55%..75%`"),
            );
            return None;
        }
        terms.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        ok.then(|| Yardstick {
            name: d.id.name.clone(),
            title: d
                .title
                .as_ref()
                .map_or_else(|| d.id.name.clone(), |t| t.value.clone()),
            source: d.source.as_ref().map_or_else(
                || "declared in the case file".to_string(),
                |t| t.value.clone(),
            ),
            note: String::new(),
            terms,
            rows: Vec::new(),
        })
    }

    pub(super) fn grading(&mut self) -> Grading {
        let mut grading = lexicon::admiralty();
        for item in &self.file.items {
            let AstItem::Grading(g) = item else { continue };
            for entry in &g.entries {
                let idx = match entry.axis {
                    ast::Axis::Reliability => {
                        single_letter(&entry.grade.text).and_then(lexicon::reliability_index)
                    }
                    ast::Axis::Credibility => entry
                        .grade
                        .text
                        .parse::<u8>()
                        .ok()
                        .and_then(lexicon::credibility_index),
                };
                let Some(idx) = idx else {
                    self.invalid_grade(&entry.grade, entry.axis);
                    continue;
                };
                let Some(v) = values::plain(&entry.value).filter(|v| (0.0..=1.0).contains(v))
                else {
                    self.diags.push(
                        Diagnostic::error(
                            Code::ProbabilityOutOfRange,
                            "a grading value must be a probability from 0 to 1",
                        )
                        .with_label(entry.value.span(), "not a number from 0 to 1")
                        .with_help("write e.g. `reliability B 0.85` or `credibility 3 70%`"),
                    );
                    continue;
                };
                match entry.axis {
                    ast::Axis::Reliability => grading.reliability[idx] = v,
                    ast::Axis::Credibility => grading.credibility[idx] = v,
                }
            }
        }
        grading
    }

    pub(super) fn invalid_grade(&mut self, grade: &ast::GradeLit, axis: ast::Axis) {
        let (what, help) = match axis {
            ast::Axis::Reliability => (
                "a reliability grade",
                "source reliability is a letter from A (completely reliable) to F (cannot be judged)",
            ),
            ast::Axis::Credibility => (
                "a credibility grade",
                "information credibility is a digit from 1 (confirmed) to 6 (cannot be judged)",
            ),
        };
        self.diags.push(
            Diagnostic::error(
                Code::InvalidGrade,
                format!("`{}` is not {what}", grade.text),
            )
            .with_label(grade.span, "invalid grade")
            .with_help(help),
        );
    }
}
