//! The domain crate stands in layers (`docs/architecture.md`, "Layers"):
//! each module refers only to its own layer and the layers below, the
//! modules' references have no cycle, no file grows past about 1,000
//! lines, and index attribute names and index numbers stay inside the
//! table port and the key templates. References are read from the source
//! text (`crate::…` and `super::…` paths, comments left out).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first, and the top-level modules in each.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "error", "ids", "clock", "money", "validate", "crypto", "pdf",
        ],
    ),
    (
        "storage and ports",
        &[
            "table",
            "keys",
            "cursor",
            "paging",
            "idempotency",
            "stats",
            "app",
            "aws",
            "notify",
            "files",
            "local",
        ],
    ),
    ("identity", &["identity"]),
    ("companies", &["companies"]),
    ("ledger", &["ledger"]),
    ("deliveries", &["deliveries"]),
    ("notifications", &["reminders"]),
    ("registry", &["registry"]),
    ("platform admin", &["admin"]),
    ("data operations", &["dataops"]),
];

/// Longest file, in lines.
const MAX_LINES: usize = 1_000;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("shared/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `ledger/invoices/mod.rs` → `ledger::invoices`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

/// The unit of the layering and cycle checks: a top-level module, or a
/// module one level inside a layer folder (`ledger::invoices`,
/// `identity::otp`), with everything below it.
fn node(path: &[String], modules: &BTreeSet<Vec<String>>) -> String {
    let top = &path[..1];
    if path.len() >= 2 && modules.contains(&path[..2].to_vec()) && is_layer_folder(&path[0]) {
        path[..2].join("::")
    } else {
        top.join("::")
    }
}

fn is_layer_folder(m: &str) -> bool {
    LAYERS.iter().skip(2).any(|(_, mods)| mods.contains(&m))
}

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&top))
}

/// The source without comments.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // Keep `"…//…"` in strings: only cut at `//` outside quotes.
            Some(i) if l[..i].matches('"').count() % 2 == 0 => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file refers to: `crate::a::b`, `use crate::{a, b::c}`
/// and `super::…` (resolved from `module`).
fn references(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = vec![];
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    for (start, prefix) in text
        .match_indices("crate::")
        .chain(text.match_indices("super::"))
    {
        if start > 0 {
            let before = text[..start].chars().last().unwrap();
            if before.is_alphanumeric() || before == '_' || before == ':' && prefix == "super::" {
                continue;
            }
        }
        let mut base: Vec<String> = if prefix == "crate::" {
            vec![]
        } else {
            module[..module.len().saturating_sub(1)].to_vec()
        };
        let rest = &text[start + prefix.len()..];
        let mut rest = rest;
        // `super::super::…`
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let segs = segments(item.trim());
                if !segs.is_empty() {
                    let mut p = base.clone();
                    p.extend(segs);
                    out.push(p);
                }
            }
        } else {
            let mut p = base.clone();
            p.extend(segments(rest));
            if !p.is_empty() {
                out.push(p);
            }
        }
    }
    out
}

fn segments(s: &str) -> Vec<String> {
    let mut out = vec![];
    for seg in s.split("::") {
        let name: String = seg
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            break;
        }
        let done = name.len() != seg.len();
        out.push(name);
        if done {
            break;
        }
    }
    out
}

struct Crate {
    /// Node of each file, by path relative to `src`.
    files: BTreeMap<PathBuf, (String, String)>,
    /// Every module path that exists.
    modules: BTreeSet<Vec<String>>,
}

fn read_crate() -> Crate {
    let mut paths = vec![];
    rust_files(&src(), &mut paths);
    let mut modules = BTreeSet::new();
    let mut texts = BTreeMap::new();
    for p in paths {
        let rel = p.strip_prefix(src()).unwrap().to_path_buf();
        let m = module_of(&rel);
        if !m.is_empty() {
            modules.insert(m.clone());
        }
        texts.insert(rel, (m, std::fs::read_to_string(&p).unwrap()));
    }
    let files = texts
        .into_iter()
        .map(|(rel, (m, text))| {
            let n = if m.is_empty() {
                String::new()
            } else {
                node(&m, &modules)
            };
            (rel, (n, text))
        })
        .collect();
    Crate { files, modules }
}

/// Every `file → referenced node` edge, with the file's own node.
fn edges(c: &Crate) -> Vec<(PathBuf, String, String)> {
    let mut out = vec![];
    for (rel, (from, text)) in &c.files {
        if from.is_empty() {
            continue; // lib.rs declares the modules
        }
        let m = module_of(rel);
        for r in references(&code(text), &m) {
            if r.is_empty() || !c.modules.iter().any(|m| m[0] == r[0]) {
                continue; // an item of lib.rs (Error, Hisaab re-exports)
            }
            let to = node(&r, &c.modules);
            if &to != from {
                out.push((rel.clone(), from.clone(), to));
            }
        }
    }
    out
}

#[test]
fn every_module_belongs_to_a_layer() {
    let c = read_crate();
    for (rel, (n, _)) in &c.files {
        if n.is_empty() {
            continue;
        }
        let top = n.split("::").next().unwrap();
        assert!(
            layer_of(top).is_some(),
            "{} (module {top}) is in no layer of this test's LAYERS",
            rel.display()
        );
    }
}

#[test]
fn modules_refer_only_to_their_layer_and_the_layers_below() {
    let c = read_crate();
    let mut upward = BTreeSet::new();
    for (rel, from, to) in edges(&c) {
        let lf = layer_of(from.split("::").next().unwrap()).unwrap();
        let Some(lt) = layer_of(to.split("::").next().unwrap()) else {
            continue;
        };
        if lt > lf {
            upward.insert(format!(
                "{} ({}) refers to {to} ({})",
                rel.display(),
                LAYERS[lf].0,
                LAYERS[lt].0
            ));
        }
    }
    assert!(upward.is_empty(), "upward references:\n{upward:#?}");
}

#[test]
fn module_references_have_no_cycle() {
    let c = read_crate();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, from, to) in edges(&c) {
        graph.entry(from).or_default().insert(to);
    }
    // Every node on a cycle reaches itself.
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = graph
            .get(start)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        while let Some(n) = stack.pop() {
            if seen.insert(n.clone()) {
                stack.extend(graph.get(&n).into_iter().flatten().cloned());
            }
        }
        seen
    };
    let on_cycle: Vec<String> = graph
        .keys()
        .filter(|n| reach(n).contains(*n))
        .cloned()
        .collect();
    assert!(
        on_cycle.is_empty(),
        "modules on an import cycle: {on_cycle:?}"
    );
}

#[test]
fn no_file_is_longer_than_about_a_thousand_lines() {
    let c = read_crate();
    let long: Vec<_> = c
        .files
        .iter()
        .map(|(rel, (_, text))| (rel.display().to_string(), text.lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them along their sections): {long:?}"
    );
}

#[test]
fn indexes_are_named_only_by_the_key_templates_and_the_table_port() {
    let c = read_crate();
    let mut found = vec![];
    for (rel, (n, text)) in &c.files {
        if n == "table" || n == "keys" {
            continue;
        }
        for (i, line) in code(text).lines().enumerate() {
            if line.contains("\"GSI") || line.contains("Index::") {
                found.push(format!("{}:{}: {}", rel.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "index attributes or numbers outside keys.rs and table/:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reference_reader_sees_groups_nesting_and_super() {
    let m: Vec<String> = ["ledger", "invoices", "compute"].map(String::from).to_vec();
    let r = references(
        "use crate::{keys, table::Write};\nuse super::Invoice;\nlet x = crate::ledger::customers::present;",
        &m,
    );
    let r: Vec<String> = r.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        r,
        [
            "keys",
            "table::Write",
            "ledger::customers::present",
            "ledger::invoices::Invoice"
        ]
    );
}
