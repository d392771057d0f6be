//! Propositions: what a likelihood term is said of.
//!
//! A judgment is a term said of a proposition: "APT31 almost certainly conducted the 2021
//! reconnaissance" states *almost certain* of "APT31 conducted the 2021 reconnaissance". Two
//! terms conflict only when they are given to one proposition, and a draft is compared with
//! a case only where it states the case's question. This module reads, for each term:
//!
//! - **where the proposition is**: after "that" ("it is likely that S", "we judge it
//!   highly likely that S", "there is a realistic possibility that S"); after "of" ("a
//!   realistic possibility of X's involvement in E"); before the copula when the term ends
//!   the clause ("APT31's responsibility for E is likely", "a false flag ... is highly
//!   unlikely", "we regard the possibility that S as a remote chance"); otherwise the clause
//!   itself with the term taken out ("APT31 almost certainly conducted E", "E was likely
//!   carried out by X", "X is unlikely to have carried out E").
//! - **its subject**: the named actor, hypothesis or assumption at the head of the
//!   proposition's subject; the agent of a passive ("by X"), of "the work of X", of
//!   "attributable to X" and "the attribution of E to X"; the possessor of a nominal
//!   predicate ("X's responsibility / involvement / authorship"); a back reference ("the
//!   group") resolved to the actor named last (done by the caller). A name that is only
//!   the possessor of another noun ("APT31's tracking links were reused by another group")
//!   is no subject. An assumption is the subject when the proposition names it (its id
//!   read as words, its kind: "false flag", "insider") or restates most of its label.
//! - **its predicate**, as a class: every wording of responsibility is one class
//!   (responsible for, behind, conducted, carried out, the work of, attributable to, took
//!   part in, involved in, authorship, the likely perpetrator of, ...); access, theft,
//!   deployment, development, use, exploitation, sale and the other actions each have
//!   their class, their synonyms and their passives in it; capability ("capable of", "able
//!   to", "has the access it needs to"), intent ("intended to", "meant ... as") and
//!   affiliation ("works for", "is linked to") are classes of their own; any other verb is
//!   its own lemma.
//! - **its object**: the noun phrases after the predicate (the subject's noun phrase for a
//!   passive and for "E was the work of X"), with relative clauses, asides, the means
//!   ("by calling ...", "through ..."), durations and trailing participles ("using ...",
//!   "citing ...") left out; dates anywhere in the clause, fronted ones included. Read as
//!   names (capitalised runs, initialisms, countries in any form), content words (lemmas,
//!   with words that only name the kind of event left out: "attack", "intrusion",
//!   "campaign") and years.
//! - **its mode**: asserted by the author; conditional or counterfactual ("if", "unless",
//!   "would", "should ... be confirmed"); quoted (the term inside quotation marks); reported
//!   speech (a third party "said", "told", "argues", "assessed" that ...); a prediction
//!   ("will", "is likely to" + a verb); someone else's denial ("will deny"); acre's own
//!   narrative sentence ("After the evidence, '...' is likely (61.1%; 45.0% before).").
//!
//! Two objects describe one thing unless they contradict: different years, or names
//! (or content words) on both sides that the other does not have ("against the
//! broadcaster" / "against the grid operator"); one may say more than the other ("the
//! NotPetya outbreak of June 2017" / "the NotPetya outbreak").
//!
//! What it cannot read: paraphrases that need knowledge of the world ("the Storting" is the
//! Norwegian parliament; "the Pyeongchang Games" the 2018 Winter Olympics); a proposition
//! spread over several clauses or sentences; sarcasm and irony; nested reported speech
//! beyond one level; a subject that is a pronoun other than the back references.

use super::english::lemma;
use super::language::{self, Reading, Token};
use super::subjects::{Mention, SubjectKey};
use crate::span::Span;

/// What kind of thing is said of the subject.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Predicate {
    /// Responsibility for an event, in any wording.
    Responsibility,
    /// An action of a class ("access", "steal", "deploy", ...), or any other verb's lemma.
    Action(String),
    /// Being able to do something.
    Capability,
    /// Meaning or intending something.
    Intent,
    /// Belonging to or working for someone.
    Affiliation,
}

impl Predicate {
    /// The predicate as a word, for JSON and messages.
    pub fn word(&self) -> &str {
        match self {
            Predicate::Responsibility => "responsible",
            Predicate::Action(a) => a,
            Predicate::Capability => "capable",
            Predicate::Intent => "intends",
            Predicate::Affiliation => "affiliated",
        }
    }
}

/// Who says it, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The author's own judgment.
    Asserted,
    /// Under a condition, or counterfactual.
    Conditional,
    /// Inside quotation marks.
    Quoted,
    /// Someone else's view, reported.
    Reported,
    /// About what will happen.
    Prediction,
    /// Someone else's denial.
    Denial,
    /// acre's own narrative sentence, pasted into the draft.
    Narrative,
}

impl Mode {
    /// The mode as a word, for JSON and messages.
    pub fn word(self) -> &'static str {
        match self {
            Mode::Asserted => "asserted",
            Mode::Conditional => "conditional",
            Mode::Quoted => "quoted",
            Mode::Reported => "reported",
            Mode::Prediction => "prediction",
            Mode::Denial => "denial",
            Mode::Narrative => "narrative",
        }
    }
}

/// What a proposition is about, read into names, words and years.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Object {
    /// Names: capitalised runs and initialisms (lower case), `country:N` and `actor:N` for
    /// the gazetteer's.
    pub names: Vec<String>,
    /// Content words, as lemmas, in a canonical synonym.
    pub words: Vec<String>,
    /// Years.
    pub years: Vec<u32>,
    /// When the object names no year: the years written shortly before it, which a
    /// definite description ("the campaign") may refer to.
    pub context_years: Vec<u32>,
    /// Quantities: numbers, number words, `all` for "every", "each", "all".
    pub quantities: Vec<String>,
}

impl Object {
    /// Whether two objects can describe one thing: no contradiction in years, names or
    /// words (one may say more than the other).
    pub fn compatible(&self, other: &Object) -> bool {
        if !self.years.is_empty()
            && !other.years.is_empty()
            && !self.years.iter().any(|y| other.years.contains(y))
        {
            return false;
        }
        // "more than twenty hospitals" is not "every hospital"
        if !self.quantities.is_empty()
            && !other.quantities.is_empty()
            && !self.quantities.iter().any(|q| other.quantities.contains(q))
        {
            return false;
        }
        // "the campaign" just after "a 2021 campaign" is not the one "since 2010"
        let context_apart = |a: &Object, b: &Object| {
            a.years.is_empty()
                && a.names.is_empty()
                && a.words.is_empty()
                && !a.context_years.is_empty()
                && !b.years.is_empty()
                && !a.context_years.iter().any(|y| b.years.contains(y))
        };
        if context_apart(self, other) || context_apart(other, self) {
            return false;
        }
        self.names_compatible(other) && one_side_only(&self.words, &other.words)
    }

    /// Whether the names agree (the words may differ: one incident described by what it did
    /// and by what it was).
    pub fn names_compatible(&self, other: &Object) -> bool {
        if !self.years.is_empty()
            && !other.years.is_empty()
            && !self.years.iter().any(|y| other.years.contains(y))
        {
            return false;
        }
        let unmatched = |a: &Object, b: &Object| {
            a.names
                .iter()
                .filter(|n| !b.names.iter().any(|m| same_name(n, m)) && !b.spells(n))
                .count()
        };
        unmatched(self, other) == 0 || unmatched(other, self) == 0
    }

    /// Whether the two objects share a name.
    pub fn shares_name(&self, other: &Object) -> bool {
        self.names
            .iter()
            .any(|n| other.names.iter().any(|m| same_name(n, m)))
    }

    /// Whether the words of this object spell the initialism `name` ("operational
    /// technology" for "ot").
    fn spells(&self, name: &str) -> bool {
        let n = name.len();
        if !(2..=6).contains(&n) || !name.bytes().all(|b| b.is_ascii_alphabetic()) {
            return false;
        }
        self.words.windows(n).any(|w| {
            w.iter()
                .zip(name.bytes())
                .all(|(word, c)| word.as_bytes().first() == Some(&c))
        })
    }

    /// Whether nothing specific is said ("the intrusion", "the attack").
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.words.is_empty() && self.years.is_empty()
    }
}

/// Whether only one side (or neither) has words the other lacks.
fn one_side_only(a: &[String], b: &[String]) -> bool {
    let a_only = a.iter().any(|w| !b.contains(w));
    let b_only = b.iter().any(|w| !a.contains(w));
    !(a_only && b_only)
}

/// Whether two names are one: equal, one the start or the end of the other ("MGM" and
/// "MGM Resorts", "Exchange" and "Microsoft Exchange"), or one the initialism of the other
/// ("DNC" and "Democratic National Committee").
fn same_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (aw, bw): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    let (short, long) = if aw.len() <= bw.len() {
        (&aw, &bw)
    } else {
        (&bw, &aw)
    };
    if short.len() < long.len() && (long.starts_with(short) || long.ends_with(short)) {
        return true;
    }
    let initials = |words: &[&str]| -> String {
        words
            .iter()
            .filter(|w| !matches!(**w, "of" | "the" | "and" | "&"))
            .filter_map(|w| w.chars().next())
            .collect()
    };
    (short.len() == 1 && long.len() >= 2 && initials(long) == short[0])
        || (aw.len() == 1 && bw.len() >= 2 && initials(&bw) == a)
}

/// A term's proposition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposition {
    /// Whom it is about.
    pub subject: Option<Mention>,
    /// What is said of them.
    pub predicate: Predicate,
    /// What it is about.
    pub object: Object,
    /// Who says it, and how.
    pub mode: Mode,
    /// Whether it is negated ("did not conduct").
    pub negated: bool,
    /// Where the proposition is written.
    pub span: Span,
}

impl Proposition {
    /// Whether two propositions are one claim: one subject, one predicate class (or
    /// responsibility for an event named by the other's action), one mode, compatible
    /// objects.
    pub fn same_claim(&self, other: &Proposition) -> bool {
        let (Some(a), Some(b)) = (&self.subject, &other.subject) else {
            return false;
        };
        a.key == b.key
            && self.mode == other.mode
            && self.negated == other.negated
            && self.predicate == other.predicate
            && self.object.compatible(&other.object)
    }

    /// Whether the author states it (not quoted, reported, predicted, conditional or
    /// acre's own sentence).
    pub fn is_asserted(&self) -> bool {
        self.mode == Mode::Asserted
    }
}

/// Words that only name the kind of event, or the kind of thing affected: two
/// descriptions of one incident may use any of them.
#[rustfmt::skip]
static GENERIC: language::Words = language::Words::new(&[
    "attack", "attacks", "intrusion", "intrusions", "campaign", "campaigns", "operation",
    "operations", "breach", "breaches", "activity", "activities", "incident", "incidents",
    "hack", "hacks", "compromise", "compromises", "reconnaissance", "targeting", "exploitation",
    "outbreak", "deployment", "theft", "tampering", "cyber", "cyberattack", "cyberattacks",
    "cyber-attack", "cyber-attacks", "network", "networks", "system", "systems", "environment",
    "account", "accounts", "this", "that", "it", "its", "their", "his", "her", "the", "a",
    "an", "of", "in", "into", "on", "at", "against", "to", "for", "from", "with", "by", "and",
    "or", "as", "well", "itself", "themselves", "again", "also", "whole", "entire", "same",
    "place", "any", "some", "other", "others", "there", "then",
    "than", "which", "who", "whom", "whose", "when", "where", "was", "were", "is", "are",
    "been", "be", "being", "has", "have", "had", "s", "between", "during", "across", "over",
    "under", "before", "after", "since", "until", "up", "out", "off", "not", "no", "so", "such",
    "these", "those", "one", "ones", "kind", "sort", "type", "part", "work", "role", "early",
    "late", "mid", "start", "beginning", "end", "summer", "winter", "spring", "autumn", "fall",
    "year", "years", "month", "months", "week", "weeks", "day", "days", "time", "times",
    "decade", "decades", "period", "now", "then", "previously", "later", "earlier", "only",
    "just", "even", "still", "yet", "already", "ago", "about", "around", "nearly", "almost",
    "close", "roughly", "some", "most", "more", "less", "many", "much", "both", "either",
    "neither", "each", "own", "through", "via", "using", "behalf", "like", "including",
    "amid", "among", "within", "without", "upon", "toward", "towards", "per", "what",
    "whatever", "whichever", "both", "along", "towards",
]);

/// Numbers written as words: quantities and durations, not what the object is.
#[rustfmt::skip]
static NUMBER_WORDS: language::Words = language::Words::new(&[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand", "thousands",
    "dozen", "dozens", "million", "millions", "next", "last", "few", "couple",
]);

/// Months: a date's month is not a content word (the year tells incidents apart).
#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
];

/// Content words that say the same thing, each group in its first word.
#[rustfmt::skip]
const SYNONYMS: &[&[&str]] = &[
    &["parliamentarian", "mp", "mps", "lawmaker", "legislator", "politician", "member"],
    &["email", "e-mail", "mail", "mailbox", "inbox"],
    &["firm", "company", "business", "organisation", "organization", "corporation"],
    &["hospital", "healthcare"],
    &["leader", "executive", "leadership"],
    &["credential", "password", "login"],
    &["utility", "utilities"],
    &["document", "file", "paper", "record"],
    &["vulnerability", "flaw", "bug", "zero-day"],
    &["ministry", "department"],
    &["wiper", "malware"],
];

/// The canonical word of a content word's synonym group.
fn canonical(word: &str) -> String {
    let l = lemma(word);
    for group in SYNONYMS {
        if group.contains(&l.as_str()) || group.contains(&word) {
            return group[0].to_string();
        }
    }
    l
}

/// Every wording of responsibility, as lemmas (the verbs, nouns and adjectives).
#[rustfmt::skip]
const RESPONSIBILITY: &[&str] = &[
    "responsible", "responsibility", "behind", "conduct", "perpetrate", "perpetrator",
    "orchestrate", "launch", "mount", "stage", "commit", "author", "authorship", "attributable",
    "attribute", "attribution", "culprit", "participate", "participation", "involve",
    "involvement", "involved", "sponsor", "run", "execute", "cause", "do", "make", "act",
    "carry", "take", "work", "engineer", "mastermind", "organise", "organize", "direct",
];

/// Actions and their synonyms (lemmas), each class named by its first.
#[rustfmt::skip]
const ACTIONS: &[&[&str]] = &[
    &["access", "break", "get", "gain", "penetrate", "infiltrate", "enter", "reach"],
    &["compromise", "hack", "breach"],
    &["steal", "exfiltrate", "theft", "obtain", "harvest", "loot", "take"],
    &["leak", "publish", "dump", "release", "expose"],
    &["deploy", "install", "spread", "distribute", "drop", "deployment", "push"],
    &["develop", "write", "build", "create", "code", "design", "make"],
    &["use", "employ", "leverage", "reuse", "wield"],
    &["exploit", "abuse", "exploitation"],
    &["discover", "find", "identify", "uncover"],
    &["sell", "resell", "auction", "seller"],
    &["buy", "purchase", "acquire"],
    &["share", "pass", "hand", "give", "provide"],
    &["operate", "maintain", "control", "manage", "host"],
    &["target", "attack", "aim"],
    &["tamper", "alter", "modify", "change", "manipulate"],
    &["plan", "prepare", "prepare"],
    &["read", "view", "monitor"],
    &["wipe", "destroy", "erase", "delete", "disrupt", "disable"],
    &["ship", "deliver"],
    &["regain"],
    &["deny", "reject", "refute"],
];

/// Verbs of saying and judging: with a third party as subject, what follows is reported.
#[rustfmt::skip]
static REPORTING: language::Words = language::Words::new(&[
    "said", "says", "say", "told", "tells", "tell", "argues", "argued", "argue", "claims",
    "claimed", "claim", "stated", "states", "announced", "announces", "wrote", "writes",
    "reported", "reports", "assessed", "assesses", "concluded", "concludes", "believes",
    "believed", "judge", "judges", "judged", "called", "calls", "described", "describes",
    "alleged", "alleges", "insisted", "insists", "suggested", "maintained", "maintains",
    "noted", "notes", "added", "adds", "warned", "warns", "estimated", "estimates",
    "according", "considers", "considered", "thinks", "thought",
]);

/// Nouns that name an action, with its verb.
const NOMINAL_ACTIONS: &[(&str, &str)] = &[
    ("deployment", "deploy"),
    ("exploitation", "exploit"),
    ("theft", "steal"),
    ("exfiltration", "exfiltrate"),
];

/// Nouns for an actor's people and units.
#[rustfmt::skip]
static ACTOR_NOUNS: language::Words = language::Words::new(&[
    "operators", "operator", "hackers", "hacker", "actors", "actor", "group", "groups", "unit",
    "units", "officers", "operatives", "agents", "intelligence", "services", "service",
    "military", "crew", "gang", "government", "state", "authorities", "spies", "forces",
    "army", "team", "teams", "cyber", "attackers",
]);

/// Auxiliaries and copulas.
#[rustfmt::skip]
static AUX: language::Words = language::Words::new(&[
    "is", "was", "are", "were", "be", "been", "being", "has", "have", "had", "having", "does",
    "did", "do", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
    "'s", "remains", "remain", "remained", "seems", "seem", "seemed", "appears", "appear",
    "appeared", "become", "became", "becomes", "to",
]);

/// Adverbs that may stand between an auxiliary and a verb.
#[rustfmt::skip]
static ADVERBS: language::Words = language::Words::new(&[
    "also", "then", "now", "already", "still", "only", "just", "indeed", "probably", "likely",
    "certainly", "almost", "highly", "very", "most", "nevertheless", "nonetheless", "however",
    "therefore", "thus", "again", "itself", "directly", "ultimately", "primarily", "mainly",
    "largely", "actually", "further", "additionally", "clearly", "all", "both", "each", "not",
    "never", "n't", "so", "too", "even", "first", "previously", "later", "once", "jointly",
    "alone", "really", "possibly", "perhaps", "in", "fact", "all", "likelihood",
]);

/// How far a proposition reaches either side of its term, in bytes.
const REACH: usize = 400;

/// The proposition of the likelihood term at `term` in sentence `r`, given the mentions of
/// the sentence (back references resolved), in text order.
pub fn read(
    text: &str,
    r: &Reading,
    term: Span,
    mentions: &[Mention],
    years: &Years,
) -> Proposition {
    let clause = bounded_clause(text, r, term);
    let mut asides = language::asides(text, clause);
    asides.extend(relatives(text, r, clause, term));
    // a term inside an aside speaks within it
    let clause = match asides
        .iter()
        .find(|a| a.start <= term.start && term.end <= a.end)
    {
        Some(a) => {
            let a = *a;
            asides.clear();
            a
        }
        None => clause,
    };
    let toks: Vec<Token> = r
        .within(clause)
        .iter()
        .filter(|t| !language::in_aside(&asides, t.span))
        .copied()
        .collect();
    let at = toks.partition_point(|t| t.span.start < term.start);
    let after = toks.partition_point(|t| t.span.start < term.end);
    let mode = mode_of(text, r, &toks, at, term);
    let (prop, frame_negated) = locate(text, &toks, at, after);
    let mut p = parse(text, &prop, mentions);
    p.mode = if mode == Mode::Asserted && p.mode == Mode::Prediction {
        Mode::Prediction
    } else if mode == Mode::Asserted && p.mode == Mode::Denial {
        Mode::Denial
    } else {
        mode
    };
    p.negated ^= frame_negated;
    // a fronted adverbial before the proposition counts with it ("In 2021, APT31 ...",
    // "During the December 2016 blackout in Kyiv, Sandworm ...")
    let prop_start = prop.first().map_or(term.start, |t| t.span.start);
    let fronted = fronted_adverbial(text, &toks, prop_start);
    p.object.years.extend(years_in(text, fronted));
    names_and_words(text, fronted, mentions, &mut p.object);
    p.object.years.sort_unstable();
    p.object.years.dedup();
    if p.object.years.is_empty() {
        // the years written in the kilobyte before the sentence
        p.object.context_years =
            years.within(Span::new(r.span.start.saturating_sub(1024), r.span.start));
        p.object.context_years.sort_unstable();
        p.object.context_years.dedup();
    }
    p.span = match (prop.first(), prop.last()) {
        (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
        _ => term,
    };
    p
}

/// The propositions a case's question asks about, one per verb: "Who compromised the build
/// server and shipped the update in August 2024?" gives `compromise` and `ship`, each with
/// the whole question's object.
pub fn read_question(question: &str) -> Vec<Proposition> {
    let span = Span::new(0, question.len());
    let toks = language::tokens(question, span);
    // "Who ...", "Which group ...", "Which actor ..."
    let start = toks
        .iter()
        .position(|t| t.is_any(question, &["who", "whom"]))
        .or_else(|| {
            toks.iter()
                .position(|t| t.is(question, "which"))
                .map(|i| (i + 1).min(toks.len()))
        });
    let Some(start) = start else {
        return Vec::new();
    };
    let toks = &toks[start..];
    let mut out: Vec<Proposition> = Vec::new();
    // each verb after "and" asks its own predicate about the same object
    let mut parts: Vec<&[Token]> = Vec::new();
    let mut from = 0;
    for (i, t) in toks.iter().enumerate() {
        if i > from + 1
            && t.is(question, "and")
            && toks
                .get(i + 1)
                .is_some_and(|n| is_past_participle(&n.text(question).to_lowercase()))
        {
            parts.push(&toks[from..i]);
            from = i;
        }
    }
    parts.push(&toks[from..]);
    // states and actors in any form ("US", "United States", "American")
    let mentions = super::subjects::Gazetteer::get().mentions(question, span);
    let mut object = Object::default();
    for part in parts {
        let p = parse(question, part, &mentions);
        object.names.extend(p.object.names.iter().cloned());
        object.words.extend(p.object.words.iter().cloned());
        object.years.extend(p.object.years.iter().copied());
        out.push(p);
    }
    for p in &mut out {
        p.object = object.clone();
    }
    out
}

/// The content words of `text` (lemmas, without function words): what an assumption's
/// label says.
pub fn content_words(text: &str) -> Vec<String> {
    let toks = language::tokens(text, Span::new(0, text.len()));
    let mut out: Vec<String> = toks
        .iter()
        .filter(|t| t.is_word && !t.is_in(text, &AUX) && !t.is_in(text, &STOP))
        .map(|t| canonical(&t.text(text).to_lowercase().replace("'s", "")))
        .filter(|w| w.len() > 1)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The assumption (index into `labels`, each its content words) whose label the words at
/// `span` restate: at least two thirds of its content words, and two or more.
pub fn restated(text: &str, span: Span, labels: &[Vec<String>]) -> Option<usize> {
    // (no case, or no label of two words: nothing to read)
    if labels.iter().all(|label| label.len() < 2) {
        return None;
    }
    let words = content_words(span.text(text));
    labels
        .iter()
        .enumerate()
        .filter(|(_, label)| label.len() >= 2)
        .map(|(i, label)| {
            let shared = label.iter().filter(|w| words.contains(w)).count();
            (i, shared, label.len())
        })
        .filter(|&(_, shared, n)| shared >= 2 && 3 * shared >= 2 * n)
        .max_by_key(|&(_, shared, _)| shared)
        .map(|(i, _, _)| i)
}

/// Function words left out of [`content_words`].
#[rustfmt::skip]
static STOP: language::Words = language::Words::new(&[
    "the", "a", "an", "of", "in", "into", "on", "at", "to", "for", "from", "with", "by", "and",
    "or", "as", "that", "this", "these", "those", "it", "its", "their", "his", "her", "which",
    "who", "whom", "whose", "than", "then", "there", "not", "no", "so", "such", "some", "any",
    "all", "several", "other", "another", "now", "also", "only", "just", "more", "most",
    "many", "much", "very", "one", "own",
]);

/// The years written in a stretch of text, by offset: indexed once per batch, so that what
/// each proposition's context says costs a search, not a reading.
pub struct Years(Vec<(usize, u32)>);

impl Years {
    /// The years (four digits from 1900 to 2099 standing alone) in `range` of `text`.
    pub fn index(text: &str, range: Span) -> Years {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = range.start;
        while i + 4 <= range.end {
            if b[i].is_ascii_digit()
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && b.get(i + 4).is_none_or(|c| !c.is_ascii_alphanumeric())
            {
                let y = (b[i] - b'0') as u32 * 1000
                    + (b[i + 1] - b'0') as u32 * 100
                    + (b[i + 2] - b'0') as u32 * 10
                    + (b[i + 3] - b'0') as u32;
                if (1900..2100).contains(&y) {
                    out.push((i, y));
                }
                i += 4;
            } else {
                i += 1;
            }
        }
        Years(out)
    }

    /// The distinct years written in `span`, sorted.
    pub fn within(&self, span: Span) -> Vec<u32> {
        let from = self.0.partition_point(|(at, _)| *at < span.start);
        let to = self.0.partition_point(|(at, _)| *at < span.end);
        let mut out: Vec<u32> = self.0[from..to].iter().map(|(_, y)| *y).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The clause of the term, at most [`REACH`] bytes either side.
fn bounded_clause(text: &str, r: &Reading, term: Span) -> Span {
    let whole = r.clause_at(term.start);
    let mut start = whole.start.max(term.start.saturating_sub(REACH));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = whole.end.min(term.end + REACH);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// Relative clauses and trailing adjuncts of the clause that say more about a noun than the
/// proposition does: ", as it was for ...", ", using ...", ", citing ...", ", given ...",
/// ", despite ...", ", a campaign that ...", and " that|which|who ..." after a noun in the
/// object (after the term).
fn relatives(text: &str, r: &Reading, clause: Span, term: Span) -> Vec<Span> {
    // every opener in one pass over the clause (which holds no comma, most of the time)
    let s = clause.text(text);
    let mut out = Vec::new();
    if s.contains(',')
        && let Some(openers) = openers()
    {
        for m in openers.find_overlapping_iter(s) {
            let at = m.start();
            // only after the term: before it, a comma phrase is a fronted adverbial
            if clause.start + at < term.end {
                continue;
            }
            let end = s[at + 1..].find(',').map_or(s.len(), |e| at + 1 + e);
            out.push(Span::new(clause.start + at + 1, clause.start + end));
        }
    }
    // an appositive after a name: "Free Delta Front, the persona that claimed ..., is"
    let all = r.within(clause);
    for (i, t) in all.iter().enumerate() {
        if t.text(text) != "," || i == 0 {
            continue;
        }
        let name_before = all[i - 1]
            .text(text)
            .starts_with(|c: char| c.is_uppercase());
        let article_after = all
            .get(i + 1)
            .is_some_and(|n| n.is_any(text, &["the", "a", "an"]));
        if name_before
            && article_after
            && let Some(close) = all[i + 1..].iter().position(|n| n.text(text) == ",")
        {
            out.push(Span::new(t.span.start, all[i + 1 + close].span.end));
        }
    }
    // restrictive relatives after the term: "the campaign that impersonated ...", "the
    // group that ...", "every hospital it entered" is left as it is
    let toks = r.within(Span::new(term.end, clause.end));
    for (i, t) in toks.iter().enumerate() {
        if i == 0 || !t.is_any(text, &["that", "which", "who", "whom", "whose", "where"]) {
            continue;
        }
        let prev = &toks[i - 1];
        // after a noun, not after a verb of saying ("said that", "so that")
        let noun_before = prev.is_word
            && !prev.is_in(text, &REPORTING)
            && !prev.is_in(text, &AUX)
            && !prev.is_any(
                text,
                &["so", "such", "now", "given", "means", "suggests", "shows"],
            );
        if noun_before {
            out.push(Span::new(t.span.start, clause.end));
            break;
        }
    }
    // means and duration: "by calling ...", "through a call ...", "for nearly twenty years"
    for (i, t) in toks.iter().enumerate() {
        let next = toks.get(i + 1);
        let means = t.is_any(text, &["through", "via"])
            || t.is(text, "by") && next.is_some_and(|n| n.text(text).ends_with("ing"));
        let duration = t.is_any(text, &["for", "within", "in", "over"])
            && toks[i + 1..]
                .iter()
                .take(4)
                .any(|n| n.is_any(text, &["years", "decades", "months", "weeks", "days"]));
        if means || duration {
            let end = toks[i + 1..]
                .iter()
                .find(|n| !n.is_word && n.text(text) == ",")
                .map_or(clause.end, |n| n.span.start);
            out.push(Span::new(t.span.start, end));
        }
    }
    out
}

/// The openers of trailing adjuncts and appositives, as one automaton.
fn openers() -> Option<&'static aho_corasick::AhoCorasick> {
    static OPENERS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    OPENERS
        .get_or_init(|| {
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build([
                    ", as ",
                    ", using ",
                    ", citing ",
                    ", given ",
                    ", despite ",
                    ", after ",
                    ", before ",
                    ", following ",
                    ", with ",
                    ", without ",
                    ", the first ",
                    ", the group ",
                    ", a campaign ",
                    ", a group ",
                    ", an operation ",
                    ", an attack ",
                    ", the campaign ",
                    ", rather than ",
                    ", nevertheless",
                    ", in ",
                    ", as well",
                ])
                .ok()
        })
        .as_ref()
}

/// Who says it: quoted, reported, acre's narrative, conditional, or the author's.
fn mode_of(text: &str, r: &Reading, toks: &[Token], at: usize, term: Span) -> Mode {
    let sentence = r.span.text(text);
    if sentence.trim_start().starts_with("After the evidence,") && sentence.contains("% before)") {
        return Mode::Narrative;
    }
    if in_quotes(text, r.span, term) {
        return Mode::Quoted;
    }
    // "according to X" anywhere in the sentence
    if r.tokens
        .windows(2)
        .any(|w| w[0].is(text, "according") && w[1].is(text, "to"))
    {
        return Mode::Reported;
    }
    // a third party's verb of saying before the term: "X said (that)"
    let words: Vec<&Token> = r
        .tokens
        .iter()
        .filter(|t| t.span.end <= term.start && t.is_word)
        .collect();
    for (i, w) in words.iter().enumerate() {
        if !w.is_in(text, &REPORTING) {
            continue;
        }
        if w.is(text, "according") {
            return Mode::Reported;
        }
        let before: Vec<&&Token> = words[..i]
            .iter()
            .rev()
            .take_while(|t| !t.is_any(text, &["that", "if", "and"]))
            .collect();
        // "we assess", "I think", "our analysts judge": the author's own
        let first_person = before
            .iter()
            .take(3)
            .any(|t| t.is_any(text, &["we", "i", "our", "us"]));
        if !first_person && !before.is_empty() {
            return Mode::Reported;
        }
    }
    // a condition in the clause, outside its asides, before the term
    // (a conditional cue, but "otherwise" before the term is no condition of it)
    let cue = toks[..at]
        .iter()
        .any(|t| t.is_in(text, &language::CONDITIONAL) && !t.is(text, "otherwise"))
        || toks
            .get(at.saturating_sub(1))
            .is_some_and(|t| t.is(text, "would"))
        || toks
            .iter()
            .skip(at)
            .take(4)
            .any(|t| t.is_any(text, &["would", "if"]));
    // "Should X be confirmed, ...", "Had X wanted ..., ...", "Were X to ..."
    let inverted = r.tokens.first().is_some_and(|t| {
        t.is_any(text, &["should", "had", "were"])
            && r.span.text(text).contains(',')
            && t.span.start < term.start
    });
    if cue || inverted {
        return Mode::Conditional;
    }
    Mode::Asserted
}

/// Whether `term` lies between quotation marks of its sentence (curly or straight double
/// quotes; single quotes are often apostrophes and titles).
fn in_quotes(text: &str, sentence: Span, term: Span) -> bool {
    let s = sentence.text(text);
    let rel = term.start - sentence.start;
    let before = &s[..rel];
    let opens = before.matches('\u{201c}').count();
    let closes = before.matches('\u{201d}').count();
    if opens > closes {
        return true;
    }
    let straight = before.matches('"').count();
    straight % 2 == 1 && s[rel..].contains('"')
}

/// The proposition's tokens within the clause, and whether the frame negates it ("it is
/// not likely that" is read by the term; "we do not judge" is the frame).
fn locate(text: &str, toks: &[Token], at: usize, after: usize) -> (Vec<Token>, bool) {
    // skip a bracketed number after the term: "almost certain (95-100%; computed 96.4%)"
    let mut j = after;
    if toks.get(j).is_some_and(|t| t.text(text) == "(") {
        while j < toks.len() && toks[j].text(text) != ")" {
            j += 1;
        }
        j = (j + 1).min(toks.len());
    }
    // "it is TERM that S", "there is a TERM that S"
    if toks.get(j).is_some_and(|t| t.is(text, "that")) {
        return (toks[j + 1..].to_vec(), false);
    }
    // "a TERM of X's involvement in E"
    if toks.get(j).is_some_and(|t| t.is(text, "of")) {
        return (toks[j + 1..].to_vec(), false);
    }
    let rest_is_empty = toks[j..]
        .iter()
        .all(|t| !t.is_word || t.is_any(text, &["though", "too", "now", "still", "however"]));
    if rest_is_empty {
        // "NP is (only, a) TERM", "regard NP as (a) TERM", "judge NP to be TERM"
        let mut k = at;
        while k > 0
            && toks[k - 1].is_word
            && toks[k - 1].is_any(
                text,
                &[
                    "a",
                    "an",
                    "only",
                    "just",
                    "still",
                    "nevertheless",
                    "nonetheless",
                    "now",
                    "merely",
                    "but",
                ],
            )
        {
            k -= 1;
        }
        if k > 0 && toks[k - 1].is_any(text, &["as", "be"]) {
            let head = if toks[k - 1].is(text, "be") && k >= 2 && toks[k - 2].is(text, "to") {
                k - 2
            } else {
                k - 1
            };
            // the verb that frames it: "regard", "consider", "judge", "assess"
            let verb = toks[..head].iter().rposition(|t| {
                t.is_any(
                    text,
                    &[
                        "regard",
                        "regards",
                        "consider",
                        "considers",
                        "judge",
                        "judges",
                        "assess",
                        "assesses",
                        "see",
                        "view",
                        "treat",
                        "rate",
                        "rates",
                    ],
                )
            });
            let from = verb.map_or(0, |v| v + 1);
            return (toks[from..head].to_vec(), false);
        }
        if k > 0 && toks[k - 1].is_in(text, &AUX) {
            let from = frame_end(text, &toks[..k - 1]);
            return (toks[from..k - 1].to_vec(), false);
        }
    }
    // the clause itself, without the term
    let from = frame_end(text, &toks[..at]);
    let mut prop: Vec<Token> = toks[from..at].to_vec();
    prop.extend_from_slice(&toks[after..]);
    (prop, false)
}

/// Where the proposition starts after a frame: "we assess that", "we judge", "after the
/// evidence,", a fronted adverbial ended by a comma.
fn frame_end(text: &str, toks: &[Token]) -> usize {
    // the last "that" of a frame "we assess that", "the NCSC said that"
    if let Some(i) = toks.iter().rposition(|t| t.is(text, "that")) {
        let framed = toks[..i].iter().any(|t| {
            t.is_in(text, &REPORTING)
                || t.is_any(
                    text,
                    &[
                        "assess",
                        "judge",
                        "believe",
                        "think",
                        "estimate",
                        "conclude",
                        "suggest",
                        "suggests",
                        "indicate",
                        "indicates",
                        "show",
                        "shows",
                        "mean",
                        "means",
                        "imply",
                        "implies",
                    ],
                )
        });
        if framed {
            return i + 1;
        }
    }
    // "we assess it", "we judge", "evidence suggests" without "that"
    if let Some(i) = toks.iter().rposition(|t| {
        t.is_any(
            text,
            &[
                "assess",
                "judge",
                "believe",
                "think",
                "estimate",
                "conclude",
                "suggests",
                "suggest",
                "indicates",
                "indicate",
                "shows",
                "show",
            ],
        )
    }) {
        return i + 1;
    }
    // a fronted adverbial: "In 2021, ...", "During the blackout, ..."
    if let Some(i) = toks.iter().rposition(|t| t.text(text) == ",")
        && toks
            .first()
            .is_some_and(|t| t.is_any(text, FRONTED_OPENERS) || t.is(text, "this"))
    {
        return i + 1;
    }
    0
}

/// Words that open a fronted adverbial ("In 2021, ...", "During the blackout, ...").
const FRONTED_OPENERS: &[&str] = &[
    "in",
    "during",
    "from",
    "between",
    "after",
    "before",
    "since",
    "on",
    "at",
    "by",
    "over",
    "within",
    "throughout",
    "last",
    "early",
    "late",
];

/// The tokens of a fronted adverbial before `start`: from a preposition at the start of the
/// clause to the comma that ends it.
fn fronted_adverbial<'t>(text: &str, toks: &'t [Token], start: usize) -> &'t [Token] {
    let opens = toks
        .first()
        .is_some_and(|t| t.is_any(text, FRONTED_OPENERS));
    if !opens {
        return &[];
    }
    let comma = toks
        .iter()
        .position(|t| t.text(text) == "," && t.span.end <= start);
    match comma {
        Some(c) => &toks[..c],
        None => &[],
    }
}

/// Years in `toks` (four digits from 1900 to 2099).
fn years_in(text: &str, toks: &[Token]) -> Vec<u32> {
    toks.iter()
        .filter_map(|t| {
            let w = t.text(text);
            (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
                .then(|| w.parse::<u32>().ok())
                .flatten()
                .filter(|y| (1900..2100).contains(y))
        })
        .collect()
}

/// Adds the names and content words of `toks` to `object` (mentions of actors and countries
/// as their keys).
fn names_and_words(text: &str, toks: &[Token], mentions: &[Mention], object: &mut Object) {
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if !t.is_word {
            i += 1;
            continue;
        }
        if let Some(m) = mentions
            .iter()
            .find(|m| m.span.start <= t.span.start && t.span.start < m.span.end)
        {
            let name = match &m.key {
                SubjectKey::Country(c) => format!("country:{c}"),
                SubjectKey::Actor(a) => format!("actor:{a}"),
                SubjectKey::Hypothesis(h) => format!("hypothesis:{h}"),
                SubjectKey::Group(g) => format!("group:{g}"),
                SubjectKey::Assumption(a) => format!("assumption:{a}"),
                SubjectKey::Named(n) => n.clone(),
            };
            object.names.push(name);
            // past every token that starts in the mention (at least this one)
            i += 1;
            while i < toks.len() && toks[i].span.start < m.span.end {
                i += 1;
            }
            continue;
        }
        let w = t.text(text);
        let lower = w.to_lowercase();
        if years_in(text, &[t]).len() == 1 || MONTHS.contains(&lower.as_str()) {
            i += 1;
            continue;
        }
        // "first" and "time" or "place": an idiom, not an ordinal
        if lower == "first"
            && toks
                .get(i + 1)
                .is_some_and(|n| n.is_any(text, &["place", "time"]))
        {
            i += 1;
            continue;
        }
        // quantities: "twenty", "10,000", "every"
        let number = lower
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
            && lower.bytes().filter(|b| *b == b'.').count() < 2;
        if number || t.is_in(text, &NUMBER_WORDS) || t.is_any(text, &["every", "each", "all"]) {
            let q = if t.is_any(text, &["every", "each", "all"]) {
                "all".to_string()
            } else {
                lower.clone()
            };
            if !matches!(q.as_str(), "next" | "last" | "few" | "couple") {
                object.quantities.push(q);
            }
            i += 1;
            continue;
        }
        let capital = w.starts_with(|c: char| c.is_uppercase());
        let initialism = w.len() >= 2
            && w.chars().filter(|c| c.is_uppercase()).count() >= 2
            && !w.chars().any(|c| c.is_lowercase() && c != 's');
        let digits = w.chars().any(|c| c.is_ascii_digit());
        // a capitalised function word ("The", "Who", "In") is no name
        let function_word = t.is_in(text, &STOP) || t.is_any(text, &["who", "which", "what"]);
        if (capital || digits) && !function_word && !t.is_in(text, &GENERIC) {
            // a run of capitalised words is one name ("Korea Hydro & Nuclear Power")
            let mut parts = vec![lower.trim_end_matches("'s").to_string()];
            let mut j = i + 1;
            while j < toks.len() {
                let n = toks[j];
                let nw = n.text(text);
                let joins = nw == "&"
                    || n.is_word
                        && nw.starts_with(|c: char| c.is_uppercase())
                        && !mentions
                            .iter()
                            .any(|m| m.span.start <= n.span.start && n.span.end <= m.span.end);
                if !joins {
                    break;
                }
                parts.push(nw.to_lowercase().trim_end_matches("'s").to_string());
                j += 1;
            }
            let name = if initialism && parts.len() == 1 {
                // "MPs" is an initialism with a plural
                parts[0].trim_end_matches('s').to_string()
            } else {
                parts.join(" ")
            };
            if SYNONYMS.iter().any(|g| g.contains(&name.as_str())) {
                object.words.push(canonical(&name));
            } else {
                object.names.push(name);
            }
            i = j;
            continue;
        }
        let adverb = lower.ends_with("ly")
            && lower.len() > 4
            && !matches!(
                lower.as_str(),
                "family" | "supply" | "italy" | "assembly" | "reply" | "ally"
            );
        if !t.is_in(text, &GENERIC)
            && !t.is_in(text, &AUX)
            && !t.is_in(text, &NUMBER_WORDS)
            && !adverb
            && lower.len() > 1
        {
            let word = canonical(lower.trim_end_matches("'s"));
            if !word.is_empty() && !GENERIC_LEMMAS.contains(&word.as_str()) {
                object.words.push(word);
            }
        }
        i += 1;
    }
    object.names.sort();
    object.names.dedup();
    object.words.sort();
    object.words.dedup();
}

/// Lemmas that only name the kind of event (after lemmatising "intrusions", "attacked").
const GENERIC_LEMMAS: &[&str] = &[
    "attack",
    "intrusion",
    "campaign",
    "operation",
    "breach",
    "incident",
    "hack",
    "compromise",
    "activity",
    "outbreak",
    "deployment",
    "theft",
    "tampering",
    "network",
    "system",
    "account",
    "environment",
    "year",
    "month",
    "decade",
];

/// Reads a proposition's tokens: subject, predicate, object.
fn parse(text: &str, toks: &[Token], mentions: &[Mention]) -> Proposition {
    let mut p = Proposition {
        subject: None,
        predicate: Predicate::Action(String::new()),
        object: Object::default(),
        mode: Mode::Asserted,
        negated: false,
        span: Span::new(0, 0),
    };
    if toks.is_empty() {
        return p;
    }
    // a token that starts in a mention is of it ("Sandworm's" holds "Sandworm")
    let mention_at = |t: &Token| {
        mentions
            .iter()
            .find(|m| m.span.start <= t.span.start && t.span.start < m.span.end)
    };
    // the main verb: the first auxiliary or verb form after the subject's noun phrase
    let verb_at = main_verb(text, toks, mentions);
    let (subject_np, rest) = toks.split_at(verb_at.unwrap_or(toks.len()));
    // the subject noun phrase: a mention at its head, or the possessor of a nominal
    // predicate ("APT31's responsibility for ...")
    let mut object_from: Vec<Token> = Vec::new();
    let mut subject: Option<Mention> = None;
    let mut predicate: Option<Predicate> = None;
    let head_mention = subject_np
        .iter()
        .find(|t| t.is_word && !t.is_any(text, &["a", "an", "the", "another"]))
        .and_then(&mention_at)
        .cloned();
    if let Some(m) = head_mention {
        // the mention is the head unless a noun follows it ("X's links", "Ember Ridge
        // tooling", "Night Ledger affiliates")
        let after: Vec<&Token> = subject_np
            .iter()
            .filter(|t| t.span.start >= m.span.end && t.is_word)
            .filter(|t| !t.is_any(text, &["itself", "alone", "too", "also", "themselves"]))
            .collect();
        let possessive = text[m.span.end..].starts_with("'s")
            || text[m.span.end..].starts_with("\u{2019}s")
            || after.first().is_some_and(|t| t.is_any(text, &["'s", "s"]));
        let noun = after
            .iter()
            .find(|t| !t.is_any(text, &["'s", "s"]))
            .copied();
        match (possessive, noun) {
            (true, Some(n)) if is_nominal_responsibility(text, n) => {
                subject = Some(m);
                predicate = Some(Predicate::Responsibility);
                object_from.extend(subject_np.iter().filter(|t| t.span.start > n.span.end));
            }
            (true, Some(n))
                if n.is_any(
                    text,
                    &[
                        "reconnaissance",
                        "campaign",
                        "operation",
                        "intrusion",
                        "attack",
                    ],
                ) =>
            {
                // "APT31's reconnaissance of MPs was likely intended to ...": about X's act
                subject = Some(m);
                object_from.extend(subject_np.iter().filter(|t| t.span.start >= n.span.start));
            }
            (true, Some(_)) => {}
            // "North Korean operators", "Russian military intelligence officers": the
            // actor's people are the actor
            (false, Some(n)) if n.is_in(text, &ACTOR_NOUNS) => subject = Some(m),
            // a name inside a description of an event: "The Cloud Hopper campaign was the
            // work of APT10"
            (false, Some(_)) => object_from.extend_from_slice(subject_np),
            _ => subject = Some(m),
        }
    } else if subject_np.is_empty() || subject_np.iter().all(|t| !t.is_word) {
        // no subject before the verb
    } else {
        // an event as the subject: "The NotPetya outbreak was the work of Sandworm"
        object_from.extend_from_slice(subject_np);
        // "the attribution of E to X": X after "to"
        if let Some(i) = subject_np.iter().position(|t| t.is(text, "attribution"))
            && let Some(to) = subject_np[i..].iter().position(|t| t.is(text, "to"))
        {
            let agent = subject_np[i + to + 1..].iter().find_map(&mention_at);
            if let Some(a) = agent {
                subject = Some(a.clone());
                predicate = Some(Predicate::Responsibility);
                object_from = subject_np[i + 1..i + to].to_vec();
            }
        }
    }
    let rest = rest.to_vec();
    // the verb phrase
    let mut k = 0;
    let mut passive = false;
    let mut copula = false;
    while k < rest.len() {
        let t = rest[k];
        if t.is_any(text, &["will", "shall"]) || t.is(text, "going") {
            p.mode = Mode::Prediction;
        }
        if t.is_any(text, &["not", "n't", "never"]) || t.text(text).ends_with("n't") {
            p.negated = !p.negated;
        }
        if t.is_any(
            text,
            &["was", "were", "is", "are", "been", "be", "being", "remains"],
        ) {
            copula = true;
        }
        let is_aux = t.is_in(text, &AUX) || t.is_in(text, &ADVERBS) || !t.is_word;
        if !is_aux {
            break;
        }
        k += 1;
    }
    // "is likely to VERB": a prediction, unless "to have"
    if p.mode == Mode::Asserted
        && k > 0
        && rest[k - 1].is(text, "to")
        && rest
            .get(k)
            .is_some_and(|t| !t.is_any(text, &["have", "be"]))
        && !rest[..k]
            .iter()
            .any(|t| t.is_any(text, &["have", "has", "had"]))
    {
        p.mode = Mode::Prediction;
    }
    let mut tail = &rest[k.min(rest.len())..];
    // "has the access it needs to", "has the capability to": able to do something
    let has = k > 0
        && rest[..k]
            .iter()
            .any(|t| t.is_any(text, &["has", "have", "had"]));
    if has
        && predicate.is_none()
        && tail
            .first()
            .is_some_and(|t| t.is_any(text, &["the", "a", "an"]))
        && tail.get(1).is_some_and(|t| {
            t.is_any(
                text,
                &[
                    "capability",
                    "capacity",
                    "means",
                    "ability",
                    "access",
                    "tools",
                    "skills",
                    "resources",
                ],
            )
        })
    {
        predicate = Some(Predicate::Capability);
    }
    // "try to regain", "attempt to regain", "seek to", "continue to": the verb after "to"
    while tail.len() >= 3
        && tail[0].is_any(
            text,
            &[
                "try",
                "tries",
                "tried",
                "attempt",
                "attempts",
                "attempted",
                "seek",
                "seeks",
                "sought",
                "continue",
                "continues",
                "continued",
                "begin",
                "began",
                "start",
                "started",
                "return",
            ],
        )
        && tail[1].is(text, "to")
    {
        tail = &tail[2..];
    }
    if let Some(v) = tail.first() {
        let word = v.text(text).to_lowercase();
        let next = tail.get(1);
        if predicate.is_none() {
            predicate = Some(if copula && word == "behind" {
                Predicate::Responsibility
            } else if matches!(word.as_str(), "capable" | "able")
                || word == "has"
                    && tail.iter().take(5).any(|t| {
                        t.is_any(
                            text,
                            &[
                                "capability",
                                "capacity",
                                "means",
                                "ability",
                                "access",
                                "tools",
                            ],
                        )
                    })
            {
                Predicate::Capability
            } else if matches!(word.as_str(), "intended" | "meant" | "designed" | "aimed")
                || lemma(&word) == "mean" && !copula
                || matches!(
                    word.as_str(),
                    "tasked" | "intend" | "intends" | "want" | "wanted" | "sought"
                )
            {
                Predicate::Intent
            } else if matches!(
                word.as_str(),
                "linked" | "tied" | "affiliated" | "associated" | "connected" | "part"
            ) || lemma(&word) == "work" && next.is_some_and(|n| n.is(text, "for"))
            {
                Predicate::Affiliation
            } else if matches!(word.as_str(), "the" | "a" | "an") {
                // "the (likely) perpetrator of E", "the work of X", "the seller of the access"
                let noun = tail
                    .iter()
                    .skip(1)
                    .find(|t| t.is_word && !t.is_any(text, &["likely", "probable", "most", "main"]))
                    .map(|t| t.text(text).to_lowercase())
                    .unwrap_or_default();
                if noun == "work" {
                    // the agent after "of" is the subject; the subject's phrase is the object
                    if let Some(a) = tail.iter().find_map(&mention_at) {
                        subject = Some(a.clone());
                    }
                    Predicate::Responsibility
                } else {
                    class_of(&noun)
                }
            } else if copula && is_past_participle(&word) {
                passive = true;
                class_of(&word)
            } else if word == "attributable" || word == "attributed" {
                if let Some(a) = tail.iter().find_map(&mention_at) {
                    subject = Some(a.clone());
                }
                Predicate::Responsibility
            } else if copula && (word == "responsible" || word == "involved") {
                Predicate::Responsibility
            } else {
                // phrasal wordings: "carried out", "took part", "gained access", "broke into"
                let l = lemma(&word);
                match (l.as_str(), next.map(|n| n.text(text).to_lowercase())) {
                    ("carry", Some(n)) if n == "out" => Predicate::Responsibility,
                    ("take", Some(n)) if n == "part" => Predicate::Responsibility,
                    ("gain" | "get" | "obtain", Some(n))
                        if matches!(
                            n.as_str(),
                            "access" | "foothold" | "entry" | "into" | "initial" | "a"
                        ) =>
                    {
                        Predicate::Action("access".to_string())
                    }
                    ("break", Some(n)) if n == "into" => Predicate::Action("access".to_string()),
                    _ => class_of(&word),
                }
            });
        }
        // the object: after the verb (and its particle), without the agent "by X" and
        // without the noun of a phrasal predicate ("gained access to", "a foothold in")
        let mut skip = 1;
        if matches!(&predicate, Some(Predicate::Action(a)) if a == "access") {
            while tail.get(skip).is_some_and(|t| {
                t.is_any(
                    text,
                    &[
                        "access", "foothold", "entry", "initial", "a", "an", "into", "to", "in",
                    ],
                )
            }) {
                skip += 1;
            }
        }
        let mut obj: Vec<Token> = tail[skip.min(tail.len())..].to_vec();
        if passive || matches!(predicate, Some(Predicate::Responsibility)) {
            if let Some(by) = obj.iter().position(|t| t.is(text, "by")) {
                let agent = obj[by + 1..].iter().find_map(&mention_at).cloned();
                if let Some(a) = agent
                    && (subject.is_none() || passive)
                {
                    subject = Some(a.clone());
                    obj.retain(|t| !(t.span.start >= a.span.start && t.span.end <= a.span.end));
                    obj.remove(by);
                }
            }
            if passive {
                object_from.extend_from_slice(subject_np);
            }
        }
        // "the work of X", "attributable to X": X is not part of the object
        if let Some(s) = &subject {
            obj.retain(|t| !(t.span.start >= s.span.start && t.span.end <= s.span.end));
        }
        object_from.extend(obj);
    } else if predicate.is_none() {
        // no verb: a nominal proposition ("X's responsibility for E") already read, or an
        // assumption's noun phrase ("a false flag")
        predicate = Some(Predicate::Action(String::new()));
    }
    if subject.as_ref().is_some_and(|s| {
        object_from
            .iter()
            .any(|t| t.span.start >= s.span.start && t.span.end <= s.span.end)
    }) {
        let s = subject.clone();
        object_from.retain(|t| {
            s.as_ref()
                .is_none_or(|s| !(t.span.start >= s.span.start && t.span.end <= s.span.end))
        });
    }
    // responsibility for a nominalised action is the action: "the Ryuk deployment ... was
    // the work of FIN12" states that FIN12 deployed Ryuk
    if predicate == Some(Predicate::Responsibility)
        && let Some(action) = object_from.iter().find_map(|t| {
            let w = t.text(text).to_lowercase();
            NOMINAL_ACTIONS
                .iter()
                .find(|(noun, _)| *noun == w)
                .map(|(_, verb)| *verb)
        })
    {
        predicate = Some(class_of(action));
    }
    // denial: "deny", "denied"
    if matches!(&predicate, Some(Predicate::Action(a)) if a == "deny") {
        p.mode = Mode::Denial;
    }
    p.subject = subject;
    p.predicate = predicate.unwrap_or(Predicate::Action(String::new()));
    p.object.years = years_in(text, &object_from);
    names_and_words(text, &object_from, mentions, &mut p.object);
    p
}

/// Whether `t` is a nominal wording of responsibility ("responsibility", "involvement",
/// "authorship", "role", "participation").
fn is_nominal_responsibility(text: &str, t: &Token) -> bool {
    t.is_any(
        text,
        &[
            "responsibility",
            "involvement",
            "authorship",
            "role",
            "participation",
            "culpability",
        ],
    )
}

/// The index of the proposition's main verb (its first auxiliary or verb form after the
/// subject's noun phrase), if any.
fn main_verb(text: &str, toks: &[Token], mentions: &[Mention]) -> Option<usize> {
    let in_mention = |t: &Token| {
        mentions
            .iter()
            .any(|m| m.span.start <= t.span.start && t.span.end <= m.span.end)
    };
    for (i, t) in toks.iter().enumerate() {
        if !t.is_word || in_mention(t) {
            continue;
        }
        let w = t.text(text).to_lowercase();
        if i == 0 && !t.is_in(text, &AUX) {
            continue;
        }
        if t.is_in(text, &AUX) && !t.is_any(text, &["to", "'s"]) {
            return Some(i);
        }
        if t.is_in(text, &ADVERBS)
            && !t.is_any(text, &["all", "both", "each", "first", "in", "fact"])
        {
            // an adverb before the verb belongs to the verb phrase
            let next_is_verb = toks.get(i + 1).is_some_and(|n| {
                let nw = n.text(text).to_lowercase();
                is_past_participle(&nw) || is_known_verb(&nw)
            });
            if next_is_verb {
                return Some(i);
            }
            continue;
        }
        if w == "behind" {
            return Some(i);
        }
        // a past form or a known verb after a noun phrase; not an adjective after a
        // determiner or a preposition ("against managed service providers"), nor a base
        // form before a later auxiliary ("the Orion build environment was ...")
        // (the first token can get here only as "to" or "'s", with nothing before it)
        let adjective_slot = i.checked_sub(1).and_then(|j| toks.get(j)).is_some_and(|p| {
            p.is_any(
                text,
                &[
                    "the", "a", "an", "its", "their", "his", "her", "against", "of", "for", "with",
                    "by", "on", "in", "into", "from", "to", "at", "and", "or", "about", "over",
                ],
            )
        });
        let bare = lemma(&w) == w && !w.ends_with("ed");
        let aux_later = toks[i + 1..]
            .iter()
            .any(|n| n.is_in(text, &AUX) && !n.is_any(text, &["to", "'s"]));
        if (is_past_participle(&w) || is_known_verb(&w)) && !adjective_slot && !(bare && aux_later)
        {
            return Some(i);
        }
    }
    None
}

/// Whether `word` looks like a past participle or past tense.
fn is_past_participle(word: &str) -> bool {
    super::english::is_past_form(word)
        && !matches!(
            word,
            "red" | "bed" | "need" | "seed" | "speed" | "feed" | "united" | "limited"
        )
}

/// Whether `word` is a form of a verb whose class is known (a lexical verb, not a noun).
fn is_known_verb(word: &str) -> bool {
    let l = lemma(word);
    if matches!(
        word,
        "attack"
            | "attacks"
            | "hack"
            | "compromise"
            | "breach"
            | "leak"
            | "use"
            | "access"
            | "target"
            | "work"
            | "change"
            | "plan"
            | "share"
            | "release"
            | "dump"
            | "control"
            | "design"
            | "code"
            | "theft"
            | "deployment"
            | "attribution"
            | "exploitation"
            | "run"
            | "push"
            | "drop"
            | "make"
            | "aim"
    ) {
        return false;
    }
    RESPONSIBILITY.contains(&l.as_str())
        && !matches!(
            l.as_str(),
            "responsible"
                | "responsibility"
                | "involvement"
                | "authorship"
                | "attribution"
                | "perpetrator"
                | "culprit"
                | "author"
                | "attributable"
                | "participation"
                | "behind"
                | "work"
        )
        || ACTIONS.iter().any(|g| g.contains(&l.as_str()))
        || word.ends_with("ed") && word.len() > 4
}

/// The class of a verb or a noun of action.
fn class_of(word: &str) -> Predicate {
    let l = lemma(word);
    if RESPONSIBILITY.contains(&l.as_str()) {
        return Predicate::Responsibility;
    }
    for group in ACTIONS {
        if group.contains(&l.as_str()) || group.contains(&word) {
            return Predicate::Action(group[0].to_string());
        }
    }
    Predicate::Action(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::subjects::Gazetteer;

    fn prop(sentence: &str, term: &str) -> Proposition {
        let g = Gazetteer::get();
        let span = Span::new(0, sentence.len());
        let at = sentence.find(term).unwrap();
        let mentions = g.mentions(sentence, span);
        let r = Reading::new(sentence, span);
        let years = Years::index(sentence, span);
        read(
            sentence,
            &r,
            Span::new(at, at + term.len()),
            &mentions,
            &years,
        )
    }

    fn same(a: (&str, &str), b: (&str, &str)) -> bool {
        prop(a.0, a.1).same_claim(&prop(b.0, b.1))
    }

    #[test]
    fn one_claim_in_many_wordings() {
        let base = (
            "APT28 almost certainly conducted the 2015 intrusion into the Bundestag network.",
            "almost certainly",
        );
        for other in [
            (
                "It is likely that APT28 was responsible for the intrusion into the Bundestag in 2015.",
                "likely",
            ),
            (
                "The 2015 Bundestag intrusion was highly likely carried out by APT28.",
                "highly likely",
            ),
            (
                "APT28's responsibility for the 2015 Bundestag intrusion is likely.",
                "likely",
            ),
            (
                "The 2015 intrusion into the Bundestag network was likely the work of APT28.",
                "likely",
            ),
            (
                "In 2015, APT28 was likely behind the intrusion into the Bundestag.",
                "likely",
            ),
        ] {
            assert!(same(base, other), "{}", other.0);
        }
    }

    #[test]
    fn different_claims_about_one_actor() {
        let base = (
            "Sandworm almost certainly deployed the wiper against the broadcaster in 2022.",
            "almost certainly",
        );
        for other in [
            (
                "Sandworm likely deployed the wiper against the power company in 2022.",
                "likely",
            ),
            ("Sandworm likely developed the wiper in 2022.", "likely"),
            (
                "Sandworm will likely deploy the wiper against the broadcaster again.",
                "likely",
            ),
            (
                "Sandworm is likely capable of deploying the wiper against the broadcaster.",
                "likely",
            ),
            (
                "If the loader was planted, Sandworm is unlikely to have deployed the wiper against the broadcaster.",
                "unlikely",
            ),
            (
                "The ministry said Sandworm likely deployed the wiper against the broadcaster in 2022.",
                "likely",
            ),
            (
                "Sandworm likely deployed the wiper against the broadcaster in 2017.",
                "likely",
            ),
        ] {
            assert!(!same(base, other), "{}", other.0);
        }
    }

    #[test]
    fn subjects_of_passives_possessives_and_agents() {
        let g = Gazetteer::get();
        let name = |p: Proposition| p.subject.and_then(|s| g.name(&s.key).map(str::to_string));
        assert_eq!(
            name(prop(
                "The documents were likely stolen by Kimsuky.",
                "likely"
            ))
            .as_deref(),
            Some("Kimsuky")
        );
        assert_eq!(
            name(prop(
                "It is unlikely that APT31's links were reused by another group.",
                "unlikely"
            )),
            None
        );
        assert_eq!(
            name(prop(
                "It is highly unlikely that another actor imitated Sandworm's tooling.",
                "highly unlikely"
            )),
            None
        );
        let p = prop(
            "“APT31 was almost certainly behind this,” one MP said.",
            "almost certainly",
        );
        assert_eq!(p.mode, Mode::Quoted);
        let p = prop("China will likely deny any involvement.", "likely");
        assert!(matches!(p.mode, Mode::Prediction | Mode::Denial));
    }

    #[test]
    fn objects_agree_unless_they_contradict() {
        let o = |names: &[&str], words: &[&str], years: &[u32]| Object {
            names: names.iter().map(|s| s.to_string()).collect(),
            words: words.iter().map(|s| s.to_string()).collect(),
            years: years.to_vec(),
            context_years: Vec::new(),
            quantities: Vec::new(),
        };
        assert!(o(&["mgm resorts"], &[], &[2023]).compatible(&o(&["mgm"], &["casino"], &[])));
        assert!(o(&["dnc"], &[], &[]).compatible(&o(&["democratic national committee"], &[], &[])));
        assert!(o(&["ot"], &["utility"], &[]).compatible(&o(
            &[],
            &["operational", "technology", "utility"],
            &[]
        )));
        assert!(!o(&[], &["broadcaster", "wiper"], &[]).compatible(&o(
            &[],
            &["grid", "operator", "wiper"],
            &[]
        )));
        assert!(!o(&["bundestag"], &[], &[2015]).compatible(&o(&["spd"], &[], &[2023])));
    }
}
