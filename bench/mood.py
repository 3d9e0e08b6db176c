"""Does mood read each language? ``python bench/mood.py [--show-misses]``

Hand-written, invented posts (ten cheerful and ten unhappy ones per language, two of each negated: "not
bad", "not happy"), labelled with the sign their valence should have. For each language: the share whose
sign comes out right (a valence within 0.05 of zero counts as wrong), read the old way (VADER's compound
on the whole text, as mood did for every language) and the new way (``read_mood`` of the post alone, in
its labelled language, and in the language py3langid detects, as the describe stage does for an untagged
post). The posts were written by the same person as the mood lexicon: a check that the reading works, not
an independent accuracy figure.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from extractors.describe import languages
from extractors.describe.mood import post_languages, read_mood
from extractors.describe.nlp import vader

_NEUTRAL = 0.05

# language -> (posts that should read positive, posts that should read negative)
POSTS: dict[str, tuple[list[str], list[str]]] = {
    "en": (
        ["Finally finished the marathon, my legs hurt but I'm so proud!", "Best pizza in town, we'll be back",
         "Sunday brunch with the girls, laughed until we cried 😂", "Got the job!!! Can't believe it",
         "The garden looks gorgeous after the rain", "Thanks everyone for the lovely birthday wishes ❤️",
         "Not bad at all for a first attempt at sourdough", "Can't complain, it was a good week",
         "Our little one took her first steps today, pure joy", "What a view from the summit, worth every step"],
        ["Flight delayed again, stuck at the airport for six hours", "Miss you every day, grandpa",
         "This heat is unbearable and the fan just broke", "Worst customer service ever, never again",
         "Feeling really low lately, can't sleep", "Someone stole my bike from outside the station",
         "Not happy with how the meeting went", "I don't enjoy these long dark evenings",
         "Our cat died this morning, the house feels empty", "So angry about the rent increase, it's a disgrace"],
    ),
    "de": (
        ["Endlich Wochenende, ich freu mich riesig auf den See!", "Was für ein traumhafter Sonnenuntergang heute",
         "Der Kuchen ist mega lecker geworden 😍", "Wir haben das Finale gewonnen, unglaublich!",
         "Danke euch allen für die lieben Geburtstagsgrüße", "Gemütlicher Abend mit Tee und einem guten Buch",
         "Gar nicht schlecht für den ersten Versuch", "Kein Stress heute, einfach nur entspannt",
         "Meine Tochter hat die Prüfung bestanden, so stolz auf sie", "Herrliches Wetter, perfekt zum Wandern"],
        ["Schon wieder Stau auf der A7, ich könnte schreien", "Mein Opa fehlt mir so sehr",
         "Die Bahn ist ausgefallen, zwei Stunden verloren, total genervt", "Das Essen war eklig und viel zu teuer",
         "Ich fühle mich seit Wochen einsam und müde", "Jemand hat mein Fahrrad geklaut, so ein Mist",
         "Ich bin überhaupt nicht zufrieden mit dem Ergebnis", "Das Konzert hat mir nicht gefallen",
         "Unsere Katze ist heute gestorben, ich bin am Boden zerstört",
         "Diese Mieterhöhung ist eine Frechheit, ich bin wütend"],
    ),
    "es": (
        ["¡Por fin vacaciones, qué ganas de playa!", "Qué atardecer tan precioso desde la terraza",
         "La paella de mi abuela, la mejor del mundo 😍", "¡Ganamos la liga, increíble!",
         "Gracias a todos por las felicitaciones, os quiero", "Tarde tranquila con café y un buen libro",
         "No está nada mal para ser mi primer intento", "Sin problemas hoy, todo salió genial",
         "Mi hija aprobó el examen, estoy muy orgullosa", "Un día perfecto en la montaña con amigos"],
        ["Otra vez atasco, llevo una hora parada, qué rabia", "Te echo tanto de menos, abuelo",
         "El tren se canceló y perdí la entrevista", "La comida estaba asquerosa y carísima",
         "Me siento sola y cansada desde hace semanas", "Me robaron la bici en la estación, qué asco de día",
         "No estoy nada contenta con el resultado", "No me gustó la película, muy aburrida",
         "Nuestro perro murió esta mañana, estoy destrozada", "Esta subida del alquiler es una vergüenza"],
    ),
    "fr": (
        ["Enfin les vacances, trop hâte d'être à la mer !", "Quel coucher de soleil magnifique ce soir",
         "Le gâteau est délicieux, recette validée 😍", "On a gagné le tournoi, c'est incroyable !",
         "Merci à tous pour vos gentils messages d'anniversaire", "Soirée tranquille avec un thé et un bon livre",
         "Pas mal du tout pour un premier essai", "Aucun souci aujourd'hui, tout s'est bien passé",
         "Ma fille a eu son bac, je suis tellement fière", "Journée parfaite en montagne avec les copains"],
        ["Encore des bouchons, une heure bloquée, ça m'énerve", "Tu me manques tellement, papi",
         "Train annulé, j'ai raté mon entretien", "Le repas était dégoûtant et hors de prix",
         "Je me sens seule et épuisée depuis des semaines", "On m'a volé mon vélo devant la gare, quelle galère",
         "Je ne suis pas du tout contente du résultat", "Je n'ai pas aimé le film, très ennuyeux",
         "Notre chat est mort ce matin, je suis effondrée", "Cette hausse de loyer est une honte, je suis furieuse"],
    ),
    "it": (
        ["Finalmente in vacanza, non vedo l'ora di andare al mare!", "Che tramonto meraviglioso stasera",
         "La torta è venuta buonissima 😍", "Abbiamo vinto il torneo, incredibile!",
         "Grazie a tutti per gli auguri, vi voglio bene", "Serata tranquilla con un tè e un bel libro",
         "Niente male per essere il primo tentativo", "Nessun problema oggi, tutto perfetto",
         "Mia figlia ha passato l'esame, sono orgogliosissima", "Giornata fantastica in montagna con gli amici"],
        ["Ancora traffico, un'ora ferma, che rabbia", "Mi manchi tantissimo, nonno",
         "Treno cancellato, ho perso il colloquio", "Il pranzo era disgustoso e carissimo",
         "Mi sento sola e stanca da settimane", "Mi hanno rubato la bici in stazione, che schifo",
         "Non sono per niente contenta del risultato", "Il film non mi è piaciuto, noiosissimo",
         "Il nostro gatto è morto stamattina, sono distrutta", "Questo aumento dell'affitto è una vergogna"],
    ),
    "pt": (
        ["Finalmente férias, que vontade de ir à praia!", "Que pôr do sol lindo hoje",
         "O bolo ficou uma delícia 😍", "Ganhamos o campeonato, incrível!",
         "Obrigada a todos pelas mensagens de aniversário, amo vocês", "Tarde tranquila com café e um bom livro",
         "Nada mal para uma primeira tentativa", "Sem problemas hoje, correu tudo bem",
         "Minha filha passou no vestibular, estou muito orgulhosa", "Dia perfeito na serra com os amigos"],
        ["De novo trânsito, uma hora parada, que raiva", "Sinto tanta saudade de você, vovô",
         "O trem foi cancelado e perdi a entrevista", "A comida estava nojenta e caríssima",
         "Me sinto sozinha e cansada há semanas", "Roubaram minha bicicleta na estação, que droga",
         "Não estou nada contente com o resultado", "Não gostei do filme, muito chato",
         "Nosso gato morreu hoje de manhã, estou arrasada", "Esse aumento do aluguel é uma vergonha"],
    ),
    "nl": (
        ["Eindelijk vakantie, ik heb zin in het strand!", "Wat een prachtige zonsondergang vanavond",
         "De taart is heerlijk geworden 😍", "We hebben het toernooi gewonnen, ongelooflijk!",
         "Bedankt allemaal voor de lieve verjaardagswensen", "Rustige avond met thee en een goed boek",
         "Helemaal niet slecht voor een eerste poging", "Geen problemen vandaag, alles ging goed",
         "Mijn dochter is geslaagd, ik ben zo trots", "Perfecte dag in de bergen met vrienden"],
        ["Alweer file, een uur stilgestaan, ik word er gek van", "Ik mis je zo erg, opa",
         "Trein geannuleerd, mijn sollicitatiegesprek gemist", "Het eten was smerig en veel te duur",
         "Ik voel me al weken eenzaam en moe", "Mijn fiets is gestolen bij het station, wat een rotdag",
         "Ik ben helemaal niet tevreden met het resultaat", "De film vond ik niet leuk, heel saai",
         "Onze kat is vanochtend overleden, ik ben kapot", "Deze huurverhoging is schandalig, ik ben boos"],
    ),
    "ru": (
        ["Наконец-то отпуск, очень хочу на море!", "Какой красивый закат сегодня",
         "Торт получился очень вкусным 😍", "Мы выиграли турнир, невероятно!",
         "Спасибо всем за поздравления, люблю вас", "Спокойный вечер с чаем и хорошей книгой",
         "Совсем неплохо для первой попытки", "Сегодня никаких проблем, всё прошло отлично",
         "Дочь сдала экзамен, я так горжусь ею", "Идеальный день в горах с друзьями"],
        ["Опять пробка, час стою, как же бесит", "Я так скучаю по тебе, дедушка",
         "Поезд отменили, я пропустила собеседование", "Еда была отвратительной и очень дорогой",
         "Уже несколько недель мне одиноко и я устала", "У меня украли велосипед у вокзала, ужасный день",
         "Я совсем не довольна результатом", "Фильм мне не понравился, очень скучный",
         "Наш кот умер сегодня утром, я разбита", "Это повышение аренды просто позор, я в ярости"],
    ),
    "da": (
        ["Endelig ferie, jeg glæder mig til stranden!", "Sikke en smuk solnedgang i aften",
         "Kagen blev virkelig lækker 😍", "Vi vandt turneringen, utroligt!",
         "Tak til jer alle for de søde fødselsdagshilsner", "Rolig aften med te og en god bog",
         "Slet ikke dårligt for et første forsøg", "Ingen problemer i dag, alt gik godt",
         "Min datter bestod eksamen, jeg er så stolt", "Perfekt dag i bjergene med vennerne"],
        ["Kø igen, en time i stilstand, det er så irriterende", "Jeg savner dig så meget, morfar",
         "Toget blev aflyst, og jeg missede min jobsamtale", "Maden var ulækker og alt for dyr",
         "Jeg har følt mig ensom og træt i ugevis", "Nogen har stjålet min cykel ved stationen, sikke en lortedag",
         "Jeg er slet ikke tilfreds med resultatet", "Jeg kunne ikke lide filmen, meget kedelig",
         "Vores kat døde i morges, jeg er knust", "Den huslejestigning er en skandale, jeg er rasende"],
    ),
}


def right(valence: float, sign: int) -> bool:
    return valence * sign > _NEUTRAL


def new_valence(text: str, lang: str) -> float:
    lemmas = [languages.lemma(w, lang) for w in languages.WORD.findall(text)]
    return read_mood([text], [lemmas], np.ones(1), [lang]).valence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--show-misses", action="store_true", help="print every post the new reading gets wrong")
    args = parser.parse_args()
    analyser = vader()
    new_valence("warm up", "de")  # lexicons, lemmatisers and the language identifier loaded before timing
    print("| language | posts | old: VADER on every language | new: labelled language | new: detected language |")
    print("|---|---|---|---|---|")
    totals = np.zeros(4)
    started = time.perf_counter()
    for lang, (positive, negative) in POSTS.items():
        labelled = [(t, 1) for t in positive] + [(t, -1) for t in negative]
        texts = [t for t, _ in labelled]
        detected = post_languages(texts)
        old = sum(right(analyser.polarity_scores(t)["compound"], s) for t, s in labelled)
        new = [right(new_valence(t, lang), s) for t, s in labelled]
        found = sum(right(new_valence(t, d), s) for (t, s), d in zip(labelled, detected, strict=True))
        n = len(labelled)
        totals += (n, old, sum(new), found)
        print(f"| {lang} | {n} | {old / n:.0%} | {sum(new) / n:.0%} | {found / n:.0%} |")
        if args.show_misses:
            for (text, sign), ok in zip(labelled, new, strict=True):
                if not ok:
                    print(f"  miss ({'+' if sign > 0 else '-'}, {new_valence(text, lang):+.3f}): {text}")
    count, *shares = (float(x) for x in totals)
    print(f"| all | {count:.0f} | " + " | ".join(f"{x / count:.0%}" for x in shares) + " |")
    print(f"\n{time.perf_counter() - started:.2f} s for all readings ({count:.0f} posts, three readings each)")


if __name__ == "__main__":
    main()
