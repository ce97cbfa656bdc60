"""Which language an article is in, and the refusal of everything but Spanish.

Detection uses py3langid (a maintained fork of langid.py: its naive Bayes model ships inside
the package, loads once in about half a second and classifies 2,000 characters in about a
millisecond, offline). The candidates are restricted to widely written languages: without
that, Spanish news dense with names is sometimes classed as Aragonese or Extremaduran.

Up to `MAX_SAMPLES` windows of `SAMPLE_CHARS` characters, spread evenly over the text, are
classified, and the language of most of them is the text's: an English boilerplate header
over a Spanish article does not make it English, nor a Spanish title an English text. A
window of fewer than `MIN_WORDS` words is not judged (detectors are unreliable there), so a
short text is never refused on detection alone; a declared `language` (front matter, a
JSONL field) that is not Spanish is refused whatever the length.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter

from .errors import InputError

SPANISH = "es"
SAMPLE_CHARS = 2000
MAX_SAMPLES = 5
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
    """(ISO 639-1 code, mean probability) of the language most windows of `text` are in
    (see the module docstring; a tie goes to Spanish, else to the earlier window), or None
    when no window has MIN_WORDS words."""
    verdicts = [v for v in map(_classify, samples(text)) if v is not None]
    if not verdicts:
        return None
    counts = Counter(code for code, _ in verdicts)
    best = max(counts.values())
    code = SPANISH if counts[SPANISH] == best else next(c for c, _ in verdicts if counts[c] == best)
    probabilities = [p for c, p in verdicts if c == code]
    return code, sum(probabilities) / len(probabilities)


def samples(text: str) -> list[str]:
    """Windows of SAMPLE_CHARS characters at the start, the end and evenly between (at most
    MAX_SAMPLES; one for a text that short)."""
    n = min(MAX_SAMPLES, math.ceil(len(text) / SAMPLE_CHARS))
    if n <= 1:
        return [text[:SAMPLE_CHARS]]
    step = (len(text) - SAMPLE_CHARS) / (n - 1)
    return [text[round(i * step) : round(i * step) + SAMPLE_CHARS] for i in range(n)]


def _classify(sample: str) -> tuple[str, float] | None:
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
