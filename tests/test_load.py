"""Loading raw pages: encodings, refusals (empty, binary, too large, unreadable) and
format sniffing. Files are written to `tmp_path`; nothing outside the test is read."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from pages import article_page, write

from cleaner import CleanError, Config, RawPage, clean_file, clean_html, clean_text
from cleaner.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    TooLargeError,
    UnreadableInputError,
)
from cleaner.load import (
    MIN_UTF8_SEQUENCES_PER_ERROR,
    _mostly_utf8,
    check_bytes,
    decode,
    read_path,
    sniff_format,
)

FAST = Config(learned=False, detect_language=False)

GERMAN = "Die Bürger von Köln stimmten über die Brücke ab. Größere Änderungen sind nicht geplant, sagte die Stadt."
FRENCH = "Le conseil a voté jeudi. « Très bien », a dit la maire. Les élèves sont à l’école près de la forêt."
JAPANESE = "東京都は月曜日、新しい図書館を開館すると発表しました。市民は無料で利用できます。"
RUSSIAN = "Городской совет в понедельник одобрил строительство новой библиотеки в центре города."


def html_page(body: str, head: str = "") -> str:
    return article_page(body, head, title="Bridge news")


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("utf8.txt", GERMAN.encode("utf-8"), "utf-8"),
        ("utf8-bom.txt", b"\xef\xbb\xbf" + GERMAN.encode("utf-8"), "utf-8"),
        ("utf16.txt", GERMAN.encode("utf-16"), "utf-16"),
        ("utf16-be.txt", b"\xfe\xff" + GERMAN.encode("utf-16-be"), "utf-16"),
    ],
)
def test_unicode_files_decode_with_their_encoding(
    tmp_path: Path, name: str, data: bytes, encoding: str
) -> None:
    doc = clean_file(write(tmp_path, name, data), config=FAST)
    assert doc.text == GERMAN
    assert doc.metadata["encoding"] == encoding
    assert "\ufeff" not in doc.text


def test_utf16_without_bom_is_readable() -> None:
    text, _ = decode(RawPage(GERMAN.encode("utf-16-le"), "le.txt"))
    assert text == GERMAN


def test_cp1252_german_without_declaration_is_readable(tmp_path: Path) -> None:
    doc = clean_file(write(tmp_path, "de.txt", GERMAN.encode("cp1252")), config=FAST)
    assert doc.text == GERMAN


def test_cp1252_french_without_declaration_is_readable(tmp_path: Path) -> None:
    doc = clean_file(write(tmp_path, "fr.txt", FRENCH.encode("cp1252")), config=FAST)
    assert doc.text == FRENCH


@pytest.mark.parametrize(
    ("name", "data", "sentence"),
    [
        ("ja.txt", JAPANESE.encode("shift_jis"), JAPANESE),
        ("ru.txt", RUSSIAN.encode("cp1251"), RUSSIAN),
    ],
)
def test_legacy_encodings_without_declaration_are_readable(
    tmp_path: Path, name: str, data: bytes, sentence: str
) -> None:
    text, _ = decode(read_path(write(tmp_path, name, data)))
    assert text == sentence


@pytest.mark.parametrize(
    ("charset", "sentence", "codec"),
    [
        ("shift_jis", JAPANESE, "shift_jis"),
        ("windows-1251", RUSSIAN, "cp1251"),
        ("iso-8859-1", "Le prix est de 20 € – « très » bas.", "cp1252"),
    ],
)
def test_declared_meta_charset_is_used(charset: str, sentence: str, codec: str) -> None:
    page = html_page(sentence, head=f'<meta charset="{charset}">').encode(codec)
    doc = clean_html(page, config=FAST)
    assert doc.text == sentence
    assert doc.metadata["encoding"] == codec


def test_http_header_charset_is_used() -> None:
    page = RawPage(
        RUSSIAN.encode("cp1251"),
        "ru.txt",
        headers={"Content-Type": "text/plain; charset=windows-1251"},
    )
    assert decode(page) == (RUSSIAN, "cp1251")


def test_wrong_meta_charset_on_utf8_bytes_is_overridden() -> None:
    page = html_page(GERMAN, head='<meta charset="iso-8859-1">').encode("utf-8")
    doc = clean_html(page, config=FAST)
    assert doc.text == GERMAN
    assert doc.metadata["encoding"] == "utf-8"


def test_wrong_meta_charset_utf8_on_cp1252_german_is_readable() -> None:
    page = html_page(GERMAN, head='<meta charset="utf-8">').encode("cp1252")
    assert clean_html(page, config=FAST).text == GERMAN


def test_wrong_meta_charset_utf8_on_cp1252_french_is_readable() -> None:
    page = html_page(FRENCH, head='<meta charset="utf-8">').encode("cp1252")
    assert clean_html(page, config=FAST).text == FRENCH


def test_undecodable_bytes_cost_a_character_not_the_page() -> None:
    data = b"The bridge reopened on Monday after repairs. \x81\x8d\x8f\x90\x9d Everyone cheered."
    text, _ = decode(RawPage(data, "odd.txt"))
    assert text.startswith("The bridge reopened on Monday after repairs.")
    assert text.endswith("Everyone cheered.")


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n\t \r\n"])
def test_empty_file_raises_empty_input_error_naming_the_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(EmptyInputError) as info:
        clean_file(path, config=FAST)
    assert info.value.source == str(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "empty" in info.value.reason


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_text_and_html_raise_empty_input_error(text: str) -> None:
    with pytest.raises(EmptyInputError, match="<text>"):
        clean_text(text, config=FAST)
    with pytest.raises(EmptyInputError, match=r"https://example\.org/empty"):
        clean_html(text, url="https://example.org/empty", config=FAST)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.html", "<html><body><p>Hello</p></body></html>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        ("paper.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        ("pages.zip", _zip_bytes(), "ZIP"),
        ("page.html.gz", gzip.compress(b"<html><body><p>Hello</p></body></html>"), "gzip"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(64), "JPEG"),
    ],
)
def test_binary_files_raise_binary_input_error(
    tmp_path: Path, name: str, data: bytes, what: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(BinaryInputError) as info:
        clean_file(path, config=FAST)
    assert info.value.source == str(path)
    assert what in info.value.reason
    assert str(path) in str(info.value)


def test_bytes_full_of_nuls_are_binary() -> None:
    data = bytes([0, 0, 0, 7, 0, 0, 3, 0, 0, 1, 0, 0, 0, 200, 0]) * 100
    with pytest.raises(BinaryInputError, match="NUL"):
        decode(RawPage(data, "blob.dat"))


def test_file_over_the_limit_raises_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"The bridge reopened on Monday. " * 10)
    with pytest.raises(TooLargeError) as info:
        clean_file(path, config=Config(max_bytes=100, learned=False, detect_language=False))
    assert info.value.source == str(path)
    assert "100" in info.value.reason


def test_file_at_the_limit_is_accepted(tmp_path: Path) -> None:
    data = b"The bridge reopened on Monday after four weeks of repairs."
    path = write(tmp_path, "exact.txt", data)
    doc = clean_file(path, config=Config(max_bytes=len(data), learned=False, detect_language=False))
    assert doc.text == data.decode()


def test_text_over_the_limit_raises_too_large() -> None:
    with pytest.raises(TooLargeError, match="<text>"):
        clean_text("word " * 100, config=Config(max_bytes=50))


def test_missing_path_raises_unreadable_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "page.html"
    with pytest.raises(UnreadableInputError) as info:
        clean_file(path)
    assert info.value.source == str(path)
    assert "no such file" in info.value.reason
    assert str(info.value) == f"{path}: no such file"


def test_folder_raises_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="folder") as info:
        read_path(tmp_path)
    assert info.value.source == str(tmp_path)


def test_read_path_accepts_strings_and_paths(tmp_path: Path) -> None:
    path = write(tmp_path, "page.txt", b"Hello there, this is a page.")
    assert read_path(str(path)).data == read_path(path).data == b"Hello there, this is a page."
    assert read_path(str(path)).source == str(path)


@pytest.mark.parametrize(
    ("error", "base"),
    [
        (EmptyInputError, InputError),
        (BinaryInputError, InputError),
        (TooLargeError, InputError),
        (UnreadableInputError, InputError),
        (InputError, CleanError),
    ],
)
def test_error_tree(error: type[CleanError], base: type[CleanError]) -> None:
    assert issubclass(error, base)
    exc = error("some/page.html", "a reason")
    assert exc.kind == error.__name__
    assert str(exc) == "some/page.html: a reason"


def test_check_bytes_passes_ordinary_text() -> None:
    check_bytes(RawPage(b"An ordinary line of text.", "ok.txt"))


# --- format sniffing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><p>Hi</p></body></html>",
        "<html lang='en'><head><title>T</title></head></html>",
        "\n\n  <div class='story'><p>The bridge reopened.</p></div>",
        "<meta charset='utf-8'><title>Bridge</title>",
        "<article><p>Text</p></article>",
    ],
)
def test_html_is_sniffed_as_html(text: str) -> None:
    assert sniff_format(text) == "html"


@pytest.mark.parametrize(
    "text",
    [
        "Use <b> for bold, she wrote.",
        "I <3 this bridge.",
        "If a < b and b > c, then nothing follows.",
        "The council met on Monday.\nThe bridge reopened on Tuesday.",
    ],
)
def test_plaintext_is_sniffed_as_text(text: str) -> None:
    assert sniff_format(text) == "text"


def test_file_format_is_sniffed_not_taken_from_the_suffix(tmp_path: Path) -> None:
    html = write(tmp_path, "page.txt", html_page("The bridge reopened on Monday.").encode())
    text = write(tmp_path, "page.html", b"Use <b> for bold text sparingly, she wrote.")
    assert clean_file(html, config=FAST).metadata["format"] == "html"
    plain = clean_file(text, config=FAST)
    assert plain.metadata["format"] == "text"
    assert plain.text == "Use <b> for bold text sparingly, she wrote."


def test_plaintext_mentioning_p_and_div_tags_stays_plaintext(tmp_path: Path) -> None:
    lines = [
        "Every paragraph of a page belongs inside a <p> element, and blocks can be grouped with a <div> element.",
        "Headings use the h1 to h6 elements, and the browser gives each a default size.",
    ]
    doc = clean_file(write(tmp_path, "tutorial.txt", "\n".join(lines).encode()), config=FAST)
    assert doc.metadata["format"] == "text"
    assert doc.text == "\n\n".join(lines)


# --- limits --------------------------------------------------------------------------------


def test_a_stray_nul_byte_is_dropped_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"The council met on Monday.\x00 It approved the new budget after a debate.")
    doc = clean_file(path, config=Config(learned=False, detect_language=False))
    assert "\x00" not in doc.text
    assert "It approved the new budget after a debate." in doc.text


def test_html_with_too_many_elements_is_refused_with_the_count(tmp_path: Path) -> None:
    path = tmp_path / "many.html"
    path.write_text("<html><body>" + "<span>a</span>" * 2_000 + "</body></html>")
    with pytest.raises(TooLargeError, match="elements, over the limit of 1000") as info:
        clean_file(path, config=Config(max_elements=1_000, detect_language=False))
    assert str(path) in str(info.value)


# --- encoding helpers ------------------------------------------------------------------------


def _mostly_utf8_one_by_one(data: bytes) -> bool:
    """`_mostly_utf8` as first written, with a Python loop over the characters."""
    text = data.decode("utf-8", errors="replace")
    errors = text.count("\ufffd") - data.count("\ufffd".encode())
    sequences = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return sequences >= MIN_UTF8_SEQUENCES_PER_ERROR * max(errors, 1)


@pytest.mark.parametrize(
    "data",
    [
        GERMAN.encode() + b"\xff",
        GERMAN.encode("cp1252"),
        FRENCH.encode("cp1252") + "é".encode(),
        "Ünïcödé".encode() + b"\xff\xfe\x81" + "\ufffd literal".encode(),
        b"\xc3\xa9\xff\xc3",
        b"plain ASCII only",
        "東京 \U0001f600".encode() + b"\x80",
        b"",
    ],
)
def test_mostly_utf8_counts_as_the_character_loop_did(data: bytes) -> None:
    assert _mostly_utf8(data) == _mostly_utf8_one_by_one(data)


def test_declared_utf8_that_does_not_decode_falls_through_to_detection() -> None:
    data = html_page(GERMAN, head='<meta charset="utf-8">').encode("cp1252")
    text, encoding = decode(RawPage(data, "odd.html"))
    assert GERMAN in text
    assert encoding != "utf-8"
