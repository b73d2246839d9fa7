"""Loading: checks of bad input, one-for-one normalisation, paragraphs and glued tokens."""

from __future__ import annotations

import errno
import hashlib
import os
import re

import pytest
from conftest import ARTICLE, ROOT
from hypothesis import given
from hypothesis import strategies as st

from presse.loading import (
    CONTINUATION,
    MAX_BYTES,
    MAX_PARAGRAPH_CHARS,
    ArticleError,
    canonical_encoding,
    find_glued_tokens,
    normalise_characters,
    read_article,
    read_bytes_checked,
    split_paragraphs,
)


def test_raw_article_is_the_given_file_byte_for_byte():
    digest = hashlib.sha256(ARTICLE.read_bytes()).hexdigest()
    assert digest == "ef2cf7b53e523d3c4a26d14d0dc11513025a2a825401c70620220d5cdfcabbd3"
    shared = ROOT.parent / "shared" / "article" / ARTICLE.name
    if shared.exists():
        assert shared.read_bytes() == ARTICLE.read_bytes()


def test_g7_article_has_fifteen_paragraphs_and_one_glued_token(g7_article):
    assert len(g7_article.paragraphs) == 15
    assert g7_article.glued["token"].tolist() == ["G7devaient"]
    split = int(g7_article.glued["split_at"].iloc[0])
    assert g7_article.text[split - 2 : split] == "G7"


def test_paragraph_offsets_index_the_text_as_read(g7_article):
    for row in g7_article.paragraphs.itertuples():
        assert g7_article.text[row.start : row.end] == row.text


def write(tmp_path, data: bytes, name="a.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_bom_crlf_nbsp_and_apostrophes_are_normalised_without_moving_offsets(tmp_path):
    text = "Il a dit\u00a0: «\u202fl\u2019Europe\u202f».\r\nSecond paragraphe.\r\n"
    article = read_article(write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert article.text == text  # BOM dropped, nothing else removed
    assert len(article.clean) == len(article.text)
    assert article.paragraphs["text"].tolist() == ["Il a dit : « l'Europe ».", "Second paragraphe."]
    counts = dict(article.normalisations.itertuples(index=False))
    assert counts["UTF-8 byte-order mark dropped"] == 1
    assert counts["CRLF line endings read as line breaks"] == 2
    assert counts["non-breaking or thin space -> space"] == 3
    assert counts["typographic apostrophe -> '"] == 1


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "is empty"),
        (b"  \n\t \r\n", "is empty"),
        (b"Un texte\x00binaire", "binary"),
        ("Café".encode("latin-1"), "byte 3 (0xe9) is not valid utf-8"),
    ],
)
def test_bad_content_gives_one_clear_line(tmp_path, data, message):
    path = write(tmp_path, data)
    with pytest.raises(ArticleError) as error:
        read_article(path)
    text = str(error.value)
    assert message in text and str(path) in text and "\n" not in text


def test_missing_file_folder_and_size_limit(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "absent.txt")
    with pytest.raises(ArticleError, match="is a folder"):
        read_article(tmp_path)
    with pytest.raises(ArticleError, match="over the 10-byte limit"):
        read_article(write(tmp_path, b"Un texte assez long."), max_bytes=10)


def test_other_encoding_can_be_given(tmp_path):
    article = read_article(write(tmp_path, "Café noir.".encode("cp1252")), encoding="cp1252")
    assert article.text == "Café noir."


def test_glued_tokens_are_flagged_not_changed():
    text = "Les pays du G7devaient agir. Fin de phrase.Le reste, et le G7 est là."
    glued = find_glued_tokens(text)
    assert glued["token"].tolist() == ["G7devaient", "phrase.Le"]
    assert glued["kind"].tolist() == ["acronym glued to word", "missing space after punctuation"]
    assert [text[s] for s in glued["split_at"]] == ["d", "L"]


def test_full_stop_glued_after_a_closing_guillemet_is_flagged():
    text = "Selon lui, « on ne peut pas ».Pour le collectif, c'est non."
    glued = find_glued_tokens(text)
    assert glued["kind"].tolist() == ["missing space after a quotation"]
    assert [text[s] for s in glued["split_at"]] == ["P"]


def test_no_false_glued_flags_on_ordinary_words():
    text = "M. Dupont, du G20, et l'ONU ont vu 3 fois la COP 21 à Paris. Il part."
    assert find_glued_tokens(text).empty


@given(st.text(alphabet=st.sampled_from("ab «»'’\u00a0\u202f\n\r.G7é"), max_size=60))
def test_normalisation_keeps_length_and_paragraphs_index_the_text(text):
    clean, _ = normalise_characters(text)
    assert len(clean) == len(text)
    for row in split_paragraphs(clean).itertuples():
        assert clean[row.start : row.end] == row.text
        assert row.text == row.text.strip() and row.text
        for line in re.split(r"[\r\n]+", row.text)[1:]:  # a line inside a paragraph continues it
            assert CONTINUATION.match(line.strip())


def test_a_line_that_continues_a_sentence_joins_its_paragraph():
    text = '"Il y avait du monde"\n, confie la police.\nFace à ces barrages\nqui se forment.\nFin.'
    paragraphs = split_paragraphs(text)
    assert paragraphs["text"].tolist() == [
        '"Il y avait du monde"\n, confie la police.',
        "Face à ces barrages\nqui se forment.",
        "Fin.",
    ]


def test_devices_pipes_and_broken_links_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block forever
    link = tmp_path / "broken.txt"
    link.symlink_to(tmp_path / "absent.txt")
    for path, expected in [
        ("/dev/zero", "not a regular file"),
        ("/dev/urandom", "not a regular file"),
        (fifo, "not a regular file"),
        (link, "broken link"),
    ]:
        with pytest.raises(ArticleError, match=expected):
            read_article(path)


def test_the_size_limit_holds_for_what_is_read_not_what_stat_says():
    # /proc files are regular files whose size is 0 on stat, whatever they hold
    assert os.stat("/proc/self/maps").st_size == 0
    with pytest.raises(ArticleError, match="over the 100-byte limit"):
        read_bytes_checked("/proc/self/maps", max_bytes=100)


def test_a_read_error_is_one_line(tmp_path, monkeypatch):
    path = write(tmp_path, b"Un article.\n")

    def failing_open(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("presse.loading.os.open", failing_open)
    with pytest.raises(ArticleError, match=r"cannot be read \(Input/output error\)"):
        read_article(path)


def test_an_explicit_encoding_is_decoded_before_the_binary_check(tmp_path):
    text = "Le ministre a déclaré : « Non. »\n"
    path = write(tmp_path, text.encode("utf-16"))
    with pytest.raises(ArticleError, match="binary"):
        read_article(path)  # UTF-8 expected: the NUL bytes are refused
    article = read_article(path, encoding="utf-16")
    assert article.text == text and article.encoding == "utf-16"
    nul = write(tmp_path, "a\x00b".encode("utf-16"), "nul.txt")
    with pytest.raises(ArticleError, match="binary"):
        read_article(nul, encoding="utf-16")


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("punycode", "not valid punycode"),
        ("rot13", "not a text encoding"),
        ("base64", "not a text encoding"),
        ("klingon", "unknown encoding"),
    ],
)
def test_odd_encodings_are_one_line(tmp_path, encoding, expected):
    path = write(tmp_path, "Été à Paris.\n".encode())
    with pytest.raises(ArticleError, match=expected) as error:
        read_article(path, encoding=encoding)
    assert "\n" not in str(error.value)


def test_the_manifest_hash_is_of_the_bytes_read_and_encoding_is_canonical(tmp_path):
    data = "Été à Paris.\n".encode("latin-1")
    article = read_article(write(tmp_path, data), encoding="Latin-1")
    assert article.sha256 == hashlib.sha256(data).hexdigest()
    assert article.encoding == canonical_encoding("iso8859_1") == "iso8859-1"


def test_a_paragraph_over_the_parsers_limit_is_one_line(tmp_path):
    words = "mot " * (MAX_PARAGRAPH_CHARS // 4 + 1)
    path = write(tmp_path, words.encode("ascii"))
    assert path.stat().st_size < MAX_BYTES
    with pytest.raises(ArticleError, match="one paragraph per line"):
        read_article(path)
    # each line opens a sentence (a lower-case line would continue the one before)
    lines = write(tmp_path, ("Mot " + "mot " * 999 + "\n").encode("ascii") * 400, "lines.txt")
    assert path.stat().st_size < lines.stat().st_size < MAX_BYTES
    assert len(read_article(lines).paragraphs) == 400  # as much text, in lines, is fine
