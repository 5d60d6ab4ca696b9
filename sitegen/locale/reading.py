"""Reading time by script: words per minute where words are spaced, characters per minute
in Chinese and Japanese, which are written without spaces.

The rates are the mean silent reading speeds of adults measured with the International
Reading Speed Texts (Trauzettel-Klosinski, Dietz et al., "Standardized Assessment of
Reading Performance: The New International Reading Speed Texts IReST", Investigative
Ophthalmology & Visual Science 53(9), 2012, pp. 5452-5461): English 228 words per minute
(sitegen rounds to 230, as it did before), Chinese 255 characters per minute, Japanese
357 characters per minute (kana and kanji). Korean is written with spaces between words
(eojeol), so its words are counted as words; IReST has no Korean text to rate them by.
"""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 230
CHARACTERS_PER_MINUTE = {"zh": 255, "ja": 357}
DEFAULT_CHARACTERS_PER_MINUTE = 255  # Chinese characters quoted in another language

# Han ideographs (with extensions A and compatibility), kana, the iteration marks.
CJK = re.compile("[\u3005\u3006\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                 "\uff66-\uff9f]")
_WORD = re.compile(r"\w[\w'’-]*")


def count(text: str) -> tuple[int, int]:
    """(words, CJK characters) of plain text; a word is a run of letters outside CJK."""
    chars = len(CJK.findall(text))
    words = len(_WORD.findall(CJK.sub(" ", text) if chars else text))
    return words, chars


def minutes(words: int, chars: int, language: str) -> int:
    """Whole minutes, at least one: spaced words at WORDS_PER_MINUTE, CJK characters at the
    rate of the article's language."""
    rate = CHARACTERS_PER_MINUTE.get(language.split("-")[0].lower(),
                                     DEFAULT_CHARACTERS_PER_MINUTE)
    return max(1, math.ceil(words / WORDS_PER_MINUTE + chars / rate))
