"""perencana's engine: everything between a case file and a memo.

Its subpackages, lowest layer first (a package imports only those above it in this
list, never one below):

- ``experta_ext``: the Python 3.10+ shim, the fast matcher, ``PlainFact``, the
  agenda and conflict resolution; the only code that touches experta's private
  names.
- ``case``: the case file: its schema, the loader, validation and the vocabulary
  (paths, list sections, languages, reading one answer).
- ``reasoning``: facts, the case's facts, the inference engine, the advisor, the
  unknown-answer search, the advice and its trace, the rule catalog.
- ``view``: words, made once: fact references as readable lines in each language,
  the memo's view model, rule conditions as text, the JSON advice.
- ``graph``: the reasoning graph: model, layout, SVG, DOT and Mermaid.
- ``memo``: templates, rendering (Markdown, HTML, text, Word) and atomic output.
- ``teaching``: explain, step, what-if, the rule catalog view, the knowledge-base
  check and the teaching scenarios.
- ``interview``: the command-line interview.
- ``batch``: many cases at once: inputs, the run, the portfolio and its charts.

``api`` is the library API the command line calls; ``errors`` is the one family of
user-facing errors, used by every layer; ``records`` the bases of the plain data
classes of every layer (in place of dataclasses, which cost start-up time);
``gc_policy`` tunes Python's garbage collector for the command line (only ``cli``
uses it).
"""
