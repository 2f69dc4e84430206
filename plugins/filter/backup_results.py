# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the role ncp.clouddb.backup_and_export and its playbook: the logic they need, in Python.

* ``backup_and_export_result``: one instance's registered module results -> its result record and
  summary line;
* ``fleet_summary``: the result records of a run -> the headline and one line per instance;
* ``targets_to_hosts``: a ``targets`` list (playbooks/vars/example_targets.yml) -> in-memory hosts
  with the same variables the inventory plugin gives, every target checked first.
"""

from __future__ import annotations

import json

from ansible.errors import AnsibleFilterError

from ansible_collections.ncp.clouddb.plugins.module_utils.services import INVENTORY_SERVICES, SERVICES

KINDS = tuple(SERVICES)
# Target keys and the role variable each one sets for that target alone.
TARGET_KEYS = {
    "region": "ncp_clouddb_region",
    "bucket": "backup_and_export_bucket",
    "max_age": "backup_and_export_max_age",
    "max_backup_age": "backup_and_export_max_backup_age",
    "folder_path": "backup_and_export_folder_path",
    "object_prefix": "backup_and_export_object_prefix",
    "keep_last": "backup_and_export_keep_last",
    "keep_within": "backup_and_export_keep_within",
    "exports_keep_last": "backup_and_export_exports_keep_last",
    "exports_keep_within": "backup_and_export_exports_keep_within",
}
CACHE_ONLY = ("max_age", "keep_last", "keep_within", "object_prefix")
# Options of the kinds with no manual backup, whose newest automatic backup is exported (postgresql, mysql).
EXPORT_ONLY = ("max_backup_age", "folder_path")
EXPORT_ONLY_KINDS = tuple(kind for kind, service in SERVICES.items() if service.create_manual_backup is None)
CACHE_KINDS = tuple(kind for kind in KINDS if kind not in EXPORT_ONLY_KINDS)


def _label(target):
    return "%s %s" % (target.get("kind"), target.get("instance_no") or target.get("name"))


def _who(target, instance):
    name = instance.get("name") or target.get("name")
    number = instance.get("instance_no") or target.get("instance_no")
    if name and number:
        return "%s (%s)" % (name, number)
    return str(name or number)


def _ran(result):
    """The registered result of a task that ran (not skipped, not missing)."""
    return result if isinstance(result, dict) and not result.get("skipped") and result else {}


def not_exported_reason(kind):
    """Why the role skips instances of this kind (a kind the inventory lists but nothing here exports), or ""."""
    service = INVENTORY_SERVICES.get(kind)
    if service is None or not service.not_exported:
        return ""
    return "not backed up or exported: %s (NCP's API pages leave this open; see docs/api-facts.md)" % (
        service.not_exported)


def backup_and_export_result(steps, target, failure=None, check_mode=False):
    """One instance's result record: what was backed up and exported, or why not, and a summary line.

    steps: the registered results of the role's tasks: asked (the backup asked for), export_asked,
    export, pruned (the backup waited for, with retention); any may be missing or skipped. An instance
    of a kind nothing here exports (not_exported_reason) is skipped, with the reason, never failed.
    """
    steps = steps or {}
    asked, pruned = _ran(steps.get("asked")), _ran(steps.get("pruned"))
    export_asked, export = _ran(steps.get("export_asked")), _ran(steps.get("export"))
    kind = target.get("kind")
    instance = export.get("instance") or export_asked.get("instance") or pruned.get("instance") or \
        asked.get("instance") or {}
    chosen = export_asked.get("backup") or export.get("backup") or pruned.get("backup") or asked.get("backup") or {}
    made = kind not in EXPORT_ONLY_KINDS and bool(asked.get("changed"))
    record = {
        "label": _label(target),
        "kind": kind,
        "instance_no": instance.get("instance_no") or target.get("instance_no"),
        "instance_name": instance.get("name") or target.get("name"),
        "failed": bool(failure),
        "failed_step": _failed_step(failure),
        "error": _error(failure),
        "backup": chosen,
        "backup_reused": kind not in EXPORT_ONLY_KINDS and bool(asked) and not made,
        "backup_changed": made,
        "bucket": target.get("bucket") or None,
        "exported": bool(export_asked.get("exported")),
        "export_changed": bool(export_asked.get("changed") or export.get("changed")),
        "object": export.get("object") or {},
        "pruned_backups": [p.get("file_name") for p in pruned.get("pruned") or []],
        "pruned_exports": [p.get("key") for p in export.get("pruned") or []],
    }
    reason = not_exported_reason(kind)
    record.update(skipped=bool(reason) and not failure, skip_reason=reason or None)
    if record["skipped"]:
        record["summary"] = _line("skipped", kind, _who(target, instance), reason)
    else:
        record["summary"] = _line("FAILED" if failure else "ok", kind, _who(target, instance),
                                  _describe(record, check_mode))
    return record


def _line(outcome, kind, who, text):
    """One instance's summary line: ok, FAILED or skipped, its kind and who it is, aligned, then what happened."""
    return "%-6s %-10s %s: %s" % (outcome, kind, who, text)


def _failed_step(failure):
    if not failure:
        return None
    if str(failure.get("action", "")).endswith("_export") and "(backup_request)" not in str(failure.get("msg")):
        return "export"
    return "backup"


def _error(failure):
    if not failure:
        return None
    message = str(failure.get("msg") or "failed")
    if "one of the following is required: instance_no, instance_name" in message:
        message += " (set ncp_clouddb_instance_no or ncp_clouddb_name for this host)"
    return message


def _describe(record, check_mode):
    failure = record["error"]
    if failure:
        return "%s FAILED: %s" % (record["failed_step"] or "task", failure)
    backup = record["backup"]
    if record["kind"] in EXPORT_ONLY_KINDS:
        text = "backup %s (automatic, finished %s)" % (backup.get("file_name", "?"), backup.get("end_time", "?"))
    elif not backup:
        text = "a new backup would be made (check mode)" if check_mode else "no backup"
    elif record["backup_changed"]:
        text = "backup %s (new)" % backup.get("file_name")
    else:
        text = "backup %s (reused, finished %s)" % (backup.get("file_name"), backup.get("end_time"))
    where = "%s/%s" % (record["bucket"], record["object"].get("key")) if record["object"].get("key") else None
    if not record["bucket"]:
        text += " -> not exported (no bucket)"
    elif check_mode and (record["export_changed"] or not where):
        text += " -> would be exported to %s (check mode)" % record["bucket"]
    elif record["exported"]:
        text += " -> exported to %s" % where
    else:
        text += " -> already in %s" % where
    pruned = []
    if record["pruned_backups"]:
        pruned.append("%d backup(s)" % len(record["pruned_backups"]))
    if record["pruned_exports"]:
        pruned.append("%d export(s)" % len(record["pruned_exports"]))
    if pruned:
        text += "; pruned %s%s" % (" and ".join(pruned), " (check mode: would be)" if check_mode else "")
    return text


def fleet_results(hosts, hostvars):
    """The result record of each host, in order, with the host's name (key ``host``); a host that stopped
    before recording one gets one saying so."""
    results = []
    for host in hosts:
        found = (hostvars[host] or {}).get("backup_and_export_result")
        if isinstance(found, dict):
            results.append(dict(found, host=host))
        else:
            results.append({"host": host, "label": host, "failed": True, "failed_step": "start",
                            "error": "stopped before its backup began; its error is above",
                            "summary": _line("FAILED", "?", host, "stopped before its backup began (see its error above)")})
    return results


def fleet_summary(results, check_mode=False):
    """The headline and one line per instance, in the order given (missing results are named, not dropped)."""
    results = [r for r in results or [] if isinstance(r, dict)]
    failed = [r for r in results if r.get("failed")]
    skipped = [r for r in results if r.get("skipped") and not r.get("failed")]
    headline = "%d instance(s): %d ok, %d failed%s%s" % (
        len(results), len(results) - len(failed) - len(skipped), len(failed),
        ", %d skipped (a kind that cannot be exported)" % len(skipped) if skipped else "",
        " (check mode: nothing was changed)" if check_mode else "")
    return [headline] + [r.get("summary", "") for r in results]


def targets_to_hosts(targets, default_bucket=None):
    """[{name, groups, vars}] for add_host: one host per target, every target checked first.

    Raises AnsibleFilterError listing every problem (target number, the target, what is wrong, how
    to fix it); nothing is run when one target is wrong.
    """
    if not isinstance(targets, list):
        raise AnsibleFilterError("targets must be a list of mappings, one per database instance, such as "
                                 "[{kind: cache, instance_name: my-cache}]; got %s" % type(targets).__name__)
    problems, hosts, seen = [], [], {}
    for index, target in enumerate(targets, 1):
        where = "target %d %s" % (index, _show(target))
        if not isinstance(target, dict):
            problems.append("%s: must be a mapping such as {kind: cache, instance_name: my-cache}" % where)
            continue
        unknown = sorted(set(target) - set(TARGET_KEYS) - {"kind", "instance_no", "instance_name"})
        if unknown:
            problems.append("%s: unknown key(s) %s; a target takes kind, instance_no or instance_name, %s" % (
                where, ", ".join(unknown), ", ".join(sorted(TARGET_KEYS))))
        kind = target.get("kind")
        if kind not in KINDS:
            reason = not_exported_reason(kind) if isinstance(kind, str) else ""
            problems.append("%s: kind must be one of %s, got %r%s" % (
                where, ", ".join(KINDS), kind, " (%s instances are %s)" % (kind, reason) if reason else ""))
            continue
        number, name = target.get("instance_no"), target.get("instance_name")
        if bool(number) == bool(name):
            problems.append("%s: give exactly one of instance_no and instance_name" % where)
            continue
        exports_only = kind in EXPORT_ONLY_KINDS
        wrong = [key for key in (CACHE_ONLY if exports_only else EXPORT_ONLY) if key in target]
        if wrong:
            problems.append("%s: %s %s for %s targets only" % (
                where, " and ".join(wrong), "is" if len(wrong) == 1 else "are",
                " and ".join(CACHE_KINDS if exports_only else EXPORT_ONLY_KINDS)))
        bucket = target.get("bucket") or default_bucket
        if exports_only and not bucket:
            problems.append("%s: no bucket; give the target a bucket, or set bucket for all targets" % where)
        label = "%s %s" % (kind, number or name)
        if label in seen:
            problems.append("%s: %s is already target %d; list each instance once" % (where, label, seen[label]))
            continue
        seen[label] = index
        host_vars = {"ncp_clouddb_kind": kind}
        if number:
            host_vars["ncp_clouddb_instance_no"] = str(number)
        else:
            host_vars["ncp_clouddb_name"] = str(name)
        if bucket:
            host_vars["backup_and_export_bucket"] = bucket
        for key, variable in TARGET_KEYS.items():
            if key != "bucket" and target.get(key) is not None:
                host_vars[variable] = target[key]
        hosts.append({"name": "%s-%s" % (kind, number) if number else str(name), "vars": host_vars})
    if problems:
        raise AnsibleFilterError("targets is not valid:\n  - " + "\n  - ".join(problems))
    names = [host["name"] for host in hosts]
    for host in hosts:
        if names.count(host["name"]) > 1:
            host["name"] = "%s-%s" % (host["vars"]["ncp_clouddb_kind"], host["name"])
    return hosts


def _show(value):
    return json.dumps(value, default=str)


class FilterModule:
    def filters(self):
        return {
            "backup_and_export_result": backup_and_export_result,
            "not_exported_reason": not_exported_reason,
            "fleet_results": fleet_results,
            "fleet_summary": fleet_summary,
            "targets_to_hosts": targets_to_hosts,
        }
