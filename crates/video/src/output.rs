//! Writing motion energy: the MEA text format (one row per frame pair,
//! tab-separated, one column per region, no time column: what rMEA's
//! `readMEA` and `attune synchrony` read) or CSV with a header and time.

use std::io::Write;

use crate::roi::Roi;

fn value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.4}")
    }
}

/// One MEA row.
pub fn mea_row<W: Write>(out: &mut W, values: &[f64]) -> std::io::Result<()> {
    let cells: Vec<String> = values.iter().map(|v| value(*v)).collect();
    writeln!(out, "{}", cells.join("\t"))
}

pub fn csv_header<W: Write>(out: &mut W, rois: &[Roi]) -> std::io::Result<()> {
    let names: Vec<&str> = rois.iter().map(|r| r.name.as_str()).collect();
    writeln!(out, "time_s,{}", names.join(","))
}

/// One CSV row: row `n` (0-based) is the change into sample `n + 1`.
pub fn csv_row<W: Write>(out: &mut W, n: u64, rate: f64, values: &[f64]) -> std::io::Result<()> {
    let cells: Vec<String> = values.iter().map(|v| value(*v)).collect();
    writeln!(out, "{:.4},{}", (n + 1) as f64 / rate, cells.join(","))
}

/// Which MEA columns (1-based) belong to each person, in order of first
/// appearance: what `attune synchrony --s1 ... --s2 ...` takes.
pub fn person_columns(rois: &[Roi]) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in rois.iter().enumerate() {
        match out.iter_mut().find(|(p, _)| *p == r.person) {
            Some((_, cols)) => cols.push(i + 1),
            None => out.push((r.person.clone(), vec![i + 1])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_people() {
        let mut v = Vec::new();
        mea_row(&mut v, &[12.0, 0.0, 3.5]).unwrap();
        assert_eq!(String::from_utf8(v).unwrap(), "12\t0\t3.5000\n");
        let mut c = Vec::new();
        csv_row(&mut c, 0, 25.0, &[1.0]).unwrap();
        assert_eq!(String::from_utf8(c).unwrap(), "0.0400,1\n");
        let rois: Vec<Roi> = [
            "client.head=0,0,1,1",
            "therapist.head=1,0,1,1",
            "client.body=0,1,1,1",
        ]
        .iter()
        .map(|s| Roi::parse(s).unwrap())
        .collect();
        assert_eq!(
            person_columns(&rois),
            vec![
                ("client".to_owned(), vec![1, 3]),
                ("therapist".to_owned(), vec![2])
            ]
        );
    }
}
