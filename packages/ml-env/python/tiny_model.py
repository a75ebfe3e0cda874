"""Builds a TINY RANDOMLY INITIALISED causal LM and a tokenizer trained here, in Hugging Face format.

    python tiny_model.py DIR [--seed N]

The model proves the plumbing (training, checkpoints, evaluation harnesses), not the science: its
outputs are gibberish. DIR gets the tokenizer (byte-level BPE, vocabulary of about 500, trained with
`tokenizers` on synthetic sentences generated from the seed, with a chat template), a Llama model
(hidden 64, 2 layers, about 100k parameters, tied embeddings), BALLAST_MODEL.json and a README that
say what it is. The same seed gives the same files.

Llama, not Qwen2: with a qwen2 config transformers swaps in its own Qwen2 tokenizer on loading and the
token ids change. Exit codes: 0 built, 2 bad arguments or DIR not empty, 3 a package is missing.
"""

import argparse
import json
import os
import random
import sys

LABEL = "tiny random model: proves the plumbing, not the science"
KIND = "tiny-random"
VOCAB_SIZE = 500
SENTENCES = 600

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"
ROLE_TOKENS = ["<|system|>", "<|user|>", "<|assistant|>"]

# Each message opens with its role's token and ends with EOS, so generation stops at the end of a turn.
CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{{ '<|' + message['role'] + '|>\n' + message['content'] + eos_token + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}"
)

SUBJECTS = ["the assistant", "the user", "a friend", "the teacher", "my neighbour", "the model", "a student", "the team"]
VERBS = ["helps", "answers", "explains", "asks about", "thanks", "checks", "writes", "reads", "shares", "listens to"]
OBJECTS = ["the question", "a short answer", "the plan", "a kind note", "the problem", "the story", "an honest reply", "the numbers"]
TRAITS = ["kind", "honest", "careful", "patient", "helpful", "curious", "calm", "fair"]
OPENERS = ["hello", "hi", "thanks", "please", "sure", "of course", "sorry", "good question"]
QUESTIONS = ["what is", "how do i", "can you explain", "why does", "could you help with", "is it true that"]
TOPICS = ["the weather", "a recipe", "this sentence", "my homework", "the answer", "a good plan", "the result"]


def sentence(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
    if kind == 1:
        return f"{rng.choice(OPENERS)}, {rng.choice(QUESTIONS)} {rng.choice(TOPICS)}?"
    if kind == 2:
        a, b = rng.randrange(20), rng.randrange(20)
        return f"what is {a} plus {b}? the answer is {a + b}."
    if kind == 3:
        return f"user: {rng.choice(QUESTIONS)} {rng.choice(TOPICS)}? assistant: {rng.choice(OPENERS)}, {rng.choice(SUBJECTS)} is {rng.choice(TRAITS)}."
    return f"be {rng.choice(TRAITS)} and {rng.choice(TRAITS)} when you {rng.choice(VERBS).split()[0]} {rng.choice(OBJECTS)}."


def build_tokenizer(seed: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    rng = random.Random(seed)
    corpus = [sentence(rng) for _ in range(SENTENCES)]
    specials = [PAD, BOS, EOS, UNK, *ROLE_TOKENS]
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    bos_id = tokenizer.token_to_id(BOS)
    # BOS before a plain text, as Llama tokenizers do; chat prompts get theirs from the template.
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, bos_id)]
    )
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=BOS,
        eos_token=EOS,
        unk_token=UNK,
        pad_token=PAD,
        additional_special_tokens=ROLE_TOKENS,
        model_max_length=1024,
        padding_side="left",
        clean_up_tokenization_spaces=False,
    )
    wrapped.chat_template = CHAT_TEMPLATE
    return wrapped


def build_model(tokenizer, seed: int):
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return model


README = """# Tiny random model (seed {seed})

**{label}.** Built by Ballast (`ballast models tiny`): a randomly initialised Llama causal LM with
{parameters:,} parameters and a byte-level BPE tokenizer trained on synthetic sentences. Its outputs
are gibberish. Results obtained with it test that training, checkpoints and evaluation work end to
end; they say nothing about any method or dataset.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description="Build a tiny random causal LM (plumbing, not science).")
    parser.add_argument("dir", help="output directory (must not exist or be empty)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.seed < 0:
        parser.error("--seed must be 0 or more")
    if os.path.exists(args.dir) and (not os.path.isdir(args.dir) or os.listdir(args.dir)):
        sys.stderr.write(f"tiny_model: {args.dir} exists and is not an empty directory\n")
        return 2

    try:
        tokenizer = build_tokenizer(args.seed)
        model = build_model(tokenizer, args.seed)
    except ImportError as error:
        sys.stderr.write(f"tiny_model: missing package: {error}\n")
        return 3

    os.makedirs(args.dir, exist_ok=True)
    tokenizer.save_pretrained(args.dir)
    model.save_pretrained(args.dir)
    parameters = sum(p.numel() for p in model.parameters())
    info = {
        "kind": KIND,
        "label": LABEL,
        "seed": args.seed,
        "parameters": parameters,
        "architecture": "llama",
        "vocabSize": len(tokenizer),
    }
    with open(os.path.join(args.dir, "BALLAST_MODEL.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.dir, "README.md"), "w", encoding="utf-8") as f:
        f.write(README.format(seed=args.seed, label=LABEL[0].upper() + LABEL[1:], parameters=parameters))
    sys.stdout.write(json.dumps(info) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
