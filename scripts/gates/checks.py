# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small checks used by scripts/test that no off-the-shelf tool makes.

    python checks.py sanity-ignores ROOT
        fail when any tests/sanity/ignore-*.txt holds an entry (blank lines and comments are fine)
    python checks.py ee-meta ROOT
        validate meta/execution-environment.yml and print the files it points to, one a line
    python checks.py tarball TARBALL ROOT < NUL-separated list of the working tree's files
        fail when the built collection holds generated or local-only files, or lacks a file that
        meta/execution-environment.yml points to, or any plugin, role, playbook or meta file
    python checks.py introspect OUTPUT_FILE ROOT
        fail unless `ansible-builder introspect` found every requirement of the files that
        meta/execution-environment.yml points to
    python checks.py doc-stderr STDERR_FILE ROOT
        fail when what ansible-doc printed on stderr says anything about the collection at ROOT; a
        Python warning that a third-party package raised on import (its file is outside ROOT/plugins)
        is shown as a note and does not fail
    python checks.py lock-drift LOCK_FILE
        list the packages of the running Python whose version differs from LOCK_FILE's pin, and those
        it has that LOCK_FILE lacks (a report: exit 0)
"""

from __future__ import annotations

import glob
import os
import re
import sys
import tarfile

import yaml

# Generated or machine-local paths that must never reach the tarball.
FORBIDDEN = (
    (re.compile(r'(^|/)\.venv[^/]*(/|$)'), 'a virtualenv'),
    (re.compile(r'^collections(/|$)'), 'the collections/ symlink tree'),
    (re.compile(r'(^|/)\.ansible(/|$)'), 'an .ansible/ cache (ansible-lint, ANSIBLE_HOME)'),
    (re.compile(r'^tests/output(/|$)'), 'ansible-test output'),
    (re.compile(r'(^|/)__pycache__(/|$)'), 'a __pycache__ folder'),
    (re.compile(r'\.py[co]$'), 'compiled Python'),
    (re.compile(r'(^|/)\.pytest_cache(/|$)'), 'a pytest cache'),
    (re.compile(r'(^|/)\.git(/|$)'), 'git metadata'),
    (re.compile(r'\.tar\.gz$'), 'a built tarball'),
)

# Working-tree files under these folders (and these files) are what users install the collection
# for; each must be in the tarball.
SHIPPED_DIRS = ('plugins/', 'roles/', 'playbooks/', 'meta/')
SHIPPED_FILES = ('README.md', 'requirements.txt', 'bindep.txt', 'changelogs/changelog.yaml')

EE_META = 'meta/execution-environment.yml'


def fail(message):
    """Print a failure the way scripts/test prints its own."""
    sys.stderr.write('    FAIL: %s\n' % message)


def sanity_ignores(root):
    """Return 0 when no sanity ignore file has an entry."""
    bad = 0
    for path in sorted(glob.glob(os.path.join(root, 'tests', 'sanity', 'ignore-*.txt'))):
        with open(path, encoding='utf-8') as handle:
            for number, line in enumerate(handle, 1):
                if line.strip() and not line.lstrip().startswith('#'):
                    fail('%s:%d: sanity ignore entries are not allowed: %s'
                         % (os.path.relpath(path, root), number, line.strip()))
                    bad = 1
    return bad


def ee_files(root):
    """Validate meta/execution-environment.yml; return (errors, the files it points to)."""
    path = os.path.join(root, EE_META)
    if not os.path.isfile(path):
        return ['%s is missing' % EE_META], []
    with open(path, encoding='utf-8') as handle:
        data = yaml.safe_load(handle) or {}
    errors = []
    if data.get('version') != 3:
        errors.append('%s: version must be 3, got %r' % (EE_META, data.get('version')))
    deps = data.get('dependencies') or {}
    wanted = {'python': 'requirements.txt', 'system': 'bindep.txt'}
    files = []
    for key, expected in wanted.items():
        value = deps.get(key)
        if value != expected:
            errors.append('%s: dependencies.%s must be %s, got %r' % (EE_META, key, expected, value))
    for key in sorted(deps):
        value = deps[key]
        if not isinstance(value, str):
            continue
        if os.path.isabs(value) or value.startswith('..'):
            errors.append('%s: dependencies.%s must be relative to the collection root: %s' % (EE_META, key, value))
            continue
        if not os.path.isfile(os.path.join(root, value)):
            errors.append('%s: dependencies.%s points to %s, which does not exist' % (EE_META, key, value))
        files.append(value)
    return errors, files


def ee_meta(root):
    """Print the files meta/execution-environment.yml points to; return 1 when it is invalid."""
    errors, files = ee_files(root)
    for error in errors:
        fail(error)
    for name in files:
        print(name)
    return 1 if errors else 0


def tarball(path, root):
    """Check the built collection's content against the working tree; return 0 when it is right."""
    with tarfile.open(path) as archive:
        names = set()
        for member in archive.getmembers():
            name = member.name[2:] if member.name.startswith('./') else member.name
            names.add(name.rstrip('/'))
    bad = 0
    for name in sorted(names):
        for pattern, what in FORBIDDEN:
            if pattern.search(name):
                fail('%s: %s holds %s' % (os.path.basename(path), name, what))
                bad = 1
                break
    for required in ('MANIFEST.json', 'FILES.json', EE_META):
        if required not in names:
            fail('%s: %s is missing' % (os.path.basename(path), required))
            bad = 1
    errors, files = ee_files(root)
    for error in errors:
        fail(error)
        bad = 1
    for name in files:
        if name not in names:
            fail('%s: %s, which %s points to, is missing (check build_ignore in galaxy.yml)'
                 % (os.path.basename(path), name, EE_META))
            bad = 1
    tree = [name for name in sys.stdin.read().split('\0') if name]
    for name in tree:
        shipped = name.startswith(SHIPPED_DIRS) or name in SHIPPED_FILES
        if shipped and '__pycache__' not in name and name not in names:
            fail('%s: %s is missing (check build_ignore in galaxy.yml)' % (os.path.basename(path), name))
            bad = 1
    if not bad:
        print('    %s: %d entries; no generated files; EE files present: %s'
              % (os.path.basename(path), len(names), ', '.join(files)))
    return bad


def requirement_names(path, python):
    """Return the package names a requirements.txt or bindep.txt declares."""
    names = []
    with open(path, encoding='utf-8') as handle:
        for line in handle:
            line = line.split('#', 1)[0].strip()
            if not line or line.startswith('-'):
                continue
            if python:
                names.append(re.split(r'[\s<>=!~;\[]', line, maxsplit=1)[0].lower().replace('_', '-'))
            else:
                names.append(line.split()[0])
    return names


def introspect(output, root):
    """Check `ansible-builder introspect` output names every declared requirement."""
    with open(output, encoding='utf-8') as handle:
        text = handle.read()
    data = yaml.safe_load(text) or {}
    errors = ee_files(root)[0]
    for error in errors:
        fail(error)
    if errors:
        return 1
    with open(os.path.join(root, EE_META), encoding='utf-8') as handle:
        deps = yaml.safe_load(handle)['dependencies']
    bad = 0
    for key, python in (('python', True), ('system', False)):
        found = yaml.safe_dump(data.get(key)).lower()
        for name in requirement_names(os.path.join(root, deps[key]), python):
            if name.lower() not in found:
                fail('ansible-builder introspect did not find %s requirement %s from %s' % (key, name, deps[key]))
                bad = 1
    if not bad:
        print('    ansible-builder introspect: python %s; system %s'
              % (', '.join(requirement_names(os.path.join(root, deps['python']), True)),
                 ', '.join(requirement_names(os.path.join(root, deps['system']), False))))
    return bad


# "FILE.py:LINE: CategoryWarning: message", as Python's warnings module prints a warning; the lines
# after it that are indented are the source line it quotes.
PYTHON_WARNING = re.compile(r'^(?P<path>\S.*?\.py):(?P<line>\d+): (?P<category>\w*Warning): (?P<message>.*)$')


def doc_stderr_problems(text, root):
    """Split ansible-doc's stderr into (problems, dependency warnings).

    A dependency warning is a Python warning whose file lies outside ROOT/plugins: a package that
    Ansible or a tool imports complaining about its own dependencies (cryptography's
    CryptographyDeprecationWarning on ansible-core's DSA import, say). It says nothing about our
    documentation, and a new upstream release must not fail the gate with it. Everything else on
    stderr is a problem: Ansible's [WARNING], [DEPRECATION WARNING] and [ERROR] lines, and a Python
    warning raised from the collection's own plugins.
    """
    ours = os.path.join(os.path.realpath(root), 'plugins') + os.sep
    problems, dependency = [], []
    quoting = None      # the list the warning above went to, while its quoted source lines follow
    for line in text.splitlines():
        match = PYTHON_WARNING.match(line)
        if match:
            path = os.path.realpath(match.group('path'))
            quoting = problems if path.startswith(ours) else dependency
            quoting.append(line)
        elif quoting is not None and line[:1].isspace():
            if quoting is problems:
                problems.append(line)
        else:
            quoting = None
            if line.strip():
                problems.append(line)
    return problems, dependency


def doc_stderr(path, root):
    """Print the problems in an ansible-doc stderr file; return 1 when there are any."""
    with open(path, encoding='utf-8', errors='replace') as handle:
        problems, dependency = doc_stderr_problems(handle.read(), root)
    for line in dependency:
        match = PYTHON_WARNING.match(line)
        print('    note: not about our docs: %s from %s (a dependency)'
              % (match.group('category'), match.group('path').split('site-packages/')[-1]))
    for line in problems:
        sys.stderr.write('      %s\n' % line)
    return 1 if problems else 0


def lock_drift(lock_path):
    """Print how the running Python's packages differ from the lock's pins."""
    from importlib import metadata

    pins = {}
    with open(lock_path, encoding='utf-8') as handle:
        for line in handle:
            match = re.match(r'^([A-Za-z0-9_.-]+)==(\S+)', line)
            if match:
                pins[normal_name(match.group(1))] = match.group(2)
    installed = {}
    for dist in metadata.distributions():
        installed[normal_name(dist.metadata['Name'])] = dist.version
    rows = []
    for name in sorted(installed):
        if name in ('pip',):
            continue
        if name not in pins:
            rows.append('%s %s (not in the lock)' % (name, installed[name]))
        elif pins[name] != installed[name]:
            rows.append('%s %s -> %s' % (name, pins[name], installed[name]))
    for name in sorted(set(pins) - set(installed)):
        rows.append('%s %s -> (no longer needed)' % (name, pins[name]))
    for row in rows or ['none: the ranges resolve to exactly the locked versions']:
        print('    %s' % row)
    return 0


def normal_name(name):
    """A package name as PEP 503 compares them."""
    return re.sub(r'[-_.]+', '-', name).lower()


def main(argv):
    """Dispatch to one check."""
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    command, args = argv[1], argv[2:]
    if command == 'sanity-ignores':
        return sanity_ignores(*args)
    if command == 'ee-meta':
        return ee_meta(*args)
    if command == 'tarball':
        return tarball(*args)
    if command == 'introspect':
        return introspect(*args)
    if command == 'doc-stderr':
        return doc_stderr(*args)
    if command == 'lock-drift':
        return lock_drift(*args)
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
