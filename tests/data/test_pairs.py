import polib
import pytest

from textgen.data.fetch import fetch_source
from textgen.data.pairs import clean_string, main, prepare_pairs, split_of
from textgen.errors import TextgenError

RESOURCE = "usr/lib/libreoffice/program/resource"
VERSION = "4:7.4.7-1+deb12u14"

# (catalog, context, English id) -> (Bokmål, Nynorsk); None: not in that language's catalog
MESSAGES = {
    ("vcl.mo", "stock", "_Cancel"): ("Avbryt", "_Avbryt"),  # identical once "_" is gone
    ("svt.mo", "RID_STR_COPY", "~Copy"): ("~Kopier", "Kopier"),  # identical once "~" is gone
    ("cui.mo", "optdlg|height", "Page _height:"): ("Side_høyde:", "Side_høgd:"),
    ("cui.mo", "STR_DELETE", "Delete %1?"): ("Slette %1?", "Slette %1?"),
    ("cui.mo", "STR_FILE", "The file $(ARG1) is damaged."): ("Fila $(ARG1) er skadd.", "Fila $(ARG1) er skadd."),
    ("cui.mo", "STR_ENTER", "Press\n  Enter\tnow"): ("Trykk\n  på Enter", "Trykk\tEnter"),
    ("sw.mo", "STR_ENTER2", "Press Enter"): ("Trykk på Enter", "Trykk Enter-tasten"),  # same nb: duplicate
    ("sw.mo", "STR_CAFE", "Cafe"): ("Kafe\u0301", "Kaf\u00e9en"),
    ("sw.mo", "STR_NB_ONLY", "Only in Bokmål"): ("Bare på bokmål", None),
    ("sw.mo", "STR_LIST", "List"): ("Liste", "Liste"),  # identical in both: kept only on request
}


def mo_file(path, language: int):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for (catalog, context, english), strings in MESSAGES.items():
        if catalog == path and strings[language] is not None:
            po.append(polib.POEntry(msgctxt=context, msgid=english, msgstr=strings[language]))
    if path == "sw.mo":
        po.append(polib.POEntry(msgid="%1 file", msgid_plural="%1 files", msgstr_plural={0: "x", 1: "y"}))
    return po


@pytest.fixture
def debs(tmp_path, make_deb, fake_apt):
    for index, language in enumerate(["nb", "nn"]):
        files = {}
        for catalog in sorted({key[0] for key in MESSAGES}):
            mo_path = tmp_path / f"{language}-{catalog}"
            mo_file(catalog, index).save_as_mofile(str(mo_path))
            files[f"{RESOURCE}/{language}/LC_MESSAGES/{catalog}"] = mo_path.read_bytes()
        deb = make_deb(f"libreoffice-l10n-{language}", VERSION, files, fake_apt)
        assert deb.exists()

    def fetch(name: str, languages: list[str]):
        out = tmp_path / "raw" / name
        packages = {f"libreoffice-l10n-{language}": VERSION for language in languages}
        fetch_source(name, {"kind": "debian", "packages": packages}, out)
        return out
    return fetch


def read_tsv(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "source\ttarget" and lines[-1] == ""
    return [tuple(line.split("\t")) for line in lines[1:-1]]


def all_pairs(folder):
    return sorted(p for split in ("train", "val", "test") for p in read_tsv(folder / f"{split}.tsv"))


def test_nb_nn_pairs_are_cleaned_and_counted(tmp_path, debs):
    out = tmp_path / "out"
    manifest = prepare_pairs("nb_nn", "libreoffice_nb_nn", debs("nb_nn", ["nb", "nn"]), out, {})
    assert all_pairs(out) == [("Kafé", "Kaféen"), ("Sidehøyde:", "Sidehøgd:"), ("Trykk på Enter", "Trykk Enter")]
    assert manifest["dropped"] == {"duplicate": 1, "identical": 3, "placeholder": 2, "plural": 1, "unpaired": 1}
    assert sum(manifest["counts"].values()) == 3 and manifest["candidate_pairs"] == 10
    assert manifest["languages"] == {"source": "nb", "target": "nn"}
    assert [s["package"] for s in manifest["sources"]] == ["libreoffice-l10n-nb", "libreoffice-l10n-nn"]
    assert manifest["source_words"] == 1 + 1 + 3


def test_identical_pairs_kept_on_request(tmp_path, debs):
    manifest = prepare_pairs("nb_nn", "libreoffice_nb_nn", debs("nb_nn", ["nb", "nn"]), tmp_path / "out",
                             {"keep_identical": True})
    assert "identical" not in manifest["dropped"]
    assert ("Avbryt", "Avbryt") in all_pairs(tmp_path / "out") and ("Liste", "Liste") in all_pairs(tmp_path / "out")


def test_en_nb_uses_the_english_id(tmp_path, debs):
    out = tmp_path / "out"
    manifest = prepare_pairs("en_nb", "libreoffice_en_nb", debs("en_nb", ["nb"]), out, {})
    pairs = dict(all_pairs(out))
    assert pairs["Page height:"] == "Sidehøyde:" and pairs["Press Enter now"] == "Trykk på Enter"
    assert pairs["Cancel"] == "Avbryt" and pairs["Only in Bokmål"] == "Bare på bokmål"
    assert "Delete %1?" not in pairs and manifest["dropped"]["placeholder"] == 2


def test_missing_language_is_named(tmp_path, debs):
    message = r"corpus 'nb_nn': no nn catalogs in the fetched packages \(found \['nb'\]\)"
    with pytest.raises(TextgenError, match=message):
        prepare_pairs("nb_nn", "libreoffice_nb_nn", debs("nb_only", ["nb"]), tmp_path / "out", {})
    assert not (tmp_path / "out").exists()


def test_accelerators_and_whitespace():
    assert clean_string("~Close & Return", ui=False) == "Close & Return"
    assert clean_string("&File", ui=False) == "File"
    assert clean_string("Tom &amp; Jerry", ui=False) == "Tom &amp; Jerry"
    assert clean_string("enter a tilde (~) before", ui=False) == "enter a tilde (~) before"
    assert clean_string("an underscore (_)", ui=True) == "an underscore (_)"
    assert clean_string("OPT_PROB_HIT", ui=True) == "OPT_PROB_HIT"
    assert clean_string("EUROCONVERT_X", ui=False) == "EUROCONVERT_X"  # "_" is a mnemonic only in .ui strings
    assert clean_string(" a\tb\n c ", ui=False) == "a b c"


def test_split_is_deterministic_stable_and_close_to_the_fractions():
    sources = [f"string number {i}" for i in range(4000)]
    splits = [split_of(s, 0.05, 0.1) for s in sources]
    assert splits == [split_of(s, 0.05, 0.1) for s in sources]
    assert abs(splits.count("test") / 4000 - 0.1) < 0.02 and abs(splits.count("val") / 4000 - 0.05) < 0.015
    assert {split_of(s, 0.0, 0.0) for s in sources} == {"train"}


@pytest.mark.parametrize("options, message", [
    ({"val": 1.5}, "option val must be a fraction in [0, 1)"),
    ({"val": 0.5, "test": 0.5}, "val + test must leave pairs for training"),
    ({"keep_identical": "yes"}, "keep_identical must be true or false"),
    ({"shuffle": True}, r"options ['shuffle'] are unknown"),
])
def test_bad_options(tmp_path, options, message):
    with pytest.raises(TextgenError) as err:
        prepare_pairs("nb_nn", "libreoffice_nb_nn", tmp_path / "raw", tmp_path / "out", options)
    assert str(err.value).startswith("corpus 'nb_nn': ") and message in str(err.value)


def test_main_prints_one_summary_line(tmp_path, debs, capsys):
    raw = debs("nb_nn", ["nb", "nn"])
    assert main(["--name", "nb_nn", "--extractor", "libreoffice_nb_nn", "--options", '{"val": 0, "test": 0}',
                 "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("prepare-pairs nb_nn: train 3 / val 0 / test 0 pairs")
