"""Evaluation commands: NLI accuracy on shared-schema JSONL, FEVER gold-evidence accuracy."""
