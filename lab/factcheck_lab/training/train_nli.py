"""Fine-tune a cross-encoder NLI classifier on CPU, resumably.

Run: ``factcheck-lab train-nli --base PATH --out runs/nli`` (needs the ``train`` extra: torch, transformers).

CPU specifics: bf16 autocast, dynamic padding, length-bucketed batches, a progress line with step,
loss, pairs/s and ETA, and a checkpoint (model + optimiser + scheduler + step) every
``checkpoint_every`` steps written atomically, so a stopped run resumes where it was.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

from factcheck_lab.training.data import (
    LABEL_MASKS,
    LABELS,
    MIXES,
    Pair,
    describe,
    heldout_pairs,
    pass_pairs,
    training_mix,
)


@dataclass
class TrainConfig:
    base: str
    out: str
    pool: str
    lr: float = 3e-5
    batch_size: int = 32
    max_len: int = 128
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    bucket_batches: int = 50
    checkpoint_every: int = 100
    threads: int = 2
    bf16: bool = True
    max_pairs: int = 0  # 0 = the whole mix
    skip_pairs: int = 0  # start the slice at this pair of the shuffled mix (a pass continuing an earlier one)
    mix: str = "v3"  # a name in training.data.MIXES (v3: the shipped model's)
    layers: int = 0  # keep only the base encoder's first N layers (a smaller, faster model); 0 = all


def length_bucketed_batches(pairs: list[Pair], tokenizer, cfg: TrainConfig) -> list[list[Pair]]:
    """Group pairs of similar length into batches (less padding), then shuffle the batches."""
    rng = random.Random(cfg.seed)
    chunk = cfg.batch_size * cfg.bucket_batches
    batches: list[list[Pair]] = []
    for start in range(0, len(pairs), chunk):
        block = pairs[start : start + chunk]
        lengths = [
            len(tokenizer(p.premise, p.hypothesis, truncation=True, max_length=cfg.max_len)["input_ids"]) for p in block
        ]
        block = [p for _, p in sorted(zip(lengths, block, strict=True), key=lambda t: t[0])]
        batches.extend(block[i : i + cfg.batch_size] for i in range(0, len(block), cfg.batch_size))
    rng.shuffle(batches)
    return batches


def masked_nll(logits: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
    """-log of the probability mass on the allowed labels (one label for 3-way rows, two for 2-way)."""
    log_probs = torch.log_softmax(logits.float(), dim=-1)
    allowed = log_probs.masked_fill(masks == 0, float("-inf"))
    return -torch.logsumexp(allowed, dim=-1).mean()


def encode(tokenizer, batch: list[Pair], max_len: int):
    enc = tokenizer(
        [p.premise for p in batch],
        [p.hypothesis for p in batch],
        truncation=True,
        max_length=max_len,
        padding=True,
        return_tensors="pt",
    )
    masks = torch.tensor([LABEL_MASKS[p.label] for p in batch], dtype=torch.long)
    return enc, masks


@torch.no_grad()
def accuracy(model, tokenizer, pairs: list[Pair], cfg: TrainConfig) -> float:
    """3-way accuracy on ``pairs`` (argmax over entailment/neutral/contradiction)."""
    model.eval()
    correct = 0
    for i in range(0, len(pairs), 64):
        batch = pairs[i : i + 64]
        enc, _ = encode(tokenizer, batch, cfg.max_len)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            pred = model(**enc).logits.argmax(-1).tolist()
        correct += sum(LABELS[k] == p.label for k, p in zip(pred, batch, strict=True))
    model.train()
    return correct / len(pairs)


def _save_checkpoint(path: Path, model, optimizer, scheduler, step: int) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "step": step,
        },
        tmp,
    )
    tmp.replace(path)


def _load_model(base: str, layers: int = 0):
    """The base encoder with a 3-way classification head; with ``layers``, only its first N layers
    (dropping the top layers keeps most of what fine-tuning needs, and halves the cost at half depth)."""
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=dict(enumerate(LABELS)), label2id={name: i for i, name in enumerate(LABELS)}
    )
    if layers:
        encoder = model.base_model.encoder
        if not 0 < layers <= len(encoder.layer):
            raise ValueError(f"--layers {layers}: the base model has {len(encoder.layer)} layers")
        encoder.layer = encoder.layer[:layers]
        model.config.num_hidden_layers = layers
    return model, AutoTokenizer.from_pretrained(base)


def train(cfg: TrainConfig) -> dict:
    """Train, resuming from ``out/checkpoint.pt`` if present; save the final model to ``out/final``."""
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    model, tokenizer = _load_model(cfg.base, cfg.layers)
    pool = Path(cfg.pool)
    pairs = training_mix(pool, MIXES[cfg.mix], seed=cfg.seed)
    pairs = pass_pairs(pairs, cfg.skip_pairs, cfg.max_pairs)
    batches = length_bucketed_batches(pairs, tokenizer, cfg)
    (out / "train_config.json").write_text(
        json.dumps({**asdict(cfg), "pairs": len(pairs), "sources": describe(pairs)}, indent=2)
    )
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    scheduler = get_linear_schedule_with_warmup(optimizer, math.ceil(cfg.warmup_ratio * len(batches)), len(batches))
    ckpt = out / "checkpoint.pt"
    start = 0
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start = state["step"]
        print(f"resumed at step {start}/{len(batches)}", flush=True)
    model.train()
    started, done_pairs, running = time.time(), 0, None
    for step in range(start, len(batches)):
        enc, masks = encode(tokenizer, batches[step], cfg.max_len)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            logits = model(**enc).logits
        loss = masked_nll(logits, masks)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        done_pairs += len(batches[step])
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if (step + 1) % 10 == 0:
            rate = done_pairs / (time.time() - started)
            left = sum(len(b) for b in batches[step + 1 :]) / rate
            print(
                f"step {step + 1}/{len(batches)} loss {running:.4f} {rate:.1f} pairs/s eta {left / 60:.0f} min",
                flush=True,
            )
        if (step + 1) % cfg.checkpoint_every == 0:
            _save_checkpoint(ckpt, model, optimizer, scheduler, step + 1)
    final = out / "final"
    model.save_pretrained(final)
    tokenizer.save_pretrained(final)
    held = heldout_pairs(pool)
    result = {
        "heldout_accuracy": accuracy(model, tokenizer, held, cfg),
        "heldout_pairs": len(held),
        "train_seconds_this_run": round(time.time() - started),
    }
    (out / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":  # python -m factcheck_lab.training.train_nli BASE OUT POOL
    train(TrainConfig(base=sys.argv[1], out=sys.argv[2], pool=sys.argv[3]))
