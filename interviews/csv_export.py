"""Every CSV file the app writes, through one writer that a spreadsheet cannot be made to
run (CSV or "formula" injection).

Spreadsheets treat a cell that starts with `=`, `+`, `-` or `@` as a formula, and a tab or
carriage return in front of one as nothing at all; text anyone can type (a request's topic,
a name imported from the CRM) must not become `=HYPERLINK(...)` or `=cmd|...` on a
manager's machine. Such a cell gets a leading apostrophe, the mark spreadsheets read as
"this is text", as OWASP recommends. Numbers stay numbers: ints and floats pass as they
are, and so does text that is only a number (a negative count, "12%").

Written by hand rather than with defusedcsv: that library leaves tab and carriage return
alone and rewrites `|` inside cells.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

# Full-width signs too: Japanese spreadsheet software may read them as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|[.,]\d+)%?")


def neutralise(value: Any) -> Any:
    """The value to write in a cell: text that would start a formula becomes text."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer's interface, each cell neutralised."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """A CSV download and its writer."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark tells Excel the file is UTF-8, so Japanese opens correctly.
    response.write("\ufeff")
    return response, SafeWriter(response)
