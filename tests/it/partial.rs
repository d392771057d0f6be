//! Partial results: a file with errors still yields the model of every declaration that
//! checks, without the broken ones and what names them; the command line still refuses it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use acre::check::check_source;
use acre::check::partial::{LeftOutBecause, check_partial};

const HEAD: &str = "case \"p\" {\n  yardstick phia\n}\nhypothesis a \"A\" prior 30%\nhypothesis b \"B\" prior rest catch-all\nsource s \"S\" reliability B\n";
const GOOD1: &str =
    "evidence e1 \"One\" {\n  from s credibility 2\n  given a: likely\n  otherwise: unlikely\n}\n";
const BROKEN: &str = "evidence e2 \"Two\" {\n  given a: likelyish\n  otherwise: unlikely\n}\n";
const DEPENDANT: &str =
    "evidence e3 \"Three\" {\n  depends on e2\n  given a: highly likely\n  otherwise: 0.3\n}\n";
const GOOD4: &str = "evidence e4 \"Four\" {\n  given a: 0.6\n  otherwise: 0.2\n}\nexpect a leads\n";

fn posterior(case: &acre::model::Case) -> Vec<f64> {
    let options = acre::infer::Options {
        samples: 0,
        seed: 1,
    };
    let a = acre::infer::assess(case, &options).unwrap();
    a.hypotheses.iter().map(|h| h.point).collect()
}

#[test]
fn broken_items_and_their_dependants_are_left_out_and_the_rest_is_assessed() {
    let src = [HEAD, GOOD1, BROKEN, DEPENDANT, GOOD4].concat();
    let full = check_source(&src);
    assert!(
        full.case.is_none(),
        "the command line's check refuses the file"
    );
    let partial = check_partial(&src).unwrap();
    let left: Vec<(&str, LeftOutBecause)> = partial
        .left_out
        .iter()
        .map(|l| (l.span.text(&src), l.because.clone()))
        .collect();
    assert_eq!(
        left,
        [
            ("e2", LeftOutBecause::Error),
            ("e3", LeftOutBecause::Names("e2".into()))
        ]
    );
    let ids: Vec<&str> = partial.case.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e4"]);
    assert_eq!(partial.case.expectations.len(), 1);
    assert_eq!(partial.case.expectations[0].text, "expect a leads");
    // the same numbers as the file written without the two items
    let by_hand = check_source(&[HEAD, GOOD1, GOOD4].concat()).case.unwrap();
    assert_eq!(posterior(&partial.case), posterior(&by_hand));
}

#[test]
fn a_valid_file_is_its_own_partial_case() {
    let src = [HEAD, GOOD1, GOOD4].concat();
    let partial = check_partial(&src).unwrap();
    assert!(partial.left_out.is_empty());
    assert_eq!(
        posterior(&partial.case),
        posterior(&check_source(&src).case.unwrap())
    );
}

#[test]
fn syntax_errors_are_left_out_too() {
    let src = [
        HEAD,
        GOOD1,
        "evidence e9 {\n  given a: likely\n  bogus field\n}\n@@@\n",
        GOOD4,
    ]
    .concat();
    let partial = check_partial(&src).unwrap();
    let ids: Vec<&str> = partial.case.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e4"]);
    assert!(
        partial
            .left_out
            .iter()
            .all(|l| l.because == LeftOutBecause::Error)
    );
}

#[test]
fn without_hypotheses_there_is_no_case() {
    let src = "hypothesis a \"A\" prior wat\nhypothesis b \"B\" prior rest catch-all\nevidence e {\n  given a: likely\n  otherwise: unlikely\n}\n";
    assert!(check_partial(src).is_none());
}
