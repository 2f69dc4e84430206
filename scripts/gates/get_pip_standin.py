# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

ansible-test creates each of its virtual environments without pip, then runs the cached
``~/.ansible/test/cache/get_pip_<version>.py`` inside it with arguments such as
``--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel``.  The real script (fetched
from ci-files.testing.ansible.com, which this project's machines cannot reach) carries pip inside
itself.  This stand-in does the same job with what every CPython ships:

1. ``python -m ensurepip`` in a *child* process: ensurepip sets ``PIP_CONFIG_FILE=/dev/null`` in
   its own process, which would hide ``/etc/pip.conf`` (and its ``cert=`` line) from every later
   pip call if it ran in this one;
2. ``python -m pip install <the arguments it was given>`` (minus ``--no-setuptools`` and
   ``--no-wheel``, which only get-pip.py knows), from the package index pip is configured for;
3. removes the setuptools that ensurepip brings along when ``--no-setuptools`` was asked for, so
   the environment matches the one the real script makes.

scripts/seed-ansible-test-pip copies this file into the cache only when no script is there.
"""

from __future__ import annotations

import os
import subprocess
import sys

STANDIN_MARKER = 'ncp.clouddb get-pip stand-in'
GET_PIP_ONLY_OPTIONS = ('--no-setuptools', '--no-wheel')


def run(cmd):
    """Run a command in a child process, exiting with its code when it fails."""
    env = dict(os.environ)
    # ansible-test's quiet_pip.py runs this file in-process; never pass on a config override that
    # ensurepip may have left behind in an earlier step of the same process.
    if env.get('PIP_CONFIG_FILE') == os.devnull:
        del env['PIP_CONFIG_FILE']
    rc = subprocess.call(cmd, env=env)
    if rc:
        sys.stderr.write('%s: %s failed with exit code %d\n' % (STANDIN_MARKER, ' '.join(cmd), rc))
        sys.exit(rc)


def main():
    """Bootstrap pip into the running interpreter's (empty) environment."""
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    python = sys.executable

    run([python, '-m', 'ensurepip', '--upgrade', '--default-pip'])

    packages = [arg for arg in args if not arg.startswith('-')]
    if packages:
        run([python, '-m', 'pip', 'install', '--upgrade', '--no-input'] + args)

    wants_setuptools = any(arg.lower().startswith('setuptools') for arg in packages)
    if '--no-setuptools' in sys.argv[1:] and not wants_setuptools:
        # ensurepip installs setuptools on Python < 3.12; get-pip.py --no-setuptools would not.
        subprocess.call([python, '-m', 'pip', 'uninstall', '--yes', '--quiet', 'setuptools'],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
