//! Errors of this crate. Each says what was wrong and where, in one line.

use thiserror::Error;

/// An instrument definition or wording pack that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{origin}: {field}: {reason}")]
pub struct DefinitionError {
    /// Where the text came from (a file name, or `built-in phq9.toml`).
    pub origin: String,
    /// The offending field as a path (`items[3].scale`), or a line and column.
    pub field: String,
    pub reason: String,
}

impl DefinitionError {
    pub(crate) fn new(origin: &str, field: impl Into<String>, reason: impl Into<String>) -> Self {
        DefinitionError {
            origin: origin.to_owned(),
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Turns a TOML syntax or shape error into one line naming its position.
    pub(crate) fn from_toml(origin: &str, text: &str, err: &toml::de::Error) -> Self {
        let field = match err.span() {
            Some(span) => {
                let (line, column) = line_and_column(text, span.start);
                format!("line {line}, column {column}")
            }
            None => "document".to_owned(),
        };
        DefinitionError::new(origin, field, err.message().trim().to_owned())
    }
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A list of responses that does not fit the instrument.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ResponseError {
    #[error(
        "{instrument}: expected {expected} responses (one per item, '-' for a missing one), got {got}"
    )]
    WrongCount {
        instrument: String,
        expected: String,
        got: usize,
    },
    #[error(
        "{instrument} item {item} (response {position}): the answer is empty; write '-' for an unanswered item"
    )]
    Empty {
        instrument: String,
        item: String,
        position: usize,
    },
    #[error("{instrument} item {item} (response {position}): '{token}' is not a number")]
    NotANumber {
        instrument: String,
        item: String,
        position: usize,
        token: String,
    },
    #[error(
        "{instrument} item {item} (response {position}): {value} is off the scale; allowed: {allowed}"
    )]
    OffScale {
        instrument: String,
        item: String,
        position: usize,
        value: String,
        allowed: String,
    },
    #[error(
        "{instrument} item {item} (response {position}): answered, but it is only asked when item {controller} is at least {at_least}; leave it as '-'"
    )]
    NotAsked {
        instrument: String,
        item: String,
        position: usize,
        controller: String,
        at_least: String,
    },
}

/// A request for an instrument the library does not hold.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("unknown instrument '{id}'; known: {known}")]
pub struct UnknownInstrument {
    pub id: String,
    pub known: String,
}

/// Two administrations that cannot be compared.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CompareError {
    #[error("{instrument}: the {which} administration has no total ({reason})")]
    NoTotal {
        instrument: String,
        which: &'static str,
        reason: String,
    },
    #[error("{instrument}: the instrument has no total score, so there is no change to compare")]
    NotScored { instrument: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("ab", 99), (1, 3));
    }
}
