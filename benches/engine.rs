//! Criterion benchmarks of the matching pipeline: normalize, segment and lint, per text
//! and over a sample of the corpus.
//!
//!     cargo bench --bench engine
//!
//! Texts come from `../shared/corpus/texts` when it exists (every 20th file, so about a
//! hundred texts), else from `fixtures/`. `OSDLINT_BENCH_TEXTS=DIR` picks another
//! directory, `OSDLINT_BENCH_PATTERNS=DIR` lints with that directory's pattern sets
//! instead of the embedded ones (as `--no-default-patterns --patterns DIR` does).

use std::path::{Path, PathBuf};

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use osdlint::normalize::normalize;
use osdlint::rules::RuleSet;
use osdlint::segment::sentences;
use osdlint::Linter;

/// Every `*.txt` / `*.md` file under `dir`, sorted.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt" || x == "md") {
            out.push(p);
        }
    }
}

/// The sample: (name, text).
fn sample() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/texts");
    let (dir, step) = match std::env::var_os("OSDLINT_BENCH_TEXTS") {
        Some(d) => (PathBuf::from(d), 1),
        None if corpus.is_dir() => (corpus, 20),
        None => (root.join("fixtures"), 1),
    };
    let mut paths = Vec::new();
    files_under(&dir, &mut paths);
    paths
        .into_iter()
        .step_by(step)
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect()
}

fn rule_set() -> RuleSet {
    match std::env::var_os("OSDLINT_BENCH_PATTERNS") {
        Some(dir) => {
            let mut set = RuleSet::default();
            set.add_dir(Path::new(&dir)).unwrap_or_else(|e| panic!("{e}"));
            set.finish().unwrap_or_else(|e| panic!("{e}"));
            set
        }
        None => RuleSet::embedded().unwrap_or_else(|e| panic!("{e}")),
    }
}

fn linter() -> Linter {
    Linter::new(rule_set()).unwrap_or_else(|e| panic!("{e}"))
}

/// The text the single-text benchmarks use: the Apache licence of this repository.
fn one_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("LICENSE-APACHE")).unwrap_or_default()
}

fn per_text(c: &mut Criterion) {
    let text = one_text();
    let norm = normalize(&text);
    let linter = linter();
    // Compile the regexes this text calls on before timing.
    linter.lint(&text);
    let mut g = c.benchmark_group("per-text");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("normalize", |b| b.iter(|| normalize(black_box(&text))));
    g.bench_function("segment", |b| b.iter(|| sentences(black_box(&norm.text))));
    g.bench_function("lint", |b| b.iter(|| linter.lint(black_box(&text))));
    g.finish();
}

fn startup(c: &mut Criterion) {
    let text = one_text();
    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("load-rules", |b| b.iter(rule_set));
    g.bench_function("load-and-build", |b| b.iter(linter));
    // What `osdlint check LICENSE` pays: load, build, compile the regexes it calls on.
    g.bench_function("cold-lint", |b| b.iter_batched(linter, |l| l.lint(black_box(&text)), BatchSize::PerIteration));
    g.finish();
}

fn corpus(c: &mut Criterion) {
    let texts = sample();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let linter = linter();
    for (_, t) in &texts {
        linter.lint(t);
    }
    let norms: Vec<String> = texts.iter().map(|(_, t)| normalize(t).text).collect();
    let mut g = c.benchmark_group(format!("sample-{}-texts", texts.len()));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("normalize", |b| {
        b.iter(|| texts.iter().map(|(_, t)| normalize(black_box(t)).text.len()).sum::<usize>())
    });
    g.bench_function("segment", |b| b.iter(|| norms.iter().map(|n| sentences(black_box(n)).len()).sum::<usize>()));
    g.bench_function("lint", |b| b.iter(|| texts.iter().map(|(_, t)| linter.lint(black_box(t)).len()).sum::<usize>()));
    g.finish();
}

criterion_group!(benches, per_text, startup, corpus);
criterion_main!(benches);
