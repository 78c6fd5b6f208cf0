"""perencana's build: setup.cfg holds the configuration; this file adds one .pth file.

experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping``, an
alias Python 3.10 removed, so ``import experta`` fails unless the alias is put
back first. Importing perencana does that (``perencana.engine.experta_ext.compat``);
so that ``import experta`` works on its own, before perencana or without it, the
install also puts ``SHIM_PTH`` in site-packages. Python runs an ``import`` line of a
.pth file at start-up; this one adds no import name, it only puts the alias back.

- a wheel (``pip install .``, ``pip wheel``, ``python -m build``): ``build_py``
  writes the file at the top of ``build_lib``, which the wheel's root is;
- an editable install (``pip install -e .``, PEP 660): setuptools' editable wheel
  holds only a path hook, so ``editable_wheel`` adds the file to the wheel it made,
  with its line in the wheel's RECORD (pip then uninstalls it too).

``tests/test_installation.py`` checks both.
"""

import base64
import hashlib
import zipfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIM_PTH = "perencana-experta-shim.pth"
SHIM_LINE = (
    "import collections, collections.abc; "
    'collections.Mapping = getattr(collections, "Mapping", collections.abc.Mapping)\n'
)


class build_py_with_shim(build_py):
    """build_py, without this file, and with the .pth file at the top of build_lib."""

    def find_package_modules(self, package, package_dir):
        # The project's root is the package perencana's folder: this file is in it.
        modules = super().find_package_modules(package, package_dir)
        if package == "perencana":
            modules = [m for m in modules if Path(m[2]).resolve() != Path(__file__).resolve()]
        return modules

    def run(self):
        super().run()
        Path(self.build_lib).mkdir(parents=True, exist_ok=True)
        Path(self.build_lib, SHIM_PTH).write_text(SHIM_LINE, encoding="utf-8")

    def get_outputs(self, include_bytecode=True):
        return [*super().get_outputs(include_bytecode), str(Path(self.build_lib, SHIM_PTH))]


def add_to_wheel(wheel, name, text):
    """Rewrite ``wheel`` with the file ``name`` holding ``text`` at its root, and
    its line in the RECORD; a wheel that has the file already is left alone."""
    data = text.encode("utf-8")
    with zipfile.ZipFile(wheel) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    if any(info.filename == name for info, _ in entries):
        return
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record_line = f"{name},sha256={digest},{len(data)}\n".encode()
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
        for info, content in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                content = content.rstrip(b"\r\n") + b"\n" + record_line
            target.writestr(info, content)


cmdclass = {"build_py": build_py_with_shim}

try:
    from setuptools.command.editable_wheel import editable_wheel
except ImportError:  # pragma: no cover (setuptools < 64: no PEP 660 editable wheel)
    pass
else:

    class editable_wheel_with_shim(editable_wheel):
        """setuptools' editable wheel, with the .pth file added to it."""

        def run(self):
            super().run()
            for wheel in Path(self.dist_dir).glob("*.whl"):
                add_to_wheel(wheel, SHIM_PTH, SHIM_LINE)

    cmdclass["editable_wheel"] = editable_wheel_with_shim


if __name__ == "__main__":  # as pip's build backend runs it (tests import it)
    setup(cmdclass=cmdclass)
