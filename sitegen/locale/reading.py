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
    if CJK.search(text) is None:
        return _spaced_words(text), 0
    chars = len(CJK.findall(text))
    return len(_WORD.findall(CJK.sub(" ", text))), chars


def _spaced_words(text: str) -> int:
    """`_WORD`'s matches in text without CJK: a space-separated token of letters only is
    one, found without the regular expression (two thirds of the cost of counting went to
    matching every word character by character); the other tokens are matched as before."""
    tokens = text.split()
    others = [token for token in tokens if not token.isalpha()]
    return len(tokens) - len(others) + len(_WORD.findall(" ".join(others)))


def minutes(words: int, chars: int, language: str) -> int:
    """Whole minutes, at least one: spaced words at WORDS_PER_MINUTE, CJK characters at the
    rate of the article's language."""
    rate = CHARACTERS_PER_MINUTE.get(language.split("-")[0].lower(),
                                     DEFAULT_CHARACTERS_PER_MINUTE)
    return max(1, math.ceil(words / WORDS_PER_MINUTE + chars / rate))
