//! "Move to environment variable" per language: the exact edited source, that it still
//! parses where a parser is at hand (Python, Node, javac, rustc, bash, PyYAML), the `.env`
//! text, name derivation and collisions.

mod common;

use std::process::Command;

use common::{key32, key64, pct, sig};
use sasguard::fix::apply;
use sasguard::fix::envvar::plan;
use sasguard::scan::scan;

fn fill(s: &str) -> String {
    s.replace("{sig}", &pct(&sig(21)))
        .replace("{key64}", &key64(22))
        .replace("{key32}", &key32(23))
}

const Q: &str = "sv=2020-08-04&ss=b&srt=sco&sp=rwdl&se=2030-01-01&spr=https&sig={sig}";

/// Runs the move on the first token of `source`; returns the new source and the .env text.
fn moved(lang: &str, source: &str, env: &str) -> (String, String) {
    let source = fill(source);
    let tokens = scan(source.as_bytes());
    assert!(!tokens.is_empty(), "no token in {source}");
    let p = plan(source.as_bytes(), &tokens[0], lang, env).unwrap_or_else(|e| panic!("{lang}: {e}"));
    let new_env = format!("{env}{}", p.env_append.clone().unwrap_or_default());
    (apply(&source, &p.source), new_env)
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
        "{cmd} rejects:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
fn javascript_and_typescript() {
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
}

#[test]
fn csharp_const_becomes_static_readonly() {
    let source = "class Q {\n    const string Connection = \"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key32}\";\n}\n";
    let (src, env) = moved("csharp", source, "");
    assert_eq!(
        src,
        "class Q {\n    static readonly string Connection = Environment.GetEnvironmentVariable(\"CONNECTION\");\n}\n"
    );
    assert_eq!(env, fill("CONNECTION='Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key32}'\n"));
}

#[test]
fn java_compiles() {
    let source = format!("public class A {{\n    private static final String BLOB_SAS = \"{Q}\";\n    public static void main(String[] a) {{ System.out.println(BLOB_SAS); }}\n}}\n");
    let (src, _) = moved("java", &source, "");
    assert!(
        src.contains("private static final String BLOB_SAS = System.getenv(\"BLOB_SAS\");"),
        "{src}"
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
    assert!(src.contains("let model_url = &format!(\"https://acct.blob.core.windows.net/c?{}\", std::env::var(\"MODEL_URL\").expect(\"MODEL_URL is not set\"));"), "{src}");
    // Move the second token too, on the already edited text.
    let tokens = scan(src.as_bytes());
    let p = plan(src.as_bytes(), &tokens[0], "rust", "").unwrap();
    let src = apply(&src, &p.source);
    assert!(
        src.contains("let sas = (&std::env::var(\"SAS\").expect(\"SAS is not set\")).to_string();"),
        "{src}"
    );
    parses(
        "rustc",
        &["--edition", "2021", "--emit", "metadata", "-o", "out.rmeta"],
        "main.rs",
        &src,
    );
    // A const cannot read the environment: not offered.
    let c = fill(&format!("const SAS: &str = \"{Q}\";\n"));
    assert!(plan(c.as_bytes(), &scan(c.as_bytes())[0], "rust", "").is_err());
}

#[test]
fn shell_powershell_yaml_dockerfile_terraform() {
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

    let (src, _) = moved(
        "dockerfile",
        &format!("FROM alpine\nENV MODEL_URL=https://acct.blob.core.windows.net/c?{Q}\n"),
        "",
    );
    assert_eq!(
        src,
        "FROM alpine\nARG MODEL_URL\nENV MODEL_URL=https://acct.blob.core.windows.net/c?${MODEL_URL}\n"
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
fn not_offered_where_it_cannot_work() {
    let cases = [
        ("markdown", format!("[x](https://acct.blob.core.windows.net/c?{Q})")),
        ("plaintext", format!("https://acct.blob.core.windows.net/c?{Q}")),
        (
            "json",
            format!("{{\"u\": \"https://acct.blob.core.windows.net/c?{Q}\"}}"),
        ),
        ("dotenv", format!("U='{Q}'")),
        ("python", format!("# https://acct.blob.core.windows.net/c?{Q}")),
    ];
    for (lang, text) in cases {
        let text = fill(&text);
        let t = scan(text.as_bytes());
        assert!(
            plan(text.as_bytes(), &t[0], lang, "").is_err(),
            "{lang} should not be offered"
        );
    }
}

#[test]
fn dotenv_collisions_reuse_and_missing_newline() {
    let source = format!("MODEL_URL = \"https://acct.blob.core.windows.net/c?{Q}\"\n");
    // Same name, other value: a new name; the file had no trailing newline.
    let (src, env) = moved("python", &source, "MODEL_URL='something else'");
    assert!(src.contains("os.environ[\"MODEL_URL_2\"]"), "{src}");
    assert_eq!(env, fill(&format!("MODEL_URL='something else'\nMODEL_URL_2='{Q}'\n")));
    // Same name and value: reused, nothing appended.
    let existing = fill(&format!("MODEL_URL='{Q}'\n"));
    let (src, env) = moved("python", &source, &existing);
    assert!(src.contains("os.environ[\"MODEL_URL\"]"), "{src}");
    assert_eq!(env, existing);
}
