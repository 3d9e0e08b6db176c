"""Turning what a platform stores into plain text: HTML, entities, mojibake, Unicode forms."""

from __future__ import annotations

import html
import unicodedata

import ftfy
from selectolax.lexbor import LexborHTMLParser

_BLOCK_TAGS = ("p", "br", "li", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6")


def html_to_text(markup: str) -> str:
    """Plain text of a post's HTML (Mastodon's ``content``).

    Mastodon splits long links into visible and ``invisible`` spans; the invisible parts are dropped so
    no link fragment survives, and block elements become line breaks so paragraphs stay apart.
    """
    if "<" not in markup and "&" not in markup:
        return markup
    tree = LexborHTMLParser(f"<div>{markup}</div>")
    for node in tree.css("span.invisible, span.ellipsis, script, style"):
        node.decompose()
    for tag in _BLOCK_TAGS:
        for node in tree.css(tag):
            node.insert_after("\n")
    root = tree.body or tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    return unescape(text)


def unescape(text: str) -> str:
    """HTML entities out (Twitter stores ``&amp;``, ``&lt;``, ``&gt;``), applied until stable."""
    for _ in range(3):
        new = html.unescape(text)
        if new == text:
            break
        text = new
    return text


def repair_mojibake(text: str) -> str:
    """Undo Meta's UTF-8-as-Latin-1 escaping ("tilfÃ¸jet" -> "tilføjet"), then NFC.

    Meta writes every UTF-8 byte as its own ``\\u00XX``; when the whole string round-trips through
    Latin-1 that is exactly the repair. Otherwise ftfy decides piece by piece.
    """
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        fixed = ftfy.fix_text(text, normalization="NFC")
    return unicodedata.normalize("NFC", fixed)


def fold_styled_letters(text: str) -> str:
    """NFKC: "mathematical bold" and other styled letters become plain ones (LinkedIn's habit)."""
    return unicodedata.normalize("NFKC", text)
