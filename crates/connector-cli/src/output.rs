//! Where a command's answer goes, and how it looks: plain text with colour on a terminal, or
//! one JSON document with `--json`.
//!
//! Colour is on when the stream is a terminal (or `CLICOLOR_FORCE` is set to anything but
//! `0`) and `NO_COLOR` is unset or empty; it marks `error[...]` red, `warning[...]` yellow and
//! success green.

use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use connector_kit::ConfigWarning;
use serde_json::Value;

use crate::exit::Failure;

/// The streams a command writes to, and how.
pub struct Output<'a> {
    /// Where answers go (and every `--json` document).
    pub out: &'a mut dyn Write,
    /// Where errors, warnings and progress go in text mode.
    pub err: &'a mut dyn Write,
    /// One JSON document on `out` instead of text.
    pub json: bool,
    /// Colour on `out`.
    pub colour_out: bool,
    /// Colour on `err`.
    pub colour_err: bool,
}

impl std::fmt::Debug for Output<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("json", &self.json)
            .field("colour_out", &self.colour_out)
            .field("colour_err", &self.colour_err)
            .finish_non_exhaustive()
    }
}

/// Whether colour is wanted on a stream: a terminal or `CLICOLOR_FORCE`, and `NO_COLOR`
/// unset or empty.
pub fn colour_wanted(is_terminal: bool) -> bool {
    let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
    let refused = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    (is_terminal || forced) && !refused
}

/// Whether stdout and stderr want colour.
pub fn terminal_colours() -> (bool, bool) {
    (
        colour_wanted(std::io::stdout().is_terminal()),
        colour_wanted(std::io::stderr().is_terminal()),
    )
}

const ERROR: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const WARNING: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const SUCCESS: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));

fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// `N thing` or `N things`.
pub fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

impl Output<'_> {
    /// A success line on `out`, its first word in green on a terminal.
    pub fn success(&mut self, head: &str, rest: &str) -> Result<(), Failure> {
        let head = paint(head, SUCCESS, self.colour_out);
        writeln!(self.out, "{head}{rest}").map_err(Failure::io)
    }

    /// A line on `out`.
    pub fn line(&mut self, text: &str) -> Result<(), Failure> {
        writeln!(self.out, "{text}").map_err(Failure::io)
    }

    /// A line for people on `err`, beside an answer on `out` (text mode only).
    pub fn note(&mut self, text: &str) -> Result<(), Failure> {
        if self.json {
            return Ok(());
        }
        writeln!(self.err, "{text}").map_err(Failure::io)
    }

    /// A JSON document on `out`.
    pub fn document(&mut self, value: &Value) -> Result<(), Failure> {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        writeln!(self.out, "{text}").map_err(Failure::io)
    }

    /// Warnings, one per line on `err` (text mode only; `--json` puts them in the document).
    pub fn warnings(&mut self, warnings: &[ConfigWarning]) -> Result<(), Failure> {
        if self.json {
            return Ok(());
        }
        for warning in warnings {
            let head = paint(
                &format!("warning[{}]", warning.kind),
                WARNING,
                self.colour_err,
            );
            writeln!(self.err, "{head}: {warning}").map_err(Failure::io)?;
        }
        Ok(())
    }

    /// A failure: the JSON answer on `out`, or `error[code]: message`, the problems, the
    /// notes and the warnings on `err`.
    pub fn failure(&mut self, failure: &Failure) {
        if self.json {
            let _ = self.document(&failure.to_json());
            return;
        }
        let head = paint(&format!("error[{}]", failure.code), ERROR, self.colour_err);
        let _ = writeln!(self.err, "{head}: {}", failure.message);
        for problem in &failure.problems {
            let _ = writeln!(self.err, "  {problem}");
        }
        for note in &failure.notes {
            let _ = writeln!(self.err, "  {note}");
        }
        let _ = self.warnings(&failure.warnings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_request() {
        assert_eq!(paint("valid", SUCCESS, false), "valid");
        let painted = paint("valid", SUCCESS, true);
        assert!(painted.starts_with("\u{1b}[") && painted.ends_with("\u{1b}[0m"));
        assert_eq!(count(1, "problem"), "1 problem");
        assert_eq!(count(2, "problem"), "2 problems");
    }
}
