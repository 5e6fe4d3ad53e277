//! "Move to environment variable" per language: the exact edited source, that it still
//! parses where a parser is at hand (Python, Node, javac, rustc, go, bash, PyYAML), that the
//! program prints the same value when run with the variable set from the `.env` written,
//! the cases where it is not offered (with why), the `.env` text, names and collisions.

mod common;

use std::path::Path;
use std::process::Command;

use common::{key32, key64, pct, sig};
use sasguard::fix::apply;
use sasguard::fix::envvar::{append_line, plan};
use sasguard::scan::scan;

fn fill(s: &str) -> String {
    s.replace("{sig}", &pct(&sig(21)))
        .replace("{key64}", &key64(22))
        .replace("{key32}", &key32(23))
}

/// `s` with every synthetic secret of these tests masked, fit for a failure message.
fn mask(s: &str) -> String {
    s.replace(&pct(&sig(21)), "<sig>")
        .replace(&sig(21), "<sig>")
        .replace(&key64(22), "<key64>")
        .replace(&key32(23), "<key32>")
}

const Q: &str = "sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&spr=https&sig={sig}";

/// Runs the move on the first token of `source`; returns the new source and the .env text.
fn moved_bytes(lang: &str, source: &str, env: &[u8]) -> (String, Vec<u8>) {
    let source = fill(source);
    let tokens = scan(source.as_bytes());
    assert!(!tokens.is_empty(), "no token in {}", mask(&source));
    let p = plan(source.as_bytes(), &tokens[0], lang, env).unwrap_or_else(|e| panic!("{lang}: {e}"));
    let new_env = match &p.env_append {
        Some(line) => append_line(env, line),
        None => env.to_vec(),
    };
    (apply(&source, &p.source), new_env)
}

fn moved(lang: &str, source: &str, env: &str) -> (String, String) {
    let (src, env) = moved_bytes(lang, source, env.as_bytes());
    (src, String::from_utf8(env).unwrap())
}

/// Why the move is refused for the first token of `source` (it must be).
fn refused(lang: &str, source: &str) -> String {
    let source = fill(source);
    let tokens = scan(source.as_bytes());
    assert!(!tokens.is_empty(), "no token in {}", mask(&source));
    match plan(source.as_bytes(), &tokens[0], lang, b"") {
        Ok(p) => panic!("{lang}: offered, should not be:\n{}", mask(&apply(&source, &p.source))),
        Err(reason) => {
            assert!(!reason.contains(&pct(&sig(21))), "the reason holds the secret");
            reason
        }
    }
}

fn run_in(dir: &Path, cmd: &[&str], env_file: bool) -> (bool, String, String) {
    let mut c = Command::new("bash");
    // The variables come from the .env file as a shell sources it (single quotes literal).
    let script = if env_file {
        "set -a; . ./.env; set +a; exec \"$@\""
    } else {
        "exec \"$@\""
    };
    c.arg("-c")
        .arg(script)
        .arg("run")
        .args(cmd)
        .current_dir(dir)
        .env("ESBUILD", esbuild());
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("{} is needed for this test: {e}", cmd[0]));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The VS Code extension's esbuild (`npm ci` in editors/vscode installs it).
fn esbuild() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode/node_modules/.bin/esbuild")
}

/// Runs `before` and `after` (the moved program, with its `.env`) the same way and checks
/// they print the same, non-empty output.
fn same_output(file: &str, cmd: &[&str], before: &str, after: &str, env: &str) {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    std::fs::write(a.path().join(file), before).unwrap();
    std::fs::write(b.path().join(file), after).unwrap();
    std::fs::write(b.path().join(".env"), env).unwrap();
    let (ok_a, out_a, err_a) = run_in(a.path(), cmd, false);
    assert!(
        ok_a,
        "the original does not run ({cmd:?}):\n{}\n{}",
        mask(before),
        mask(&err_a)
    );
    let (ok_b, out_b, err_b) = run_in(b.path(), cmd, true);
    assert!(
        ok_b,
        "the moved program does not run ({cmd:?}):\n{}\n{}",
        mask(after),
        mask(&err_b)
    );
    assert!(!out_a.trim().is_empty(), "the original prints nothing");
    assert!(
        out_a == out_b,
        "different output ({cmd:?}):\nbefore: {}\nafter:  {}\nprogram:\n{}",
        mask(&out_a),
        mask(&out_b),
        mask(after)
    );
}

fn parses(cmd: &str, args: &[&str], file: &str, text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, text).unwrap();
    let out = Command::new(cmd)
        .args(args)
        .arg(&path)
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test: {e}"));
    assert!(
        out.status.success(),
        "{cmd} rejects:\n{}\n{}",
        mask(text),
        mask(&String::from_utf8_lossy(&out.stderr))
    );
}

/// A language the table runs: how to run a file of it.
#[derive(Clone, Copy)]
enum Run {
    Python,
    Node,
    Java,
    Rust,
    Go,
    CSharp,
    /// JSX or TSX, compiled by esbuild (the VS Code extension's), run by Node.
    Jsx,
    Tsx,
    Bash,
    /// Docker Compose's reading: PyYAML, then `${NAME}` substituted from the environment.
    Compose,
}

impl Run {
    fn file(self) -> &'static str {
        match self {
            Run::Python => "p.py",
            Run::Node => "n.js",
            Run::Java => "A.java",
            Run::Rust => "main.rs",
            Run::Go => "main.go",
            Run::CSharp => "A.cs",
            Run::Jsx => "a.jsx",
            Run::Tsx => "a.tsx",
            Run::Bash => "s.sh",
            Run::Compose => "c.yml",
        }
    }
    fn cmd(self) -> Vec<&'static str> {
        match self {
            Run::Python => vec!["python3", "p.py"],
            Run::Node => vec!["node", "n.js"],
            Run::Java => vec!["java", "A.java"],
            Run::Rust => vec!["sh", "-c", "rustc --edition 2021 -o prog main.rs && ./prog"],
            Run::Go => vec!["sh", "-c", "go build -o prog main.go && ./prog"],
            Run::CSharp => vec!["sh", "-c", "mcs -out:a.exe A.cs 1>&2 && mono a.exe"],
            Run::Jsx => vec![
                "sh",
                "-c",
                "\"$ESBUILD\" --log-level=error --format=cjs --jsx=transform a.jsx > out.js && node out.js",
            ],
            Run::Tsx => vec![
                "sh",
                "-c",
                "\"$ESBUILD\" --log-level=error --format=cjs --jsx=transform a.tsx > out.js && node out.js",
            ],
            Run::Bash => vec!["bash", "s.sh"],
            Run::Compose => vec![
                "python3",
                "-c",
                "import json, os, re, yaml\nd = yaml.safe_load(open('c.yml'))\nsub = lambda v: re.sub(r'\\$\\{(\\w+)\\}', lambda m: os.environ[m.group(1)], v) if isinstance(v, str) else ({k: sub(x) for k, x in v.items()} if isinstance(v, dict) else ([sub(x) for x in v] if isinstance(v, list) else v))\nprint(json.dumps(sub(d), sort_keys=True))",
            ],
        }
    }
}

/// The table: language id, how to run, source; each moved, parsed, run and compared.
const RUNS: &[(&str, Run, &str, Option<&str>)] = &[
    // `import os` after the docstring and `from __future__` (which must come first).
    (
        "python",
        Run::Python,
        "\"\"\"Models.\"\"\"\nfrom __future__ import annotations\nimport sys\nMODEL_SAS = \"?{Q}\"\nprint(MODEL_SAS, file=sys.stdout)\n",
        Some("\"\"\"Models.\"\"\"\nfrom __future__ import annotations\nimport os\nimport sys\nMODEL_SAS = os.environ[\"MODEL_SAS\"]\nprint(MODEL_SAS, file=sys.stdout)\n"),
    ),
    (
        "python",
        Run::Python,
        "from __future__ import annotations\n\nMODEL_SAS = \"?{Q}\"\nprint(MODEL_SAS)\n",
        Some("from __future__ import annotations\nimport os\n\nMODEL_SAS = os.environ[\"MODEL_SAS\"]\nprint(MODEL_SAS)\n"),
    ),
    // Triple quotes, whole and partial.
    ("python", Run::Python, "import os\nSAS = \"\"\"{Q}\"\"\"\nprint(SAS)\n", Some("import os\nSAS = os.environ[\"SAS\"]\nprint(SAS)\n")),
    (
        "python",
        Run::Python,
        "import os\nURL = '''https://acct.blob.core.windows.net/c?{Q}'''\nprint(URL)\n",
        Some("import os\nURL = '''https://acct.blob.core.windows.net/c?''' + os.environ[\"AZURE_STORAGE_ACCT_SAS\"]\nprint(URL)\n"),
    ),
    // An apostrophe inside double quotes.
    (
        "python",
        Run::Python,
        "import os\nMSG = \"don't share https://acct.blob.core.windows.net/c?{Q}\"\nprint(MSG)\n",
        Some("import os\nMSG = \"don't share https://acct.blob.core.windows.net/c?\" + os.environ[\"MSG\"]\nprint(MSG)\n"),
    ),
    // An f-string: both remaining parts keep their `f`.
    (
        "python",
        Run::Python,
        "import os\nwho = 'ops'\nc = 'models'\nMSG = f\"https://acct.blob.core.windows.net/{c}?{Q} for {who}\"\nprint(MSG)\n",
        Some("import os\nwho = 'ops'\nc = 'models'\nMSG = f\"https://acct.blob.core.windows.net/{c}\" + os.environ[\"MSG\"] + f\" for {who}\"\nprint(MSG)\n"),
    ),
    // Adjacent literals joined by Python itself.
    (
        "python",
        Run::Python,
        "import os\nURL = (\"https://acct.blob.core.windows.net/c\"\n       \"?{Q}\")\nprint(URL)\n",
        Some("import os\nURL = (\"https://acct.blob.core.windows.net/c\"\n       \"?\" + os.environ[\"AZURE_STORAGE_ACCT_SAS\"])\nprint(URL)\n"),
    ),
    (
        "python",
        Run::Python,
        "import os\nSAS = (\"?{Q}\"\n       \"&x=1\")\nprint(SAS)\n",
        Some("import os\nSAS = (os.environ[\"SAS\"] +\n       \"&x=1\")\nprint(SAS)\n"),
    ),
    (
        "python",
        Run::Python,
        "import os\nwho = 'ops'\nURL = f\"https://acct.blob.core.windows.net/c?{Q}&for={who}\"\nprint(URL)\n",
        Some("import os\nwho = 'ops'\nURL = f\"https://acct.blob.core.windows.net/c?\" + os.environ[\"AZURE_STORAGE_ACCT_SAS\"] + f\"{who}\"\nprint(URL)\n"),
    ),
    // A token written in several literals of one expression moves whole.
    (
        "python",
        Run::Python,
        "import os\nURL = (\"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&\"\n       \"sp=rwdl&se=2030-01-01&spr=https&sig={sig}\")\nprint(URL)\n",
        Some("import os\nURL = (\"https://acct.blob.core.windows.net/c?\" + os.environ[\"AZURE_STORAGE_ACCT_SAS\"])\nprint(URL)\n"),
    ),
    (
        "javascript",
        Run::Node,
        "const url = 'https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&' +\n  'sp=rwdl&se=2030-01-01&' + 'spr=https&sig={sig}';\nconsole.log(url);\n",
        Some("const url = 'https://acct.blob.core.windows.net/c?' + process.env.AZURE_STORAGE_ACCT_SAS;\nconsole.log(url);\n"),
    ),
    // An operator or method that took the whole literal takes the whole sum.
    (
        "python",
        Run::Python,
        "import os\nhost = 'acct'\nURL = \"https://{}.blob.core.windows.net/c?{Q}\".format(host)\nprint(URL)\n",
        Some("import os\nhost = 'acct'\nURL = (\"https://{}.blob.core.windows.net/c\" + os.environ[\"AZURE_STORAGE_SAS\"]).format(host)\nprint(URL)\n"),
    ),
    (
        "javascript",
        Run::Node,
        "const u = \"https://acct.blob.core.windows.net/C?{Q}\".replace('/C?', '/c?');\nconsole.log(u);\n",
        None,
    ),
    // A name that would shadow a well-known variable gets a suffix.
    ("python", Run::Python, "import os\npath = \"?{Q}\"\nprint(path)\n", Some("import os\npath = os.environ[\"PATH_SAS\"]\nprint(path)\n")),
    ("python", Run::Python, "import os\nhome = \"?{Q}\"\nprint(home)\n", Some("import os\nhome = os.environ[\"HOME_SAS\"]\nprint(home)\n")),
    // JavaScript: a template literal keeps its `${y}`.
    (
        "javascript",
        Run::Node,
        "const y = 'models';\nconst u = `https://acct.blob.core.windows.net/${y}?{Q}`;\nconsole.log(u);\n",
        Some("const y = 'models';\nconst u = `https://acct.blob.core.windows.net/${y}${process.env.U}`;\nconsole.log(u);\n"),
    ),
    (
        "javascript",
        Run::Node,
        "const v = '2020-08-04';\nconst u = `https://acct.blob.core.windows.net/c?sv=${v}&ss=b&srt=sco&sp=rwdl&se=2030-01-01&spr=https&sig={sig}`;\nconsole.log(u);\n",
        None,
    ),
    (
        "javascript",
        Run::Node,
        "const user = \"https://acct.blob.core.windows.net/c?{Q}\";\nconsole.log(user);\n",
        Some("const user = \"https://acct.blob.core.windows.net/c?\" + process.env.USER_SAS;\nconsole.log(user);\n"),
    ),
    (
        "java",
        Run::Java,
        "public class A {\n    private static final String BLOB_SAS = \"{Q}\";\n    public static void main(String[] a) { System.out.println(BLOB_SAS); }\n}\n",
        Some("public class A {\n    private static final String BLOB_SAS = System.getenv(\"BLOB_SAS\");\n    public static void main(String[] a) { System.out.println(BLOB_SAS); }\n}\n"),
    ),
    // JSX attribute values become expression containers; TSX keeps its `!`.
    (
        "javascriptreact",
        Run::Jsx,
        "const React = { createElement: (tag, props) => props.href };\nconst L = () => <a href=\"https://acct.blob.core.windows.net/c?{Q}\">x</a>;\nconsole.log(L());\n",
        Some("const React = { createElement: (tag, props) => props.href };\nconst L = () => <a href={\"https://acct.blob.core.windows.net/c?\" + process.env.HREF}>x</a>;\nconsole.log(L());\n"),
    ),
    (
        "javascript",
        Run::Jsx,
        "const React = { createElement: (tag, props) => props.href };\nconst L = () => (\n  <a\n    className=\"x\"\n    href=\"?{Q}\"\n  >x</a>\n);\nconsole.log(L());\n",
        Some("const React = { createElement: (tag, props) => props.href };\nconst L = () => (\n  <a\n    className=\"x\"\n    href={process.env.HREF}\n  >x</a>\n);\nconsole.log(L());\n"),
    ),
    (
        "typescriptreact",
        Run::Tsx,
        "const who: string = 'ops';\nexport const blob: string = `https://acct.blob.core.windows.net/c?{Q}&for=${who}`;\nconsole.log(blob);\n",
        Some("const who: string = 'ops';\nexport const blob: string = `https://acct.blob.core.windows.net/c?${process.env.BLOB!}&for=${who}`;\nconsole.log(blob);\n"),
    ),
    // Rust raw strings, whole and partial.
    (
        "rust",
        Run::Rust,
        "fn main() {\n    let sas = r#\"{Q}\"#;\n    println!(\"{}\", sas);\n}\n",
        Some("fn main() {\n    let sas = &std::env::var(\"SAS\").expect(\"SAS is not set\");\n    println!(\"{}\", sas);\n}\n"),
    ),
    (
        "rust",
        Run::Rust,
        "fn main() {\n    let blob = r#\"https://acct.blob.core.windows.net/c?{Q}\"#;\n    println!(\"{}\", blob);\n}\n",
        Some("fn main() {\n    let blob = &format!(r#\"https://acct.blob.core.windows.net/c?{}\"#, std::env::var(\"BLOB\").expect(\"BLOB is not set\"));\n    println!(\"{}\", blob);\n}\n"),
    ),
    // Go: a package-level const becomes a var, "os" joins the imports.
    (
        "go",
        Run::Go,
        "package main\n\nimport (\n\t\"fmt\"\n)\n\nconst blobURL = \"https://acct.blob.core.windows.net/c?{Q}\"\n\nfunc main() { fmt.Println(blobURL) }\n",
        Some("package main\n\nimport (\n\t\"os\"\n\t\"fmt\"\n)\n\nvar blobURL = \"https://acct.blob.core.windows.net/c?\" + os.Getenv(\"BLOB_URL\")\n\nfunc main() { fmt.Println(blobURL) }\n"),
    ),
    (
        "go",
        Run::Go,
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tsas := `?{Q}`\n\tfmt.Println(sas)\n}\n",
        Some("package main\n\nimport \"os\"\nimport \"fmt\"\n\nfunc main() {\n\tsas := os.Getenv(\"SAS\")\n\tfmt.Println(sas)\n}\n"),
    ),
    (
        "go",
        Run::Go,
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"https://acct.blob.core.windows.net/c?{Q}\")\n}\n",
        None,
    ),
    // C#: a field const becomes static readonly, a local one a plain local; `System.` where
    // the file has no `using System;`.
    (
        "csharp",
        Run::CSharp,
        "class Q {\n    const string Connection = \"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key32}\";\n    static void Main() { System.Console.WriteLine(Connection); }\n}\n",
        Some("class Q {\n    static readonly string Connection = System.Environment.GetEnvironmentVariable(\"CONNECTION\");\n    static void Main() { System.Console.WriteLine(Connection); }\n}\n"),
    ),
    (
        "csharp",
        Run::CSharp,
        "using System;\nclass Q {\n    static void Main() {\n        const string sas = @\"?{Q}\";\n        var who = \"ops\";\n        Console.WriteLine(sas);\n        Console.WriteLine($\"https://acct.blob.core.windows.net/c?{Q} for {who}\");\n    }\n}\n",
        Some("using System;\nclass Q {\n    static void Main() {\n        string sas = Environment.GetEnvironmentVariable(\"SAS\");\n        var who = \"ops\";\n        Console.WriteLine(sas);\n        Console.WriteLine($\"https://acct.blob.core.windows.net/c?{Q} for {who}\");\n    }\n}\n"),
    ),
    (
        "csharp",
        Run::CSharp,
        "using System;\nclass Q {\n    static void Main() {\n        var who = \"ops\";\n        Console.WriteLine($\"https://acct.blob.core.windows.net/c?{Q} for {who}\");\n    }\n}\n",
        Some("using System;\nclass Q {\n    static void Main() {\n        var who = \"ops\";\n        Console.WriteLine($\"https://acct.blob.core.windows.net/c?{Environment.GetEnvironmentVariable(\"AZURE_STORAGE_ACCT_SAS\")} for {who}\");\n    }\n}\n"),
    ),
    // Shell: an expanding heredoc gets the variable without quotes.
    (
        "shellscript",
        Run::Bash,
        "cat <<EOF\nurl: https://acct.blob.core.windows.net/c?{Q}\nEOF\n",
        Some("cat <<EOF\nurl: https://acct.blob.core.windows.net/c?${AZURE_STORAGE_ACCT_SAS}\nEOF\n"),
    ),
    // An apostrophe in an earlier heredoc's body opens no string.
    (
        "shellscript",
        Run::Bash,
        "cat <<EOF\nDon't paste it\nEOF\necho \"https://acct.blob.core.windows.net/c?{Q}\" 'it'\\''s'\n",
        Some("cat <<EOF\nDon't paste it\nEOF\necho \"https://acct.blob.core.windows.net/c?${AZURE_STORAGE_ACCT_SAS}\" 'it'\\''s'\n"),
    ),
    (
        "shellscript",
        Run::Bash,
        "echo \"https://contosodrops.blob.core.windows.net/drops?{Q}\"\n",
        Some("echo \"https://contosodrops.blob.core.windows.net/drops?${AZURE_STORAGE_CONTOSODROPS_SAS}\"\n"),
    ),
    // YAML: a quoted value inside a flow mapping.
    (
        "yaml",
        Run::Compose,
        "services:\n  app:\n    environment: {blob: \"https://acct.blob.core.windows.net/c?{Q}\", n: 1}\n",
        Some("services:\n  app:\n    environment: {blob: \"https://acct.blob.core.windows.net/c?${BLOB}\", n: 1}\n"),
    ),
];

#[test]
fn every_offered_move_parses_and_prints_the_same_value() {
    let failed: Vec<usize> = (0..RUNS.len())
        .filter(|&i| std::panic::catch_unwind(|| run_case(i)).is_err())
        .collect();
    assert!(failed.is_empty(), "cases {failed:?} fail (see above)");
}

fn run_case(i: usize) {
    let (lang, run, source, expected) = RUNS[i];
    {
        let source = fill(&source.replace("{Q}", Q));
        let (src, env) = moved(lang, &source, "");
        if let Some(expected) = expected {
            let expected = fill(&expected.replace("{Q}", Q));
            assert!(
                src == expected,
                "case {i} ({lang}):\n{}\nexpected:\n{}",
                mask(&src),
                mask(&expected)
            );
        }
        let value_line = env.lines().next().unwrap_or_default();
        assert!(
            !value_line.contains("${") && (value_line.contains(&pct(&sig(21))) || value_line.contains(&key32(23))),
            "case {i}: the .env line holds the secret and nothing of the code: {}",
            mask(value_line)
        );
        if matches!(run, Run::Jsx | Run::Tsx) && !esbuild().exists() {
            // scripts/test.sh installs it: in CI its absence is a failure.
            assert!(
                std::env::var_os("CI").is_none(),
                "esbuild is needed: npm ci in editors/vscode"
            );
            eprintln!("case {i}: esbuild is not installed (npm ci in editors/vscode): not run");
            return;
        }
        same_output(run.file(), &run.cmd(), &source, &src, &env);
    }
}

#[test]
fn python_whole_and_partial_literals_and_import() {
    let (src, env) = moved("python", &format!("MODEL_SAS = \"?{Q}\"\nprint(MODEL_SAS)\n"), "");
    assert_eq!(
        src,
        "import os\nMODEL_SAS = os.environ[\"MODEL_SAS\"]\nprint(MODEL_SAS)\n"
    );
    assert_eq!(env, fill(&format!("MODEL_SAS='?{Q}'\n")));
    parses("python3", &["-m", "py_compile"], "a.py", &src);

    let source = format!("#!/usr/bin/env python3\n\"\"\"Download models.\"\"\"\nimport sys\n\nMODEL_URL = \"https://acct.blob.core.windows.net/models/x.pt?{Q}\"\n");
    let (src, env) = moved("python", &source, "OTHER=1");
    assert_eq!(
        src,
        "#!/usr/bin/env python3\n\"\"\"Download models.\"\"\"\nimport os\nimport sys\n\nMODEL_URL = \"https://acct.blob.core.windows.net/models/x.pt?\" + os.environ[\"MODEL_URL\"]\n"
    );
    assert_eq!(env, fill(&format!("OTHER=1\nMODEL_URL='{Q}'\n")));
    parses("python3", &["-m", "py_compile"], "b.py", &src);
}

#[test]
fn javascript_typescript_and_jsx_attributes() {
    let (src, _) = moved(
        "javascript",
        &format!("const sasUrl = \"https://acct.blob.core.windows.net/c?{Q}\";\nconsole.log(sasUrl);\n"),
        "",
    );
    assert_eq!(
        src,
        "const sasUrl = \"https://acct.blob.core.windows.net/c?\" + process.env.SAS_URL;\nconsole.log(sasUrl);\n"
    );
    parses("node", &["--check"], "a.js", &src);
    let (src, env) = moved(
        "typescriptreact",
        &format!("export const blob = `https://acct.blob.core.windows.net/c?{Q}`;\n"),
        "",
    );
    assert_eq!(
        src,
        "export const blob = `https://acct.blob.core.windows.net/c?${process.env.BLOB!}`;\n"
    );
    assert!(env.starts_with("BLOB='sv=2020"));
    // A JSX attribute value becomes an expression container.
    let (src, _) = moved(
        "javascriptreact",
        &format!("export const L = () => <a href=\"https://acct.blob.core.windows.net/c?{Q}\">x</a>;\n"),
        "",
    );
    assert_eq!(
        src,
        "export const L = () => <a href={\"https://acct.blob.core.windows.net/c?\" + process.env.HREF}>x</a>;\n"
    );
    let (src, _) = moved(
        "javascript",
        &format!("export const L = () => (\n  <a\n    className=\"x\"\n    href=\"?{Q}\"\n  >x</a>\n);\n"),
        "",
    );
    assert!(src.contains("    href={process.env.HREF}\n"), "{}", mask(&src));
}

#[test]
fn java_compiles() {
    let source = format!("public class A {{\n    private static final String BLOB_SAS = \"{Q}\";\n    public static void main(String[] a) {{ System.out.println(BLOB_SAS); }}\n}}\n");
    let (src, _) = moved("java", &source, "");
    assert!(
        src.contains("private static final String BLOB_SAS = System.getenv(\"BLOB_SAS\");"),
        "{}",
        mask(&src)
    );
    parses("javac", &["-d", "."], "A.java", &src);
}

#[test]
fn go_const_becomes_var_and_os_is_imported() {
    let source = format!("package main\n\nimport (\n\t\"fmt\"\n)\n\nconst blobURL = \"https://acct.blob.core.windows.net/c?{Q}\"\n\nfunc main() {{ fmt.Println(blobURL) }}\n");
    let (src, _) = moved("go", &source, "");
    assert_eq!(src, "package main\n\nimport (\n\t\"os\"\n\t\"fmt\"\n)\n\nvar blobURL = \"https://acct.blob.core.windows.net/c?\" + os.Getenv(\"BLOB_URL\")\n\nfunc main() { fmt.Println(blobURL) }\n");
    let (src, _) = moved(
        "go",
        &format!("package main\n\nfunc f() string {{ return \"{Q}\" }}\n"),
        "",
    );
    assert_eq!(
        src,
        "package main\n\nimport \"os\"\n\nfunc f() string { return os.Getenv(\"AZURE_STORAGE_SAS\") }\n"
    );
}

#[test]
fn rust_type_checks_where_the_literal_was_a_str() {
    let source = format!(
        "fn fetch(url: &str) -> usize {{ url.len() }}\nfn main() {{\n    let model_url = \"https://acct.blob.core.windows.net/c?{Q}\";\n    let sas = \"{Q}\".to_string();\n    println!(\"{{}} {{}}\", fetch(model_url), sas);\n}}\n"
    );
    let (src, _) = moved("rust", &source, "");
    assert!(src.contains("let model_url = &format!(\"https://acct.blob.core.windows.net/c?{}\", std::env::var(\"MODEL_URL\").expect(\"MODEL_URL is not set\"));"), "{}", mask(&src));
    // Move the second token too, on the already edited text.
    let tokens = scan(src.as_bytes());
    let p = plan(src.as_bytes(), &tokens[0], "rust", b"").unwrap();
    let src = apply(&src, &p.source);
    assert!(
        src.contains("let sas = (&std::env::var(\"SAS\").expect(\"SAS is not set\")).to_string();"),
        "{}",
        mask(&src)
    );
    parses(
        "rustc",
        &["--edition", "2021", "--emit", "metadata", "-o", "out.rmeta"],
        "main.rs",
        &src,
    );
}

#[test]
fn shell_powershell_yaml_terraform() {
    let (src, env) = moved(
        "shellscript",
        &format!("azcopy copy ./dist \"https://contosodrops.blob.core.windows.net/drops?{Q}\" --recursive\n"),
        "",
    );
    assert_eq!(src, "azcopy copy ./dist \"https://contosodrops.blob.core.windows.net/drops?${AZURE_STORAGE_CONTOSODROPS_SAS}\" --recursive\n");
    assert!(env.starts_with("AZURE_STORAGE_CONTOSODROPS_SAS='sv="));
    parses("bash", &["-n"], "a.sh", &src);
    let (src, _) = moved("shellscript", &format!("export SAS_TOKEN='{Q}'\n"), "");
    assert_eq!(src, "export SAS_TOKEN=\"${SAS_TOKEN}\"\n");

    let (src, _) = moved("powershell", "$conn = \"DefaultEndpointsProtocol=https;AccountName=prod;AccountKey={key64};EndpointSuffix=core.windows.net\"\n", "");
    assert_eq!(src, "$conn = $env:CONN\n");

    let source =
        format!("services:\n  app:\n    environment:\n      - MODEL_URL=https://acct.blob.core.windows.net/c?{Q}\n");
    let (src, _) = moved("dockercompose", &source, "");
    assert_eq!(
        src,
        "services:\n  app:\n    environment:\n      - MODEL_URL=https://acct.blob.core.windows.net/c?${MODEL_URL}\n"
    );
    parses(
        "python3",
        &["-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))"],
        "c.yml",
        &src,
    );

    let (src, env) = moved(
        "terraform",
        &format!("resource \"x\" \"y\" {{\n  sas_url = \"https://acct.file.core.windows.net/share?{Q}\"\n}}\n"),
        "",
    );
    assert_eq!(
        src,
        "resource \"x\" \"y\" {\n  sas_url = \"https://acct.file.core.windows.net/share?${var.sas_url}\"\n}\n\nvariable \"sas_url\" {\n  type      = string\n  sensitive = true\n}\n"
    );
    assert!(env.starts_with("TF_VAR_sas_url='sv="));
}

#[test]
fn not_offered_where_it_cannot_work_and_says_why() {
    let cases: &[(&str, &str, &str)] = &[
        ("markdown", "[x](https://acct.blob.core.windows.net/c?{Q})", "language"),
        ("plaintext", "https://acct.blob.core.windows.net/c?{Q}", "language"),
        (
            "json",
            "{\"u\": \"https://acct.blob.core.windows.net/c?{Q}\"}",
            "language",
        ),
        ("dotenv", "U='{Q}'", "language"),
        ("python", "# https://acct.blob.core.windows.net/c?{Q}", "comment"),
        ("python", "x = 1  # https://acct.blob.core.windows.net/c?{Q}", "comment"),
        // bytes + str raises TypeError; &String is not &[u8].
        ("python", "SAS = b\"?{Q}\"\nprint(SAS.decode())\n", "bytes"),
        ("rust", "fn main() { let s: &[u8] = b\"?{Q}\"; }\n", "bytes"),
        ("rust", "const SAS: &str = \"{Q}\";\n", "const"),
        // Inside a string spanning lines: the line's quotes are not its quotes.
        (
            "python",
            "DOC = \"\"\"\nsee https://acct.blob.core.windows.net/c?{Q}\n\"\"\"\n",
            "spans lines",
        ),
        (
            "javascript",
            "const t = `\nhttps://acct.blob.core.windows.net/c?{Q}\n`;\n",
            "spans lines",
        ),
        // A constant context.
        (
            "go",
            "package main\n\nconst (\n\tblobURL = \"https://acct.blob.core.windows.net/c?{Q}\"\n)\n",
            "const ( … )",
        ),
        (
            "java",
            "class A {\n    @Value(value = \"https://acct.blob.core.windows.net/c?{Q}\")\n    String u;\n}\n",
            "annotation",
        ),
        (
            "java",
            "class A {\n    @Value(\"https://acct.blob.core.windows.net/c?{Q}\") String u;\n}\n",
            "annotation",
        ),
        // Other places that need constants.
        ("python", "match u:\n    case \"?{Q}\":\n        pass\n", "match-case"),
        (
            "rust",
            "fn f(u: &str) {\n    match u {\n        \"?{Q}\" => {}\n        _ => {}\n    }\n}\n",
            "match pattern",
        ),
        ("rust", "const U: &str = concat!(\"?{Q}\", \"x\");\n", "const"),
        ("rust", "fn f() -> &'static str { concat!(\"?{Q}\", \"x\") }\n", "macro"),
        (
            "csharp",
            "class A {\n    void M(string u = \"?{Q}\") {}\n}\n",
            "default parameter",
        ),
        (
            "csharp",
            "class A {\n    [Obsolete(\"?{Q}\")]\n    void M() {}\n}\n",
            "attribute",
        ),
        (
            "csharp",
            "class A {\n    const string U = \"?{Q}\";\n    const string V = U + \"x\";\n}\n",
            "another constant",
        ),
        (
            "java",
            "class A {\n    static final String U = \"?{Q}\";\n    @Named(U) String v;\n}\n",
            "annotation",
        ),
        (
            "go",
            "package p\n\nconst u = \"?{Q}\"\nconst v = u + \"x\"\n",
            "another constant",
        ),
        // A build ARG stays in the image history.
        (
            "dockerfile",
            "FROM alpine\nENV MODEL_URL=https://acct.blob.core.windows.net/c?{Q}\n",
            "image history",
        ),
        (
            "dockerfile",
            "FROM alpine\nRUN curl -o x \\\n    \"https://acct.blob.core.windows.net/c?{Q}\"\n",
            "image history",
        ),
        // A quoted heredoc prints `${NAME}` as is.
        (
            "shellscript",
            "cat <<'EOF'\nhttps://acct.blob.core.windows.net/c?{Q}\nEOF\n",
            "heredoc",
        ),
        (
            "shellscript",
            "cat <<\"EOF\" > out\nhttps://acct.blob.core.windows.net/c?{Q}\nEOF\n",
            "heredoc",
        ),
        // `${NAME}` unquoted in a flow mapping breaks the YAML.
        (
            "yaml",
            "services:\n  a:\n    environment: {url: https://acct.blob.core.windows.net/c?{Q}}\n",
            "flow",
        ),
        // YAML that nothing reads `${NAME}` in.
        (
            "yaml",
            "url: \"https://acct.blob.core.windows.net/c?{Q}\"\n",
            "Docker Compose",
        ),
        (
            "github-actions-workflow",
            "on: push\njobs:\n  a:\n    steps:\n      - run: curl \"https://acct.blob.core.windows.net/c?{Q}\"\n",
            "Docker Compose",
        ),
        (
            "typescript",
            "enum Urls {\n    Blob = \"https://acct.blob.core.windows.net/c?{Q}\",\n}\n",
            "enum",
        ),
        ("typescript", "type Sas = \"?{Q}\";\n", "type"),
        (
            "javascript",
            "const m = { \"https://acct.blob.core.windows.net/c?{Q}\": 1 };\n",
            "property name",
        ),
        // Quotes that are not the language's literal.
        (
            "javascriptreact",
            "const P = () => <p>Don't paste https://acct.blob.core.windows.net/c?{Q} in chat, it's secret</p>;\n",
            "JSX text",
        ),
        (
            "csharp",
            "class A {\n    static ReadOnlySpan<byte> U => \"?{Q}\"u8;\n}\n",
            "suffix",
        ),
        ("rust", "fn f() -> &'static std::ffi::CStr { c\"?{Q}\" }\n", "prefix"),
        // Pieces joined by a line continuation are not literals of one expression.
        (
            "shellscript",
            "curl \"https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&\\\nsp=rwdl&se=2030-01-01&spr=https&sig={sig}\"\n",
            "continued or wrapped lines",
        ),
        // A Rust format string must be a literal.
        (
            "rust",
            "fn main() {\n    println!(\"https://acct.blob.core.windows.net/c?{Q}\");\n}\n",
            "format string",
        ),
    ];
    let failed: Vec<usize> = (0..cases.len())
        .filter(|&i| {
            let (lang, text, why) = cases[i];
            std::panic::catch_unwind(|| {
                let reason = refused(lang, &text.replace("{Q}", Q));
                assert!(reason.contains(why), "{lang}: reason {reason:?} does not say {why:?}");
            })
            .is_err()
        })
        .collect();
    assert!(failed.is_empty(), "cases {failed:?} fail (see above)");
}

#[test]
fn dotenv_collisions_reuse_and_missing_newline() {
    let source = format!("MODEL_URL = \"https://acct.blob.core.windows.net/c?{Q}\"\n");
    // Same name, other value: a new name; the file had no trailing newline.
    let (src, env) = moved("python", &source, "MODEL_URL='something else'");
    assert!(src.contains("os.environ[\"MODEL_URL_2\"]"), "{}", mask(&src));
    assert_eq!(env, fill(&format!("MODEL_URL='something else'\nMODEL_URL_2='{Q}'\n")));
    // Same name and value: reused, nothing appended.
    let existing = fill(&format!("MODEL_URL='{Q}'\n"));
    let (src, env) = moved("python", &source, &existing);
    assert!(src.contains("os.environ[\"MODEL_URL\"]"), "{}", mask(&src));
    assert_eq!(env, existing);
}

#[test]
fn a_dotenv_that_is_not_utf8_keeps_its_bytes_and_its_names() {
    let source = format!("MODEL_URL = \"https://acct.blob.core.windows.net/c?{Q}\"\n");
    let existing: &[u8] = b"# caf\xe9 \xff\r\nMODEL_URL='other'\r\n";
    let (src, env) = moved_bytes("python", &source, existing);
    assert!(src.contains("os.environ[\"MODEL_URL_2\"]"), "{}", mask(&src));
    assert!(env.starts_with(existing), "the existing bytes are kept first");
    assert_eq!(
        &env[existing.len()..],
        fill(&format!("MODEL_URL_2='{Q}'\r\n")).as_bytes()
    );
}

#[test]
fn plan_never_panics_on_edited_sources() {
    let langs = [
        "python",
        "javascript",
        "typescriptreact",
        "csharp",
        "java",
        "go",
        "rust",
        "shellscript",
        "powershell",
        "dockercompose",
        "yaml",
        "terraform",
    ];
    let sources: Vec<String> = RUNS
        .iter()
        .map(|r| r.2)
        .chain([
            "class A {\n    void M(string u = \"?{Q}\") {}\n}\n",
            "cat <<'EOF'\nhttps://acct.blob.core.windows.net/c?{Q}\nEOF\n",
            "fn f<'a>(x: &'a str) { g(r#\"?{Q}\"#) }\n",
        ])
        .map(|s| fill(&s.replace("{Q}", Q)))
        .collect();
    for source in &sources {
        let cuts: Vec<usize> = (0..=source.len()).filter(|&i| source.is_char_boundary(i)).collect();
        for &at in &cuts {
            for ins in [
                "\"", "'", "`", "\n", "#", "{", "(", ")", "\\", "é", "\"\"\"", "r#\"", "<<EOF\n", "//", "/*",
            ] {
                let text = format!("{}{ins}{}", &source[..at], &source[at..]);
                for t in scan(text.as_bytes()) {
                    for lang in langs {
                        if let Ok(p) = plan(text.as_bytes(), &t, lang, b"A=1\n\xff") {
                            // Edits fall on character boundaries inside the text.
                            apply(&text, &p.source);
                        }
                    }
                }
            }
        }
    }
}
