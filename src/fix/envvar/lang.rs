//! How each language reads an environment variable, and how it joins strings.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    CSharp,
    Java,
    Go,
    Rust,
    Shell,
    PowerShell,
    Yaml,
    Dockerfile,
    Terraform,
}

impl Lang {
    /// The language of an LSP language id; `None` where the action is not offered.
    pub fn from_id(id: &str) -> Option<Lang> {
        Some(match id {
            "python" => Lang::Python,
            "javascript" | "javascriptreact" => Lang::JavaScript,
            "typescript" | "typescriptreact" => Lang::TypeScript,
            "csharp" => Lang::CSharp,
            "java" => Lang::Java,
            "go" => Lang::Go,
            "rust" => Lang::Rust,
            "shellscript" | "sh" | "bash" | "zsh" => Lang::Shell,
            "powershell" => Lang::PowerShell,
            "yaml" | "dockercompose" | "github-actions-workflow" => Lang::Yaml,
            "dockerfile" => Lang::Dockerfile,
            "terraform" | "hcl" | "tf" => Lang::Terraform,
            _ => return None,
        })
    }

    /// Languages where the secret must sit in a quoted string literal to be moved.
    pub fn needs_literal(self) -> bool {
        !matches!(self, Lang::Shell | Lang::Yaml | Lang::Dockerfile | Lang::PowerShell)
    }

    /// The expression that reads `name`.
    pub fn lookup(self, name: &str) -> String {
        match self {
            Lang::Python => format!("os.environ[\"{name}\"]"),
            Lang::JavaScript => format!("process.env.{name}"),
            // `!`: the variable is required, so the expression stays a `string`.
            Lang::TypeScript => format!("process.env.{name}!"),
            Lang::CSharp => format!("Environment.GetEnvironmentVariable(\"{name}\")"),
            Lang::Java => format!("System.getenv(\"{name}\")"),
            Lang::Go => format!("os.Getenv(\"{name}\")"),
            Lang::Rust => format!("std::env::var(\"{name}\").expect(\"{name} is not set\")"),
            Lang::Shell | Lang::Yaml | Lang::Dockerfile => format!("${{{name}}}"),
            Lang::PowerShell => format!("$env:{name}"),
            Lang::Terraform => format!("var.{}", name.to_ascii_lowercase()),
        }
    }
}
