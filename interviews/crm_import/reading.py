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

# The largest file accepted (the upload form says so).
MAX_FILE_BYTES = 50 * 1024 * 1024

# CRM exports carry long free text (descriptions, notes) in columns we may not even import;
# the csv module refuses any field over 128 KiB, and with it the whole file. The file is
# capped and already in memory, so a field may be as long as the file. (The limit is the
# module's, for the process: nothing else here reads CSV.)
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))


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
    # Old Mac Excel ends lines with CR alone: the sniffer looks at lines split on LF.
    sample = text[:4096].replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": the reader sees line ends as they are (LF, CRLF or CR alone), and line
    # breaks inside quoted values stay part of the value.
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
        header = set(reader.fieldnames)
        missing = [c for f in required for c in _columns(mapping[f]) if c not in header]
        if missing:
            raise UnreadableFile(
                _("Missing columns: %(columns)s") % {"columns": join_list(missing)}
            )
        rows = []
        for line, raw in enumerate(reader, start=2):
            values = {
                field: " ".join(v for c in _columns(spec) if (v := (raw.get(c) or "").strip()))
                for field, spec in mapping.items()
            }
            if any(values.values()):
                rows.append(Row(line, values))
    except csv.Error as error:
        raise UnreadableFile(
            _("The file is not valid CSV near line %(line)d (%(error)s). Nothing was imported.")
            % {"line": reader.line_num, "error": error}
        ) from None
    return rows, encoding
