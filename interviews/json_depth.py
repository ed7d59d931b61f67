"""JSON from outside, refused when nested deeper than anything we accept.

Python's parser recurses once per level: `[` repeated 50,000 times raises RecursionError
(not ValueError), which escaped as a 500. A few hundred levels parse, and would then be
walked recursively by whatever reads them. No body or mapping of ours needs more than a
handful of levels, so anything beyond MAX_DEPTH is refused as invalid input.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


class TooDeep(ValueError):
    pass


def depth(value: Any) -> int:
    """Levels of arrays and objects (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """json.loads, raising TooDeep (a ValueError) past MAX_DEPTH levels."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise TooDeep(MAX_DEPTH) from None
    if depth(value) > MAX_DEPTH:
        raise TooDeep(MAX_DEPTH)
    return value
