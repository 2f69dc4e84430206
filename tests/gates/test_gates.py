# -*- coding: utf-8 -*-
"""The quality gates judge our own output: scripts/gates/checks.py and the docs step.

The docs step must fail on a warning about the collection's documentation and must not fail on a
Python warning that a third-party package raises on import (issue 14: cryptography 51 made every
`ansible-doc` print CryptographyDeprecationWarning, and every run of the gate failed).
"""

import importlib.util
import os
import re
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GATES = os.path.join(REPO, "scripts", "gates")


def _load_checks():
    spec = importlib.util.spec_from_file_location("gates_checks", os.path.join(GATES, "checks.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checks = _load_checks()

CRYPTOGRAPHY = textwrap.dedent("""\
    /venv/lib/python3.11/site-packages/ansible/_internal/_ssh/_ssh_agent.py:18: CryptographyDeprecationWarning: DSA is deprecated.
      from cryptography.hazmat.primitives.asymmetric.dsa import (
    """)


def test_a_dependency_warning_is_a_note(tmp_path):
    problems, dependency = checks.doc_stderr_problems(CRYPTOGRAPHY, str(tmp_path))
    assert problems == []
    assert len(dependency) == 1 and "CryptographyDeprecationWarning" in dependency[0]


def test_ansible_warnings_and_errors_are_problems(tmp_path):
    text = CRYPTOGRAPHY + "[WARNING]: module documentation is odd\n[DEPRECATION WARNING]: ncp.x.y has been deprecated.\n"
    problems, dependency = checks.doc_stderr_problems(text, str(tmp_path))
    assert problems == ["[WARNING]: module documentation is odd", "[DEPRECATION WARNING]: ncp.x.y has been deprecated."]
    assert len(dependency) == 1


def test_a_python_warning_from_our_plugins_is_a_problem(tmp_path):
    ours = tmp_path / "plugins" / "inventory" / "thing.py"
    text = "%s:3: UserWarning: our own plugin warned\n  warnings.warn('x')\n" % ours
    problems, dependency = checks.doc_stderr_problems(text, str(tmp_path))
    assert problems == ["%s:3: UserWarning: our own plugin warned" % ours, "  warnings.warn('x')"]
    assert dependency == []


def test_the_quoted_source_line_ends_at_the_next_unindented_line(tmp_path):
    text = CRYPTOGRAPHY + "something else went wrong\n"
    problems, _dependency = checks.doc_stderr_problems(text, str(tmp_path))
    assert problems == ["something else went wrong"]


GOOD_MODULE = textwrap.dedent('''\
    DOCUMENTATION = r"""
    module: {name}
    short_description: A module of a scratch collection
    description: [Used by the gate tests.]
    options:
      name:
        description: A name.
        type: str
    author: ncp.clouddb contributors
    """
    EXAMPLES = r"""
    - name: Use it
      ncp.scratch.{name}:
        name: x
    """
    RETURN = r"""
    """
    ''')


def _scratch_collection(tmp_path, deprecated):
    """A collection ncp.scratch with modules good (and bad, deprecated by meta/runtime.yml)."""
    root = tmp_path / "ansible_collections" / "ncp" / "scratch"
    (root / "plugins" / "modules").mkdir(parents=True)
    (root / "meta").mkdir()
    (root / "galaxy.yml").write_text("namespace: ncp\nname: scratch\nversion: 1.0.0\n")
    runtime = 'requires_ansible: ">=2.15.0"\n'
    names = ["good"]
    if deprecated:
        names.append("bad")
        runtime += ("plugin_routing:\n  modules:\n    bad:\n      deprecation:\n"
                    "        removal_version: 2.0.0\n        warning_text: use good\n")
    (root / "meta" / "runtime.yml").write_text(runtime)
    for name in names:
        (root / "plugins" / "modules" / ("%s.py" % name)).write_text(GOOD_MODULE.format(name=name))
    # A third-party package that warns whenever Python starts, as cryptography 51 does on
    # ansible-core's import of DSA: sitecustomize runs in every ansible-doc process.
    dep = tmp_path / "dependency"
    dep.mkdir()
    (dep / "sitecustomize.py").write_text(
        "import warnings\n\n\nclass NewReleaseWarning(UserWarning):\n    pass\n\n\n"
        "warnings.warn('a dependency complains about its own dependency', NewReleaseWarning)\n")
    return root, dep


def _run_docs_gate(tmp_path, root, dep):
    """docs_check_type as scripts/test runs it, over the scratch collection; (exit code, output)."""
    env = dict(os.environ)
    env.update(ROOT=str(root), GATES_WORK=str(tmp_path / "work"),
               ANSIBLE_COLLECTIONS_PATH=str(tmp_path), ANSIBLE_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(dep), PATH=os.path.dirname(sys.executable) + os.pathsep + env["PATH"])
    script = ('. "%s/lib.sh" && . "%s/docs.sh" && docs_check_type module "$ROOT/plugins/modules" required'
              % (GATES, GATES))
    proc = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.slow
def test_docs_gate_passes_clean_docs_despite_a_dependency_warning(tmp_path):
    root, dep = _scratch_collection(tmp_path, deprecated=False)
    code, output = _run_docs_gate(tmp_path, root, dep)
    assert code == 0, output
    assert "not about our docs: NewReleaseWarning from" in output   # seen, and shown as a note
    assert re.search(r"ansible-doc -t module ncp\.scratch\.good: \d+ lines", output)


@pytest.mark.slow
def test_docs_gate_fails_on_a_warning_about_our_docs(tmp_path):
    root, dep = _scratch_collection(tmp_path, deprecated=True)
    code, output = _run_docs_gate(tmp_path, root, dep)
    assert code == 1, output
    assert "ncp.scratch.bad has been deprecated" in output
    assert "FAIL: ansible-doc -t module ncp.scratch.bad printed warnings or errors" in output
    assert "FAIL: ansible-doc -t module ncp.scratch.good" not in output


def _requirements(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                yield line


def test_the_lock_pins_every_requirement_within_its_range():
    """A fresh clone installs requirements-lock.txt: it must name every requirement, in range."""
    from packaging.requirements import Requirement

    pins = {}
    with open(os.path.join(REPO, "requirements-lock.txt"), encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
            if match:
                pins[checks.normal_name(match.group(1))] = match.group(2)
    wanted = 0
    for path in ("requirements.txt", "requirements-dev.txt", "scripts/gates/requirements.txt"):
        for line in _requirements(path):
            req = Requirement(line)
            name = checks.normal_name(req.name)
            assert name in pins, "%s: %s is not in requirements-lock.txt; run bash scripts/lock" % (path, req.name)
            assert req.specifier.contains(pins[name], prereleases=True), (
                "%s asks for %s, the lock pins %s; run bash scripts/lock" % (path, line, pins[name]))
            wanted += 1
    assert wanted >= 10
    with open(os.path.join(REPO, "requirements-lock.txt"), encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    assert all("==" in line for line in lines), "every line of the lock is an exact pin"
