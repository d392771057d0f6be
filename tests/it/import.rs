//! `acre import stix|misp`: skeletons from fixtures written with the real clients (stix2,
//! PyMISP: `tests/fixtures/import/make.py`), what acre's own exports carry coming back, and
//! hostile inputs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli::{acre, scratch};
use acre::code::Code;

/// The skeleton checks with one `no-likelihood` per item and no other error.
fn errors_are_only_the_analysts_to_do(text: &str) -> usize {
    let checked = acre::check::check_source(text);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    for e in &errors {
        assert_eq!(e.code, Code::NoLikelihood, "{e:?}\n{text}");
    }
    errors.len()
}

#[test]
fn a_misp_event_written_by_pymisp_imports_as_a_checked_skeleton() {
    let json = std::fs::read_to_string("tests/fixtures/import/event.json").unwrap();
    let imported = acre::import::misp(&json).unwrap();
    insta::assert_snapshot!("misp_event_skeleton", imported.text);
    // five items (two attributes, a link and an object's two), each left for the analyst
    assert_eq!(errors_are_only_the_analysts_to_do(&imported.text), 5);
    let c = acre::syntax::parse(&imported.text).0;
    assert!(!c.items.is_empty());
    let skipped: Vec<&str> = imported
        .notes
        .iter()
        .filter(|n| n.action == "skipped")
        .map(|n| n.what.as_str())
        .collect();
    assert_eq!(skipped, ["galaxy cluster Data Destruction - T1485"]);
    // the grades come from the admiralty-scale tags: the event's B, an attribute's own C3
    assert!(
        imported
            .text
            .contains("source cert_example   \"CERT-Example\"   reliability B")
    );
    assert!(imported.text.contains("from cert_example_c credibility 3"));
}

#[test]
fn a_stix_bundle_written_by_stix2_imports_as_a_checked_skeleton() {
    let json = std::fs::read_to_string("tests/fixtures/import/bundle.json").unwrap();
    let imported = acre::import::stix(&json).unwrap();
    insta::assert_snapshot!("stix_bundle_skeleton", imported.text);
    assert_eq!(errors_are_only_the_analysts_to_do(&imported.text), 2);
    // OpenCTI's reliability field grades the NCSC; the vendor is left ungraded
    assert!(
        imported
            .text
            .contains("\"NCSC\"              reliability B")
    );
    let skipped = imported
        .notes
        .iter()
        .filter(|n| n.action == "skipped")
        .count();
    assert_eq!(skipped, 2, "{:?}", imported.notes);
    // the campaign's attributed-to is read: it makes its target a hypothesis
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.what.starts_with("relationship ") && n.why == "makes `APT31` a hypothesis"),
        "{:?}",
        imported.notes
    );
}

/// The hypotheses a case text declares, in order.
fn checked_ids(text: &str) -> Vec<String> {
    acre::syntax::parse(text)
        .0
        .items
        .iter()
        .filter_map(|i| match i {
            acre::syntax::ast::Item::Hypothesis(h) => Some(h.id.name.clone()),
            _ => None,
        })
        .collect()
}

/// Two real public bundles, the OASIS CTI TC's documentation examples (BSD-3-Clause, with
/// their licence in `tests/fixtures/import/oasis/`), imported and checked.
#[test]
fn the_oasis_example_bundles_import_as_checked_skeletons() {
    let read = |name: &str| {
        std::fs::read_to_string(format!("tests/fixtures/import/oasis/{name}.json")).unwrap()
    };
    // campaigns attributed to an intrusion set and a threat actor, which use two attack
    // patterns: two hypotheses and a catch-all, the patterns as items naming who uses them
    let campaigns =
        acre::import::stix(&read("defining-campaigns-threat-actors-intrusion-sets")).unwrap();
    insta::assert_snapshot!("oasis_campaigns_skeleton", campaigns.text);
    let checked = acre::check::check_source(&campaigns.text);
    let hypotheses = checked_ids(&campaigns.text);
    assert_eq!(hypotheses, ["fake_bpp_branistan", "apt_bpp", "other"]);
    assert!(
        campaigns
            .text
            .contains("used by APT BPP, Fake BPP (Branistan Peoples Party) (STIX `uses`)"),
        "{}",
        campaigns.text
    );
    // what is left for the analyst: each pattern's likelihoods and its source
    let codes: Vec<Code> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert_eq!(codes.len(), 2, "{:?}", checked.diagnostics);
    // every object is accounted for: read, or left out with a reason
    let objects = read("defining-campaigns-threat-actors-intrusion-sets")
        .matches("\"spec_version\"")
        .count();
    assert_eq!(campaigns.notes.len(), objects);
    let targets_left: Vec<&acre::import::Note> = campaigns
        .notes
        .iter()
        .filter(|n| n.why.contains("`targets` relationship"))
        .collect();
    assert_eq!(targets_left.len(), 5);
    // a threat actor's profile: one hypothesis with its alias, and the catch-all
    let profile = acre::import::stix(&read("identifying-a-threat-actor-profile")).unwrap();
    insta::assert_snapshot!("oasis_profile_skeleton", profile.text);
    let checked = acre::check::check_source(&profile.text);
    let case = checked.case.unwrap();
    assert_eq!(case.hypotheses.len(), 2);
    assert_eq!(case.hypotheses[0].aliases, ["Equipo del Discoteca"]);
    assert!(case.hypotheses[1].catch_all);
}

/// A case's exports (through the library, as `acre export` makes them from the checked text).
fn exports(text: &str, carried: &str) -> (String, String) {
    let case = acre::check::check_source(text).case.unwrap();
    let options = acre::infer::Options {
        samples: 0,
        seed: 1,
    };
    let a = acre::infer::assess(&case, &options).unwrap();
    let x = acre::explain::explain(&case, &a, None).unwrap();
    (
        acre::export::stix(&case, &a, &x, carried).to_string(),
        acre::export::misp(&case, &a, &x, carried).to_string(),
    )
}

/// What a case means: its checked model, positions left out (the import lays it out anew).
fn meaning(text: &str) -> String {
    let checked = acre::check::check_source(text);
    let model = checked
        .case
        .unwrap_or_else(|| panic!("{:?}\n{text}", checked.diagnostics));
    crate::fmt::without_spans(&format!("{model:?}"))
}

/// Export then import gives the case back: the same hypotheses (labels, aliases, priors,
/// groups), sources and grades, assumptions, items with their dates, citations, addresses,
/// statuses, dependencies and likelihoods, judgments and outcome: the same checked model.
fn round_trip(text: &str, name: &str) {
    let want = meaning(text);
    let (stix, misp) = exports(text, text);
    for (target, imported) in [
        ("stix", acre::import::stix(&stix)),
        ("misp", acre::import::misp(&misp)),
    ] {
        let back = imported.unwrap().text;
        assert_eq!(meaning(&back), want, "{name} through {target}:\n{back}");
    }
}

#[test]
fn every_worked_case_comes_back_whole_from_its_own_exports() {
    let mut files = Vec::new();
    crate::support::cli::acre_files_in(std::path::Path::new("cases"), &mut files);
    assert!(files.len() >= 40);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        // the case files that include others are exported assembled, as the command does
        if text.contains("\ninclude ") || text.starts_with("include ") {
            continue;
        }
        round_trip(&text, &path.display().to_string());
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Generated cases (the engine reference's: echoing sources, assumptions, conditioned
    /// likelihoods, absent and pending items) come back whole too.
    #[test]
    fn generated_cases_come_back_whole(text in crate::engine_reference::random_case()) {
        round_trip(&text, "a generated case");
    }
}

/// What other tools read, the exports' standard fields and tags, carries the hypotheses'
/// labels (and aliases and groups in STIX), each item's id, description, grade, status and
/// date, and in STIX its citation and address: a bundle or event without acre's declarations
/// still gives the skeleton back.
#[test]
fn every_worked_case_comes_back_from_its_exports_standard_fields() {
    let mut files = Vec::new();
    crate::support::cli::acre_files_in(std::path::Path::new("cases"), &mut files);
    for path in files.iter().map(|p| p.to_str().unwrap().to_string()) {
        let source = std::fs::read_to_string(&path).unwrap();
        let Some(case) = acre::check::check_source(&source).case else {
            continue;
        };
        let (stix, misp) = exports(&source, "");
        for (target, json) in [("stix", stix), ("misp", misp)] {
            let imported = if target == "stix" {
                acre::import::stix(&json)
            } else {
                acre::import::misp(&json)
            }
            .unwrap();
            let text = &imported.text;
            let n = errors_are_only_the_analysts_to_do(text);
            let counted = case
                .items
                .iter()
                .filter(|i| i.status != acre::vocab::Status::Pending)
                .count();
            assert!(
                n >= counted,
                "{path} {target}: {n} to do, {counted} items\n{text}"
            );
            for h in case.hypotheses.iter().filter(|h| !h.catch_all) {
                assert!(
                    text.contains(&format!("\"{}\"", h.label.replace('"', "\\\""))),
                    "{path} {target}: no hypothesis {}\n{text}",
                    h.label
                );
            }
            for item in &case.items {
                let head = format!("evidence {} ", item.id);
                assert!(text.contains(&head), "{path} {target}: no {head}\n{text}");
                if let Some(g) = item.credibility_grade {
                    let letter = case.sources[item.source.idx()].reliability.map(|r| r.0);
                    if let Some(l) = letter {
                        assert!(
                            text.contains(&format!("grade {l}{g}")),
                            "{path} {target}: {} not graded {l}{g}\n{text}",
                            item.id
                        );
                    }
                }
                let at = text.find(&head).unwrap();
                let block = &text[at..at + text[at..].find("\n}").unwrap()];
                if item.status == acre::vocab::Status::Absent {
                    assert!(block.contains("\n  absent"), "{path} {target}: {block}");
                }
                // the date it became known (a month or a year comes back as its first day)
                if let Some((date, _)) = &item.reported {
                    let day = &acre::export::stix_time(Some(date))[..10];
                    assert!(
                        block.contains(&format!("\n  reported {day}")),
                        "{path} {target}: {block}"
                    );
                }
                // STIX carries the citation and the address in the note's reference
                if target == "stix" {
                    if let Some(cite) = item.cite.as_ref().filter(|c| c.chars().count() < 300) {
                        let quoted = format!(
                            "cite \"{}\"",
                            cite.replace('\\', "\\\\").replace('"', "\\\"")
                        );
                        assert!(block.contains(&quoted), "{path}: {quoted} not in {block}");
                    }
                    if let Some(url) = &item.url {
                        assert!(block.contains(&format!("url \"{url}\"")), "{path}: {block}");
                    }
                }
            }
            if target == "stix" {
                for g in &case.groups {
                    assert!(
                        text.contains("\ngroup ") && text.contains(&format!("\"{}\"", g.label)),
                        "{path}: no group {}\n{text}",
                        g.label
                    );
                }
            }
        }
    }
}

#[test]
fn hostile_inputs_are_refused_or_skipped_never_a_panic() {
    use acre::import::{ImportError, misp, stix};
    assert!(matches!(misp("{"), Err(ImportError::NotJson(_))));
    assert!(matches!(stix("not json"), Err(ImportError::NotJson(_))));
    // each format names the other when given it
    let Err(ImportError::WrongFormat(_, help)) = misp(r#"{"type": "bundle", "objects": []}"#)
    else {
        panic!("a bundle is not an event")
    };
    assert!(help.contains("acre import stix"));
    let Err(ImportError::WrongFormat(_, help)) = stix(r#"{"Event": {"info": "x"}}"#) else {
        panic!("an event is not a bundle")
    };
    assert!(help.contains("acre import misp"));
    // STIX 2.0 is not 2.1
    let old = r#"{"type": "bundle", "spec_version": "2.0", "objects": [{"type": "indicator", "id": "indicator--1", "spec_version": "2.0"}]}"#;
    assert!(matches!(stix(old), Err(ImportError::WrongFormat(..))));
    // nested far deeper than the parser allows: an error, not a stack overflow
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(misp(&deep), Err(ImportError::NotJson(_))));
    // names that try to break out of their string, control and bidirectional characters,
    // wrong types everywhere: the case still parses, with nothing declared but the data
    let nasty = r#"{"Event": {"info": "x\" }\nhypothesis evil \"E\" prior 99%\n# \u202e",
        "Orgc": {"name": 42},
        "Attribute": [
            {"type": "threat-actor", "value": "A\"} group g { a }"},
            {"type": "text", "value": ["not", "a", "string"]},
            {"type": "text", "value": "ok\u0000\u0007 value", "Tag": "not a list", "first_seen": "2024-13-45"},
            {"type": "link", "value": "javascript:alert(1)"},
            7, null, {"type": null}
        ],
        "Object": {"not": "a list"}, "Galaxy": [{"GalaxyCluster": [{}]}]}}"#;
    let imported = misp(nasty).unwrap();
    let (file, diags) = acre::syntax::parse(&imported.text);
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "{diags:?}\n{}",
        imported.text
    );
    let hypotheses = file
        .items
        .iter()
        .filter(|i| matches!(i, acre::syntax::ast::Item::Hypothesis(_)))
        .count();
    // the threat actor and the catch-all; no `evil`, no group
    assert_eq!(hypotheses, 2, "{}", imported.text);
    assert!(
        !file
            .items
            .iter()
            .any(|i| matches!(i, acre::syntax::ast::Item::Group(_)))
    );
    // a link that is not a web address stays a label, never a `url`
    assert!(
        !imported.text.contains("url \"javascript:"),
        "{}",
        imported.text
    );
    assert!(!imported.text.contains('\u{202e}') && !imported.text.contains('\u{0}'));
    assert!(!imported.text.contains("2024-13-45"));
}

#[test]
fn the_command_writes_the_case_never_over_its_input_and_lists_what_it_read() {
    let dir = scratch("import");
    let event = dir.join("event.json");
    std::fs::copy("tests/fixtures/import/event.json", &event).unwrap();
    let e = event.to_str().unwrap();
    let out = acre(&["import", "misp", e, "-o", e]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read("tests/fixtures/import/event.json").unwrap(),
        std::fs::read(&event).unwrap()
    );
    let case = dir.join("case.acre");
    let out = acre(&["import", "misp", e, "-o", case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("imported 9 object(s), skipped 1"),
        "{stderr}"
    );
    assert!(stderr.contains(
        "skipped galaxy cluster Data Destruction - T1485: a `mitre-attack-pattern` cluster"
    ));
    // the written case is laid out as fmt would
    let fmt = acre(&["fmt", "--check", case.to_str().unwrap()]);
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fmt.stdout)
    );
    let json = acre(&[
        "import",
        "stix",
        "tests/fixtures/import/bundle.json",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v["text"].as_str().unwrap().starts_with("case "));
    assert_eq!(v["notes"].as_array().unwrap().len(), 9);
}

#[test]
fn an_items_citation_address_and_date_come_back_through_stix() {
    let text = "case \"Cites\" { question \"Who?\" assessed 2024-05-01 }\n\
        hypothesis a \"Actor A\" prior 50%\nhypothesis other \"Someone else\" prior rest catch-all\n\
        evidence e \"Seen\" {\n  grade B2\n  given a: likely\n  otherwise: unlikely\n\
          reported 2024-03\n  cite \"Vendor \\\"X\\\" report, March 2024\"\n  url \"https://vendor.example/x\"\n}\n";
    let case = acre::check::check_source(text).case.unwrap();
    let a = acre::infer::assess(
        &case,
        &acre::infer::Options {
            samples: 0,
            seed: 1,
        },
    )
    .unwrap();
    let x = acre::explain::explain(&case, &a, None).unwrap();
    // the standard fields alone (no declarations carried): what another tool's bundle gives
    let bundle = acre::export::stix(&case, &a, &x, "").to_string();
    let back = acre::import::stix(&bundle).unwrap().text;
    assert!(back.contains("evidence e \"Seen\" {"), "{back}");
    assert!(back.contains("  grade B2\n"), "{back}");
    // a month comes back as its first day
    assert!(back.contains("  reported 2024-03-01\n"), "{back}");
    assert!(
        back.contains("  cite \"Vendor \\\"X\\\" report, March 2024\"\n"),
        "{back}"
    );
    assert!(
        back.contains("  url \"https://vendor.example/x\"\n"),
        "{back}"
    );
}

#[test]
fn tags_outside_their_taxonomy_are_listed_and_read_as_nothing() {
    let event = r#"{"Event": {"info": "x", "Orgc": {"name": "CERT"},
        "Tag": [{"name": "admiralty-scale:source-reliability=\"z\""}],
        "Attribute": [{"type": "text", "value": "seen",
            "Tag": [{"name": "admiralty-scale:information-credibility=\"9\""},
                    {"name": "estimative-language:likelihood-probability=\"probably\""},
                    {"name": "tlp:white"}]}]}}"#;
    let imported = acre::import::misp(event).unwrap();
    let skipped: Vec<&str> = imported
        .notes
        .iter()
        .filter(|n| n.action == "skipped")
        .map(|n| n.what.as_str())
        .collect();
    assert_eq!(
        skipped,
        [
            "event tag admiralty-scale:source-reliability=\"z\"",
            "tag admiralty-scale:information-credibility=\"9\" on attribute 1 (text)",
            "tag estimative-language:likelihood-probability=\"probably\" on attribute 1 (text)",
        ]
    );
    // no grade came from them
    assert!(
        imported.text.contains("source cert \"CERT\"\n"),
        "{}",
        imported.text
    );
    assert!(imported.text.contains("  from cert\n"), "{}", imported.text);
}

/// An estimative-language tag on an attribute of an event about one actor becomes how
/// expected the attribute is if that actor did it, as the tag term's ICD 203 band (the
/// numbers the MISP taxonomy itself gives: very likely 80-95%, unlikely 20-45%); with two
/// actors the tag is listed as left, and the other hypotheses are always left for the analyst.
#[test]
fn estimative_tags_give_the_one_actors_likelihood() {
    let event = |actors: &[&str]| {
        let clusters: Vec<String> = actors
            .iter()
            .map(|a| format!("{{\"value\": \"{a}\"}}"))
            .collect();
        format!(
            r#"{{"Event": {{"info": "Phishing wave", "Galaxy": [{{"type": "threat-actor", "GalaxyCluster": [{}]}}],
              "Attribute": [
                {{"type": "domain", "value": "login-portal.example", "Tag": [{{"name": "estimative-language:likelihood-probability=\"very-likely\""}}]}},
                {{"type": "ip-dst", "value": "192.0.2.7", "Tag": [{{"name": "estimative-language:likelihood-probability=\"unlikely\""}}]}},
                {{"type": "text", "value": "Lure in Korean"}}
              ]}}}}"#,
            clusters.join(", ")
        )
    };
    let one = acre::import::misp(&event(&["Kimsuky"])).unwrap();
    let text = &one.text;
    assert!(text.contains("given kimsuky: 80%..95%"), "{text}");
    assert!(text.contains("given kimsuky: 20%..45%"), "{text}");
    assert_eq!(
        text.matches("given ").count(),
        2,
        "the untagged item has none: {text}"
    );
    // what is left is listed by check: the catch-all's likelihoods, and the untagged item
    let checked = acre::check::check_source(text);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(!errors.is_empty(), "{text}");
    assert!(
        errors.iter().any(|d| d.message.contains("lure_in_korean")),
        "{errors:?}"
    );
    let two = acre::import::misp(&event(&["Kimsuky", "Lazarus Group"])).unwrap();
    assert!(!two.text.contains("given "), "{}", two.text);
    let left: Vec<_> = two
        .notes
        .iter()
        .filter(|n| n.what.starts_with("tag estimative-language"))
        .collect();
    assert_eq!(left.len(), 2);
    assert!(left[0].why.contains("not name exactly one actor"));
}
