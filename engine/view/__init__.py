"""Words, made once, at the edge: fact references as readable lines in English or
Indonesian, the memo's view model that the templates and terminal views read, rule
conditions as text, and the JSON advice (``perencana-advice/1``)."""
