"""The interview's input and output: questions on standard error, answers from
standard input, the case file written after every answer, then a review of the
answers, and the advice: the memo in the file ``--memo`` names with the advice in
short and the next commands to try on standard output, or else the memo itself on
standard output when that is not a terminal (a script reads it).

With a terminal the questions are shown in full (a heading per section, the progress,
numbered choices, the allowed answers and any default in brackets on the prompt
line), wrapped to the terminal's width; with piped input each question is one line
and the answers are read line by line, so an interview can be scripted (the end of
the input at the review takes the answers as they are). Ctrl-C leaves the case file
as written so far (exit 130); so does the end of the input before the last question
(exit 1). The case file records the interview's language, and ``--resume`` takes it
back. Every write is atomic.
"""

import re
import shutil
import sys
import textwrap
from pathlib import Path

import yaml

from perencana.engine.case.loader import NOTHING, bounded_line, read_yaml_file_and_text
from perencana.engine.errors import CaseError, OutputError, OutputExistsError
from perencana.engine.interview.session import Interview, check_partial
from perencana.engine.memo.output import write_atomically

DEFAULT_CASE = "case.yaml"
EXIT_INTERRUPTED = 130
EXIT_ENDED = 1
# The line of a partial case file that records the interview's language.
LANGUAGE_LINE = re.compile(r"^# perencana-interview: lang=([a-z]+)\s*$", re.MULTILINE)
# The line that records the lists that may still grow (an item may be added to them):
# in the interview's order a later section may be answered before a list is done.
OPEN_LINE = re.compile(r"^# perencana-interview: open=([a-z,]*)\s*$", re.MULTILINE)


class _CaseDumper(yaml.SafeDumper):
    """Block mappings, lists of plain values on one line, list items indented."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_list(dumper, items):
    flow = all(not isinstance(item, (list, dict)) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_CaseDumper.add_representer(list, _represent_list)


def case_text(data, header):
    """A case file: ``header`` lines as comments, then the sections of ``data``, a
    blank line between them."""
    lines = [f"# {' '.join(line.splitlines())}" for line in header]
    parts = [
        yaml.dump(
            {section: value},
            Dumper=_CaseDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=4096,
        )
        for section, value in data.items()
    ]
    return "\n".join(lines) + "\n\n" + "\n".join(parts)


def read_partial(path):
    """The data of a partial case file for ``--resume`` (YAML, not yet complete) and
    the language its interview was in (``None`` when it does not say): refused,
    naming the problems, when it is not a case in the making."""
    data, lang, _ = read_partial_file(path)
    return data, lang


def read_partial_file(path):
    """``read_partial``'s data and language, and the lists the file records as still
    open (``None`` when it does not say: a file written by hand, or by an older
    interview)."""
    name = str(path)
    # The hardened reader of every YAML the program reads (tags, aliases, duplicate
    # keys, deep nesting, huge numbers, lone surrogates, devices and FIFOs refused).
    data, raw = read_yaml_file_and_text(path)
    if data is NOTHING:
        data = None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CaseError(name, ["does not hold a case (a mapping of sections)"])
    problems = check_partial(data) if data else []
    if problems:
        raise CaseError(name, problems)
    return data, _recorded_language(raw), _recorded_open_lists(raw)


def _recorded_open_lists(raw):
    found = OPEN_LINE.search(raw)
    return tuple(name for name in found.group(1).split(",") if name) if found else None


def _recorded_language(raw):
    found = LANGUAGE_LINE.search(raw)
    return found.group(1) if found else None


class Console:
    """One interview on a pair of streams, writing the case to ``target``."""

    def __init__(self, interview, target, overwrite, stdin, stderr, tty):
        self.interview = interview
        self.target = target
        self.overwrite = overwrite  # the first write may replace an existing file
        self.stdin = stdin
        self.stderr = stderr
        self.tty = tty
        self.written = False
        self.section = None

    def say(self, text=""):
        self.stderr.write(self.wrap(text) + "\n")
        self.stderr.flush()

    def wrap(self, text):
        """``text`` wrapped to the terminal's width (as it is, when not a terminal)."""
        if not self.tty:
            return text
        return wrap_lines(text, shutil.get_terminal_size().columns)

    def read_line(self, prompt=""):
        if prompt:
            self.stderr.write(self.wrap(prompt) if prompt.endswith(" ") else prompt)
            self.stderr.flush()
        line = bounded_line(self.stdin)
        if line == "":
            raise EOFError
        return line.rstrip("\r\n")

    # ---------------------------------------------------------------- showing

    def show(self, question, again=False):
        """Show ``question``; ``again`` after a reply (?, why, an error) shows less."""
        interview = self.interview
        number = interview.asked + 1
        if not self.tty:
            hint = interview.hint(question)
            suffix = f" ({hint})" if hint else ""
            default = interview.default(question)
            suffix += f" [{default}]" if default is not None else ""
            self.say(f"{number}. {interview.text(question)}{suffix}")
            return None
        if not again:
            if question.section != self.section:
                self.section = question.section
                title = interview.section_title(question.section)
                self.say()
                self.say(f"== {title} ==")
            self.say()
            heading = interview.word("progress", number=number, count=interview.can_still_change())
            heading = heading[:1].upper() + heading[1:]
            item = interview.item_title(question)
            self.say(f"{heading} · {item}" if item else heading)
            self.say(interview.text(question))
            for choice, value, meaning in interview.choices(question):
                line = interview.word("choice_line", number=choice, value=value, meaning=meaning)
                self.say(f"  {line}")
        hint = interview.hint(question)
        prompt = interview.label(question)
        if hint:
            prompt += f" ({hint})"
        default = interview.default(question)
        if default is not None:
            prompt += f" [{default}]"
        return prompt + ": "

    # ---------------------------------------------------------------- writing

    def save(self, final=False):
        """Write the answers so far (atomically; the first write never replaces a
        file it may not); ``final`` writes even when nothing was answered here."""
        interview = self.interview
        if not (interview.history or self.written or final):
            return
        complete = interview.complete
        if complete:
            header = [interview.word("header_complete")]
        else:
            header = [
                interview.word("header_partial", count=interview.answer_count, path=self.target)
            ]
        skipped = interview.skipped()
        if skipped:
            header.append(interview.word("header_skipped", fields=", ".join(skipped)))
        unknown = interview.left_unknown()
        if unknown:
            header.append(interview.word("header_done", fields=", ".join(unknown)))
        header.append(f"perencana-interview: lang={interview.lang}")
        if not complete:
            header.append(f"perencana-interview: open={','.join(interview.open_lists())}")
        text = case_text(interview.case_data(), header)
        try:
            write_atomically(self.target, text, force=self.overwrite or self.written)
        except OutputExistsError:
            if not self.written:
                raise OutputError(interview.word("exists", path=self.target)) from None
            raise
        self.written = True

    # ---------------------------------------------------------------- the loop

    def run(self):
        """Ask until the interview is complete; returns ``True`` then."""
        interview = self.interview
        if self.tty:
            self.say(interview.word("intro", path=self.target))
            if interview.asked:
                self.say(interview.word("resumed", path=self.target, count=interview.answer_count))
        again = False
        while True:
            question = interview.next_question()
            if question is None:
                if self.review():
                    again = False
                    continue
                return True
            prompt = self.show(question, again)
            line = self.read_line(prompt or "")
            reply = interview.handle(question, line)
            again = reply.kind in ("help", "why", "how", "error", "nothing-to-undo")
            if reply.message:
                self.say(reply.message)
            if reply.kind in ("answered", "done"):
                self.save()
            if reply.kind in ("answered", "back", "done"):
                # Not saved on "back": the file keeps the answer taken back until a
                # new one is given, so input that ends meanwhile loses nothing.
                again = False

    def review(self):
        """The answers in a short table; a number typed reopens that answer (``True``:
        ask again), Enter or the end of the input goes on to the advice."""
        interview = self.interview
        rows = interview.review_rows()
        self.say()
        self.say(interview.word("review_heading", count=len(rows)))
        for number, _, label, answer in rows:
            key = "review_row" if answer else "review_row_plain"
            self.say(interview.word(key, number=number, label=label, answer=answer))
        while True:
            try:
                line = self.read_line(interview.word("review_prompt")).strip()
            except EOFError:
                self.stderr.write("\n")
                return False
            if not line:
                return False
            word = line.casefold()
            if word in interview.words("back_words"):
                line = str(len(rows))  # back: the last answer, as at a question
            if line.isdigit() and interview.reopen(int(line)):
                # Not saved here: the file keeps the answer until a new one is given,
                # so input that ends (or Ctrl-C) while it is asked again loses nothing.
                return True
            if word in interview.words("help_words"):
                self.say(interview.word("review_help", count=len(rows)))
                continue
            self.say(interview.word("review_no_such", value=line, count=len(rows)))


def wrap_lines(text, width):
    """Each line of ``text`` wrapped to ``width`` columns at spaces (a word longer
    than the line stays whole); a continued line keeps its indentation, and the text
    after a list mark (``- ``, ``12. ``) lines up under it."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        mark = re.match(r"\s*(?:[-•]|\d+\.|\d+)?\s*", line).group(0)
        indent = " " * min(len(mark), width // 2)
        out.append(
            textwrap.fill(
                line,
                width=max(width, 20),
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def confirm_overwrite(interview, path, stdin, stderr, tty):
    """Whether an existing ``path`` may be overwritten: asked on a terminal, refused
    (with a message naming --force and --resume) otherwise."""
    if not tty:
        raise OutputError(interview.word("exists", path=path))
    console = Console(interview, path, False, stdin, stderr, tty)
    hint = interview.word("hint_boolean")
    while True:
        line = console.read_line(f"{interview.word('overwrite', path=path)} ({hint}) ")
        word = line.strip().casefold()
        if word in interview.words("yes_words"):
            return True
        if word in interview.words("no_words"):
            raise OutputError(interview.word("not_overwritten", path=path))


def run_interview(
    output=None,
    resume=None,
    fmt="md",
    lang=None,
    force=False,
    stdin=None,
    stdout=None,
    stderr=None,
    advise=None,
    render=None,
    memo=None,
    write_memo=None,
):
    """Run the interview; return the exit code (0 done, 130 Ctrl-C, 1 input ended).

    The case goes to ``output`` (or the ``resume`` file, or ``case.yaml``). The memo
    in ``fmt`` goes to the file ``memo`` (written by ``write_memo``), and then only the
    advice in short and the next commands to try are printed; without ``memo``, to
    ``stdout`` when it is not a terminal (a script reads it), else the advice in
    short. ``lang`` is the language (``None``: the one the resumed file records, else
    English). ``advise`` and ``render`` turn the case into the memo (``engine.api``
    passes its own).
    """
    loaded, recorded, still_open = read_partial_file(resume) if resume else (None, None, None)
    interview = Interview(lang=lang or recorded or "en", data=loaded, open_lists=still_open)
    if stdin is None:
        stdin = sys.stdin
        if stdin is None:  # started with standard input closed (<&-)
            raise CaseError("<stdin>", [interview.word("no_input")])
        if hasattr(stdin, "reconfigure"):  # a byte that is not UTF-8 must not crash
            stdin.reconfigure(errors="replace")
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    tty = _is_tty(stdin)
    lang = interview.lang
    target = str(output or resume or DEFAULT_CASE)
    continuing = resume is not None and _same_file(resume, target)
    _check_target(interview, target)
    if memo is not None:
        _check_memo(interview, memo, force)
    console = Console(interview, target, force or continuing, stdin, stderr, tty)
    try:
        if not console.overwrite and Path(target).exists():
            console.overwrite = confirm_overwrite(interview, target, stdin, stderr, tty)
        console.run()
    except KeyboardInterrupt:
        _farewell(console, continuing, "interrupted")
        return EXIT_INTERRUPTED
    except EOFError:
        _farewell(console, continuing, "ended")
        return EXIT_ENDED
    console.save(final=True)
    case = interview.final_case()
    advice = advise(case)
    if memo is not None:
        write_memo(render(advice, fmt, lang), memo, force)
    if memo is None and not _is_tty(stdout):
        stdout.write(render(advice, fmt, lang))
        stdout.flush()
        console.say(interview.word("written", path=target))
        return 0
    console.say(interview.word("written", path=target))
    lines = [interview.summary_text(advice), ""]
    if memo is not None:
        lines += [interview.word("memo_written", path=memo), ""]
    option = "" if lang == "en" else f" --lang {lang}"
    lines.append(interview.word("next_heading"))
    change = _change_to_try(advice)
    for key in ("next_whatif", "next_explain", "next_html"):
        lines.append(interview.word(key, case=target, lang_option=option, change=change))
    text = "\n".join(lines)
    if _is_tty(stdout):  # a command to copy is not broken for a file or a pipe
        text = wrap_lines(text, shutil.get_terminal_size().columns)
    stdout.write(text + "\n")
    stdout.flush()
    return 0


def _change_to_try(advice):
    """A ``--set`` worth trying: an answer left unknown that would change the advice,
    else the pace of the change made gradual."""
    for finding in advice.unknowns:
        for answer in finding.changing_answers:
            if isinstance(answer, bool):
                return f"{finding.path}={'true' if answer else 'false'}"
            if isinstance(answer, (str, int)) and "[" not in finding.path:
                return f"{finding.path}={answer}"
    return "change.pace=gradual"


def _check_target(interview, target):
    """Refuse, before any question, a case file that could never be written."""
    path = Path(target)
    if path.is_dir():
        raise OutputError(interview.word("is_folder", path=target))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(interview.word("no_folder", path=target, folder=folder))


def _check_memo(interview, memo, force):
    """Refuse, before any question, a memo file that would not be written at the end
    (a folder, a missing folder, a file there and no ``--force``): the answers would
    all be given first."""
    _check_target(interview, memo)
    if not force and Path(memo).exists():
        raise OutputError(interview.word("memo_exists", path=memo))


def _farewell(console, continuing, how):
    """Say how the interview stopped and where its answers are."""
    kept = console.written or continuing
    key = how if kept else f"{how}_empty"
    console.say()
    console.say(console.interview.word(key, path=console.target))


def _is_tty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _same_file(left, right):
    try:
        return Path(left).resolve() == Path(right).resolve()
    except OSError:
        return str(left) == str(right)
