//! `acre lexicon fit SURVEY.csv`: what words mean to readers, fitted from a survey.

use super::{Exit, Term, io, table, yardstick_named};
use acre::calibrate::lexicon_fit as lf;
use std::path::Path;

/// Output formats of `acre lexicon fit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// The fits as data.
    Json,
}

/// Fits a Beta to each phrase of a survey; compares readers with official yardsticks;
/// writes the fitted lexicon as a yardstick when `output` is given.
pub fn fit(
    t: &mut Term,
    survey: &Path,
    output: Option<&Path>,
    name: &str,
    compare: &[String],
    scale: Option<lf::Scale>,
    format: Format,
) {
    let mut yardsticks = Vec::new();
    for c in compare {
        match yardstick_named(c, &[]) {
            Ok(y) => yardsticks.push(y),
            Err(e) => {
                t.fail(&e, Exit::Usage);
                return;
            }
        }
    }
    let Some(table) = table::read(t, survey) else {
        return;
    };
    let survey_read = match lf::survey_from_table(&table, scale) {
        Ok(r) => r,
        Err(e) => {
            t.fail(&e, Exit::Findings);
            return;
        }
    };
    let (fits, unfitted) = lf::fit_all(&survey_read.readings);
    let departures = lf::departures(&fits, &yardsticks);
    if let Some(path) = output {
        let text = lf::to_case_syntax(
            name,
            &format!("Readers' lexicon fitted to {}", survey.display()),
            &format!("acre lexicon fit on {}", survey.display()),
            &fits,
        );
        if let Err(e) = io::write(path, text.as_bytes(), &[survey]) {
            t.fail(&e, Exit::Usage);
            return;
        }
    }
    let json = acre::report::calibrate::LexiconJson {
        scale: survey_read.scale,
        scale_detected: survey_read.detected,
        phrases: fits,
        unfitted,
        bad_readings: survey_read.bad,
        departures,
    };
    match format {
        Format::Text => t.out(&acre::report::calibrate::lexicon_text(&json)),
        Format::Json => t.json(&json),
    }
}
