"""Split patterns: the text is cut into chunks by a regular expression before BPE, so merges never
cross a chunk boundary (a word never fuses with the punctuation or the space after it).

Both patterns are in the Oniguruma dialect that Hugging Face `tokenizers` compiles; the Python
`regex` module reads `GPT4_SPLIT_PATTERN` the same way.
"""

# The GPT-4 pattern of the seed's Table 1, one alternative per row: English contractions; a run of
# letters with at most one leading non-letter, non-digit, non-newline character; 1-3 digits; an
# optional space plus punctuation run plus trailing newlines; whitespace ending in a newline;
# whitespace not followed by a non-space (a run keeps its last space for the next word); whitespace.
GPT4_SPLIT_PATTERN = (
    r"'(?i:[sdmt]|ll|ve|re)"
    r"|[^\r\n\p{L}\p{N}]?+\p{L}+"
    r"|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]++[\r\n]*"
    r"|\s*[\r\n]"
    r"|\s+(?!\S)"
    r"|\s+"
)

# What tiktoken's cl100k_base uses today: the seed's pattern plus one alternative, whitespace that
# runs to the end of the text, taken as a single chunk. tiktoken writes it `\s++$`; in Oniguruma `$`
# also matches before every newline, so the end of the text is spelled `\z` here.
CL100K_PATTERN = (
    r"'(?i:[sdmt]|ll|ve|re)"
    r"|[^\r\n\p{L}\p{N}]?+\p{L}+"
    r"|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]++[\r\n]*"
    r"|\s+\z"
    r"|\s*[\r\n]"
    r"|\s+(?!\S)"
    r"|\s+"
)
