"""Mood in every language: each post read in its own language, negation understood, mixed profiles from all posts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from extractors.describe import languages
from extractors.describe.candidates import read_posts
from extractors.describe.mood import _parse_entry, read_mood
from extractors.describe.nlp import first_names, mood_lexicon, vader
from extractors.describe.portrait import Mood
from extractors.errors import DescribeError

POSITIVE_LABELS = {"exuberant", "eager", "playful", "buoyant", "serene", "content", "hopeful", "warm", "cheerful"}
NEGATIVE_LABELS = {"restless", "fierce", "indignant", "anxious", "wistful", "uneasy", "weary", "melancholy", "brooding"}

JOYFUL = {
    "de": ["Heute war ein wunderbarer Tag, ich bin so glücklich!", "Wir haben gewonnen, was für eine Freude!",
           "Danke für den herrlichen Abend, ihr seid toll."],
    "es": ["¡Qué día tan bonito, estoy feliz!", "Ganamos el partido, ¡qué alegría!",
           "Gracias por la cena, todo estaba delicioso."],
    "fr": ["Quelle journée magnifique, je suis heureuse !", "On a gagné le match, quelle joie !",
           "Merci pour cette soirée géniale, vous êtes adorables."],
    "it": ["Che giornata splendida, sono felice!", "Abbiamo vinto, che gioia!",
           "Grazie per la cena, era tutto buonissimo."],
    "pt": ["Que dia lindo, estou muito feliz!", "Ganhamos o jogo, que alegria!",
           "Obrigada pelo jantar, estava tudo delicioso."],
    "nl": ["Wat een prachtige dag, ik ben zo blij!", "We hebben gewonnen, wat een feest!",
           "Bedankt voor de gezellige avond, jullie zijn geweldig."],
    "ru": ["Какой прекрасный день, я так счастлива!", "Мы победили, какая радость!",
           "Спасибо за ужин, всё было очень вкусно."],
    "da": ["Sikke en dejlig dag, jeg er så glad!", "Vi vandt kampen, hvor er det fantastisk!",
           "Tak for en hyggelig aften, I er skønne."],
}
SAD_OR_ANGRY = {
    "de": ["Mein Hund ist gestorben, ich bin so traurig.", "Der Zug fällt schon wieder aus, ich bin wütend.",
           "Alles ist schrecklich, ich fühle mich einsam."],
    "es": ["Mi perro murió, estoy muy triste.", "Otra vez el tren cancelado, estoy furioso.",
           "Todo es horrible, me siento sola."],
    "fr": ["Mon chien est mort, je suis tellement triste.", "Encore un train annulé, je suis furieux.",
           "Tout est horrible, je me sens seule et épuisée."],
    "it": ["Il mio cane è morto, sono tristissima.", "Un altro treno cancellato, sono arrabbiato.",
           "È tutto orribile, mi sento sola."],
    "pt": ["Meu cachorro morreu, estou muito triste.", "Outro trem cancelado, que raiva.",
           "Tudo está horrível, me sinto sozinha."],
    "nl": ["Mijn hond is dood, ik ben zo verdrietig.", "Weer een trein geannuleerd, ik ben boos.",
           "Alles is verschrikkelijk, ik voel me eenzaam."],
    "ru": ["Моя собака умерла, мне очень грустно.", "Опять отменили поезд, это бесит.",
           "Всё ужасно, мне одиноко."],
    "da": ["Min hund er død, jeg er så trist.", "Toget er aflyst igen, jeg er vred.",
           "Alt er frygteligt, jeg føler mig ensom."],
}
NEGATED = {  # (said, then negated): before the word and, where the language does, after it
    "de": [("Ich bin glücklich.", "Ich bin nicht glücklich."),
           ("Das war ein schöner Tag.", "Das war kein schöner Tag."), ("Das gefällt mir.", "Das gefällt mir nicht.")],
    "es": [("Estoy feliz.", "No estoy feliz."), ("Fue un día bonito.", "No fue un día bonito."),
           ("Me siento contento aquí.", "Nunca me siento contento aquí.")],
    "fr": [("Je suis heureux.", "Je ne suis pas heureux."), ("C'était une belle journée.",
           "Ce n'était pas une belle journée."), ("J'aime ça.", "Je n'aime pas ça.")],
    "it": [("Sono felice.", "Non sono felice."), ("È stata una bella giornata.", "Non è stata una bella giornata."),
           ("Mi piace.", "Non mi piace.")],
    "pt": [("Estou feliz.", "Não estou feliz."), ("Foi um dia bonito.", "Não foi um dia bonito."),
           ("Fico contente aqui.", "Nunca fico contente aqui.")],
    "nl": [("Ik ben blij.", "Ik ben niet blij."), ("Het was een mooie dag.", "Het was geen mooie dag."),
           ("Ik vind het leuk.", "Ik vind het niet leuk.")],
    "ru": [("Я счастлив.", "Я не счастлив."), ("Это был прекрасный день.", "Это был не прекрасный день."),
           ("Мне это нравится.", "Мне это не нравится.")],
    "da": [("Jeg er glad.", "Jeg er ikke glad."), ("Det var en dejlig dag.", "Det var ingen dejlig dag."),
           ("Jeg glæder mig til det.", "Jeg glæder mig ikke til det.")],
}
LANGS = sorted(JOYFUL)


def mood_in(lang: str, texts: Sequence[str]) -> Mood:
    lemmas = [[languages.lemma(w, lang) for w in languages.WORD.findall(t)] for t in texts]
    return read_mood(texts, lemmas, np.ones(len(texts)), [lang] * len(texts))


def test_the_lexicon_has_every_language_besides_english() -> None:
    lexicon = mood_lexicon()
    for lang in ("de", "es", "fr", "it", "pt", "nl", "ru", "da"):  # English: VADER and NRC
        assert len(lexicon[lang]["words"]) >= 100 and lexicon[lang]["negators"], lang


@pytest.mark.parametrize("lang", LANGS)
def test_joyful_posts_are_positive_in_their_own_language(lang: str) -> None:
    mood = mood_in(lang, JOYFUL[lang])
    assert mood.valence > 0.3, (lang, mood)
    assert mood.label in POSITIVE_LABELS
    assert mood.emotions and mood.emotions[0].name in ("joy", "trust", "anticipation")
    for text in JOYFUL[lang]:  # every single post, not only the average
        assert mood_in(lang, [text]).valence > 0.1, text


@pytest.mark.parametrize("lang", LANGS)
def test_sad_and_angry_posts_are_negative_in_their_own_language(lang: str) -> None:
    mood = mood_in(lang, SAD_OR_ANGRY[lang])
    assert mood.valence < -0.3, (lang, mood)
    assert mood.label in NEGATIVE_LABELS
    assert {e.name for e in mood.emotions[:2]} & {"sadness", "anger", "fear"}
    for text in SAD_OR_ANGRY[lang]:
        assert mood_in(lang, [text]).valence < -0.1, text


@pytest.mark.parametrize("lang", LANGS)
def test_a_negated_positive_is_not_counted_positive(lang: str) -> None:
    for said, negated in NEGATED[lang]:
        assert mood_in(lang, [said]).valence > 0.1, said
        mood = mood_in(lang, [negated])
        assert mood.valence <= 0, negated
        assert "joy" not in {e.name for e in mood.emotions}, negated


def test_a_negated_negative_is_not_counted_negative() -> None:
    assert mood_in("de", ["Kein Problem, gar nicht schlecht."]).valence > 0
    assert mood_in("fr", ["Pas mal du tout."]).valence > 0
    assert mood_in("es", ["No está mal."]).valence > 0


def test_inflected_forms_and_compounds_hit_through_lemmas_and_word_starts() -> None:
    assert mood_in("de", ["Die glücklichsten Kinder, Glückspilze!"]).valence > 0.3
    assert mood_in("ru", ["Она была счастлива и радостно смеялась."]).valence > 0.3
    assert mood_in("es", ["Estaban tristes y lloraban."]).valence < -0.3


def test_emoji_count_in_every_language() -> None:
    assert mood_in("de", ["Heute 😭😭"]).valence < -0.3
    assert mood_in("da", ["I dag :)"]).valence > 0.3


def test_a_mixed_german_and_english_profile_reads_both_halves() -> None:
    german = ["Ich habe solche Angst vor der Prüfung morgen, alles ist schrecklich.",
              "Mein Opa ist gestorben, ich bin unendlich traurig und weine viel.",
              "Der Streit mit meiner Schwester macht mich traurig und wütend."]
    english = ["What a wonderful sunny morning, I love this little garden so much!",
               "Celebrating with friends tonight, so happy and grateful for this joy.",
               "Won the pub quiz with my team, we laughed all evening, pure joy!"]
    texts = german + english
    # The describe stage's own reading: each post's language (py3langid) and its content-word lemmas
    langs = [languages.detect(t) or "en" for t in texts]
    assert langs == ["de"] * 3 + ["en"] * 3
    reading = read_posts(texts, langs, [float(i) for i in range(len(texts))], ["de", "en"], first_names())
    weights = np.ones(len(texts))
    mixed = read_mood(texts, reading.words, weights, reading.post_langs)
    de = read_mood(german, reading.words[:3], weights[:3], reading.post_langs[:3])
    en = read_mood(english, reading.words[3:], weights[3:], reading.post_langs[3:])
    assert de.valence < -0.3 < 0.3 < en.valence
    assert abs(mixed.valence - (de.valence + en.valence) / 2) < 0.01  # every post counts, each in its language
    names = {e.name for e in mixed.emotions}
    assert {"joy", "sadness"} <= names  # joy from English words, sadness from German ones
    assert {"fear", "sadness"} <= {e.name for e in de.emotions}


def test_without_languages_each_post_is_detected_as_the_describe_stage_does() -> None:
    texts = SAD_OR_ANGRY["de"]
    lemmas = [list(languages.WORD.findall(t)) for t in texts]
    assert read_mood(texts, lemmas, np.ones(len(texts))).valence < -0.3


def test_a_language_without_lexicon_is_read_as_english_by_vader() -> None:
    text = "Tack för en underbar dag, love it :)"
    mood = read_mood([text], [[]], np.ones(1), ["sv"])
    assert mood.valence == round(vader().polarity_scores(text)["compound"], 4)


def test_mismatched_inputs_and_bad_lexicon_entries_are_named() -> None:
    with pytest.raises(DescribeError, match="one language per post: 2 posts, 1 languages"):
        read_mood(["a", "b"], [[], []], np.ones(2), ["de"])
    with pytest.raises(DescribeError, match=r"'froh 2 joy'.*between -1 and 1 but is 2"):
        _parse_entry("de", "froh 2 joy")
    with pytest.raises(DescribeError, match="emotion must be one of"):
        _parse_entry("de", "froh 0.5 happiness")
    with pytest.raises(DescribeError, match="a word start needs 3 letters"):
        _parse_entry("de", "fr* 0.5 joy")
