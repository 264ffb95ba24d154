import pytest

from textgen.data.archive import read_members
from textgen.errors import TextgenError


def test_sdist_members_by_path(make_sdist):
    sdist = make_sdist("pkg-1.0", {"data/b.txt": b"B", "data/a.txt": b"A", "setup.py": b"code"})
    assert read_members(sdist, lambda p: p.startswith("pkg-1.0/data/"), "x") == {
        "pkg-1.0/data/a.txt": b"A", "pkg-1.0/data/b.txt": b"B"}


def test_wheel_members(make_wheel):
    wheel = make_wheel("pkg-1.0-py3-none-any.whl", {"pkg/a.py": b"A = 1", "pkg/b.py": b"B = 2"})
    assert read_members(wheel, lambda p: p.endswith("a.py"), "x") == {"pkg/a.py": b"A = 1"}


def test_deb_members_without_leading_dot(make_deb):
    deb = make_deb("demo", "1.0-1", {"usr/share/demo/a.txt": b"A", "usr/share/doc/demo/copyright": b"C"})
    assert read_members(deb, lambda p: p.startswith("usr/share/demo/"), "x") == {"usr/share/demo/a.txt": b"A"}


def test_broken_deb_and_unknown_type_name_the_file(tmp_path, make_deb):
    (tmp_path / "broken_1_all.deb").write_bytes(b"not an ar archive")
    with pytest.raises(TextgenError, match="corpus 'demo': dpkg-deb --fsys-tarfile broken_1_all.deb failed"):
        read_members(tmp_path / "broken_1_all.deb", lambda p: True, "corpus 'demo'")
    (tmp_path / "a.rar").write_bytes(b"")
    with pytest.raises(TextgenError, match="corpus 'demo': a.rar: unknown archive type"):
        read_members(tmp_path / "a.rar", lambda p: True, "corpus 'demo'")
