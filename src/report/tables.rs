//! Plain-text tables.

use crate::format::{format_band, format_percent};
use crate::lexicon;

/// Left-aligned columns separated by two spaces.
pub fn columns(rows: &[Vec<String>]) -> String {
    let n_cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n_cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let pad = widths[c] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Every table acre knows, by name.
pub fn table_names() -> Vec<String> {
    let mut names: Vec<String> = lexicon::builtin_yardsticks()
        .into_iter()
        .map(|y| y.name)
        .collect();
    names.extend(["enfsi", "admiralty", "stix"].map(String::from));
    names
}

/// The table called `name`, rendered; `None` when there is none.
pub fn yardstick_table(name: &str) -> Option<String> {
    if let Some(y) = lexicon::builtin_yardstick(name) {
        return Some(probability_yardstick(&y));
    }
    match name {
        "enfsi" => {
            let scale = lexicon::enfsi();
            let mut rows = vec![vec![
                "strength".to_string(),
                "likelihood ratio".to_string(),
                "point".to_string(),
            ]];
            for s in &scale.steps {
                let name = if s.synonyms.is_empty() {
                    s.name.clone()
                } else {
                    format!("{} ({})", s.name, s.synonyms.join(", "))
                };
                rows.push(vec![
                    format!("{name} support"),
                    format!("{}-{}", s.lo, s.hi),
                    format!("{:.1}", s.point()),
                ]);
            }
            Some(format!(
                "{}\nsource: {}\n\n{}",
                scale.title,
                scale.source,
                columns(&rows)
            ))
        }
        "admiralty" => {
            let g = lexicon::admiralty();
            let rel = lexicon::RELIABILITY_WORDS;
            let cred = lexicon::CREDIBILITY_WORDS;
            let mut rows = vec![vec![
                "grade".into(),
                "meaning".into(),
                "P(sound / accurate)".into(),
            ]];
            for (i, m) in rel.iter().enumerate() {
                rows.push(vec![
                    ((b'A' + i as u8) as char).to_string(),
                    m.to_string(),
                    format!("{}", g.reliability[i]),
                ]);
            }
            for (i, m) in cred.iter().enumerate() {
                rows.push(vec![
                    (i + 1).to_string(),
                    m.to_string(),
                    format!("{}", g.credibility[i]),
                ]);
            }
            Some(format!(
                "Admiralty / NATO grading\nsource: STANAG 2511 / AJP-2.1 (grades); acre's default numbers, overridable with `grading {{ }}`\n\n{}",
                columns(&rows)
            ))
        }
        "stix" => {
            let mut out = String::from(
                "STIX 2.1 confidence mappings\nsource: STIX Version 2.1, OASIS Standard, appendix \"Confidence Scales\"\n",
            );
            for (scale, entries) in lexicon::stix_tables() {
                let mut rows = vec![vec![
                    "value".to_string(),
                    "to STIX".to_string(),
                    "from STIX".to_string(),
                ]];
                rows.extend(
                    entries
                        .iter()
                        .map(|(a, b, c)| vec![a.to_string(), b.to_string(), c.to_string()]),
                );
                out.push_str(&format!("\n{scale}\n{}", columns(&rows)));
            }
            Some(out)
        }
        _ => None,
    }
}

fn probability_yardstick(y: &lexicon::Yardstick) -> String {
    let mut rows = vec![vec![
        "term".to_string(),
        "band".to_string(),
        "point".to_string(),
        "synonyms".to_string(),
    ]];
    for t in &y.terms {
        rows.push(vec![
            t.name.clone(),
            format_band(t.lo, t.hi),
            format!("{}%", format_percent(t.point)),
            t.synonyms.join(", "),
        ]);
    }
    let mut out = format!("{} ({})\nsource: {}\n", y.title, y.name, y.source);
    if !y.note.is_empty() {
        out.push_str(&format!("note: {}\n", y.note));
    }
    out.push('\n');
    out.push_str(&columns(&rows));
    out
}
