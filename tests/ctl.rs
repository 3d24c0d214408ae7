//! `rollcoach ctl` end to end: the real binary sends actions to a real dashboard running
//! in tmux (see tests/support), and to none.

mod support;

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::net::UnixListener;
use std::process::Output;

use support::{Need, Pane, Sandbox, require};

/// A one-minute step, then a second; no desktop; a roller to be asked about.
const TWO_STEPS: &str = r#"(
    checkin: [],
    notify: (desktop: false),
    roller: (needle_mm: 0.5),
    routines: [(
        name: "evening",
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Serum", kind: Serum, duration: "2m"),
        ],
    )],
)"#;

fn ctl(sandbox: &Sandbox, action: &str) -> Output {
    sandbox.rollcoach_output(&["ctl", action])
}

fn said(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The dashboard's first screen, with its socket listening.
fn ready(pane: &Pane) {
    pane.wait_text("Space starts the step");
}

#[test]
#[ignore = "needs tmux"]
fn ctl_drives_the_dashboard_through_its_own_actions() {
    require(&[Need::Tmux]);
    let sandbox = Sandbox::new(TWO_STEPS);
    // With a runtime dir the socket goes there, where only its user can reach it.
    let runtime = sandbox.path("xdg-runtime");
    std::fs::create_dir(&runtime).unwrap();
    sandbox.chmod(&runtime, 0o700);
    // A socket dir made by hand, open to all, is made the user's alone.
    std::fs::create_dir(runtime.join("rollcoach")).unwrap();
    sandbox.chmod(&runtime.join("rollcoach"), 0o777);
    let pane = sandbox.open("one");
    ready(&pane);
    let dir = runtime.join("rollcoach");
    let sockets: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(sockets.len(), 1, "{sockets:?}");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&sockets[0]), 0o600);
    assert!(!sandbox.data_dir().join("ctl.sock").exists());

    // Nothing to go back to yet: refused, and it says why.
    let back = ctl(&sandbox, "back");
    assert_eq!(back.status.code(), Some(1), "{}", said(&back));
    assert!(
        said(&back).contains("the dashboard refused: `back` changes nothing now"),
        "{}",
        said(&back)
    );

    let start = ctl(&sandbox, "start-pause");
    assert_eq!(start.status.code(), Some(0), "{}", said(&start));
    pane.wait_for("Cleanse running", |s| {
        s.contains("Cleanse") && s.contains("running")
    });

    let next = ctl(&sandbox, "next");
    assert_eq!(next.status.code(), Some(0), "{}", said(&next));
    pane.wait_for("the second step", |s| s.contains("Serum · serum"));

    let more = ctl(&sandbox, "add-time");
    assert_eq!(more.status.code(), Some(0), "{}", said(&more));
    pane.wait_text("2:30");

    // A question open on the dashboard is answered there, not by ctl.
    pane.keys(&["R"]);
    pane.wait_text("Record a new roller?");
    let refused = ctl(&sandbox, "skip");
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        said(&refused).contains("a question is open on the dashboard"),
        "{}",
        said(&refused)
    );
    pane.keys(&["Escape"]);

    // Not an action ctl sends: a usage error.
    let screen_only = ctl(&sandbox, "history");
    assert_eq!(screen_only.status.code(), Some(2), "{}", said(&screen_only));
    assert!(said(&screen_only).contains("send one of start-pause, next"));

    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    // The dashboard took its socket away with it.
    let gone = ctl(&sandbox, "next");
    assert_eq!(gone.status.code(), Some(1));
    assert!(
        said(&gone).contains("no dashboard runs for"),
        "{}",
        said(&gone)
    );
}

#[test]
#[ignore = "needs tmux"]
fn a_killed_dashboards_socket_is_replaced_and_a_second_dashboard_does_not_take_it() {
    require(&[Need::Tmux]);
    let sandbox = Sandbox::new(TWO_STEPS);
    let first = sandbox.open("one");
    ready(&first);
    first.signal(libc::SIGKILL);
    first.wait_exit();
    // kill -9 leaves the socket behind: nobody answers on it.
    let stale = ctl(&sandbox, "start-pause");
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        said(&stale).contains("no dashboard runs for"),
        "{}",
        said(&stale)
    );

    let owner = sandbox.open("two");
    ready(&owner);
    let watcher = sandbox.open("three");
    watcher.wait_text("read-only");
    // The action reaches the owner, not the read-only dashboard opened after it.
    let start = ctl(&sandbox, "start-pause");
    assert_eq!(start.status.code(), Some(0), "{}", said(&start));
    owner.wait_for("Cleanse running", |s| s.contains("running"));
    watcher.keys(&["q"]);
    assert_eq!(watcher.wait_exit(), 0);
    // The read-only one leaving does not take the owner's socket away.
    let pause = ctl(&sandbox, "start-pause");
    assert_eq!(pause.status.code(), Some(0), "{}", said(&pause));
    owner.wait_text("paused");
    owner.keys(&["q"]);
    assert_eq!(owner.wait_exit(), 0);
}

#[test]
fn with_no_dashboard_ctl_says_so_and_exits_1() {
    let sandbox = Sandbox::new(TWO_STEPS);
    let out = ctl(&sandbox, "next");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        said(&out).contains("no dashboard runs for"),
        "{}",
        said(&out)
    );
    // Something in the socket's place that is not a dashboard's socket: still none.
    let path = sandbox.data_dir().join("ctl.sock");
    std::fs::create_dir_all(sandbox.data_dir()).unwrap();
    drop(UnixListener::bind(&path).unwrap());
    let out = ctl(&sandbox, "next");
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
}
