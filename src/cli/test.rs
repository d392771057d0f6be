//! `acre test FILE_OR_FOLDER...`: every case's `expect` lines, like a test suite.

use super::{Engine, Exit, Term, UsageError, analyse, io};
use acre::analysis::{Depth, Settings};
use std::path::PathBuf;

/// `acre test`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Case files or directories (searched for `.acre` files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub engine: Engine,
}

/// Runs the expectations of every case named (folders are walked for `.acre` files).
pub fn run(t: &mut Term, args: &Args) {
    let options = args.engine.into();
    let files = match io::expand(&args.paths, "acre") {
        Ok(f) => f,
        Err(e) => {
            t.fail(&e, Exit::Usage);
            return;
        }
    };
    if files.is_empty() {
        t.fail(
            &UsageError::Usage {
                message: "no `.acre` files found".to_string(),
                help: Some("name case files or folders that hold them".to_string()),
            },
            Exit::Usage,
        );
        return;
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in &files {
        let Some(case) = analyse(t, path, &Settings::new(Depth::Check)).and_then(|a| a.case) else {
            t.out(&format!(
                "case {} ... FAILED (does not check)\n",
                path.display()
            ));
            failed += 1;
            continue;
        };
        match acre::infer::assess(&case, &options) {
            Ok(a) => {
                if a.expectations.is_empty() {
                    t.out(&format!("case {} ... no expectations\n", path.display()));
                }
                for e in &a.expectations {
                    t.out(&format!(
                        "test {} :: {} ... {}\n",
                        path.display(),
                        e.text,
                        if e.met {
                            "ok".to_string()
                        } else {
                            format!("FAILED ({})", e.actual)
                        }
                    ));
                    if e.met { passed += 1 } else { failed += 1 }
                }
            }
            Err(e) => {
                t.fail(&e, Exit::Findings);
                t.out(&format!(
                    "case {} ... FAILED (cannot be assessed)\n",
                    path.display()
                ));
                failed += 1;
            }
        }
    }
    t.out(&format!("\n{passed} passed, {failed} failed\n"));
    if failed > 0 {
        t.raise(Exit::Findings);
    }
}
