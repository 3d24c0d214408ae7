//! The `rollcoach` binary: parse the command line, run, print the error chain, exit.

#![deny(unsafe_code)]

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use rollcoach::cli::{self, BadInput, Cli, Exit};
use rollcoach::routine::config::ConfigError;

fn main() -> ExitCode {
    // A Tab in the shell: answered from the clap definitions and the person's data.
    if let Some(code) = cli::complete::answer() {
        return code;
    }
    let args = Cli::parse();
    let result = match &args.command {
        Some(command) => cli::run(&args, command),
        None => cli::context(&args).and_then(|ctx| {
            let path = (!ctx.built_in).then_some(ctx.config_path.as_path());
            let built_in = ctx.built_in.then_some(ctx.config_path.as_path());
            rollcoach::dashboard::run(ctx.config, path, built_in, &ctx.data_dir)
        }),
    };
    match result {
        Ok(()) => Exit::Ok.code(),
        Err(err) => report(&err),
    }
}

/// Prints an error once, with its chain; 2 for bad input, 1 for anything else.
fn report(err: &anyhow::Error) -> ExitCode {
    // A reader that stopped early (`rollcoach today | head`) is not a failure.
    // serde_json keeps the io::Error inside its own and does not give it as a source:
    // ask it for the kind too.
    let broken_pipe = err.chain().any(|e| {
        let kind = e
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return Exit::Ok.code();
    }
    if let Some(config) = err.downcast_ref::<ConfigError>() {
        let _ = writeln!(std::io::stderr(), "{config}");
        return Exit::BadInput.code();
    }
    // The exit code says it when stderr is closed too: writing there is never a panic.
    let _ = writeln!(std::io::stderr(), "rollcoach: {err:#}");
    if err.downcast_ref::<BadInput>().is_some() {
        Exit::BadInput.code()
    } else {
        Exit::Failed.code()
    }
}
