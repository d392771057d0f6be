//! Groups of hypotheses: their numbers are their members' sums (by hand), judgments,
//! expectations and outcomes may name them, and calibration scores each level apart.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::case::case;
use crate::support::cli::{acre, acre_json, scratch};
use acre::model::{GroupId, HypothesisId, Proposition};

/// Three hypotheses, one item with plain numbers: by hand, the joint is
/// 0.5 * 0.8 = 0.40, 0.3 * 0.6 = 0.18, 0.2 * 0.1 = 0.02 (sum 0.60), so the posteriors are
/// 2/3, 3/10 and 1/30, and the group of `a` and `b` holds 29/30.
fn three(outcome: &str) -> String {
    format!(
        "case \"Levels\" {{ question \"Who?\" yardstick phia assessed 2024-01-10 }}\n\
         hypothesis a \"Actor A\" prior 50%\n\
         hypothesis b \"Actor B\" prior 30%\n\
         hypothesis c \"Someone else\" prior rest catch-all\n\
         group ab \"One of the pair\" alias \"the pair\" {{ a, b }}\n\
         evidence e \"Tooling\" {{ given a: 0.8 given b: 0.6 otherwise: 0.1 reported 2024-01-05 }}\n\
         {outcome}\n"
    )
}

/// The assessment without draws (the numbers by hand are point values).
fn assessed(c: &acre::model::Case) -> acre::infer::Assessment {
    acre::infer::assess(
        c,
        &acre::infer::Options {
            samples: 0,
            seed: 1,
        },
    )
    .unwrap()
}

#[test]
fn a_groups_numbers_are_its_members_sums_by_hand() {
    let c = case(&three(""));
    assert_eq!(c.groups.len(), 1);
    let g = &c.groups[0];
    assert_eq!(g.hypotheses, [HypothesisId(0), HypothesisId(1)]);
    assert_eq!(
        g.members,
        [
            Proposition::Hypothesis(HypothesisId(0)),
            Proposition::Hypothesis(HypothesisId(1))
        ]
    );
    assert_eq!(g.aliases, ["the pair"]);
    let a = assessed(&c);
    assert!((a.hypotheses[0].point - 2.0 / 3.0).abs() < 1e-12);
    assert!((a.hypotheses[1].point - 0.3).abs() < 1e-12);
    let r = &a.groups[0];
    assert!((r.point - 29.0 / 30.0).abs() < 1e-12, "{}", r.point);
    assert!((r.prior - 0.8).abs() < 1e-12);
    // no banded input: the bounds are the point
    assert!((r.lower - r.point).abs() < 1e-12 && (r.upper - r.point).abs() < 1e-12);
    // 96.7% is almost certain on PHIA
    assert_eq!(r.placement.words, "almost certain");
    let p = Proposition::Group(GroupId(0));
    assert!((a.result(p).point - r.point).abs() < 1e-15);
    assert_eq!(c.families(), [p, Proposition::Hypothesis(HypothesisId(2))]);
}

#[test]
fn assess_shows_groups_in_text_and_json() {
    let dir = scratch("groups-assess");
    let file = dir.join("levels.acre");
    std::fs::write(&file, three("")).unwrap();
    let path = file.to_str().unwrap();
    let v = acre_json(&["assess", path, "--samples", "0", "--format", "json"]);
    let g = &v["groups"][0];
    assert_eq!(g["id"], "ab");
    assert_eq!(g["members"], serde_json::json!(["a", "b"]));
    assert_eq!(g["hypotheses"], serde_json::json!(["a", "b"]));
    assert!(g["parent"].is_null());
    let point = g["posterior"]["point"].as_f64().unwrap();
    assert!((point - 29.0 / 30.0).abs() < 1e-12);
    assert_eq!(g["term"], "almost certain");
    let out = acre(&["assess", path, "--samples", "0"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Groups (each the sum of its members)\n  ab  One of the pair  (a + b; prior 80.0%)\n      almost certain (95-100%): 96.7%"),
        "{text}"
    );
}

#[test]
fn judgments_and_expectations_may_name_a_group() {
    let text = three(
        "judgment j1 \"The pair almost certainly did it\" claims ab almost certain\n\
         judgment j2 \"A likely did it\" claims a likely\n\
         expect ab is almost certain\n\
         expect ab leads\n\
         expect j1 holds",
    );
    let c = case(&text);
    assert_eq!(c.judgments[0].proposition, Proposition::Group(GroupId(0)));
    let a = assessed(&c);
    assert_eq!(
        acre::infer::judgment_verdict(&c, &a, 0),
        acre::vocab::Verdict::Consistent
    );
    for e in &a.expectations {
        assert!(e.met, "{e:?}");
    }
    // `leads` for a group compares it with the other families: ab 96.7% against c 3.3%
    assert!(a.expectations[1].actual.starts_with("ab leads"));
}

#[test]
fn members_may_be_listed_with_the_keyword_or_bare_and_groups_nest() {
    let text = "case \"Nest\" { question \"Who?\" }\n\
        hypothesis apt28 prior 30%\nhypothesis sandworm prior 20%\nhypothesis svr prior 20%\n\
        hypothesis apt31 prior 10%\nhypothesis other prior rest catch-all\n\
        group russia \"Russian state\" members gru, svr\n\
        group gru \"The GRU\" {\n  apt28,\n  sandworm\n}\n\
        group china \"Chinese state\" { members apt31  note \"one named group so far\" }\n";
    let checked = acre::check::check_source(text);
    let c = checked.case.unwrap();
    let ids: Vec<&str> = c.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["russia", "gru", "china"]);
    assert_eq!(c.groups[1].parent, Some(GroupId(0)));
    assert_eq!((c.groups[0].depth, c.groups[1].depth), (0, 1));
    assert_eq!(
        c.groups[0].hypotheses,
        [HypothesisId(0), HypothesisId(1), HypothesisId(2)]
    );
    // a group of one is a warning, not an error
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.code == acre::code::Code::GroupOfOne)
    );
    // the levels: families, then the members of families
    let names = |ps: Vec<Proposition>| -> Vec<String> {
        ps.iter()
            .map(|p| c.proposition_id(*p).to_string())
            .collect()
    };
    assert_eq!(names(c.level(0)), ["russia", "china", "other"]);
    assert_eq!(names(c.level(1)), ["gru", "svr", "apt31", "other"]);
    assert_eq!(
        names(c.level(2)),
        ["apt28", "sandworm", "svr", "apt31", "other"]
    );
}

#[test]
fn an_outcome_naming_a_group_settles_judgments_about_it_not_about_its_members() {
    let c = case(&three(
        "outcome ab on 2024-06-01 strength government\n\
         judgment j1 \"The pair\" claims ab almost certain\n\
         judgment j2 \"A\" claims a likely\n\
         judgment j3 \"Someone else\" claims c remote chance",
    ));
    let o = c.outcome.as_ref().unwrap().proposition;
    let settled: Vec<Option<bool>> = c
        .judgments
        .iter()
        .map(|j| c.settles(j.proposition, o))
        .collect();
    assert_eq!(settled, [Some(true), None, Some(false)]);
}

#[test]
fn calibrate_scores_family_and_member_levels_apart_by_hand() {
    let dir = scratch("groups-calibrate");
    std::fs::write(
        dir.join("member.acre"),
        three("outcome b on 2024-06-01 strength government"),
    )
    .unwrap();
    std::fs::write(
        dir.join("family.acre"),
        three("outcome ab on 2024-06-01 strength government"),
    )
    .unwrap();
    let v = acre_json(&["calibrate", dir.to_str().unwrap(), "--format", "json"]);
    let brier = |forecaster: &str, case: &str| -> f64 {
        let f = v["forecasters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == forecaster)
            .unwrap_or_else(|| panic!("no forecaster {forecaster}"));
        f["by_question"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["question"].as_str().unwrap().ends_with(case))
            .unwrap()["brier"]
            .as_f64()
            .unwrap()
    };
    // member level, outcome b: (2/3 - 0)^2 + (3/10 - 1)^2 + (1/30 - 0)^2
    let member = (2.0f64 / 3.0).powi(2) + 0.7f64.powi(2) + (1.0f64 / 30.0).powi(2);
    // family level: {ab, c} with ab true: (29/30 - 1)^2 + (1/30)^2
    let family = 2.0 * (1.0f64 / 30.0).powi(2);
    assert!((brier("engine", "member.acre") - member).abs() < 1e-12);
    assert!((brier("engine, families", "member.acre") - family).abs() < 1e-12);
    // an outcome that names only the group is scored at the group's level in both
    assert!((brier("engine", "family.acre") - family).abs() < 1e-12);
    assert!((brier("engine, families", "family.acre") - family).abs() < 1e-12);
    let leads = &v["leads"];
    assert_eq!(leads["cases"], 2);
    // b (30%) did not lead a (66.7%); the group ab led c
    assert_eq!(leads["led"], 1);
    assert_eq!(leads["misses"][0]["outcome"][0], "b");
    assert_eq!(leads["resolved_to_group"].as_array().unwrap().len(), 1);
    assert_eq!(leads["with_groups"].as_array().unwrap().len(), 2);
    // at the family level ab (96.7%) led c in both
    assert_eq!(leads["family_led"], 2);
}

#[test]
fn review_compares_a_sentence_about_a_group_with_the_group() {
    let dir = scratch("groups-review");
    let case_file = dir.join("levels.acre");
    std::fs::write(
        &case_file,
        three("").replace(
            "question \"Who?\"",
            "question \"Who carried out the intrusion?\"",
        ),
    )
    .unwrap();
    let draft = dir.join("draft.md");
    std::fs::write(
        &draft,
        "It is highly likely that the pair carried out the intrusion.\n\n\
         We judge that Actor A was likely responsible for the intrusion.\n",
    )
    .unwrap();
    let out = acre(&[
        "review",
        draft.to_str().unwrap(),
        "--case",
        case_file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let comparisons = v["comparisons"].as_array().unwrap();
    let about = |id: &str| {
        comparisons
            .iter()
            .find(|c| c["hypothesis"] == id)
            .unwrap_or_else(|| panic!("no comparison with {id}: {comparisons:?}"))
    };
    // "the pair" is the group's alias: 29/30 is almost certain, so "highly likely" is an
    // underclaim of the group, while "likely" holds of Actor A (2/3)
    let group = about("ab");
    assert!((group["point"].as_f64().unwrap() - 29.0 / 30.0).abs() < 1e-12);
    assert_eq!(group["verdict"], "underclaim");
    let member = about("a");
    assert!((member["point"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(member["verdict"], "consistent");
}

#[test]
fn the_narrative_states_the_judgment_at_each_level_that_holds_the_focus() {
    let c = case(&three(""));
    let a = assessed(&c);
    let x = acre::explain::explain(&c, &a, None).unwrap();
    // a leads at 2/3 (likely); its group holds 29/30 (almost certain)
    assert!(
        x.narrative.starts_with(
            "We assess it is likely (55-75%; computed 66.7%) that Actor A is responsible. \
             We assess it is almost certain (95-100%; computed 96.7%) that one of the pair is responsible."
        ),
        "{}",
        x.narrative
    );
    // explained for c, which is in no group, the narrative names no group
    let x = acre::explain::explain(&c, &a, Some(HypothesisId(2))).unwrap();
    assert!(!x.narrative.contains("one of the pair"), "{}", x.narrative);
}

#[test]
fn a_likelihood_given_a_group_is_refused_with_its_members_named() {
    let text = three("").replace("given b: 0.6", "given ab: 0.6");
    let checked = acre::check::check_source(&text);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == acre::code::Code::WrongKind)
        .expect("a wrong-kind error");
    assert_eq!(d.message, "`ab` is a group, not hypothesis");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .ends_with("list the group's members instead, `a, b`"),
        "{:?}",
        d.help
    );
    assert!(checked.case.is_none());
}

#[test]
fn diff_shows_how_a_group_moved_and_what_changed_in_it() {
    let old = three("");
    let new = old.replace("{ a, b }", "{ a }");
    let d = acre::history::diff::diff(&old, &new).unwrap();
    // the hypotheses do not move; the group falls from 29/30 to a's 2/3
    assert!(
        d.hypotheses
            .iter()
            .all(|m| (m.before - m.after).abs() < 1e-12)
    );
    let g = &d.levels[0];
    assert_eq!(g.id, "ab");
    assert!((g.before - 29.0 / 30.0).abs() < 1e-12 && (g.after - 2.0 / 3.0).abs() < 1e-12);
    let logit = |p: f64| (p / (1.0 - p)).ln();
    let change = g.log_odds_change.unwrap();
    assert!((change - (logit(2.0 / 3.0) - logit(29.0 / 30.0))).abs() < 1e-12);
    assert_eq!(
        (g.written_before.as_str(), g.written_after.as_str()),
        ("almost certain", "likely")
    );
    assert!(d.term_changed);
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].details, ["members: a, b -> a"]);
}
