"""The seed's prompts, by source language: what its notebooks translate at every checkpoint.

    >>> prompts_for("nb")[0], len(prompts_for("en")), prompts_for("xx")
    ('Universet', 8, [])
"""

from __future__ import annotations

PROMPTS: dict[str, tuple[str, ...]] = {
    # Bokmål -> Nynorsk notebook
    "nb": (
        "Universet",
        "En stol.",
        "Boken min er på bordet.",
        "Jeg liker å sitte på skolen når jeg jobber.",
        "Ved å høre på forelesninger i fysikk ble jeg veldig trøtt.",
        "Hvem kan vel unnslippe døden?",
        "Norges Miljø- og Biovitenskapelige Universitet",
    ),
    # English -> Norwegian notebook
    "en": (
        "Universe.",
        "A chair.",
        "My friend.",
        "My book is on the table.",
        "I like sitting at school when working.",
        "Attending physics-lectures made me sleep.",
        "Who could possibly avoid death?",
        # the seed's long prompt, its spelling kept: what a model does past its training lengths
        "Yes, well how do you, as an AI, handle such long inputs as this? Are you able to translate them? "
        "I have not looked in the dataset thoroughly enough to see wheter there are any long pairs.",
    ),
}


def prompts_for(language: str) -> list[str]:
    """The prompts for a source language; none for a language the seed did not translate from."""
    return list(PROMPTS.get(language, ()))
