//! What every HTML page acre writes shares: escaping, the colours of the yardstick's
//! bands and the stylesheet. The pages themselves (`html`, `history`, `pool`,
//! `calibrate`) build on this and not on each other's pieces.

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    crate::escape::html(s)
}

const BAND_COLOURS: [&str; 7] = [
    "#f3d6d6", "#f6e3cf", "#f7efcf", "#eef3d2", "#dcefd9", "#cfe8e4", "#cfdff2",
];

/// The background colour of the yardstick's `i`-th band.
pub fn band_colour(i: usize) -> &'static str {
    BAND_COLOURS[i % BAND_COLOURS.len()]
}

/// The stylesheet every page carries inline.
pub(crate) const CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:2rem}\
.bottom-line{font-size:1.15rem;background:#f3f6fb;border-left:4px solid #1f5fa8;padding:.8rem 1rem}\
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
th{background:#f2f2f2}.CC{background:#8fd19e}.C{background:#cdeccd}.N{background:#f2f2f2}.I{background:#f6c7a1}.II{background:#ec8f8f}\
.muted{color:#666;font-size:.85rem}.flag{color:#b00020;font-weight:bold}svg{font-family:sans-serif;margin:.4rem 0}\
@media print{body{max-width:none;margin:0}h2{break-after:avoid}svg,table{break-inside:avoid}}";
