"""Synonyms in the admin: editors keep the reader's words and the official ones they stand for."""

from django.contrib import admin
from django.db.models import Q, Value
from django.db.models.functions import Replace

from newsroom.search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["reader_words", "official_words"]
    search_fields = ["reader_words", "official_words", "reader_key", "official_key"]
    fields = ["reader_words", "official_words"]

    def get_search_results(self, request, queryset, search_term):
        # Found however it is typed: «اس ام اس» from «اس‌ام‌اس».
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = Synonym.key_for(search_term).replace(" ", "")
        if key:
            joined = self.model.objects.annotate(
                reader_joined=Replace("reader_key", Value(" "), Value("")),
                official_joined=Replace("official_key", Value(" "), Value("")),
            )
            queryset |= joined.filter(
                Q(reader_joined__contains=key) | Q(official_joined__contains=key)
            )
        return queryset, may_have_duplicates
