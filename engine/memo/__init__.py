"""The memo: templates and their sandbox, rendering the view as Markdown, HTML, text
or Word, and writing files atomically."""
