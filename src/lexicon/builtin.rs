//! The built-in tables. Figures and their sources are those of
//! `docs: yardsticks` in the README (copied from the project's domain reference).

use super::{Grading, RatioScale, RatioStep, Term, Yardstick};

fn with_row(mut term: Term, row: u8, synonyms: &[(&str, u8)]) -> Term {
    term.row = Some(row);
    term.synonyms = synonyms.iter().map(|(s, _)| s.to_string()).collect();
    term.synonym_rows = synonyms.iter().map(|(_, r)| Some(*r)).collect();
    term
}

fn with_point(mut term: Term, point: f64) -> Term {
    term.point = point;
    term
}

/// UK PHIA Probability Yardstick, 2018/19 revision.
fn phia() -> Yardstick {
    Yardstick {
        name: "phia".into(),
        title: "UK PHIA Probability Yardstick".into(),
        source: "Professional Head of Intelligence Assessment (PHIA), Probability Yardstick, \
                 2018/19 revision; republished in \"Explaining uncertainty in UK intelligence \
                 assessment\", gov.uk, 2025"
            .into(),
        note: "Bands are secondary-sourced. The gaps are deliberate: \"the scale is not \
               continuous to avoid a false impression of accuracy\" (Defence Intelligence, 2023). \
               No term means 50%."
            .into(),
        terms: vec![
            Term::new("remote chance", &[], 0.0, 0.05),
            Term::new("highly unlikely", &[], 0.10, 0.20),
            Term::new("unlikely", &[], 0.25, 0.35),
            Term::new("realistic possibility", &[], 0.40, 0.50),
            Term::new("likely", &["probable", "probably"], 0.55, 0.75),
            Term::new("highly likely", &[], 0.80, 0.90),
            Term::new("almost certain", &["almost certainly"], 0.95, 1.0),
        ],
        rows: Vec::new(),
    }
}

/// US ICD 203 Analytic Standards, 2015, both rows of words.
fn icd203() -> Yardstick {
    let t = |name: &str, syn: &[(&str, u8)], lo: f64, hi: f64| {
        with_row(Term::new(name, &[], lo, hi), 0, syn)
    };
    Yardstick {
        name: "icd203".into(),
        title: "US ICD 203 expressions of likelihood".into(),
        source: "Office of the Director of National Intelligence, Intelligence Community \
                 Directive 203, Analytic Standards, 2 January 2015"
            .into(),
        note: "Bands share endpoints; no term means 0% or 100%. Do not mix the likelihood row \
               and the probability row unless the product says they mean the same."
            .into(),
        terms: vec![
            t("almost no chance", &[("remote", 1)], 0.01, 0.05),
            t("very unlikely", &[("highly improbable", 1)], 0.05, 0.20),
            t(
                "unlikely",
                &[("improbable", 1), ("improbably", 1)],
                0.20,
                0.45,
            ),
            t(
                "roughly even chance",
                &[("roughly even odds", 1)],
                0.45,
                0.55,
            ),
            t("likely", &[("probable", 1), ("probably", 1)], 0.55, 0.80),
            t("very likely", &[("highly probable", 1)], 0.80, 0.95),
            t(
                "almost certain",
                &[
                    ("almost certainly", 0),
                    ("nearly certain", 1),
                    ("nearly certainly", 1),
                ],
                0.95,
                0.99,
            ),
        ],
        rows: vec!["likelihood".into(), "probability".into()],
    }
}

/// Sherman Kent, "Words of Estimative Probability", 1964.
fn kent() -> Yardstick {
    let t = |name: &str, syn: &[&str], point: f64, spread: f64| {
        with_point(
            Term::new(
                name,
                syn,
                (point - spread).max(0.0),
                (point + spread).min(1.0),
            ),
            point,
        )
    };
    Yardstick {
        name: "kent".into(),
        title: "Sherman Kent's words of estimative probability".into(),
        source: "Sherman Kent, \"Words of Estimative Probability\", Studies in Intelligence, 1964"
            .into(),
        note: "Kent gives a point and a spread; the band is point ± spread.".into(),
        terms: vec![
            t("impossible", &[], 0.0, 0.0),
            t("almost certainly not", &[], 0.07, 0.05),
            t("probably not", &["unlikely"], 0.30, 0.10),
            t("chances about even", &[], 0.50, 0.10),
            t(
                "probable",
                &["likely", "probably", "we believe"],
                0.75,
                0.12,
            ),
            t("almost certain", &["almost certainly"], 0.93, 0.06),
            t("certain", &[], 1.0, 0.0),
        ],
        rows: Vec::new(),
    }
}

/// IPCC AR4 likelihood scale.
fn ipcc() -> Yardstick {
    Yardstick {
        name: "ipcc".into(),
        title: "IPCC AR4 likelihood scale".into(),
        source: "IPCC Fourth Assessment Report (AR4), Guidance Notes for Lead Authors on \
                 Addressing Uncertainties, 2005"
            .into(),
        note: "Often cited as the model for separating likelihood from confidence.".into(),
        terms: vec![
            Term::new("exceptionally unlikely", &[], 0.0, 0.01),
            Term::new("very unlikely", &[], 0.01, 0.10),
            Term::new("unlikely", &[], 0.10, 0.33),
            Term::new("about as likely as not", &[], 0.33, 0.66),
            Term::new("likely", &[], 0.66, 0.90),
            Term::new("very likely", &[], 0.90, 0.99),
            Term::new("virtually certain", &[], 0.99, 1.0),
        ],
        rows: Vec::new(),
    }
}

/// Every built-in probability yardstick, the default (PHIA) first.
pub fn builtin_yardsticks() -> Vec<Yardstick> {
    vec![phia(), icd203(), kent(), ipcc()]
}

/// The ENFSI verbal scale for likelihood ratios.
pub fn enfsi() -> RatioScale {
    let s = |name: &str, syn: &[&str], lo: f64, hi: f64| RatioStep {
        name: name.into(),
        synonyms: syn.iter().map(|x| x.to_string()).collect(),
        lo,
        hi,
    };
    RatioScale {
        name: "enfsi".into(),
        title: "ENFSI verbal scale for likelihood ratios".into(),
        source: "ENFSI Guideline for Evaluative Reporting in Forensic Science, 2015 \
                 (secondary-sourced; AFSP 2009 is similar)"
            .into(),
        steps: vec![
            s("weak", &["limited"], 2.0, 10.0),
            s("moderate", &[], 10.0, 100.0),
            s("moderately strong", &[], 100.0, 1_000.0),
            s("strong", &[], 1_000.0, 10_000.0),
            s("very strong", &[], 10_000.0, 1_000_000.0),
            s("extremely strong", &[], 1_000_000.0, 100_000_000.0),
        ],
    }
}

/// Admiralty (STANAG 2511) grading with acre's default numbers.
pub fn admiralty() -> Grading {
    Grading {
        reliability: [0.98, 0.90, 0.75, 0.50, 0.25, 0.50],
        credibility: [0.98, 0.90, 0.75, 0.50, 0.25, 0.50],
    }
}

/// One STIX mapping row: value, to STIX, from STIX.
pub type StixRow = (&'static str, &'static str, &'static str);

/// The STIX 2.1 confidence mappings (spec appendix "Confidence Scales"), as
/// `(scale, [(value, to STIX, from STIX range)])`.
pub fn stix_tables() -> Vec<(&'static str, Vec<StixRow>)> {
    vec![
        (
            "None/Low/Med/High",
            vec![
                ("None", "0", "0"),
                ("Low", "15", "1-29"),
                ("Med", "50", "30-69"),
                ("High", "85", "70-100"),
            ],
        ),
        (
            "Admiralty credibility",
            vec![
                ("1", "90", "80-100"),
                ("2", "70", "60-79"),
                ("3", "50", "40-59"),
                ("4", "30", "20-39"),
                ("5", "10", "0-19"),
                ("6", "(absent)", "(absent)"),
            ],
        ),
        (
            "WEP",
            vec![
                ("impossible", "0", "0"),
                ("highly unlikely", "10", "1-19"),
                ("unlikely", "30", "20-39"),
                ("even chance", "50", "40-59"),
                ("likely", "70", "60-79"),
                ("highly likely", "90", "80-99"),
                ("certain", "100", "100"),
            ],
        ),
        (
            "DNI (ICD 203)",
            vec![
                ("almost no chance", "5", "0-9"),
                ("very unlikely", "15", "10-19"),
                ("unlikely", "30", "20-39"),
                ("roughly even chance", "50", "40-59"),
                ("likely", "70", "60-79"),
                ("very likely", "85", "80-89"),
                ("almost certain", "95", "90-100"),
            ],
        ),
    ]
}
