//! The built-in gazetteer's tables (`tables.rs`), generated from the CSV files in
//! `src/review/actors/` and checked against them: the test below fails when the two
//! disagree, and rewrites `tables.rs` when run with `ACRE_REGENERATE=1`.
//!
//! The rules live here: actor rows merged where they share a name that names no other
//! row of their source, names too short or too ordinary left out, acronyms matched only
//! as written, an actor keeping a name a country also has.

use super::{Form, SubjectKey, first_word, name_key};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write;

/// Actor names that are also ordinary words or common acronyms: never subjects on
/// their own ("Silence", "Mask", "Snake", "LEAD", "UPS").
#[rustfmt::skip]
const AMBIGUOUS_NAMES: &[&str] = &[
    "alibaba", "armageddon", "axiom", "basin", "bitter", "butterfly", "calypso", "cardinal",
    "castle", "cca", "chimera", "cicada", "cleaver", "cobalt", "copper", "dune", "equation",
    "frankenstein", "gop", "gorilla", "honeybee", "inception", "indra", "kairos", "karma",
    "lead", "leviathan", "lexus", "longhorn", "machete", "mantis", "mask", "mercury", "mirage",
    "monsoon", "moonlight", "nickel", "nitro", "oxygen", "pickaxe", "pioneer", "play", "polaris",
    "popeye", "rattlesnake", "reaper", "rtm", "scarab", "scimitar", "sea", "sidewinder",
    "siesta", "silence", "silicon", "slingshot", "snake", "sodium", "summit", "superman", "tick",
    "trident", "tsb", "uca", "ups", "uuc", "venom", "vermin", "watchdog", "helium", "strider",
    "agrius", "evil", "charming", "energetic", "the big bang", "[unnamed group]", "[vault 7/8]",
    "unknown",
];

/// Country forms that name several countries or are ordinary words.
#[rustfmt::skip]
const AMBIGUOUS_COUNTRY_FORMS: &[&str] = &[
    "korean", "koreans", "congo", "congolese", "dominican", "dominicans", "channel islander",
    "channel islanders", "georgia", "jordan", "chad", "turkey", "guinea", "niger", "jersey",
    "guernsey", "man", "cook", "norfolk", "christmas", "reunion", "car", "rsa", "washington",
    "georgian", "georgians", "jordanian",
];

const ACTORS_CSV: &str = include_str!("../actors/threat-actors.csv");
const COUNTRIES_CSV: &str = include_str!("../actors/countries.csv");

/// Splits RFC 4180 CSV text into records of fields (quoted fields may hold commas and
/// doubled quotes; the embedded tables hold no line breaks inside fields). A field without
/// quotes is borrowed as written.
fn csv_records(text: &str) -> impl Iterator<Item = Vec<Cow<'_, str>>> + '_ {
    text.lines().skip(1).filter(|l| !l.is_empty()).map(|line| {
        if !line.contains('"') {
            return line.split(',').map(Cow::Borrowed).collect();
        }
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(Cow::Owned(std::mem::take(&mut field))),
                _ => field.push(c),
            }
        }
        fields.push(Cow::Owned(field));
        fields
    })
}

/// `s` in lower case, borrowed when it is already.
fn lower(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn find_root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The gazetteer's tables as the CSV files give them.
pub(super) fn from_csv() -> Source {
    {
        // actors: rows, merged where they share an unambiguous name
        let rows: Vec<(bool, Vec<&str>)> = csv_records(ACTORS_CSV)
            .filter(|f| f.len() >= 4)
            .map(|f| {
                let misp = f[0] == "misp-threat-actor";
                // the table's names hold no quotes: every field is borrowed
                let field = |i: usize| match &f[i] {
                    Cow::Borrowed(s) => *s,
                    Cow::Owned(_) => "",
                };
                let mut forms = vec![field(2).trim()];
                forms.extend(
                    field(3)
                        .split('|')
                        .map(|s| s.trim().trim_end_matches(','))
                        .filter(|s| !s.is_empty()),
                );
                (misp, forms)
            })
            .collect();
        // which rows each lower-case form names, per source (in the order first named)
        let mut index_of: FxHashMap<Cow<str>, usize> = FxHashMap::default();
        let mut rows_of: Vec<(Cow<str>, Vec<usize>, Vec<usize>)> = Vec::new();
        for (i, (misp, forms)) in rows.iter().enumerate() {
            for f in forms {
                let key = lower(f);
                let at = match index_of.get(&key) {
                    Some(&at) => at,
                    None => {
                        index_of.insert(key.clone(), rows_of.len());
                        rows_of.push((key, Vec::new(), Vec::new()));
                        rows_of.len() - 1
                    }
                };
                let e = &mut rows_of[at];
                let list = if *misp { &mut e.1 } else { &mut e.2 };
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        drop(index_of);
        let mut parent: Vec<usize> = (0..rows.len()).collect();
        for (_, misp_rows, mitre_rows) in &rows_of {
            if misp_rows.len() <= 1 && mitre_rows.len() <= 1 {
                let all: Vec<usize> = misp_rows.iter().chain(mitre_rows).copied().collect();
                for w in all.windows(2) {
                    let (a, b) = (find_root(&mut parent, w[0]), find_root(&mut parent, w[1]));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut group_of_root: Vec<Option<u32>> = vec![None; rows.len()];
        let mut actors: Vec<String> = Vec::new();
        let mut actor_forms: Vec<Vec<String>> = Vec::new();
        let mut group_of_row = vec![0u32; rows.len()];
        for i in 0..rows.len() {
            let root = find_root(&mut parent, i);
            let g = *group_of_root[root].get_or_insert_with(|| {
                actors.push(rows[root].1[0].to_string());
                actor_forms.push(Vec::new());
                (actors.len() - 1) as u32
            });
            group_of_row[i] = g;
            actor_forms[g as usize].extend(rows[i].1.iter().map(|f| f.to_string()));
        }
        let mut table: Vec<(String, Form)> = Vec::with_capacity(rows_of.len());
        let mut actor_of_form = HashMap::new();
        for (lower, misp_rows, mitre_rows) in &rows_of {
            if lower.chars().count() < 3
                || AMBIGUOUS_NAMES.contains(&lower.as_ref())
                || lower.chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            let mut groups: Vec<u32> = misp_rows
                .iter()
                .chain(mitre_rows)
                .map(|r| group_of_row[*r])
                .collect();
            groups.sort_unstable();
            groups.dedup();
            let key = match groups.as_slice() {
                [g] => {
                    actor_of_form.insert(lower.to_string(), *g);
                    SubjectKey::Actor(*g)
                }
                _ => SubjectKey::Named(lower.to_string()),
            };
            // three-letter acronyms only as written (`GRU` names a service, `gru` does not)
            let written = rows
                .get(
                    misp_rows
                        .first()
                        .or(mitre_rows.first())
                        .copied()
                        .unwrap_or(0),
                )
                .and_then(|(_, forms)| {
                    forms
                        .iter()
                        .find(|f| f.chars().flat_map(char::to_lowercase).eq(lower.chars()))
                })
                .copied()
                .unwrap_or_default();
            let exact = (written.len() <= 3 && written.chars().all(|c| c.is_ascii_uppercase()))
                .then(|| Cow::Owned(written.to_string()));
            table.push((lower.to_string(), Form { key, exact }));
        }
        // countries
        let mut countries = Vec::new();
        let mut country_of_form = HashMap::new();
        for f in csv_records(COUNTRIES_CSV).filter(|f| f.len() >= 6) {
            let idx = countries.len() as u32;
            let mut forms: Vec<String> = vec![f[1].to_string(), f[2].to_string()];
            forms.extend(f[3].split('|').map(str::to_string));
            forms.extend(f[5].split('|').map(str::to_string));
            forms.retain(|s| !s.trim().is_empty());
            forms.sort();
            forms.dedup();
            for form in &forms {
                let lower = form.to_lowercase();
                if lower.len() < 2 || AMBIGUOUS_COUNTRY_FORMS.contains(&lower.as_str()) {
                    continue;
                }
                country_of_form.insert(lower.clone(), idx);
                let exact = (form
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(|c| c.is_uppercase()))
                .then(|| Cow::Owned(form.clone()));
                // an actor of the same name keeps it (no country is spelled like a group)
                if !actor_of_form.contains_key(&lower) {
                    table.push((
                        lower,
                        Form {
                            key: SubjectKey::Country(idx),
                            exact,
                        },
                    ));
                }
            }
            countries.push((f[1].to_string(), forms));
        }
        Source {
            table,
            actors,
            countries,
            actor_of_form,
            actor_forms,
            country_of_form,
        }
    }
}

/// What the CSV files say, merged: the names in table order, and who they name.
pub(super) struct Source {
    table: Vec<(String, Form)>,
    actors: Vec<String>,
    countries: Vec<(String, Vec<String>)>,
    actor_of_form: HashMap<String, u32>,
    actor_forms: Vec<Vec<String>>,
    country_of_form: HashMap<String, u32>,
}

/// `tables.rs` for `source`.
fn render(source: &Source) -> String {
    let mut out = String::new();
    let w = &mut out;
    let strs = |forms: &[String]| {
        let quoted: Vec<String> = forms.iter().map(|f| format!("{f:?}")).collect();
        format!("&[{}]", quoted.join(", "))
    };
    let _ = writeln!(
        w,
        "// @generated by the test `review::subjects::generate::tests::the_tables_are_the_csv_files`\n\
         // from src/review/actors/threat-actors.csv and countries.csv (their sources and licences:\n\
         // README.md and the licence files there). Run it with ACRE_REGENERATE=1 to rewrite.\n\
         //! The built-in gazetteer's tables.\n\n\
         use super::{{Named::{{A, C, N}}, StaticName}};\n"
    );
    let _ = writeln!(
        w,
        "/// Every name: table key, first word, tokens, whom, exact form.\n\
         pub(super) static NAMES: &[StaticName] = &["
    );
    for (name, form) in &source.table {
        let Some((first, tokens)) = first_word(name) else {
            continue;
        };
        let named = match &form.key {
            SubjectKey::Actor(g) => format!("A({g})"),
            SubjectKey::Country(c) => format!("C({c})"),
            SubjectKey::Named(n) => format!("N({n:?})"),
            other => panic!("no gazetteer name names {other:?}"),
        };
        let tokens = u8::try_from(tokens).expect("a name of fewer than 256 tokens");
        let exact = form
            .exact
            .as_ref()
            .map_or("None".to_string(), |e| format!("Some({e:?})"));
        let _ = writeln!(
            w,
            "    ({:?}, {first:?}, {tokens}, {named}, {exact}),",
            name_key(name)
        );
    }
    let _ = writeln!(w, "];\n\n/// Display name of each actor group.");
    let _ = writeln!(w, "pub(super) static ACTORS: &[&str] = &[");
    for a in &source.actors {
        let _ = writeln!(w, "    {a:?},");
    }
    let _ = writeln!(w, "];\n\n/// Every form of each actor group.");
    let _ = writeln!(w, "pub(super) static ACTOR_FORMS: &[&[&str]] = &[");
    for forms in &source.actor_forms {
        let _ = writeln!(w, "    {},", strs(forms));
    }
    let _ = writeln!(w, "];\n\n/// Display name and forms of each country.");
    let _ = writeln!(w, "pub(super) static COUNTRIES: &[(&str, &[&str])] = &[");
    for (name, forms) in &source.countries {
        let _ = writeln!(w, "    ({name:?}, {}),", strs(forms));
    }
    for (what, name, map) in [
        ("actor group", "ACTOR_OF_FORM", &source.actor_of_form),
        ("country", "COUNTRY_OF_FORM", &source.country_of_form),
    ] {
        let _ = writeln!(
            w,
            "];\n\n/// Lower-case form to {what}, sorted (for expanding a case's aliases).\n\
             pub(super) static {name}: &[(&str, u32)] = &["
        );
        let mut sorted: Vec<(&String, &u32)> = map.iter().collect();
        sorted.sort();
        for (form, i) in sorted {
            let _ = writeln!(w, "    ({form:?}, {i}),");
        }
    }
    let _ = writeln!(w, "];");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_the_csv_files() {
        let want = render(&from_csv());
        let have = include_str!("tables.rs");
        if have != want && std::env::var_os("ACRE_REGENERATE").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/review/subjects/tables.rs");
            std::fs::write(path, &want).unwrap();
            return;
        }
        assert!(
            have == want,
            "src/review/subjects/tables.rs is not what the CSV files give: run \
             `ACRE_REGENERATE=1 cargo test the_tables_are_the_csv_files` and commit it"
        );
    }
}
