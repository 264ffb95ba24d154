"""Numbers the seed reports state, set beside ours in the report. Facts copied from the seeds (each
with where it appears); the report labels every one of them as the seed's."""

from __future__ import annotations

# Seed 000, Figures 15-17: the loss printed before each text `write` generated, after each of the
# nine evaluations of Listing 9's loop ("Spells" prompt, Harry Potter books). The first value of
# Figure 15 is printed garbled in the seed ("9.297721862/92069").
SEED_000_TEXT_LOSSES = {
    "simple": (15, [9.297721862, 3.18126913104359, 3.13286737033081, 2.677362420156016, 1.23095813951141367,
                    1.9420497112409851, 1.57239757340393, 1.44096521638629, 1.2469181359486833]),
    "attention": (16, [9.29708956087280277, 3.1684813498450684, 1.941447372204895, 1.39893483315145142,
                       1.94265312751922, 0.95741126171688, 0.75904521653015, 0.8524891730398093,
                       0.6216107487676526]),
    "multihead": (17, [9.297030363964844, 3.4370815753926168, 2.565684001239014, 2.19145282631785,
                       1.94084775479446, 1.6494268455684977, 1.623919606208013, 1.4148891107940074,
                       1.456626176831064, 1.433686256406914]),
}
# Seed 000, "Some parameters" (beam-search walk-through): "the number of items in the token
# dictionary is 6916".
SEED_000_VOCABULARY = 6916
