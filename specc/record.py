"""``Record``: the base of specc's hand-written data classes (slots and a readable repr).

specc's data classes are written out by hand rather than made with ``dataclasses``: creating a
dataclass runs generated code at import, and the seventy specc would create cost more start-up
time than checking a small file.
"""
from __future__ import annotations

_HIDDEN = frozenset({"loc", "raw", "parent", "ref_loc", "source", "_promises"})


class Record:
    __slots__ = ()

    def __repr__(self) -> str:
        names = [n for c in reversed(type(self).__mro__) for n in getattr(c, "__slots__", ())]
        shown = ", ".join(f"{n}={getattr(self, n, None)!r}" for n in names
                          if n not in _HIDDEN)
        return f"{type(self).__name__}({shown})"
