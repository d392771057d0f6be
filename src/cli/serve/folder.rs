//! The one folder `acre serve` reads and writes: a path the browser names is taken as
//! relative to it, and refused when it is absolute, climbs with `..`, names a hidden file
//! or folder, or leads (through a symbolic link) out of it.

use std::path::{Component, Path, PathBuf};

/// Drafts the review page lists and opens (the document kinds, Markdown and text).
pub const DRAFT_EXTENSIONS: &[&str] =
    &["docx", "odt", "html", "htm", "pdf", "md", "markdown", "txt"];

/// The most files listed.
const MAX_LISTED: usize = 5_000;
/// The deepest folder listed.
const MAX_DEPTH: usize = 12;

/// The served folder, canonical.
pub struct Folder {
    /// Its canonical path.
    pub root: PathBuf,
}

/// Why a path was refused.
#[derive(Debug)]
pub struct Refusal(pub String);

impl Folder {
    /// The folder at `path`, which must be a directory.
    pub fn new(path: &Path) -> Result<Folder, String> {
        let root = std::fs::canonicalize(path)
            .map_err(|e| format!("`{}` cannot be served: {e}", path.display()))?;
        if !root.is_dir() {
            return Err(format!("`{}` is not a folder", path.display()));
        }
        Ok(Folder { root })
    }

    /// The file `rel` names inside the folder, with one of `extensions`: it must exist
    /// unless `new` (then its folder must), and lead to a place inside the folder.
    pub fn resolve(&self, rel: &str, extensions: &[&str], new: bool) -> Result<PathBuf, Refusal> {
        let rel_path = Path::new(rel);
        if rel.is_empty() || rel.contains('\0') || rel.contains('\\') {
            return Err(Refusal(format!("`{rel}` is not a file name in the folder")));
        }
        for c in rel_path.components() {
            match c {
                Component::Normal(part) => {
                    if part.to_string_lossy().starts_with('.') {
                        return Err(Refusal(format!(
                            "`{rel}` is hidden (a name starting with `.`); the workbench does not open hidden files"
                        )));
                    }
                }
                Component::CurDir => {}
                _ => {
                    return Err(Refusal(format!(
                        "`{rel}` leads out of the folder (absolute paths and `..` are refused)"
                    )));
                }
            }
        }
        let ext = rel_path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !extensions.contains(&ext.as_str()) {
            return Err(Refusal(format!(
                "`{rel}` is not one of the files this asks for (.{})",
                extensions.join(", .")
            )));
        }
        let joined = self.root.join(rel_path);
        match std::fs::canonicalize(&joined) {
            Ok(real) => {
                if !real.starts_with(&self.root) {
                    return Err(Refusal(format!(
                        "`{rel}` is a link that leads out of the folder"
                    )));
                }
                if !real.is_file() {
                    return Err(Refusal(format!("`{rel}` is not a file")));
                }
                Ok(real)
            }
            Err(_) if new => {
                let parent = joined.parent().unwrap_or(&self.root);
                let real_parent = std::fs::canonicalize(parent)
                    .map_err(|_| Refusal(format!("the folder of `{rel}` does not exist")))?;
                if !real_parent.starts_with(&self.root) {
                    return Err(Refusal(format!(
                        "`{rel}` is in a folder that leads out of the served folder"
                    )));
                }
                // a dangling link would be written through to where it points
                if std::fs::symlink_metadata(&joined).is_ok() {
                    return Err(Refusal(format!("`{rel}` is a link to nothing")));
                }
                let name = joined.file_name().unwrap_or_default();
                Ok(real_parent.join(name))
            }
            Err(_) => Err(Refusal(format!("`{rel}` does not exist in the folder"))),
        }
    }

    /// The path of `abs` relative to the folder, with `/` between names.
    pub fn relative(&self, abs: &Path) -> String {
        abs.strip_prefix(&self.root)
            .unwrap_or(abs)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The files in the folder tree with one of `extensions`, relative and sorted; hidden
    /// names, `target` and `node_modules` are skipped and links are not followed.
    pub fn list(&self, extensions: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![(self.root.clone(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if out.len() >= MAX_LISTED {
                    break;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                if kind.is_dir() {
                    if depth < MAX_DEPTH && name != "target" && name != "node_modules" {
                        stack.push((path, depth + 1));
                    }
                } else if kind.is_file() {
                    let ext = path
                        .extension()
                        .map(|e| e.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    if extensions.contains(&ext.as_str()) {
                        out.push(self.relative(&path));
                    }
                }
            }
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("acre-folder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("inside/deeper")).unwrap();
        std::fs::write(dir.join("inside/a.acre"), "case").unwrap();
        std::fs::write(dir.join("inside/deeper/b.md"), "draft").unwrap();
        std::fs::write(dir.join("inside/.env"), "SECRET=1").unwrap();
        dir
    }

    #[test]
    fn refuses_every_way_out() {
        let dir = scratch("out");
        std::fs::write(dir.join("outside.acre"), "case").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("outside.acre"), dir.join("inside/link.acre")).unwrap();
        let f = Folder::new(&dir.join("inside")).unwrap();
        assert!(f.resolve("a.acre", &["acre"], false).is_ok());
        assert!(f.resolve("./a.acre", &["acre"], false).is_ok());
        for bad in [
            "../outside.acre",
            "deeper/../../outside.acre",
            "/etc/passwd.acre",
            ".env",
            "deeper/.hidden.acre",
            "a.acre\0",
            "a.md",
            "deeper\\b.acre",
            "",
            "missing.acre",
        ] {
            assert!(
                f.resolve(bad, &["acre"], false).is_err(),
                "{bad:?} was let through"
            );
        }
        #[cfg(unix)]
        assert!(f.resolve("link.acre", &["acre"], false).is_err());
        // a new file in the folder, but not one whose folder is missing or outside
        assert!(f.resolve("new.acre", &["acre"], true).is_ok());
        assert!(f.resolve("nowhere/new.acre", &["acre"], true).is_err());
        assert!(f.resolve("../new.acre", &["acre"], true).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn lists_what_is_asked_without_hidden_files() {
        let dir = scratch("list");
        let f = Folder::new(&dir.join("inside")).unwrap();
        assert_eq!(f.list(&["acre"]), vec!["a.acre".to_string()]);
        assert_eq!(f.list(DRAFT_EXTENSIONS), vec!["deeper/b.md".to_string()]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
