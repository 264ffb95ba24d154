import gzip

import numpy as np
import pytest

from textgen.data.rlazyload import read_lazyload_db
from textgen.errors import TextgenError


def test_reads_character_vectors_and_only_the_objects_asked_for(lazyload_db):
    rdx, rdb = lazyload_db({
        "emma": np.array(["EMMA", "", "By Jane Austen", None], dtype=object),
        "persuasion": np.array(["Persuasion"], dtype=object),
        "numbers": np.array([1.5, 2.5]),
    })
    assert read_lazyload_db(rdx, rdb, "corpus 'austen'", ["persuasion", "emma"]) == {
        "persuasion": ["Persuasion"], "emma": ["EMMA", "", "By Jane Austen", None]}
    assert list(read_lazyload_db(rdx, rdb, "corpus 'austen'")) == ["emma", "persuasion", "numbers"]


def test_unicode_survives(lazyload_db):
    rdx, rdb = lazyload_db({"poem": np.array(["Café — naïve"], dtype=object)})
    assert read_lazyload_db(rdx, rdb, "x")["poem"] == ["Café — naïve"]


def test_missing_object_lists_what_is_there(lazyload_db):
    rdx, rdb = lazyload_db({"emma": np.array(["EMMA"], dtype=object)})
    message = r"corpus 'austen': objects \['persuasion'\] not in the database \(it has \['emma'\]\)"
    with pytest.raises(TextgenError, match=message):
        read_lazyload_db(rdx, rdb, "corpus 'austen'", ["persuasion"])


@pytest.mark.parametrize("damage, message", [
    (lambda rdx, rdb: (rdx, rdb[:-10]), "runs past the end"),
    (lambda rdx, rdb: (rdx, rdb[:4] + b"garbage" + rdb[11:]), "not zlib data"),
    (lambda rdx, rdb: (rdx, (1).to_bytes(4, "big") + rdb[4:]), "its header says 1"),
    (lambda rdx, rdb: (rdx[5:], rdb), "not gzip data"),
    (lambda rdx, rdb: (gzip.compress(b"not R"), rdb), "not an R-serialized object"),
])
def test_damaged_databases_are_refused(lazyload_db, damage, message):
    rdx, rdb = damage(*lazyload_db({"emma": np.array(["EMMA"] * 50, dtype=object)}))
    with pytest.raises(TextgenError, match=message):
        read_lazyload_db(rdx, rdb, "corpus 'austen'")


def test_other_compression_schemes_are_refused_clearly(lazyload_db):
    rdx, rdb = lazyload_db({"emma": np.array(["EMMA"], dtype=object)}, compressed=3)
    with pytest.raises(TextgenError, match="compression 3 not supported"):
        read_lazyload_db(rdx, rdb, "corpus 'austen'")
