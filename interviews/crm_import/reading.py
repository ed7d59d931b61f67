"""Reading an export into rows of our fields, whatever its encoding.

Excel in Japan saves CSV as Shift_JIS (Windows code page 932, a superset); other tools
write UTF-8, often with a byte-order mark. UTF-8 is tried first: Shift_JIS text almost
never decodes as valid UTF-8, while the reverse is common.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from interviews.presenters import join_list


class UnreadableFile(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    line: int  # as a spreadsheet shows it: the header is line 1
    values: dict[str, str]


def decode(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor Shift_JIS text."))


def _columns(spec: str | tuple[str, str]) -> tuple[str, ...]:
    return (spec,) if isinstance(spec, str) else spec


def read_rows(
    data: bytes, mapping: dict[str, str | tuple[str, str]], required: tuple[str, ...]
) -> tuple[list[Row], str]:
    """Rows of {field: value}. Fails only when the file cannot be read at all or lacks a
    required column; everything row-specific is judged later, row by row."""
    text, encoding = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
    header = set(reader.fieldnames)
    missing = [c for f in required for c in _columns(mapping[f]) if c not in header]
    if missing:
        raise UnreadableFile(_("Missing columns: %(columns)s") % {"columns": join_list(missing)})
    rows = []
    for line, raw in enumerate(reader, start=2):
        values = {
            field: " ".join(v for c in _columns(spec) if (v := (raw.get(c) or "").strip()))
            for field, spec in mapping.items()
        }
        if any(values.values()):
            rows.append(Row(line, values))
    return rows, encoding
