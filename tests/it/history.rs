//! Cases over time: `reported` dates, `acre timeline` and `acre diff` (exact decomposition,
//! Shapley values, exit codes, versions from git).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::cli as support;

use acre::history::diff::diff;
use proptest::prelude::*;
use serde_json::Value;
use support::{acre, scratch};

const NOTPETYA: &str = "cases/notpetya-2017.acre";
const NOTPETYA_JULY: &str = "cases/history/notpetya-2017-07.acre";

fn json(args: &[&str]) -> Value {
    let out = acre(args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn the_timeline_ends_at_the_assessment() {
    let t = json(&["timeline", NOTPETYA, "--format", "json"]);
    let a = json(&["assess", NOTPETYA, "--format", "json"]);
    let steps = t["steps"].as_array().unwrap();
    let dates: Vec<&str> = steps
        .iter()
        .map(|s| s["date"].as_str().unwrap_or("start"))
        .collect();
    assert_eq!(
        dates,
        [
            "start",
            "2017-06-28",
            "2017-06-30",
            "2017-07-05",
            "2018-02-15"
        ]
    );
    let last = &steps.last().unwrap()["hypotheses"];
    for h in a["hypotheses"].as_array().unwrap() {
        let id = h["id"].as_str().unwrap();
        let at_end = last
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap();
        let (p, q) = (
            at_end["point"].as_f64().unwrap(),
            h["posterior"]["point"].as_f64().unwrap(),
        );
        assert!((p - q).abs() < 1e-12, "{id}: {p} vs {q}");
    }
    // the start is the prior
    let start = &steps[0]["hypotheses"][0];
    assert_eq!(start["id"], "sandworm");
    assert!((start["point"].as_f64().unwrap() - 0.25).abs() < 1e-12);
}

#[test]
fn the_report_draws_the_timeline_when_items_are_dated() {
    let out = acre(&["report", NOTPETYA]);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("class=\"chart timeline-chart\""));
    assert_eq!(html.matches("<path class=\"step\"").count(), 4);
    let out = acre(&["report", "cases/solarwinds-sunburst-2020.acre"]);
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("timeline-chart")
    );
}

#[test]
fn diff_of_two_versions_exits_1_when_the_words_change() {
    let out = acre(&["diff", NOTPETYA_JULY, NOTPETYA]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("81.4% highly likely -> 95.0% almost certain"),
        "{text}"
    );
    let same = acre(&["diff", NOTPETYA, NOTPETYA]);
    assert_eq!(same.status.code(), Some(0));
    let d = json(&["diff", NOTPETYA_JULY, NOTPETYA, "--format", "json"]);
    let total = d["hypotheses"][0]["log_odds_change"].as_f64().unwrap();
    let sum: f64 = d["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["contribution"][0].as_f64().unwrap())
        .sum();
    assert!((sum - total).abs() < 1e-9);
    let md = acre(&["diff", NOTPETYA_JULY, NOTPETYA, "--format", "md"]);
    assert!(
        String::from_utf8(md.stdout)
            .unwrap()
            .contains("| sandworm | 81.4% highly likely | 95.0% almost certain |")
    );
    assert!(
        text.contains("The yardstick term of sandworm changed: highly likely -> almost certain."),
        "{text}"
    );
}

/// Every changed field is shown with its old and new value (a label too), a judgment's
/// verdict changing is said, and no hypothesis's term changing is said in those words.
#[test]
fn diff_shows_labels_and_verdicts() {
    let dir = scratch("diff-labels");
    let old = std::fs::read_to_string("cases/sony-pictures-2014.acre").unwrap();
    let new = old
        .replace(
            "evidence early_messaging \"The first demands",
            "evidence early_messaging \"Early demands",
        )
        .replace("claims dprk almost certain", "claims dprk likely");
    assert_ne!(old, new);
    let (a, b) = (dir.join("old.acre"), dir.join("new.acre"));
    std::fs::write(&a, &old).unwrap();
    std::fs::write(&b, &new).unwrap();
    let out = acre(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("label: \"The first demands asked Sony for money and did not mention The Interview\" -> \"Early demands asked Sony for money and did not mention The Interview\""),
        "{text}"
    );
    assert!(
        text.contains("claims: dprk almost certain -> dprk likely"),
        "{text}"
    );
    assert!(
        text.contains("The verdict on judgment fbi2014 changed: overclaim -> consistent."),
        "{text}"
    );
    assert!(
        text.contains("No hypothesis's yardstick term changed."),
        "{text}"
    );
    assert!(!text.contains("words of the judgment"), "{text}");
    let d = json(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(d["verdicts"][0]["before"], "overclaim");
    assert_eq!(d["verdicts"][0]["after"], "consistent");
    // a version with errors is named by its file
    let bad = dir.join("bad.acre");
    std::fs::write(&bad, "hypothesis x \"X\" prior oops\n").unwrap();
    let out = acre(&["diff", a.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.contains("has errors"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("bad.acre` has errors"), "{line}");
    assert!(!line.contains("old.acre"), "{line}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_reads_a_version_from_git() {
    let dir = scratch("diff-git");
    let git = |args: &[&str]| crate::support::cli::git(&dir, args);
    git(&["init", "-q"]);
    let case = dir.join("case.acre");
    std::fs::copy(NOTPETYA_JULY, &case).unwrap();
    git(&["add", "case.acre"]);
    git(&["commit", "-q", "-m", "July 2017"]);
    std::fs::copy(NOTPETYA, &case).unwrap();
    let spec = format!("{}@HEAD", case.display());
    let out = acre(&["diff", &spec, &case.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = acre(&["diff", &format!("{}@nosuchrev", case.display()), NOTPETYA]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("git could not show"));

    // a revision is never an option of git's (`--output=` wrote a file), and a spec without
    // a file is a usage error, not an empty success
    let pwned = dir.join("pwned");
    for spec in [
        format!("{}@--output={}", case.display(), pwned.display()),
        "..@HEAD".to_string(),
        "/@HEAD".to_string(),
    ] {
        let out = acre(&["diff", &spec, &case.display().to_string()]);
        assert_eq!(out.status.code(), Some(2), "{spec}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty(), "{spec}");
    }
    assert!(!pwned.exists());
    // `@` inside the revision: the file's name ends at `.acre`
    let out = acre(&[
        "diff",
        &format!("{}@HEAD@{{0}}", case.display()),
        &case.display().to_string(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // the old version's includes come from the same revision, not the working tree
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    let shared = dir.join("shared/s.acre");
    std::fs::write(&shared, "source s \"S\" reliability A\n").unwrap();
    let with = dir.join("with.acre");
    std::fs::write(
        &with,
        "case \"w\" { question \"Who?\" }\ninclude \"shared/s.acre\"\n\
         hypothesis a \"A\" prior 50%\nhypothesis b \"B\" prior rest catch-all\n\
         evidence e { from s credibility 1\n given a: almost certain\n otherwise: unlikely }\n",
    )
    .unwrap();
    git(&["add", "with.acre", "shared/s.acre"]);
    git(&["commit", "-q", "-m", "shared source graded A"]);
    std::fs::write(&shared, "source s \"S\" reliability E\n").unwrap();
    let out = acre(&[
        "diff",
        &format!("{}@HEAD", with.display()),
        &with.display().to_string(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("No change in meaning"), "{text}");
    assert!(text.contains("changed source s"), "{text}");
}

#[test]
fn an_item_reported_after_the_assessment_is_a_warning() {
    let out = acre(&[
        "check",
        "tests/fixtures/warnings/reported-after-assessed.acre",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("acre::reported-after-assessed"));
}

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The PHIA yardstick's `i`-th term (seven of them).
fn term(i: usize) -> String {
    acre::lexicon::builtin_yardstick("phia").unwrap().terms[i]
        .name
        .clone()
}

#[derive(Clone)]
struct Item {
    source: usize,
    credibility: u64,
    given: Vec<(usize, usize)>,
    otherwise: usize,
}

#[derive(Clone)]
struct Spec {
    priors: Vec<u64>,
    sources: Vec<char>,
    items: Vec<Item>,
}

impl Spec {
    fn random(r: &mut Lcg) -> Spec {
        let k = 2 + r.next(3) as usize;
        let priors = (0..k - 1).map(|_| 5 + r.next(20)).collect();
        let sources = (0..1 + r.next(3))
            .map(|_| ['A', 'B', 'C', 'D'][r.next(4) as usize])
            .collect::<Vec<_>>();
        let items = (0..1 + r.next(5))
            .map(|_| Item::random(r, k, sources.len()))
            .collect();
        Spec {
            priors,
            sources,
            items,
        }
    }

    fn text(&self) -> String {
        let mut s = String::from("case \"generated\" { question \"q\" }\n");
        for (h, p) in self.priors.iter().enumerate() {
            s.push_str(&format!("hypothesis h{h} \"H\" prior {p}%\n"));
        }
        s.push_str("hypothesis rest_h \"Rest\" prior rest catch-all\n");
        for (i, r) in self.sources.iter().enumerate() {
            s.push_str(&format!("source s{i} \"S\" reliability {r}\n"));
        }
        for (i, e) in self.items.iter().enumerate() {
            s.push_str(&format!(
                "evidence e{i} {{\n  from s{} credibility {}\n",
                e.source, e.credibility
            ));
            for (h, t) in &e.given {
                s.push_str(&format!("  given h{h}: {}\n", term(*t)));
            }
            s.push_str(&format!("  otherwise: {}\n}}\n", term(e.otherwise)));
        }
        s
    }

    /// Some random edits: terms, grades, priors, items and sources added or removed.
    fn mutate(&self, r: &mut Lcg) -> Spec {
        let mut m = self.clone();
        let k = m.priors.len() + 1;
        for _ in 0..1 + r.next(4) {
            match r.next(6) {
                0 if !m.items.is_empty() => {
                    let i = r.next(m.items.len() as u64) as usize;
                    m.items[i].otherwise = r.next(7) as usize;
                }
                1 if !m.items.is_empty() => {
                    let i = r.next(m.items.len() as u64) as usize;
                    m.items[i].credibility = 1 + r.next(6);
                }
                2 if m.items.len() > 1 => {
                    let i = r.next(m.items.len() as u64) as usize;
                    m.items.remove(i);
                }
                3 => {
                    let i = r.next(m.priors.len() as u64) as usize;
                    m.priors[i] = 5 + r.next(20);
                }
                4 => {
                    m.sources.push('B');
                    let mut e = Item::random(r, k, m.sources.len());
                    e.source = m.sources.len() - 1;
                    m.items.push(e);
                }
                _ => m.items.push(Item::random(r, k, m.sources.len())),
            }
        }
        m
    }
}

impl Item {
    fn random(r: &mut Lcg, k: usize, sources: usize) -> Item {
        let mut given = Vec::new();
        for h in 0..k - 1 {
            if r.next(2) == 0 {
                given.push((h, r.next(7) as usize));
            }
        }
        Item {
            source: r.next(sources as u64) as usize,
            credibility: 1 + r.next(6),
            given,
            otherwise: r.next(7) as usize,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For every hypothesis, the changes' contributions (applied in the stated order) add
    /// up to the whole change in log-odds, and so do the Shapley values.
    #[test]
    fn contributions_and_shapley_values_add_up(seed in any::<u64>()) {
        let mut r = Lcg(seed);
        let old = Spec::random(&mut r);
        let new = old.mutate(&mut r);
        let d = diff(&old.text(), &new.text()).unwrap();
        for (h, m) in d.hypotheses.iter().enumerate() {
            let Some(total) = m.log_odds_change else { continue };
            let parts: Option<f64> = d.groups.iter().map(|g| g.contribution[h]).sum();
            if let Some(sum) = parts {
                prop_assert!((sum - total).abs() < 1e-9, "{} vs {}", sum, total);
            }
            if let Some(phi) = d
                .groups
                .iter()
                .map(|g| g.shapley.as_ref().and_then(|v| v[h]))
                .sum::<Option<f64>>()
            {
                prop_assert!((phi - total).abs() < 1e-9, "Shapley {} vs {}", phi, total);
            }
        }
        // a written term changed exactly when the diff says so, recomputed from the points
        let y = acre::lexicon::builtin_yardstick("phia").unwrap();
        let written = |p: f64| y.terms[acre::infer::words::written(&y, p)].name.clone();
        for m in &d.hypotheses {
            prop_assert_eq!(&m.written_before, &written(m.before));
            prop_assert_eq!(&m.written_after, &written(m.after));
        }
        let changed = d
            .hypotheses
            .iter()
            .any(|m| written(m.before) != written(m.after));
        prop_assert_eq!(changed, d.term_changed);
    }
}

/// `diff --format md` is a pull-request comment: nothing a case or a file name says becomes
/// markup there (an HTML tag, a mention, a code span left open, a table row).
#[test]
fn diff_markdown_escapes_what_the_cases_say() {
    let dir = scratch("diff-md");
    let old = std::fs::read_to_string(NOTPETYA).unwrap();
    let new = old.replacen(
        "case \"",
        "case \"<script>alert(1)</script> <img src=x onerror=alert(1)> @maintainers | x ",
        1,
    );
    assert_ne!(old, new);
    let (a, b) = (dir.join("old`x.acre"), dir.join("new.acre"));
    std::fs::write(&a, &old).unwrap();
    std::fs::write(&b, &new).unwrap();
    let out = acre(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--format",
        "md",
    ]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("alert(1)"), "{md}");
    // each markup character the case wrote stands escaped, right before its text
    for (mark, text) in [
        ('<', "script"),
        ('<', "img"),
        ('@', "maintainers"),
        ('`', "x.acre"),
        ('|', " x "),
    ] {
        let at = md.find(text).unwrap_or_else(|| panic!("{text} in {md}"));
        assert_eq!(&md[at - 2..at], &format!("\\{mark}"), "{text} in {md}");
    }
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(md.contains("\\@maintainers"), "{md}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Hindsight guards (issue 32): a resolved case with an item reported after `assessed`, an
/// outcome dated before `assessed`, and a date with a one-digit month each get their own
/// error, with a help line that says what to do; an open case's late item stays a warning.
#[test]
fn hindsight_guards_each_get_their_own_error() {
    for (file, code, message, help) in [
        (
            "late-item-in-a-resolved-case",
            "acre::reported-after-assessed",
            "`uk_statement` was reported on 2018-02-15, after the case was assessed (2017-07-15)",
            "remove the item, or write a later case",
        ),
        (
            "outcome-before-assessed",
            "acre::outcome-before-assessed",
            "the outcome is dated 2018-02-15, before the case was assessed (2018-03-01)",
            "set `assessed` to when the judgment was made",
        ),
        (
            "date-with-one-digit-month",
            "acre::invalid-date",
            "`2017-6-30` is not a date: months and days have two digits",
            "write `2017-06-30`",
        ),
    ] {
        let dir = if file == "outcome-before-assessed" {
            "invalid"
        } else {
            "hindsight"
        };
        let path = format!("tests/fixtures/{dir}/{file}.acre");
        let out = acre(&["check", &path, "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let diags = v["files"][0]["diagnostics"]
            .as_array()
            .or_else(|| v["diagnostics"].as_array())
            .unwrap_or_else(|| panic!("{v}"));
        let errors: Vec<&Value> = diags.iter().filter(|d| d["severity"] == "error").collect();
        assert_eq!(errors.len(), 1, "{file}: {diags:?}");
        assert_eq!(errors[0]["code"], code, "{file}");
        assert_eq!(errors[0]["message"], message, "{file}");
        assert!(
            errors[0]["help"].as_str().unwrap().contains(help),
            "{file}: {}",
            errors[0]["help"]
        );
    }
    // in an open case the late item is a warning
    let out = acre(&[
        "check",
        "tests/fixtures/warnings/reported-after-assessed.acre",
    ]);
    assert_eq!(out.status.code(), Some(0));
}
