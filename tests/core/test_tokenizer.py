"""The tokenizer's fast paths (one pattern for ASCII, cached sentences) give exactly the reference pieces."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.content.textgen import load_corpus
from mockapi.core.tokenizer import count_tokens, tokenize

# The tokenizer as first written: a GPT-2-style pre-tokeniser, then words over 10 characters (a leading
# space included) cut into a head of 6 letters (with its space) and tails of 6.
_PRETOKEN = re.compile(r"""'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d{1,3}| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def reference_tokens(text: str) -> list[str]:
    """The pieces of ``text`` by the plain algorithm, with no shortcut."""
    out: list[str] = []
    for piece in _PRETOKEN.findall(text):
        if len(piece) <= 10 or not piece.strip().isalpha():
            out.append(piece)
            continue
        head = 6 + (1 if piece.startswith(" ") else 0)
        out.append(piece[:head])
        out.extend(piece[i:i + 6] for i in range(head, len(piece), 6))
    return out


# Texts built from the characters the shortcuts care about: letters, contractions, digits, spaces,
# periods (sentence cuts), runs of punctuation, and non-ASCII letters and numbers that are not letters.
_PIECES = st.sampled_from(["a", "b", "Z", "x" * 11, " ", "  ", "\n", ". ", ".", "'s", "'ll", "'d", "1", "2345",
                           "_", "!?", "é", "²", "½", "\u00a0", "word", "extraordinarily"])


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_tokens_match_the_reference(text):
    assert tokenize(text) == reference_tokens(text)
    assert count_tokens(text) == len(reference_tokens(text))
    assert "".join(tokenize(text)) == text


@settings(max_examples=200)
@given(st.text(max_size=120))
def test_any_text_matches_the_reference(text):
    assert tokenize(text) == reference_tokens(text)


def test_corpus_replies_match_the_reference():
    """Replies are corpus sentences joined by spaces: the sentence cache must give the same tokens."""
    sentences = load_corpus()
    for start in range(len(sentences)):
        text = " ".join(sentences[start:start + 7])
        assert tokenize(text) == reference_tokens(text), text
        assert count_tokens(text) == len(reference_tokens(text))


def test_long_words_split_into_sixes():
    assert tokenize(" extraordinarily kind.") == [" extrao", "rdinar", "ily", " kind", "."]
    assert tokenize("abcdefghij ab abcdefghi") == ["abcdefghij", " ab", " abcdefghi"]  # 10 characters stay whole
    assert tokenize(" abcdefghij") == [" abcdef", "ghij"]  # 11 with the space: cut
    assert tokenize("I'dextraordinarily") == ["I", "'d", "extrao", "rdinar", "ily"]
