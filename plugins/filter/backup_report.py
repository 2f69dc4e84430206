# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the role ncp.clouddb.backup_report: the verdict rules and the report, in Python.

* ``backup_report_result``: what the role read of one instance (its newest backups, its recorded
  exports, NCP's backup settings) and its thresholds -> its record, with a verdict and a summary line;
* ``backup_report_results``: every host's record, a host that stopped before it had one ``unreachable``;
* ``backup_report_summary``: the headline and one line per instance, worst first;
* ``backup_report_html``: the report as one self-contained HTML page.

Verdicts, worst first (the first rule that holds wins):

``unreachable``   the backups or the exports could not be read (API or Object Storage error);
``backups off``   NCP's automatic backups are switched off for the instance (``isBackup`` false);
``backup stale``  no finished backup, or the newest finished longer ago than ``max_backup_age``;
``no export``     exports are checked (a bucket is set) and there is no recorded export, or the
                  newest one's object is gone, truncated or replaced;
``export stale``  the backup the newest export holds finished longer ago than ``max_export_age``;
``ok``            none of these.
"""

from __future__ import annotations

import datetime
import html

from ansible.errors import AnsibleFilterError

from ansible_collections.ncp.clouddb.plugins.module_utils.durations import parse_duration

UNREACHABLE = "unreachable"
BACKUPS_OFF = "backups off"
BACKUP_STALE = "backup stale"
NO_EXPORT = "no export"
EXPORT_STALE = "export stale"
OK = "ok"
VERDICTS = (UNREACHABLE, BACKUPS_OFF, BACKUP_STALE, NO_EXPORT, EXPORT_STALE, OK)   # worst first
COLOURS = {UNREACHABLE: "#6f42c1", BACKUPS_OFF: "#b02a37", BACKUP_STALE: "#dc3545", NO_EXPORT: "#e8590c",
           EXPORT_STALE: "#f0ad00", OK: "#2b8a3e"}
THRESHOLDS = ("max_backup_age", "max_export_age")


def _now(now=None):
    if now is None:
        return datetime.datetime.now(datetime.timezone.utc)
    if isinstance(now, datetime.datetime):
        return now
    return _moment(now)


def _moment(text):
    """A datetime from the API's 2026-11-26T03:00:41+0900 or a record's 2026-11-26T04:01:10Z, or None."""
    if not text:
        return None
    for form in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            moment = datetime.datetime.strptime(str(text), form)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
    return None


def readable_age(seconds):
    """3 d 4 h, 5 h 20 min, 12 min, 40 s; None stays None."""
    if seconds is None:
        return None
    seconds = int(max(seconds, 0))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return "%d d %d h" % (days, hours) if hours else "%d d" % days
    if hours:
        return "%d h %d min" % (hours, minutes) if minutes else "%d h" % hours
    if minutes:
        return "%d min" % minutes
    return "%d s" % seconds


def readable_size(size):
    """1.2 GiB, 730 MiB, 12 KiB, 0 bytes; None stays None."""
    if not isinstance(size, int) or isinstance(size, bool):
        return None
    value, unit = float(size), "bytes"
    for larger in ("KiB", "MiB", "GiB", "TiB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    return "%d bytes" % size if unit == "bytes" else ("%.1f %s" % (value, unit) if value < 10 else "%d %s" % (value, unit))


def _seconds(thresholds, name):
    value = (thresholds or {}).get(name)
    if value in (None, ""):
        raise AnsibleFilterError("the threshold %s is not set (backup_report_%s)" % (name, name))
    try:
        return parse_duration(value, "backup_report_%s" % name)
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))


def _ran(result):
    return result if isinstance(result, dict) and result and not result.get("skipped") else {}


def _newest_backup(info, now):
    finished = [b for b in info.get("backups") or [] if isinstance(b, dict) and _moment(b.get("end_time"))]
    if not finished:
        return None
    newest = max(finished, key=lambda b: _moment(b["end_time"]))
    age = (now - _moment(newest["end_time"])).total_seconds()
    return {"file_name": newest.get("file_name"), "backup_type": newest.get("backup_type"),
            "end_time": newest.get("end_time"), "size": newest.get("backup_size"), "age_seconds": int(age),
            "age": readable_age(age)}


def _newest_export(info, bucket, now):
    exports = [e for e in info.get("exports") or [] if isinstance(e, dict)]
    if not exports:
        return None
    newest = exports[0]
    end = _moment(newest.get("end_time"))
    age = (now - end).total_seconds() if end else None
    exported = _moment(newest.get("exported_at"))
    current = newest.get("object") or {}
    return {"file_name": newest.get("file_name"), "bucket": bucket, "key": newest.get("key"),
            "end_time": newest.get("end_time"), "exported_at": newest.get("exported_at"),
            "exported_ago": readable_age((now - exported).total_seconds()) if exported else None,
            "size": newest.get("size"), "object_size": current.get("size"), "state": newest.get("state"),
            "age_seconds": int(age) if age is not None else None, "age": readable_age(age)}


def backup_report_result(steps, target, thresholds, failure=None, now=None):
    """One instance's report record.

    steps: ``backups`` (the registered result of the kind's *_backup_info module) and ``exports`` (of
    ncp_export_info; skipped or missing when no bucket is set). target: kind, instance_no, name, bucket,
    backup_enabled, backup_time, retention_days. thresholds: max_backup_age and max_export_age
    (durations). failure: action and msg of the task that failed.
    """
    steps, target = steps or {}, target or {}
    limits = dict((name, _seconds(thresholds, name)) for name in THRESHOLDS)
    moment = _now(now)
    backups_info, exports_info = _ran(steps.get("backups")), _ran(steps.get("exports"))
    bucket = target.get("bucket") or None
    record = {
        "kind": target.get("kind"),
        "instance_no": str(target["instance_no"]) if target.get("instance_no") not in (None, "") else None,
        "instance_name": target.get("name") or (backups_info.get("instance") or {}).get("name"),
        "settings": {"backup_enabled": target.get("backup_enabled"), "backup_time": target.get("backup_time"),
                     "retention_days": target.get("retention_days")},
        "thresholds": dict((name, str(thresholds[name])) for name in THRESHOLDS),
        "bucket": bucket,
        "backup": _newest_backup(backups_info, moment) if backups_info else None,
        "export": _newest_export(exports_info, bucket, moment) if exports_info else None,
        "exports_checked": bool(bucket),
        "error": str((failure or {}).get("msg") or "failed") if failure else None,
        "reported_at": moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    record["verdict"], record["reason"] = _verdict(record, limits, failure)
    record["ok"] = record["verdict"] == OK
    record["rank"] = VERDICTS.index(record["verdict"])
    record["summary"] = _line(record)
    return record


def _verdict(record, limits, failure):
    """(verdict, reason): the first rule that holds, worst first."""
    if failure:
        return UNREACHABLE, "could not read its %s: %s" % (
            "exports" if str(failure.get("action", "")).endswith("export_info") else "backups", record["error"])
    if record["settings"]["backup_enabled"] is False:
        return BACKUPS_OFF, "NCP's automatic backups are switched off for this instance"
    backup = record["backup"]
    if backup is None:
        return BACKUP_STALE, "no finished backup"
    if backup["age_seconds"] > limits["max_backup_age"]:
        return BACKUP_STALE, "newest backup finished %s ago, over max_backup_age=%s" % (
            backup["age"], record["thresholds"]["max_backup_age"])
    if not record["exports_checked"]:
        return OK, "exports not checked (no bucket)"
    export = record["export"]
    if export is None:
        return NO_EXPORT, "no export recorded in bucket %s" % record["bucket"]
    if export["state"] != "intact":
        detail = {"gone": "is gone",
                  "truncated": "was truncated to %s of %s" % (readable_size(export["object_size"]),
                                                              readable_size(export["size"])),
                  "replaced": "was replaced by other content"}.get(export["state"], "was not checked")
        return NO_EXPORT, "the object of the newest export (%s) %s" % (export["key"], detail)
    if export["age_seconds"] is None or export["age_seconds"] > limits["max_export_age"]:
        return EXPORT_STALE, "newest export holds a backup that finished %s ago, over max_export_age=%s" % (
            export["age"] or "an unknown time", record["thresholds"]["max_export_age"])
    return OK, "backed up and exported within the thresholds"


def _who(record):
    name, number = record.get("instance_name"), record.get("instance_no")
    return "%s (%s)" % (name, number) if name and number else str(name or number or record.get("host"))


def _line(record):
    backup, export = record.get("backup"), record.get("export")
    parts = []
    if record.get("error"):
        parts.append(record.get("reason") or record["error"])
    else:
        parts.append("backup %s, %s ago%s" % (backup["file_name"], backup["age"], _size_note(backup["size"]))
                     if backup else "no backup")
        if not record.get("exports_checked"):
            parts.append("exports not checked (no bucket)")
        elif export:
            parts.append("export %s/%s, backup of %s ago, %s" % (export["bucket"], export["key"], export["age"],
                                                                 export["state"]))
        else:
            parts.append("no export")
        if record.get("verdict") != OK:
            parts.append(record.get("reason"))
    return "%-12s %-10s %s: %s" % (record.get("verdict"), record.get("kind") or "?", _who(record), "; ".join(parts))


def _size_note(size):
    text = readable_size(size)
    return ", %s" % text if text else ""


def backup_report_results(hosts, hostvars):
    """The report record of each host (key ``host`` added), worst first; a host without one is unreachable."""
    results = []
    for host in hosts:
        found = (hostvars[host] or {}).get("backup_report_result")
        if isinstance(found, dict):
            results.append(dict(found, host=host))
        else:
            record = {"host": host, "kind": None, "instance_no": None, "instance_name": host, "verdict": UNREACHABLE,
                      "ok": False, "rank": 0, "reason": "stopped before it was looked at; its error is above",
                      "error": "stopped before it was looked at", "backup": None, "export": None}
            record["summary"] = _line(record)
            results.append(record)
    return sorted(results, key=_order)


def _order(record):
    return (record.get("rank", 0), str(record.get("instance_name") or record.get("host") or ""))


def backup_report_summary(results):
    """The headline (count per verdict) and one line per instance, worst first."""
    results = sorted([r for r in results or [] if isinstance(r, dict)], key=_order)
    counts = ", ".join("%d %s" % (sum(1 for r in results if r.get("verdict") == verdict), verdict)
                       for verdict in VERDICTS if any(r.get("verdict") == verdict for r in results))
    return ["%d instance(s): %s" % (len(results), counts or "none")] + [r.get("summary", "") for r in results]


def backup_report_html(results, title="Backup report", generated_at=None):
    """The report as one HTML page: no script, no external asset; a table worst first, a colour per verdict."""
    results = sorted([r for r in results or [] if isinstance(r, dict)], key=_order)
    moment = _now(generated_at).astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    esc = html.escape
    styles = "\n".join(".v-%s { background: %s; }" % (_slug(v), c) for v, c in COLOURS.items())
    headline = esc(backup_report_summary(results)[0])
    rows = []
    for record in results:
        backup, export, settings = record.get("backup") or {}, record.get("export") or {}, record.get("settings") or {}
        verdict = record.get("verdict") or UNREACHABLE
        if backup:
            backup_cell = "%s<br><small>%s, %s ago%s</small>" % (
                esc(str(backup.get("file_name"))), esc(str(backup.get("backup_type"))), esc(str(backup.get("age"))),
                esc(_size_note(backup.get("size"))))
        else:
            backup_cell = "&mdash;"
        if export:
            export_cell = "%s/%s<br><small>backup of %s ago, exported %s ago, %s, %s</small>" % (
                esc(str(export.get("bucket"))), esc(str(export.get("key"))), esc(str(export.get("age"))),
                esc(str(export.get("exported_ago"))), esc(readable_size(export.get("object_size")) or "no object"),
                esc(str(export.get("state"))))
        else:
            export_cell = "&mdash;" if record.get("exports_checked", True) else "not checked (no bucket)"
        enabled = settings.get("backup_enabled")
        settings_cell = "%s<br><small>at %s, kept %s d</small>" % (
            {True: "on", False: "off"}.get(enabled, "unknown"), esc(str(settings.get("backup_time") or "?")),
            esc(str(settings.get("retention_days") or "?")))
        rows.append(
            '<tr class="row" data-verdict="%s" data-instance-no="%s">'
            '<td class="verdict v-%s">%s</td><td>%s<br><small>%s</small></td><td>%s</td><td>%s</td><td>%s</td>'
            '<td>%s</td></tr>' % (
                esc(verdict), esc(str(record.get("instance_no") or "")), _slug(verdict), esc(verdict),
                esc(str(record.get("instance_name") or record.get("host"))), esc(str(record.get("kind") or "?")),
                backup_cell, export_cell, settings_cell, esc(str(record.get("reason") or ""))))
    return PAGE % {"title": esc(title), "styles": styles, "headline": headline, "generated": esc(moment),
                   "rows": "\n".join(rows)}


def _slug(verdict):
    return verdict.replace(" ", "-")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%(title)s</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #212529; }
table { border-collapse: collapse; width: 100%%; }
th, td { border: 1px solid #dee2e6; padding: .4em .6em; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
small { color: #495057; }
td.verdict { color: #fff; font-weight: bold; white-space: nowrap; }
%(styles)s
</style>
</head>
<body>
<h1>%(title)s</h1>
<p id="headline">%(headline)s &middot; generated %(generated)s</p>
<table id="report">
<thead><tr><th>Verdict</th><th>Instance</th><th>Newest backup</th><th>Newest export</th><th>NCP backup settings</th>
<th>Why</th></tr></thead>
<tbody>
%(rows)s
</tbody>
</table>
</body>
</html>
"""


class FilterModule:
    def filters(self):
        return {
            "backup_report_result": backup_report_result,
            "backup_report_results": backup_report_results,
            "backup_report_summary": backup_report_summary,
            "backup_report_html": backup_report_html,
        }
