"""Build the Instagram sample: the "Download your information" export of "Carla Ruiz", an invented street
photographer in Valencia, with her Threads.

    python sample_profiles/build/build_instagram.py

writes ``sample_profiles/instagram/instagram-carla.ruiz.calle-2026-03-09-Qm3Vt8Kp.zip`` the way Meta zips
it: ``your_instagram_activity/media/posts_1.json``, ``your_instagram_activity/threads/
threads_and_replies.json``, ``your_instagram_activity/comments/post_comments_1.json`` and
``reels_comments.json`` (her comments on other people's posts and reels; one entry without a comment),
``personal_information/personal_information/personal_information.json`` (username and e-mail: never
read), ``connections/followers_and_following/followers_1.json`` and the photos under ``media/``.
Same input, same bytes.

Quirks present: every string written as Meta writes it (each UTF-8 byte its own ``\\u00XX`` escape:
"añoranza" stored as "aÃ±oranza", emoji as four escapes); single-photo posts (caption and time in
``media[0]``) and carousels (caption and time at the top, empty per-photo titles); photos posted
without a caption; Threads posts, Threads replies (``text_app_post.is_reply``), a Threads carousel and a
picture-only thread. Own posts and replies with text: 52 (28 Instagram posts, 8 comments, 9 Threads
posts, 7 Threads replies).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from meta_export import meta, write_zip

OUT = Path(__file__).resolve().parents[1] / "instagram"
USER = "carla.ruiz.calle"
ZIP_NAME = f"instagram-{USER}-2026-03-09-Qm3Vt8Kp.zip"
ACTIVITY = "your_instagram_activity"

# (UTC time, number of photos, caption or "" for none). One photo: the single shape; more: a carousel.
POSTS: list[tuple[str, int, str]] = [
    ("2022-01-15 17:42:00", 1, "Luz de invierno en el Carmen. Las sombras largas hacen la mitad del trabajo. "
     "#fotografiacallejera #valencia"),
    ("2022-02-03 12:10:00", 3, "Mercado Central a primera hora: naranjas, voces y un señor que lleva 40 años "
     "en el mismo puesto 🍊 #streetphotography"),
    ("2022-02-27 19:05:00", 1, ""),
    ("2022-03-17 22:30:00", 4, "Fallas. La cremà de la plaza del Ayuntamiento desde la esquina de siempre. "
     "Fuego, humo y mil caras iluminadas 🔥 #fallas2022"),
    ("2022-04-09 08:20:00", 1, "Ruzafa se despierta despacio. Un café, una persiana que sube, un perro que "
     "mira. #ruzafa"),
    ("2022-05-21 20:45:00", 1, "Atardecer en la Malvarrosa. Siempre vuelvo al mismo muro, siempre es "
     "distinto ☀️"),
    ("2022-06-11 13:15:00", 2, "Dos abuelas, un banco y toda la mañana por delante. Mi serie favorita de este "
     "año se llama 'Bancos de barrio'."),
    ("2022-07-07 21:00:00", 1, ""),
    ("2022-08-14 18:35:00", 1, "Calor de agosto en el Cabanyal. Las fachadas de azulejos parecen arder "
     "con la última luz. #cabanyal"),
    ("2022-09-24 11:50:00", 5, "Carrete entero de una sola calle: la calle de la Paz, de punta a punta. "
     "Cinco fotos, cinco historias 📷"),
    ("2022-10-30 16:25:00", 1, "El Turia en otoño. Corredores, bicis y un violinista bajo el puente de las "
     "Flores. #jardindelturia"),
    ("2022-12-22 19:40:00", 1, "Luces de Navidad en la calle Colón y la gente corriendo con bolsas. "
     "Me quedo con el niño que miraba hacia arriba ✨"),
    ("2023-01-28 10:05:00", 3, "Exposición colectiva en La Nau: tres de mis fotos del Cabanyal cuelgan en "
     "la pared. Gracias a todos los que vinisteis 🙏"),
    ("2023-03-04 17:15:00", 1, "Añoranza de la luz de invierno. Sombras de farolas en el barrio del Carmen."),
    ("2023-03-19 23:10:00", 4, "Fallas otra vez. Este año fotografié a los falleros por dentro: el cansancio "
     "y la emoción de la noche de la cremà."),
    ("2023-05-13 09:30:00", 1, ""),
    ("2023-06-24 22:55:00", 2, "Noche de San Juan en la playa. Velas, deseos y los pies en el agua 🌊 "
     "#nochedesanjuan"),
    ("2023-08-02 07:45:00", 1, "Madrugar en agosto tiene premio: la Lonja vacía y la luz entrando por las "
     "columnas."),
    ("2023-09-16 18:00:00", 1, "Taller de fotografía callejera con jóvenes del barrio. Ellos me enseñaron "
     "más a mí que yo a ellos. #educacion"),
    ("2023-11-11 15:20:00", 3, "Lluvia en Valencia, por fin. Paraguas, charcos y reflejos en Ciutat Vella "
     "☔ #lluvia"),
    ("2024-01-20 12:35:00", 1, "Mi vieja Leica cumple 50 años y sigue disparando mejor que yo. #leica "
     "#analogico"),
    ("2024-02-17 17:50:00", 1, ""),
    ("2024-03-16 21:15:00", 6, "Mis Fallas 2024 en seis fotos. La mascletà se oye en el pecho, y eso no "
     "sale en ninguna foto 💥"),
    ("2024-05-04 19:25:00", 1, "Retrato de Paco, zapatero en la calle Sagunto desde 1978. Me contó que las "
     "manos no se jubilan."),
    ("2024-06-29 20:40:00", 2, "El puerto al atardecer. Grúas, gaviotas y pescadores que no tienen prisa."),
    ("2024-09-08 11:00:00", 1, "Vuelta al cole en Benimaclet. Mochilas más grandes que los niños 🎒"),
    ("2024-11-09 13:30:00", 3, "Después de la DANA: voluntarios con barro hasta las rodillas y la "
     "solidaridad de toda Valencia. No hay palabras, solo fotos. 💙"),
    ("2025-01-25 16:45:00", 1, "Fotolibro terminado: 'Bancos de barrio', 80 páginas de abuelas, vecinos y "
     "sombras de Valencia. Sale en primavera 📚"),
    ("2025-04-12 18:10:00", 1, "Presentación del fotolibro en la librería del Carmen. Gracias por llenar la "
     "sala ❤️"),
    ("2025-06-07 09:55:00", 1, ""),
    ("2025-08-23 20:05:00", 4, "Verano en el Cabanyal, tercera parte. Las mismas calles, otra luz, otras "
     "caras."),
    ("2025-10-18 17:35:00", 1, "Octubre dorado en el Turia. El mejor mes para fotografiar Valencia, y no "
     "acepto discusión 🍂"),
    ("2026-01-31 12:20:00", 2, "Empiezo un proyecto nuevo: los mercados de barrio de Valencia, uno por mes. "
     "Enero: el mercado de Ruzafa."),
]

# (UTC time, is a reply, text or "" for a picture-only thread, number of pictures).
THREADS: list[tuple[str, bool, str, int]] = [
    ("2023-07-08 10:15:00", False, "Primer hilo aquí. Fotógrafa de calle en Valencia, hablo de luz, barrios "
     "y cámaras viejas 📷", 0),
    ("2023-07-08 11:02:00", True, "¡Gracias! El Carmen por la mañana es lo mejor, antes de que llegue la "
     "gente.", 0),
    ("2023-07-19 18:40:00", False, "Pregunta seria: ¿35mm o 50mm para calle? Yo llevo diez años con el 35 "
     "y no me arrepiento.", 0),
    ("2023-07-19 19:25:00", True, "El 50 obliga a alejarse, y eso también tiene su encanto. Pero el 35 te "
     "mete en la escena.", 0),
    ("2023-09-02 09:10:00", False, "Lo que más me gusta de la fotografía callejera: nadie posa y todo "
     "pasa una sola vez.", 0),
    ("2023-12-01 17:55:00", False, "", 1),
    ("2024-02-10 12:30:00", True, "Pedir permiso después de disparar, siempre. Y borrar si la persona lo "
     "pide. Respeto ante todo.", 0),
    ("2024-04-22 08:45:00", False, "Madrugar para fotografiar la Lonja vacía es mi forma de meditación 🧘‍♀️", 0),
    ("2024-07-30 21:20:00", False, "Tres fotos del Cabanyal de esta noche. La luz de verano aquí es "
     "imposible de explicar.", 3),
    ("2024-11-05 19:00:00", False, "Valencia necesita manos. Si podéis, id a ayudar a los pueblos "
     "afectados por la DANA. Yo voy mañana con botas y escoba.", 0),
    ("2024-11-06 22:40:00", True, "Sí, hace falta agua y guantes sobre todo. Gracias por compartir 💙", 0),
    ("2025-02-14 16:05:00", False, "Mi fotolibro 'Bancos de barrio' ya está en imprenta. Nervios y "
     "alegría a partes iguales.", 0),
    ("2025-02-14 18:30:00", True, "Se podrá comprar en librerías de Valencia y en la presentación de "
     "abril 😊", 0),
    ("2025-06-21 10:50:00", False, "Consejo para quien empieza: fotografía tu propia calle durante un año. "
     "Aprenderás a ver.", 0),
    ("2025-09-12 13:15:00", True, "Película en blanco y negro, Ilford HP5 casi siempre. Perdona el retraso "
     "en contestar.", 0),
    ("2026-02-02 11:25:00", False, "Mercados de barrio, capítulo dos: Castilla. Puestos de toda la vida y "
     "un frutero que canta boleros.", 0),
    ("2026-02-20 20:10:00", True, "¡Claro que sí! El sábado por la mañana es el mejor momento para ir.", 0),
]



def _ts(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp())


def _photo(ts: int, i: int, title: str) -> dict[str, Any]:
    month = datetime.fromtimestamp(ts, UTC).strftime("%Y%m")
    return {
        "uri": f"media/posts/{month}/{ts}{i:02d}17945.jpg",
        "creation_timestamp": ts,
        "media_metadata": {"photo_metadata": {"exif_data": [{"iso": 400, "focal_length": "35",
                                                             "lens_model": "Summicron 35mm"}]}},
        "title": title,
        "cross_post_source": {"source_app": "FB"},
    }


def _post(when: str, photos: int, caption: str) -> dict[str, Any]:
    ts = _ts(when)
    if photos == 1:
        return {"media": [_photo(ts, 0, caption)]}
    return {"media": [_photo(ts, i, "") for i in range(photos)], "title": caption, "creation_timestamp": ts}


def _thread(when: str, reply: bool, text: str, pictures: int) -> dict[str, Any]:
    ts = _ts(when)
    post = {"reply_control": "everyone", "geo_gated_country_list": "", "is_reply": reply}
    if pictures <= 1:
        uri = _photo(ts, 0, "")["uri"] if pictures else ""
        return {"media": [{"uri": uri, "creation_timestamp": ts, "media_metadata": {
            "camera_metadata": {"has_camera_metadata": False}}, "title": text,
            "cross_post_source": {"source_app": "TEXT_POST_APP"}, "text_app_post": post}]}
    items = [dict(_photo(ts, i, ""), text_app_post=post) for i in range(pictures)]
    return {"media": items, "title": text, "creation_timestamp": ts}


# (UTC time, comment or "" for an entry Meta lists without one, the owner of the post commented on).
COMMENTS: list[tuple[str, str, str]] = [
    ("2024-05-05 10:00:00", "¡Qué luz tan bonita! 😍", "luz.de.levante"),
    ("2024-06-12 21:30:00", "Esa sombra en la pared es pura poesía", "luz.de.levante"),
    ("2024-08-01 09:10:00", "", "mercat.fotos"),
    ("2024-10-19 18:45:00", "Me encanta cómo has esperado al ciclista, timing perfecto 🚲", "calle.y.luz"),
    ("2025-01-07 12:05:00", "El blanco y negro le sienta genial al Cabanyal", "mercat.fotos"),
    ("2025-03-16 22:40:00", "Nos vemos en la mascletà, llevo la cámara pequeña", "calle.y.luz"),
    ("2025-05-30 20:15:00", "Qué reel tan bonito del puerto al amanecer 🌅", "puerto.vlc"),
    ("2025-09-02 08:50:00", "La música y las gaviotas, qué combinación", "puerto.vlc"),
    ("2026-01-11 17:25:00", "Gracias por enseñar el proceso de revelado, aprendí mucho", "revelado.lento"),
]


def _comment(when: str, text: str, owner: str) -> dict[str, Any]:
    data: dict[str, Any] = {"Media Owner": {"value": owner}, "Time": {"timestamp": _ts(when)}}
    if text:
        data = {"Comment": {"value": text}, **data}
    return {"media_list_data": [{"uri": ""}], "string_map_data": data}


def _json(data: Any) -> bytes:
    return json.dumps(meta(data), indent=2, ensure_ascii=True).encode("ascii")


def build() -> Path:
    members: list[tuple[str, bytes]] = [
        (f"{ACTIVITY}/media/posts_1.json", _json([_post(*row) for row in reversed(POSTS)])),
        (f"{ACTIVITY}/threads/threads_and_replies.json",
         _json({"text_post_app_text_posts": [_thread(*row) for row in reversed(THREADS)]})),
        (f"{ACTIVITY}/comments/post_comments_1.json", _json([_comment(*row) for row in COMMENTS[:6]])),
        (f"{ACTIVITY}/comments/reels_comments.json",
         _json({"comments_reels_comments": [_comment(*row) for row in COMMENTS[6:]]})),
        ("personal_information/personal_information/personal_information.json", _json({"profile_user": [{
            "string_map_data": {"Username": {"href": "", "value": USER, "timestamp": 0},
                                "Name": {"href": "", "value": "Carla Ruiz", "timestamp": 0},
                                "Email": {"href": "", "value": "carla.ruiz@example.es", "timestamp": 0}}}]})),
        ("connections/followers_and_following/followers_1.json", _json([{"title": "", "string_list_data": [
            {"href": "https://www.instagram.com/luz.de.levante", "value": "luz.de.levante",
             "timestamp": _ts("2022-03-01 12:00:00")}]}])),
    ]
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    for when, _, _ in POSTS[:3]:
        members.append((_photo(_ts(when), 0, "")["uri"], jpeg))
    return write_zip(OUT / ZIP_NAME, members, date_time=(2026, 3, 9, 18, 2, 0))


if __name__ == "__main__":
    print(build())
