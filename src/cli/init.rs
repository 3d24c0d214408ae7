//! `rollcoach init`: a config of your own from a few questions (needle, times, products
//! and their days, the check-in), or the built-in routine with `--defaults`. The file
//! it writes is checked as `rollcoach check` checks it before it is written.
//!
//! The answers are lines on stdin: typed at a terminal, or piped in by a script (each
//! answer then shown after its prompt, so the output reads as the exchange). With no
//! terminal and nothing at all on stdin, `init` writes the built-in routine, as it
//! always has for scripts. Input that ends before the last question writes nothing and
//! exits 2.

use std::io::{self, BufRead, IsTerminal as _, Read as _, Write};
use std::path::Path;

use anyhow::{Context as _, Result, anyhow, bail};

use super::BadInput;
use crate::routine::config::{self, BUILT_IN, ConfigError};

mod ask;
mod parse;
mod place;
mod write;

pub use self::ask::{Answerer, Answers, MOST_PRODUCTS, Stopped, Topic, interview};
pub use self::parse::NEEDLES;
pub use self::place::Pick;
pub use self::write::config as render;

/// The longest answer read; the rest of a longer line is dropped.
const MAX_LINE: usize = 4096;

/// Writes the config at `path`: from the answers on stdin, or the built-in routine.
pub fn init(path: &Path, force: bool, defaults: bool, out: &mut impl Write) -> Result<()> {
    if path.exists() && !force {
        bail!(
            "{} already exists; `rollcoach init --force` overwrites it",
            path.display()
        );
    }
    let stdin = io::stdin();
    let terminal = stdin.is_terminal();
    let mut input = stdin.lock();
    // Nothing to answer with (a script, /dev/null): the built-in routine, as before.
    if defaults || (!terminal && input.fill_buf()?.is_empty()) {
        save(path, BUILT_IN)?;
        writeln!(out, "wrote the built-in routine to {}", path.display())?;
        return Ok(());
    }
    let _ = writeln!(
        out,
        "A few questions, then your routine in {}. Enter takes the answer in [brackets]; \
         `rollcoach init --defaults` writes the built-in routine instead.\n",
        path.display()
    );
    let mut lines = Lines {
        input,
        out: &mut *out,
        echo: !terminal,
    };
    let answers = interview(&mut lines).map_err(|e| match e.downcast::<Stopped>() {
        Ok(stopped) => BadInput(stopped.to_string()).into(),
        Err(e) => e,
    })?;
    let text = render(&answers);
    // What `check` would say, before anything is written.
    let config = config::parse(&text).map_err(|problems| {
        let error = ConfigError {
            path: "the routine init made".into(),
            problems,
        };
        anyhow!("{error}\nnothing written: this is a bug in rollcoach init")
    })?;
    save(path, &text)?;
    writeln!(out, "\nwrote your routine to {}", path.display())?;
    if let (days, Some(pick)) = write::rest_days(&answers) {
        writeln!(
            out,
            "the roller rests {days} days between rolls (the needle table gives {}): {:?} \
             pauses longer around a roll than that leaves; or ask your prescriber",
            config::default_rest_days(answers.needle_mm),
            pick.name
        )?;
    }
    let warnings = config.warnings();
    for warning in &warnings {
        writeln!(out, "warning: {warning}")?;
    }
    if warnings.is_empty() {
        writeln!(
            out,
            "`rollcoach check` accepts it; `rollcoach plan` shows the nights ahead, and \
             docs/ROUTINE.md how to change it"
        )?;
    }
    Ok(())
}

fn save(path: &Path, text: &str) -> Result<()> {
    crate::routine::atomic::write(path, text.as_bytes(), true)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Answers read as lines from stdin, the prompts written to `out`. A prompt that cannot
/// be shown (a closed stdout) does not stop the answers.
struct Lines<'a, R, W> {
    input: R,
    out: &'a mut W,
    /// Show each answer after its prompt: the input is not a terminal echoing it.
    echo: bool,
}

impl<R: BufRead, W: Write> Answerer for Lines<'_, R, W> {
    fn say(&mut self, text: &str) -> io::Result<()> {
        let _ = writeln!(self.out, "{text}");
        Ok(())
    }

    fn answer(&mut self, _topic: Topic, prompt: &str) -> io::Result<Option<String>> {
        let _ = write!(self.out, "{prompt}");
        let _ = self.out.flush();
        let line = read_line(&mut self.input)?;
        if self.echo || line.is_none() {
            let _ = writeln!(self.out, "{}", line.as_deref().unwrap_or(""));
        }
        Ok(line)
    }
}

/// One line without its end, at most `MAX_LINE` bytes of it; None at the end of input.
fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    let n = input
        .by_ref()
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut bytes)?;
    if n == 0 {
        return Ok(None);
    }
    if !bytes.ends_with(b"\n") && bytes.len() == MAX_LINE {
        // The rest of a line too long for any answer.
        loop {
            let mut rest = Vec::new();
            let m = input
                .by_ref()
                .take(MAX_LINE as u64)
                .read_until(b'\n', &mut rest)?;
            if m == 0 || rest.ends_with(b"\n") {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    Ok(Some(text.trim_end_matches(['\n', '\r']).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_where_they_end_and_long_ones_are_cut() {
        let long = format!("{}\nnext\n", "x".repeat(3 * MAX_LINE));
        let mut input = io::Cursor::new(format!("a\r\n\n{long}last"));
        let mut read = || read_line(&mut input).unwrap();
        assert_eq!(read().as_deref(), Some("a"));
        assert_eq!(read().as_deref(), Some(""));
        assert_eq!(read().map(|l| l.len()), Some(MAX_LINE));
        assert_eq!(read().as_deref(), Some("next"));
        assert_eq!(read().as_deref(), Some("last"));
        assert_eq!(read(), None);
    }
}
