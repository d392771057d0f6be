//! Text utilities every stage may use: edit distance and "did you mean" suggestions.

/// Levenshtein distance between two short strings, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b_chars.len()).collect();
    let mut cur = vec![0; b_chars.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b_chars.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b_chars.len()]
}

/// The closest wordings to `phrase` among `candidates`, nearest first, within a
/// distance that makes a suggestion useful.
pub fn suggest<'a>(phrase: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (phrase.chars().count() / 3).max(2);
    candidates
        .map(|c| (edit_distance(phrase, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.len().cmp(&b.1.len()))
                .then(a.1.cmp(b.1))
        })
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_by_hand() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("highly likly", "highly likely"), 1);
    }

    #[test]
    fn suggestions_are_the_nearest_within_a_third() {
        let words = ["likely", "unlikely", "highly likely"];
        assert_eq!(suggest("likly", words.into_iter()), Some("likely"));
        assert_eq!(suggest("unlikly", words.into_iter()), Some("unlikely"));
        assert_eq!(suggest("zzzzzzzzzz", words.into_iter()), None);
    }
}
