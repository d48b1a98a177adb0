//! The command line: parse arguments, load the rules, lint, render, and pick the exit
//! status (0 no errors, 1 errors found, 2 a usage, pattern or I/O error).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice, StandardStream, WriteColor};

use crate::config::Config;
use crate::engine::Linter;
use crate::project::Project;
use crate::render::{human, json, Format};
use crate::report::{lint_source_with, FileReport};
use crate::rules::{criterion_name, RuleSet, Severity};
use crate::source::Source;
use crate::walk::{walk, LicenseNames, Walked};

const ABOUT: &str = "Lint license texts against the Open Source Definition";

const LONG_ABOUT: &str = "\
Lint license texts against the Open Source Definition (OSD).

osdlint reads license files and points at each clause that conflicts with one of the
OSD's ten criteria - a user-count or revenue threshold, a non-commercial or military-use
ban, a no-hosting clause, a click-wrap acceptance - and says which criterion it breaks,
why, and what to do about it.";

const CHECK_EXAMPLES: &str = "\
Examples:
  osdlint check LICENSE                 lint one file
  osdlint check                         lint the license files under the current directory
  cat LICENSE | osdlint check -         lint standard input
  osdlint check --format json vendor/   one JSON document, for tools

A directory is walked for license-like names (LICENSE*, LICENCE*, COPYING*, COPYRIGHT*,
NOTICE*, UNLICENSE, EULA*, *.license), honouring .gitignore and skipping hidden and
binary files. Files named on the command line are always read; a binary one is skipped
with a warning. A file directly in a LICENSES/ folder (REUSE) is a license file too.

A directory that holds a manifest (Cargo.toml, package.json, pyproject.toml) or a
README next to license files is a project: its declared license and its README's
\"open source\" claims are checked against its own license files, and a last line says
whether the project's license conforms to the OSD, and why not.

Exit status: 0 no errors found (nor warnings, with --fail-on warning); 1 errors found
(or warnings, with --fail-on warning or fail-on = \"warning\" in osdlint.toml); 2 a usage,
configuration, pattern or I/O error (the other files are still linted).";

#[derive(Parser)]
#[command(name = "osdlint", version, about = ABOUT, long_about = LONG_ABOUT)]
#[command(after_help = "\
Examples:
  osdlint check LICENSE                 lint one license file
  osdlint check --format sarif . > osdlint.sarif
  osdlint rules                         list the rules
  osdlint explain osd5/user-threshold   what a rule finds, why, and how to fix it

Run `osdlint check --help` for everything `check` takes.")]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// When to colour the output (NO_COLOR in the environment means never)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,

    /// Add the pattern sets (*.toml) of DIR to the embedded ones; may be repeated
    #[arg(long, value_name = "DIR", global = true)]
    patterns: Vec<PathBuf>,

    /// Use only the pattern sets given with --patterns, not the embedded ones
    #[arg(long, global = true)]
    no_default_patterns: bool,

    /// Read settings from FILE instead of the osdlint.toml or .osdlint.toml found by
    /// walking up from the working directory
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,

    /// Ignore configuration files
    #[arg(long, global = true, conflicts_with = "config")]
    isolated: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Lint license files, directories of them, or standard input (`-`)
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// List every rule: id, OSD criteria, severity and title
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Explain one rule: what it finds, why it conflicts with the OSD, how to fix it
    #[command(after_help = "Example:\n  osdlint explain osd6/military")]
    Explain {
        /// A rule id, as shown in brackets in a diagnostic (e.g. osd5/user-threshold)
        id: String,
    },
    /// Run the examples of pattern sets: each rule's `tests.match` must be flagged by
    /// it, each `tests.no_match` must not. Without DIR, tests the embedded sets.
    #[command(name = "test-patterns", after_help = "Example:\n  osdlint test-patterns my-policy/")]
    TestPatterns {
        /// Directories of pattern sets (*.toml) to test
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
    /// Print a shell completion script
    #[command(after_help = "Example:\n  osdlint completions bash > ~/.local/share/bash-completion/completions/osdlint")]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "Example:\n  osdlint man > osdlint.1 && man ./osdlint.1")]
    Man,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Also lint the paths listed in FILE (one a line, or NUL-separated; `-` for stdin)
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,

    /// Skip walked files whose path or name matches GLOB; may be repeated
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// Apply --exclude to files named on the command line too
    #[arg(long)]
    force_exclude: bool,

    /// Lint this many files at once (default: one per core); output order never changes
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,

    /// Report only these rules: ids or prefixes such as `osd6` or `osd5/user-threshold`
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    select: Vec<String>,

    /// Do not report these rules (ids or prefixes)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    ignore: Vec<String>,

    /// Exit 1 on errors only, or on warnings too
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<crate::config::FailOn>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn color_choice(when: ColorWhen, stream_is_tty: bool) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if no_color || !stream_is_tty => ColorChoice::Never,
        ColorWhen::Auto => ColorChoice::Auto,
    }
}

/// The man page's exit statuses (clap_mangen has no section for them), as `check --help`
/// gives them.
const MAN_EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
0
No errors found (nor warnings, with \-\-fail\-on warning).
.TP
1
Errors found (or warnings, with \-\-fail\-on warning or fail\-on = "warning" in osdlint.toml).
.TP
2
A usage, configuration, pattern or I/O error; the other files are still linted.
"#;

/// Run the command line; returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    // These need no rules.
    match &cli.command {
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "osdlint", &mut std::io::stdout());
            return 0;
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = std::io::stdout();
            let rendered = clap_mangen::Man::new(cmd).render(&mut out).and_then(|()| out.write_all(MAN_EXIT_STATUS.as_bytes()));
            return match rendered {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(_) => 2,
            };
        }
        _ => {}
    }
    let mut err = StandardStream::stderr(color_choice(cli.color, std::io::stderr().is_terminal()));
    let config = match load_config(&cli) {
        Ok(c) => c,
        Err(e) => {
            let _ = print_config_error(&mut err, &e);
            return 2;
        }
    };
    let linter = match load(&cli, &config) {
        Ok(l) => l,
        Err(e) => {
            let _ = print_pattern_error(&mut err, &e);
            return 2;
        }
    };
    // A terminal sees each line as it is written; a pipe or file gets whole blocks, which
    // spares a corpus run one write call a line (about 99,000 of them).
    let tty = std::io::stdout().is_terminal();
    let mut out: Box<dyn WriteColor> = if tty {
        Box::new(StandardStream::stdout(color_choice(cli.color, tty)))
    } else {
        Box::new(BufferedStandardStream::stdout(color_choice(cli.color, tty)))
    };
    let out = out.as_mut();
    let result = match &cli.command {
        Command::Check(args) => check(&linter, config, args, out, &mut err),
        Command::Rules { format } => rules(&linter.set, *format, out).map(|()| 0),
        Command::Explain { id } => explain(&linter.set, id, out, &mut err),
        Command::TestPatterns { dirs } => test_patterns(&linter, !dirs.is_empty() || !cli.patterns.is_empty(), out, &mut err),
        Command::Completions { .. } | Command::Man => Ok(0),
    }
    .and_then(|code| out.flush().map(|()| code));
    // The process ends next; freeing hundreds of compiled regexes one by one would only
    // delay that (about 2 ms of a single-file run), so leave it to the operating system.
    std::mem::forget(linter);
    match result {
        Ok(code) => code,
        // A reader that closed the pipe (`osdlint check | head`) ends the run quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = human::render_message(&mut err, Severity::Error, &format!("cannot write output: {e}"));
            2
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, crate::config::ConfigError> {
    if cli.isolated {
        return Ok(Config::default());
    }
    let path = match &cli.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| crate::config::discover(&d)),
    };
    match path {
        Some(p) => Config::load(&p),
        None => Ok(Config::default()),
    }
}

fn print_config_error(err: &mut dyn WriteColor, e: &crate::config::ConfigError) -> std::io::Result<()> {
    let at = e.span.clone().map(|span| (e.text.as_str(), span));
    human::render_error_at(err, &e.file, at, &format!("invalid configuration in {}", e.file), &e.message)
}

fn load(cli: &Cli, config: &Config) -> Result<Linter, crate::error::PatternError> {
    let mut set = if cli.no_default_patterns { RuleSet::default() } else { RuleSet::embedded()? };
    let extra = match &cli.command {
        Command::TestPatterns { dirs } => dirs.as_slice(),
        _ => &[],
    };
    for dir in config.patterns.iter().chain(&cli.patterns).chain(extra) {
        set.add_dir(dir)?;
    }
    set.finish()?;
    Linter::new(set).map_err(|e| crate::error::PatternError {
        file: "patterns".into(),
        text: None,
        span: None,
        message: format!("cannot build the prefilter: {e}"),
    })
}

fn print_pattern_error(err: &mut dyn WriteColor, e: &crate::error::PatternError) -> std::io::Result<()> {
    let at = e.text.as_deref().zip(e.span.clone());
    human::render_error_at(err, &e.file, at, &format!("invalid pattern file {}", e.file), &e.message)
}

/// What reading one input gave.
enum Input {
    Text(Source),
    /// Not linted; the message says why. `fatal` marks a named path that failed.
    Failed { path: String, message: String, fatal: bool },
    /// Not linted and not an error (a binary file named explicitly).
    Skipped { message: String },
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn read_file(path: &Path, explicit: bool) -> Input {
    let name = display(path);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Input::Failed { message: format!("{name}: {}", io_reason(&e)), path: name, fatal: explicit },
    };
    if meta.is_dir() {
        return Input::Failed { message: format!("{name}: is a directory"), path: name, fatal: explicit };
    }
    if !meta.is_file() {
        return Input::Failed {
            message: format!("{name}: not a regular file (a device, FIFO or socket); not read"),
            path: name,
            fatal: explicit,
        };
    }
    match std::fs::read(path) {
        Ok(bytes) => decode(name, bytes),
        Err(e) => Input::Failed { message: format!("{name}: {}", io_reason(&e)), path: name, fatal: explicit },
    }
}

fn decode(name: String, bytes: Vec<u8>) -> Input {
    match Source::from_bytes(name.clone(), bytes) {
        Ok(s) => Input::Text(s),
        Err(b) => Input::Skipped { message: format!("{name}: skipped: {}, not a license text", b.0) },
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// One thing to lint, in output order.
enum Work {
    Stdin,
    File { path: PathBuf, explicit: bool },
    /// The walker could not read this path.
    WalkError { path: PathBuf, why: String },
}

/// What linting one [`Work`] gave.
enum Done {
    Linted(FileReport),
    Failed { path: String, message: String, fatal: bool },
    Skipped { message: String, explicit: bool },
}

/// `spare_core`: other threads are idle, so one file's work may be split between them.
fn run_work(linter: &Linter, w: Work, spare_core: bool) -> Done {
    let explicit = matches!(w, Work::Stdin | Work::File { explicit: true, .. });
    let input = match w {
        Work::Stdin => {
            let mut bytes = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut bytes) {
                Ok(_) => decode("<stdin>".into(), bytes),
                Err(e) => Input::Failed { path: "<stdin>".into(), message: format!("<stdin>: {e}"), fatal: true },
            }
        }
        Work::File { path, explicit } => read_file(&path, explicit),
        Work::WalkError { path, why } => {
            let path = display(&path);
            Input::Failed { message: format!("{path}: {why}"), path, fatal: false }
        }
    };
    match input {
        Input::Text(source) => Done::Linted(lint_source_with(linter, source, spare_core)),
        Input::Failed { path, message, fatal } => Done::Failed { path, message, fatal },
        Input::Skipped { message } => Done::Skipped { message, explicit },
    }
}

/// At most this many files are read or linted ahead of the one rendered next: output is in
/// the order of the work list whatever the thread count, and memory holds at most this
/// many texts.
const WINDOW: usize = 256;

/// Lint `work` on `threads` threads and hand each result to `sink` in the order of `work`.
///
/// The worker threads live for the whole run, not for a batch of files: each thread's
/// scratch space (`engine.rs`) holds the lazy DFA states its searches have built, and a
/// new thread builds them all again.
fn lint_all(linter: &Linter, work: Vec<Work>, threads: usize, mut sink: impl FnMut(Done) -> std::io::Result<()>) -> std::io::Result<()> {
    use std::sync::{atomic::AtomicBool, atomic::Ordering::Relaxed, Condvar, Mutex, PoisonError};
    if threads <= 1 || work.len() <= 1 {
        // One file on a machine with cores to spare: its own work is split between them.
        let spare_core = threads > 1;
        for w in work {
            sink(run_work(linter, w, spare_core))?;
        }
        return Ok(());
    }
    let total = work.len();
    let queue = Mutex::new(work.into_iter().enumerate());
    // How many results the sink has taken: a worker waits while it is `WINDOW` ahead.
    let rendered = (Mutex::new(0usize), Condvar::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Done)>();
        for _ in 0..threads.min(total) {
            let tx = tx.clone();
            let (queue, rendered, stop) = (&queue, &rendered, &stop);
            s.spawn(move || {
                let _stop = StopOnPanic(stop, rendered);
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.next());
                    let Some((i, w)) = next else { break };
                    let (count, moved) = rendered;
                    let mut done = count.lock().unwrap_or_else(PoisonError::into_inner);
                    while i >= *done + WINDOW && !stop.load(Relaxed) {
                        done = moved.wait(done).unwrap_or_else(PoisonError::into_inner);
                    }
                    drop(done);
                    if stop.load(Relaxed) || tx.send((i, run_work(linter, w, false))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results come in any order; each is held until those before it are rendered.
        let mut held = std::collections::BTreeMap::new();
        let mut next = 0;
        let mut result = Ok(());
        while next < total && result.is_ok() {
            // Every worker gone with results missing means one panicked: stop there.
            let Ok((i, d)) = rx.recv() else { break };
            held.insert(i, d);
            while let Some(d) = held.remove(&next) {
                next += 1;
                result = sink(d);
                if result.is_err() {
                    break;
                }
            }
            let (count, moved) = &rendered;
            *count.lock().unwrap_or_else(PoisonError::into_inner) = next;
            moved.notify_all();
        }
        // After an error, the workers stop at their next file rather than lint the rest.
        halt(&stop, &rendered);
        result
    })
}

/// Tell the workers of [`lint_all`] to stop, waking those that wait for the sink.
fn halt(stop: &std::sync::atomic::AtomicBool, (count, moved): &(std::sync::Mutex<usize>, std::sync::Condvar)) {
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    // Taken and let go so that a worker between its look at `stop` and its wait is
    // waiting by now, and is woken.
    drop(count.lock());
    moved.notify_all();
}

/// Held by each worker of [`lint_all`]: a worker that panics stops the others rather
/// than leave them waiting for a result that will not come (the panic then reaches the
/// caller when the thread scope ends).
struct StopOnPanic<'a>(&'a std::sync::atomic::AtomicBool, &'a (std::sync::Mutex<usize>, std::sync::Condvar));

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            halt(self.0, self.1);
        }
    }
}

fn read_list(from: &Path) -> std::io::Result<Vec<PathBuf>> {
    let bytes = if from.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().lock().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(from)?
    };
    let sep = if bytes.contains(&0) { 0 } else { b'\n' };
    Ok(bytes
        .split(|&b| b == sep)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(path_from_bytes)
        .collect())
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

fn check(linter: &Linter, mut config: Config, args: &CheckArgs, out: &mut dyn WriteColor, err: &mut StandardStream) -> std::io::Result<i32> {
    // Only a directory needs the names (a set of globs) built.
    let names = std::cell::OnceCell::new();
    config.select.extend(args.select.iter().cloned());
    config.ignore.extend(args.ignore.iter().cloned());
    config.exclude.extend(args.exclude.iter().cloned());
    if let Some(f) = args.fail_on {
        config.fail_on = f;
    }
    for sel in config.select.iter().chain(&config.ignore).chain(config.severity.iter().map(|(s, _)| s)) {
        let ids = linter.set.rules.iter().map(|r| r.id.as_str()).chain(crate::project::RULES.iter().map(|r| r.id));
        if !ids.into_iter().any(|id| crate::config::selects(sel, id)) {
            human::render_message(err, Severity::Warning, &format!("`{sel}` matches no rule; `osdlint rules` lists them"))?;
        }
    }
    let mut allow_used = vec![0usize; config.allow.len()];
    let exclude = match build_globs(&config.exclude) {
        Ok(g) => g,
        Err(e) => {
            human::render_message(err, Severity::Error, &format!("--exclude: {e}"))?;
            return Ok(2);
        }
    };
    let excluded = |p: &Path| exclude.is_match(p) || p.file_name().is_some_and(|n| exclude.is_match(Path::new(n)));
    let mut paths = args.paths.clone();
    if let Some(list) = &args.files_from {
        match read_list(list) {
            Ok(mut l) => {
                if args.paths == [PathBuf::from(".")] {
                    paths.clear();
                }
                paths.append(&mut l);
            }
            Err(e) => {
                human::render_message(err, Severity::Error, &format!("{}: {}", list.display(), io_reason(&e)))?;
                return Ok(2);
            }
        }
    }
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let mut work = Vec::new();
    let mut projects: Vec<(Project, Vec<FileReport>)> = Vec::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            work.push(Work::Stdin);
        } else if p.is_dir() {
            let first = work.len();
            for w in walk(p, names.get_or_init(LicenseNames::new), threads) {
                // `osdlint check` shows `LICENSE`, not `./LICENSE`.
                let w = match w {
                    Walked::File(f) => Walked::File(f.strip_prefix("./").map(Path::to_path_buf).unwrap_or(f)),
                    other => other,
                };
                match w {
                    Walked::File(f) if !excluded(&f) => work.push(Work::File { path: f, explicit: false }),
                    Walked::File(_) => {}
                    Walked::Error(path, why) => work.push(Work::WalkError { path, why }),
                }
            }
            // A project root: its manifests and README are read after its license files.
            let walked: Vec<PathBuf> = work
                .get(first..)
                .unwrap_or_default()
                .iter()
                .filter_map(|w| match w {
                    Work::File { path, .. } => Some(path.clone()),
                    _ => None,
                })
                .collect();
            if let Some(mut project) = Project::discover(p, &walked) {
                if project.retain(|f| !excluded(f)) {
                    projects.push((project, Vec::new()));
                }
            }
        } else if !(args.force_exclude && excluded(p)) {
            work.push(Work::File { path: p.clone(), explicit: true });
        }
    }

    let mut reports: Vec<FileReport> = Vec::new();
    let mut failures: Vec<(String, String)> = Vec::new();
    let (mut errors, mut warnings, mut files) = (0usize, 0usize, 0usize);
    let mut fatal = false;
    let mut skipped = 0usize;
    lint_all(linter, work, threads, |done| {
        match done {
            Done::Linted(mut report) => {
                // A project's verdict rests on every finding not accepted on purpose,
                // whatever --select and --ignore show.
                let path = Path::new(&report.source.name);
                for (_, licenses) in projects.iter_mut().filter(|(pr, _)| pr.owns(path)) {
                    let mut kept = report.clone();
                    config.apply_accepted(&mut kept);
                    licenses.push(kept);
                }
                config.apply(&mut report, &mut allow_used);
                if let Some(note) = &report.source.note {
                    human::render_message(err, Severity::Note, &format!("{}: {note}", report.source.name))?;
                }
                files += 1;
                errors += report.count(Severity::Error);
                warnings += report.count(Severity::Warning);
                emit(args.format, out, &mut reports, report)?;
            }
            Done::Failed { path, message, fatal: f } => {
                fatal |= f;
                human::render_message(err, Severity::Error, &message)?;
                failures.push((path, message));
            }
            // A binary named on the command line is worth a line; one met while walking
            // is expected (a LICENSE.png) and only counted. Both count as skipped.
            Done::Skipped { message, explicit } => {
                if explicit {
                    human::render_message(err, Severity::Warning, &message)?;
                }
                skipped += 1;
            }
        }
        Ok(())
    })?;
    let mut summaries = Vec::new();
    for (project, licenses) in projects {
        let outcome = crate::project::analyze(linter, &project, licenses, &config, &mut allow_used);
        for problem in &outcome.problems {
            human::render_message(err, Severity::Warning, problem)?;
        }
        files += outcome.licenses.len();
        for report in outcome.licenses.into_iter().chain(outcome.reports) {
            errors += report.count(Severity::Error);
            warnings += report.count(Severity::Warning);
            emit(args.format, out, &mut reports, report)?;
        }
        summaries.push(outcome.summary);
    }
    match args.format {
        Format::Human => {
            human::render_summary(out, files, errors, warnings, failures.len(), skipped)?;
            for s in &summaries {
                human::render_project(out, s)?;
            }
        }
        Format::Json => writeln!(out, "{}", json::render_with_projects(&reports, &failures, skipped, &summaries))?,
        Format::Sarif => writeln!(out, "{}", crate::render::sarif::render_with_projects(&linter.set, &reports, &summaries))?,
        Format::Github | Format::Concise => {}
    }
    out.flush()?;
    report_unused_allows(&config, &allow_used, err)?;
    Ok(if fatal {
        2
    } else if config.fails(errors, warnings) {
        1
    } else {
        0
    })
}

fn build_globs(globs: &[String]) -> Result<globset::GlobSet, globset::Error> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        b.add(globset::Glob::new(g)?);
    }
    b.build()
}

/// Write one file's report in a streaming format, or keep it for the one JSON or SARIF
/// document written at the end.
fn emit(format: Format, out: &mut dyn WriteColor, reports: &mut Vec<FileReport>, report: FileReport) -> std::io::Result<()> {
    match format {
        Format::Human => human::render_file(out, &report)?,
        Format::Concise => write!(out, "{}", crate::render::plain::concise(&report))?,
        Format::Github => write!(out, "{}", crate::render::plain::github(&report))?,
        Format::Json | Format::Sarif => reports.push(strip_text(report)),
    }
    Ok(())
}

/// JSON needs no file text; drop it so a big tree does not stay in memory.
fn strip_text(mut r: FileReport) -> FileReport {
    r.source.text = String::new();
    r
}

fn rules(set: &RuleSet, format: Format, out: &mut dyn WriteColor) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = set
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "osd": r.osd, "severity": r.severity, "message": r.message,
                        "why": r.why, "help": r.help, "explain": r.explain,
                    })
                })
                .chain(crate::project::RULES.iter().map(|r| {
                    serde_json::json!({
                        "id": r.id, "osd": [], "severity": r.severity, "message": r.message,
                        "why": r.why, "help": r.help, "explain": r.explain,
                    })
                }))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default())
        }
        _ => {
            let project = crate::project::RULES;
            let width = set.rules.iter().map(|r| r.id.len()).chain(project.iter().map(|r| r.id.len())).max().unwrap_or(0);
            for r in &set.rules {
                let osd: Vec<String> = r.osd.iter().map(u8::to_string).collect();
                writeln!(out, "{:<width$}  OSD {:<5} {:<8} {}", r.id, osd.join(","), r.severity.as_str(), r.message)?;
            }
            // Project rules compare files (manifest, README, license) rather than match
            // wording, so they have no criterion of their own.
            for r in project {
                writeln!(out, "{:<width$}  OSD {:<5} {:<8} {}", r.id, "-", r.severity.as_str(), r.message)?;
            }
            writeln!(out, "\n{} rules. `osdlint explain ID` tells what one finds and how to fix it.", set.rules.len() + project.len())
        }
    }
}

fn explain(set: &RuleSet, id: &str, out: &mut dyn WriteColor, err: &mut StandardStream) -> std::io::Result<i32> {
    if let Some(rule) = crate::project::find_rule(id) {
        writeln!(out, "{}: {}", rule.id, rule.message)?;
        writeln!(out, "Criteria: any the license text breaks (a project check: it compares files)")?;
        writeln!(out, "Default severity: {}\n", rule.severity.as_str())?;
        writeln!(out, "{}", rule.explain.trim_end())?;
        return Ok(0);
    }
    let Some(rule) = set.find(id) else {
        let near: Vec<&str> = set
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(crate::project::RULES.iter().map(|r| r.id))
            .filter(|r| r.starts_with(id) || id.split('/').next_back().is_some_and(|tail| !tail.is_empty() && r.contains(tail)))
            .collect();
        let hint = if near.is_empty() { "run `osdlint rules` for the list".to_string() } else { format!("did you mean {}?", near.join(", ")) };
        human::render_message(err, Severity::Error, &format!("no rule `{id}`: {hint}"))?;
        return Ok(2);
    };
    let criteria: Vec<String> = rule.osd.iter().map(|n| format!("OSD {n} ({})", criterion_name(*n))).collect();
    writeln!(out, "{}: {}", rule.id, rule.message)?;
    writeln!(out, "Criteria: {}", criteria.join(", "))?;
    writeln!(out, "Default severity: {}\n", rule.severity.as_str())?;
    writeln!(out, "{}", rule.explain.trim_end())?;
    if let Some((example, _)) = rule.tests.matches.first() {
        writeln!(out, "\n## Example it flags\n\n    {}", example.trim())?;
    }
    if let Some((example, _)) = rule.tests.no_match.first() {
        writeln!(out, "\n## Example it leaves alone\n\n    {}", example.trim())?;
    }
    Ok(0)
}

fn test_patterns(linter: &Linter, only_user: bool, out: &mut dyn WriteColor, err: &mut StandardStream) -> std::io::Result<i32> {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    // Embedded files come first; with DIRs given, test only the rules loaded from them.
    let embedded = |i: usize| {
        let rule = linter.set.rules.get(i);
        rule.and_then(|r| linter.set.files.get(r.file)).is_some_and(|f| f.embedded)
    };
    let keep = |i: usize| !only_user || !embedded(i);
    let failures = crate::selftest::check_examples(linter, keep);
    for f in &failures {
        // Failures name rules of this set, and each rule the file it was loaded from.
        let Some(rule) = linter.set.rules.get(f.rule) else { continue };
        let Some(pf) = linter.set.files.get(rule.file) else { continue };
        let d = Diagnostic::error()
            .with_code(rule.id.as_str())
            .with_message(format!("example fails: {}", f.problem.describe()))
            .with_labels(vec![
                Label::primary((), f.span.clone()).with_message("this example"),
                Label::secondary((), rule.id_span.clone()).with_message("in this rule"),
            ]);
        human::render_in(err, &pf.name, &pf.text, &d)?;
    }
    let n: usize = linter
        .set
        .rules
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, r)| r.tests.matches.len() + r.tests.no_match.len())
        .sum();
    writeln!(out, "{} examples, {} failed", n, failures.len())?;
    Ok(if failures.is_empty() { 0 } else { 1 })
}

/// An allow entry that accepted nothing is stale: say so, pointing at it.
fn report_unused_allows(config: &Config, used: &[usize], err: &mut dyn WriteColor) -> std::io::Result<()> {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    let name = config.file.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    for (a, n) in config.allow.iter().zip(used) {
        if *n == 0 {
            let d = Diagnostic::warning()
                .with_message(format!("allow entry for `{}` in `{}` matched no finding", a.rule, a.path_glob))
                .with_labels(vec![Label::primary((), a.span.clone()).with_message("this entry can be removed")]);
            human::render_in(err, &name, &config.text, &d)?;
        }
    }
    Ok(())
}
