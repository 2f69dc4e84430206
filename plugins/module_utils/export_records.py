# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which objects in a bucket are this collection's exports, and where a new export lands.

Why records: backup file names repeat across instances (they are dates), and NCP documents where an
export lands only for PostgreSQL with ``folderPath``; so an object's name proves nothing about whose
backup it is. After an export it saw arrive, the module writes a small **record** at a key computed
from the backup alone::

    <root>.ncp-clouddb/exports/<kind>/<instance_no>/<file_name>.json

(``<root>`` is ``object_prefix``, or the PostgreSQL export's ``folder_path``.) It names the backup
(kind, instance, file name, start and end time) and the object it became (key, ETag, size). So:

* "already exported?" is one GET of the record and one HEAD of the object it names, however big
  the bucket (flat cost). It holds only while the object still has the recorded content (ETag and
  size): an object overwritten since, by another instance's export with the same name, or deleted,
  is exported again;
* retention lists one instance's records (one narrow listing), never the bucket.

Where a new export lands (``Landing``): with ``folder_path``, at exactly ``<folder_path><file_name>``
(NCP's documented meaning). Otherwise NCP does not say; the module looks first where it is most
likely: the key where an earlier export of this kind into this bucket landed (learned: a
**layout** hint at ``<root>.ncp-clouddb/layout/<kind>.json``, e.g. ``vcache/{instance_no}/{file_name}``),
and ``<root><file_name>``; then lists the narrowest prefix; and it scans the whole root only while
nothing is learned yet.
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff
from ansible_collections.ncp.clouddb.plugins.module_utils.backups import utc_stamp
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import content_of, version_of

FOLDER = ".ncp-clouddb/"
WRITTEN_BY = "ncp.clouddb export modules"


def is_backup_object(key, file_name):
    """Whether the object key may be this backup file: its last part is the file name, optionally with
    an extension (20261121, pg/20261121, x/20261121.tar.gz; not 202611211 or 20261121-old)."""
    if FOLDER in key:
        return False
    base = key.rsplit("/", 1)[-1]
    return base == file_name or base.startswith(file_name + ".")


def folders(key, root=""):
    """The folder names of a key below root: vcache/1101/20261126 -> [vcache, 1101]."""
    return key[len(root):].split("/")[:-1] if key.startswith(root) else key.split("/")[:-1]


def template_of(key, instance_no, file_name):
    """The layout a key shows: the file name and instance number replaced by placeholders."""
    folder, _slash, base = key.rpartition("/")
    parts = ["{instance_no}" if part == instance_no else part.replace("{", "{{").replace("}", "}}")
             for part in folder.split("/")] if folder else []
    extension = base[len(file_name):].replace("{", "{{").replace("}", "}}")
    return "/".join(parts + ["{file_name}" + extension])


class ExportRecords:
    """The records and layout hints below one root of one bucket."""

    def __init__(self, store, bucket, root=""):
        self.store = store
        self.bucket = bucket
        self.root = root

    def folder_of(self, kind, instance_no):
        return "%s%sexports/%s/%s/" % (self.root, FOLDER, kind, instance_no)

    def record_key(self, kind, instance_no, file_name):
        return "%s%s.json" % (self.folder_of(kind, instance_no), file_name)

    def layout_key(self, kind):
        return "%s%slayout/%s.json" % (self.root, FOLDER, kind)

    def find(self, kind, instance, backup):
        """(record, object) when the backup's record exists and its object still holds what was exported."""
        record = self.store.get_json(self.bucket, self.record_key(kind, instance.number, backup.file_name))
        if not record or not _describes(record, kind, instance.number, backup):
            return None
        item = self.store.head(self.bucket, record.get("key") or "")
        if not holds(record, item):
            return None
        return record, item

    def write(self, kind, instance, backup, item):
        record = {"kind": kind, "instance_no": instance.number, "file_name": backup.file_name,
                  "start_time": backup.row.get("startTime"), "end_time": backup.row.get("endTime"),
                  "bucket": self.bucket, "key": item["key"], "etag": item["etag"], "size": item["size"],
                  "exported_at": utc_stamp(), "written_by": WRITTEN_BY}
        self.store.put_json(self.bucket, self.record_key(kind, instance.number, backup.file_name), record)
        return record

    def of_instance(self, kind, instance_no):
        """Every record of one instance (key of the record, record), from one narrow listing."""
        found = []
        for item in self.store.list(self.bucket, self.folder_of(kind, instance_no)):
            if item["key"].endswith(".json"):
                record = self.store.get_json(self.bucket, item["key"])
                if record and record.get("kind") == kind and str(record.get("instance_no")) == str(instance_no):
                    found.append((item["key"], record))
        return found

    def layout(self, kind):
        hint = self.store.get_json(self.bucket, self.layout_key(kind))
        return (hint or {}).get("template")

    def learn_layout(self, kind, template):
        hint = {"kind": kind, "template": template, "learned_at": utc_stamp(), "written_by": WRITTEN_BY}
        self.store.put_json(self.bucket, self.layout_key(kind), hint)


def holds(record, item):
    """Whether the object (a HEAD's answer, None when there is none) still holds what the record says was
    exported: the same ETag and size. Overwritten or deleted since, it is no longer that export."""
    return item is not None and content_of(item) == [record.get("etag"), record.get("size")]


def _describes(record, kind, instance_no, backup):
    return (record.get("kind"), str(record.get("instance_no")), record.get("file_name"), record.get("start_time")) == \
        (kind, instance_no, backup.file_name, backup.row.get("startTime"))


class Landing:
    """Where one export may land, and how to see it arrive.

    exact: the one key it lands at (folder_path), or None; template: the learned layout, or None.
    ``specific`` is true when the key tells instances apart (exact, or a layout with the instance
    number in it): then concurrent exports cannot be mistaken for each other.
    """

    # With nothing learned, the whole root is scanned while waiting, at growing intervals (2, 4, 8 ... 30 s):
    # often enough to see a quick export soon, rarely enough that a big bucket is not listed on every poll.
    WIDE_BACKOFF = Backoff(base=2.0, factor=2.0, cap=30.0, jitter=False)

    def __init__(self, store, bucket, root, instance_no, file_name, exact=None, template=None, clock=None):
        self.store = store
        self.bucket = bucket
        self.root = root
        self.instance_no = instance_no
        self.file_name = file_name
        self.exact = exact
        self.template = template
        self._clock = clock
        self._next_wide = None
        self._wide_scans = 0

    @property
    def specific(self):
        return self.exact is not None or bool(self.template and "{instance_no}" in self.template)

    @property
    def wide(self):
        """Whether the whole root must be scanned: nothing tells where the file lands."""
        return self.exact is None and not self.template

    def predicted(self):
        if self.exact is not None:
            return [self.exact]
        keys = []
        if self.template:
            try:
                keys.append(self.template.format(instance_no=self.instance_no, file_name=self.file_name))
            except (KeyError, IndexError, ValueError):
                pass
        keys.append(self.root + self.file_name)
        return list(dict.fromkeys(keys))

    def look(self, wide=False):
        """{key: object} of the candidates visible now: HEADs of the predicted keys, the narrow
        listing, and with wide=True the whole root."""
        seen = {}
        for key in self.predicted():
            item = self.store.head(self.bucket, key)
            if item is not None:
                seen[key] = item
        if self.exact is None:
            prefixes = [self.root] if wide else [self.root + self.file_name]
            for prefix in prefixes:
                for item in self.store.list(self.bucket, prefix):
                    if is_backup_object(item["key"], self.file_name):
                        seen[item["key"]] = item
        return seen

    def snapshot(self):
        """{key: version} of every candidate before the export; with nothing learned, of the whole root."""
        return dict((key, version_of(item)) for key, item in self.look(wide=self.wide).items())

    def arrived(self, before, holding_turn):
        """(object, attributable) of the export that arrived since `before`, or None.

        attributable: the object can only be this export (its exact key; a key with this instance's
        number in it; or the only new candidate while this host holds the turn).
        """
        wide = self.wide and self._wide_due()
        new = [item for key, item in self.look(wide=wide).items() if before.get(key) != version_of(item)]
        if not new:
            return None
        if self.exact is not None:
            return new[0], True
        # Instance numbers are all digits: a folder that is another number is another instance's export.
        ours, shared = [], []
        for item in new:
            numbers = [part for part in folders(item["key"], self.root) if part.isdigit()]
            if self.instance_no in numbers:
                ours.append(item)
            elif not numbers:
                shared.append(item)
        if ours:
            return max(ours, key=lambda item: item["last_modified"]), True
        if shared:
            return max(shared, key=lambda item: item["last_modified"]), holding_turn
        return None

    def _wide_due(self):
        if self._clock is None:
            return True
        now = self._clock()
        if self._next_wide is None or now >= self._next_wide:
            self._next_wide = now + self.WIDE_BACKOFF.delay(self._wide_scans)
            self._wide_scans += 1
            return True
        return False
