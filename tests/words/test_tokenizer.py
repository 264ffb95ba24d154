from textgen.words.tokenizer import detokenize, tokenize_words


def test_seed_outputs_are_reproduced_token_for_token():
    # Lines of the seed's generated-text tables: its tokens re-joined with single spaces.
    for line in ["Spells , said Harry , looking at Uncle Vernon want going over his own house ?",
                 "Spells , he had finished , even if they ventured forth him to feel because everyone",
                 "I can't . Ron on , said quickly . Mr. Durely gave me . frog-marched midnight-blue",
                 "ter o' don at once , and He .. was .. trying to .... But We're okay"]:
        assert tokenize_words(line) == line.split()


def test_quoted_prose_gives_the_seed_tokens():
    text = '"Spells," said Harry, looking at Uncle Vernon. "Harry Potter?"'
    assert " ".join(tokenize_words(text)) == "Spells , said Harry , looking at Uncle Vernon . Harry Potter ?"


def test_apostrophes_inside_around_and_before_words():
    assert tokenize_words("didn't ma’am o'clock") == ["didn't", "ma'am", "o'clock"]  # curly -> straight
    assert tokenize_words("the sisters' house, nothin' an' o'") == ["the", "sisters'", "house", ",", "nothin'", "an'", "o'"]
    assert tokenize_words("'Good day, Emma' she said") == ["Good", "day", ",", "Emma", "she", "said"]
    assert tokenize_words("'Tis true, 'em all; 'Tilney'") == ["'Tis", "true", ",", "'em", "all", ";", "Tilney"]
    assert tokenize_words("‘Oh!’ said he") == ["Oh", "!", "said", "he"]


def test_hyphens_dashes_and_numbers():
    assert tokenize_words("to-morrow--but ----shire - jade — green") == [
        "to-morrow", "--", "but", "----", "shire", "-", "jade", "—", "green"]
    assert tokenize_words("£20,000 in 1815, or 3.5.") == ["£", "20,000", "in", "1815", ",", "or", "3.5", "."]


def test_abbreviations_keep_their_period_but_sentence_ends_do_not():
    assert tokenize_words("Mr. and Mrs. Darcy met Dr. Grant, &c. at St. James. I. M. Ronald") == [
        "Mr.", "and", "Mrs.", "Darcy", "met", "Dr.", "Grant", ",", "&c.", "at", "St.", "James", ".",
        "I", ".", "M.", "Ronald"]
    assert tokenize_words("Drake. Mrsa.") == ["Drake", ".", "Mrsa", "."]


def test_markup_quotes_and_whitespace_are_dropped():
    assert tokenize_words('_her_ «mind» “was” `less`\n\n\tdifficult') == ["her", "mind", "was", "less", "difficult"]
    assert tokenize_words("  \n \"\" '' _ ") == []


def test_case_and_non_ascii_letters_are_kept():
    assert tokenize_words("LIVES naïve Tromsø Æsir") == ["LIVES", "naïve", "Tromsø", "Æsir"]


def test_detokenize_attaches_punctuation():
    tokens = tokenize_words('"Spells," said Harry (twice)--and Ron... ran; £5 won\'t do!')
    assert detokenize(tokens) == "Spells, said Harry (twice)--and Ron... ran; £5 won't do!"
    assert detokenize([]) == ""
    assert detokenize(["jade", "-", "green"]) == "jade - green"
