"""Lexical tokenisation: our fast path must give exactly the tokens bm25s gives (the index is built with them)."""

import bm25s
import pytest

from index.lexical import TOKEN_PATTERN, _stemmer, tokenize

TEXTS = [
    "Creators must be at least 18 years old to receive Gifts during LIVE.",
    "The U.S. and the E.U. (a) 5 strikes; 7-day bans: e.g. naïve café ÄÖÜ straße İstanbul",
    "",
    "   ",
    "THE and OF are stop words, but x_y, 1.5 and 2026-11-27 are not",
    "Appeals are reviewed within 30 days; appealing, appealed, appeal all stem alike.",
    "日本語のテキスト and emoji 🦦 otters",
]


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_equal_bm25s_tokens(text):
    expected = bm25s.tokenize([text], token_pattern=TOKEN_PATTERN, stopwords="en", stemmer=_stemmer,
                              return_ids=False, show_progress=False)
    assert tokenize([text]) == expected


def test_a_batch_tokenizes_text_by_text():
    assert tokenize(TEXTS) == [tokenize([t])[0] for t in TEXTS]
    assert tokenize(["Appeals appealed"]) == [["appeal", "appeal"]]
