//! Permission, service and resource-type names of each SDK, normalised to the REST letters
//! (`sp`, `ss`, `srt`) a token would carry.

/// A permission keyword of the Python SDKs' `*SasPermissions(...)` classes, or a member of
/// the .NET `*SasPermissions` enums (the same words in PascalCase), as its REST letter.
pub fn permission(name: &str) -> Option<char> {
    let n: String = name
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match n.as_str() {
        "read" => 'r',
        "write" => 'w',
        "delete" => 'd',
        "list" => 'l',
        "add" => 'a',
        "create" => 'c',
        "update" => 'u',
        "process" => 'p',
        "tag" => 't',
        "filter" | "filterbytags" => 'f',
        "deleteversion" | "deleteblobversion" | "deletepreviousversion" => 'x',
        "permanentdelete" => 'y',
        "setimmutabilitypolicy" => 'i',
        "move" => 'm',
        "execute" => 'e',
        "manageownership" => 'o',
        "manageaccesscontrol" => 'p',
        _ => return None,
    })
}

/// Every letter `All` stands for in a .NET permission enum (by the enum's name).
pub fn dotnet_all(enum_name: &str) -> Option<&'static str> {
    Some(match enum_name {
        "AccountSasPermissions" => "rwdxylacuptfi",
        "BlobSasPermissions" => "racwdxytmeil",
        "BlobContainerSasPermissions" => "racwdxyltfmei",
        "ShareSasPermissions" => "rcwdl",
        "ShareFileSasPermissions" => "rcwd",
        "QueueSasPermissions" => "raup",
        "TableSasPermissions" => "raud",
        "QueueAccountSasPermissions" | "TableAccountSasPermissions" => return None,
        _ => return None,
    })
}

/// A service keyword of Python's `Services(...)` or a member of .NET `AccountSasServices`.
pub fn service(name: &str) -> Option<char> {
    Some(match name.to_ascii_lowercase().as_str() {
        "blob" | "blobs" => 'b',
        "queue" | "queues" => 'q',
        "table" | "tables" => 't',
        "file" | "files" | "fileshare" => 'f',
        _ => return None,
    })
}

/// A resource-type keyword of Python's `ResourceTypes(...)` or a member of .NET
/// `AccountSasResourceTypes`.
pub fn resource_type(name: &str) -> Option<char> {
    Some(match name.to_ascii_lowercase().as_str() {
        "service" => 's',
        "container" => 'c',
        "object" => 'o',
        _ => return None,
    })
}

/// What a value's letters stand for: permissions (`sp`), services (`ss`) or resource types
/// (`srt`).
#[derive(Clone, Copy)]
pub enum Kind {
    Permission,
    Service,
    ResourceType,
}

impl Kind {
    /// The REST letter of a keyword of this kind (`read`, `blob`, `container`).
    pub fn letter(self, name: &str) -> Option<char> {
        match self {
            Kind::Permission => permission(name),
            Kind::Service => service(name),
            Kind::ResourceType => resource_type(name),
        }
    }
}

/// Letters in a fixed order, each once.
pub fn ordered(letters: &[char], order: &str) -> String {
    order.chars().filter(|c| letters.contains(c)).collect()
}

/// Whether a permission string is written as REST letters (`"racwdl"`): letters only, and
/// not a word a project's own wrapper takes (`"read"`, `"write"`, `"readwrite"`, `"all"`),
/// which the service would not read as the letters it happens to hold.
pub fn is_letters(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphabetic())
        && permission(s).is_none()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "all" | "full" | "none" | "readwrite" | "readonly" | "writeonly"
        )
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_not_letters() {
        for s in ["racwdl", "rw", "r", "rl"] {
            assert!(super::is_letters(s), "{s}");
        }
        for s in ["read", "Write", "readwrite", "all", "list", "", "r,w"] {
            assert!(!super::is_letters(s), "{s}");
        }
    }
}
