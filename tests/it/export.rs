//! Exports and reports: STIX validated against the STIX 2.1 schemas, MISP tags,
//! DOT, and self-contained HTML and Markdown reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli;
use cli::{acre, cases};

use serde_json::Value;

/// Serves the vendored STIX schema files by their `$id`, so that relative `$ref`s resolve offline.
struct Vendored(std::collections::HashMap<String, Value>);

impl jsonschema::Retrieve for Vendored {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0
            .get(uri.as_str())
            .cloned()
            .ok_or_else(|| format!("not vendored: {}", uri.as_str()).into())
    }
}

fn stix_validator(kind: &str) -> jsonschema::Validator {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/stix2.1");
    let mut by_id = std::collections::HashMap::new();
    let mut wanted = None;
    for dir in ["common", "sdos", "sros"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if path.file_stem().unwrap() == kind {
                wanted = Some(schema.clone());
            }
            by_id.insert(schema["$id"].as_str().unwrap().to_string(), schema);
        }
    }
    jsonschema::options()
        .with_retriever(Vendored(by_id))
        .build(&wanted.unwrap_or_else(|| panic!("no schema for {kind}")))
        .unwrap()
}

#[test]
fn stix_bundles_validate_against_the_stix_schemas() {
    let kinds = [
        "identity",
        "campaign",
        "threat-actor",
        "relationship",
        "note",
        "grouping",
        "extension-definition",
    ];
    let validators: Vec<(&str, jsonschema::Validator)> =
        kinds.iter().map(|k| (*k, stix_validator(k))).collect();
    for case in cases() {
        let out = acre(&["export", "stix", &case, "--samples", "500"]);
        assert_eq!(out.status.code(), Some(0), "{case}");
        let bundle: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(bundle["type"], "bundle");
        let objects = bundle["objects"].as_array().unwrap();
        for o in objects {
            let kind = o["type"].as_str().unwrap();
            let (_, v) = validators
                .iter()
                .find(|(k, _)| *k == kind)
                .unwrap_or_else(|| panic!("unexpected {kind}"));
            let errors: Vec<String> = v
                .iter_errors(o)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{case} {kind}: {errors:?}");
        }
        // the validators are not vacuous: an object without its timestamps fails
        let mut broken = objects[1].clone();
        broken.as_object_mut().unwrap().remove("created");
        assert!(
            validators[1].1.iter_errors(&broken).next().is_some(),
            "a campaign without `created` must fail"
        );
        // one attributed-to relationship per hypothesis that is not the catch-all and per
        // group, confidence on the DNI scale; a group's members are related to it
        let c = acre::check::check_source(&std::fs::read_to_string(&case).unwrap())
            .case
            .unwrap();
        let rels: Vec<&Value> = objects
            .iter()
            .filter(|o| o["type"] == "relationship")
            .collect();
        let attributed: Vec<&&Value> = rels
            .iter()
            .filter(|r| r["relationship_type"] == "attributed-to")
            .collect();
        let shown = c.hypotheses.iter().filter(|h| !h.catch_all).count() + c.groups.len();
        assert_eq!(attributed.len(), shown, "{case}");
        for r in &attributed {
            assert!([5, 15, 30, 50, 70, 85, 95].contains(&r["confidence"].as_u64().unwrap()));
        }
        let members: usize = c.groups.iter().map(|g| g.members.len()).sum();
        assert_eq!(rels.len() - attributed.len(), members, "{case}");
        for r in rels
            .iter()
            .filter(|r| r["relationship_type"] != "attributed-to")
        {
            assert_eq!(r["relationship_type"], "related-to");
            assert!(r["confidence"].is_null());
        }
        // every reference points at an object of the bundle
        let ids: Vec<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
        for o in objects {
            for r in o["object_refs"].as_array().into_iter().flatten() {
                assert!(ids.contains(&r.as_str().unwrap()), "{case}: dangling {r}");
            }
        }
    }
}

#[test]
fn stix_export_is_stable_and_maps_the_flagship_on_the_dni_scale() {
    let a = acre(&["export", "stix", "cases/apt31-uk-parliament-2021.acre"]);
    let b = acre(&["export", "stix", "cases/apt31-uk-parliament-2021.acre"]);
    assert_eq!(a.stdout, b.stdout, "re-export is byte-identical");
    let bundle: Value = serde_json::from_slice(&a.stdout).unwrap();
    let apt31 = bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["type"] == "threat-actor" && o["aliases"][0] == "APT31")
        .unwrap();
    let rel = bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["target_ref"] == apt31["id"])
        .unwrap();
    // 96.5% lies in ICD 203's "almost certain" (95-99%), which STIX's DNI scale maps to 95
    assert_eq!(rel["confidence"], 95);
    assert_eq!(acre::export::dni_confidence(0.50), 50);
    assert_eq!(acre::export::dni_confidence(0.03), 5);
    assert_eq!(acre::export::dni_confidence(0.85), 85);
}

#[test]
fn misp_event_carries_the_taxonomy_tags() {
    let out = acre(&["export", "misp", "cases/apt31-uk-parliament-2021.acre"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tags: Vec<&str> = v["Event"]["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        tags[0],
        "estimative-language:likelihood-probability=\"almost-certain\""
    );
    assert!(tags[1].starts_with("estimative-language:confidence-in-analytic-judgment=\""));
    let attrs = v["Event"]["Attribute"].as_array().unwrap();
    let tracking = attrs
        .iter()
        .find(|a| a["comment"].as_str().unwrap().starts_with("tracking_links"))
        .unwrap();
    let item_tags: Vec<&str> = tracking["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        item_tags,
        [
            "admiralty-scale:source-reliability=\"b\"",
            "admiralty-scale:information-credibility=\"2\"",
            "acre:evidence-status=\"observed\""
        ]
    );
    // four hypotheses and the group `china`
    let actors: Vec<&str> = attrs
        .iter()
        .filter(|a| a["type"] == "threat-actor")
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    assert_eq!(actors.len(), 5, "{actors:?}");
    assert_eq!(actors[4], "A China state-affiliated actor");
}

/// Absent and pending items are never presented as facts: MISP gives them a status tag, a
/// value and a comment that say so; STIX gives each item a note labelled with its status.
/// Comments name the source as the grade tags do.
#[test]
fn absent_and_pending_items_are_marked_in_both_exports() {
    let case = "cases/apt31-uk-parliament-2021.acre";
    let misp: Value = serde_json::from_slice(&acre(&["export", "misp", case]).stdout).unwrap();
    let attrs = misp["Event"]["Attribute"].as_array().unwrap();
    let item = |id: &str| {
        attrs
            .iter()
            .find(|a| {
                a["type"] == "text"
                    && a["comment"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("{id} ("))
            })
            .unwrap()
    };
    let tags = |a: &Value| -> Vec<String> {
        a["Tag"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    // monetisation is absent in the case, vendor_infra pending
    let absent = item("monetisation");
    assert_eq!(
        absent["value"],
        "Looked for, not found: Any monetisation, extortion or sale of access"
    );
    assert!(tags(absent).contains(&"acre:evidence-status=\"absent\"".to_string()));
    assert!(
        absent["comment"]
            .as_str()
            .unwrap()
            .contains("looked for and not found")
    );
    let pending = item("vendor_infra");
    assert!(
        pending["value"]
            .as_str()
            .unwrap()
            .starts_with("Not yet collected (pending): ")
    );
    assert!(tags(pending).contains(&"acre:evidence-status=\"pending\"".to_string()));
    assert!(
        pending["comment"]
            .as_str()
            .unwrap()
            .contains("carries no weight")
    );
    // a source comment never calls a graded source ungraded
    for a in attrs.iter().filter(|a| a["type"] == "text") {
        let graded = tags(a)
            .iter()
            .any(|t| t.starts_with("admiralty-scale:source-reliability"));
        let says_ungraded = a["comment"].as_str().unwrap().contains("ungraded source");
        assert!(!(graded && says_ungraded), "{a}");
    }
    let stix: Value = serde_json::from_slice(&acre(&["export", "stix", case]).stdout).unwrap();
    let notes: Vec<&Value> = stix["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == "note" && o["labels"][0] == "acre-evidence")
        .collect();
    let c = acre::check::check_source(&std::fs::read_to_string(case).unwrap())
        .case
        .unwrap();
    assert_eq!(notes.len(), c.items.len());
    let with_label = |l: &str| notes.iter().filter(|n| n["labels"][1] == l).count();
    let count = |s: acre::vocab::Status| c.items.iter().filter(|e| e.status == s).count();
    assert_eq!(with_label("absent"), count(acre::vocab::Status::Absent));
    assert_eq!(with_label("pending"), count(acre::vocab::Status::Pending));
    assert_eq!(with_label("observed"), count(acre::vocab::Status::Observed));
    assert!(with_label("absent") >= 1 && with_label("pending") >= 1);
    let validator = stix_validator("note");
    for n in &notes {
        assert!(validator.is_valid(n), "{n}");
    }
}

#[test]
fn graph_is_dot_with_every_node_and_edge() {
    let out = acre(&["graph", "cases/apt31-uk-parliament-2021.acre"]);
    assert_eq!(out.status.code(), Some(0));
    let dot = String::from_utf8_lossy(&out.stdout);
    assert!(dot.starts_with("digraph evidence {"));
    assert!(dot.trim_end().ends_with('}'));
    // 5 sources, 1 assumption, 7 items
    assert_eq!(
        dot.lines()
            .filter(|l| l.contains("[ label=") && !l.contains("->"))
            .count(),
        13
    );
    assert_eq!(dot.matches("label=\"echoes\"").count(), 2);
    assert_eq!(dot.matches("label=\"depends on\"").count(), 1);
    assert_eq!(dot.matches("label=\"conditions\"").count(), 1);
}

#[test]
fn html_reports_are_self_contained() {
    let dir = std::env::temp_dir().join(format!("acre-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for case in cases() {
        let path = dir.join("r.html");
        let out = acre(&[
            "report",
            &case,
            "-o",
            path.to_str().unwrap(),
            "--samples",
            "500",
        ]);
        assert_eq!(out.status.code(), Some(0), "{case}");
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        // no external references: nothing loaded from a URL
        for attr in ["src=", "href="] {
            assert!(!html.contains(attr), "{case}: {attr} found");
        }
        assert!(!html.contains("<script"), "{case}: no scripts");
        for chart in [
            "yardstick-chart",
            "waterfall-chart",
            "tornado-chart",
            "graph-chart",
        ] {
            assert!(html.contains(chart), "{case}: {chart}");
        }
        assert!(html.matches("class=\"band\"").count() >= 7);
        assert!(html.matches("class=\"bar\"").count() >= 3);
        assert!(html.matches("class=\"node\"").count() >= 3);
        assert!(
            html.contains("Bottom line")
                && html.contains("ACH matrix")
                && html.contains("Analytic confidence")
        );
    }
    let out = acre(&[
        "report",
        "cases/apt31-uk-parliament-2021.acre",
        "--format",
        "md",
        "--samples",
        "500",
    ]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("# Reconnaissance of UK parliamentarians"));
    assert!(md.contains(
        "| apt31 (APT31 (China state-affiliated, Hubei MSS)) | 20.0% | almost certain (95-100%) |"
    ));
    assert!(md.contains("## ACH matrix"));
    assert!(md.contains("## Judgment checks"));
}

/// Citations on sources travel to the STIX note's external references and to the report's
/// numbered references, with the evidence table pointing at them.
#[test]
fn citations_reach_stix_and_the_report() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/sony-pictures-2014.acre"),
    )
    .unwrap();
    let case = acre::check::check_source(&text).case.unwrap();
    let refs = case.references();
    assert_eq!(refs.len(), 4);
    assert_eq!(refs[0].id, "fbi");
    assert_eq!(
        refs[0].url.as_deref(),
        Some("https://www.fbi.gov/news/press-releases/update-on-sony-investigation")
    );
    let a = acre::infer::assess(
        &case,
        &acre::infer::Options {
            samples: 100,
            seed: 1,
        },
    )
    .unwrap();
    let x = acre::explain::explain(&case, &a, None).unwrap();
    let bundle = acre::export::stix(&case, &a, &x, "");
    let note = bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["type"] == "note" && o["labels"].is_null())
        .unwrap();
    let ext = note["external_references"].as_array().unwrap();
    assert_eq!(ext.len(), 4);
    assert_eq!(ext[0]["url"], refs[0].url.clone().unwrap().as_str());
    assert!(ext[1].get("url").is_none());
    let html = acre::report::html::html(&case, &a, &x, &[], "sony.acre", None);
    assert!(html.contains("<h2>References</h2>"));
    // malware_links comes from the FBI, reference 1
    let row = html
        .split("<tr><td>malware_links</td>")
        .skip(1)
        .map(|r| r.split("</tr>").next().unwrap())
        .find(|r| r.contains("Destover"))
        .unwrap();
    assert!(row.ends_with("<td>[1]</td>"), "{row}");
    // printed, never linked: the report makes no network requests
    assert!(!html.contains("href=\"https://www.fbi.gov"));
}

/// Every tag of every case's MISP export is a predicate and value of the MISP taxonomy it
/// names (the vendored admiralty-scale and estimative-language), or acre's own namespace.
#[test]
fn misp_tags_are_the_taxonomies_own() {
    use acre::export::misp_tag_known;
    // the checker is not vacuous
    assert_eq!(
        misp_tag_known("admiralty-scale:source-reliability=\"b\""),
        Some(true)
    );
    assert_eq!(
        misp_tag_known("admiralty-scale:source-reliability=\"g\""),
        Some(false)
    );
    assert_eq!(
        misp_tag_known("admiralty-scale:information-credibility=\"6\""),
        Some(true)
    );
    assert_eq!(
        misp_tag_known("estimative-language:likelihood-probability=\"highly-likely\""),
        Some(false)
    );
    assert_eq!(
        misp_tag_known("estimative-language:confidence-in-analytic-judgment=\"moderate\""),
        Some(true)
    );
    assert_eq!(
        misp_tag_known("estimative-language:confidence=\"moderate\""),
        Some(false)
    );
    assert_eq!(misp_tag_known("acre:evidence-status=\"observed\""), None);
    let mut files = Vec::new();
    cli::acre_files_in(std::path::Path::new("cases"), &mut files);
    let mut checked = 0;
    for case in &files {
        let case = case.to_str().unwrap();
        let out = acre(&["export", "misp", case, "--samples", "0"]);
        assert_eq!(out.status.code(), Some(0), "{case}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let event = &v["Event"];
        let tags = event["Tag"].as_array().unwrap().iter().chain(
            event["Attribute"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|a| a["Tag"].as_array().unwrap()),
        );
        for t in tags {
            let name = t["name"].as_str().unwrap();
            match misp_tag_known(name) {
                Some(true) => checked += 1,
                Some(false) => panic!("{case}: {name} is not in its taxonomy"),
                None => assert!(name.starts_with("acre:"), "{case}: {name}"),
            }
        }
    }
    assert!(checked > 300, "{checked}");
}
