"""Which language an article is in, and the refusal of everything but Spanish.

Detection uses py3langid (a maintained fork of langid.py: its naive Bayes model ships inside
the package, loads once in about half a second and classifies 2,000 characters in about a
millisecond, offline). The candidates are restricted to widely written languages: without
that, Spanish news dense with names is sometimes classed as Aragonese or Extremaduran.

Only the first `SAMPLE_CHARS` characters are looked at, and texts of fewer than `MIN_WORDS`
words are never refused on detection alone (detectors are unreliable there); a declared
`language` (front matter, a JSONL field) that is not Spanish is refused whatever the length.
"""

from __future__ import annotations

import hashlib
import re
import threading

from .errors import InputError

SPANISH = "es"
SAMPLE_CHARS = 2000
MIN_WORDS = 20
# A detected language other than Spanish refuses the text only when the detector is this
# sure of it (probabilities normalised over the candidate languages).
MIN_CONFIDENCE = 0.9

# English names of the candidate languages (ISO 639-1 codes, as py3langid reports them).
LANGUAGE_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean",
    "lb": "Luxembourgish", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "mn": "Mongolian",
    "ms": "Malay", "mt": "Maltese", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian", "pa": "Punjabi",
    "pl": "Polish", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese",
}
CANDIDATES = tuple(LANGUAGE_NAMES)

# Declared values that mean Spanish: es, es-PE, es_MX, spa, Spanish, español, castellano.
_SPANISH_DECLARED = re.compile(r"^(?:es(?:[-_][a-z0-9]+)*|spa|spanish|espa(?:ñ|n)ol|castellano)$", re.IGNORECASE)
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)

_identifier = None
_lock = threading.Lock()


def _get_identifier():
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(CANDIDATES))
            _identifier = identifier
    return _identifier


# Verdicts by a digest of the sample: `diplokg ingest` reads its inputs twice (a checking
# pass, then the stored one), and the classifier is most of the reading time. Bounded, so
# memory does not grow with the corpus (past the bound the second pass classifies again).
_VERDICTS: dict[bytes, tuple[str, float]] = {}
_MAX_VERDICTS = 100_000


def detect(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) of the best candidate for the start of `text`, or None
    when the text is too short (fewer than MIN_WORDS words) to say."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) < MIN_WORDS:
        return None
    key = hashlib.blake2b(sample.encode("utf-8"), digest_size=16).digest()
    verdict = _VERDICTS.get(key)
    if verdict is None:
        code, probability = _get_identifier().classify(sample)
        verdict = (str(code), float(probability))
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict
    return verdict


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.lower(), code)


def normalise_declared(value: str, where: str) -> str:
    """A declared language: any spelling of Spanish becomes "es"; anything else is refused."""
    value = " ".join(str(value).split())
    if _SPANISH_DECLARED.match(value):
        return SPANISH
    tag = _TAG.match(value)
    if tag and tag.group(1).lower() in LANGUAGE_NAMES:
        code = tag.group(1).lower()
        said = f"{language_name(code)} ({value})"
    else:
        said = repr(value[:40])
    raise InputError(f"{where}: the 'language' field says {said}; only Spanish (es) is supported for now")


def check_spanish(text: str, where: str) -> None:
    """Refuse a text that is confidently detected as another language than Spanish."""
    found = detect(text)
    if found is None:
        return
    code, probability = found
    if code != SPANISH and probability >= MIN_CONFIDENCE:
        raise InputError(f"{where}: the text is in {language_name(code)} ({code}); only Spanish (es) is supported for now")
