//! Small text helpers with Swedish in mind: heading slugs, sort keys, Roman numerals.

/// A URL fragment for a heading: lower case ASCII letters, digits and hyphens;
/// å, ä → a and ö → o, as Swedish sites conventionally write them.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => Some('a'),
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => Some('o'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'ü' | 'ú' => Some('u'),
            'í' | 'ï' => Some('i'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        };
        match mapped {
            Some(m) => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push(m);
            }
            None => pending_dash = true,
        }
    }
    if out.is_empty() { "avsnitt".to_string() } else { out }
}

/// A key that sorts Swedish words as a Swedish reader expects: å, ä, ö after z.
pub fn sv_sort_key(text: &str) -> Vec<u32> {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            'é' | 'è' => 'e' as u32,
            c => c as u32,
        })
        .collect()
}

/// 1 → "I", 8 → "VIII".
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_headings_slug_readably() {
        assert_eq!(slugify("Övergripande lösningsförslag"), "overgripande-losningsforslag");
        assert_eq!(
            slugify("1.1 Att genomföra utvecklingsinsatser i samverkan"),
            "1-1-att-genomfora-utvecklingsinsatser-i-samverkan"
        );
        assert_eq!(slugify("  -- "), "avsnitt");
    }

    #[test]
    fn swedish_letters_sort_after_z() {
        let mut words = vec!["Återanvändning", "Arkitektur", "Rättsliga", "Övrigt", "Ändring"];
        words.sort_by_key(|w| sv_sort_key(w));
        assert_eq!(words, ["Arkitektur", "Rättsliga", "Återanvändning", "Ändring", "Övrigt"]);
    }

    #[test]
    fn roman_numerals_of_the_milestones() {
        let all: Vec<String> = (1..=8).map(roman).collect();
        assert_eq!(all, ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]);
    }
}
