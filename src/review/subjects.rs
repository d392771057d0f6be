//! Who a sentence is about: threat actors, states, and a case's hypotheses and
//! assumptions.
//!
//! The actor gazetteer is built from public CTI data shipped inside acre (the CSV files
//! and their licences in `src/review/actors/`): the MISP galaxy threat-actor cluster and
//! MITRE ATT&CK groups (names and aliases), merged where they share a name, so that
//! "APT28", "Fancy Bear" and "Sofacy" are one subject; and a country table with
//! names, adjectives, abbreviations and capital metonyms ("North Korea", "North
//! Korean", "DPRK", "Pyongyang"). A word in capitals is not an actor unless the
//! gazetteer or the case says so. The merging is done when the tables are generated
//! (`subjects/generate.rs`, a test that fails when `tables.rs` is not what the CSV files give), so
//! a process only indexes the names (a few milliseconds less at every start).
//!
//! Invariant: this module finds mentions; it knows nothing about rules.

use super::language;
use crate::model::Case;
use crate::span::Span;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

#[cfg(test)]
mod generate;
#[rustfmt::skip]
mod tables;

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

/// One surface form in a name table.
#[derive(Clone, Debug)]
struct Form {
    key: SubjectKey,
    /// Must match with this exact case (acronyms such as `US`, `PRC`).
    exact: Option<Cow<'static, str>>,
}

/// Whom a name of the built-in gazetteer names, as its generated tables write it.
#[derive(Clone, Copy, Debug)]
enum Named {
    /// An actor group.
    A(u32),
    /// A country.
    C(u32),
    /// Several actors: the name as written (lower case).
    N(&'static str),
}

impl Named {
    fn key(self) -> SubjectKey {
        match self {
            Named::A(g) => SubjectKey::Actor(g),
            Named::C(c) => SubjectKey::Country(c),
            Named::N(name) => SubjectKey::Named(name.to_string()),
        }
    }
}

/// A name of the built-in gazetteer: its table key ([`name_key`]), its first word in lower
/// case, how many tokens it spans, whom it names, and the exact form it must be written in.
type StaticName = (&'static str, &'static str, u8, Named, Option<&'static str>);

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
    forms: FxHashMap<Cow<'static, str>, Form>,
    /// The first word of every name, in lower case, with the most tokens a name that
    /// starts with it spans.
    first_words: FxHashMap<Cow<'static, str>, usize>,
    /// Match in any case (a case's own names), or only capitalised (the gazetteer).
    any_case: bool,
}

/// The first word of `name` in lower case, and how many tokens `name` spans (`None` when
/// it has none).
fn first_word(name: &str) -> Option<(String, usize)> {
    let toks = language::tokens(name, Span::new(0, name.len()));
    let first = toks.first()?;
    let mut word = String::new();
    push_lower(&mut word, first.text(name));
    Some((word, toks.len()))
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
        let mut table = Names {
            forms: FxHashMap::default(),
            first_words: FxHashMap::default(),
            any_case,
        };
        for (name, form) in names {
            if let Some((first, tokens)) = first_word(&name) {
                table.add(Cow::Owned(name_key(&name)), Cow::Owned(first), tokens, form);
            }
        }
        table
    }

    /// The table of the built-in gazetteer's names, as generated (nothing to tokenise).
    fn of_static(names: &'static [StaticName]) -> Names {
        let mut table = Names {
            forms: FxHashMap::with_capacity_and_hasher(names.len(), Default::default()),
            first_words: FxHashMap::with_capacity_and_hasher(names.len(), Default::default()),
            any_case: false,
        };
        for &(key, first, tokens, named, exact) in names {
            let form = Form {
                key: named.key(),
                exact: exact.map(Cow::Borrowed),
            };
            table.add(
                Cow::Borrowed(key),
                Cow::Borrowed(first),
                tokens.into(),
                form,
            );
        }
        table
    }

    /// Adds a name (the first of two equal names wins).
    fn add(&mut self, key: Cow<'static, str>, first: Cow<'static, str>, tokens: usize, form: Form) {
        let longest = self.first_words.entry(first).or_insert(0);
        *longest = (*longest).max(tokens);
        self.forms.entry(key).or_insert(form);
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
            let longest = match self.first_words.get(key.as_str()) {
                Some(n) => *n,
                None => {
                    let Some(b) = bare else {
                        i += 1;
                        continue;
                    };
                    key.clear();
                    push_lower(&mut key, b);
                    match self.first_words.get(key.as_str()) {
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

/// The built-in gazetteer of actors and countries: tables generated from the CSV files in
/// `actors/` (see `subjects/generate.rs`), indexed once.
pub struct Gazetteer {
    names: Names,
}

impl Gazetteer {
    fn load() -> Gazetteer {
        Gazetteer {
            names: Names::of_static(tables::NAMES),
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
    pub fn name(&self, key: &SubjectKey) -> Option<&'static str> {
        match key {
            SubjectKey::Actor(g) => tables::ACTORS.get(*g as usize).copied(),
            SubjectKey::Country(c) => tables::COUNTRIES.get(*c as usize).map(|c| c.0),
            _ => None,
        }
    }

    /// Every form of the actor or country `name` names (empty when it names neither).
    fn expansions(&self, name: &str) -> &'static [&'static str] {
        let lower = name.to_lowercase();
        let find = |table: &[(&str, u32)]| {
            table
                .binary_search_by(|(form, _)| (*form).cmp(lower.as_str()))
                .ok()
                .map(|i| table[i].1 as usize)
        };
        if let Some(g) = find(tables::ACTOR_OF_FORM) {
            return tables::ACTOR_FORMS.get(g).copied().unwrap_or_default();
        }
        if let Some(c) = find(tables::COUNTRY_OF_FORM) {
            return tables::COUNTRIES.get(c).map_or(&[], |c| c.1);
        }
        &[]
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
                .then(|| Cow::Owned(name.to_string()));
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
                    add(form, key.clone(), &mut table);
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
