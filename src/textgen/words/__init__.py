"""Report A's word-level data: tokenizer, vocabulary, int32 token memmaps, training windows.

`textgen.words.dataset` (WindowDataset, random_batch) needs torch and is not imported here, so
`textgen prepare-words` starts without paying torch's import time.

>>> tokens = tokenize_words("Spells, said Harry. Spells!")
>>> build_vocab({t: tokens.count(t) for t in tokens}, min_count=2).idx2word
('<unk>', 'Spells')
"""

from textgen.words.memmap import open_tokens, write_tokens
from textgen.words.prepare import prepare_word_corpus
from textgen.words.tokenizer import detokenize, tokenize_words
from textgen.words.vocab import Vocab, build_vocab

__all__ = ["Vocab", "build_vocab", "detokenize", "open_tokens", "prepare_word_corpus", "tokenize_words",
           "write_tokens"]
