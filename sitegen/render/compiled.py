"""Compiled templates and their references, kept for the life of the process.

Jinja2 compiles a template's source to Python code before its first render: for the default
theme's templates that is about a quarter of a second, most of a small site's build. Each
build makes a new environment (sitegen.render.pages.make_environment), so every build in one
process compiled the same theme again: the dev server after a template or configuration
edit, `sitegen check` before a build, a test suite's hundreds of builds.

The compiled code is not a function of the source alone. Jinja2's optimizer runs a filter
on constant arguments at compile time and keeps the result (`{{ "/feed.xml" | absolute }}`
becomes the site's own address), and our filters read the configuration. So code is kept
for one configuration (its full value: `Config` is a frozen dataclass) and one template file;
Jinja2's bucket checks the source's checksum, so an edited template compiles again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import jinja2
from jinja2.bccache import Bucket

from sitegen.config import Config

LIMIT = 2048  # compiled templates kept; past it the memo starts again (a few MB at most)

# (configuration, bucket key: the template's name and file) -> (source checksum, code)
_CODE: dict[tuple[str, str], tuple[str, object]] = {}
# template source -> what it references (sitegen.engine.keys.TemplateKeys)
_REFERENCES: dict[str, frozenset[str | None]] = {}


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja2's bytecode cache, in memory, shared by the environments of one configuration."""

    def __init__(self, config: Config) -> None:
        self.setup = hashlib.sha256(repr(config).encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = _CODE.get((self.setup, bucket.key))
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]  # type: ignore[assignment]  # a code object, as compiled

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        if len(_CODE) >= LIMIT:
            _CODE.clear()
        _CODE[(self.setup, bucket.key)] = (bucket.checksum, bucket.code)


def references(source: str,
               find: Callable[[str], frozenset[str | None]]) -> frozenset[str | None]:
    """The templates `source` names (`find` parses it), found once per distinct source: the
    parse depends only on the text and on the lexer's settings, which are fixed."""
    kept = _REFERENCES.get(source)
    if kept is None:
        if len(_REFERENCES) >= LIMIT:
            _REFERENCES.clear()
        kept = _REFERENCES[source] = find(source)
    return kept
