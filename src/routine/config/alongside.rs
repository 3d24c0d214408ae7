//! Steps that run alongside the others: `alongside` and `after` checked against their
//! routine. A problem names both steps and, where the text shows the `after`, its line
//! and column.

use std::collections::HashMap;

use super::*;

/// The time of the steps of `steps` that `on` keeps, laid out as a session runs them:
/// one in hand after another (a step with `after` starts no sooner than that one ends),
/// each alongside beside them from its start. The time in hand, and the whole time
/// until the last step ends.
pub fn span(steps: &[Step], on: impl Fn(usize) -> bool) -> (Duration, Duration) {
    let mut ends: HashMap<&str, Duration> = HashMap::new();
    let mut at = Duration::ZERO;
    let mut last = Duration::ZERO;
    for (_, step) in steps.iter().enumerate().filter(|(i, _)| on(*i)) {
        if let Some(end) = step.after.as_deref().and_then(|a| ends.get(a)) {
            at = at.max(*end);
        }
        let end = at.saturating_add(step.length());
        ends.insert(step.name.as_str(), end);
        last = last.max(end);
        if !step.alongside {
            at = end;
        }
    }
    (at, last)
}

/// Every broken rule about `alongside` and `after` in `config`, read from `text`.
pub(super) fn problems(config: &Config, text: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    // How many `after: "X"` of each name were seen, to find the next one in the text.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for routine in &config.routines {
        let index: HashMap<&str, usize> = routine
            .steps
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        for (j, step) in routine.steps.iter().enumerate() {
            let item = format!("routine {:?}, step {} {:?}", routine.name, j + 1, step.name);
            if step.alongside && step.kind == StepKind::Roll {
                problems.push(Problem::Item {
                    item: item.clone(),
                    message: "a Roll step cannot run alongside: the roll is the step in hand"
                        .into(),
                });
            }
            let Some(after) = step.after.as_deref() else {
                continue;
            };
            let nth = seen.entry(after).or_default();
            let at = position(text, after, *nth);
            *nth += 1;
            let Some(message) = wrong_wait(routine, &index, j, after) else {
                continue;
            };
            let message = format!("{item}: {message}");
            problems.push(match at {
                Some((line, col)) => Problem::Syntax { line, col, message },
                None => Problem::Item {
                    item: String::new(),
                    message,
                },
            });
        }
    }
    problems
}

/// What is wrong with step `j` of `routine` waiting for the step named `after`.
fn wrong_wait(
    routine: &Routine,
    index: &HashMap<&str, usize>,
    j: usize,
    after: &str,
) -> Option<String> {
    let step = &routine.steps[j];
    let Some(&k) = index.get(after) else {
        return Some(format!(
            "`after: {after:?}` names no step of routine {:?}",
            routine.name
        ));
    };
    let waited = &routine.steps[k];
    if k == j {
        Some(format!(
            "`after: {after:?}` names step {} {:?} itself: a step waits for one before it that runs alongside",
            j + 1,
            step.name
        ))
    } else if k > j {
        Some(format!(
            "`after: {after:?}` names step {} {:?}, which comes after step {} {:?}: a step waits only for one before it",
            k + 1,
            waited.name,
            j + 1,
            step.name
        ))
    } else if !waited.alongside {
        Some(format!(
            "`after: {after:?}` names step {} {:?}, which does not run alongside: give it `alongside: true`, or take the `after` off step {} {:?}",
            k + 1,
            waited.name,
            j + 1,
            step.name
        ))
    } else {
        None
    }
}

/// The line and column (1-based, in characters) of the `nth` `after: "name"` in the
/// text, if the text shows it so.
fn position(text: &str, name: &str, nth: usize) -> Option<(usize, usize)> {
    let quoted = format!("{name:?}");
    let mut found = 0;
    let mut from = 0;
    while let Some(rel) = text[from..].find("after") {
        let start = from + rel;
        from = start + "after".len();
        let word_start = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        if !word_start || !rest.trim_start().starts_with(&quoted) {
            continue;
        }
        if found == nth {
            let before = &text[..start];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            return Some((line, before[line_start..].chars().count() + 1));
        }
        found += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(steps: &str) -> String {
        let text = format!(
            "(roller: (needle_mm: 0.5), routines: [(name: \"evening\", steps: [\n{steps}\n])])"
        );
        match parse(&text) {
            Ok(_) => String::new(),
            Err(problems) => ConfigError {
                path: "c.ron".into(),
                problems,
            }
            .to_string(),
        }
    }

    const SOAK: &str = r#"(name: "Soak", kind: Sanitize, duration: "5m", alongside: true),"#;

    #[test]
    fn a_step_waits_for_one_before_it_that_runs_alongside() {
        let roll = r#"(name: "Roll", kind: Roll, duration: "2m", after: "Soak"),"#;
        assert_eq!(errors(&format!("{SOAK}\n{roll}")), "");
        // Old configs, without either field, load as they did.
        assert_eq!(
            errors(r#"(name: "Cleanse", kind: Cleanse, duration: "1m"),"#),
            ""
        );
    }

    #[test]
    fn a_wait_for_itself_a_later_step_or_one_in_hand_names_both() {
        let roll = r#"(name: "Roll", kind: Roll, duration: "2m", after: "Soak"),"#;
        let err = errors(&format!("{roll}\n{SOAK}"));
        assert_eq!(
            err,
            "c.ron:2:44: routine \"evening\", step 1 \"Roll\": `after: \"Soak\"` names step 2 \
             \"Soak\", which comes after step 1 \"Roll\": a step waits only for one before it"
        );
        let own =
            r#"(name: "Soak", kind: Sanitize, duration: "5m", alongside: true, after: "Soak"),"#;
        let err = errors(own);
        assert!(err.starts_with("c.ron:2:"), "{err}");
        assert!(err.contains("names step 1 \"Soak\" itself"), "{err}");
        let cleanse = r#"(name: "Cleanse", kind: Cleanse, duration: "1m"),"#;
        let roll = r#"(name: "Roll", kind: Roll, duration: "2m", after: "Cleanse"),"#;
        let err = errors(&format!("{cleanse}\n{roll}"));
        assert!(
            err.contains("step 1 \"Cleanse\", which does not run alongside"),
            "{err}"
        );
        assert!(err.contains("step 2 \"Roll\""), "{err}");
        let err = errors(r#"(name: "Roll", kind: Roll, duration: "2m", after: "Nothing"),"#);
        assert!(
            err.contains("names no step of routine \"evening\""),
            "{err}"
        );
    }

    #[test]
    fn the_roll_is_never_alongside() {
        let err = errors(r#"(name: "Roll", kind: Roll, duration: "2m", alongside: true),"#);
        assert!(err.contains("a Roll step cannot run alongside"), "{err}");
    }
}
