# -*- coding: utf-8 -*-
"""The modules that serve several kinds (ncp_backup, ncp_export) take every kind's options and refuse foreign ones."""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_export import ExportModule
from ansible_collections.ncp.clouddb.plugins.module_utils.manual_backup import ManualBackupModule
from ansible_collections.ncp.clouddb.plugins.module_utils.services import SERVICES
from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.fakes import FakeApi, FakeStore


class KindModule:
    def __init__(self, core, kinds, **params):
        spec = core.kind_argument_spec(kinds)
        self.params = dict((name, option.get("default")) for name, option in spec.items())
        self.params.update(access_key="AK", secret_key="SK", region="KR", **params)
        self.check_mode = False
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


def run(core, kinds, api, store=None, **params):
    module = KindModule(core, kinds, **params)
    extra = {"store": store} if core is ExportModule else {}
    instance = core(module, SERVICES[module.params["kind"]], client=api, sleep=api.clock.sleep, clock=api.clock,
                    **extra)
    return instance.outcome()


def test_the_kind_option_picks_the_api(fake_clock):
    api = FakeApi(fake_clock, SERVICES["redis"], instance_no="2101")
    failed, result = run(ManualBackupModule, ("cache", "redis"), api, kind="redis", instance_no="2101")
    assert not failed and result["instance"]["kind"] == "redis"
    assert api.creates()[0][0] == "createCloudRedisManualBackup"


def test_an_option_of_another_kind_is_refused_before_any_request(fake_clock):
    store = FakeStore(fake_clock)
    api = FakeApi(fake_clock, SERVICES["cache"], store=store)
    failed, result = run(ExportModule, ("cache", "redis", "postgresql"), api, store, kind="cache",
                         instance_no="1101", bucket="backups", folder_path="x/")
    assert failed and "folder_path cannot be used with kind=cache" in result["msg"] and api.calls == []
    api = FakeApi(fake_clock, SERVICES["postgresql"], store=store)
    failed, result = run(ExportModule, ("cache", "redis", "postgresql"), api, store, kind="postgresql",
                         instance_no="1101", bucket="backups", backup_type="manual")
    assert failed and "backup_type cannot be used with kind=postgresql" in result["msg"] and api.calls == []


def test_backup_type_defaults_to_manual_for_cache_kinds_only():
    spec = ExportModule.kind_argument_spec(("cache", "redis", "postgresql"))
    assert "default" not in spec["backup_type"] and spec["kind"]["choices"] == ["cache", "redis", "postgresql"]
    assert ExportModule.argument_spec(SERVICES["cache"])["backup_type"]["default"] == "manual"


def test_ncp_export_takes_kind_mysql_with_folder_path_and_refuses_backup_type(fake_clock):
    kinds = ("cache", "redis", "postgresql", "mysql")
    assert ExportModule.kind_argument_spec(kinds)["kind"]["choices"] == list(kinds)
    store = FakeStore(fake_clock)
    api = FakeApi(fake_clock, SERVICES["mysql"], store=store, instance_no="4101", name="billing-mysql")
    store.api = api
    api.backups.append({"file_name": "20261125", "start": -3600.0, "end": -3500.0, "kind": "automatic"})
    failed, result = run(ExportModule, kinds, api, store, kind="mysql", instance_no="4101", bucket="backups",
                         backup_type="automatic")
    assert failed and "backup_type cannot be used with kind=mysql" in result["msg"] and api.calls == []
    failed, result = run(ExportModule, kinds, api, store, kind="mysql", instance_no="4101", bucket="backups",
                         folder_path="mysql/{instance_no}/")
    assert not failed, result.get("msg")
    assert result["object"]["key"] == "mysql/4101/20261125" and result["instance"]["kind"] == "mysql"
    assert api.exports()[0][1]["folderPath"] == "mysql/4101/"
