# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What differs between the NCP database APIs, as data. Everything else is shared code.

Each name below is one the API guide uses; docs/api-facts.md gives the page each was read from.
"""

from __future__ import annotations


class ListAction:
    """A read action that answers with a list: its name, the list's key, and whether it pages (pages.py)."""

    def __init__(self, name, list_key, paged=False):
        self.name = name
        self.list_key = list_key
        self.paged = paged


class BucketList:
    """The action listing the Object Storage buckets an instance can export to, and what it is asked with.

    The cache APIs take the instance number; PostgreSQL takes the number of one of the instance's
    servers (server_list_key / server_no_field say where to find it in the instance row). MySQL documents
    no such action (its Service has bucket_list=None): the export itself is the only check.
    """

    def __init__(self, action, param, server_list_key=None, server_no_field=None):
        self.action = action
        self.param = param
        self.server_list_key = server_list_key
        self.server_no_field = server_no_field


class Service:
    """One NCP database API and the names it uses.

    ``kind`` is the one name users see for it: in module names (ncp_<kind>_backup), target lists,
    inventory host variables and groups, results and export records. ``api_path`` is where its
    actions live on the gateway.
    """

    def __init__(self, kind, title, api_path, instance_param, instance_fields, instances, instance_filters,
                 manual_backups, automatic_backups, create_manual_backup, delete_manual_backup,
                 export_needs_backup_type, export_folder_param, bucket_list, engine=None, engine_field=None,
                 has_shards=False, not_exported=None):
        self.kind = kind
        self.title = title
        self.api_path = api_path
        self.instance_param = instance_param            # the instance number parameter of every action
        self.instance_fields = instance_fields          # number, name, status: field names of an instance row
        self.instances = instances                      # ListAction: the instance list
        self.instance_filters = instance_filters        # number list / name: filter parameters of that list
        self.manual_backups = manual_backups            # ListAction or None (PostgreSQL has no manual backup)
        self.automatic_backups = automatic_backups      # ListAction
        self.create_manual_backup = create_manual_backup
        self.delete_manual_backup = delete_manual_backup  # takes the instance number and fileNameList.N
        self.export_needs_backup_type = export_needs_backup_type  # backupTypeMode SYSTEM|MANUAL (cache APIs)
        self.export_folder_param = export_folder_param  # folderPath (PostgreSQL, MySQL), or None
        self.bucket_list = bucket_list                  # BucketList, or None (MySQL documents none)
        self.engine = engine                            # the engine's name, or None when engine_field tells it
        self.engine_field = engine_field                # cloudCacheDbmsCode: Redis | Valkey
        self.has_shards = has_shards                    # instance rows carry shardCount
        self.not_exported = not_exported                # why the collection only lists this kind, or None
        self.stem = instance_param[:-len("InstanceNo")]  # cloudCache: instance and server row fields begin so

    def field(self, suffix):
        """A field name of this API's instance or server rows: field("ServerName") -> cloudCacheServerName."""
        return self.stem + suffix

    def module(self, suffix):
        """The FQCN of one of this kind's modules: module("backup_info") -> ncp.clouddb.ncp_cache_backup_info."""
        return "ncp.clouddb.ncp_%s_%s" % (self.kind, suffix)

    def __repr__(self):
        return "Service(%s)" % self.kind


EXPORT_ACTION = "exportBackupToObjectStorage"

CACHE = Service(
    kind="cache",
    title="Cloud DB for Cache",
    api_path="/vcache/v2",
    instance_param="cloudCacheInstanceNo",
    instance_fields=dict(number="cloudCacheInstanceNo", name="cloudCacheServiceName",
                         status="cloudCacheInstanceStatusName"),
    instances=ListAction("getCloudCacheInstanceList", "cloudCacheInstanceList", paged=True),
    instance_filters=dict(numbers="cloudCacheInstanceNoList", name="cloudCacheServiceName"),
    manual_backups=ListAction("getCloudCacheManualBackupDetailList", "cloudCacheBackupDetailList"),
    automatic_backups=ListAction("getCloudCacheBackupDetailList", "cloudCacheBackupDetailList"),
    create_manual_backup="createCloudCacheManualBackup",
    delete_manual_backup="deleteCloudCacheManualBackup",
    export_needs_backup_type=True,
    export_folder_param=None,
    bucket_list=BucketList(ListAction("getCloudCacheBucketList", "cloudCacheBucketList"), "cloudCacheInstanceNo"),
    engine_field="cloudCacheDbmsCode",
    has_shards=True,
)

REDIS = Service(
    kind="redis",
    title="Cloud DB for Redis (Cloud DB for Cache API v1)",
    api_path="/vredis/v2",
    instance_param="cloudRedisInstanceNo",
    instance_fields=dict(number="cloudRedisInstanceNo", name="cloudRedisServiceName",
                         status="cloudRedisInstanceStatusName"),
    instances=ListAction("getCloudRedisInstanceList", "cloudRedisInstanceList", paged=True),
    instance_filters=dict(numbers="cloudRedisInstanceNoList", name="cloudRedisServiceName"),
    manual_backups=ListAction("getCloudRedisManualBackupDetailList", "cloudRedisBackupDetailList"),
    automatic_backups=ListAction("getCloudRedisBackupDetailList", "cloudRedisBackupDetailList"),
    create_manual_backup="createCloudRedisManualBackup",
    delete_manual_backup="deleteCloudRedisManualBackup",
    export_needs_backup_type=True,
    export_folder_param=None,
    bucket_list=BucketList(ListAction("getCloudRedisBucketList", "cloudRedisBucketList"), "cloudRedisInstanceNo"),
    engine="Redis",
    has_shards=True,
)

POSTGRESQL = Service(
    kind="postgresql",
    title="Cloud DB for PostgreSQL",
    api_path="/vpostgresql/v2",
    instance_param="cloudPostgresqlInstanceNo",
    instance_fields=dict(number="cloudPostgresqlInstanceNo", name="cloudPostgresqlServiceName",
                         status="cloudPostgresqlInstanceStatusName"),
    instances=ListAction("getCloudPostgresqlInstanceList", "cloudPostgresqlInstanceList", paged=True),
    instance_filters=dict(numbers="cloudPostgresqlInstanceNoList", name="cloudPostgresqlServiceName"),
    manual_backups=None,
    automatic_backups=ListAction("getCloudPostgresqlBackupDetailList", "cloudPostgresqlBackupDetailList",
                                 paged=True),
    create_manual_backup=None,
    delete_manual_backup=None,
    export_needs_backup_type=False,
    export_folder_param="folderPath",
    bucket_list=BucketList(ListAction("getCloudPostgresqlBucketList", "cloudPostgresqlBucketList"),
                           "cloudPostgresqlServerInstanceNo", server_list_key="cloudPostgresqlServerInstanceList",
                           server_no_field="cloudPostgresqlServerInstanceNo"),
    engine="PostgreSQL",
)

# docs/api-facts.md, "Cloud DB for MySQL": the same shape as PostgreSQL (no manual backup, a paged
# automatic backup list, folderPath on the export), but no bucket list action on any page read.
MYSQL = Service(
    kind="mysql",
    title="Cloud DB for MySQL",
    api_path="/vmysql/v2",
    instance_param="cloudMysqlInstanceNo",
    instance_fields=dict(number="cloudMysqlInstanceNo", name="cloudMysqlServiceName",
                         status="cloudMysqlInstanceStatusName"),
    instances=ListAction("getCloudMysqlInstanceList", "cloudMysqlInstanceList", paged=True),
    instance_filters=dict(numbers="cloudMysqlInstanceNoList", name="cloudMysqlServiceName"),
    manual_backups=None,
    automatic_backups=ListAction("getCloudMysqlBackupDetailList", "cloudMysqlBackupDetailList", paged=True),
    create_manual_backup=None,
    delete_manual_backup=None,
    export_needs_backup_type=False,
    export_folder_param="folderPath",
    bucket_list=None,
    engine="MySQL",
)


# Kinds the inventory plugin lists but nothing here backs up or exports, because NCP's pages leave a fact
# the export needs open (docs/api-facts.md, "Cloud DB for MongoDB" and "Cloud DB for MSSQL"). Only the
# instance list is used; the backup and export fields are None.
def _listed_only(kind, title, api_path, stem, engine, has_shards, not_exported):
    lower = "cloud" + stem
    return Service(
        kind=kind, title=title, api_path=api_path, instance_param=lower + "InstanceNo",
        instance_fields=dict(number=lower + "InstanceNo", name=lower + "ServiceName",
                             status=lower + "InstanceStatusName"),
        instances=ListAction("getCloud%sInstanceList" % stem, lower + "InstanceList", paged=True),
        instance_filters=dict(numbers=lower + "InstanceNoList", name=lower + "ServiceName"),
        manual_backups=None, automatic_backups=None, create_manual_backup=None, delete_manual_backup=None,
        export_needs_backup_type=False, export_folder_param=None, bucket_list=None, engine=engine,
        has_shards=has_shards, not_exported=not_exported)


MONGODB = _listed_only(
    "mongodb", "Cloud DB for MongoDB", "/vmongodb/v2", "MongoDb", "MongoDB", True,
    "its export (/vmongodb/v2/exportBackupToObjectStorage) needs objectName, and no documented field of "
    "getCloudMongoDbBackupDetailList carries it")
MSSQL = _listed_only(
    "mssql", "Cloud DB for MSSQL", "/vmssql/v2", "Mssql", "MSSQL", False,
    "its export (/vmssql/v2/exportBackupToObjectStorage) takes a server instance number and a list of backup "
    "files (cloudMssqlExportObjectList.N.fullObjectName), and no page says which backup list field fills it")

SERVICES = dict((service.kind, service) for service in (CACHE, REDIS, POSTGRESQL, MYSQL))    # backed up / exported
LISTED_ONLY = dict((service.kind, service) for service in (MONGODB, MSSQL))
INVENTORY_SERVICES = dict(SERVICES, **LISTED_ONLY)                                           # the inventory's kinds
