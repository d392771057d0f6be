//! Reading inputs and writing outputs, as a careful user would want them:
//!
//! - only regular files (and standard input, `-`) are read, up to a size limit
//!   (`--max-input-size`, 256 MiB by default); a FIFO, a device or `/dev/zero` is refused
//!   before it is opened, so nothing blocks or fills memory;
//! - folders are walked for `.acre` files without following symbolic links to folders, and
//!   no file is visited twice;
//! - outputs never replace an input of the same command (same path or same file through
//!   another name); regular targets are written through a temporary file created
//!   exclusively beside them, with an unpredictable name, flushed to disk and renamed over
//!   the target (an existing target keeps its permissions and owner; one with other hard
//!   links, or whose owner cannot be kept, is written in place after a backup of its old
//!   contents beside it); a file rewritten (`fmt`) that changed after it was read is left
//!   alone; `-`, FIFOs and devices
//!   (`/dev/stdout`, process substitution) are written directly and never replaced; a
//!   symbolic link is written through, not replaced.

use acre::source::{self, SourceFile};
use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The default largest input, in bytes.
pub const DEFAULT_MAX_INPUT: u64 = 256 * 1024 * 1024;

/// Why a path could not be read or written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum IoError {
    /// The path does not exist.
    #[error("`{}` does not exist", .0.display())]
    #[diagnostic(
        code("acre::no-such-file"),
        help("check the path; case files usually end in `.acre`")
    )]
    NotFound(PathBuf),
    /// The path is a directory where a file is needed.
    #[error("`{}` is a directory, not a file", .0.display())]
    #[diagnostic(
        code("acre::is-a-directory"),
        help("name a file; `acre check`, `acre test` and `acre calibrate` also take folders")
    )]
    IsDirectory(PathBuf),
    /// A folder named on the command line holds no file of the kind wanted.
    #[error("`{}` holds no `.{ext}` files", path.display())]
    #[diagnostic(
        code("acre::empty-folder"),
        help("name the files, or a folder that holds them (folders are searched recursively)")
    )]
    EmptyFolder {
        /// The folder.
        path: PathBuf,
        /// The extension looked for.
        ext: String,
    },
    /// Not a regular file: a FIFO, a device, a socket.
    #[error("`{}` is not a regular file", .0.display())]
    #[diagnostic(
        code("acre::not-a-file"),
        help("acre reads regular files, or standard input with `-`")
    )]
    NotRegular(PathBuf),
    /// Larger than the limit.
    #[error("`{}` is larger than {limit} bytes", path.display())]
    #[diagnostic(
        code("acre::too-large"),
        help("raise the limit with `--max-input-size BYTES` (suffixes K, M, G)")
    )]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// The limit.
        limit: u64,
    },
    /// An output would replace one of the command's inputs.
    #[error("`{}` is an input of this command; it is not overwritten", .0.display())]
    #[diagnostic(
        code("acre::output-is-input"),
        help("write the output to another file")
    )]
    OutputIsInput(PathBuf),
    /// A file being rewritten changed (or was replaced) after it was read.
    #[error("`{}` changed after it was read; it is not rewritten", .0.display())]
    #[diagnostic(
        code("acre::changed-while-read"),
        help("run the command again on the file as it is now")
    )]
    Changed(PathBuf),
    /// Another I/O failure.
    #[error("cannot {action} `{}`: {message}", path.display())]
    #[diagnostic(code("acre::io-error"), help("check the path and its permissions"))]
    Io {
        /// Reading or writing.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// What the system said.
        message: String,
    },
}

pub fn io_error(action: &'static str, path: &Path, e: &std::io::Error) -> IoError {
    match e.kind() {
        std::io::ErrorKind::NotFound => IoError::NotFound(path.to_path_buf()),
        _ => IoError::Io {
            action,
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    }
}

/// Reads a text input: a regular file, or standard input for `-`, up to `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<SourceFile, IoError> {
    let bytes = read_bytes(path, limit)?;
    Ok(source::decode(path.display().to_string(), bytes))
}

/// Reads the bytes of a regular file (or standard input), up to `limit`.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, IoError> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| io_error("read", path, &e))?;
    } else {
        let meta = std::fs::metadata(path).map_err(|e| io_error("read", path, &e))?;
        if meta.is_dir() {
            return Err(IoError::IsDirectory(path.to_path_buf()));
        }
        if !meta.is_file() {
            return Err(IoError::NotRegular(path.to_path_buf()));
        }
        if meta.len() > limit {
            return Err(IoError::TooLarge {
                path: path.to_path_buf(),
                limit,
            });
        }
        let file = File::open(path).map_err(|e| io_error("read", path, &e))?;
        bytes = read_file(file, meta.len(), limit).map_err(|e| io_error("read", path, &e))?;
    }
    if bytes.len() as u64 > limit {
        return Err(IoError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// Files at least this large are read in two halves at once: most of the time a large
/// file takes to read goes to the system copying it into fresh memory, and that splits.
const SPLIT_READ: u64 = 8 << 20;

/// The bytes of `file`, `len` bytes long when it was looked at, read up to `limit` + 1 bytes
/// (the caller refuses more than `limit`). A file that shrank meanwhile is read again from
/// its start, one that grew is read on to its end.
fn read_file(mut file: File, len: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    #[cfg(unix)]
    if len >= SPLIT_READ
        && let Ok(size) = usize::try_from(len)
    {
        use std::io::{Seek, SeekFrom};
        use std::os::unix::fs::FileExt;
        bytes = vec![0u8; size];
        let half = size / 2;
        let (first, second) = bytes.split_at_mut(half);
        let read = std::thread::scope(|s| {
            let later = s.spawn(|| file.read_exact_at(second, half as u64));
            let earlier = file.read_exact_at(first, 0);
            let later = later
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            earlier.and(later)
        });
        match read {
            Ok(()) => {
                // what was added since the file was looked at
                file.seek(SeekFrom::Start(len))?;
                file.take(limit.saturating_add(1).saturating_sub(len))
                    .read_to_end(&mut bytes)?;
                return Ok(bytes);
            }
            // shorter than it was: read as it is now
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                bytes = Vec::new();
                file.seek(SeekFrom::Start(0))?;
            }
            Err(e) => return Err(e),
        }
    }
    bytes.reserve(usize::try_from(len.min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The files named by `paths`: files as given, folders walked (recursively, sorted) for
/// files ending in `.ext`. Symbolic links to folders are not followed; no file is listed
/// twice. A path that does not exist, and a folder without such files, are reported.
pub fn expand(paths: &[PathBuf], ext: &str) -> Result<Vec<PathBuf>, IoError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        if p == Path::new("-") {
            out.push(p.clone());
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| io_error("read", p, &e))?;
        if meta.is_dir() {
            if seen.contains(&identity(p, &meta)) {
                // walked already, inside a folder named before it
                continue;
            }
            let mut found = Vec::new();
            walk(p, ext, &mut found, &mut seen);
            if found.is_empty() {
                return Err(IoError::EmptyFolder {
                    path: p.clone(),
                    ext: ext.to_string(),
                });
            }
            found.sort();
            out.extend(found);
        } else if seen.insert(identity(p, &meta)) {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// What makes a file the same file under another name: device and inode on Unix, the
/// canonical path elsewhere.
/// What makes two paths the same file, as text: the device and inode where the system has
/// them (hard links are one file), else the canonical path.
pub fn file_identity(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(meta) => {
            let (dev, ino, p) = identity(path, &meta);
            if p.as_os_str().is_empty() {
                format!("{dev}:{ino}")
            } else {
                p.display().to_string()
            }
        }
        Err(_) => std::fs::canonicalize(path)
            .map_or_else(|_| path.display().to_string(), |p| p.display().to_string()),
    }
}

fn identity(path: &Path, meta: &Metadata) -> (u64, u64, PathBuf) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        (meta.dev(), meta.ino(), PathBuf::new())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (
            0,
            0,
            path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
        )
    }
}

fn walk(
    dir: &Path,
    ext: &str,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<(u64, u64, PathBuf)>,
) {
    // a folder reached twice (through a bind mount or a hard-linked tree) is walked once
    if let Ok(meta) = std::fs::metadata(dir)
        && !seen.insert(identity(dir, &meta))
    {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // the entry itself, not what a link points to
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, ext, out, seen);
        } else if path.extension().is_some_and(|e| e == ext) {
            // a link to a file counts once, as the file; a link to a folder is not followed
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_file() && seen.insert(identity(&path, &meta)) {
                out.push(path);
            }
        }
    }
}

/// Writes `contents` to `target` (standard output for `-`), never over one of `inputs`.
pub fn write(target: &Path, contents: &[u8], inputs: &[&Path]) -> Result<(), IoError> {
    if target == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(contents)
            .and_then(|()| out.flush())
            .map_err(|e| io_error("write", target, &e));
    }
    refuse_inputs(target, inputs)?;
    // the process's own streams and descriptors (`/dev/stdout`, `/dev/fd/63` from
    // `>(cmd)`): written where they already point, appended (a shell's `>>` file is never
    // replaced), never renamed over
    if is_descriptor(target) {
        let mut f = OpenOptions::new()
            .append(true)
            .open(target)
            .map_err(|e| io_error("write", target, &e))?;
        return f
            .write_all(contents)
            .and_then(|()| f.flush())
            .map_err(|e| io_error("write", target, &e));
    }
    // write through a symbolic link to what it points to (which may not exist yet)
    let resolved = resolve_links(target);
    match std::fs::metadata(&resolved) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            // a FIFO or a device: written directly, never replaced
            let mut f = OpenOptions::new()
                .write(true)
                .open(&resolved)
                .map_err(|e| io_error("write", target, &e))?;
            f.write_all(contents)
                .and_then(|()| f.flush())
                .map_err(|e| io_error("write", target, &e))
        }
        Ok(meta) if meta.is_dir() => Err(IoError::IsDirectory(target.to_path_buf())),
        Ok(meta) => write_atomic(&resolved, contents, Some(&meta)),
        Err(_) => write_atomic(&resolved, contents, None),
    }
}

/// One version of a file: which file a path led to (device and inode through its links),
/// with its size and modification time when it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    file: (u64, u64, PathBuf),
    len: u64,
    modified: Option<std::time::SystemTime>,
}

/// The version of the file `path` leads to now (`None` when it cannot be looked at).
pub fn version_of(path: &Path) -> Option<Version> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Version {
        file: identity(path, &meta),
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}

/// Rewrites a file read earlier (`acre fmt`) with `contents`: refused when the file the path
/// leads to is no longer the version that was read (edited, replaced, or swapped for a
/// link to another file meanwhile); otherwise written as [`write`] writes a regular file,
/// which keeps its permissions, owner and hard links.
pub fn rewrite(path: &Path, contents: &[u8], read: &Version) -> Result<(), IoError> {
    let resolved = resolve_links(path);
    let meta = std::fs::metadata(&resolved).map_err(|e| io_error("write", path, &e))?;
    if !meta.is_file() || version_of(&resolved).as_ref() != Some(read) {
        return Err(IoError::Changed(path.to_path_buf()));
    }
    write_atomic(&resolved, contents, Some(&meta))
}

/// Whether `target` names one of the process's streams or descriptors rather than a file.
fn is_descriptor(target: &Path) -> bool {
    ["/dev/stdout", "/dev/stderr"]
        .iter()
        .any(|d| target == Path::new(d))
        || target.starts_with("/dev/fd/")
        || target.starts_with("/proc/self/fd/")
}

/// The file a chain of symbolic links ends at (itself when it is not a link); a link
/// that does not point anywhere yet resolves to where it points. Gives up after 40 links,
/// as the system does.
fn resolve_links(target: &Path) -> PathBuf {
    let mut path = target.to_path_buf();
    for _ in 0..40 {
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return path;
        }
        let Ok(next) = std::fs::read_link(&path) else {
            return path;
        };
        path = match path.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    path
}

/// Refuses a target that is one of the inputs (by path or by identity).
fn refuse_inputs(target: &Path, inputs: &[&Path]) -> Result<(), IoError> {
    let Ok(meta) = std::fs::metadata(target) else {
        return Ok(());
    };
    let id = identity(target, &meta);
    let canonical = target.canonicalize().ok();
    for input in inputs.iter().filter(|i| **i != Path::new("-")) {
        let same_path = canonical.is_some() && input.canonicalize().ok() == canonical;
        let same_file = std::fs::metadata(input).is_ok_and(|m| identity(input, &m) == id);
        if same_path || same_file {
            return Err(IoError::OutputIsInput(target.to_path_buf()));
        }
    }
    Ok(())
}

/// Writes a regular file atomically: an exclusive temporary file beside it with an
/// unpredictable name, created with the existing target's permissions, flushed to disk, given
/// the target's owner, and renamed over the target; then the folder is flushed so the rename
/// survives a crash. A target with other hard links, or whose owner the temporary file cannot
/// be given, is written in place instead (a rename would split the links or change the
/// owner), with its old contents kept beside it until the new ones are on disk.
pub fn write_atomic(
    target: &Path,
    contents: &[u8],
    existing: Option<&Metadata>,
) -> Result<(), IoError> {
    #[cfg(unix)]
    if existing.is_some_and(|m| std::os::unix::fs::MetadataExt::nlink(m) > 1) {
        return write_in_place(target, contents);
    }
    remove_stale_temporaries(target);
    let (tmp, mut file) = temporary(target, "acre-tmp", existing)?;
    let mut result = file.write_all(contents).and_then(|()| file.sync_all());
    if let (Ok(()), Some(meta)) = (&result, existing) {
        result = std::fs::set_permissions(&tmp, meta.permissions());
        #[cfg(unix)]
        if result.is_ok() && !same_owner(&file, meta) {
            use std::os::unix::fs::MetadataExt;
            if std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid())).is_err() {
                // not allowed to give the file its owner: keep the file, write into it
                drop(file);
                let _ = std::fs::remove_file(&tmp);
                return write_in_place(target, contents);
            }
        }
    }
    let result = result.and_then(|()| std::fs::rename(&tmp, target));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error("write", target, &e));
    }
    sync_folder(target);
    Ok(())
}

/// Whether `file` has the owner and group of `meta`.
#[cfg(unix)]
fn same_owner(file: &File, meta: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    file.metadata()
        .is_ok_and(|m| m.uid() == meta.uid() && m.gid() == meta.gid())
}

/// Removes the temporary files an earlier acre left beside `target` when it was killed
/// mid-write (`.NAME.PID-RANDOM.acre-tmp` of a process that no longer runs). They hold only
/// new text that never replaced the target (the rename is atomic), so nothing is lost. A
/// process is known to be gone when `/proc` lists processes and not this one; without
/// `/proc`, a temporary file older than a day counts as stale. Backups (`.acre-backup`) are
/// never removed here: after a crash one may be the only copy of the old text.
fn remove_stale_temporaries(target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(folder_of(target)) else {
        return;
    };
    let prefix = format!(".{name}.");
    let proc_lists_processes = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(middle) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".acre-tmp"))
        else {
            continue;
        };
        let Some((pid, random)) = middle.split_once('-') else {
            continue;
        };
        if random.len() != 16 || !random.chars().all(|c| c.is_ascii_hexdigit()) {
            continue;
        }
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let stale = if proc_lists_processes {
            !Path::new("/proc").join(pid.to_string()).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// An exclusive new file beside `target` with an unpredictable name ending in `suffix`
/// (`.NAME.PID-RANDOM.SUFFIX`: the process id lets a later run tell a killed writer's file
/// from a running one's), created with `existing`'s mode (a mode-600 case never sits in a
/// 644 file).
fn temporary(
    target: &Path,
    suffix: &str,
    existing: Option<&Metadata>,
) -> Result<(PathBuf, File), IoError> {
    let dir = folder_of(target);
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let mut attempt = 0;
    loop {
        let tmp = dir.join(format!(
            ".{name}.{}-{:016x}.{suffix}",
            std::process::id(),
            rand::random::<u64>()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(m) = existing {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            options.mode(m.permissions().mode() & 0o7777);
        }
        #[cfg(not(unix))]
        let _ = existing;
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 8 => {
                attempt += 1;
            }
            Err(e) => return Err(io_error("write", target, &e)),
        }
    }
}

/// The folder a path is in (`.` for a bare name).
fn folder_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Flushes the folder of `target`, so that a rename in it survives a crash.
fn sync_folder(target: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(folder_of(target)) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = target;
}

/// Writes into the file itself (its inode, owner and links stay): the old contents are first
/// copied to a backup beside it (`.NAME.*.acre-backup`, removed once the new contents are on
/// disk, so a crash in between leaves the old text there, not nothing).
fn write_in_place(target: &Path, contents: &[u8]) -> Result<(), IoError> {
    let fail = |e: std::io::Error| io_error("write", target, &e);
    let old = std::fs::read(target).map_err(fail)?;
    let meta = std::fs::metadata(target).map_err(fail)?;
    let (backup, mut b) = temporary(target, "acre-backup", Some(&meta))?;
    let saved = b.write_all(&old).and_then(|()| b.sync_all());
    if let Err(e) = saved {
        let _ = std::fs::remove_file(&backup);
        return Err(fail(e));
    }
    sync_folder(target);
    let written = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)
        .and_then(|mut f| f.write_all(contents).and_then(|()| f.sync_all()));
    match written {
        Ok(()) => {
            let _ = std::fs::remove_file(&backup);
            Ok(())
        }
        // the old contents stay in the backup: say where
        Err(e) => Err(IoError::Io {
            action: "write",
            path: target.to_path_buf(),
            message: format!("{e} (its previous contents are in {})", backup.display()),
        }),
    }
}

/// Parses a size such as `256M`, `1G`, `4096` (bytes; K, M, G are powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (bytes, or a number with K, M or G)"))?;
    let factor: u64 = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("`{s}`: the unit is K, M or G")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{s}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_read_whole_in_halves_even_when_it_changed_since_looked_at() {
        let path = std::env::temp_dir().join(format!("acre-io-read-{}", std::process::id()));
        // distinct bytes everywhere, so that a half read at the wrong place shows
        let bytes: Vec<u8> = (0..SPLIT_READ as usize + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        let len = bytes.len() as u64;
        let read = |stated: u64, limit: u64| read_file(File::open(&path).unwrap(), stated, limit);
        assert!(read(len, u64::MAX).unwrap() == bytes);
        // grew since: read on to the end
        assert!(read(len - 1000, u64::MAX).unwrap() == bytes);
        // shrank since: read as it is
        assert!(read(len + 1000, u64::MAX).unwrap() == bytes);
        // grew past the limit: one byte more than the limit (the caller refuses it)
        let got = read(len - 1000, len - 10).unwrap();
        assert!(got.len() as u64 == len - 9 && got[..] == bytes[..got.len()]);
        // a small file, read in one go
        std::fs::write(&path, b"a small draft").unwrap();
        assert_eq!(read(13, 100).unwrap(), b"a small draft");
        assert_eq!(read(13, 5).unwrap(), b"a smal");
        let _ = std::fs::remove_file(&path);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_swapped_for_a_link_after_it_was_read_is_not_rewritten() {
        let dir = std::env::temp_dir().join(format!("acre-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let case = dir.join("case.acre");
        let elsewhere = dir.join("elsewhere.txt");
        std::fs::write(&case, "hypothesis a\n").unwrap();
        std::fs::write(&elsewhere, "secret\n").unwrap();
        let read = version_of(&case).unwrap();
        // between the read and the write, the case becomes a link to another file
        std::fs::remove_file(&case).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &case).unwrap();
        assert!(matches!(
            rewrite(&case, b"formatted\n", &read),
            Err(IoError::Changed(_))
        ));
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "secret\n");
        // the file as read is rewritten
        std::fs::remove_file(&case).unwrap();
        std::fs::write(&case, "hypothesis a\n").unwrap();
        let read = version_of(&case).unwrap();
        rewrite(&case, b"formatted\n", &read).unwrap();
        assert_eq!(std::fs::read_to_string(&case).unwrap(), "formatted\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
