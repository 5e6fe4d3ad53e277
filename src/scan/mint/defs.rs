//! Values set before a call: `expiry = datetime.utcnow() + timedelta(days=3650)` and then
//! `generate_account_sas(…, expiry=expiry)`; `OffsetDateTime expiryTime = …;`,
//! `const expiresOn = new Date(…)`, `expiry := time.Now().Add(…)`, `$EndTime = …`,
//! `end=$(date -u -d "30 years" …)`, Bicep `var sasConfig = {…}`. A name is read as the
//! value last assigned to it before the place that names it, as text: branches, loops
//! and calls in between are not followed.
//!
//! Readers see the text from [`back_reach`] of their anchor on (the mint scan slices it
//! there), so every assignment a call depends on lies within [`super::MINT_LINE_REACH`]
//! lines and [`super::MINT_BYTE_REACH`] bytes before it: the text an editor re-scans
//! before an edit.

use std::ops::Range;

use super::syntax::{is_ident_byte, skip_string, trim_range};
use super::{MINT_BYTE_REACH, MINT_LINE_REACH};

/// How many names are followed from one value (`expiry` → `end` → `start.AddYears(1)`).
const HOPS: usize = 3;

/// Where the text a call at `at` may look back at starts: [`MINT_LINE_REACH`] lines and
/// [`MINT_BYTE_REACH`] bytes before its line (a line ends at `\n`, `\r\n` or `\r`).
pub fn back_reach(t: &[u8], at: usize) -> usize {
    let floor = at.saturating_sub(MINT_BYTE_REACH);
    let mut lines = 0;
    for p in memchr::memrchr2_iter(b'\n', b'\r', &t[floor..at]) {
        let i = floor + p;
        // `\r\n` is one break, counted at its `\n`.
        if t[i] == b'\r' && t.get(i + 1) == Some(&b'\n') {
            continue;
        }
        lines += 1;
        if lines > MINT_LINE_REACH {
            return i + 1;
        }
    }
    floor
}

/// The name `r` holds when it is nothing else: `expiry`, `$EndTime`, `${end}`, `"$end"`.
pub fn bare_name(t: &[u8], r: &Range<usize>) -> Option<Range<usize>> {
    let mut r = trim_range(t, r.clone());
    // A shell or PowerShell reference in double quotes.
    if r.len() >= 2 && t[r.start] == b'"' && t[r.end - 1] == b'"' {
        r = r.start + 1..r.end - 1;
        // `"expiry"` is a string, not a name.
        if t.get(r.start) != Some(&b'$') {
            return None;
        }
    }
    if t.get(r.start) == Some(&b'$') {
        r.start += 1;
        if t.get(r.start) == Some(&b'{') && r.len() >= 2 && t[r.end - 1] == b'}' {
            r = r.start + 1..r.end - 1;
        }
    }
    let s = t.get(r.clone())?;
    (!s.is_empty() && !s[0].is_ascii_digit() && s.iter().all(|b| is_ident_byte(*b))).then_some(r)
}

/// `r`, or the value it names when it is a bare name assigned before it (followed through
/// [`HOPS`] names). The range stays `r` when no assignment is found.
pub fn resolve(t: &[u8], r: &Range<usize>) -> Range<usize> {
    follow(t, r, |_, _| true)
}

/// Like [`resolve`], but a name whose members are used between its assignment and the
/// place that names it ([`members_used`]: `p.setWritePermission(true)`,
/// `options.expiresOn = …`) is not followed: its value may have changed there.
pub fn resolve_unchanged(t: &[u8], r: &Range<usize>) -> Range<usize> {
    follow(t, r, |name, v| !members_used(t, &t[name.clone()], v.end, name.start))
}

/// Lines that open a Python function or class: an assignment above one at no deeper
/// indentation belongs to another scope.
pub const PYTHON_SCOPES: &[&[u8]] = &[b"def ", b"async def ", b"class "];
/// Lines that open a Go function or method.
pub const GO_SCOPES: &[&[u8]] = &[b"func "];

/// [`resolve`] kept to one scope: an assignment is followed only when no line opening a
/// function (one of `scopes`, e.g. [`PYTHON_SCOPES`]) at its indentation or less lies
/// between it and the name, so a value set in another function (or at module level, then
/// named inside a function, perhaps as a parameter whose signature spans lines) stays
/// unknown; nor when the name is changed in place in between ([`changed_between`]).
pub fn resolve_in_scope(t: &[u8], r: &Range<usize>, scopes: &[&[u8]]) -> Range<usize> {
    follow(t, r, |name, v| {
        !scope_between(t, v.start, name.start, scopes) && !changed_between(t, name, v.end)
    })
}

/// Follows bare names to their assigned values while `keep(name, value)` holds.
fn follow(t: &[u8], r: &Range<usize>, keep: impl Fn(&Range<usize>, &Range<usize>) -> bool) -> Range<usize> {
    let mut r = r.clone();
    for _ in 0..HOPS {
        let Some(name) = bare_name(t, &r) else { break };
        match definition(t, &t[name.clone()], name.start) {
            Some(v) if keep(&name, &v) => r = v,
            _ => break,
        }
    }
    r
}

/// Whether `name` is used as `name.…`, `name[…]` or passed to a call
/// (`Object.assign(name, …)`, `update(name)`) between `from` and `to`: a place that may
/// change the object it holds.
pub fn members_used(t: &[u8], name: &[u8], from: usize, to: usize) -> bool {
    if name.is_empty() || from >= to {
        return false;
    }
    memchr::memmem::find_iter(&t[from..to], name).any(|p| {
        let (s, e) = (from + p, from + p + name.len());
        let whole =
            !(s > 0 && (is_ident_byte(t[s - 1]) || t[s - 1] == b'.')) && !t.get(e).is_some_and(|b| is_ident_byte(*b));
        let before = t[..s].iter().rev().find(|b| !matches!(b, b' ' | b'\t'));
        whole && (matches!(t.get(e), Some(b'.' | b'[')) || matches!(before, Some(b'(' | b',')))
    })
}

/// Whether the name at `name` is changed in place between `from` and its use:
/// `expiry += timedelta(…)`, `permissions.write = True`, `perms.Write = true`.
fn changed_between(t: &[u8], name: &Range<usize>, from: usize) -> bool {
    let n = &t[name.clone()];
    if from >= name.start {
        return false;
    }
    memchr::memmem::find_iter(&t[from..name.start], n).any(|p| {
        let (s, mut i) = (from + p, from + p + n.len());
        if s > 0 && (is_ident_byte(t[s - 1]) || t[s - 1] == b'.') || t.get(i).is_some_and(|b| is_ident_byte(*b)) {
            return false;
        }
        // `.field` (one or more) before the operator.
        while t.get(i) == Some(&b'.') {
            i += 1;
            while t.get(i).is_some_and(|b| is_ident_byte(*b)) {
                i += 1;
            }
        }
        while matches!(t.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let field = i > s + n.len() && t[s + n.len()] == b'.';
        match (t.get(i), t.get(i + 1)) {
            (Some(b'+' | b'-' | b'|' | b'*' | b'&'), Some(b'=')) => true,
            (Some(b'='), next) => field && next != Some(&b'='),
            _ => false,
        }
    })
}

/// Whether a line between `from` and `to` opens a scope at the indentation of the line
/// holding `from` or less.
fn scope_between(t: &[u8], from: usize, to: usize, scopes: &[&[u8]]) -> bool {
    let mut s = line_start(t, from);
    let depth = indent(t, s);
    while let Some(p) = memchr::memchr2(b'\n', b'\r', &t[s..to]) {
        s += p + 1;
        let n = indent(t, s);
        if n <= depth && scopes.iter().any(|k| t[s + n..].starts_with(k)) {
            return true;
        }
    }
    false
}

/// The value last assigned to `name` before `before`: `name = v`, `name := v`,
/// `$name = v`, `name=v` (shell), with declaration words or a type before the name
/// (`var`, `const`, `final OffsetDateTime`, `BlobSasBuilder`) and a type annotation after
/// it (`expiry: datetime = v`). The value runs to the statement's end (`;`, or a line
/// break outside brackets that does not continue the expression) and must end before
/// `before`. A use written `$name` or `${name}` (PowerShell, a shell) at `before` matches
/// its assignment in any case, as PowerShell reads names (`$EndTime = $startTime.AddHours(2)`
/// after `$StartTime = Get-Date`, the cmdlets' own help).
pub fn definition(t: &[u8], name: &[u8], before: usize) -> Option<Range<usize>> {
    if name.is_empty() {
        return None;
    }
    let sigil = t[..before].ends_with(b"$") || t[..before].ends_with(b"${");
    let folded;
    let (hay, name) = if sigil {
        folded = (t[..before].to_ascii_lowercase(), name.to_ascii_lowercase());
        (&folded.0[..], &folded.1[..])
    } else {
        (&t[..before], name)
    };
    let finder = memchr::memmem::FinderRev::new(name);
    let mut end = before;
    let mut tried = 0;
    while let Some(p) = finder.rfind(&hay[..end]) {
        end = p + name.len() - 1;
        let n = p..p + name.len();
        if let Some(eq) = assignment_at(t, n.clone()) {
            // An assignment whose value holds the use (`e = e + 1`) assigns after it is read.
            if let Some(v) = statement_value(t, eq, before) {
                // A parameter's default (`string permissions = "r")`, `(e = new Date()) =>`):
                // the caller may pass another.
                if t[v.end..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b')') {
                    return None;
                }
                // Assigned in a block that ends before the use (a branch, a loop): the value
                // depends on which ran.
                return (!dedents(t, n.start, v.end, before)).then_some(v);
            }
            // Each try reads at most to the use: a few keep hostile text linear.
            tried += 1;
            if tried == MAX_TRIES {
                return None;
            }
        }
        // A parameter of the function the use is in: its value comes from the caller.
        if is_parameter(t, n.clone())
            || in_signature(t, n.clone())
            || destructured(t, n.clone())
            || is_typed_parameter(t, n)
        {
            return None;
        }
        if end == 0 {
            break;
        }
    }
    None
}

/// Whether a line from after `value_end` to the one holding `before` is indented less than
/// the line holding `name_at`: the assignment is in a block that ends before the use.
fn dedents(t: &[u8], name_at: usize, value_end: usize, before: usize) -> bool {
    let own = indent(t, line_start(t, name_at));
    memchr::memchr2_iter(b'\n', b'\r', &t[value_end..before]).any(|p| {
        let line = value_end + p + 1;
        let i = indent(t, line);
        // Blank lines say nothing.
        let blank = t.get(line + i).is_none_or(|b| matches!(b, b'\n' | b'\r'));
        !blank && i < own
    })
}

/// How many assignments of a name that hold its use are passed over before giving up.
const MAX_TRIES: usize = 4;

/// Where the line holding the name at `n` starts, when the name is a whole word (not a
/// member, `x.expiry`, nor part of a longer name).
fn word_line(t: &[u8], n: &Range<usize>) -> Option<usize> {
    let part = n.start > 0 && (is_ident_byte(t[n.start - 1]) || t[n.start - 1] == b'.')
        || t.get(n.end).is_some_and(|b| is_ident_byte(*b));
    (!part).then(|| line_start(t, n.start))
}

/// How many spaces and tabs the line starting at `line` is indented by.
fn indent(t: &[u8], line: usize) -> usize {
    t[line..].iter().take_while(|b| matches!(b, b' ' | b'\t')).count()
}

/// The first `want` among the offsets `at` that no `other` before it (in that order) pairs
/// with: walking back from a name to the `(` it is inside, or on to the `)` closing it.
fn unmatched(t: &[u8], at: impl Iterator<Item = usize>, want: u8, other: u8) -> Option<usize> {
    let mut depth = 0usize;
    for i in at {
        if t[i] == other {
            depth += 1;
        } else if t[i] == want {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
        }
    }
    None
}

/// Where the line holding `at` starts (after `\n` or `\r`).
fn line_start(t: &[u8], at: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &t[..at]).map_or(0, |p| p + 1)
}

/// Whether the name at `n` is a parameter in a function's signature: a whole word on a
/// line starting `def`, `function`, `func`, `fn`, `param(`, `sub` or a method's modifiers.
fn is_parameter(t: &[u8], n: Range<usize>) -> bool {
    let Some(line) = word_line(t, &n) else {
        return false;
    };
    let head = super::syntax::trim(&t[line..n.start]);
    let head = head.strip_prefix(b"export ").unwrap_or(head);
    let head = head.strip_prefix(b"async ").unwrap_or(head);
    [
        &b"def "[..],
        b"function",
        b"func ",
        b"fn ",
        b"param(",
        b"param (",
        b"Param(",
        b"Sub ",
        b"public ",
        b"private ",
        b"protected ",
        b"internal ",
        b"static ",
    ]
    .iter()
    .any(|k| head.starts_with(k))
        && head.contains(&b'(')
}

/// Whether the name at `n` (a whole word) is declared by destructuring on its line
/// (`const { permissions, expiresOn } = options;`, `let [start, end] = range;`): its value
/// is not one the text shows.
fn destructured(t: &[u8], n: Range<usize>) -> bool {
    let Some(line) = word_line(t, &n) else {
        return false;
    };
    let head = super::syntax::trim(&t[line..n.start]);
    let head = head.strip_prefix(b"export ").unwrap_or(head);
    let Some(rest) = [&b"const"[..], b"let", b"var"]
        .iter()
        .find_map(|k| head.strip_prefix(*k))
    else {
        return false;
    };
    let rest = super::syntax::trim(rest);
    matches!(rest.first(), Some(b'{' | b'[')) && !rest.contains(&b'}') && !rest.contains(&b']')
}

/// Whether the name at `n` (a whole word) is a parameter of a signature that opens and
/// closes on its line before a body: `String blob(BlobClient c, OffsetDateTime
/// expiryTime) {` (no modifier), `async sas(client: ContainerClient, expiresOn: Date) {`,
/// `const f = (expiresOn) => {`, `…) throws IOException {`. A control statement's
/// condition (`if (expiresOn) {`) is not one.
fn in_signature(t: &[u8], n: Range<usize>) -> bool {
    let Some(line) = word_line(t, &n) else {
        return false;
    };
    let end = memchr::memchr2(b'\n', b'\r', &t[n.end..]).map_or(t.len(), |p| n.end + p);
    let rest = super::syntax::trim(&t[n.end..end]);
    if !(rest.ends_with(b"{") || memchr::memmem::find(rest, b"=>").is_some()) {
        return false;
    }
    // The `(` open at the name, and the `)` closing it, both on the line.
    let Some(open) = unmatched(t, (line..n.start).rev(), b'(', b')') else {
        return false;
    };
    let Some(close) = unmatched(t, n.end..end, b')', b'(') else {
        return false;
    };
    let head = super::syntax::trim(&t[line..open]);
    let word = head
        .iter()
        .rposition(|b| !is_ident_byte(*b))
        .map_or(head, |p| &head[p + 1..]);
    if [
        &b"if"[..],
        b"while",
        b"for",
        b"foreach",
        b"switch",
        b"elseif",
        b"with",
        b"until",
        b"return",
    ]
    .contains(&word)
    {
        return false;
    }
    let tail = super::syntax::trim(&t[close + 1..end]);
    tail.starts_with(b"=>")
        || tail.ends_with(b"{") && (tail == b"{" || tail.starts_with(b"throws ") || tail.starts_with(b":"))
}

/// Whether the name at `n` is declared with a type before it and ends a list item:
/// `DateTimeOffset expiresOn)`, `OffsetDateTime expiry,` (a parameter, also in a signature
/// over several lines or one without modifiers, a lambda's, an `out var`), PowerShell's
/// `[DateTime]$Expiry` in a `param(…)` block over several lines. Its value is not fixed by
/// the text.
fn is_typed_parameter(t: &[u8], n: Range<usize>) -> bool {
    if n.start == 0 || t.get(n.end).is_some_and(|b| is_ident_byte(*b)) {
        return false;
    }
    let mut i = n.end;
    while i < t.len() && matches!(t[i], b' ' | b'\t') {
        i += 1;
    }
    let ends_item = matches!(t.get(i), Some(b',' | b')'));
    if t[n.start - 1] == b'$' {
        let line_end = matches!(t.get(i), None | Some(b'\n' | b'\r'));
        return n.start >= 2 && t[n.start - 2] == b']' && (ends_item || line_end);
    }
    if is_ident_byte(t[n.start - 1]) || t[n.start - 1] == b'.' || !ends_item {
        return false;
    }
    let mut j = n.start;
    while j > 0 && matches!(t[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    if j == n.start || j == 0 || !(is_ident_byte(t[j - 1]) || matches!(t[j - 1], b'>' | b']' | b'?')) {
        return false;
    }
    // `return expiry, x`, `f(not expiry)`, `await expiry)`: a use, not a declaration.
    let w = t[..j].iter().rposition(|b| !is_ident_byte(*b)).map_or(0, |p| p + 1);
    !matches!(
        &t[w..j],
        b"return" | b"yield" | b"await" | b"not" | b"in" | b"and" | b"or" | b"is" | b"else" | b"ref" | b"typeof"
    )
}

/// A line's start without the prompt docs print before a command (`PS C:\\> `, `PS> `,
/// `$ `, `> `).
fn prompt_stripped(head: &[u8]) -> &[u8] {
    let trimmed = super::syntax::trim(head);
    if trimmed.starts_with(b"PS ") || trimmed.starts_with(b"PS>") {
        if let Some(p) = memchr::memchr(b'>', trimmed) {
            return &trimmed[p + 1..];
        }
    }
    let start = head
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(head.len());
    let head = &head[start..];
    head.strip_prefix(b"$ ")
        .or_else(|| head.strip_prefix(b"> "))
        .unwrap_or(head)
}

/// Where the value starts of a statement assigning the name at `n`.
fn assignment_at(t: &[u8], n: Range<usize>) -> Option<usize> {
    if t.get(n.end).is_some_and(|b| is_ident_byte(*b)) {
        return None;
    }
    // What precedes the name on its line: nothing, `$`, or declaration words and a type.
    let line = line_start(t, n.start);
    let head = prompt_stripped(&t[line..n.start]);
    let mut head = head.strip_suffix(b"$").unwrap_or(head);
    // `export NAME=…`, `local NAME=…`, `$script:Name = …`
    if let Some(h) = head.strip_suffix(b"script:").or_else(|| head.strip_suffix(b"global:")) {
        head = h.strip_suffix(b"$")?;
    }
    if head.last().is_some_and(|b| is_ident_byte(*b) || *b == b'.') {
        return None;
    }
    if !head.iter().all(|b| is_ident_byte(*b) || b" \t<>[],.?*&@".contains(b)) {
        return None;
    }
    // An annotation (`: datetime`, `: Date`) up to the `=`.
    let mut i = n.end;
    while i < t.len() && matches!(t[i], b' ' | b'\t') {
        i += 1;
    }
    if t.get(i) == Some(&b':') && t.get(i + 1) != Some(&b'=') {
        i += 1;
        while i < t.len() && (is_ident_byte(t[i]) || b" \t<>[],.?|".contains(&t[i])) {
            i += 1;
        }
    }
    // Go's `var expiry time.Time = …` has its type after the name too.
    let go_var = head.starts_with(b"var ");
    if go_var && t.get(i) != Some(&b'=') {
        while i < t.len() && (is_ident_byte(t[i]) || b" \t.*[]".contains(&t[i])) {
            i += 1;
        }
    }
    let eq = match (t.get(i), t.get(i + 1)) {
        (Some(b':'), Some(b'=')) => i + 2,
        (Some(b'='), next) if next != Some(&b'=') => i + 1,
        _ => return None,
    };
    Some(eq)
}

/// The value starting at `from` up to its statement's end, trimmed, without a trailing
/// comment; `None` when the statement does not end before `before`.
fn statement_value(t: &[u8], from: usize, before: usize) -> Option<Range<usize>> {
    let limit = (from + MINT_BYTE_REACH).min(before);
    let mut depth = 0usize;
    let mut i = from;
    while i < limit {
        match t[i] {
            b'(' | b'[' | b'{' => depth += 1,
            // A `)` closing what the statement did not open ends a parameter's default.
            b')' if depth == 0 => break,
            b')' | b']' | b'}' => depth = depth.checked_sub(1)?,
            b'"' | b'\'' | b'`' => {
                i = skip_string(t, i, limit)?;
                continue;
            }
            b';' if depth == 0 => break,
            b'#' if depth == 0 && i > from && t[i - 1].is_ascii_whitespace() => break,
            b'/' if depth == 0 && t.get(i + 1) == Some(&b'/') => break,
            b'\n' | b'\r' if depth == 0 && !continues(t, from, i, limit) => break,
            _ => {}
        }
        i += 1;
    }
    (i < limit).then(|| trim_range(t, from..i))
}

/// Whether the expression goes on past the line break at `i`: the line ends in an
/// operator or a continuation, or the next line starts with `.` (a chained call).
fn continues(t: &[u8], from: usize, i: usize, limit: usize) -> bool {
    let line = &t[from..i];
    let Some(l) = line.iter().rposition(|b| !matches!(b, b' ' | b'\t')) else {
        // `name =` and the value on the next line.
        return true;
    };
    // A PowerShell backtick continues only after a space (a shell's closing one ends).
    if b"+-*/,.(=|&\\".contains(&line[l]) || (line[l] == b'`' && l > 0 && matches!(line[l - 1], b' ' | b'\t')) {
        return true;
    }
    let next = t[i..limit].iter().find(|b| !b.is_ascii_whitespace());
    next == Some(&b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_of(t: &str, name: &str) -> Option<String> {
        let before = t.rfind(name).unwrap();
        definition(t.as_bytes(), name.as_bytes(), before).map(|r| t[r].to_string())
    }

    #[test]
    fn reads_assignments_in_each_language() {
        let cases = [
            (
                "expiry = now() + timedelta(days=1)  # one day\nf(expiry)",
                "expiry",
                "now() + timedelta(days=1)",
            ),
            ("expiry: datetime = x\nf(expiry)", "expiry", "x"),
            (
                "const expiresOn = new Date(\n  Date.now() + 5);\nf(expiresOn)",
                "expiresOn",
                "new Date(\n  Date.now() + 5)",
            ),
            (
                "OffsetDateTime t = OffsetDateTime.now()\n    .plusYears(30);\nf(t)",
                "t",
                "OffsetDateTime.now()\n    .plusYears(30)",
            ),
            (
                "var e = DateTimeOffset.UtcNow.AddYears(1); f(e)",
                "e",
                "DateTimeOffset.UtcNow.AddYears(1)",
            ),
            (
                "\texpiry := time.Now().Add(48 * time.Hour)\n\tf(expiry)",
                "expiry",
                "time.Now().Add(48 * time.Hour)",
            ),
            ("var expiry time.Time = y\nf(expiry)", "expiry", "y"),
            (
                "$EndTime = $StartTime.AddYears(10)\nf $EndTime",
                "EndTime",
                "$StartTime.AddYears(10)",
            ),
            (
                "end=`date -u -d \"5 years\"`\naz --expiry $end",
                "end",
                "`date -u -d \"5 years\"`",
            ),
            (
                "export E=$(date -d '+1 year')\naz --expiry $E",
                "E",
                "$(date -d '+1 year')",
            ),
            (
                "var cfg = {\n  a: 'b'\n}\nlistAccountSas(x, cfg)",
                "cfg",
                "{\n  a: 'b'\n}",
            ),
            // Docs print a prompt before each command.
            (
                "PS C:\\> $end = (Get-Date).AddMonths(1)\nPS C:\\> f $end",
                "end",
                "(Get-Date).AddMonths(1)",
            ),
            (
                "$ end=$(date -d '+1 year')\n$ az --expiry $end",
                "end",
                "$(date -d '+1 year')",
            ),
        ];
        for (text, name, want) in cases {
            assert_eq!(value_of(text, name).as_deref(), Some(want), "{text:?}");
        }
    }

    #[test]
    fn not_assignments() {
        for (text, name) in [
            ("if expiry == x:\nf(expiry)", "expiry"),
            ("f(expiry=3)\ng(expiry)", "expiry"),
            ("self.expiry = 3\nf(expiry)", "expiry"),
            ("my_expiry = 3\nf(expiry)", "expiry"),
            ("f(expiry)\nexpiry = 3", "expiry"),
            // A parameter stops the search: the value comes from the caller.
            ("expiry = 3\ndef g(a, expiry):\n    f(expiry)", "expiry"),
            ("expiry = 3\nfunction g(expiry) {\n  f(expiry)", "expiry"),
            (
                "var expiry = 3;\npublic string G(DateTimeOffset expiry) {\n f(expiry)",
                "expiry",
            ),
            // Without modifiers, over several lines, in a PowerShell `param` block.
            ("var e = 3;\nstring G(BlobClient c, DateTimeOffset e) {\n f(e)", "e"),
            (
                "var e = 3;\npublic Uri G(\n    BlobClient c,\n    DateTimeOffset e)\n{\n f(e)",
                "e",
            ),
            (
                "$E = 3\nfunction G {\n  param(\n    [string]$N,\n    [DateTime]$E\n  )\n  f $E",
                "E",
            ),
            ("var e = 3;\nif (TryGet(out var e)) f(e)", "e"),
            (
                "var e = 3;\npublic Uri G(\n    BlobClient c,\n    string e = \"r\")\n{\n f(e)",
                "e",
            ),
        ] {
            assert_eq!(value_of(text, name), None, "{text:?}");
        }
    }

    #[test]
    fn a_parameter_of_a_signature_on_its_line_stops_the_search() {
        for (text, name) in [
            (
                "OffsetDateTime t = x;\nString blob(BlobClient c, OffsetDateTime t) {\n f(t)",
                "t",
            ),
            (
                "const e = x;\n  async sas(client: C, e: Date): Promise<string> {\n f(e)",
                "e",
            ),
            ("const e = x;\nconst g = (a, e) => {\n f(e)", "e"),
            ("T e = x;\nvoid g(T e) throws IOException {\n f(e)", "e"),
            // Declared by destructuring: not the earlier assignment either.
            ("const e = x;\nconst { a, e } = options;\n f(e)", "e"),
        ] {
            assert_eq!(value_of(text, name), None, "{text:?}");
        }
        // A condition is not a signature.
        assert_eq!(value_of("e = 1;\nif (e) {\n f(e)", "e").as_deref(), Some("1"));
    }

    #[test]
    fn a_value_whose_members_are_used_is_not_followed() {
        let t = "p = new P();\np.setWrite(true);\nf(p)";
        let at = t.rfind('p').unwrap();
        assert_eq!(resolve_unchanged(t.as_bytes(), &(at..at + 1)), at..at + 1);
        assert_eq!(&t[resolve(t.as_bytes(), &(at..at + 1))], "new P()");
        let t = "o = { a: 1 };\nObject.assign(o, b);\nf(o)";
        let at = t.rfind('o').unwrap();
        assert_eq!(resolve_unchanged(t.as_bytes(), &(at..at + 1)), at..at + 1);
        let t = "o = { a: 1 };\nlog(other);\nf(o)";
        let at = t.rfind('o').unwrap();
        assert_eq!(&t[resolve_unchanged(t.as_bytes(), &(at..at + 1))], "{ a: 1 }");
    }

    #[test]
    fn uses_after_a_word_are_not_parameters() {
        let t = "e = now()\nlog(not e, return e)\nf(e)";
        assert_eq!(value_of(t, "e").as_deref(), Some("now()"));
    }

    #[test]
    fn powershell_names_match_in_any_case() {
        let t = "$StartTime = Get-Date\n$EndTime = $startTime.AddHours(2.0)";
        let at = t.rfind("startTime").unwrap();
        let r = definition(t.as_bytes(), b"startTime", at).unwrap();
        assert_eq!(&t[r], "Get-Date");
        // Names without a sigil keep their case.
        let t = "Expiry = 1\nf(expiry)";
        assert_eq!(definition(t.as_bytes(), b"expiry", t.rfind("expiry").unwrap()), None);
    }

    #[test]
    fn the_last_assignment_before_the_use_wins() {
        let t = "e = 1\ne = 2\nf(e)\ne = 3";
        let at = t.find("f(e)").unwrap() + 2;
        let r = definition(t.as_bytes(), b"e", at).unwrap();
        assert_eq!(&t[r], "2");
        // A value naming itself reads the one before.
        let t = "e = now()\ne = e + delta\nf(e)";
        let inner = t.find("e + delta").unwrap();
        assert_eq!(&t[definition(t.as_bytes(), b"e", inner).unwrap()], "now()");
    }

    #[test]
    fn a_value_assigned_in_a_block_that_ended_is_unknown() {
        let t = "if long:\n    e = 3650\nelse:\n    e = 1\nf(e)";
        assert_eq!(value_of(t, "e"), None);
        let t = "if (x) {\n  end=$(date -d '+1 year')\n}\naz --expiry $end";
        assert_eq!(value_of(t, "end"), None);
        // Deeper lines between, and blank ones, do not end the block.
        let t = "    e = 3650\n\n    g(\n        e,\n    )\n    f(e)";
        assert_eq!(value_of(t, "e").as_deref(), Some("3650"));
    }

    #[test]
    fn unended_values_are_passed_over_a_few_times() {
        // An unclosed bracket runs to the use: not a value assigned before it.
        assert_eq!(value_of("e = 1\ne = (\nf(e)", "e").as_deref(), Some("1"));
        // Past a few such tries, nothing: hostile text costs a bounded read per use.
        let t = format!("e = 1\n{}f(e)", "e = (\n".repeat(MAX_TRIES));
        assert_eq!(value_of(&t, "e"), None);
    }

    #[test]
    fn resolves_through_names() {
        let t = "a = now()\nb = a\nc = \"$b\"\nf(c)";
        let at = t.rfind('c').unwrap();
        assert_eq!(&t[resolve(t.as_bytes(), &(at..at + 1))], "now()");
        let t = "f(c)";
        assert_eq!(resolve(t.as_bytes(), &(2..3)), 2..3);
    }

    #[test]
    fn resolves_within_one_scope() {
        let at = |t: &str| {
            let p = t.rfind("f(e)").unwrap() + 2;
            let r = resolve_in_scope(t.as_bytes(), &(p..p + 1), PYTHON_SCOPES);
            t[r].to_string()
        };
        assert_eq!(at("def g():\n    e = now()\n    if x:\n        f(e)"), "now()");
        assert_eq!(at("def g():\n    e = now()\n    def h():\n        f(e)"), "e");
        assert_eq!(at("def g():\n    e = now()\n\ndef h(\n    e,\n):\n    f(e)"), "e");
        assert_eq!(at("e = now()\nclass C:\n    def h(self):\n        f(e)"), "e");
        assert_eq!(at("e = now()\nf(e)"), "now()");
        // Changed in place after its assignment: not the value assigned.
        assert_eq!(at("e = now() + d\ne += timedelta(days=3650)\nf(e)"), "e");
        assert_eq!(at("e = P(read=True)\ne.write = True\nf(e)"), "e");
        assert_eq!(at("e = P(read=True)\nif e.write == True:\n    f(e)"), "P(read=True)");
        let t = "func a() {\n\te := 1\n}\nfunc b() {\n\tf(e)";
        let p = t.rfind("f(e)").unwrap() + 2;
        assert_eq!(resolve_in_scope(t.as_bytes(), &(p..p + 1), GO_SCOPES), p..p + 1);
    }

    #[test]
    fn back_reach_counts_lines_and_bytes() {
        let t = "x\n".repeat(100);
        let at = t.len();
        let floor = back_reach(t.as_bytes(), at);
        assert_eq!(t[floor..at].matches('\n').count(), MINT_LINE_REACH);
        let t = "x\r\n".repeat(100);
        let floor = back_reach(t.as_bytes(), t.len());
        assert_eq!(t[floor..].matches('\n').count(), MINT_LINE_REACH);
        let long = "y".repeat(5000);
        assert_eq!(back_reach(long.as_bytes(), 5000), 5000 - MINT_BYTE_REACH);
    }
}
