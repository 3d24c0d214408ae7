//! Every RON block of docs/ROUTINE.md is what it says: a block marked `ron` is a whole
//! file that parses and validates with no warning, as `rollcoach check` reads it; a
//! piece of a file is marked `ron fragment` and skipped. Any other mark fails, so a
//! block cannot drop out of the check by a typo.

use rollcoach::routine::config::parse;

/// The page's fenced blocks whose info string starts with `ron`: (line, info, text).
fn ron_blocks(page: &str) -> Vec<(usize, String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for (n, line) in page.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(info)) if info.trim().starts_with("ron") => {
                open = Some((n + 1, info.trim().to_string(), String::new()));
            }
            (None, Some(_)) => open = Some((n + 1, String::new(), String::new())),
            (Some(_), Some(_)) => {
                let (line, info, text) = open.take().expect("open");
                if !info.is_empty() {
                    blocks.push((line, info, text));
                }
            }
            (Some((_, _, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a block is not closed");
    blocks
}

#[test]
fn every_whole_config_in_the_routine_walk_through_checks_without_warnings() {
    let page = include_str!("../docs/ROUTINE.md");
    let blocks = ron_blocks(page);
    let mut whole = 0;
    for (line, info, text) in &blocks {
        match info.as_str() {
            "ron" => {
                let config = parse(text).unwrap_or_else(|problems| {
                    panic!("docs/ROUTINE.md:{line}: does not parse: {problems:?}\n{text}")
                });
                assert!(
                    config.warnings().is_empty(),
                    "docs/ROUTINE.md:{line}: {:?}",
                    config.warnings()
                );
                whole += 1;
            }
            "ron fragment" => {}
            other => panic!("docs/ROUTINE.md:{line}: unknown block mark {other:?}"),
        }
    }
    assert!(whole >= 8, "{whole} whole configs");
    assert!(blocks.len() > whole, "the fragments are found too");
}

#[test]
fn a_block_that_does_not_parse_is_caught() {
    let page = "text\n```ron\n(routines: [(name: \"e\", steps: [(name: \"C\", kind: \"Cleanse\", duration: \"1m\")])])\n```\n```sh\nls\n```\n";
    let blocks = ron_blocks(page);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].0, 2);
    assert!(parse(&blocks[0].2).is_err());
}
