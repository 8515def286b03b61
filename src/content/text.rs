/*! What text from outside (a self-check's input, an imported bundle, a reviewer) may hold. Names,
notes and descriptions are shown on screens, in terminals and in PDF reports: a control character
breaks a PDF and lets a file write escape sequences to a terminal, and a bidirectional override
makes a name read differently from what it is. Line breaks are allowed where a text has lines
(descriptions, notes); names are one line. */
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("{0} contains a control character (U+{1:04X}); remove it")]
    Control(String, u32),
    #[error("{0} contains a character that reverses the reading direction (U+{1:04X}); remove it")]
    Bidi(String, u32),
    #[error("{0} holds only invisible characters")]
    Invisible(String),
}

/// One line, or several (descriptions, notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Explicit direction overrides and isolates (the marks LRM/RLM stay allowed).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room on screen: a name made of only these looks empty.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{180E}')
}

/// Checks a text from outside; `field` names it in the message ("the initiative's name").
pub fn check(field: &str, text: &str, lines: Lines) -> Result<(), TextError> {
    for c in text.chars() {
        let line_break = matches!(c, '\n' | '\r' | '\t');
        if c.is_control() && !(lines == Lines::Many && line_break) {
            return Err(TextError::Control(field.to_string(), c as u32));
        }
        if is_bidi_control(c) {
            return Err(TextError::Bidi(field.to_string(), c as u32));
        }
    }
    // Blank text is the caller's to refuse as empty; this is text that only looks blank.
    if !text.trim().is_empty() && text.chars().all(is_invisible) {
        return Err(TextError::Invisible(field.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_name_and_a_note_may_hold() {
        assert_eq!(
            check("name", "Buurttuin De Bron — één tuin", Lines::One),
            Ok(())
        );
        assert_eq!(
            check("name", "شارع \u{200F}الحديقة", Lines::One),
            Ok(()),
            "Arabic with a direction mark"
        );
        assert!(matches!(
            check("name", "bel\u{0007}", Lines::One),
            Err(TextError::Control(_, 7))
        ));
        assert!(matches!(
            check("name", "\u{1b}[31mrood", Lines::One),
            Err(TextError::Control(_, 0x1b))
        ));
        assert!(matches!(
            check("name", "twee\nregels", Lines::One),
            Err(TextError::Control(_, 10))
        ));
        assert_eq!(check("note", "twee\nregels\r\n", Lines::Many), Ok(()));
        assert!(matches!(
            check("note", "\u{0}", Lines::Many),
            Err(TextError::Control(_, 0))
        ));
        assert!(matches!(
            check("name", "abc\u{202E}fdp.exe", Lines::One),
            Err(TextError::Bidi(_, 0x202E))
        ));
        assert!(matches!(
            check("name", "\u{200B}\u{FEFF} \u{2060}", Lines::One),
            Err(TextError::Invisible(_))
        ));
        assert!(
            matches!(
                check("name", "\u{85}", Lines::One),
                Err(TextError::Control(_, 0x85))
            ),
            "C1 controls too"
        );
    }
}
