# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NcpModule: the small base class every ncp.clouddb module core is made from, and run_module().

A core takes a finished module (an AnsibleModule, or in tests anything with ``params``,
``check_mode`` and ``warn()``) and a Service, as hetzner.hcloud's ``AnsibleHCloud(module)`` does,
so it can be tested without Ansible's argument plumbing. It declares its options
(``argument_spec(service)``), checks them in ``validate()`` before any request, and implements
``execute()``, which returns the result or raises an NcpError. ``run()`` turns both into the
module's answer, once:

* every option is checked before the first request (``validate``);
* once a write may have reached NCP (``self.wrote(note)``), every later failure reports
  ``changed: true``, what is known so far (``self.result``), and the note saying what may exist.
"""

from __future__ import annotations

import time

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.ncp.clouddb.plugins.module_utils import settings
from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
from ansible_collections.ncp.clouddb.plugins.module_utils.client import HAS_REQUESTS, NcpClient
from ansible_collections.ncp.clouddb.plugins.module_utils.decode import xmltodict
from ansible_collections.ncp.clouddb.plugins.module_utils.durations import parse_duration
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.services import SERVICES

COMMON_ARGUMENT_SPEC = dict(
    access_key=dict(type="str", no_log=False),
    secret_key=dict(type="str", no_log=True),
    region=dict(type="str"),
    api_url=dict(type="str"),
    validate_certs=dict(type="bool", default=True),
    timeout=dict(type="int", default=30),
    retry_timeout=dict(type="int", default=60),
    # Only the export modules use it; common so that one module_defaults group can carry it.
    object_storage_url=dict(type="str"),
)

# How every module picks its database instance (doc fragment ncp.clouddb.instance).
INSTANCE_ARGUMENT_SPEC = dict(
    instance_no=dict(type="str"),
    instance_name=dict(type="str"),
)
INSTANCE_MODULE_KWARGS = dict(
    mutually_exclusive=[("instance_no", "instance_name")],
    required_one_of=[("instance_no", "instance_name")],
)

# Options of the modules that wait (doc fragments ncp.clouddb.manual_backup and ncp.clouddb.export).
WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=1800),
)


class NcpModule:
    """Subclasses set options(service), module_kwargs, and implement execute() (and validate())."""

    module_kwargs = INSTANCE_MODULE_KWARGS

    def __init__(self, module, service, client=None, sleep=time.sleep, clock=time.monotonic):
        self.module = module
        self.params = module.params
        self.service = service
        self.sleep = sleep
        self.clock = clock
        self.result = {"changed": False}
        self.deadline = None
        self._client = client
        self._config = None
        self._after_write = None

    @classmethod
    def options(cls, service):
        """The module's own options (beside the common ones)."""
        return dict(INSTANCE_ARGUMENT_SPEC)

    @classmethod
    def argument_spec(cls, service):
        spec = dict(COMMON_ARGUMENT_SPEC)
        spec.update(cls.options(service))
        return spec

    @classmethod
    def kind_argument_spec(cls, kinds):
        """The options of a module that serves several kinds (ncp_backup, ncp_export): every kind's, and kind."""
        spec = dict(COMMON_ARGUMENT_SPEC)
        for kind in kinds:
            for name, option in cls.options(SERVICES[kind]).items():
                spec[name] = dict((key, value) for key, value in option.items() if key != "default") \
                    if name in cls.KIND_DEPENDENT_DEFAULTS else option
        spec["kind"] = dict(type="str", required=True, choices=list(kinds))
        return spec

    # Options whose default depends on the kind; a module serving several kinds leaves them unset.
    KIND_DEPENDENT_DEFAULTS = ()

    def refuse_options_of_other_kinds(self):
        """For a module serving several kinds: an option this kind does not have is an error, not ignored."""
        own = self.options(self.service)
        foreign = sorted(name for name in self.params if name not in own and name not in COMMON_ARGUMENT_SPEC and
                         name != "kind" and self.params[name] is not None)
        if foreign:
            raise NcpConfigError("%s cannot be used with kind=%s" % (" and ".join(foreign), self.service.kind))

    # --- before any request ----------------------------------------------------------------
    @property
    def config(self):
        """Connection settings (option, environment, ~/.ncloud/configure), checked once."""
        if self._config is None:
            self._config = settings.resolve(self.params)
        return self._config

    def validate(self):
        """Check every option before the first request; raise NcpConfigError naming the option."""
        if "kind" in self.params:
            self.refuse_options_of_other_kinds()
        settings.check_timeouts(self.params)
        config = self.config
        if config["region"] not in settings.KNOWN_REGIONS:
            self.module.warn("region %r is not one NCP's API guide names (%s); it is sent as given" % (
                config["region"], ", ".join(settings.KNOWN_REGIONS)))

    def duration(self, name):
        """Seconds in a duration option, or None when it is not set; NcpConfigError when it is no duration."""
        if self.params.get(name) is None:
            return None
        try:
            return parse_duration(self.params[name], name)
        except ValueError as exc:
            raise NcpConfigError(str(exc))

    def start_clock(self):
        """From now on, wait_timeout bounds the whole task: its requests, retries and polls."""
        waits = self.params.get("wait", True) or self.params.get("backup_request") is not None
        if waits and self.params.get("wait_timeout") is not None:
            self.deadline = Deadline(self.params["wait_timeout"], clock=self.clock)
            if self._client is not None:
                self._client.deadline = self.deadline

    @property
    def client(self):
        if self._client is None:
            config = self.config
            self._client = NcpClient(
                access_key=config["access_key"], secret_key=config["secret_key"], api_url=config["api_url"],
                region=config["region"], timeout=self.params["timeout"],
                validate_certs=self.params["validate_certs"], retry_timeout=self.params["retry_timeout"],
                sleep=self.sleep, clock=self.clock, deadline=self.deadline)
        return self._client

    # --- after a write ---------------------------------------------------------------------
    def wrote(self, note):
        """A write may have reached NCP: from now on a failure reports changed=true and this note."""
        self.result["changed"] = True
        self._after_write = note

    def warn(self, text):
        self.module.warn(text)

    # --- the module's answer ---------------------------------------------------------------
    def execute(self):
        raise NotImplementedError

    def outcome(self):
        """(failed, result): what run() reports; tests call this instead of run()."""
        try:
            self.validate()
            self.start_clock()
            return False, self.execute()
        except NcpError as err:
            result = dict(self.result)
            result.update(err.to_result())
            message = str(err)
            if self._after_write and self._after_write not in message:
                message = "%s. %s" % (message.rstrip("."), self._after_write)
            result["msg"] = message
            return True, result

    def run(self):
        for ok, library in ((HAS_REQUESTS, "requests"), (xmltodict is not None, "xmltodict")):
            if not ok:
                self.module.fail_json(msg=missing_required_lib(library))
        failed, result = self.outcome()
        if failed:
            self.module.fail_json(**result)
        self.module.exit_json(**result)


def run_module(core, service=None, kinds=None):
    """The whole main() of a module: build the AnsibleModule for this core and run it.

    A module of one kind names its Service; a module of several (ncp_backup, ncp_export) names the
    kinds, takes the option ``kind``, and gets the Service of the kind given.
    """
    spec = core.argument_spec(service) if service is not None else core.kind_argument_spec(kinds)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **core.module_kwargs)
    core(module, service or SERVICES[module.params["kind"]]).run()
