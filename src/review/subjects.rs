//! Who a sentence is about: threat actors, states, and a case's hypotheses and
//! assumptions.
//!
//! The actor gazetteer is built from public CTI data shipped inside acre (see
//! `src/review/actors/README.md`): the MISP galaxy threat-actor cluster and MITRE
//! ATT&CK groups (names and aliases), merged where they share a name, so that
//! "APT28", "Fancy Bear" and "Sofacy" are one subject; and a country table with
//! names, adjectives, abbreviations and capital metonyms ("North Korea", "North
//! Korean", "DPRK", "Pyongyang"). A word in capitals is not an actor unless the
//! gazetteer or the case says so.
//!
//! Invariant: this module finds mentions; it knows nothing about rules.

use super::language;
use crate::model::Case;
use crate::span::Span;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a mention refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SubjectKey {
    /// A threat actor of the gazetteer (index of its merged group).
    Actor(u32),
    /// A state (index into the country table).
    Country(u32),
    /// A hypothesis of the case.
    Hypothesis(u32),
    /// A group of the case's hypotheses.
    Group(u32),
    /// An assumption of the case.
    Assumption(u32),
    /// A name shared by several actors, kept as written (lower case).
    Named(String),
}

/// A mention of a subject in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Who.
    pub key: SubjectKey,
    /// Where.
    pub span: Span,
}

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

/// One surface form in a name table.
#[derive(Clone, Debug)]
struct Form {
    key: SubjectKey,
    /// Must match with this exact case (acronyms such as `US`, `PRC`).
    exact: Option<String>,
}

/// A name as a table key: lower case, whitespace runs folded to one space.
fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, w) in name.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Names and what each one names, looked up word by word: a sentence's words are
/// tried as the start of a name only when some name starts with that word, and the
/// longest name there wins.
struct Names {
    forms: FxHashMap<String, Form>,
    /// The first word of every name, in lower case, with the most tokens a name that
    /// starts with it spans.
    first_words: FxHashMap<String, usize>,
    /// Match in any case (a case's own names), or only capitalised (the gazetteer).
    any_case: bool,
}

/// Appends `word` to `buf` in lower case (ASCII without a table look-up).
fn push_lower(buf: &mut String, word: &str) {
    if word.is_ascii() {
        let at = buf.len();
        buf.push_str(word);
        buf[at..].make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
}

impl Names {
    /// The table of `names` (the first of two equal names wins).
    fn build(names: Vec<(String, Form)>, any_case: bool) -> Names {
        let mut forms = FxHashMap::default();
        let mut first_words: FxHashMap<String, usize> = FxHashMap::default();
        for (name, form) in names {
            let toks = language::tokens(&name, Span::new(0, name.len()));
            let Some(first) = toks.first() else { continue };
            let mut key = String::new();
            push_lower(&mut key, first.text(&name));
            let longest = first_words.entry(key).or_insert(0);
            *longest = (*longest).max(toks.len());
            forms.entry(name_key(&name)).or_insert(form);
        }
        Names {
            forms,
            first_words,
            any_case,
        }
    }

    fn find(&self, text: &str, toks: &[language::Token], out: &mut Vec<Mention>) {
        let mut key = String::with_capacity(64);
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if !t.is_word {
                i += 1;
                continue;
            }
            // the first word, without a possessive ("Russia's")
            let word = t.text(text);
            let bare = word
                .strip_suffix("'s")
                .or_else(|| word.strip_suffix("\u{2019}s"))
                .filter(|b| !b.is_empty());
            key.clear();
            push_lower(&mut key, word);
            let longest = match self.first_words.get(&key) {
                Some(n) => *n,
                None => {
                    let Some(b) = bare else {
                        i += 1;
                        continue;
                    };
                    key.clear();
                    push_lower(&mut key, b);
                    match self.first_words.get(&key) {
                        Some(_) => 1,
                        None => {
                            i += 1;
                            continue;
                        }
                    }
                }
            };
            // grow the key token by token; keep the longest name found
            let check = |key: &str, j: usize, end: usize| {
                self.forms
                    .get(key)
                    .filter(|form| self.accepts(text, form, t.span.start, end))
                    .map(|form| (j, form, end))
            };
            let mut found = check(&key, i, t.span.start + key_len(word, bare, &key));
            let mut j = i;
            while j + 1 < toks.len() && j + 1 < i + longest {
                let prev_end = toks[j].span.end;
                j += 1;
                let next = toks[j];
                if text[prev_end..next.span.start].contains(|c: char| !c.is_whitespace()) {
                    break;
                }
                if next.span.start > prev_end {
                    key.push(' ');
                }
                push_lower(&mut key, next.text(text));
                if let Some(f) = check(&key, j, next.span.end) {
                    found = Some(f);
                }
                // "Fancy Bear's": the name without its possessive
                let w = next.text(text);
                if let Some(b) = w.strip_suffix("'s").or_else(|| w.strip_suffix("\u{2019}s")) {
                    let cut = key.len() - (w.len() - b.len());
                    if let Some(f) = check(&key[..cut], j, next.span.start + b.len()) {
                        found = Some(f);
                    }
                }
            }
            match found {
                Some((j, form, end)) => {
                    out.push(Mention {
                        key: form.key.clone(),
                        span: Span::new(t.span.start, end),
                    });
                    i = j + 1;
                }
                None => i += 1,
            }
        }
    }

    /// Whether the name `form` written at `start..end` counts: on its own (not part of a
    /// path or a longer word), and capitalised or carrying a digit (the gazetteer), or
    /// exactly as written (acronyms).
    fn accepts(&self, text: &str, form: &Form, start: usize, end: usize) -> bool {
        if !name_boundary(text, start, end) {
            return false;
        }
        let written = &text[start..end];
        match &form.exact {
            Some(exact) => written == exact,
            None => {
                self.any_case
                    || written.starts_with(|c: char| c.is_uppercase())
                    || written.chars().any(|c| c.is_ascii_digit())
            }
        }
    }
}

/// The byte length, in the text, of the first word of a name whose key is `key`: the
/// word itself, or the word without its possessive when the key is that.
fn key_len(word: &str, bare: Option<&str>, key: &str) -> usize {
    match bare {
        Some(b) if b.len() == key.len() => b.len(),
        _ => word.len(),
    }
}

/// Whether a name at `start..end` stands alone: not part of a longer word, a path, a
/// domain, a handle or an identifier.
fn name_boundary(hay: &str, start: usize, end: usize) -> bool {
    let before = hay[..start].chars().next_back();
    let after = hay[end..].chars().next();
    let after2 = hay[end..].chars().nth(1);
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    before.is_none_or(|c| !word(c) && !matches!(c, '@' | '/' | '.' | '#' | '$' | '\\'))
        && after.is_none_or(|c| {
            !(word(c) || matches!(c, '.' | '/' | '@') && after2.is_some_and(char::is_alphanumeric))
        })
}

/// The built-in gazetteer of actors and countries.
pub struct Gazetteer {
    names: Names,
    /// Display name of each actor group.
    actors: Vec<String>,
    /// Display name and forms of each country.
    countries: Vec<(String, Vec<String>)>,
    /// Lower-case form to actor group, for expanding a case's aliases.
    actor_of_form: HashMap<String, u32>,
    /// Every form of each actor group.
    actor_forms: Vec<Vec<String>>,
    /// Lower-case form to country, for expanding a case's aliases.
    country_of_form: HashMap<String, u32>,
}

const ACTORS_CSV: &str = include_str!("actors/threat-actors.csv");
const COUNTRIES_CSV: &str = include_str!("actors/countries.csv");

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

impl Gazetteer {
    fn load() -> Gazetteer {
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
                .then(|| written.to_string());
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
                .then(|| form.clone());
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
        Gazetteer {
            names: Names::build(table, false),
            actors,
            countries,
            actor_of_form,
            actor_forms,
            country_of_form,
        }
    }

    /// The gazetteer, loaded once.
    pub fn get() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(Gazetteer::load)
    }

    /// Mentions of actors and states in `span`, in text order.
    pub fn mentions(&self, text: &str, span: Span) -> Vec<Mention> {
        self.mentions_in(text, &language::tokens(text, span))
    }

    /// Mentions of actors and states among `tokens` (a sentence already read).
    pub fn mentions_in(&self, text: &str, tokens: &[language::Token]) -> Vec<Mention> {
        let mut out = Vec::new();
        self.names.find(text, tokens, &mut out);
        out
    }

    /// The display name of an actor group or a country.
    pub fn name(&self, key: &SubjectKey) -> Option<&str> {
        match key {
            SubjectKey::Actor(g) => self.actors.get(*g as usize).map(String::as_str),
            SubjectKey::Country(c) => self.countries.get(*c as usize).map(|c| c.0.as_str()),
            _ => None,
        }
    }

    /// Every form of the actor or country `name` names (empty when it names neither).
    fn expansions(&self, name: &str) -> Vec<String> {
        let lower = name.to_lowercase();
        if let Some(g) = self.actor_of_form.get(&lower) {
            return self.actor_forms[*g as usize].clone();
        }
        if let Some(c) = self.country_of_form.get(&lower) {
            return self.countries[*c as usize].1.clone();
        }
        Vec::new()
    }
}

/// The names by which prose refers to a case's hypotheses and assumptions.
pub struct CaseSubjects {
    names: Names,
}

impl CaseSubjects {
    /// The hypotheses, then the groups, by alias (or label when they have none), with every
    /// form of an actor or state an alias names ("North Korea" brings "North Korean" and "DPRK");
    /// the assumptions by alias, by their id read as words (`false_flag`: "false flag")
    /// and by a short label.
    pub fn new(case: &Case) -> CaseSubjects {
        let gazetteer = Gazetteer::get();
        let mut table: Vec<(String, Form)> = Vec::new();
        let add = |name: &str, key: SubjectKey, table: &mut Vec<(String, Form)>| {
            let name = name.trim();
            if name.chars().count() < 2 {
                return;
            }
            let exact = (name.len() <= 5 && name.chars().all(|c| c.is_ascii_uppercase()))
                .then(|| name.to_string());
            table.push((name.to_lowercase(), Form { key, exact }));
        };
        let hypotheses = case
            .hypotheses
            .iter()
            .enumerate()
            .map(|(i, h)| (SubjectKey::Hypothesis(i as u32), &h.label, &h.aliases));
        let groups = case
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (SubjectKey::Group(i as u32), &g.label, &g.aliases));
        for (key, label, aliases) in hypotheses.chain(groups) {
            let names: Vec<&str> = if aliases.is_empty() {
                vec![label.as_str()]
            } else {
                aliases.iter().map(String::as_str).collect()
            };
            for name in names {
                add(name, key.clone(), &mut table);
                for form in gazetteer.expansions(name) {
                    add(&form, key.clone(), &mut table);
                }
            }
        }
        for (i, a) in case.assumptions.iter().enumerate() {
            let key = SubjectKey::Assumption(i as u32);
            // an id of two or more words reads as a name ("false_flag": "false flag");
            // a one-word id is often an ordinary word ("planted") and does not
            let id_words = a.id.replace(['_', '-'], " ");
            if id_words.contains(' ') {
                add(&id_words, key.clone(), &mut table);
                add(&id_words.replace(' ', "-"), key.clone(), &mut table);
            }
            if a.label.split_whitespace().count() <= 4 {
                add(&a.label, key.clone(), &mut table);
            }
            let label = a.label.to_lowercase();
            for kind in ASSUMPTION_KINDS.iter().filter(|k| label.contains(*k)) {
                add(kind, key.clone(), &mut table);
            }
            for alias in &a.aliases {
                add(alias, key.clone(), &mut table);
            }
        }
        // a name given to two subjects stays with the first (a hypothesis before a group, a
        // group before an assumption)
        let mut seen = std::collections::HashSet::new();
        table.retain(|(t, _)| seen.insert(t.clone()));
        CaseSubjects {
            names: Names::build(table, true),
        }
    }

    /// Mentions of the case's hypotheses and assumptions in `span`.
    pub fn mentions(&self, text: &str, span: Span) -> Vec<Mention> {
        self.mentions_in(text, &language::tokens(text, span))
    }

    /// Mentions of the case's hypotheses and assumptions among `tokens`.
    pub fn mentions_in(&self, text: &str, tokens: &[language::Token]) -> Vec<Mention> {
        let mut out = Vec::new();
        self.names.find(text, tokens, &mut out);
        out
    }
}

/// The names of kinds of assumption that prose uses on their own: a label that contains
/// one makes it a name of the assumption.
const ASSUMPTION_KINDS: &[&str] = &[
    "false flag",
    "false-flag",
    "deception",
    "insider",
    "shared developer",
    "shared code",
    "shared tooling",
    "imitation",
    "copycat",
    "leaked tools",
];

/// Phrases that refer back to the last named actor.
pub const BACK_REFERENCES: &[&str] = &[
    "the group",
    "the actor",
    "the actors",
    "the hackers",
    "the attackers",
    "the operators",
    "the threat actor",
    "the threat actors",
    "the apt",
    "the gang",
    "the crew",
];

/// The first back reference ("the group") in `span`, if any.
pub fn back_reference(text: &str, span: Span) -> Option<Span> {
    let s = span.text(text);
    let bytes = s.as_bytes();
    let mut from = 0;
    // every back reference starts with "the ": look there only
    while let Some(p) = s[from..].find(['t', 'T']) {
        let at = from + p;
        from = at + 1;
        if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        let longest = BACK_REFERENCES
            .iter()
            .filter(|r| {
                s.get(at..at + r.len())
                    .is_some_and(|x| x.eq_ignore_ascii_case(r))
                    && crate::review::scan::at_word_boundary(s, at, at + r.len())
            })
            .map(|r| r.len())
            .max();
        if let Some(len) = longest {
            return Some(Span::new(span.start + at, span.start + at + len));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, String)> {
        let g = Gazetteer::get();
        g.mentions(text, Span::new(0, text.len()))
            .into_iter()
            .map(|m| {
                (
                    m.span.text(text).to_string(),
                    g.name(&m.key).unwrap_or("?").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn aliases_of_one_actor_are_one_subject() {
        let g = Gazetteer::get();
        let t = "APT28, also called Fancy Bear and Sofacy";
        let m = g.mentions(t, Span::new(0, t.len()));
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m.iter().all(|x| x.key == m[0].key));
        let t = "Sandworm and APT29";
        let m = g.mentions(t, Span::new(0, t.len()));
        assert_ne!(m[0].key, m[1].key);
    }

    #[test]
    fn capitals_are_not_actors() {
        for t in [
            "TLP:WHITE applies; the PDF needs MFA during COVID",
            "APT groups use T1078 and S0030 with Cobalt Strike",
            "The Silence of the report, a Mask, a Snake",
            "sandworm in lower case is a word",
        ] {
            assert!(keys(t).is_empty(), "{t}: {:?}", keys(t));
        }
    }

    #[test]
    fn states_by_name_adjective_abbreviation_and_capital() {
        let found = keys("North Korean hackers, the DPRK, Pyongyang and Russia's GRU");
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names[..3], ["North Korea", "North Korea", "North Korea"]);
        assert!(found.iter().any(|(w, n)| w == "Russia" && n == "Russia"));
        // `US` only as written
        assert!(keys("us and them").is_empty());
    }

    #[test]
    fn names_in_paths_and_domains_are_not_mentions() {
        assert!(keys("see attack.mitre.org/groups/APT28/ and @Sandworm").is_empty());
    }

    #[test]
    fn back_references_find_the_group() {
        let t = "Later the group was almost certainly paid.";
        assert_eq!(
            back_reference(t, Span::new(0, t.len())).unwrap().text(t),
            "the group"
        );
        let t = "the groups' targets";
        assert!(back_reference(t, Span::new(0, t.len())).is_none());
    }
}
