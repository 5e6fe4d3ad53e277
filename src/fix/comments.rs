//! Comment syntax by LSP language id, and whether a trailing comment is allowed.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentStyle {
    pub open: &'static str,
    pub close: &'static str,
    /// A comment may follow code on the same line.
    pub trailing: bool,
}

impl CommentStyle {
    pub fn wrap(&self, body: &str) -> String {
        if self.open.is_empty() {
            body.to_string()
        } else if self.close.is_empty() {
            format!("{} {body}", self.open)
        } else {
            format!("{} {body} {}", self.open, self.close)
        }
    }
}

const fn line(open: &'static str, trailing: bool) -> Option<CommentStyle> {
    Some(CommentStyle {
        open,
        close: "",
        trailing,
    })
}

const fn block(open: &'static str, close: &'static str) -> Option<CommentStyle> {
    Some(CommentStyle {
        open,
        close,
        trailing: true,
    })
}

/// The comment style of a language, `None` for languages without comments.
pub fn comment_style(language_id: &str) -> Option<CommentStyle> {
    match language_id {
        "json" => None,
        "python"
        | "shellscript"
        | "sh"
        | "bash"
        | "zsh"
        | "fish"
        | "yaml"
        | "toml"
        | "ruby"
        | "perl"
        | "r"
        | "powershell"
        | "terraform"
        | "hcl"
        | "tf"
        | "makefile"
        | "cmake"
        | "elixir"
        | "julia"
        | "nim"
        | "nix"
        | "coffeescript"
        | "graphql"
        | "github-actions-workflow"
        | "dockercompose"
        | "starlark"
        | "conf" => line("#", true),
        "dockerfile" | "dotenv" | "properties" | "gitignore" | "ignore" | "requirements" => line("#", false),
        "c" | "cpp" | "csharp" | "java" | "javascript" | "javascriptreact" | "typescript" | "typescriptreact"
        | "go" | "rust" | "kotlin" | "swift" | "scala" | "php" | "dart" | "jsonc" | "json5" | "bicep" | "groovy"
        | "objective-c" | "objective-cpp" | "fsharp" | "zig" | "proto" | "scss" | "less" | "solidity" | "hlsl"
        | "glsl" | "d" | "v" | "odin" | "vala" | "haxe" | "apex" | "jenkinsfile" => line("//", true),
        "sql" | "lua" | "haskell" | "ada" | "elm" | "plsql" | "vhdl" => line("--", true),
        "erlang" | "latex" | "tex" | "bibtex" | "matlab" | "prolog" | "postscript" => line("%", true),
        "ini" => line(";", false),
        "bat" | "cmd" => line("REM", false),
        "vim" => line("\"", false),
        "clojure" | "lisp" | "scheme" | "racket" | "commonlisp" | "elisp" | "asm" => line(";", true),
        "html" | "xml" | "markdown" | "svg" | "xsl" | "vue" | "svelte" | "astro" | "razor" | "aspnetcorerazor"
        | "jsp" | "xaml" | "plist" => block("<!--", "-->"),
        "css" => block("/*", "*/"),
        "ocaml" => block("(*", "*)"),
        "handlebars" => block("{{!--", "--}}"),
        // Plain text and logs: any text may follow the token; `#` makes it a comment to
        // the scanner (a marker counts only in a comment).
        "plaintext" | "log" | "text" | "" => line("#", true),
        // A language whose comments are unknown: adding text could break it.
        _ => None,
    }
}
