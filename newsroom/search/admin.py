"""Synonyms in the admin: editors keep the reader's words and the official ones they stand for."""

from django.contrib import admin

from newsroom.search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["reader_words", "official_words"]
    search_fields = ["reader_words", "official_words", "reader_key", "official_key"]
    fields = ["reader_words", "official_words"]

    def get_search_results(self, request, queryset, search_term):
        # Found however it is typed: «اس ام اس» from «اس‌ام‌اس».
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = Synonym.key_for(search_term)
        if key:
            queryset |= self.model.objects.filter(reader_key__contains=key)
            queryset |= self.model.objects.filter(official_key__contains=key)
        return queryset, may_have_duplicates
