"""The one family of errors a user of perencana can see.

``cli.py`` turns each into a message and an exit code; nothing else prints them.
"""


class PerencanaError(Exception):
    """Base of every error that is the user's to fix, shown without a traceback."""

    exit_code = 1

    def messages(self):
        """The lines to show the user, one problem per line."""
        return [str(self)]


class CaseError(PerencanaError):
    """Raised when a case file cannot be read or does not follow the case format."""

    def __init__(self, source, problems):
        self.source = source
        self.problems = list(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))

    def messages(self):
        return [f"{self.source}: {problem}" for problem in self.problems]


class KnowledgeError(PerencanaError):
    """Raised when the knowledge data is inconsistent (a broken or edited copy)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))

    def messages(self):
        return [f"knowledge: {problem}" for problem in self.problems]


class OutputError(PerencanaError):
    """Raised when the advice cannot be written where the user asked."""


class OutputExistsError(OutputError):
    """Raised when the file to write exists and overwriting it was not asked for."""


class TemplateError(PerencanaError):
    """Raised when a memo template cannot be loaded or rendered."""


class CheckError(PerencanaError):
    """Raised when ``perencana check`` finds problems in the knowledge base, the rules
    or the scenarios; each problem is one line naming the file, rule or id at fault."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))

    def messages(self):
        return list(self.problems)


class ScenarioError(CaseError):
    """Raised when a training scenario file cannot be read, holds a case that does not
    follow the case format, or expects something the knowledge does not know (an
    unknown key, cause, strategy, guidance or rule id, or a bad strength); ``source``
    is the scenario file and each problem names the key at fault."""
