"""The command-line interview: the questions and their answers (``session``), which
questions can still change the advice (``relevance``) and the terminal (``console``)."""
