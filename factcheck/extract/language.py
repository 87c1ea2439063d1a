"""Which language an article is written in, so that only English reaches the English pipeline.

py3langid (a maintained fork of langid.py, by trafilatura's author) is a naive Bayes model over
byte n-grams, bundled with the library: no download, numpy only. It answers with an ISO 639-1
code where the language has one ("de"), else an ISO 639-3 code ("pcm").

A text too short to tell, or one the model is unsure of, is unknown (""), and unknown is
treated as English: a short English paste full of foreign names ("Angela Merkel, Olaf Scholz
and Friedrich Merz met in Berlin.") must not be refused because it looks German.
"""

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Fewer letters than this and the guess is noise ("Hello" comes out Breton).
MIN_LETTERS = 20
# Below this probability the guess is not trusted. The model's probabilities are calibrated
# for length: a German sentence of nine words scores 0.99, while an English sentence of names
# scores 0.3-0.6 for German or Nigerian Pidgin.
MIN_CONFIDENCE = 0.8
# The start of an article is enough to tell its language, and the cost stays flat (about a
# millisecond) however long the article is.
SAMPLE_CHARS = 5000
# What the model says of text with no language in it (numbers, URLs): unknown for us.
NO_LANGUAGE = "zxx"

UNKNOWN = ""
ENGLISH = "en"
# The languages the extractor handles; an unknown language is tried as English.
SUPPORTED = frozenset({ENGLISH, UNKNOWN})

NAMES = {
    "ace": "Acehnese", "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "ar": "Arabic",
    "ary": "Moroccan Arabic", "arz": "Egyptian Arabic", "as": "Assamese", "az": "Azerbaijani",
    "ba": "Bashkir", "bcl": "Central Bikol", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali",
    "br": "Breton", "bs": "Bosnian", "ca": "Catalan", "crh": "Crimean Tatar", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "dz": "Dzongkha", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "ext": "Extremaduran",
    "fa": "Persian", "fi": "Finnish", "fo": "Faroese", "fr": "French", "fuv": "Nigerian Fulfulde",
    "fy": "Western Frisian", "ga": "Irish", "gcf": "Guadeloupean Creole", "gcr": "Guianese Creole",
    "gd": "Scottish Gaelic", "gl": "Galician", "gom": "Goan Konkani", "grc": "Ancient Greek",
    "gu": "Gujarati", "gug": "Paraguayan Guaraní", "guw": "Gun", "ha": "Hausa",
    "hbo": "Ancient Hebrew", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "ht": "Haitian Creole",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "ig": "Igbo", "is": "Icelandic",
    "it": "Italian", "ja": "Japanese", "jv": "Javanese", "ka": "Georgian", "kab": "Kabyle",
    "kik": "Kikuyu", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "ku": "Kurdish",
    "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish", "lg": "Ganda", "lij": "Ligurian",
    "ln": "Lingala", "lo": "Lao", "lt": "Lithuanian", "ltg": "Latgalian", "lv": "Latvian",
    "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi",
    "ms": "Malay", "mt": "Maltese", "my": "Burmese", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "no": "Norwegian", "nso": "Northern Sotho", "oc": "Occitan",
    "om": "Oromo", "or": "Odia", "pa": "Punjabi", "pcm": "Nigerian Pidgin", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "rw": "Kinyarwanda", "sa": "Sanskrit", "sdh": "Southern Kurdish", "se": "Northern Sami",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sn": "Shona", "so": "Somali",
    "sq": "Albanian", "sr": "Serbian", "st": "Southern Sotho", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai", "tk": "Turkmen", "tl": "Tagalog",
    "tr": "Turkish", "tt": "Tatar", "ug": "Uyghur", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "uzs": "Southern Uzbek", "vec": "Venetian", "vi": "Vietnamese", "vo": "Volapük", "wa": "Walloon",
    "wuu": "Wu Chinese", "xh": "Xhosa", "yo": "Yoruba", "yue": "Cantonese", "zh": "Chinese",
    "zu": "Zulu",
}


@cache
def _identifier():
    # Loaded on first use (about a second), once per process: web processes that never store an
    # article do not pay for it.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """The language code of `text`, or UNKNOWN ("") when it is too short or the model unsure."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return UNKNOWN
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or code == NO_LANGUAGE:
        return UNKNOWN
    return code


def is_supported(code: str) -> bool:
    """Whether the extractor takes text in this language (unknown is tried as English)."""
    return code in SUPPORTED


def language_name(code: str) -> str:
    """"German" for "de"; the code itself for one we have no name for, "" for unknown."""
    return NAMES.get(code, code)
