//! `acre pool A.acre B.acre ...`: several analysts' cases side by side, pooled, and where
//! they disagree.

use super::{Exit, Term, UsageError, analyse, io};
use acre::analysis::{Depth, Settings};
use acre::code::Code;
use acre::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// Output formats of `acre pool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// As data.
    Json,
}

/// `acre pool`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The analysts' case files (the same hypothesis ids).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A CSV of `file,weight` lines (default: equal weights).
    #[arg(long, value_name = "FILE.csv")]
    pub weights: Option<PathBuf>,
    /// Add the extremised logarithmic pool with this exponent (e.g. 1.5).
    #[arg(long, value_name = "D")]
    pub extremize: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also write a self-contained HTML page with the analysts on the yardstick.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
}

/// Pools the files.
pub fn run(t: &mut Term, args: &Args) {
    let mut names = Vec::new();
    let mut texts = Vec::new();
    let mut cases = Vec::new();
    for path in &args.files {
        let Some(analysis) = analyse(t, path, &Settings::new(Depth::Check)) else {
            return;
        };
        let (file, Some(case)) = (analysis.file, analysis.case) else {
            return;
        };
        names.push(file.name.clone());
        texts.push(file.text.clone());
        cases.push(case);
    }
    let mut stop = false;
    for m in acre::pool::mismatches(&names, &cases) {
        let d = if m.error {
            stop = true;
            Diagnostic::error(Code::PoolMismatch, m.message)
        } else {
            Diagnostic::warning(Code::PoolMismatch, m.message)
        }
        .with_help(
            "pooled files answer one question with the same hypothesis ids (priors may differ)",
        );
        t.fail(&d, if m.error { Exit::Findings } else { Exit::Ok });
    }
    if stop {
        return;
    }
    let weights = match &args.weights {
        Some(path) => match read_weights(t, path, &names) {
            Some(w) => Some(w),
            None => return,
        },
        None => None,
    };
    if let Some(d) = args.extremize
        && !(d.is_finite() && d > 0.0)
    {
        t.fail(
            &UsageError::Usage {
                message: format!("--extremize {d} is not a positive number"),
                help: Some(
                    "use d > 1 to extremise (1.5 to 2.5 is usual), d = 1 for the plain log pool"
                        .to_string(),
                ),
            },
            Exit::Usage,
        );
        return;
    }
    let pool = match acre::pool::pool(&names, &texts, &cases, weights.as_deref(), args.extremize) {
        Ok(p) => p,
        Err(e) => {
            t.fail(&e, Exit::Findings);
            return;
        }
    };
    let question = cases.first().and_then(|c| c.question.as_deref());
    match args.format {
        Format::Text => t.out(&acre::report::pool::text(&pool, question)),
        Format::Json => t.json(&pool),
    }
    if let Some(out) = &args.html {
        let page = acre::report::pool::html(&pool, &cases[0].yardstick, question);
        let inputs: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
        match io::write(out, page.as_bytes(), &inputs) {
            Ok(()) => t.err(&format!("wrote {}\n", out.display())),
            Err(e) => t.fail(&e, Exit::Usage),
        }
    }
}

/// Reads `file,weight` lines (a header line and `#` comments allowed); every file must
/// have a weight, matched by its path or its file name.
fn read_weights(t: &mut Term, path: &Path, names: &[String]) -> Option<Vec<f64>> {
    let file = t.read(path)?;
    let mut found: Vec<Option<f64>> = vec![None; names.len()];
    for (n, line) in file.text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((who, w)) = line.rsplit_once(',') else {
            return bad(t, path, n, "expected `file,weight`");
        };
        let Ok(w) = w.trim().parse::<f64>() else {
            if n == 0 {
                continue; // a header
            }
            return bad(t, path, n, "the weight is not a number");
        };
        if !(w.is_finite() && w >= 0.0) {
            return bad(t, path, n, "weights are numbers of 0 or more");
        }
        let who = who.trim().trim_matches('"');
        let short = |s: &str| {
            Path::new(s)
                .file_name()
                .map(|x| x.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        match names
            .iter()
            .position(|name| name == who || short(name) == short(who))
        {
            Some(i) => found[i] = Some(w),
            None => {
                return bad(
                    t,
                    path,
                    n,
                    &format!("`{who}` is not one of the pooled files"),
                );
            }
        }
    }
    if let Some(i) = found.iter().position(Option::is_none) {
        return bad(t, path, 0, &format!("no weight for {}", names[i]));
    }
    let weights: Vec<f64> = found.into_iter().flatten().collect();
    if weights.iter().sum::<f64>() <= 0.0 {
        return bad(t, path, 0, "the weights add up to 0");
    }
    Some(weights)
}

fn bad<T>(t: &mut Term, path: &Path, line: usize, why: &str) -> Option<T> {
    t.fail(
        &UsageError::Usage {
            message: format!("{}:{}: {why}", path.display(), line + 1),
            help: Some(
                "write one `file,weight` line per pooled file, e.g. `analyst-a.acre,0.5`"
                    .to_string(),
            ),
        },
        Exit::Usage,
    );
    None
}
