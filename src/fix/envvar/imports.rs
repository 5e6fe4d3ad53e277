//! The imports a lookup needs: Python's `import os` (after the docstring and any
//! `from __future__ import …`), Go's `"os"`; whether C# has `using System;`.

use crate::fix::Edit;

/// Whether a top-level `import` statement binds `os`.
pub fn python_imports_os(text: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix("import ").is_some_and(|names| {
            names
                .split(',')
                .map(str::trim)
                .any(|n| n == "os" || n.starts_with("os.") && !n.contains(" as "))
        })
    })
}

/// Before the first top-level import other than `from __future__`, else after the header:
/// shebang, encoding line, comments, module docstring and `from __future__` imports.
pub fn python_import_at(text: &str) -> usize {
    let mut offset = 0;
    let mut after_header = 0;
    let mut in_doc: Option<&str> = None;
    let mut in_future = false;
    let mut seen_doc = false;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        let trimmed = line.trim_end();
        offset = end;
        if let Some(q) = in_doc {
            if trimmed.contains(q) {
                in_doc = None;
                after_header = end;
            }
            continue;
        }
        if in_future {
            if trimmed.contains(')') {
                in_future = false;
                after_header = end;
            }
            continue;
        }
        if trimmed.trim_start().is_empty() || trimmed.starts_with('#') {
            if trimmed.starts_with("#!") || trimmed.starts_with("# -*-") || trimmed.starts_with("# coding") {
                after_header = after_header.max(end);
            }
            continue;
        }
        if trimmed.starts_with("from __future__ import") {
            after_header = end;
            in_future = trimmed.contains('(') && !trimmed.contains(')');
            continue;
        }
        let doc = trimmed.trim_start_matches(['r', 'R', 'u', 'U']);
        if !seen_doc && (doc.starts_with("\"\"\"") || doc.starts_with("'''")) {
            seen_doc = true;
            let q = &doc[..3];
            if doc.len() >= 6 && doc[3..].contains(q) {
                after_header = end;
            } else {
                in_doc = Some(q);
            }
            continue;
        }
        if !seen_doc && (doc.starts_with('"') || doc.starts_with('\'')) {
            // A one-line docstring in single quotes.
            seen_doc = true;
            after_header = end;
            continue;
        }
        if trimmed.starts_with("import ") || trimmed.starts_with("from ") {
            return end - line.len();
        }
        break;
    }
    after_header
}

pub fn go_import(text: &str) -> Option<Edit> {
    let imported = text.lines().any(|l| {
        let l = l.trim();
        l == "\"os\"" || l == "import \"os\"" || l.ends_with(" \"os\"")
    });
    if imported {
        return None;
    }
    let mut offset = 0;
    let mut package_end = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed == "import (" {
            let at = offset + line.len();
            return Some(Edit {
                range: at..at,
                text: "\t\"os\"\n".into(),
            });
        }
        if trimmed.starts_with("import ") {
            return Some(Edit {
                range: offset..offset,
                text: "import \"os\"\n".into(),
            });
        }
        if trimmed.starts_with("package ") && package_end.is_none() {
            package_end = Some(offset + line.len());
        }
        offset += line.len();
    }
    let at = package_end.unwrap_or(0);
    Some(Edit {
        range: at..at,
        text: "\nimport \"os\"\n".into(),
    })
}

/// Whether a C# file has `using System;` (or `global using System;`).
pub fn csharp_uses_system(t: &[u8]) -> bool {
    String::from_utf8_lossy(t).lines().any(|l| {
        let l = l.trim();
        let l = l.strip_prefix("global ").unwrap_or(l);
        l == "using System;"
    })
}
