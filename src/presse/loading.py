"""Loading an article: read the bytes, check them, normalise characters, find paragraphs.

The article file is never modified. Every normalisation below replaces one character by one
character, so that a character offset in the normalised text (``Article.clean``) is also an
offset in the text as read (``Article.text``): a reader can always go back to the original.

Normalisations (each counted in ``Article.normalisations``):

- a UTF-8 byte-order mark (BOM) at the start is not part of the text: it is dropped on decoding;
- CRLF or CR line endings are accepted: paragraphs are found between any line breaks;
- non-breaking, narrow non-breaking and thin spaces (U+00A0, U+202F, U+2009, U+2007) become
  ordinary spaces (French typography puts them around « », : ; ? !);
- typographic apostrophes (U+2019, U+02BC, U+2018 used as apostrophe) become ``'``, so that
  elisions such as ``l’Europe`` and ``l'Europe`` are read alike.

Glued tokens such as ``G20sont`` (a missing space) are *flagged*, not changed: see
:func:`find_glued_tokens`. The parser splits them without moving any offset.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Largest article accepted, in bytes. A news article is 2–20 kB; 2 MB is a book, and
#: usually means a wrong file (or a corpus that should be a folder of articles).
MAX_BYTES = 2_000_000

#: Longest paragraph (one line) accepted, in characters. A news paragraph is under 5,000; spaCy
#: refuses a text over 1,000,000 (its ``max_length``) and its memory grows with the text parsed
#: at once, so a whole article on one line is refused well before that, with one line.
MAX_PARAGRAPH_CHARS = 100_000

#: One-character replacements applied to build ``Article.clean`` (name, characters, replacement).
CHARACTER_NORMALISATIONS = (
    ("non-breaking or thin space -> space", "\u00a0\u202f\u2009\u2007", " "),
    ("typographic apostrophe -> '", "\u2019\u02bc", "'"),
)

#: Patterns of glued tokens: (kind, regex with two groups; the split falls between them).
GLUED_PATTERNS = (
    # an acronym with digits glued to a lowercase word: "G20sont", "COP21a"
    ("acronym glued to word", re.compile(r"(?<!\w)([A-Z]{1,5}\d{1,4})([a-zà-öø-ÿ]{2,})")),
    # a lowercase word glued to a capitalised word after sentence punctuation: "fin.Le"
    (
        "missing space after punctuation",
        re.compile(r"(?<![\w.])([a-zà-öø-ÿ]{2,}[.!?;])([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)"),
    ),
    # a closing guillemet and full stop glued to the next sentence: "».Pour"
    ("missing space after a quotation", re.compile(r"([»”][.!?])([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)")),
)


class ArticleError(ValueError):
    """The input cannot be read as an article. ``str(error)`` is one line for the user."""


@dataclass(frozen=True)
class Article:
    """An article as read.

    - ``path``: where it was read from;
    - ``text``: the decoded text (BOM removed), the reference for every offset;
    - ``clean``: ``text`` with the one-for-one character normalisations (same length);
    - ``paragraphs``: table ``paragraph_id, start, end, text`` (offsets into ``text``);
    - ``glued``: table of flagged glued tokens ``start, end, split_at, token, kind``;
    - ``normalisations``: table ``normalisation, count`` of what was applied;
    - ``sha256``: the SHA-256 of the bytes that were read and decoded (the file may change
      afterwards: this is the hash of what was analysed);
    - ``encoding``: the codec name the bytes were decoded with.
    """

    path: Path
    text: str
    clean: str
    paragraphs: pd.DataFrame
    glued: pd.DataFrame
    normalisations: pd.DataFrame = field(repr=False)
    sha256: str = ""
    encoding: str = "utf-8"


def _refuse(path: Path, problem: str) -> ArticleError:
    return ArticleError(f"{shown(path)}: {problem}")


def shown(path: str | Path) -> str:
    """``path`` as printable text: bytes of a file name that are not UTF-8 appear as ``\\xe9``
    (so that a message or a CSV cell holding the name can always be written)."""
    name = str(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_bytes_checked(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Return the bytes of ``path``, or raise ArticleError saying what is wrong and what to do.

    Only a regular file is read (a device such as ``/dev/zero``, a pipe or a socket is refused
    before it is opened, so nothing blocks), and at most ``max_bytes + 1`` bytes are read, so the
    limit holds for what is read, whatever the file system says of its size. A read error
    (``EIO``, permission) is an ArticleError too. NUL bytes are checked by :func:`decode_text`.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise _refuse(path, "is a broken link; give the path of a text article.") from None
        raise _refuse(path, "no such file; give the path of a UTF-8 text article.") from None
    except OSError as error:
        raise _refuse(path, f"cannot be read ({error.strerror}); check the path.") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(
            path,
            "is a folder, not an article; give a .txt file "
            "(for a folder of articles use corpus mode).",
        )
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(
            path,
            "is not a regular file (a device, pipe or socket); save the article to a file first.",
        )
    if info.st_size > max_bytes:
        raise _too_large(path, f"{info.st_size:,} bytes is", max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # replaced since stat()
                raise _refuse(path, "is not a regular file; save the article to a file first.")
            data = stream.read(max_bytes + 1)
    except PermissionError:
        raise _refuse(path, "permission denied; make the file readable.") from None
    except OSError as error:
        raise _refuse(
            path, f"cannot be read ({error.strerror or type(error).__name__}); check the disk."
        ) from None
    if len(data) > max_bytes:
        raise _too_large(path, f"more than {max_bytes:,} bytes were read, which is", max_bytes)
    return data


def _too_large(path: Path, amount: str, max_bytes: int = MAX_BYTES) -> ArticleError:
    return _refuse(
        path,
        f"{amount} over the {max_bytes:,}-byte limit for one article; "
        "split it into one file per article.",
    )


def canonical_encoding(encoding: str) -> str:
    """The codec name Python gives ``encoding`` (``latin-1`` and ``L1`` are ``iso8859-1``).

    Raises ArticleError for an unknown name or a codec that does not turn bytes into text
    (``rot13``, ``base64``)."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise ArticleError(
            f"unknown encoding {encoding!r}; try utf-8, cp1252 or latin-1."
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise ArticleError(f"{encoding!r} is not a text encoding; try utf-8, cp1252 or latin-1.")
    return info.name


def decode_text(data: bytes, path: str | Path, encoding: str = "utf-8") -> str:
    """Decode ``data`` (dropping a UTF-8 BOM); raise ArticleError naming the bad byte's position.

    UTF-8 input with NUL bytes is refused as binary data before decoding. With another encoding
    the bytes are decoded first (UTF-16 has NUL bytes in every ASCII character) and a NUL
    character in the decoded text is refused."""
    try:
        name = canonical_encoding(encoding)
    except ArticleError as error:
        raise _refuse(Path(path), str(error)) from None
    utf8 = name == "utf-8"
    binary = _refuse(
        Path(path),
        "contains NUL bytes, so it is binary data, not text; "
        "export the article as plain UTF-8 text (or pass its encoding, e.g. --encoding utf-16).",
    )
    if utf8 and b"\x00" in data:
        raise binary
    try:
        text = data.decode("utf-8-sig" if utf8 else name)
    except UnicodeDecodeError as error:
        raise _refuse(
            Path(path),
            f"byte {error.start} (0x{data[error.start]:02x}) is not valid {encoding}; "
            "save the file as UTF-8, or pass its encoding (e.g. --encoding cp1252).",
        ) from None
    except Exception as error:  # codecs raise what they like (punycode: IndexError, ...)
        raise _refuse(
            Path(path),
            f"cannot be decoded as {encoding} ({type(error).__name__}); "
            "pass the file's real encoding (e.g. --encoding cp1252).",
        ) from None
    if "\x00" in text:
        raise binary
    if not text.strip():
        raise _refuse(Path(path), "is empty (or only white space); nothing to analyse.")
    return text


def normalise_characters(text: str) -> tuple[str, pd.DataFrame]:
    """Apply the one-for-one character normalisations.

    Input: decoded text. Output: (normalised text of the same length, table
    ``normalisation, count``).
    """
    counts = []
    for name, characters, replacement in CHARACTER_NORMALISATIONS:
        n = sum(text.count(c) for c in characters)
        text = text.translate({ord(c): replacement for c in characters})
        counts.append((name, n))
    return text, pd.DataFrame(counts, columns=["normalisation", "count"])


#: A line that starts like this goes on the sentence of the line before (a hard line break in
#: scraped news: ``"…sur place" ⏎ , confie la police``, ``Face à ces barrages ⏎ qui se créent``).
CONTINUATION = re.compile(r"^[,;:)»”a-zà-öø-ÿ]")


def split_paragraphs(text: str) -> pd.DataFrame:
    """Paragraphs are the non-blank lines (any of LF, CRLF, CR ends a line); a line that starts
    with a lower-case letter or with ``, ; : ) » ”`` continues the paragraph before it (the line
    break stays in the paragraph's text, so offsets hold).

    Input: text. Output: table ``paragraph_id`` (1-based), ``start, end`` (offsets into
    ``text``, surrounding white space excluded), ``text``.
    """
    spans: list[list[int]] = []
    for match in re.finditer(r"[^\r\n]+", text):
        line = match.group()
        if not line.strip():
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.end() - (len(line) - len(line.rstrip()))
        gap = text[spans[-1][1] : start].replace("\r\n", "\n") if spans else ""
        one_break = gap.count("\n") + gap.count("\r") == 1  # no blank line between
        if one_break and CONTINUATION.match(text[start:end]):
            spans[-1][1] = end
        else:
            spans.append([start, end])
    rows = [(n, s, e, text[s:e]) for n, (s, e) in enumerate(spans, start=1)]
    return pd.DataFrame(rows, columns=["paragraph_id", "start", "end", "text"])


def find_glued_tokens(text: str) -> pd.DataFrame:
    """Flag tokens that look like two words missing a space (``G20sont``).

    Input: text. Output: table ``start, end, split_at, token, kind`` where ``split_at`` is the
    offset at which a space is missing. Nothing in the text is changed.
    """
    rows = []
    for kind, pattern in GLUED_PATTERNS:
        for match in pattern.finditer(text):
            rows.append((match.start(), match.end(), match.end(1), match.group(), kind))
    rows.sort()
    return pd.DataFrame(rows, columns=["start", "end", "split_at", "token", "kind"])


def read_article(path: str | Path, encoding: str = "utf-8", max_bytes: int = MAX_BYTES) -> Article:
    """Read one article (one paragraph per line) and return an :class:`Article`.

    Raises :class:`ArticleError` (one line: file, problem, what to do) for a missing file, a
    folder, a device or pipe, an unreadable file, an empty file, binary data, undecodable bytes,
    a file over ``max_bytes`` or a paragraph over ``MAX_PARAGRAPH_CHARS`` characters.
    The file is read once: ``Article.sha256`` is the hash of those bytes.
    """
    data = read_bytes_checked(path, max_bytes)
    text = decode_text(data, path, encoding)
    longest = max((len(line) for line in re.split(r"[\r\n]+", text)), default=0)
    if longest > MAX_PARAGRAPH_CHARS:
        raise _refuse(
            Path(path),
            f"a paragraph of {longest:,} characters is over the {MAX_PARAGRAPH_CHARS:,}-character "
            "limit for one paragraph; put one paragraph per line.",
        )
    clean, counts = normalise_characters(text)
    bom = int(data.startswith(b"\xef\xbb\xbf"))
    crlf = text.count("\r\n")
    extra = pd.DataFrame(
        [("UTF-8 byte-order mark dropped", bom), ("CRLF line endings read as line breaks", crlf)],
        columns=["normalisation", "count"],
    )
    return Article(
        path=Path(path),
        text=text,
        clean=clean,
        paragraphs=split_paragraphs(clean),
        glued=find_glued_tokens(clean),
        normalisations=pd.concat([extra, counts], ignore_index=True),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=canonical_encoding(encoding),
    )
