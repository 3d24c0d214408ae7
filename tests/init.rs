//! `rollcoach init` driven by scripted answers, as a person at a terminal would give
//! them: the config it writes passes `rollcoach check` with no warning, whatever the
//! products, their actives and their days; bad answers are asked again; input that
//! ends mid-questions writes nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rollcoach::cli::init::{Answerer, MOST_PRODUCTS, Topic, interview, render};
use rollcoach::routine::config::{StepKind, parse};
use tempfile::TempDir;

struct Home {
    root: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            root: tempfile::tempdir().expect("a temp dir"),
        }
    }

    fn config(&self) -> PathBuf {
        self.root.path().join("config.ron")
    }

    fn rollcoach(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rollcoach"));
        cmd.env_remove("ROLLCOACH_CONFIG")
            .env_remove("ROLLCOACH_DATA_DIR")
            .env("HOME", self.root.path().join("home"))
            .env("XDG_CONFIG_HOME", self.root.path().join("xdg-config"))
            .env("XDG_DATA_HOME", self.root.path().join("xdg-data"))
            .env("TZ", "UTC")
            .arg("--data-dir")
            .arg(self.root.path().join("data"))
            .arg("--config")
            .arg(self.config());
        cmd
    }

    /// `init` with these lines on stdin: its stdout, once it succeeded.
    fn init(&self, answers: &str) -> String {
        let assert = self
            .rollcoach()
            .arg("init")
            .write_stdin(answers)
            .assert()
            .success();
        String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
    }

    /// `check` on the written config: exit 0 and no warning; its stdout.
    fn checks_clean(&self) -> String {
        let assert = self.rollcoach().arg("check").assert().success();
        let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(!out.contains("warning"), "{out}");
        assert!(!err.contains("warning"), "{err}");
        out
    }

    fn written(&self) -> String {
        fs::read_to_string(self.config()).expect("the config was written")
    }
}

#[test]
fn enter_at_every_question_writes_a_routine_check_accepts() {
    let home = Home::new();
    let out = home.init("\n\n\n\n\n");
    assert!(out.contains("wrote your routine to"), "{out}");
    assert!(out.contains("[0.5]"), "{out}");
    assert!(out.contains("medical procedure"), "{out}");
    let check = home.checks_clean();
    assert!(check.contains("morning at 07:30"), "{check}");
    assert!(check.contains("evening at 21:00"), "{check}");
    assert!(check.contains("0.5 mm needles, 7 rest days"), "{check}");
    let config = parse(&home.written()).unwrap();
    assert!(config.products.is_empty());
    assert_eq!(config.checkin.len(), 10, "the check-in is on");
}

#[test]
fn products_cycles_and_times_as_answered() {
    let home = Home::new();
    let answers = [
        "0.3",
        "06:45",
        "22:00", // needle, times
        "Retinol 0.3%",
        "1",
        "evening",
        "4:2", // skin cycling: the retinoid
        "Glycolic toner",
        "4, bha",
        "",
        "4:1", // and the exfoliant
        "Vitamin C",
        "VitaminC",
        "",
        "every", // the morning by default
        "Copper",
        "12",
        "evening",
        "4:3",
        "Hyaluronic",
        "10",
        "evening",
        "roll",
        "", // done
        "on",
    ];
    home.init(&(answers.join("\n") + "\n"));
    let check = home.checks_clean();
    assert!(check.contains("0.3 mm needles, 2 rest days"), "{check}");
    let text = home.written();
    assert!(text.contains("when: Cycle(days: 4, on: [2])"), "{text}");
    assert!(text.contains("when: Cycle(days: 4, on: [1])"), "{text}");
    assert!(text.contains("\"Retinol 0.3%\""), "{text}");
    let config = parse(&text).unwrap();
    let evening = config.routine("evening").unwrap();
    let roll = evening
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Roll)
        .unwrap();
    for step in &evening.steps[..roll] {
        assert!(step.actives.is_empty(), "{} before the needles", step.name);
    }
    let morning = config.routine("morning").unwrap();
    assert!(morning.steps.iter().any(|s| s.name == "Vitamin C"));
    assert_eq!(morning.at.unwrap().to_string(), "06:45");
    // Pauses come from the actives: 24 h each way at 0.3 mm for retinol.
    let retinol = evening
        .steps
        .iter()
        .find(|s| s.name == "Retinol 0.3%")
        .unwrap();
    assert_eq!(retinol.pause_after_roll.unwrap().0.as_secs(), 24 * 3600);
    assert!(!text.contains("pause_after_roll"), "{text}");
}

#[test]
fn bad_answers_are_asked_again_with_what_to_type() {
    let home = Home::new();
    let answers = [
        "1.0",
        "thin",
        "0.25", // needle: a clinical length, a word, then one
        "25:00",
        "03:00",
        "none", // no morning routine
        "9pm",
        "21:00", // not a time, then a time (evening only)
        "Roll",
        "Tretinoin", // a step's name, then a product
        "retinol A",
        "2", // not a class, then one
        "roll",
        "sometimes",
        "Mon,Thu", // roll nights refused for its pauses
        "",
        "maybe",
        "off",
    ];
    let out = home.init(&(answers.join("\n") + "\n"));
    for said in [
        "medical procedure",
        "type 0.25, 0.3 or 0.5",
        "not a time: type it as HH:MM",
        "counts as the day before",
        "a step of the routine is called \"Roll\" already",
        "\"A\" is not a class",
        "on roll nights it would never run",
        "\"sometimes\" is not a choice",
        "type on or off",
        // Tretinoin pauses 7 days after a roll and 72 h before: more than 2 days leave.
        "the roller rests 10 days between rolls (the needle table gives 2)",
    ] {
        assert!(out.contains(said), "{said:?} not in:\n{out}");
    }
    let check = home.checks_clean();
    assert!(check.contains("10 rest days"), "{check}");
    assert!(check.contains("checkin is empty"), "{check}");
    assert!(!check.contains("morning"), "{check}");
    assert!(home.written().contains("when: Weekdays([Mon, Thu])"));
}

#[test]
fn actives_that_conflict_are_put_apart_before_anything_is_written() {
    let home = Home::new();
    // Retinol on Mon, Wed, Fri; an acid every night: init says why and offers the
    // other nights, which Enter takes. Then benzoyl peroxide beside vitamin C in the
    // morning: the evening has retinol, which it oxidises too, so init offers to leave
    // it out; moved to the evening all the same, it is offered retinol's free nights.
    let answers = [
        "",
        "",
        "",
        "Retinol",
        "1",
        "evening",
        "Mon,Wed,Fri",
        "Acid",
        "4",
        "evening",
        "every",
        "",
        "Vitamin C",
        "7",
        "morning",
        "every",
        "BPO",
        "6",
        "morning",
        "every",
        "evening",
        "",
        "",
        "",
    ];
    let out = home.init(&(answers.join("\n") + "\n"));
    assert!(out.contains("irritating together"), "{out}");
    assert!(out.contains("[Tue,Thu,Sat,Sun]"), "{out}");
    assert!(out.contains("oxidises vitamin C"), "{out}");
    assert!(out.contains("or skip to leave it out [skip]"), "{out}");
    assert!(out.contains("oxidises retinol"), "{out}");
    assert_eq!(out.matches("[Tue,Thu,Sat,Sun]").count(), 2, "{out}");
    home.checks_clean();
    let config = parse(&home.written()).unwrap();
    let evening = config.routine("evening").unwrap();
    assert!(evening.steps.iter().any(|s| s.name == "Acid"));
    assert!(evening.steps.iter().any(|s| s.name == "BPO"));
}

#[test]
fn input_that_ends_mid_questions_writes_nothing_and_exits_2() {
    for answers in ["0.5\n", "0.5\n07:30\n21:00\nRetinol\n1\n", "x\ny\n"] {
        let home = Home::new();
        let assert = home
            .rollcoach()
            .arg("init")
            .write_stdin(answers)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(err.contains("the input ended at"), "{err}");
        assert!(err.contains("nothing written"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!home.config().exists());
    }
}

#[test]
fn defaults_writes_the_built_in_routine_without_asking() {
    let home = Home::new();
    home.rollcoach()
        .args(["init", "--defaults"])
        .write_stdin("0.25\n")
        .assert()
        .success();
    let shipped =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/default.ron"));
    assert_eq!(home.written(), shipped.unwrap());
}

#[test]
fn an_existing_config_is_refused_before_any_question() {
    let home = Home::new();
    fs::write(home.config(), "// mine\n").unwrap();
    let assert = home
        .rollcoach()
        .arg("init")
        .write_stdin("0.3\n")
        .assert()
        .failure();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(!out.contains("Needle"), "{out}");
    assert_eq!(home.written(), "// mine\n");
    // --force asks, and writes.
    home.rollcoach()
        .args(["init", "--force"])
        .write_stdin("0.3\n\n\n\n\n")
        .assert()
        .success();
    assert!(home.written().contains("needle_mm: 0.3"));
}

// ---- generated answers ----

/// A small deterministic generator: the same cases every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const DAYS: [&str; 11] = [
    "every",
    "rest",
    "roll",
    "Mon,Wed,Fri",
    "Tue,Thu",
    "Sat",
    "sun",
    "4:1",
    "4:2",
    "3:1,2",
    "2:1",
];

/// One person's answers, made up: picked by the question asked, so that a question
/// asked again (a clash, `roll` refused) gets an answer too; every answer recorded.
struct Made {
    rng: Lcg,
    products: usize,
    two_routines: bool,
    asked: Vec<Topic>,
    answers: Vec<String>,
}

impl Answerer for Made {
    fn say(&mut self, _text: &str) -> io::Result<()> {
        Ok(())
    }

    fn answer(&mut self, topic: Topic, _prompt: &str) -> io::Result<Option<String>> {
        let again = self.asked.contains(&topic);
        self.asked.push(topic);
        let rng = &mut self.rng;
        let answer = match topic {
            Topic::Needle => ["0.25", "0.3", "0.5"][rng.next(3)].to_string(),
            Topic::Morning if self.two_routines => "07:30".into(),
            Topic::Morning => "none".into(),
            Topic::Evening => "21:00".into(),
            Topic::Product(n) if n > self.products => String::new(),
            Topic::Product(n) => format!("Product {n}"),
            Topic::Actives(_) => {
                let count = 1 + rng.next(2);
                let picked: Vec<String> =
                    (0..count).map(|_| (1 + rng.next(13)).to_string()).collect();
                picked.join(",")
            }
            Topic::Routine(_) => ["morning", "evening"][rng.next(2)].into(),
            Topic::Days(_) if again => "every".into(),
            Topic::Days(_) => DAYS[rng.next(DAYS.len())].into(),
            // After a clash: the offered choice, or sometimes other days of one's own.
            Topic::DaysAgain(_) if rng.next(3) == 0 => DAYS[rng.next(DAYS.len())].into(),
            Topic::DaysAgain(_) => String::new(),
            Topic::Checkin => ["on", "off"][rng.next(2)].into(),
        };
        // A script cannot loop for ever: past many answers, Enter takes each default.
        let answer = if self.answers.len() > 400 {
            String::new()
        } else {
            answer
        };
        self.answers.push(answer.clone());
        Ok(Some(answer))
    }
}

fn made(seed: u64) -> Made {
    let mut rng = Lcg(seed);
    let products = rng.next(MOST_PRODUCTS + 1);
    let two_routines = rng.next(4) != 0;
    Made {
        rng,
        products,
        two_routines,
        asked: Vec::new(),
        answers: Vec::new(),
    }
}

#[test]
fn every_generated_set_of_answers_makes_a_config_without_warnings() {
    let cases = if std::env::var_os("ROLLCOACH_FULL_PROPERTIES").is_some() {
        2000
    } else {
        300
    };
    for seed in 0..cases {
        let mut person = made(seed);
        let answers = interview(&mut person).expect("every question answered");
        let text = render(&answers);
        let config = parse(&text).unwrap_or_else(|e| panic!("seed {seed}: {e:?}\n{text}"));
        assert!(
            config.warnings().is_empty(),
            "seed {seed}: {:?}\nanswers: {:?}\n{text}",
            config.warnings(),
            person.answers
        );
        assert!(answers.products.len() <= person.products);
    }
}

#[test]
fn generated_answers_piped_to_the_binary_check_clean() {
    for seed in [3, 17, 42, 99, 123, 256] {
        let mut person = made(seed);
        let answers = interview(&mut person).expect("every question answered");
        let home = Home::new();
        home.init(&(person.answers.join("\n") + "\n"));
        assert_eq!(home.written(), render(&answers), "seed {seed}");
        home.checks_clean();
    }
}
