//! The built-in tables. Figures and their sources are those of
//! `docs: yardsticks` in the README (copied from the project's domain reference).

use super::scale::{Grading, RatioScale, RatioStep, Term, Yardstick};

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

fn fitted(name: &str, p10: f64, p90: f64, median: f64, alpha: f64, beta: f64) -> Term {
    let mut t = Term::new(name, &[], p10, p90);
    t.point = median;
    t.beta = Some((alpha, beta));
    t
}

/// Readers' lexicon fitted to CAPphrase (`acre lexicon fit`, method of moments): each
/// phrase's band is readers' 10-90% range, its point their median, and its Beta the fit.
fn capphrase() -> Yardstick {
    Yardstick {
        name: "capphrase".into(),
        title: "Readers' lexicon fitted to CAPphrase (5,174 readers)".into(),
        source:
            "Kucharski, A., CAPphrase: Comparative and Absolute Probability phrase dataset (2026), \
                 doi:10.5281/zenodo.18750055, CC-BY 4.0; Beta fits by acre lexicon fit"
                .into(),
        note: "A lexicon of what readers understand, not an official yardstick: bands are 10-90% \
               ranges and overlap; Monte Carlo draws each term from its Beta."
            .into(),
        terms: vec![
            fitted(
                "almost no chance",
                0.0001612729408707376,
                0.11409162894944902,
                0.013784521836394328,
                0.3683405632656528,
                9.01818921897125,
            ),
            fitted(
                "highly unlikely",
                0.0007207099827581714,
                0.26426164276227404,
                0.03989864336056079,
                0.40951290408596575,
                4.032038240440705,
            ),
            fitted(
                "remote chance",
                0.003232124298827078,
                0.22440129514444218,
                0.051436836909303896,
                0.6172153222485222,
                6.460044783049864,
            ),
            fitted(
                "little chance",
                0.029188980689206195,
                0.22838502361608315,
                0.0997142101421629,
                1.7326911732097348,
                13.096060293029685,
            ),
            fitted(
                "improbable",
                0.017252356730074372,
                0.2982251892134896,
                0.10324741051552871,
                1.0352568388038497,
                6.657155302037152,
            ),
            fitted(
                "chances are slight",
                0.022931572981466884,
                0.27294017416441696,
                0.10511737707868696,
                1.2803404859978822,
                8.568212852072493,
            ),
            fitted(
                "unlikely",
                0.059903395802742836,
                0.34720138925673927,
                0.17117366634454736,
                2.105289383198292,
                8.967803198156949,
            ),
            fitted(
                "could happen",
                0.16237342875441255,
                0.6484246947160959,
                0.3848184232597452,
                2.459613310826949,
                3.742462458079298,
            ),
            fitted(
                "might happen",
                0.17243831066603418,
                0.6423443082397392,
                0.3890219520722204,
                2.6749935129938986,
                4.019768591260568,
            ),
            fitted(
                "may happen",
                0.19836275977254783,
                0.6504475651242373,
                0.4111044472264737,
                3.1020842815738834,
                4.305339705680559,
            ),
            fitted(
                "about even",
                0.4527607597393475,
                0.5463965817975898,
                0.4995761874032829,
                93.42010334304555,
                93.5780434090112,
            ),
            fitted(
                "realistic possibility",
                0.2846172949395102,
                0.8385206760081811,
                0.5800422782972775,
                2.7380447115382616,
                2.068435340405393,
            ),
            fitted(
                "better than even",
                0.49227225828125726,
                0.6687765855744198,
                0.5822969860938109,
                29.622088981067982,
                21.342720700834363,
            ),
            fitted(
                "probable",
                0.5505037238192686,
                0.862773564562434,
                0.7255806990346699,
                9.362390875840864,
                3.742719819075507,
            ),
            fitted(
                "likely",
                0.586218093965621,
                0.8536755327347569,
                0.7345925052535758,
                12.78043225089337,
                4.826253124818567,
            ),
            fitted(
                "very good chance",
                0.6564121165358978,
                0.911011370605048,
                0.8050461442012349,
                12.408281013612735,
                3.250593497826712,
            ),
            fitted(
                "highly likely",
                0.700526764539175,
                0.970458905445151,
                0.8780141830835014,
                8.152227499502295,
                1.4013949099037826,
            ),
            fitted(
                "almost certain",
                0.861152790435995,
                0.9937176889038015,
                0.95706291620819,
                14.982016245197626,
                0.9622818402919626,
            ),
            fitted(
                "will happen",
                0.9139371941138998,
                0.9999999968879902,
                0.999273359056568,
                4.605840493724711,
                0.1302281575212098,
            ),
        ],
        rows: Vec::new(),
    }
}

/// Lexicons fitted to data that ship with acre (usable as yardsticks by name).
pub fn builtin_lexicons() -> Vec<Yardstick> {
    vec![capphrase()]
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
