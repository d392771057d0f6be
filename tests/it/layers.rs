//! The layers of `src/lib.rs` hold: every `crate::` path in a library module names a module
//! on a line above its own in the list under "## Layers", and within a folder no file
//! imports a file that imports it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// Each top-level module's line in `src/lib.rs`'s layer list.
fn layers() -> BTreeMap<String, usize> {
    let lib = std::fs::read_to_string(Path::new(SRC).join("lib.rs")).unwrap();
    let section = lib
        .split("//! ## Layers")
        .nth(1)
        .expect("src/lib.rs has a `## Layers` section")
        .split("//! ##")
        .next()
        .unwrap();
    let mut floors = BTreeMap::new();
    for line in section.lines() {
        let line = line.trim_start_matches("//!").trim();
        let Some((number, modules)) = line.split_once(". ") else {
            continue;
        };
        let Ok(floor) = number.parse::<usize>() else {
            continue;
        };
        for m in modules.split(',') {
            floors.insert(m.trim().trim_matches('`').to_string(), floor);
        }
    }
    floors
}

/// The library's source files, with their module path (`["review", "rules", "vague_term"]`).
fn library_files() -> Vec<(PathBuf, Vec<String>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new(SRC), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(SRC).unwrap().with_extension("");
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // the binary (main.rs, cli/) and the crate root are no library modules
            let top = parts[0].as_str();
            (top != "main" && top != "cli" && top != "lib").then_some((p, parts))
        })
        .collect()
}

/// A file's code: without comments, and without its unit tests (which may build cases
/// from any layer).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers that follow each occurrence of `prefix` in `code`.
fn names_after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    code.match_indices(prefix)
        .filter(|(at, _)| {
            !code[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        })
        .map(|(at, _)| {
            let rest = &code[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn no_module_imports_a_higher_layer() {
    let floors = layers();
    let mut wrong = Vec::new();
    for (path, parts) in library_files() {
        let own = &parts[0];
        let Some(&floor) = floors.get(own) else {
            wrong.push(format!("`{own}` is in no layer of src/lib.rs"));
            continue;
        };
        for name in names_after(&code(&path), "crate::") {
            if name == own.as_str() || name.is_empty() {
                continue;
            }
            match floors.get(name) {
                Some(&f) if f < floor => {}
                Some(&f) => wrong.push(format!(
                    "{} (layer {floor}) imports `{name}` (layer {f})",
                    path.display()
                )),
                None => wrong.push(format!(
                    "{} imports `{name}`, which is in no layer",
                    path.display()
                )),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_imports_a_file_that_imports_it() {
    let files = library_files();
    let mut wrong = Vec::new();
    for (path, parts) in &files {
        if parts.len() < 2 {
            continue;
        }
        // the parent's file: src/review.rs for src/review/read.rs
        let parent_path = path.parent().unwrap().with_extension("rs");
        let Ok(_) = std::fs::metadata(&parent_path) else {
            continue;
        };
        let child = parts.last().unwrap().as_str();
        let parent_mod = parts[..parts.len() - 1].join("::");
        let child_code = code(path);
        let up = child_code.contains("super::")
            && !child_code.contains("super::super")
            && names_after(&child_code, "super::")
                .iter()
                .any(|n| !is_sibling(path, n))
            || names_after(&child_code, &format!("crate::{parent_mod}::"))
                .iter()
                .any(|n| !is_sibling(path, n));
        let parent_code = code(&parent_path);
        let parent_uses_child = !names_after(&parent_code, &format!("{child}::")).is_empty();
        if up && parent_uses_child {
            wrong.push(format!(
                "{} and {} import each other",
                path.display(),
                parent_path.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Whether `name` is a sibling module of the file at `path` (a file or folder beside it).
fn is_sibling(path: &Path, name: &str) -> bool {
    let dir = path.parent().unwrap();
    dir.join(format!("{name}.rs")).exists() || dir.join(name).is_dir()
}

#[test]
fn the_layer_list_knows_every_module() {
    let floors = layers();
    for (_, parts) in library_files() {
        assert!(
            floors.contains_key(&parts[0]),
            "add `{}` to the layers of src/lib.rs",
            parts[0]
        );
    }
    // the list is read: a dozen modules on nine lines
    assert!(floors.len() >= 20, "{floors:?}");
    assert!(floors["span"] < floors["syntax"] && floors["infer"] < floors["report"]);
}
