//! The click journal: an append-only local file that makes a landing's click durable in
//! one `write()`. The click log (`server/click_log.rs`) appends each group of clicks here
//! and acknowledges them at once; the same task then moves them into the database in large
//! transactions and empties the file whenever everything in it has been committed. On
//! start, whatever the file still holds is read back and committed (the insert skips ids
//! that are already there, so a crash between a commit and the truncation duplicates
//! nothing).
//!
//! Durability is the same as SQLite's WAL with `synchronous = normal`: a returned `write()`
//! is in the OS page cache, so it survives `kill -9` of the process, not a power loss.
//! A record is one JSON line; a line that does not parse (only the last one can be torn,
//! by a crash inside the `write()`) is skipped and logged.
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::db::clicks::Click;

/// Bytes after which the journal is emptied as soon as everything in it is committed.
const TRUNCATE_AFTER: u64 = 8 << 20;

pub struct Journal {
    file: File,
    path: PathBuf,
    len: u64,
    line: Vec<u8>,
}

impl Journal {
    /// Opens (or creates) the journal and returns it with the clicks it still holds.
    pub fn open(path: &Path) -> io::Result<(Self, Vec<Click>)> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).read(true).append(true).open(path)?;
        let mut pending = Vec::new();
        let mut torn = 0;
        for line in BufReader::new(&file).split(b'\n') {
            match serde_json::from_slice::<Click>(&line?) {
                Ok(click) => pending.push(click),
                Err(_) => torn += 1,
            }
        }
        if torn > 0 {
            tracing::warn!(path = %path.display(), torn, "click journal: unreadable lines skipped");
        }
        let len = file.metadata()?.len();
        Ok((Self { file, path: path.to_owned(), len, line: Vec::with_capacity(64 << 10) }, pending))
    }

    /// Appends the clicks in one `write()`; once it returns they survive a process crash.
    /// A blocking call on purpose: it copies a few kilobytes into the page cache, cheaper
    /// than a hop to the blocking pool.
    pub fn append(&mut self, clicks: &[Click]) -> io::Result<()> {
        self.line.clear();
        for click in clicks {
            serde_json::to_writer(&mut self.line, click)?;
            self.line.push(b'\n');
        }
        self.file.write_all(&self.line)?;
        self.len += self.line.len() as u64;
        Ok(())
    }

    /// Empties the file when it has grown past [`TRUNCATE_AFTER`]. Only call it when every
    /// click appended so far is committed to the database.
    pub fn committed(&mut self) -> io::Result<()> {
        if self.len >= TRUNCATE_AFTER {
            self.file.set_len(0)?;
            self.len = 0;
        }
        Ok(())
    }

    /// Empties the file (everything in it is committed).
    pub fn clear(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.len = 0;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
