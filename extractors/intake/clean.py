"""Cleaning shared by every reader: personal identifiers out, words in.

URLs, e-mail addresses, phone numbers, @handles and name mentions (``@[id:2048:Name]``) are removed,
and so is what ``personal`` finds (spelled-out e-mails, bare domains, bank and card numbers, street
addresses, other people's full names); hashtags keep their word (``#Berlin`` becomes ``Berlin``);
whitespace is normalised.
"""

from __future__ import annotations

import re

from extractors.intake.personal import remove_personal

_TLDS = frozenset(
    ("com", "org", "net", "io", "co", "de", "uk", "dk", "es", "fr", "it", "nl", "ly", "me", "social", "app",
     "dev", "gl", "gg", "tv", "be", "at", "ch", "se", "no", "fi", "eu", "info", "xyz")
)
# Possessive quantifiers (++, *+) never backtrack: a hostile "a.ba.ba.b..." post cannot stall the worker.
_DOMAIN = r"[a-z0-9-]++(?:\.[a-z0-9-]++)++"  # at least one dot, never ending in one
_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)\S+")
_BARE_URL = re.compile(rf"(?i)(?<![\w.-])(?P<host>{_DOMAIN})/\S*")  # t.co/x, bit.ly/y
_EMAIL = re.compile(rf"(?i)(?<![\w.%+-])[a-z0-9._%+-]++@{_DOMAIN}")
# @user, @user@instance.social, @handle.bsky.social
_HANDLE = re.compile(rf"(?i)(?<![\w@])@[a-z0-9_]++(?:[.-][a-z0-9_]++)*+(?:@{_DOMAIN})?")
# Mention markup that carries a person's name, not a handle: Facebook's "@[id:2048:Sofie Lund]" (older
# exports "@[100004:2048:Sofie Lund]") and LinkedIn's "@[Sofie Lund](urn:li:person:AbC)". Other people's
# names never reach the portrait, so the whole mark goes; bounded, so a stray "@[" cannot run far.
_NAME_MENTION = re.compile(r"@\[[^\[\]\n]{0,200}+\](?:\(urn:li:[^()\s]{1,200}+\))?")
# Phone numbers: +45 12 34 56 78, (555) 123-4567, 0171 1234567 ... at least 7 digits in a phone shape.
_PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\d[\d\s().\-/]{5,}\d(?!\w|\.\d)")
_DIGIT = re.compile(r"\d")
_HASHTAG = re.compile(r"(?<![\w&])#(\w+)")
_SPACES = re.compile(r"[ \t\u00a0\u200b\u2009\u202f]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _is_phone(match: re.Match[str]) -> bool:
    digits = sum(c.isdigit() for c in match.group(0))
    # Years, dates and prices have fewer digits or a different shape; a phone has 7 to 15 digits.
    return 7 <= digits <= 15 and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", match.group(0).strip())


def _drop_bare_url(match: re.Match[str]) -> str:
    tld = match.group("host").rsplit(".", 1)[-1].lower()
    return " " if tld in _TLDS else match.group(0)


def clean_text(text: str) -> str:
    """The text with URLs, e-mails, phones and @handles removed and whitespace normalised."""
    # Each pattern runs only where its telltale character occurs: most posts have none of them.
    if "/" in text or "www." in text:
        text = _URL.sub(" ", text)
        text = _BARE_URL.sub(_drop_bare_url, text)
    if "@" in text:
        text = _NAME_MENTION.sub(" ", text)
        text = _HANDLE.sub(" ", text)  # before e-mails: @user@instance.social is a handle, not an address
        text = _EMAIL.sub(" ", text)
    if len(_DIGIT.findall(text)) >= 7:
        text = _PHONE.sub(lambda m: " " if _is_phone(m) else m.group(0), text)
    text = remove_personal(text)
    if "#" in text:
        text = _HASHTAG.sub(r"\1", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return text


def hashtags_of(text: str) -> tuple[str, ...]:
    """Hashtags in the raw text, without the ``#``, in order of first use."""
    seen: dict[str, None] = {}
    for tag in _HASHTAG.findall(text):
        if not tag.isdigit():
            seen.setdefault(tag, None)
    return tuple(seen)
