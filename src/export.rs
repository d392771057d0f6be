//! Exchange with CTI tools: the evidence graph in DOT (petgraph), a STIX 2.1
//! bundle, and a MISP event with the estimative-language and admiralty-scale tags.
//!
//! Both exports also carry the case as written, declaration by declaration (a STIX 2.1
//! property extension on each object, a MISP event report holding the case file), so that
//! `acre import` gives back the same hypotheses, sources, grades, items, dates, citations
//! and likelihoods; other tools read the standard fields and tags.
//!
//! Invariants: exports are deterministic functions of the case, its text and its
//! assessment: ids are UUIDv5 names derived from the case, timestamps from its dates.

use crate::explain::Explanation;
use crate::infer::Assessment;
use crate::lexicon::builtin_yardstick;
use crate::model::Case;
use petgraph::dot::{Config, Dot};
use petgraph::graph::DiGraph;
use serde_json::{Value, json};
use uuid::Uuid;

/// What a node of the evidence graph is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A source.
    Source,
    /// An evidence item.
    Item,
    /// An assumption.
    Assumption,
}

/// What an edge means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// A source reports an item.
    Reports,
    /// A source echoes another (edge from the echo to the original).
    Echoes,
    /// An item depends on another (edge from the earlier item).
    DependsOn,
    /// An item's likelihood is conditioned on an assumption.
    Conditions,
}

/// The evidence and source graph: sources (declared), assumptions and items.
pub fn evidence_graph(case: &Case) -> DiGraph<(NodeKind, String, String), EdgeKind> {
    let mut g = DiGraph::new();
    let sources: Vec<_> = case
        .sources
        .iter()
        .map(|s| {
            s.declared.then(|| {
                g.add_node((
                    NodeKind::Source,
                    s.id.clone(),
                    format!("{} ({})", s.label, s.reliability.map_or('?', |(c, _)| c)),
                ))
            })
        })
        .collect();
    let assumptions: Vec<_> = case
        .assumptions
        .iter()
        .map(|a| g.add_node((NodeKind::Assumption, a.id.clone(), a.label.clone())))
        .collect();
    let items: Vec<_> = case
        .items
        .iter()
        .map(|e| {
            let status = match e.status {
                crate::vocab::Status::Observed => "",
                crate::vocab::Status::Absent => " [absent]",
                crate::vocab::Status::Pending => " [pending]",
            };
            g.add_node((
                NodeKind::Item,
                e.id.clone(),
                format!("{} ({}){status}", e.id, e.grade_text(case)),
            ))
        })
        .collect();
    for (i, s) in case.sources.iter().enumerate() {
        if let (Some(from), Some(to)) = (sources[i], s.echoes.and_then(|e| sources[e.idx()])) {
            g.add_edge(from, to, EdgeKind::Echoes);
        }
    }
    for (i, e) in case.items.iter().enumerate() {
        if let Some(s) = sources[e.source.idx()] {
            g.add_edge(s, items[i], EdgeKind::Reports);
        }
        for d in &e.depends_on {
            g.add_edge(items[d.idx()], items[i], EdgeKind::DependsOn);
        }
        for a in &e.likelihood.conds {
            g.add_edge(assumptions[a.idx()], items[i], EdgeKind::Conditions);
        }
    }
    g
}

fn dot_escape(s: &str) -> String {
    crate::escape::dot(s)
}

/// The evidence graph in Graphviz DOT, written by petgraph.
pub fn dot(case: &Case) -> String {
    let g = evidence_graph(case);
    let body = format!(
        "{:?}",
        Dot::with_attr_getters(
            &g,
            &[Config::EdgeNoLabel, Config::NodeNoLabel],
            &|_, e| match e.weight() {
                EdgeKind::Reports => "label=\"reports\"".to_string(),
                EdgeKind::Echoes => "label=\"echoes\" style=dashed color=\"#aa3333\"".to_string(),
                EdgeKind::DependsOn => "label=\"depends on\" color=\"#3366cc\"".to_string(),
                EdgeKind::Conditions =>
                    "label=\"conditions\" style=dotted color=\"#777777\"".to_string(),
            },
            &|_, (_, (kind, _, label))| {
                let shape = match kind {
                    NodeKind::Source => "shape=box style=filled fillcolor=\"#e8eef7\"",
                    NodeKind::Item => "shape=ellipse",
                    NodeKind::Assumption => "shape=diamond style=filled fillcolor=\"#fdf3d8\"",
                };
                format!("label=\"{}\" {shape}", dot_escape(label))
            },
        )
    );
    body.replacen(
        "digraph {",
        &format!(
            "digraph evidence {{\n    label=\"{}\"\n    rankdir=LR",
            dot_escape(&case.title)
        ),
        1,
    )
}

/// The name of the STIX extension that carries a case's declarations, and of the MISP event
/// report that holds the case file: `acre import` looks for these.
pub const CASE_LANGUAGE: &str = "acre case language";

/// One declaration of a case as written (its comments inside it included): its keyword,
/// its name (none for the header), and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    /// What it declares.
    pub keyword: Option<crate::syntax::keyword::Keyword>,
    /// Its name.
    pub name: Option<String>,
    /// Its text.
    pub text: String,
}

/// The declarations of a case's text, in order (`include` lines left out: the text a case
/// is exported from is assembled with what it includes).
pub fn declarations(text: &str) -> Vec<Declared> {
    use crate::syntax::keyword::Keyword;
    crate::syntax::tree::parse(text)
        .declarations()
        .filter(|d| d.keyword() != Some(Keyword::Include))
        .map(|d| Declared {
            keyword: d.keyword(),
            name: d.name().map(|n| n.text().to_string()),
            text: d.syntax().text().to_string().trim().to_string(),
        })
        .filter(|d| !d.text.is_empty())
        .collect()
}

/// The namespace for acre's UUIDv5 ids.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:acre")
}

fn stix_id(kind: &str, case: &Case, name: &str) -> String {
    format!(
        "{kind}--{}",
        Uuid::new_v5(
            &namespace(),
            format!("{}\u{0}{kind}\u{0}{name}", case.title).as_bytes()
        )
    )
}

/// A STIX timestamp from a case date (`2024-03-25`, `2024-03`, `2024`), or the Unix epoch.
pub fn stix_time(date: Option<&str>) -> String {
    let d = date.unwrap_or("1970-01-01");
    let mut parts = d.split('-');
    let y = parts.next().unwrap_or("1970");
    let m = parts.next().unwrap_or("01");
    let day = parts.next().unwrap_or("01");
    format!("{y}-{m}-{day}T00:00:00.000Z")
}

/// The STIX 2.1 DNI scale value for a probability: the ICD 203 term holding it, mapped by the
/// spec's appendix table (almost no chance 5, very unlikely 15, unlikely 30, roughly even 50,
/// likely 70, very likely 85, almost certain 95).
pub fn dni_confidence(p: f64) -> u32 {
    let values = [5, 15, 30, 50, 70, 85, 95];
    let idx = builtin_yardstick("icd203").map_or(3, |y| crate::infer::words::written(&y, p));
    values.get(idx).copied().unwrap_or(50)
}

/// The ICD 203 term for a probability, as a MISP `estimative-language` value.
pub fn misp_likelihood(p: f64) -> &'static str {
    let idx = builtin_yardstick("icd203").map_or(3, |y| crate::infer::words::written(&y, p));
    MISP_LIKELIHOODS
        .get(idx)
        .copied()
        .unwrap_or("roughly-even-chance")
}

/// The values of MISP's `estimative-language:likelihood-probability`, in the order of the
/// ICD 203 terms they stand for.
pub const MISP_LIKELIHOODS: [&str; 7] = [
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "roughly-even-chance",
    "likely",
    "very-likely",
    "almost-certain",
];

/// How an export states an item's status: observed items as reported, absent ones as
/// looked for and not found, pending ones as not yet collected (they carry no weight).
struct ItemWords {
    /// The status as a tag or label value: `observed`, `absent`, `pending`.
    status: &'static str,
    /// The item's text as the export presents it.
    value: String,
    /// Where the report comes from, consistent with the grade tags.
    from: String,
}

fn item_words(case: &Case, e: &crate::model::Item) -> ItemWords {
    let source = &case.sources[e.source.idx()];
    let description = if e.description.is_empty() {
        e.id.clone()
    } else {
        e.description.clone()
    };
    let from = if source.declared {
        source.label.clone()
    } else if let Some((letter, _)) = source.reliability {
        format!("a source named only in this item, reliability {letter}")
    } else {
        "an ungraded source".to_string()
    };
    let (status, value) = match e.status {
        crate::vocab::Status::Observed => ("observed", description),
        crate::vocab::Status::Absent => ("absent", format!("Looked for, not found: {description}")),
        crate::vocab::Status::Pending => (
            "pending",
            format!("Not yet collected (pending): {description}"),
        ),
    };
    ItemWords {
        status,
        value,
        from,
    }
}

/// The comment or note on an item: its id and grade, its source, and for absent and pending
/// items what the status means.
fn item_comment(case: &Case, e: &crate::model::Item, w: &ItemWords) -> String {
    let grade = e.grade_text(case);
    match e.status {
        crate::vocab::Status::Observed => format!("{} ({grade}), reported by {}", e.id, w.from),
        crate::vocab::Status::Absent => format!(
            "{} ({grade}): looked for and not found, per {}; its absence is the evidence",
            e.id, w.from
        ),
        crate::vocab::Status::Pending => format!(
            "{} ({grade}): pending, not yet collected from {}; it carries no weight in the assessment",
            e.id, w.from
        ),
    }
}

/// A STIX 2.1 bundle: the activity as a `campaign`, each hypothesis (except the catch-all) and
/// each group a `threat-actor` (a group's members `related-to` it), an `attributed-to`
/// relationship per hypothesis and group whose `confidence` is the posterior on the DNI scale (STIX puts likelihood on its confidence axis), a `note` with the
/// narrative and the confidence reasons, and a `grouping` holding the question. Each declared
/// source is an `identity`, each assumption a `note`. `text` is the case as checked: each
/// object carries its declaration in the acre extension (the campaign those that have no
/// object of their own), so `acre import` gives the case back.
pub fn stix(case: &Case, a: &Assessment, x: &Explanation, text: &str) -> Value {
    use crate::syntax::keyword::Keyword;
    let time = stix_time(case.assessed.as_deref().or(case.event.as_deref()));
    let declared = declarations(text);
    let extension = stix_id("extension-definition", case, "acre");
    // each declaration with its place in the case, so that import keeps the case's order
    let decl_of = |keyword: Keyword, name: &str| {
        declared
            .iter()
            .enumerate()
            .find(|(_, d)| d.keyword == Some(keyword) && d.name.as_deref() == Some(name))
            .map(|(i, d)| (i, d.text.clone()))
    };
    let carry = |object: &mut Value, declaration: Option<(usize, String)>| {
        if let Some((position, d)) = declaration {
            object["extensions"] = json!({ extension.clone(): { "extension_type": "property-extension", "declaration": d, "position": position } });
        }
    };
    let identity = stix_id("identity", case, "acre");
    let campaign = stix_id("campaign", case, "campaign");
    let common = |kind: &str, id: &str| json!({ "type": kind, "spec_version": "2.1", "id": id, "created": time, "modified": time, "created_by_ref": identity });
    let mut objects = vec![json!({
        "type": "identity", "spec_version": "2.1", "id": identity, "created": time, "modified": time,
        "name": "acre", "identity_class": "system", "description": "attribution confidence reasoning engine",
    })];
    if !declared.is_empty() {
        objects.push(json!({
            "type": "extension-definition", "spec_version": "2.1", "id": extension, "created": time, "modified": time,
            "created_by_ref": identity, "name": CASE_LANGUAGE,
            "description": "The case as written in acre's case language: each object's `declaration` is the declaration it stands for; the campaign's `declarations` are the header and the declarations with no object of their own.",
            "schema": "acre's case language (grammar/acre.ebnf in acre's source): `declaration` is one declaration, `declarations` a list of them, as text",
            "version": "1.0.0",
            "extension_types": ["property-extension"],
        }));
    }
    let mut c = common("campaign", &campaign);
    c["name"] = json!(case.title);
    if let Some(q) = &case.question {
        c["description"] = json!(q);
    }
    // the declarations with no object of their own: the header, the catch-all, judgments,
    // expectations, the outcome, yardsticks and gradings
    let own_object = |d: &Declared| match d.keyword {
        Some(Keyword::Hypothesis) => case
            .hypotheses
            .iter()
            .any(|h| Some(&h.id) == d.name.as_ref() && !h.catch_all),
        Some(Keyword::Group | Keyword::Source | Keyword::Assumption | Keyword::Evidence) => true,
        _ => false,
    };
    let (positions, rest): (Vec<usize>, Vec<&str>) = declared
        .iter()
        .enumerate()
        .filter(|(_, d)| !own_object(d))
        .map(|(i, d)| (i, d.text.as_str()))
        .unzip();
    if !rest.is_empty() {
        c["extensions"] = json!({ extension.clone(): { "extension_type": "property-extension", "declarations": rest, "positions": positions } });
    }
    objects.push(c);
    let mut refs = vec![json!(campaign)];
    let pct = crate::format::pct1;
    // the hypotheses, then the groups (each a threat actor of its own, with its members
    // related to it): every level of the question with its posterior
    let hypotheses = case.hypotheses.iter().zip(&a.hypotheses).map(|(h, r)| {
        (
            h.id.as_str(),
            h.label.as_str(),
            &h.aliases,
            h.catch_all,
            r,
            None,
        )
    });
    let groups = case.groups.iter().zip(&a.groups).map(|(g, r)| {
        (
            g.id.as_str(),
            g.label.as_str(),
            &g.aliases,
            false,
            r,
            Some(g),
        )
    });
    let exported = |p: &crate::model::Proposition| match p {
        crate::model::Proposition::Hypothesis(h) => !case.hypotheses[h.idx()].catch_all,
        crate::model::Proposition::Group(_) => true,
    };
    for (id, label, aliases, catch_all, r, group) in hypotheses.chain(groups) {
        if catch_all {
            continue;
        }
        let actor = stix_id("threat-actor", case, id);
        let mut t = common("threat-actor", &actor);
        t["name"] = json!(label);
        if !aliases.is_empty() {
            t["aliases"] = json!(aliases);
        }
        let keyword = if group.is_some() {
            Keyword::Group
        } else {
            Keyword::Hypothesis
        };
        carry(&mut t, decl_of(keyword, id));
        objects.push(t);
        refs.push(json!(actor));
        for m in group
            .iter()
            .flat_map(|g| &g.members)
            .filter(|m| exported(m))
        {
            let member = case.proposition_id(*m);
            let rel = stix_id("relationship", case, &format!("member {member} of {id}"));
            let mut r_obj = common("relationship", &rel);
            r_obj["relationship_type"] = json!("related-to");
            r_obj["source_ref"] = json!(stix_id("threat-actor", case, member));
            r_obj["target_ref"] = json!(actor);
            r_obj["description"] = json!(format!(
                "{} is a member of the group {label} (acre group `{id}`): the group's probability is the sum of its members'",
                case.proposition_label(*m)
            ));
            objects.push(r_obj);
            refs.push(json!(rel));
        }
        let rel = stix_id("relationship", case, &format!("attributed-to {id}"));
        let mut r_obj = common("relationship", &rel);
        r_obj["relationship_type"] = json!("attributed-to");
        r_obj["source_ref"] = json!(campaign);
        r_obj["target_ref"] = json!(actor);
        r_obj["confidence"] = json!(dni_confidence(r.point));
        r_obj["description"] = json!(format!(
            "acre posterior {} ({} on the {} yardstick; bounds {}-{}, 90% interval {}). STIX confidence carries this likelihood on the DNI scale of the STIX 2.1 appendix.",
            pct(r.point),
            r.placement.words,
            case.yardstick.name,
            pct(r.lower).trim_end_matches('%'),
            pct(r.upper),
            crate::format::whole_interval(r.p05, r.p95)
        ));
        objects.push(r_obj);
        refs.push(json!(rel));
    }
    // each declared source as an identity, each assumption as a note about the campaign
    let mut source_refs = std::collections::HashMap::new();
    for src in case.sources.iter().filter(|s| s.declared) {
        let id = stix_id("identity", case, &format!("source {}", src.id));
        let mut o = common("identity", &id);
        o["name"] = json!(src.label);
        o["identity_class"] = json!("unknown");
        if let Some((letter, _)) = src.reliability {
            o["description"] = json!(format!(
                "A source of the case, reliability {letter} (Admiralty)"
            ));
        }
        // STIX wants a description, an id or an address beside the name
        let mut ext = json!({
            "source_name": src.cite.clone().unwrap_or_else(|| format!("source {}", src.id)),
            "description": format!("how the case cites its source {}", src.id),
        });
        if let Some(u) = &src.url {
            ext["url"] = json!(u);
        }
        if src.cite.is_some() || src.url.is_some() {
            o["external_references"] = json!([ext]);
        }
        carry(&mut o, decl_of(Keyword::Source, &src.id));
        objects.push(o);
        refs.push(json!(id));
        source_refs.insert(src.id.clone(), id);
    }
    for asm in &case.assumptions {
        let id = stix_id("note", case, &format!("assumption {}", asm.id));
        let mut n = common("note", &id);
        n["abstract"] = json!(format!("Assumption: {}", asm.label));
        n["content"] = json!(format!(
            "{} ({}): an assumption the case weighs, with its own probability",
            asm.label, asm.id
        ));
        n["labels"] = json!(["acre-assumption"]);
        n["object_refs"] = json!([campaign]);
        carry(&mut n, decl_of(Keyword::Assumption, &asm.id));
        objects.push(n);
        refs.push(json!(id));
    }
    // each item as a note about the campaign (an analyst's statement, not an observation
    // presented as fact), labelled with its status
    for e in &case.items {
        let w = item_words(case, e);
        let id = stix_id("note", case, &format!("item {}", e.id));
        let mut n = common("note", &id);
        // a note is made when its item became known: its `reported` date, where it has one
        if let Some((date, _)) = &e.reported {
            let at = stix_time(Some(date));
            n["created"] = json!(at);
            n["modified"] = json!(at);
        }
        n["abstract"] = json!(w.value);
        n["content"] = json!(item_comment(case, e, &w));
        n["labels"] = json!(["acre-evidence", w.status]);
        let mut about = vec![json!(campaign)];
        if let Some(src) = source_refs.get(&case.sources[e.source.idx()].id) {
            about.push(json!(src));
        }
        n["object_refs"] = json!(about);
        carry(&mut n, decl_of(Keyword::Evidence, &e.id));
        let mut ext = json!({ "source_name": e.cite.clone().unwrap_or_else(|| format!("evidence {}", e.id)) });
        match &e.url {
            Some(u) => ext["url"] = json!(u),
            // STIX wants a description, an id or an address beside the name
            None => ext["description"] = json!(format!("how the case cites its item {}", e.id)),
        }
        if e.cite.is_some() || e.url.is_some() {
            n["external_references"] = json!([ext]);
        }
        objects.push(n);
        refs.push(json!(id));
    }
    let note = stix_id("note", case, "narrative");
    let mut n = common("note", &note);
    n["abstract"] = json!(format!(
        "acre: {} ({} confidence)",
        x.focus_words,
        a.confidence.level.word()
    ));
    n["content"] = json!(format!(
        "{}\n\nConfidence is {}:\n- {}",
        x.narrative,
        a.confidence.level.word(),
        a.confidence.reasons.join("\n- ")
    ));
    n["object_refs"] = json!(refs.clone());
    let external: Vec<Value> = case
        .references()
        .iter()
        .map(|r| {
            let mut e = json!({
                "source_name": r.cite.clone().unwrap_or_else(|| format!("{} {}", r.kind, r.id)),
                "description": format!("{} {} of the case", r.kind, r.id),
            });
            if let Some(u) = &r.url {
                e["url"] = json!(u);
            }
            e
        })
        .collect();
    if !external.is_empty() {
        n["external_references"] = json!(external);
    }
    objects.push(n);
    refs.push(json!(note));
    let grouping = stix_id("grouping", case, "grouping");
    let mut g = common("grouping", &grouping);
    g["name"] = json!(case.question.clone().unwrap_or_else(|| case.title.clone()));
    g["context"] = json!("suspicious-activity");
    g["object_refs"] = json!(refs);
    objects.push(g);
    json!({ "type": "bundle", "id": stix_id("bundle", case, "bundle"), "objects": objects })
}

/// The uuid of a MISP event's part (`event`, `hypothesis ID`, `item ID`, ...) as acre's
/// export names it, from the case's title: import knows its own attributes by it.
pub fn misp_uuid(title: &str, name: &str) -> String {
    Uuid::new_v5(
        &namespace(),
        format!("{title}\u{0}misp\u{0}{name}").as_bytes(),
    )
    .to_string()
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// The MISP taxonomies acre's tags come from (`src/export/misp-taxonomies/`, with their
/// licence): each `(namespace, predicate, values)`.
fn misp_taxonomies() -> &'static [(String, String, Vec<String>)] {
    static TAXONOMIES: std::sync::OnceLock<Vec<(String, String, Vec<String>)>> =
        std::sync::OnceLock::new();
    TAXONOMIES.get_or_init(|| {
        let files = [
            include_str!("export/misp-taxonomies/admiralty-scale.json"),
            include_str!("export/misp-taxonomies/estimative-language.json"),
        ];
        let mut out = Vec::new();
        for file in files {
            let Ok(v) = serde_json::from_str::<Value>(file) else {
                continue;
            };
            let namespace = v["namespace"].as_str().unwrap_or_default().to_string();
            for p in v["values"].as_array().into_iter().flatten() {
                let values = p["entry"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["value"].as_str().map(str::to_string))
                    .collect();
                let predicate = p["predicate"].as_str().unwrap_or_default().to_string();
                out.push((namespace.clone(), predicate, values));
            }
        }
        out
    })
}

/// Whether a MISP machine tag (`namespace:predicate="value"`) is one of the vendored
/// taxonomies' (`Some(true)`), names one of their namespaces with a predicate or value they
/// do not define (`Some(false)`), or belongs to another namespace (`None`: acre's own tags
/// are `acre:...`).
pub fn misp_tag_known(tag: &str) -> Option<bool> {
    let (namespace, rest) = tag.split_once(':')?;
    let taxonomies = misp_taxonomies();
    if !taxonomies.iter().any(|(n, _, _)| n == namespace) {
        return None;
    }
    let (predicate, value) = rest.split_once('=').unwrap_or((rest, ""));
    let value = value.trim_matches('"');
    Some(taxonomies.iter().any(|(n, p, values)| {
        n == namespace && p == predicate && values.iter().any(|v| v == value)
    }))
}

/// A MISP event: the leading hypothesis's likelihood and the confidence as
/// `estimative-language` tags, one `threat-actor` attribute per hypothesis and group, and one `text`
/// attribute per evidence item with its `admiralty-scale` grades. `text` is the case as
/// checked: an event report named [`CASE_LANGUAGE`] holds it, so `acre import` gives the case
/// back.
pub fn misp(case: &Case, a: &Assessment, x: &Explanation, text: &str) -> Value {
    let uuid = |name: &str| misp_uuid(&case.title, name);
    let tag = |name: String| json!({ "name": name });
    let lead = &a.hypotheses[a.leading];
    let pct = crate::format::pct1;
    let mut attributes = Vec::new();
    let hypotheses = case
        .hypotheses
        .iter()
        .zip(&a.hypotheses)
        .map(|(h, r)| (format!("hypothesis {}", h.id), &h.label, r, String::new()));
    let groups = case.groups.iter().zip(&a.groups).map(|(g, r)| {
        let members: Vec<&str> = g.members.iter().map(|m| case.proposition_id(*m)).collect();
        (
            format!("group {}", g.id),
            &g.label,
            r,
            format!("; the group of {}", members.join(", ")),
        )
    });
    for (key, label, r, of) in hypotheses.chain(groups) {
        attributes.push(json!({
            "uuid": uuid(&key),
            "type": "threat-actor",
            "category": "Attribution",
            "value": label,
            "comment": format!("acre posterior {} ({} on {}){of}", pct(r.point), r.placement.words, case.yardstick.name),
            "to_ids": false,
            "Tag": [tag(format!("estimative-language:likelihood-probability=\"{}\"", misp_likelihood(r.point)))],
        }));
    }
    for e in &case.items {
        let source = &case.sources[e.source.idx()];
        let mut tags = Vec::new();
        if let Some((letter, _)) = source.reliability {
            tags.push(tag(format!(
                "admiralty-scale:source-reliability=\"{}\"",
                letter.to_ascii_lowercase()
            )));
        }
        if let Some(d) = e.credibility_grade {
            tags.push(tag(format!(
                "admiralty-scale:information-credibility=\"{d}\""
            )));
        }
        let w = item_words(case, e);
        tags.push(tag(format!("acre:evidence-status=\"{}\"", w.status)));
        // when the item became known, as MISP's first-seen time
        let first_seen = e.reported.as_ref().map(|(date, _)| {
            let at = stix_time(Some(date));
            format!("{}+00:00", at.trim_end_matches(".000Z"))
        });
        let mut attribute = json!({
            "uuid": uuid(&format!("item {}", e.id)),
            "type": "text",
            "category": "Other",
            "value": w.value,
            "comment": item_comment(case, e, &w),
            "to_ids": false,
            "Tag": tags,
        });
        if let Some(at) = first_seen {
            attribute["first_seen"] = json!(at);
        }
        attributes.push(attribute);
    }
    let mut reports = vec![
        json!({ "uuid": uuid("report"), "name": "acre narrative", "content": x.narrative, "distribution": "0" }),
    ];
    let declared = declarations(text);
    if !declared.is_empty() {
        let body: Vec<&str> = declared.iter().map(|d| d.text.as_str()).collect();
        // a fence longer than any run of backticks in the case
        let ticks = "`".repeat(3.max(longest_run(text, '`') + 1));
        reports.push(json!({
            "uuid": uuid("case file"),
            "name": CASE_LANGUAGE,
            "content": format!("The case as written in acre's case language (`acre import misp` gives it back).\n\n{ticks}acre\n{}\n{ticks}\n", body.join("\n\n")),
            "distribution": "0",
        }));
    }
    json!({
        "Event": {
            "uuid": uuid("event"),
            "info": case.title,
            "date": case.assessed.clone().or(case.event.clone()).unwrap_or_else(|| "1970-01-01".into()),
            "threat_level_id": "2",
            "analysis": "2",
            "distribution": "0",
            "published": false,
            "Tag": [
                tag(format!("estimative-language:likelihood-probability=\"{}\"", misp_likelihood(lead.point))),
                tag(format!("estimative-language:confidence-in-analytic-judgment=\"{}\"", a.confidence.level.word())),
            ],
            "Attribute": attributes,
            "EventReport": reports,
        }
    })
}
