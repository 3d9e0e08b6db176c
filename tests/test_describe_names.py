"""Names in lists of thanks: a joiner word inside the greeting, lower-case usernames, names that are words."""

from __future__ import annotations

from extractors.describe import languages
from extractors.describe.names import masked, tokens
from extractors.describe.nlp import first_names


def hidden(text: str, langs: tuple[str, ...]) -> list[str]:
    toks = tokens(text)
    found = masked(text, toks, first_names(), lambda w: any(languages.zipf(w.lower(), lang) > 0 for lang in langs))
    return [toks[i].text for i in sorted(found)]


def test_a_greeting_ending_in_a_joiner_word_still_opens_the_list() -> None:
    # Spanish "a" (to) is Italian/Portuguese "and": the list must start after "Gracias a", not at "Gracias".
    assert hidden("¡Gracias a fturner, nschou y Renée por la ayuda!", ("es", "da")) == ["fturner", "nschou", "Renée"]


def test_every_item_of_a_list_of_names_is_masked_even_a_dictionary_word() -> None:
    # "glassen" is a Danish/Dutch word, yet it stands in a list of people after "Danke an".
    assert hidden("Danke an Sandra, glassen und Ritt für die Hilfe!", ("de", "fr")) == ["Sandra", "glassen", "Ritt"]
    assert hidden("Merci à jesperkrogh, Gabrielle et glassen pour l'aide !", ("de", "fr")) == [
        "jesperkrogh", "Gabrielle", "glassen"]


def test_thanks_for_things_masks_nothing() -> None:
    assert hidden("Thanks to rain and coffee for this quiet morning.", ("en",)) == []
    assert hidden("Gracias a la lluvia, el café y el pan.", ("es",)) == []
