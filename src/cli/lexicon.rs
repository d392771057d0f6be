//! `acre lexicon fit SURVEY.csv`: what words mean to readers, fitted from a survey.

use super::{Exit, Term, io, table};
use acre::analysis::yardstick_named;
use acre::calibrate::lexicon_fit as lf;
use std::path::PathBuf;

/// Output formats of `acre lexicon fit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// The fits as data.
    Json,
}

/// `acre lexicon fit`'s arguments.
#[derive(clap::Args)]
pub struct FitArgs {
    /// The survey.
    pub survey: PathBuf,
    /// Write the fitted lexicon as a yardstick, in case-file syntax.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Name of the written yardstick.
    #[arg(long, default_value = "readers")]
    pub name: String,
    /// Official yardsticks to compare readers with.
    #[arg(long, default_values_t = ["phia".to_string(), "icd203".to_string()])]
    pub compare: Vec<String>,
    /// The scale of the readings: `0-1` or `0-100` (default: detected from the whole file).
    #[arg(long, value_parser = parse_scale)]
    pub scale: Option<lf::Scale>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Reads `--scale`.
fn parse_scale(text: &str) -> Result<lf::Scale, String> {
    match text {
        "0-1" | "1" => Ok(lf::Scale::Unit),
        "0-100" | "100" | "percent" => Ok(lf::Scale::Percent),
        t => Err(format!("`{t}` is not a scale (use `0-1` or `0-100`)")),
    }
}

/// Fits a Beta to each phrase of a survey; compares readers with official yardsticks;
/// writes the fitted lexicon as a yardstick when `--output` is given.
pub fn fit(t: &mut Term, args: &FitArgs) {
    let (survey, output, name, compare, scale, format) = (
        args.survey.as_path(),
        args.output.as_deref(),
        args.name.as_str(),
        &args.compare,
        args.scale,
        args.format,
    );
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
