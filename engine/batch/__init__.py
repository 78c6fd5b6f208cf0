"""Many cases at once: reading the inputs (files, folders, CSV and JSONL tables),
the run in worker processes, and the portfolio summary with its charts."""
