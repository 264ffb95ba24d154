"""Fine-tuning pretrained models with Hugging Face transformers (seed 001, "Finetuning of pre-trained
models"): a causal LM on 1024-character chunks of a corpus (`causal`) and T5 on "Create the lyrics
of <title>" -> poem (`seq2seq`), both through `Trainer`, with a generated-text table per epoch and
loss / gradient-norm curves from the trainer's log history.

Offline, the causal base model is SmolLM2-135M converted from a GGUF file (`base_model`; the tiny
profile uses a small random Llama with byte tokens, `random_llama`, which needs no download) and T5
starts from a small random model with a sentencepiece vocabulary trained on the poems
(`spm_tokenizer`); given the hub, `gpt2` and `t5-small` take the same code paths.
"""
