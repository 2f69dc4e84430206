# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exports that land at a shared key take turns through the bucket: claims.

Where an export lands at a key that does not tell instances apart (the bucket root, with the date
file names NCP's examples use), two same-named exports running at once replace each other, and
neither could tell which object is its own. So before asking NCP such an export writes a small
**claim** object::

    <root>.ncp-clouddb/claims/<file_name>/<created_ms>-<expires_ms>-<kind>-<instance_no>-<token>.json

naming (in its key, and again in its JSON body) the instance, the file name, when it was made and
when it expires. It asks NCP only when its claim is the first of the unexpired claims for that file
name, in the order (created, kind, instance_no, token) that every run computes the same way from one
listing (ListObjects V1 with the prefix: one request a look, however many claims). It removes its
claim once the file is moved to the instance's own key and recorded, or on any failure. A claim whose
holder died is passed over once it expires; an expired claim is never renewed (its holder joins the
end of the queue with a new claim), so a holder that was passed over cannot cut back in.

Limits (docs/design.md, "Concurrent exports take turns through the bucket"): NCP documents neither
read-after-write consistency nor a conditional PUT, so a claim cannot be written "only if first". A
run decides only from a listing that already shows its own claim (a stale listing that misses its
own write cannot be trusted to show another's); two claims written within the listing's lag could
still both see themselves first. The records (ETag and size) then send the replaced export round
again on the next run: nothing is ever recorded that another export replaced unnoticed.
"""

from __future__ import annotations

import binascii
import datetime
import os

from ansible_collections.ncp.clouddb.plugins.module_utils.export_records import FOLDER, WRITTEN_BY

CLAIMS = FOLDER + "claims/"


def _stamp(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat()


class Claim:
    """One claim: who (kind, instance_no), for which file, from when until when (epoch seconds)."""

    def __init__(self, folder, created, expires, kind, instance_no, token):
        self.folder = folder
        self.created = created
        self.expires = expires
        self.kind = kind
        self.instance_no = str(instance_no)
        self.token = token

    @property
    def key(self):
        return "%s%013d-%013d-%s-%s-%s.json" % (
            self.folder, int(self.created * 1000), int(self.expires * 1000), self.kind, self.instance_no, self.token)

    @property
    def order(self):
        """The place in the queue: every run sorts claims the same way."""
        return (int(self.created * 1000), self.kind, self.instance_no, self.token)

    def describe(self):
        return "%s instance %s (claim made %s, expires %s)" % (
            self.kind, self.instance_no, _stamp(self.created), _stamp(self.expires))

    def to_request(self):
        return {"key": self.key}

    @classmethod
    def parse(cls, folder, key):
        """The claim a key names, or None when the key is not a claim's."""
        if not key.startswith(folder) or not key.endswith(".json"):
            return None
        parts = key[len(folder):-len(".json")].split("-")
        if len(parts) != 5 or not parts[0].isdigit() or not parts[1].isdigit() or not parts[3].isdigit():
            return None
        return cls(folder, int(parts[0]) / 1000.0, int(parts[1]) / 1000.0, parts[2], parts[3], parts[4])


class Claims:
    """The claims on one shared landing: one bucket, one root, one file name.

    now: wall-clock seconds since the epoch (claims are compared across hosts), injectable.
    """

    def __init__(self, store, bucket, root, file_name, now):
        self.store = store
        self.bucket = bucket
        self.folder = "%s%s%s/" % (root, CLAIMS, file_name)
        self.file_name = file_name
        self.now = now
        self.last_ahead = None

    def write(self, kind, instance_no, ttl, created=None, token=None):
        """Write a new claim lasting ttl seconds (or renew one in place: same created and token)."""
        moment = self.now()
        claim = Claim(self.folder, moment if created is None else created, moment + ttl, kind, instance_no,
                      token or binascii.hexlify(os.urandom(6)).decode("ascii"))
        self.store.put_json(self.bucket, claim.key, {
            "kind": kind, "instance_no": str(instance_no), "file_name": self.file_name,
            "created": _stamp(claim.created), "expires": _stamp(claim.expires), "written_by": WRITTEN_BY})
        return claim

    def renew(self, claim, ttl):
        """Keep the claim's place in the queue with a later expiry (the claim is updated in place); None
        when it has expired: it is never revived, others may have passed it over already."""
        if claim.expires <= self.now():
            return None
        renewed = self.write(claim.kind, claim.instance_no, ttl, created=claim.created, token=claim.token)
        if renewed.key != claim.key:
            self.remove(claim)
        claim.expires = renewed.expires
        return claim

    def find(self, request):
        """The claim a request names (request["key"]), or None."""
        if not isinstance(request, dict) or not isinstance(request.get("key"), str):
            return None
        return Claim.parse(self.folder, request["key"])

    def listed(self):
        """Every claim below the folder, in queue order (expired ones too)."""
        found = {}
        for item in self.store.list(self.bucket, self.folder):
            claim = Claim.parse(self.folder, item["key"])
            if claim is not None:
                known = found.get(claim.order)
                if known is None or claim.expires > known.expires:
                    found[claim.order] = claim  # a renewal seen beside the claim it replaces
        return [found[order] for order in sorted(found)]

    def first(self, claim):
        """True when the claim is first among the unexpired claims; None while another's comes first, or
        while a listing does not show this claim yet (self.last_ahead tells whose)."""
        now = self.now()
        ahead, seen = None, False
        for other in self.listed():
            if other.order == claim.order:
                seen = True
                break
            if other.expires > now and ahead is None:
                ahead = other
        self.last_ahead = ahead
        return True if seen and ahead is None else None

    def remove(self, claim):
        self.store.delete(self.bucket, claim.key)
