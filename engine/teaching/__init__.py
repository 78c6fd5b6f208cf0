"""Teaching how the rules reason: explain a conclusion, step through a run, what-if,
the rule catalog, the knowledge-base check and the teaching scenarios."""
