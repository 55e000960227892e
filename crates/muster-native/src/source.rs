//! The [`Source`] trait every native reader implements, and what it is given.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use muster_ingest::discover::Compression;

use crate::NativeError;
use crate::record::{Loc, Outcome};

/// How sure a reader is that a sample is its format: 0 (no) to 100 (certain). Use 90+ for a
/// format marker that cannot be mistaken (a `#fields` header, a NACHA file header record, an
/// `ElfFile` signature), 60-89 for a set of field names only this source writes together.
pub type Confidence = u8;

/// The first bytes of a file (decompressed) and its name, for sniffing.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// File name (never used alone to decide: content decides).
    pub file_name: &'a str,
    /// Up to [`SAMPLE_BYTES`] bytes from the start of the decompressed content.
    pub head: &'a [u8],
    /// Up to [`SAMPLE_BYTES`] bytes from the end of an uncompressed file (empty for compressed
    /// ones): where Parquet keeps its schema.
    pub tail: &'a [u8],
}

/// How much of a file sniffing sees.
pub const SAMPLE_BYTES: usize = 64 * 1024;

/// A native input file.
#[derive(Debug, Clone)]
pub struct Input {
    /// Path.
    pub path: PathBuf,
    /// Compression, from the extension or magic bytes.
    pub compression: Compression,
}

impl Input {
    /// The file, compression detected from its name (`.gz`, `.zst`) or, failing that, its first
    /// bytes.
    pub fn new(path: &Path) -> Result<Input, NativeError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let compression = if name.ends_with(".gz") {
            Compression::Gzip
        } else if name.ends_with(".zst") || name.ends_with(".zstd") {
            Compression::Zstd
        } else {
            let mut magic = [0u8; 4];
            let n = std::fs::File::open(path)
                .and_then(|mut f| f.read(&mut magic))
                .map_err(|e| NativeError::io(path, e))?;
            match &magic[..n] {
                [0x1f, 0x8b, ..] => Compression::Gzip,
                [0x28, 0xb5, 0x2f, 0xfd] => Compression::Zstd,
                _ => Compression::None,
            }
        };
        Ok(Input {
            path: path.to_path_buf(),
            compression,
        })
    }

    /// The decompressed content, buffered.
    pub fn reader(&self) -> Result<Box<dyn BufRead + Send>, NativeError> {
        let r = muster_ingest::read::open(&self.path, self.compression).map_err(|e| {
            NativeError::Read {
                path: self.path.clone(),
                reason: e.to_string(),
            }
        })?;
        Ok(Box::new(std::io::BufReader::with_capacity(256 * 1024, r)))
    }

    /// The first [`SAMPLE_BYTES`] decompressed bytes.
    pub fn head(&self) -> Result<Vec<u8>, NativeError> {
        let mut buf = Vec::with_capacity(SAMPLE_BYTES);
        self.reader()?
            .take(SAMPLE_BYTES as u64)
            .read_to_end(&mut buf)
            .map_err(|e| NativeError::io(&self.path, e))?;
        Ok(buf)
    }

    /// The last [`SAMPLE_BYTES`] bytes of an uncompressed file (empty for compressed ones).
    pub fn tail(&self) -> Result<Vec<u8>, NativeError> {
        use std::io::{Seek, SeekFrom};
        if self.compression != Compression::None {
            return Ok(Vec::new());
        }
        let io = |e| NativeError::io(&self.path, e);
        let mut f = std::fs::File::open(&self.path).map_err(io)?;
        let len = f.metadata().map_err(io)?.len();
        f.seek(SeekFrom::Start(len.saturating_sub(SAMPLE_BYTES as u64)))
            .map_err(io)?;
        let mut buf = Vec::with_capacity(SAMPLE_BYTES);
        f.read_to_end(&mut buf).map_err(io)?;
        Ok(buf)
    }

    /// The file name for messages.
    pub fn display(&self) -> String {
        self.path.display().to_string()
    }
}

/// Receives what a reader makes of each record, in order.
pub trait Sink {
    /// One record read at `loc` and what became of it. Every record a reader reads must reach
    /// the sink exactly once, so counts add up (read = mapped + skipped + rejected).
    fn record(&mut self, loc: Loc, outcome: Outcome) -> Result<(), NativeError>;
}

impl<F: FnMut(Loc, Outcome) -> Result<(), NativeError>> Sink for F {
    fn record(&mut self, loc: Loc, outcome: Outcome) -> Result<(), NativeError> {
        self(loc, outcome)
    }
}

/// A native format reader.
pub trait Source: Send + Sync {
    /// Stable short name used by `--source NAME=PATH` and in reports (`okta`, `zeek-conn`, ...).
    fn name(&self) -> &'static str;
    /// What it reads, for humans (`Okta System Log`).
    fn title(&self) -> &'static str;
    /// Contract tables it can produce.
    fn tables(&self) -> &'static [&'static str];
    /// Whether `sample` is this format, and how sure the reader is.
    fn sniff(&self, sample: &Sample<'_>) -> Option<Confidence>;
    /// Reads the whole file, reporting every record to `sink`. Errors are for the file as a whole
    /// (unreadable, wrong format throughout); a bad record is an [`Outcome::Reject`].
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError>;
}
