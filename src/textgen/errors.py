"""The one exception type the command line turns into a clear message and a non-zero exit."""


class TextgenError(Exception):
    """Bad input: a message that names the file, line or parameter at fault.

    >>> raise TextgenError("corpora.austen.source.kind: unknown kind 'ftp'")
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: corpora.austen.source.kind: unknown kind 'ftp'
    """
