from textgen.data.poems import Poem, numerals, roman_value, split_numbered, split_titled

SONNETS = """THE SONNETS
by William Shakespeare




I

From fairest creatures we desire increase,
That thereby beauty's rose might never die,

  Pity the world, or else this glutton be,
  To eat the world's due, by the grave and thee.

II

When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,

IV

Unthrifty loveliness, why dost thou spend
"""


def test_numbered_poems_are_titled_by_their_first_line():
    poems = split_numbered(SONNETS)
    assert [p.title for p in poems] == ["From fairest creatures we desire increase",
                                        "When forty winters shall besiege thy brow",
                                        "Unthrifty loveliness, why dost thou spend"]
    assert poems[0].text.endswith("  To eat the world's due, by the grave and thee.")
    assert "\n\n  Pity" in poems[0].text  # stanza break and indentation kept
    assert numerals(SONNETS) == [1, 2, 4]  # the gap is visible to the caller


def test_a_numeral_inside_a_line_or_without_blank_line_before_is_text():
    poems = split_numbered("I\n\nHe said I\nV\nand went\n")
    assert poems == [Poem("He said I", "He said I\nV\nand went")]


def test_roman_values():
    assert [roman_value(n) for n in ("I", "IV", "IX", "XIV", "XL", "XC", "CXXVI", "CLIV", "LXXXVIII.")] == \
        [1, 4, 9, 14, 40, 90, 126, 154, 88]


MILTON = """The Poetical Works of John Milton



PREFACE by the Rev. H. C. Beeching, M. A.


This edition of Milton's Poetry is a reprint, as careful as Editor
and Printers have been able to make it, from the earliest printed
copies of the several poems.  First the 1645 volume of the
Minor Poems has been printed entire; then follow in order the
poems added in the reissue of 1673; the Paradise Lost, from the
edition of 1667; and the Paradise Regain'd and Samson



MISCELLANEOUS POEMS.


ON THE MORNING OF CHRISTS NATIVITY.
Compos'd 1629.

This is the Month, and this the happy morn
Wherin the Son of Heav'ns eternal King,
Of wedded Maid, and Virgin Mother born,
Our great redemption from above did bring;

Note: 3 born] borne 1673.



Transcriber's note: Facsimile of Title page follows:

                           POEMS
                      Mr John Milton,



SONNETS.


I

O Nightingale, that on yon bloomy Spray
Warbl'st at eeve, when all the Woods are still,
Thou with fresh hope the Lovers heart dost fill,
While the jolly hours lead on propitious May,


XV

ON THE LATE MASSACHER IN PIEMONT.

Avenge O lord thy slaughter'd Saints, whose bones
Lie scatter'd on the Alpine mountains cold,
Ev'n them who kept thy truth so pure of old
When all our Fathers worship't Stocks and Stones,



PSAL. III. Aug. 9. 1653
WHEN HE FLED FROM ABSALOM.


LORD how many are my foes
How many those
That in arms against me rise
Many are they



APPENDIX.

Specimen of Milton's spelling.
"""


def test_titled_collection():
    poems, dropped = split_titled(MILTON)
    assert [p.title for p in poems] == [
        "ON THE MORNING OF CHRISTS NATIVITY",
        "O Nightingale, that on yon bloomy Spray",
        "ON THE LATE MASSACHER IN PIEMONT",
        "PSAL. III. Aug. 9. 1653 WHEN HE FLED FROM ABSALOM",
    ]
    nativity = poems[0].text
    assert nativity.startswith("Compos'd 1629.\n\nThis is the Month") and "Note:" not in nativity
    assert "Transcriber" not in nativity and "POEMS" not in nativity  # untitled section after it
    assert poems[2].text.startswith("Avenge O lord")
    assert poems[3].text.startswith("LORD how many are my foes")  # a capitalised first word is no title
    # the preface is prose, MISCELLANEOUS POEMS. only a heading, APPENDIX. a two-line caption
    assert dict(dropped) == {"prose": 1, "heading": 1, "short": 1}
