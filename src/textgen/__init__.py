"""textgen: regenerate two reports on neural text generation, from raw text to a published report."""

__version__ = "0.1.0"
