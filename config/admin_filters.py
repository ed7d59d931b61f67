"""Filters typed into an admin list's address ("?created_at__year=-1", a year with twenty
digits, "?created_at__gte=0001-01-01") are applied only when the list is counted, outside
the check Django's admin makes of them, so they reached the admin as a 500. Read as what
they are, wacky lookup parameters, the admin shows its own "invalid" notice instead."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters


class LookupSafeAdmin(admin.ModelAdmin):
    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            if not request.GET:
                raise  # the plain list failed: a bug, not a bad filter
            raise IncorrectLookupParameters(error) from error
