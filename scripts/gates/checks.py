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
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
