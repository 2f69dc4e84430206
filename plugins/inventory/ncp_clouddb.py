# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ncp_clouddb
short_description: NAVER Cloud Platform Cloud DB instances (Cache, Redis, PostgreSQL, MySQL, ...) as inventory hosts
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Lists the instances of Cloud DB for Cache (API v2, C(getCloudCacheInstanceList)), Cloud DB for Redis
    (Cache API v1, C(getCloudRedisInstanceList)), Cloud DB for PostgreSQL (C(getCloudPostgresqlInstanceList)),
    Cloud DB for MySQL (C(getCloudMysqlInstanceList)), Cloud DB for MongoDB (C(getCloudMongoDbInstanceList)) and
    Cloud DB for MSSQL (C(getCloudMssqlInstanceList)), through every page of each list, in one or more regions, and makes one inventory host of each instance.
    Deleted instances never appear.
  - Uses a YAML configuration file whose name ends in C(ncp_clouddb.yml) or C(ncp_clouddb.yaml), with
    O(plugin) set to V(ncp.clouddb.ncp_clouddb).
  - Only reads; every request goes through the same signed, retried client as the modules of this collection.
  - A host is named after the instance's service name (C(cloudCacheServiceName), ...). When two or more listed
    instances share a service name (for example a cache and a PostgreSQL instance both named C(orders), or one
    name in two regions), each of them is named C(<name>-<instance_no>) instead and one warning names them all.
    Should even that name be taken, the host is named C(<name>-<instance_no>-<kind>-<region>).
  - "Host variables, all set on every host (V(null) when the API gives no value):
    C(ncp_clouddb_kind) (V(cache), V(redis), V(postgresql), V(mysql), V(mongodb) or V(mssql));
    C(ncp_clouddb_instance_no) (the instance number, a string);
    C(ncp_clouddb_name) (the service name);
    C(ncp_clouddb_status) (the status name in lower case, for example V(running), V(stopped), V(settingup));
    C(ncp_clouddb_region) (the region code the instance was listed in);
    C(ncp_clouddb_zone) (the zone of the instance's first server: instance rows carry no zone);
    C(ncp_clouddb_engine) (V(Valkey) or V(Redis) from C(cloudCacheDbmsCode) for cache instances, V(Redis) for
    redis instances, V(PostgreSQL), V(MySQL), V(MongoDB), V(MSSQL));
    C(ncp_clouddb_engine_version) (C(engineVersion));
    C(ncp_clouddb_ha) (C(isHa), a boolean);
    C(ncp_clouddb_backup_enabled) (C(isBackup), a boolean);
    C(ncp_clouddb_backup_time) (C(backupTime), for example V(03:00));
    C(ncp_clouddb_backup_retention_days) (C(backupFileRetentionPeriod), a number);
    C(ncp_clouddb_license) (the code of C(licence) or C(license); V(null) for MySQL, whose instance type has none);
    C(ncp_clouddb_created) (C(createDate), for example V(2024-07-02T11:58:45+0900));
    C(ncp_clouddb_servers) (the instance's servers, a list of dictionaries with the keys C(instance_no), C(name),
    C(role) (the role code), C(status) (lower case) and C(zone))."
  - "Cache, redis and mongodb hosts also have C(ncp_clouddb_shard_count) (C(shardCount), a number)."
  - "V(mongodb) and V(mssql) hosts are listed only: NCP's pages leave open a fact their export needs (see
    C(docs/api-facts.md)), so the role C(ncp.clouddb.backup_and_export) reports them as skipped, with the reason."
  - No host variable holds a key, a secret or the API URL, and neither does the inventory cache.
  - "Groups: C(ncp_clouddb) (every host), C(ncp_clouddb_cache), C(ncp_clouddb_redis), C(ncp_clouddb_postgresql),
    C(ncp_clouddb_mysql), C(ncp_clouddb_mongodb), C(ncp_clouddb_mssql) (one per listed kind, also when empty), and C(ncp_clouddb_status_<status>) (for example
    C(ncp_clouddb_status_running)). O(keyed_groups), O(groups) and O(compose) add more."
  - The plugin sets no connection variables (no C(ansible_host), no C(ansible_connection)), since nothing logs in to a
    Cloud DB instance. The modules of this collection call the NCP API from the controller; the role
    C(ncp.clouddb.backup_and_export) runs for each host and delegates its module calls to C(localhost). Delegate your
    own tasks on these hosts to C(localhost) too, or use the hosts as data (C(groups), C(hostvars)).
extends_documentation_fragment:
  - constructed
  - inventory_cache
requirements:
  - python >= 3.8
  - requests
  - xmltodict
options:
  plugin:
    description:
      - Marks this file as a configuration of this plugin.
    type: str
    required: true
    choices: [ncp.clouddb.ncp_clouddb]
  access_key:
    description:
      - NCP API access key ID.
      - When not given, the environment variable E(NCLOUD_ACCESS_KEY) or E(NCLOUD_ACCESS_KEY_ID) is used, and then
        C(ncloud_access_key_id) from C(~/.ncloud/configure), the same order as the modules of this collection.
      - May be a template, for example C({{ vault_ncp_access_key }}) with the variable given as an extra variable.
    type: str
  secret_key:
    description:
      - NCP API secret key. It never appears in host variables, in the inventory cache or in errors.
      - When not given, E(NCLOUD_SECRET_KEY) or E(NCLOUD_SECRET_ACCESS_KEY) is used, and then
        C(ncloud_secret_access_key) from C(~/.ncloud/configure).
      - May be a template, like O(access_key), or vault-encrypted (C(!vault |)).
    type: str
  region:
    description:
      - NCP region code used when O(regions) is not given, for example C(KR), C(JPN), C(SGN).
      - When not given, E(NCLOUD_REGION) is used, and then C(KR).
    type: str
  regions:
    description:
      - Region codes to list instances in, one request series per region and kind.
      - When empty, the one region of O(region) (or E(NCLOUD_REGION), or C(KR)).
    type: list
    elements: str
    default: []
  api_url:
    description:
      - Base URL of the NCP API Gateway, for example C(https://ncloud.apigw.gov-ntruss.com) on the government
        cloud or C(https://fin-ncloud.apigw.fin-ntruss.com) on the financial cloud.
      - When not given, E(NCLOUD_API_GW) is used, and then C(https://ncloud.apigw.ntruss.com).
    type: str
  validate_certs:
    description:
      - Whether to verify the gateway's TLS certificate.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the answer to one API request.
    type: int
    default: 30
  retry_timeout:
    description:
      - Seconds the plugin may spend retrying one throttled (HTTP 429 with error code 410 or 420), failed (5xx) or
        dropped request, with capped exponential backoff and jitter, before it gives up. C(0) turns retries off.
    type: int
    default: 60
  kinds:
    description:
      - Which APIs to list. V(cache) is Cloud DB for Cache API v2 (Valkey and Redis, C(/vcache/v2)), V(redis) the
        Cache API v1 (formerly Cloud DB for Redis, C(/vredis/v2)), V(postgresql) Cloud DB for PostgreSQL
        (C(/vpostgresql/v2)), V(mysql) Cloud DB for MySQL (C(/vmysql/v2)), V(mongodb) Cloud DB for MongoDB
        (C(/vmongodb/v2)), V(mssql) Cloud DB for MSSQL (C(/vmssql/v2)).
    type: list
    elements: str
    choices: [cache, redis, postgresql, mysql, mongodb, mssql]
    default: [cache, redis, postgresql, mysql, mongodb, mssql]
    aliases: [services]
  filters:
    description:
      - Which of the listed instances become hosts. An instance is kept when it passes every filter given, that is when
        its status is one of O(filters.status) (when given) AND its name matches at least one pattern of
        O(filters.name) (when given), AND its name matches none of the patterns of O(filters.exclude_name).
      - Patterns are shell-style (C(*), C(?), C([seq])) and case-sensitive, matched against the whole service name.
      - The host naming rule for shared names applies among the instances kept.
    type: dict
    default: {}
    suboptions:
      status:
        description:
          - Status names to keep, for example C(running). Compared in lower case.
        type: list
        elements: str
      name:
        description:
          - Shell-style patterns; an instance is kept when its name matches one of them.
        type: list
        elements: str
      exclude_name:
        description:
          - Shell-style patterns; an instance whose name matches one of them is left out.
        type: list
        elements: str
  strict_permissions:
    description:
      - What to do when the API Gateway refuses a listing because the credential may not call it (HTTP 401 with
        error code C(210) "Permission Denied", for example a sub-account whose policy allows Cloud DB for Cache and
        PostgreSQL but not Redis).
      - When V(true), the inventory fails with a message naming the kind, the region and this option.
      - When V(false), that kind in that region is skipped, one warning names every kind and region skipped, and
        every other kind and region is listed. Only permission refusals are skipped; an authentication failure
        (error code C(200), a wrong key or a skewed clock), throttling, a 5xx or no answer still fail the inventory.
      - The same idea as the option of this name of the C(amazon.aws.aws_ec2) inventory plugin.
    type: bool
    default: true
  page_size:
    description:
      - Rows asked for per request (C(pageSize)); every page is read, so this only changes how many requests a
        long list takes. Between 1 and 1000.
    type: int
    default: 100
notes:
  - AWX / Automation Controller, as an inventory source "Sourced from a Project" pointing at a C(*.ncp_clouddb.yml)
    file, with the credential of C(extensions/awx/credential_type_ncp.yml) attached, which sets the E(NCLOUD_*)
    environment variables this plugin reads. See C(docs/inventory.md).
  - With O(cache) on, the instance records (the host variables before O(filters), O(compose) and the groups) and the
    kinds and regions skipped under O(strict_permissions=false) (warned of again when the cache is read) are cached;
    changing O(regions), O(kinds), O(api_url) or the access key makes the plugin read the API again.
seealso:
  - name: Inventory guide of this collection
    description: Options, host variables, groups, caching and AWX set-up.
    link: https://example.invalid/ncp/clouddb/blob/main/docs/inventory.md
"""

EXAMPLES = r"""
# demo.ncp_clouddb.yml: every instance of every kind in the default region; the keys come from the
# NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY environment variables or ~/.ncloud/configure.
plugin: ncp.clouddb.ncp_clouddb

---
# Running Valkey and Redis caches named shop-* in two regions, except the test ones.
plugin: ncp.clouddb.ncp_clouddb
regions: [KR, JPN]
kinds: [cache, redis]
filters:
  status: [running]
  name: ["shop-*"]
  exclude_name: ["*-test"]

---
# Groups by engine (engine_valkey, engine_redis, engine_postgresql, engine_mysql) and by region, a group of the
# instances without automatic backups, and on each host the bucket the role ncp.clouddb.backup_and_export
# exports its backups to (ansible-playbook -i this.ncp_clouddb.yml ncp.clouddb.backup_and_export).
plugin: ncp.clouddb.ncp_clouddb
keyed_groups:
  - key: ncp_clouddb_engine | lower
    prefix: engine
  - key: ncp_clouddb_region
    prefix: region
groups:
  unprotected: not ncp_clouddb_backup_enabled
compose:
  backup_and_export_bucket: "'db-backups' if ncp_clouddb_kind in ['postgresql', 'mysql'] else 'cache-backups'"

---
# Cache the list for ten minutes in JSON files (ansible-inventory --flush-cache reads the API again).
plugin: ncp.clouddb.ncp_clouddb
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ncp_clouddb_inventory
cache_timeout: 600

---
# Government cloud, keys from vaulted extra variables (ansible-inventory -e @vault.yml ...).
plugin: ncp.clouddb.ncp_clouddb
api_url: https://ncloud.apigw.gov-ntruss.com
region: KR
access_key: "{{ vault_ncp_access_key }}"
secret_key: "{{ vault_ncp_secret_key }}"
"""

import fnmatch
import hashlib
import json
import re

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.ncp.clouddb.plugins.module_utils import settings as ncp_settings
from ansible_collections.ncp.clouddb.plugins.module_utils.client import HAS_REQUESTS, NcpClient, requests
from ansible_collections.ncp.clouddb.plugins.module_utils.decode import xmltodict
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.instance_list import instance_record, list_instances
from ansible_collections.ncp.clouddb.plugins.module_utils.pages import MAX_PAGE_SIZE
from ansible_collections.ncp.clouddb.plugins.module_utils.services import INVENTORY_SERVICES as SERVICES

PREFIX = "ncp_clouddb_"
ALL_GROUP = "ncp_clouddb"
FILTER_KEYS = ("status", "name", "exclude_name")
CACHE_FORMAT = 2
CONNECTION_OPTIONS = ("access_key", "secret_key", "region", "api_url")


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "ncp.clouddb.ncp_clouddb"

    def verify_file(self, path):
        """Only YAML files named *ncp_clouddb.yml or *ncp_clouddb.yaml that exist and can be read."""
        return super().verify_file(path) and path.endswith(("ncp_clouddb.yml", "ncp_clouddb.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        kinds = self._kinds()
        filters = self._filters()
        page_size = self._page_size()
        connection = self._connection()
        regions = self._regions(connection["region"])

        scope = _scope_digest(connection, regions, kinds)
        use_cache = bool(self.get_option("cache"))
        cached = None
        if use_cache and cache:
            cached = self._cached_records(path, scope)
        if cached is None:
            records, skipped = self._fetch(connection, regions, kinds, page_size)
            if use_cache:
                self._cache[self.get_cache_key(path)] = {"format": CACHE_FORMAT, "scope": scope, "instances": records,
                                                         "skipped": skipped}
        else:
            records, skipped = cached
        if skipped:
            self.display.warning("%s: %s" % (self.NAME, describe_skipped(skipped)))
        self._populate(records, kinds, filters)

    # ---- options --------------------------------------------------------------------------------

    def _kinds(self):
        chosen = []
        for value in self.get_option("kinds") or []:
            kind = str(value).strip().lower()
            if kind not in SERVICES:
                raise AnsibleParserError("%s: kinds: %r is not one of %s" % (self.NAME, str(value), ", ".join(SERVICES)))
            if kind not in chosen:
                chosen.append(kind)
        if not chosen:
            raise AnsibleParserError("%s: kinds is empty: give one or more of %s" % (self.NAME, ", ".join(SERVICES)))
        return chosen

    def _filters(self):
        given = self.get_option("filters") or {}
        if not isinstance(given, dict):
            raise AnsibleParserError("%s: filters must be a dictionary with the keys %s" % (self.NAME, ", ".join(FILTER_KEYS)))
        unknown = sorted(str(key) for key in given if key not in FILTER_KEYS)
        if unknown:
            raise AnsibleParserError("%s: filters: unknown key %s; the filters are %s" % (
                self.NAME, ", ".join(unknown), ", ".join(FILTER_KEYS)))
        filters = {}
        for key in FILTER_KEYS:
            values = given.get(key)
            if values is None:
                continue
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
                raise AnsibleParserError("%s: filters.%s must be a list of strings" % (self.NAME, key))
            filters[key] = [str(value) for value in values]
        if "status" in filters:
            filters["status"] = [value.lower() for value in filters["status"]]
        return filters

    def _page_size(self):
        size = self.get_option("page_size")
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise AnsibleParserError("%s: page_size=%s is not allowed: give a number from 1 to %d" % (
                self.NAME, size, MAX_PAGE_SIZE))
        return size

    def _connection(self):
        """Settings as the modules resolve them: option, then NCLOUD_* environment, then ~/.ncloud/configure."""
        if not HAS_REQUESTS or xmltodict is None:
            missing = [name for name, ok in (("requests", HAS_REQUESTS), ("xmltodict", xmltodict is not None)) if not ok]
            raise AnsibleError("%s needs the Python libraries %s on the controller (pip install %s)" % (
                self.NAME, " and ".join(missing), " ".join(missing)))
        try:
            ncp_settings.check_timeouts(dict((name, self.get_option(name)) for name in ("timeout", "retry_timeout")))
            resolved = ncp_settings.resolve(dict((name, self._templated(name)) for name in CONNECTION_OPTIONS))
        except NcpError as err:
            raise AnsibleParserError("%s: %s" % (self.NAME, err)) from None
        resolved["validate_certs"] = self.get_option("validate_certs")
        resolved["timeout"] = self.get_option("timeout")
        resolved["retry_timeout"] = self.get_option("retry_timeout")
        return resolved

    def _templated(self, name):
        value = self.get_option(name)
        if value is None:
            return None
        if isinstance(value, str) and self.templar.is_template(value):
            self.templar.available_variables = self._vars or {}
            try:
                value = self.templar.template(value)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                # The template's text may hold a key: name the option, never the value.
                raise AnsibleParserError("%s: the template of option %s failed: %s" % (
                    self.NAME, name, type(exc).__name__)) from None
        text = str(value) if value is not None else None
        return text or None

    def _regions(self, default_region):
        regions = []
        for value in self.get_option("regions") or [default_region]:
            region = str(value).strip()
            if not region:
                raise AnsibleParserError("%s: regions holds an empty region code" % self.NAME)
            if region not in regions:
                regions.append(region)
        return regions

    # ---- reading --------------------------------------------------------------------------------

    def _cached_records(self, path, scope):
        try:
            entry = self._cache[self.get_cache_key(path)]
        except KeyError:
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("scope") != scope:
            return None   # written by another version, or for other regions, kinds, gateway or account
        instances, skipped = entry.get("instances"), entry.get("skipped")
        if not isinstance(instances, list) or not isinstance(skipped, list):
            return None
        return instances, skipped

    def _http_session(self):
        return requests.Session()

    def _fetch(self, connection, regions, kinds, page_size):
        session = self._http_session()
        try:
            return self._fetch_with(session, connection, regions, kinds, page_size)
        finally:
            session.close()

    def _fetch_with(self, session, connection, regions, kinds, page_size):
        """(instance records, [[kind, region], ...] skipped because the gateway refused the credential)."""
        records, skipped = [], []
        strict = self.get_option("strict_permissions")
        for region in regions:
            client = NcpClient(
                access_key=connection["access_key"], secret_key=connection["secret_key"],
                api_url=connection["api_url"], region=region, timeout=connection["timeout"],
                validate_certs=connection["validate_certs"], retry_timeout=connection["retry_timeout"],
                session=session)
            for name in kinds:
                service = SERVICES[name]
                try:
                    listing = list_instances(client, service, page_size)
                except NcpApiError as err:
                    if not err.permission_denied:
                        raise AnsibleParserError("%s: listing %s instances in region %s failed: %s" % (
                            self.NAME, service.title, region, err)) from None
                    if strict:
                        raise AnsibleParserError(
                            "%s: listing %s instances (kind %s) in region %s was refused: %s. Set strict_permissions: "
                            "false to skip the kinds and regions this credential may not list and list the rest" % (
                                self.NAME, service.title, name, region, err)) from None
                    skipped.append([name, region])
                    continue
                except NcpError as err:
                    raise AnsibleParserError("%s: listing %s instances in region %s failed: %s" % (
                        self.NAME, service.title, region, err)) from None
                if not listing.complete:
                    self.display.warning("%s: %s in region %s said %d instances but its pages gave %d; the inventory "
                                         "may lack some" % (self.NAME, service.instances.name, region,
                                                            listing.total, listing.received))
                records.extend(instance_record(service, region, row) for row in listing.rows)
        return records, skipped

    # ---- hosts and groups -----------------------------------------------------------------------

    def _populate(self, records, kinds, filters):
        kept = [record for record in records if record.get("kind") in kinds and keep(record, filters)]
        names, shared = host_names(kept)
        if shared:
            self.display.warning("%s: %s" % (self.NAME, describe_clashes(shared, names, kept)))
        self.inventory.add_group(ALL_GROUP)
        for kind in kinds:
            self.inventory.add_group(PREFIX + kind)
        strict = self.get_option("strict")
        for index, record in enumerate(kept):
            host = names[index]
            self.inventory.add_host(host, group=ALL_GROUP)
            self.inventory.add_child(PREFIX + record["kind"], host)
            status = _group_part(record.get("status"))
            if status:
                group = self.inventory.add_group(PREFIX + "status_" + status)
                self.inventory.add_child(group, host)
            hostvars = host_variables(record)
            for key, value in hostvars.items():
                self.inventory.set_variable(host, key, value)
            self._set_composite_vars(self.get_option("compose"), hostvars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, host, strict=strict)


def host_variables(record):
    """The host variables of one instance record: every field, prefixed."""
    return dict((PREFIX + key, value) for key, value in record.items())


def keep(record, filters):
    """Whether an instance passes the filters: status AND name AND NOT exclude_name."""
    name = record.get("name") or ""
    if "status" in filters and (record.get("status") or "") not in filters["status"]:
        return False
    if "name" in filters and not any(fnmatch.fnmatchcase(name, pattern) for pattern in filters["name"]):
        return False
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in filters.get("exclude_name", ())):
        return False
    return True


def host_names(records):
    """One unique host name per record, and the shared service names: {name: [record indexes]}.

    A host is named after its service name; when more than one record has that name, each of them is
    named <name>-<instance_no>; should one of those still not be unique, <name>-<instance_no>-<kind>-<region>.
    """
    def candidate(index, level):
        record = records[index]
        name = record.get("name") or record.get("instance_no")
        if level == 0:
            return name
        if level == 1:
            return "%s-%s" % (name, record.get("instance_no"))
        return "%s-%s-%s-%s" % (name, record.get("instance_no"), record.get("kind"), str(record.get("region")).lower())

    levels = [0] * len(records)
    while True:
        holders = {}
        for index in range(len(records)):
            holders.setdefault(candidate(index, levels[index]), []).append(index)
        crowded = [index for indexes in holders.values() if len(indexes) > 1 for index in indexes if levels[index] < 2]
        if not crowded:
            break
        for index in crowded:
            levels[index] += 1
    names = [candidate(index, levels[index]) for index in range(len(records))]
    shared = {}
    for index, level in enumerate(levels):
        if level > 0:
            shared.setdefault(candidate(index, 0), []).append(index)
    return names, shared


def describe_clashes(shared, names, records):
    """One sentence naming every instance whose service name is shared, and its host name."""
    parts = []
    for name in sorted(shared):
        parts.append("%s (%s)" % (name, ", ".join(
            "%s %s in %s as %s" % (records[i]["kind"], records[i]["instance_no"], records[i]["region"], names[i])
            for i in shared[name])))
    return ("more than one listed instance has the same service name, so their hosts are named "
            "<name>-<instance_no>: %s" % "; ".join(parts))


def describe_skipped(skipped):
    """One sentence naming every kind and region skipped under strict_permissions: false."""
    return ("skipped what this credential may not list (the gateway answered HTTP 401, code 210 Permission Denied, "
            "and strict_permissions is false), so the inventory lacks the instances of: %s" % ", ".join(
                "%s (%s) in region %s" % (kind, SERVICES[kind].instances.name, region) for kind, region in skipped))


def _group_part(value):
    if not value:
        return None
    return re.sub(r"[^A-Za-z0-9_]", "_", str(value).lower())


def _scope_digest(connection, regions, kinds):
    """What a cache entry was made for, as a digest: the gateway, the account, the regions and kinds.

    A digest, so that the cache holds neither the API URL nor the access key; never the secret key.
    """
    source = json.dumps([connection["api_url"], connection["access_key"], regions, kinds])
    return hashlib.sha256(source.encode("utf-8")).hexdigest()
