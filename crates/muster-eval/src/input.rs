//! Reading the truth and scan files.

use std::collections::HashMap;
use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::EvalError;

/// One row of `TRUTH/people.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TruthPerson {
    pub person_id: String,
    pub fraud: bool,
    /// Lowercased, trimmed, deduplicated, in file order.
    pub schemes: Vec<String>,
    pub ring_id: Option<String>,
    pub hard_negative_group: Option<String>,
}

/// One row of `OUT/scores.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScoreRow {
    pub person_id: String,
    pub probability: f64,
    pub flagged: bool,
    pub ring_id: Option<String>,
}

/// A person member of a predicted ring (`OUT/rings.csv`, `member_kind = person`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RingMember {
    pub ring_id: String,
    pub person_id: String,
}

/// A CSV file with a case-insensitive header index.
struct CsvFile {
    path: PathBuf,
    reader: csv::Reader<File>,
    columns: HashMap<String, usize>,
}

impl CsvFile {
    fn open(path: &Path) -> Result<Self, EvalError> {
        let file = File::open(path).map_err(|source| match source.kind() {
            ErrorKind::NotFound => EvalError::MissingFile {
                path: path.to_path_buf(),
            },
            _ => EvalError::Io {
                path: path.to_path_buf(),
                source,
            },
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(file);
        let headers = reader.headers().map_err(|source| csv_error(path, source))?;
        let mut columns = HashMap::new();
        for (i, name) in headers.iter().enumerate() {
            columns.entry(name.trim().to_ascii_lowercase()).or_insert(i);
        }
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            columns,
        })
    }

    fn required(&self, column: &'static str) -> Result<usize, EvalError> {
        self.columns
            .get(column)
            .copied()
            .ok_or_else(|| EvalError::MissingColumn {
                path: self.path.clone(),
                column,
            })
    }

    fn optional(&self, column: &str) -> Option<usize> {
        self.columns.get(column).copied()
    }

    /// Calls `f(line, record)` for every data row.
    fn for_each_row(
        mut self,
        mut f: impl FnMut(&Path, u64, &csv::StringRecord) -> Result<(), EvalError>,
    ) -> Result<(), EvalError> {
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(true) => {
                    let line = record.position().map_or(0, csv::Position::line);
                    f(&self.path, line, &record)?;
                }
                Ok(false) => return Ok(()),
                Err(source) => return Err(csv_error(&self.path, source)),
            }
        }
    }
}

fn csv_error(path: &Path, source: csv::Error) -> EvalError {
    let line = source.position().map(csv::Position::line);
    EvalError::Csv {
        path: path.to_path_buf(),
        line,
        source,
    }
}

fn cell(record: &csv::StringRecord, index: Option<usize>) -> &str {
    index.and_then(|i| record.get(i)).unwrap_or("")
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

fn bad(
    path: &Path,
    line: u64,
    column: &'static str,
    value: &str,
    problem: &'static str,
) -> EvalError {
    EvalError::BadValue {
        path: path.to_path_buf(),
        line,
        column,
        value: value.to_owned(),
        problem,
    }
}

fn required_id(
    path: &Path,
    line: u64,
    column: &'static str,
    value: &str,
) -> Result<String, EvalError> {
    non_empty(value).ok_or_else(|| bad(path, line, column, value, "must not be empty"))
}

/// Rejects a second row for a person already seen in the same file.
fn check_unique(
    seen: &mut HashMap<String, u64>,
    path: &Path,
    line: u64,
    person_id: &str,
) -> Result<(), EvalError> {
    if let Some(&first_line) = seen.get(person_id) {
        return Err(EvalError::DuplicatePerson {
            path: path.to_path_buf(),
            line,
            first_line,
            person_id: person_id.to_owned(),
        });
    }
    seen.insert(person_id.to_owned(), line);
    Ok(())
}

/// Parses the contract's `bool`: true/false/1/0/yes/no, case-insensitive.
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

fn parse_number(value: &str, min: f64, max: f64) -> Result<f64, &'static str> {
    let number: f64 = value.parse().map_err(|_| "not a number")?;
    if !number.is_finite() {
        return Err("not a finite number");
    }
    if number < min || number > max {
        return Err("out of range");
    }
    Ok(number)
}

/// Reads `TRUTH/people.csv`.
pub(crate) fn read_truth(path: &Path) -> Result<Vec<TruthPerson>, EvalError> {
    let file = CsvFile::open(path)?;
    let id_col = file.required("person_id")?;
    let label_col = file.required("label")?;
    let schemes_col = file.required("schemes")?;
    let ring_col = file.required("ring_id")?;
    let group_col = file.required("hard_negative_group")?;
    let mut people = Vec::new();
    let mut seen = HashMap::new();
    file.for_each_row(|path, line, record| {
        let person_id = required_id(path, line, "person_id", cell(record, Some(id_col)))?;
        check_unique(&mut seen, path, line, &person_id)?;
        let label = cell(record, Some(label_col));
        let fraud = match label.to_ascii_lowercase().as_str() {
            "fraud" => true,
            "legit" => false,
            _ => {
                return Err(bad(
                    path,
                    line,
                    "label",
                    label,
                    "expected `fraud` or `legit`",
                ));
            }
        };
        let mut schemes: Vec<String> = Vec::new();
        for scheme in cell(record, Some(schemes_col)).split(';') {
            let scheme = scheme.trim().to_ascii_lowercase();
            if !scheme.is_empty() && !schemes.contains(&scheme) {
                schemes.push(scheme);
            }
        }
        people.push(TruthPerson {
            person_id,
            fraud,
            schemes,
            ring_id: non_empty(cell(record, Some(ring_col))),
            hard_negative_group: non_empty(cell(record, Some(group_col))),
        });
        Ok(())
    })?;
    Ok(people)
}

/// Reads `OUT/scores.csv`. `score`, when the column is present and the cell non-empty, is
/// checked to be a number from 0 to 100 even though no metric uses it.
pub(crate) fn read_scores(path: &Path) -> Result<Vec<ScoreRow>, EvalError> {
    let file = CsvFile::open(path)?;
    let id_col = file.required("person_id")?;
    let prob_col = file.required("probability")?;
    let flagged_col = file.required("flagged")?;
    let score_col = file.optional("score");
    let ring_col = file.optional("ring_id");
    let mut rows = Vec::new();
    let mut seen = HashMap::new();
    file.for_each_row(|path, line, record| {
        let person_id = required_id(path, line, "person_id", cell(record, Some(id_col)))?;
        check_unique(&mut seen, path, line, &person_id)?;
        let prob_text = cell(record, Some(prob_col));
        let probability = parse_number(prob_text, 0.0, 1.0)
            .map_err(|problem| bad(path, line, "probability", prob_text, problem))?;
        let flagged_text = cell(record, Some(flagged_col));
        let flagged = parse_bool(flagged_text).ok_or_else(|| {
            bad(
                path,
                line,
                "flagged",
                flagged_text,
                "expected true or false",
            )
        })?;
        let score_text = cell(record, score_col);
        if !score_text.is_empty() {
            parse_number(score_text, 0.0, 100.0)
                .map_err(|problem| bad(path, line, "score", score_text, problem))?;
        }
        rows.push(ScoreRow {
            person_id,
            probability,
            flagged,
            ring_id: non_empty(cell(record, ring_col)),
        });
        Ok(())
    })?;
    Ok(rows)
}

/// Reads the person members of `OUT/rings.csv`; other member kinds are skipped.
pub(crate) fn read_rings(path: &Path) -> Result<Vec<RingMember>, EvalError> {
    let file = CsvFile::open(path)?;
    let ring_col = file.required("ring_id")?;
    let kind_col = file.required("member_kind")?;
    let member_col = file.required("member_id")?;
    let mut members = Vec::new();
    file.for_each_row(|path, line, record| {
        if !cell(record, Some(kind_col)).eq_ignore_ascii_case("person") {
            return Ok(());
        }
        members.push(RingMember {
            ring_id: required_id(path, line, "ring_id", cell(record, Some(ring_col)))?,
            person_id: required_id(path, line, "member_id", cell(record, Some(member_col)))?,
        });
        Ok(())
    })?;
    Ok(members)
}

/// Reads `detections_run` from `OUT/run.json`: `Ok(None)` when the file or the key is absent.
/// Elements may be strings or objects with a string `id`.
pub(crate) fn read_detections_run(path: &Path) -> Result<Option<Vec<String>>, EvalError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(EvalError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| EvalError::Json {
            path: path.to_path_buf(),
            source,
        })?;
    let Some(value) = json.get("detections_run") else {
        return Ok(None);
    };
    let bad_shape = |problem| EvalError::BadRunJson {
        path: path.to_path_buf(),
        problem,
    };
    let items = value
        .as_array()
        .ok_or_else(|| bad_shape("must be an array"))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .or_else(|| item.get("id").and_then(serde_json::Value::as_str))
                .map(|id| id.trim().to_owned())
                .ok_or_else(|| {
                    bad_shape("must contain detection ids (strings or objects with an `id`)")
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools() {
        for t in ["true", "TRUE", "1", "yes", "Yes"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["false", "False", "0", "no", "NO"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for x in ["", "y", "2", "truee"] {
            assert_eq!(parse_bool(x), None, "{x}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("0.25", 0.0, 1.0), Ok(0.25));
        assert_eq!(parse_number("1", 0.0, 1.0), Ok(1.0));
        assert_eq!(parse_number("1.01", 0.0, 1.0), Err("out of range"));
        assert_eq!(parse_number("-0.1", 0.0, 1.0), Err("out of range"));
        assert_eq!(parse_number("NaN", 0.0, 1.0), Err("not a finite number"));
        assert_eq!(parse_number("inf", 0.0, 1.0), Err("not a finite number"));
        assert_eq!(parse_number("", 0.0, 1.0), Err("not a number"));
        assert_eq!(parse_number("0,5", 0.0, 1.0), Err("not a number"));
    }
}
