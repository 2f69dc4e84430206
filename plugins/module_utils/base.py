# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NcpModule: the small base class every ncp.clouddb module is made from.

It owns the common options (doc fragment ncp.clouddb.common), the client, and error handling. A
module subclass declares its own options and implements execute(), which returns the result dict
or raises an NcpError; everything else happens here.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.ncp.clouddb.plugins.module_utils import settings
from ansible_collections.ncp.clouddb.plugins.module_utils.client import HAS_REQUESTS, NcpClient
from ansible_collections.ncp.clouddb.plugins.module_utils.decode import xmltodict
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpError

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


class NcpModule:
    """Subclasses set argument_spec (and the AnsibleModule keywords they need) and execute()."""

    argument_spec = {}
    module_kwargs = {}

    def __init__(self):
        spec = dict(COMMON_ARGUMENT_SPEC)
        spec.update(self.argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **self.module_kwargs)
        self.params = self.module.params
        self._client = None

    @property
    def client(self):
        if self._client is None:
            config = settings.resolve(self.params)
            self._client = NcpClient(
                access_key=config["access_key"], secret_key=config["secret_key"], api_url=config["api_url"],
                region=config["region"], timeout=self.params["timeout"],
                validate_certs=self.params["validate_certs"], retry_timeout=self.params["retry_timeout"])
        return self._client

    def execute(self):
        raise NotImplementedError

    def fail(self, msg, **result):
        self.module.fail_json(msg=msg, **result)

    def run(self):
        for ok, library in ((HAS_REQUESTS, "requests"), (xmltodict is not None, "xmltodict")):
            if not ok:
                self.fail(missing_required_lib(library))
        for name in ("timeout", "retry_timeout"):
            if self.params[name] < 0 or (name == "timeout" and self.params[name] == 0):
                self.fail("%s=%s is not allowed: give a positive number of seconds" % (name, self.params[name]))
        try:
            result = self.execute()
        except NcpError as err:
            self.fail(str(err), **err.to_result())
        self.module.exit_json(**result)
