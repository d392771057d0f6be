//! Case skeletons from where the evidence lives: a MISP event or a STIX 2.1 bundle, read
//! into the case language and laid out as `acre fmt` would.
//!
//! What is imported: hypotheses from threat actors (MISP `threat-actor` attributes and
//! threat-actor galaxy clusters; STIX intrusion sets and threat actors, and the targets of a
//! campaign's `attributed-to`), with their aliases, plus a catch-all; sources from the
//! event's organisation or the objects' `created_by_ref` identities, graded where an
//! `admiralty-scale:source-reliability` tag or OpenCTI's reliability says so; one evidence
//! item per other attribute or object, with its date (`reported`), citation and URL, and its
//! `admiralty-scale:information-credibility` grade. How expected each item is under each
//! hypothesis is the analyst's judgment: an item without it is written without `given`
//! lines, so `acre check` lists each one (`acre::no-likelihood`) with how to fill it in; in
//! a MISP event naming exactly one actor, an attribute's `estimative-language` likelihood tag
//! gives that actor's line, as the term's ICD 203 band.
//! Everything read and everything left out is listed, with the reason.
//!
//! acre's own exports carry each declaration as written (a STIX property extension named
//! [`crate::export::CASE_LANGUAGE`] on each object; a MISP event report of that name holding
//! the case file): those come back as they were, in the case's order, so export then import
//! gives back the same case.
//!
//! Invariants: never panics on any input (JSON nesting is bounded by the parser, every field
//! is optional); every string written into the case is escaped and stripped of control
//! characters, and a declaration taken back as written is one that parses on its own as one
//! declaration of its object's kind, without control or bidirectional characters; the
//! result parses.

use crate::syntax::keyword::Keyword;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// What an import read, or left out.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// `imported` or `skipped`.
    pub action: &'static str,
    /// What (`attribute 3 (ip-dst)`, `indicator--…`).
    pub what: String,
    /// Into what it became, or why it was left out.
    pub why: String,
}

/// An imported case skeleton.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Imported {
    /// The case text, laid out as `acre fmt` would.
    pub text: String,
    /// Every object read or left out, in the input's order.
    pub notes: Vec<Note>,
}

/// Why an input cannot be imported.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportError {
    /// Not JSON (or nested deeper than the parser allows).
    #[error("not JSON: {0}")]
    #[diagnostic(
        code("acre::import-not-json"),
        help("export the event or bundle as JSON (nested at most 128 levels deep)")
    )]
    NotJson(String),
    /// JSON, but not what was asked for.
    #[error("{0}")]
    #[diagnostic(code("acre::import-wrong-format"))]
    WrongFormat(String, #[help] String),
}

/// A MISP event (`{"Event": {...}}`, as MISP's API and PyMISP write it, or the event object
/// itself).
pub fn misp(json: &str) -> Result<Imported, ImportError> {
    let v: Value = serde_json::from_str(json).map_err(|e| ImportError::NotJson(e.to_string()))?;
    let event = match v.get("Event") {
        Some(e) => e,
        None if v.get("Attribute").is_some() || v.get("info").is_some() => &v,
        None => {
            return Err(ImportError::WrongFormat(
                "not a MISP event: no `Event` object".into(),
                if v.get("type").and_then(Value::as_str) == Some("bundle") {
                    "this is a STIX bundle: use `acre import stix`".into()
                } else {
                    "export the event from MISP as JSON (`{\"Event\": {...}}`)".into()
                },
            ));
        }
    };
    let mut b = Builder::default();
    let title = text(event.get("info")).unwrap_or_else(|| "Imported MISP event".into());
    b.header(&title, date(event.get("date")));
    let org = event
        .get("Orgc")
        .or_else(|| event.get("Org"))
        .and_then(|o| text(o.get("name")));
    let event_tags = tags(event);
    for t in unknown_taxonomy_tags(&event_tags) {
        b.skip(
            format!("event tag {t}"),
            "not a predicate and value of its MISP taxonomy".into(),
        );
    }
    let event_letter = reliability_tag(&event_tags);
    // acre's own export holds the case as written in an event report: its declarations come
    // back as they were, and the attributes that stand for them are not read again
    let mut from_case_file = false;
    for (n, report) in array(event.get("EventReport")).enumerate() {
        let name = text(report.get("name")).unwrap_or_default();
        let what = format!("event report {} ({name})", n + 1);
        let case_file = (name == crate::export::CASE_LANGUAGE)
            .then(|| report.get("content").and_then(Value::as_str))
            .flatten()
            .and_then(fenced_acre);
        match case_file {
            Some(case) => {
                from_case_file = true;
                for (position, d) in crate::export::declarations(&case).into_iter().enumerate() {
                    let all = [
                        Keyword::Case,
                        Keyword::Hypothesis,
                        Keyword::Group,
                        Keyword::Source,
                        Keyword::Assumption,
                        Keyword::Evidence,
                        Keyword::Judgment,
                        Keyword::Expect,
                        Keyword::Outcome,
                        Keyword::Yardstick,
                        Keyword::Grading,
                    ];
                    b.declared(&d.text, &all, Some(position), &what);
                }
            }
            None => b.skip(what, "a report, not evidence (its text is not read)".into()),
        }
    }
    // hypotheses: threat-actor galaxy clusters, then threat-actor attributes
    for galaxy in array(event.get("Galaxy")) {
        let kind = text(galaxy.get("type")).unwrap_or_default();
        for cluster in array(galaxy.get("GalaxyCluster")) {
            let name = text(cluster.get("value")).unwrap_or_default();
            if kind == "threat-actor" && !name.is_empty() {
                let aliases = array(cluster.get("meta").and_then(|m| m.get("synonyms")))
                    .filter_map(|s| text(Some(s)))
                    .collect();
                b.hypothesis(&name, aliases, &format!("galaxy cluster {name}"));
            } else {
                b.skip(
                    format!("galaxy cluster {name}"),
                    format!("a `{kind}` cluster, not a threat actor"),
                );
            }
        }
    }
    // the uuids acre's export gave the attributes of the declarations its case file gave back
    let given_back: HashSet<String> = if from_case_file {
        b.ids
            .iter()
            .flat_map(|id| {
                ["item", "hypothesis", "group"]
                    .map(|k| crate::export::misp_uuid(&title, &format!("{k} {id}")))
            })
            .collect()
    } else {
        HashSet::new()
    };
    let attributes: Vec<(usize, (&Value, Option<String>))> = array(event.get("Attribute"))
        .map(|a| (a, None))
        .chain(array(event.get("Object")).flat_map(|o| {
            let object = text(o.get("name"));
            array(o.get("Attribute")).map(move |a| (a, object.clone()))
        }))
        .enumerate()
        .collect();
    // threat actors first, so that an item's estimative tag knows the actor it is said of
    let is_actor = |a: &Value| text(a.get("type")).as_deref() == Some("threat-actor");
    let in_order = attributes
        .iter()
        .filter(|(_, (a, _))| is_actor(a))
        .chain(attributes.iter().filter(|(_, (a, _))| !is_actor(a)));
    let mut sole_actor: Option<Option<String>> = None;
    for (n, (a, object)) in in_order {
        let (n, a) = (*n, *a);
        if !is_actor(a) && sole_actor.is_none() {
            // the one actor the event names, if it names exactly one
            sole_actor = Some(match b.generated_hypotheses.as_slice() {
                [one] if !from_case_file => Some(one.clone()),
                _ => None,
            });
        }
        let kind = text(a.get("type")).unwrap_or_else(|| "attribute".into());
        let what = match &object {
            Some(o) => format!("attribute {} ({kind}, in object {o})", n + 1),
            None => format!("attribute {} ({kind})", n + 1),
        };
        let Some(value) = text(a.get("value")) else {
            b.skip(what, "no value".into());
            continue;
        };
        let comment = text(a.get("comment"));
        // the attributes acre's export wrote for what its case file gives back, known by
        // the uuid the export gives each (from the case's title and the declaration's name)
        if text(a.get("uuid")).is_some_and(|u| given_back.contains(&u)) {
            b.notes.push(Note {
                action: "imported",
                what,
                why: "given back with acre's case file".into(),
            });
            continue;
        }
        if kind == "threat-actor" {
            // acre's own export writes its groups as threat actors too, saying so
            match text(a.get("comment")).filter(|c| c.contains("; the group of ")) {
                Some(c) => b.skip(
                    what,
                    format!(
                        "a group of hypotheses in acre's export ({}): declare it with `group` once the members are named",
                        c.rsplit("; ").next().unwrap_or_default()
                    ),
                ),
                None => {
                b.hypothesis(&value, Vec::new(), &what);
            }
        }
            continue;
        }
        let attribute_tags = tags(a);
        for t in unknown_taxonomy_tags(&attribute_tags) {
            b.skip(
                format!("tag {t} on {what}"),
                "not a predicate and value of its MISP taxonomy".into(),
            );
        }
        let own = comment.clone().filter(|c| acre_item(c).is_some());
        // sources are declared when an item reports through them (none is left unused); an
        // item of acre's own export carries its grade itself
        let graded_itself = own
            .as_deref()
            .and_then(acre_item)
            .is_some_and(|(_, g)| g.is_some());
        let source = match (graded_itself, reliability_tag(&attribute_tags)) {
            (true, _) => None,
            // an attribute graded on its own: a source of its own
            (false, Some(letter)) => Some(b.source(
                &format!("{} ({letter})", org.as_deref().unwrap_or("Unnamed source")),
                &format!("{} {letter}", org.as_deref().unwrap_or("Unnamed source")),
                Some(letter),
                &what,
            )),
            (false, None) => org
                .as_deref()
                .map(|name| b.source(name, name, event_letter, "the event's organisation")),
        };
        let reported = date(a.get("first_seen")).or_else(|| timestamp(a.get("timestamp")));
        let url = (kind == "link" || kind == "url").then(|| value.clone());
        let status = match tag_value(&attribute_tags, "acre:evidence-status=") {
            Some("absent") => Some("absent"),
            Some("pending") => Some("pending"),
            _ => None,
        };
        // an estimative tag on an attribute of an event about one actor: how expected the
        // attribute is if that actor did it, as the ICD 203 band of the tag's term
        // (a value outside the taxonomy is listed as such above)
        let estimative = tag_value(
            &attribute_tags,
            "estimative-language:likelihood-probability=",
        )
        .filter(|t| icd203_band(t).is_some());
        let likelihood = match (estimative, sole_actor.clone().flatten()) {
            (Some(term), Some(actor)) => {
                icd203_band(term).map(|band| (actor, band, term.to_string()))
            }
            (Some(term), None) => {
                b.skip(
                    format!("tag estimative-language:likelihood-probability=\"{term}\" on {what}"),
                    "the event does not name exactly one actor, so which one it is said of is unclear".into(),
                );
                None
            }
            _ => None,
        };
        b.item(Item {
            label: value,
            source,
            credibility: credibility_tag(&attribute_tags),
            status,
            own: own.clone(),
            reported,
            cite: comment.filter(|_| own.is_none()),
            url,
            note: format!("MISP {kind} attribute"),
            what,
            likelihood,
        });
    }
    Ok(b.finish())
}

/// A STIX 2.1 bundle.
pub fn stix(json: &str) -> Result<Imported, ImportError> {
    let v: Value = serde_json::from_str(json).map_err(|e| ImportError::NotJson(e.to_string()))?;
    if v.get("type").and_then(Value::as_str) != Some("bundle") {
        return Err(ImportError::WrongFormat(
            "not a STIX bundle: no `\"type\": \"bundle\"`".into(),
            if v.get("Event").is_some() {
                "this is a MISP event: use `acre import misp`".into()
            } else {
                "give a STIX 2.1 bundle (`{\"type\": \"bundle\", \"objects\": [...]}`)".into()
            },
        ));
    }
    let objects: Vec<&Value> = array(v.get("objects")).collect();
    if let Some(old) = objects.iter().find_map(|o| {
        let version = text(o.get("spec_version"))?;
        (!version.starts_with("2.1")).then_some(version)
    }) {
        return Err(ImportError::WrongFormat(
            format!("not STIX 2.1: an object says `spec_version` {old}"),
            "convert the bundle to STIX 2.1 first (OASIS cti-stix-elevator, or stix2's tools)"
                .into(),
        ));
    }
    let id_of = |o: &Value| text(o.get("id")).unwrap_or_default();
    let mut b = Builder::default();
    let title = objects
        .iter()
        .find(|o| matches!(kind(o).as_str(), "report" | "campaign" | "grouping"))
        .and_then(|o| text(o.get("name")))
        .unwrap_or_else(|| "Imported STIX bundle".into());
    b.header(&title, None);
    // identities first: the sources of everything they created
    // (declared when an item is reported through them, so none is left unused)
    let mut identities: BTreeMap<String, (String, Option<char>)> = BTreeMap::new();
    for o in objects.iter().filter(|o| kind(o) == "identity") {
        let name = text(o.get("name")).unwrap_or_else(|| id_of(o));
        let letter = text(o.get("x_opencti_reliability"))
            .and_then(|r| r.chars().next().filter(|c| ('A'..='F').contains(c)));
        identities.insert(id_of(o), (name, letter));
    }
    // the targets of a campaign's attributed-to are hypotheses too
    let attributed: HashSet<String> = objects
        .iter()
        .filter(|o| {
            kind(o) == "relationship"
                && text(o.get("relationship_type")).as_deref() == Some("attributed-to")
        })
        .filter_map(|o| text(o.get("target_ref")))
        .collect();
    // an actor that other actors are `related-to` is a group of them (as acre exports its
    // groups); its members in the bundle's order
    let actor = |o: &Value| matches!(kind(o).as_str(), "intrusion-set" | "threat-actor");
    let actors: HashSet<String> = objects
        .iter()
        .filter(|o| actor(o))
        .map(|o| id_of(o))
        .collect();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for o in objects.iter().filter(|o| {
        kind(o) == "relationship"
            && text(o.get("relationship_type")).as_deref() == Some("related-to")
    }) {
        if let (Some(s), Some(t)) = (text(o.get("source_ref")), text(o.get("target_ref")))
            && actors.contains(&s)
            && actors.contains(&t)
        {
            members.entry(t).or_default().push(s);
        }
    }
    // what acre's own export carries: each object's declaration as written
    let extension_ids: HashSet<String> = objects
        .iter()
        .filter(|o| {
            kind(o) == "extension-definition"
                && text(o.get("name")).as_deref() == Some(crate::export::CASE_LANGUAGE)
        })
        .map(|o| id_of(o))
        .collect();
    // each declaration with its place in the exported case (`position`, `positions`)
    type Carried = (
        Option<(String, Option<usize>)>,
        Vec<(String, Option<usize>)>,
    );
    let carried = |o: &Value| -> Carried {
        let mut one = None;
        let mut list = Vec::new();
        let place = |v: Option<&Value>| v.and_then(Value::as_u64).map(|n| n as usize);
        for (ext, v) in o
            .get("extensions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if !extension_ids.contains(ext) {
                continue;
            }
            one = one.or_else(|| {
                let d = v.get("declaration").and_then(Value::as_str)?;
                Some((d.to_string(), place(v.get("position"))))
            });
            let positions: Vec<Option<usize>> =
                array(v.get("positions")).map(|p| place(Some(p))).collect();
            list.extend(
                array(v.get("declarations"))
                    .enumerate()
                    .filter_map(|(i, d)| {
                        Some((d.as_str()?.to_string(), positions.get(i).copied().flatten()))
                    }),
            );
        }
        (one, list)
    };
    // acre's declarations of the objects `uses` relationships point at, for the items' notes
    let names: BTreeMap<String, String> = objects
        .iter()
        .filter(|o| actor(o))
        .filter_map(|o| Some((id_of(o), text(o.get("name"))?)))
        .collect();
    let mut used_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for o in objects.iter().filter(|o| {
        kind(o) == "relationship" && text(o.get("relationship_type")).as_deref() == Some("uses")
    }) {
        if let (Some(s), Some(t)) = (text(o.get("source_ref")), text(o.get("target_ref")))
            && let Some(name) = names.get(&s)
        {
            used_by.entry(t).or_default().push(name.clone());
        }
    }
    let mut hypothesis_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut declared_objects: HashSet<String> = HashSet::new();
    let mut groups: Vec<&Value> = Vec::new();
    for o in &objects {
        let k = kind(o);
        let id = id_of(o);
        let (declaration, declarations) = carried(o);
        let what = format!("{k} {id}");
        if let Some((d, position)) = &declaration {
            let allowed: &[Keyword] = match k.as_str() {
                "identity" => &[Keyword::Source],
                "intrusion-set" | "threat-actor" => &[Keyword::Hypothesis, Keyword::Group],
                "note" => &[Keyword::Evidence, Keyword::Assumption],
                _ => &[],
            };
            if let Some((keyword, name)) = b.declared(d, allowed, *position, &what) {
                declared_objects.insert(id.clone());
                match keyword {
                    Keyword::Source => {
                        b.source_keys.insert(id.clone(), name);
                    }
                    Keyword::Hypothesis => {
                        hypothesis_ids.insert(id.clone(), name);
                    }
                    _ => {}
                }
            }
            continue;
        }
        if !declarations.is_empty() {
            for (d, position) in &declarations {
                let allowed = [
                    Keyword::Case,
                    Keyword::Hypothesis,
                    Keyword::Judgment,
                    Keyword::Expect,
                    Keyword::Outcome,
                    Keyword::Yardstick,
                    Keyword::Grading,
                ];
                b.declared(d, &allowed, *position, &what);
            }
            continue;
        }
        match k.as_str() {
            "identity" => {}
            "extension-definition" => b.skip(
                what,
                if extension_ids.contains(&id) {
                    "the definition of acre's own extension (read on every object)".into()
                } else {
                    "an extension acre does not read".into()
                },
            ),
            "intrusion-set" | "threat-actor" if members.contains_key(&id) => groups.push(o),
            "intrusion-set" | "threat-actor" => {
                let name = text(o.get("name")).unwrap_or_else(|| id.clone());
                let aliases = array(o.get("aliases"))
                    .filter_map(|a| text(Some(a)))
                    .collect();
                let why = if attributed.contains(&id) {
                    format!("{k} {id} (a campaign is attributed to it)")
                } else {
                    format!("{k} {id}")
                };
                if let Some(h) = b.hypothesis(&name, aliases, &why) {
                    hypothesis_ids.insert(id, h);
                }
            }
            "note"
                if text(o.get("abstract")).is_some_and(|a| a.starts_with("acre: "))
                    && array(o.get("labels")).next().is_none() =>
            {
                b.skip(
                    format!("note {id}"),
                    "acre's own narrative of the exported case, not evidence".into(),
                );
            }
            "report" | "note" | "opinion" | "indicator" | "observed-data" | "malware"
            | "attack-pattern" | "tool" | "infrastructure" | "vulnerability" => {
                let label = ["name", "abstract", "pattern", "explanation", "content"]
                    .iter()
                    .find_map(|f| text(o.get(*f)))
                    .unwrap_or_else(|| id.clone());
                let reference = array(o.get("external_references")).next();
                let own = text(o.get("content")).filter(|c| acre_item(c).is_some());
                let graded_itself = own
                    .as_deref()
                    .and_then(acre_item)
                    .is_some_and(|(_, g)| g.is_some());
                let source = text(o.get("created_by_ref"))
                    .and_then(|r| identities.get(&r).map(|i| (r.clone(), i.clone())))
                    .filter(|_| !graded_itself)
                    .map(|(r, (name, letter))| b.source(&r, &name, letter, &r));
                let labels: Vec<String> = array(o.get("labels"))
                    .filter_map(|l| text(Some(l)))
                    .collect();
                let status = if labels.iter().any(|l| l == "absent") {
                    Some("absent")
                } else if labels.iter().any(|l| l == "pending") {
                    Some("pending")
                } else {
                    None
                };
                // an acre export's own items name their cite in their first reference
                let reference = reference.filter(|r| {
                    own.is_none()
                        || !text(r.get("source_name")).is_some_and(|n| n.starts_with("evidence "))
                });
                b.item(Item {
                    label,
                    source,
                    credibility: None,
                    status,
                    own,
                    reported: date(o.get("published"))
                        .or_else(|| date(o.get("first_observed")))
                        .or_else(|| date(o.get("created"))),
                    cite: reference.and_then(|r| {
                        let name = text(r.get("source_name"))?;
                        // acre's own export describes a citation that has no address so
                        let description = text(r.get("description"))
                            .filter(|d| !d.starts_with("how the case cites its "));
                        Some(match description {
                            Some(d) => format!("{name}: {d}"),
                            None => name,
                        })
                    }),
                    url: reference.and_then(|r| text(r.get("url"))),
                    note: match used_by.get(&id) {
                        Some(actors) => format!(
                            "STIX {k} {id}; used by {} (STIX `uses`)",
                            clip(&actors.join(", "), 300)
                        ),
                        None => format!("STIX {k} {id}"),
                    },
                    what: format!("{k} {id}"),
                    likelihood: None,
                });
            }
            "relationship" => {
                let rel = text(o.get("relationship_type")).unwrap_or_default();
                let target = text(o.get("target_ref")).unwrap_or_default();
                let source = text(o.get("source_ref")).unwrap_or_default();
                let (action, why) = match rel.as_str() {
                    _ if declared_objects.contains(&source)
                        && declared_objects.contains(&target) =>
                    {
                        (
                            "imported",
                            "between objects acre's declarations give back".to_string(),
                        )
                    }
                    "attributed-to" if actors.contains(&target) => (
                        "imported",
                        format!(
                            "makes `{}` a hypothesis",
                            names.get(&target).map_or(target.as_str(), String::as_str)
                        ),
                    ),
                    "related-to" if members.contains_key(&target) && actors.contains(&source) => {
                        ("imported", "a member of a group of hypotheses".to_string())
                    }
                    "uses" if used_by.contains_key(&target) && names.contains_key(&source) => (
                        "imported",
                        "named in the note of the item it points at".to_string(),
                    ),
                    _ => (
                        "skipped",
                        format!("a `{rel}` relationship is not weighed in a case"),
                    ),
                };
                b.notes.push(Note {
                    action,
                    what: format!("relationship {id}"),
                    why,
                });
            }
            "" => b.skip(format!("object {id}"), "no `type`".into()),
            _ => b.skip(
                format!("{k} {id}"),
                format!("a `{k}` is not evidence, a hypothesis or a source in a case"),
            ),
        }
    }
    for id in identities.keys() {
        if !b.source_keys.contains_key(id) && !declared_objects.contains(id) {
            b.skip(
                format!("identity {id}"),
                "no item in the bundle was created by it (or every such item carries its own grade)".into(),
            );
        }
    }
    for o in groups {
        let id = id_of(o);
        let name = text(o.get("name")).unwrap_or_else(|| id.clone());
        let aliases: Vec<String> = array(o.get("aliases"))
            .filter_map(|a| text(Some(a)))
            .collect();
        let list: Vec<String> = members
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|m| hypothesis_ids.get(m).cloned())
            .collect();
        if list.is_empty() {
            b.skip(
                format!("{} {id}", kind(o)),
                "a group whose members are not in the bundle".into(),
            );
        } else {
            b.group(
                &name,
                &aliases,
                &list,
                &format!("{} {id} (other actors are related to it)", kind(o)),
            );
        }
    }
    Ok(b.finish())
}

/// One evidence item to write.
struct Item {
    label: String,
    source: Option<String>,
    credibility: Option<char>,
    /// `absent` or `pending` (acre's own exports mark them), else observed.
    status: Option<&'static str>,
    /// The comment acre's own export writes on an item (`id (B2), reported by …`).
    own: Option<String>,
    reported: Option<String>,
    cite: Option<String>,
    url: Option<String>,
    note: String,
    what: String,
    /// From an estimative tag: the hypothesis, its band (`80%..95%`) and the tag's term.
    likelihood: Option<(String, String, String)>,
}

/// The case being written, declaration by declaration.
#[derive(Default)]
struct Builder {
    header: String,
    assessed: Option<String>,
    hypotheses: Vec<String>,
    hypothesis_names: HashSet<String>,
    groups: Vec<String>,
    sources: Vec<String>,
    source_keys: BTreeMap<String, String>,
    items: Vec<String>,
    /// Declarations given back as written (acre's own exports carry them): the header, and
    /// the rest in their order in the exported case.
    declared_header: Option<String>,
    /// The other declarations given back, with their place in the exported case.
    placed: Vec<(usize, Keyword, String)>,
    declared_catch_all: bool,
    /// The hypotheses made from actors (not the catch-all), in order.
    generated_hypotheses: Vec<String>,
    ids: HashSet<String>,
    notes: Vec<Note>,
}

/// The largest declaration taken back as written.
const MAX_DECLARATION: usize = 64 * 1024;

impl Builder {
    /// The header; `assessed` is the input's own date, moved later to the last item's date
    /// when an item is later (a skeleton is assessed on everything it holds).
    fn header(&mut self, title: &str, assessed: Option<String>) {
        self.header = title.to_string();
        self.assessed = assessed;
    }

    /// A fresh id from a name: lower case, `_` for other characters, never a keyword.
    fn id(&mut self, name: &str, fallback: &str) -> String {
        let mut id: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        while id.contains("__") {
            id = id.replace("__", "_");
        }
        let mut id = id.trim_matches('_').chars().take(40).collect::<String>();
        if id.is_empty()
            || !id.starts_with(|c: char| c.is_ascii_alphabetic())
            || crate::syntax::keyword::is_keyword(&id)
        {
            id = format!("{fallback}_{id}").trim_end_matches('_').to_string();
        }
        // the fallback alone may be a keyword too (`source`)
        if crate::syntax::keyword::is_keyword(&id) {
            id.push_str("_1");
        }
        let mut unique = id.clone();
        let mut n = 2;
        while !self.ids.insert(unique.clone()) {
            unique = format!("{id}_{n}");
            n += 1;
        }
        unique
    }

    fn hypothesis(&mut self, name: &str, aliases: Vec<String>, what: &str) -> Option<String> {
        let key = name.to_lowercase();
        if !self.hypothesis_names.insert(key) {
            self.skip(
                what.to_string(),
                format!("`{name}` is already a hypothesis"),
            );
            return None;
        }
        let id = self.id(&short(name, 24), "h");
        let catch_all = if CATCH_ALL_NAMES.contains(&name.to_lowercase().as_str()) {
            " catch-all"
        } else {
            ""
        };
        let alias = alias_clause(&aliases);
        self.hypotheses.push(format!(
            "hypothesis {id} {}{alias}{catch_all}\n",
            quoted(name)
        ));
        if catch_all.is_empty() {
            self.generated_hypotheses.push(id.clone());
        }
        self.notes.push(Note {
            action: "imported",
            what: what.to_string(),
            why: format!("hypothesis `{id}`"),
        });
        Some(id)
    }

    /// A group of hypotheses (already declared, by id).
    fn group(&mut self, name: &str, aliases: &[String], members: &[String], what: &str) {
        let id = self.id(&short(name, 24), "g");
        let alias = alias_clause(aliases);
        self.groups.push(format!(
            "group {id} {}{alias} {{ {} }}\n",
            quoted(name),
            members.join(", ")
        ));
        self.notes.push(Note {
            action: "imported",
            what: what.to_string(),
            why: format!("group `{id}` of {}", members.join(", ")),
        });
    }

    /// The id of the source with this key, declared on first use.
    fn source(&mut self, key: &str, name: &str, reliability: Option<char>, what: &str) -> String {
        if let Some(id) = self.source_keys.get(key) {
            return id.clone();
        }
        let id = self.id(name, "source");
        let grade = reliability.map_or_else(String::new, |r| format!(" reliability {r}"));
        self.sources
            .push(format!("source {id} {}{grade}\n", quoted(name)));
        self.source_keys.insert(key.to_string(), id.clone());
        self.notes.push(Note {
            action: "imported",
            what: what.to_string(),
            why: format!(
                "source `{id}`{}",
                if reliability.is_some() {
                    ""
                } else {
                    ", reliability left for the analyst"
                }
            ),
        });
        id
    }

    fn item(&mut self, item: Item) {
        // acre's own exports say each item's id and grade: `tracking_links (B2), reported by …`
        let (label, status) = match item.status {
            Some("absent") => (
                item.label
                    .trim_start_matches("Looked for, not found: ")
                    .to_string(),
                Some("absent"),
            ),
            Some("pending") => (
                item.label
                    .trim_start_matches("Not yet collected (pending): ")
                    .to_string(),
                Some("pending"),
            ),
            _ => (item.label.clone(), None),
        };
        let own = item.own.as_deref().and_then(acre_item);
        let id = match &own {
            Some((id, _)) if !self.ids.contains(id.as_str()) => self.id(id, "item"),
            _ => self.id(&short(&label, 24), "item"),
        };
        let mut lines = vec![format!("evidence {id} {} {{", quoted(&clip(&label, 160)))];
        match (&own, &item.source, item.credibility) {
            (Some((_, Some(grade))), _, _) => lines.push(format!("  grade {grade}")),
            (_, Some(s), Some(c)) => lines.push(format!("  from {s} credibility {c}")),
            (_, Some(s), None) => lines.push(format!("  from {s}")),
            (_, None, Some(c)) => lines.push(format!("  credibility {c}")),
            (_, None, None) => {}
        }
        if let Some(s) = status {
            lines.push(format!("  {s}"));
        }
        if let Some((h, band, term)) = &item.likelihood {
            lines.push(format!(
                "  given {h}: {band}  # the attribute's estimative-language tag `{term}` (ICD 203)"
            ));
        }
        if let Some(d) = &item.reported {
            lines.push(format!("  reported {d}"));
            if self.assessed.as_ref().is_none_or(|a| a < d) {
                self.assessed = Some(d.clone());
            }
        }
        if let Some(c) = &item.cite {
            lines.push(format!("  cite {}", quoted(&clip(c, 300))));
        }
        if let Some(u) = item.url.as_ref().filter(|u| is_web_address(u)) {
            lines.push(format!("  url {}", quoted(u)));
        }
        lines.push(format!("  note {}", quoted(&item.note)));
        lines.push("}".to_string());
        self.items.push(lines.join("\n") + "\n");
        self.notes.push(Note {
            action: "imported",
            what: item.what,
            why: match &item.likelihood {
                Some((h, band, term)) => format!(
                    "evidence `{id}`: `given {h}: {band}` from its tag `{term}` (read as how expected it is if {h} did it); the other hypotheses are left for the analyst"
                ),
                None => format!(
                    "evidence `{id}`: how expected it is under each hypothesis is left for the analyst"
                ),
            },
        });
    }

    /// A declaration as acre's own export carried it: taken back as written when it parses
    /// on its own as exactly one declaration of the kinds `allowed` whose name is not taken.
    /// Returns its keyword and name (`case` for the header).
    fn declared(
        &mut self,
        raw: &str,
        allowed: &[Keyword],
        position: Option<usize>,
        what: &str,
    ) -> Option<(Keyword, String)> {
        if raw.len() > MAX_DECLARATION {
            self.skip(
                what.to_string(),
                "its acre declaration is longer than 64 KiB".into(),
            );
            return None;
        }
        // as written, with its lines, but no control or bidirectional character
        let text: String = raw
            .chars()
            .filter(|c| (!c.is_control() || *c == '\n' || *c == '\t') && !is_bidi(*c))
            .collect();
        let parse = crate::syntax::tree::parse(&text);
        let decls: Vec<crate::syntax::tree::Declaration> = parse.declarations().collect();
        let (true, [d]) = (parse.diagnostics.is_empty(), decls.as_slice()) else {
            self.skip(
                what.to_string(),
                "its acre declaration is not one declaration of the case language".into(),
            );
            return None;
        };
        let Some(keyword) = d.keyword().filter(|k| allowed.contains(k)) else {
            self.skip(
                what.to_string(),
                "its acre declaration is not of a kind this object carries".into(),
            );
            return None;
        };
        let name = d.name().map(|n| n.text().to_string());
        // the names a declaration declares (an `outcome` or `expect` names what it is about)
        let declares = matches!(
            keyword,
            Keyword::Hypothesis
                | Keyword::Group
                | Keyword::Source
                | Keyword::Assumption
                | Keyword::Evidence
                | Keyword::Judgment
                | Keyword::Yardstick
        );
        if let Some(n) = name.as_ref().filter(|_| declares)
            && !self.ids.insert(n.clone())
        {
            self.skip(what.to_string(), format!("`{n}` is declared already"));
            return None;
        }
        let text = text.trim().to_string() + "\n";
        if keyword == Keyword::Case {
            if self.declared_header.is_some() {
                self.skip(what.to_string(), "a second case header".into());
                return None;
            }
            self.declared_header = Some(text);
        } else {
            if keyword == Keyword::Hypothesis {
                if let Some(label) = d.label() {
                    self.hypothesis_names
                        .insert(crate::syntax::lexer::unquote(label.text()).to_lowercase());
                }
                if d.syntax()
                    .descendants_with_tokens()
                    .any(|t| t.as_token().is_some_and(|t| t.text() == "catch-all"))
                {
                    self.declared_catch_all = true;
                }
            }
            // without a place of its own, after every placed one, in the order read
            let at = position.unwrap_or(usize::MAX / 2 + self.placed.len());
            self.placed.push((at, keyword, text));
        }
        let said = match (&name, keyword) {
            (_, Keyword::Case) => "the case header".to_string(),
            (Some(n), k) => format!("{} `{n}`", k.as_str()),
            (None, k) => format!("an `{}` line", k.as_str()),
        };
        self.notes.push(Note {
            action: "imported",
            what: what.to_string(),
            why: format!("{said}, as acre's export wrote it"),
        });
        Some((keyword, name.unwrap_or_else(|| "case".to_string())))
    }

    fn skip(&mut self, what: String, why: String) {
        self.notes.push(Note {
            action: "skipped",
            what,
            why,
        });
    }

    fn finish(mut self) -> Imported {
        if !self.declared_catch_all
            && !CATCH_ALL_NAMES
                .iter()
                .any(|n| self.hypothesis_names.contains(*n))
        {
            let id = self.id("other", "h");
            self.hypotheses
                .push(format!("hypothesis {id} \"Someone else\" catch-all\n"));
        }
        let mut text = match self.declared_header.take() {
            Some(header) => header,
            None => format!(
                "case {} {{\n  question {}\n{}}}\n",
                quoted(&self.header),
                quoted(&format!("Who is responsible: {}?", clip(&self.header, 200))),
                self.assessed
                    .as_ref()
                    .map_or_else(String::new, |d| format!("  assessed {d}\n"))
            ),
        };
        let hypotheses: Vec<String> = self
            .hypotheses
            .iter()
            .chain(&self.groups)
            .cloned()
            .collect();
        // the declarations given back, in the exported case's order, each a block of its own
        // (one-line declarations of a kind stay together, as `acre fmt` aligns them)
        self.placed.sort_by_key(|(at, _, _)| *at);
        let mut previous: Option<(Keyword, bool)> = None;
        for (_, keyword, d) in &self.placed {
            let one_line = !d.trim_end().contains('\n');
            if previous != Some((*keyword, true)) || !one_line {
                text.push('\n');
            }
            text.push_str(d);
            previous = Some((*keyword, one_line));
        }
        for part in [&hypotheses, &self.sources, &self.items] {
            if !part.is_empty() {
                text.push('\n');
                text.extend(part.iter().map(String::as_str));
            }
        }
        let text = crate::syntax::fmt::format(&text).unwrap_or(text);
        Imported {
            text,
            notes: self.notes,
        }
    }
}

/// A JSON value as text: a string, or a number written out; `None` for anything else or
/// an empty string. Control characters become spaces and runs of whitespace one space.
fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() || is_bidi(c) { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    (!cleaned.is_empty()).then_some(cleaned)
}

/// Bidirectional controls, which would reorder how a case reads.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// The elements of a JSON array (none for anything else).
fn array(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

/// A STIX object's type.
fn kind(o: &Value) -> String {
    text(o.get("type")).unwrap_or_default()
}

/// A date as the case language writes it, from `2024-03-25`, `2024-03-25T10:00:00Z` or a
/// date-time string: its first ten characters when they are a valid date.
fn date(v: Option<&Value>) -> Option<String> {
    let s = text(v)?;
    let d = s.get(..10)?;
    let parts: Vec<&str> = d.split('-').collect();
    let ok = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0));
    ok.then(|| d.to_string())
}

/// A Unix timestamp (MISP's `timestamp`, seconds, as a string or a number) as a date.
fn timestamp(v: Option<&Value>) -> Option<String> {
    let secs: i64 = text(v)?.parse().ok()?;
    if !(0..=253_402_300_799).contains(&secs) {
        return None;
    }
    // days since 1970-01-01 to a civil date (Howard Hinnant's algorithm)
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// The tag names on a MISP event or attribute.
fn tags(v: &Value) -> Vec<String> {
    array(v.get("Tag"))
        .filter_map(|t| text(t.get("name")))
        .collect()
}

/// Tags of the admiralty-scale and estimative-language taxonomies that name a predicate or
/// value those taxonomies do not define (`admiralty-scale:source-reliability="g"`): read as
/// nothing, and listed.
fn unknown_taxonomy_tags(tags: &[String]) -> impl Iterator<Item = &String> {
    tags.iter()
        .filter(|t| crate::export::misp_tag_known(t) == Some(false))
}

/// The value of a machine tag `namespace:predicate="value"` among `tags`.
fn tag_value<'a>(tags: &'a [String], prefix: &str) -> Option<&'a str> {
    tags.iter()
        .find_map(|t| t.strip_prefix(prefix))
        .map(|v| v.trim_matches('"'))
}

/// An `admiralty-scale:source-reliability` tag's letter.
fn reliability_tag(tags: &[String]) -> Option<char> {
    let v = tag_value(tags, "admiralty-scale:source-reliability=")?;
    let c = v.chars().next()?.to_ascii_uppercase();
    (v.len() == 1 && ('A'..='F').contains(&c)).then_some(c)
}

/// An `admiralty-scale:information-credibility` tag's digit.
fn credibility_tag(tags: &[String]) -> Option<char> {
    let v = tag_value(tags, "admiralty-scale:information-credibility=")?;
    let c = v.chars().next()?;
    (v.len() == 1 && ('1'..='6').contains(&c)).then_some(c)
}

/// The id and grade acre's own exports put at the head of an item's comment
/// (`tracking_links (B2), reported by …`, `no_ransom (ungraded): looked for …`).
fn acre_item(comment: &str) -> Option<(String, Option<String>)> {
    let (id, rest) = comment.split_once(" (")?;
    let (grade, _) = rest.split_once(')')?;
    let id_ok = !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !id_ok {
        return None;
    }
    let mut g = grade.chars();
    let graded = match (g.next(), g.next(), g.next()) {
        (Some(l @ 'A'..='F'), Some(d @ '1'..='6'), None) => Some(format!("{l}{d}")),
        _ => None,
    };
    (graded.is_some() || grade == "ungraded" || grade.starts_with("reliability"))
        .then(|| (id.to_string(), graded))
}

/// The band of an ICD 203 term as MISP's `estimative-language` writes it (`very-likely`), as
/// an interval of the case language (`80%..95%`).
fn icd203_band(term: &str) -> Option<String> {
    let i = crate::export::MISP_LIKELIHOODS
        .iter()
        .position(|v| *v == term)?;
    let y = crate::lexicon::builtin_yardstick("icd203")?;
    let t = y.terms.get(i)?;
    let pct = crate::format::format_percent;
    Some(format!("{}%..{}%", pct(t.lo), pct(t.hi)))
}

/// The text of the first fenced block marked `acre` in Markdown (a fence of three or more
/// backticks, closed by the same fence).
fn fenced_acre(markdown: &str) -> Option<String> {
    let mut lines = markdown.lines();
    let fence = loop {
        let line = lines.next()?.trim_end();
        let ticks = line.len() - line.trim_start_matches('`').len();
        if ticks >= 3 && line[ticks..].trim() == "acre" {
            break &line[..ticks];
        }
    };
    let mut body = Vec::new();
    for line in lines {
        if line.trim_end() == fence {
            return Some(body.join("\n"));
        }
        body.push(line);
    }
    None
}

/// An `http://` or `https://` address without spaces.
fn is_web_address(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(char::is_whitespace)
}

/// Names that say "anyone not listed": such a hypothesis is the catch-all.
const CATCH_ALL_NAMES: &[&str] = &["someone else", "other", "others", "anyone else"];

/// ` alias "A", "B"` for the non-empty aliases, or nothing.
fn alias_clause(aliases: &[String]) -> String {
    let quoted: Vec<String> = aliases
        .iter()
        .filter(|a| !a.is_empty())
        .map(|a| quoted(a))
        .collect();
    if quoted.is_empty() {
        String::new()
    } else {
        format!(" alias {}", quoted.join(", "))
    }
}

/// Text as a string literal of the case language.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The words of a name that fit in `n` characters (at least the first word): ids stay short.
fn short(name: &str, n: usize) -> String {
    let mut out = String::new();
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() && out.len() + 1 + word.len() > n {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// At most `n` characters, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_timestamps_become_civil_dates() {
        let at = |s: i64| timestamp(Some(&Value::from(s.to_string())));
        assert_eq!(at(0).as_deref(), Some("1970-01-01"));
        // 2024-02-29T12:00:00Z, a leap day
        assert_eq!(at(1_709_208_000).as_deref(), Some("2024-02-29"));
        assert_eq!(at(951_782_400).as_deref(), Some("2000-02-29"));
        assert_eq!(at(-1), None);
    }

    #[test]
    fn ids_are_fresh_and_never_keywords() {
        let mut b = Builder::default();
        assert_eq!(b.id("APT 31 (Zirconium)", "h"), "apt_31_zirconium");
        assert_eq!(b.id("APT 31 (Zirconium)", "h"), "apt_31_zirconium_2");
        assert_eq!(b.id("group", "h"), "h_group");
        assert_eq!(b.id("31337", "item"), "item_31337");
        assert_eq!(b.id("", "item"), "item");
        // a name with no letter or digit, as a source: never the keyword `source`
        assert_eq!(b.id("]]]\u{fffd}", "source"), "source_1");
    }

    #[test]
    fn strings_are_escaped_and_cleaned() {
        assert_eq!(quoted("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        let v = Value::from("x\u{202e}y\n\tz\u{0}");
        assert_eq!(text(Some(&v)).as_deref(), Some("x y z"));
    }
}
