"""How a mistyped Persian word is recognised: letters that sound alike, and one edit.

A word's *sound key* writes each group of letters that Persian pronounces
alike with one letter of the group («اصفهان» and «اسفهان», «ضروری» and
«زروری», «تقسیط» and «تقسیت» have one key). The word index keeps the key of
every word of the articles (newsroom/search/words.py); a query word no
article has is looked up by its key and by every key one edit away from it
(a letter left out, added, replaced or two swapped), which covers the slips
of a phone keyboard as well as the sounds.
"""

# Each group is written with its first letter. ع is read as a vowel or a
# glottal stop, like ا; ح like ه; the rest are the classic homophones.
SOUND_GROUPS = ("اع", "تط", "سثص", "زذضظ", "هح", "قغ")
_SOUND_TABLE = str.maketrans({letter: group[0] for group in SOUND_GROUPS for letter in group[1:]})

# The letters a sound key is written with: an edit adds or puts one of these.
ALPHABET = "ابپتجچخدرزژسشفقکگلمنوهی"

# Keys shorter than this are not corrected: too many words are one edit apart.
MIN_EDIT_LENGTH = 3
# Keys of this length take only the slips that keep their letters in order
# (one left out, two swapped); shorter words have too many neighbours.
FULL_EDIT_LENGTH = 4


def sound_key(word: str) -> str:
    """The word with each group of sound-alike letters written alike."""
    return word.translate(_SOUND_TABLE)


def keys_one_edit_away(key: str) -> set[str]:
    """Every sound key one edit from `key`, and `key` itself."""
    found = {key}
    if len(key) < MIN_EDIT_LENGTH or not _is_persian(key):
        return found
    for i in range(len(key) + 1):
        head, tail = key[:i], key[i:]
        found.update(head + letter + tail for letter in ALPHABET)
        if len(tail) > 1:
            found.add(head + tail[1] + tail[0] + tail[2:])
        if len(key) >= FULL_EDIT_LENGTH and tail:
            found.add(head + tail[1:])
            found.update(head + letter + tail[1:] for letter in ALPHABET)
    found.discard("")
    return found


def _is_persian(key: str) -> bool:
    return all("\u0600" <= ch <= "\u06ff" for ch in key)
