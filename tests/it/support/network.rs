//! Shared by the pgmpy cross-check and the engine benchmark: turns an `attrib-bn/1`
//! network (tests/fixtures/pgmpy/README.md) into an acre case file.

use serde_json::Value;

/// Turns an `attrib-bn/1` network into a case file.
#[allow(
    clippy::needless_range_loop,
    reason = "h indexes the CPT formula as written in the format's README"
)]
pub fn network_to_case(net: &Value) -> String {
    let mut out = String::from("case \"pgmpy network\" { question \"which H?\" }\n");
    let hyps = net["hypotheses"].as_array().unwrap();
    let k = hyps.len();
    for h in hyps {
        out.push_str(&format!(
            "hypothesis {} prior {}\n",
            h["id"].as_str().unwrap(),
            h["prior"].as_f64().unwrap()
        ));
    }
    let latents: Vec<String> = net["latents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    for l in net["latents"].as_array().unwrap() {
        out.push_str(&format!(
            "assumption {} prior {}\n",
            l["id"].as_str().unwrap(),
            l["prior"].as_f64().unwrap()
        ));
    }
    for e in net["evidence"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let parents: Vec<&str> = e["parents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        let cpt: Vec<f64> = e["cpt"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(parents[0], "H");
        let evidence_parent = parents[1..]
            .iter()
            .find(|p| !latents.iter().any(|l| l == *p));
        let latent_parent = parents[1..]
            .iter()
            .find(|p| latents.iter().any(|l| l == *p));
        out.push_str(&format!("evidence {id} {{\n"));
        if let Some(p) = evidence_parent {
            out.push_str(&format!("  depends on {p}\n"));
        }
        // cpt[(h * 2 + x) * 2 + y], last parent fastest; only parent-true entries of an evidence parent matter
        let n_rest = parents.len() - 1;
        for h in 0..k {
            let hid = hyps[h]["id"].as_str().unwrap();
            let index = |x_true: bool, y: usize| -> usize {
                match (evidence_parent.is_some(), latent_parent.is_some()) {
                    (false, false) => h,
                    (true, false) => h * 2 + usize::from(x_true),
                    (false, true) => h * 2 + y,
                    (true, true) => (h * 2 + usize::from(x_true)) * 2 + y,
                }
            };
            assert_eq!(cpt.len(), k << n_rest);
            match latent_parent {
                None => out.push_str(&format!("  given {hid}: {}\n", cpt[index(true, 0)])),
                Some(l) => {
                    out.push_str(&format!("  given {hid} if {l}: {}\n", cpt[index(true, 1)]));
                    out.push_str(&format!(
                        "  given {hid} unless {l}: {}\n",
                        cpt[index(true, 0)]
                    ));
                }
            }
        }
        out.push_str("}\n");
    }
    out
}
