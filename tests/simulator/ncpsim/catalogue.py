# -*- coding: utf-8 -*-
"""The three database APIs as data. Handlers in actions.py read this and nothing else.

Names are the API guide's (docs/api-facts.md gives the page for each). Field names of instance and
server rows follow one pattern per API, cloud<Stem>InstanceNo, cloud<Stem>ServerName, ..., which
holds for all three (CloudCacheInstance, CloudRedisInstance, CloudPostgresqlInstance pages), so
they are derived from the stem; everything that differs between the APIs is spelled out below.
"""

# Action kinds, each handled by one generic function in actions.py.
INSTANCE_LIST = "instance_list"
BACKUP_SUMMARY = "backup_summary"    # get...BackupList / get...ManualBackupList: one row per instance
BACKUP_DETAIL = "backup_detail"      # get...BackupDetailList: one row per backup file
CREATE_MANUAL_BACKUP = "create_manual_backup"
DELETE_MANUAL_BACKUP = "delete_manual_backup"   # delete...ManualBackup: fileNameList.N of one instance
EXPORT = "export"
BUCKET_LIST = "bucket_list"

MANUAL = "manual"
AUTOMATIC = "automatic"

# CloudRedisBackupDetail / CloudCacheBackupDetail (fileName is inferred for vcache, see api-facts).
CACHE_DETAIL_FIELDS = (("startTime", "start_time"), ("endTime", "end_time"), ("backupSize", "backup_size"),
                       ("dataStorageSize", "data_storage_size"), ("fileName", "file_name"))
# CloudPostgresqlBackupDetail.
POSTGRESQL_DETAIL_FIELDS = (("fileName", "file_name"), ("startTime", "start_time"), ("endTime", "end_time"),
                            ("backupSize", "backup_size"), ("dataStorageSize", "data_storage_size"),
                            ("archivedWalFileSize", "archived_wal_file_size"))

# CloudMysqlBackupDetail (common-vapidatatype-cloudmysqlbackupdetail): no backupType, no WAL size.
MYSQL_DETAIL_FIELDS = (("fileName", "file_name"), ("startTime", "start_time"), ("endTime", "end_time"),
                       ("backupSize", "backup_size"), ("dataStorageSize", "data_storage_size"))

# CloudCacheBackup / CloudRedisBackup (after the instance number and service name).
CACHE_SUMMARY_FIELDS = (("backupFileRetentionPeriod", "retention_days"), ("backupTime", "backup_time"),
                        ("backupSize", "backup_size"), ("backupType", "backup_type"),
                        ("shardCount", "shard_count"), ("lastBackupDate", "last_backup_date"))
# CloudPostgresqlBackup.
POSTGRESQL_SUMMARY_FIELDS = (("backupType", "backup_type"), ("backupRetention", "retention_days"),
                             ("backupTime", "backup_time"), ("backupSize", "backup_size"),
                             ("lastBackupDate", "last_backup_date"),
                             ("backupFileStorageCount", "backup_file_count"))

# backupType of a cache backup row is a CommonCode; "CLUSTER" is the guide's example
# (database-vredis-getcloudredisbackuplist); the non-cluster code is a simulator assumption.
CACHE_BACKUP_TYPES = {
    "cluster": {"code": "CLUSTER", "codeName": "CLOUD REDIS(VPC) Cluster Backup Type"},
    "single": {"code": "SINGLE", "codeName": "CLOUD REDIS(VPC) Single Backup Type"},
}
# backupType of a PostgreSQL backup row is a plain string; "USER" is the guide's example.
POSTGRESQL_BACKUP_TYPE = "USER"
# CloudPostgresqlBackup declares backupSize both Long and String, and older examples send numbers as
# strings: setting postgresql_backup_numbers: string turns these fields of its rows into strings.
POSTGRESQL_SUMMARY_NUMBERS = ("backupRetention", "backupSize", "backupFileStorageCount")


# Parameters every action takes (each action page lists them); paged lists also take PAGING.
COMMON_PARAMS = ("regionCode", "responseFormatType")
PAGING = ("pageNo", "pageSize")
# A name ending in ".N" is a list parameter: name.1, name.2, ...


def _instance_list_params(lower, generation=True):
    """getCloud<Stem>InstanceList filters (database-vcache-getcloudcacheinstancelist, v1 part alike;
    database-vpostgresql-getcloudpostgresqlinstancelist, which has no generationCode)."""
    return ("zoneCode", "vpcNo", "subnetNo", "%sServiceName" % lower, "%sInstanceNoList.N" % lower,
            "%sServerName" % lower, "%sServerInstanceNoList.N" % lower) + (("generationCode",) if generation else ())


def _cache_actions(stem, prefix_list):
    """The action table of the two cache APIs, which differ only in the stem (Cache, Redis).

    params: what each action's page documents besides COMMON_PARAMS (and PAGING when paged): the
    database-vcache-* pages, v2 and v1 parts. The summary lists take no instance number.
    """
    lower = "cloud%s" % stem
    number = "%sInstanceNo" % lower
    return {
        "get%sInstanceList" % prefix_list: {
            "kind": INSTANCE_LIST, "list_key": "%sInstanceList" % lower, "paged": True,
            "filters": {"numbers": "%sInstanceNoList" % lower, "name": "%sServiceName" % lower},
            "params": _instance_list_params(lower)},
        "get%sManualBackupList" % prefix_list: {
            "kind": BACKUP_SUMMARY, "backups": MANUAL, "list_key": "%sBackupList" % lower, "params": ()},
        "get%sManualBackupDetailList" % prefix_list: {
            "kind": BACKUP_DETAIL, "backups": MANUAL, "list_key": "%sBackupDetailList" % lower, "params": (number,)},
        "get%sBackupList" % prefix_list: {
            "kind": BACKUP_SUMMARY, "backups": AUTOMATIC, "list_key": "%sBackupList" % lower, "params": ()},
        "get%sBackupDetailList" % prefix_list: {
            "kind": BACKUP_DETAIL, "backups": AUTOMATIC, "list_key": "%sBackupDetailList" % lower, "params": (number,)},
        "create%sManualBackup" % prefix_list: {"kind": CREATE_MANUAL_BACKUP, "write": True, "params": (number,)},
        # database-vcache-deletecloudcachemanualbackup: instance number and fileNameList.N, both Required;
        # the answer is the bare success envelope.
        "delete%sManualBackup" % prefix_list: {
            "kind": DELETE_MANUAL_BACKUP, "write": True, "params": (number, "fileNameList.N"),
            "files_param": "fileNameList"},
        "exportBackupToObjectStorage": {
            "kind": EXPORT, "write": True, "backup_type_param": "backupTypeMode", "folder_param": None,
            "params": (number, "fileName", "bucketName", "backupTypeMode")},
        "get%sBucketList" % prefix_list: {
            "kind": BUCKET_LIST, "list_key": "%sBucketList" % lower,
            "param": number, "param_is": "instance", "required": True, "params": (number,)},
    }


SERVICES = {
    "vcache": {
        "prefix": "/vcache/v2",
        "stem": "Cache",
        "instance_param": "cloudCacheInstanceNo",
        "dbms_field": "cloudCacheDbmsCode",   # Redis | Valkey; only the v2 cache API has it
        "license_field": "licence",
        "detail_fields": CACHE_DETAIL_FIELDS,
        "summary_fields": CACHE_SUMMARY_FIELDS,
        "has_shards": True,
        "actions": _cache_actions("Cache", "CloudCache"),
    },
    "vredis": {
        "prefix": "/vredis/v2",
        "stem": "Redis",
        "instance_param": "cloudRedisInstanceNo",
        "dbms_field": None,
        "license_field": "license",
        "detail_fields": CACHE_DETAIL_FIELDS,
        "summary_fields": CACHE_SUMMARY_FIELDS,
        "has_shards": True,
        "actions": _cache_actions("Redis", "CloudRedis"),
    },
    "vpostgresql": {
        "prefix": "/vpostgresql/v2",
        "stem": "Postgresql",
        "instance_param": "cloudPostgresqlInstanceNo",
        "dbms_field": None,
        "license_field": "license",
        "detail_fields": POSTGRESQL_DETAIL_FIELDS,
        "summary_fields": POSTGRESQL_SUMMARY_FIELDS,
        "has_shards": False,
        "actions": {
            "getCloudPostgresqlInstanceList": {
                "kind": INSTANCE_LIST, "list_key": "cloudPostgresqlInstanceList", "paged": True,
                "filters": {"numbers": "cloudPostgresqlInstanceNoList", "name": "cloudPostgresqlServiceName"},
                "params": _instance_list_params("cloudPostgresql", generation=False)},
            "getCloudPostgresqlBackupList": {
                "kind": BACKUP_SUMMARY, "backups": AUTOMATIC, "list_key": "cloudPostgresqlBackupList", "paged": True,
                "params": ()},
            "getCloudPostgresqlBackupDetailList": {
                "kind": BACKUP_DETAIL, "backups": AUTOMATIC, "list_key": "cloudPostgresqlBackupDetailList",
                "paged": True, "params": ("cloudPostgresqlInstanceNo",)},
            # folderPath: release note database-vpostgresql-releasenote (2026-09-17), optional; the object
            # lands at folderPath + fileName (setting postgresql_folder_path: accept | refuse | ignore).
            "exportBackupToObjectStorage": {
                "kind": EXPORT, "write": True, "backup_type_param": None, "folder_param": "folderPath",
                "params": ("cloudPostgresqlInstanceNo", "fileName", "bucketName", "folderPath")},
            "getCloudPostgresqlBucketList": {
                "kind": BUCKET_LIST, "list_key": "cloudPostgresqlBucketList",
                "param": "cloudPostgresqlServerInstanceNo", "param_is": "server_instance", "required": False,
                "params": ("cloudPostgresqlServerInstanceNo",)},
        },
    },
    # Cloud DB for MySQL (docs/api-facts.md, "Cloud DB for MySQL"). Only the three actions the collection
    # calls; no bucket list (none documented) and no manual backup (none exists).
    "vmysql": {
        "prefix": "/vmysql/v2",
        "stem": "Mysql",
        "instance_param": "cloudMysqlInstanceNo",
        "dbms_field": None,
        "license_field": None,      # CloudMysqlInstance lists no licence field
        "detail_fields": MYSQL_DETAIL_FIELDS,
        "summary_fields": (),
        "has_shards": False,
        "actions": {
            # database-vmysql-getcloudmysqlinstancelist (Go SDK request model: the same filters as the cache
            # lists, generationCode included).
            "getCloudMysqlInstanceList": {
                "kind": INSTANCE_LIST, "list_key": "cloudMysqlInstanceList", "paged": True,
                "filters": {"numbers": "cloudMysqlInstanceNoList", "name": "cloudMysqlServiceName"},
                "params": _instance_list_params("cloudMysql")},
            # database-vmysql-getcloudmysqlbackupdetaillist: cloudMysqlInstanceNo Required, pageNo from 0,
            # pageSize required with pageNo (no maximum stated: the simulator keeps PAGE_SIZE_MAX).
            "getCloudMysqlBackupDetailList": {
                "kind": BACKUP_DETAIL, "backups": AUTOMATIC, "list_key": "cloudMysqlBackupDetailList",
                "paged": True, "params": ("cloudMysqlInstanceNo",)},
            # database-vmysql-exportbackuptoobjectstorage: fileName, bucketName, cloudMysqlInstanceNo Required,
            # folderPath Optional; the object lands at folderPath + fileName (an INFERENCE, docs/api-facts.md).
            "exportBackupToObjectStorage": {
                "kind": EXPORT, "write": True, "backup_type_param": None, "folder_param": "folderPath",
                "params": ("cloudMysqlInstanceNo", "fileName", "bucketName", "folderPath")},
        },
    },
    # Cloud DB for MongoDB and MSSQL: the instance list only (the collection lists them and exports neither;
    # docs/api-facts.md says which fact each export lacks). database-vmongodb-getcloudmongodbinstancelist
    # (Go SDK request model: the cache lists' filters, generationCode included) and
    # database-vmssql-getcloudmssqlinstancelist (no generationCode; pageSize 1-1000).
    "vmongodb": {
        "prefix": "/vmongodb/v2",
        "stem": "MongoDb",
        "instance_param": "cloudMongoDbInstanceNo",
        "dbms_field": None,
        "license_field": None,      # CloudMongoDbInstance lists no licence field
        "omit_fields": ("isHa", "isBackup"),   # nor these (common-vapidatatype-cloudmongodbinstance)
        "detail_fields": (),
        "summary_fields": (),
        "has_shards": True,         # shardCount is a CloudMongoDbInstance field
        "actions": {
            "getCloudMongoDbInstanceList": {
                "kind": INSTANCE_LIST, "list_key": "cloudMongoDbInstanceList", "paged": True,
                "filters": {"numbers": "cloudMongoDbInstanceNoList", "name": "cloudMongoDbServiceName"},
                "params": _instance_list_params("cloudMongoDb")},
        },
    },
    "vmssql": {
        "prefix": "/vmssql/v2",
        "stem": "Mssql",
        "instance_param": "cloudMssqlInstanceNo",
        "dbms_field": None,
        "license_field": "license",     # a CommonCode (common-vapidatatype-cloudmssqlinstance)
        "omit_fields": ("isBackup",),    # not a CloudMssqlInstance field
        "detail_fields": (),
        "summary_fields": (),
        "has_shards": False,
        "actions": {
            "getCloudMssqlInstanceList": {
                "kind": INSTANCE_LIST, "list_key": "cloudMssqlInstanceList", "paged": True,
                "filters": {"numbers": "cloudMssqlInstanceNoList", "name": "cloudMssqlServiceName"},
                "params": _instance_list_params("cloudMssql", generation=False)},
        },
    },
}
# Services whose export takes folderPath as a new field that a region may refuse or ignore (setting
# postgresql_folder_path); MySQL's page has had it for years.
FOLDER_PATH_SETTINGS = {"vpostgresql": "postgresql_folder_path"}

# backupTypeMode values of the cache exports (database-vcache-exportbackuptoobjectstorage).
BACKUP_TYPE_MODES = {"SYSTEM": AUTOMATIC, "MANUAL": MANUAL}

# Paging limits (database-vpostgresql-getcloudpostgresqlbackupdetaillist): pageNo from 0,
# pageSize 1..1000 and required with pageNo.
PAGE_SIZE_MIN, PAGE_SIZE_MAX = 1, 1000

# Instance status name -> (status CommonCode, operation CommonCode). The names are the type pages'
# (common-vapidatatype-cloudcacheinstance, ...cloudpostgresqlinstance: reinstalling is PostgreSQL's
# only), except settingUp, which is spelled as NCP's Terraform provider reads it, with status CREAT
# and operation SETUP (internal/service/postgresql/postgresql.go, redis.go). The other pairings and
# every codeName are simulator assumptions (Terraform reads CREAT + NULL as "running").
INSTANCE_STATUS_CODES = {
    "creating": ("INIT", "CREAT"),
    "settingUp": ("CREAT", "SETUP"),
    "running": ("CREAT", "NULL"),
    "restarting": ("CREAT", "RESTA"),
    "stopped": ("CREAT", "NULL"),
    "shuttingdown": ("CREAT", "STOP"),
    "upgrading": ("CREAT", "UPGRD"),
    "downgrading": ("CREAT", "DWGRD"),
    "recovering": ("CREAT", "RECOV"),
    "reinstalling": ("CREAT", "REINS"),
    "pending": ("CREAT", "PEND"),
    "deleting": ("CREAT", "DELET"),
    "deleted": ("DEL", "NULL"),
}
STATUS_NAMES = {name.lower(): name for name in INSTANCE_STATUS_CODES}   # scenario spelling -> NCP's
POSTGRESQL_ONLY_STATUSES = ("reinstalling",)
# Services whose instance type page lists those statuses (common-vapidatatype-cloudmysqlinstance,
# ...cloudmongodbinstance, ...cloudmssqlinstance have reinstalling).
REINSTALLING_SERVICES = ("vpostgresql", "vmysql", "vmongodb", "vmssql")
CODE_NAMES = {
    "INIT": "CLOUD DATABASE(VPC) Init", "CREAT": "CLOUD DATABASE(VPC) Created",
    "DEL": "CLOUD DATABASE(VPC) Deleted", "NULL": "CLOUD DATABASE(VPC) Null OP",
    "SETUP": "CLOUD DATABASE(VPC) Setting Up OP", "RESTA": "CLOUD DATABASE(VPC) Restart OP",
    "STOP": "CLOUD DATABASE(VPC) Stop OP", "UPGRD": "CLOUD DATABASE(VPC) Upgrade OP",
    "DWGRD": "CLOUD DATABASE(VPC) Downgrade OP", "RECOV": "CLOUD DATABASE(VPC) Recover OP",
    "REINS": "CLOUD DATABASE(VPC) Reinstall OP", "PEND": "CLOUD DATABASE(VPC) Pending OP",
    "DELET": "CLOUD DATABASE(VPC) Delete OP",
}
# The licence field of instance rows: vcache spells it "licence" (CommonCode,
# common-vapidatatype-cloudcacheinstance), vredis "license" (CommonCode, Go SDK json tag), PostgreSQL
# "license" (string, Go SDK). The values are simulator assumptions.
LICENSE_CODE = {"code": "BSD", "codeName": "BSD 3-Clause License"}
POSTGRESQL_LICENSE = "PostgreSQL License"
# Server instance status codes are the guide's (DEL | PEND | RUN | STOP | FSTOP).
SERVER_STATUS_CODES = {"running": "RUN", "stopped": "STOP", "deleted": "DEL", "creating": "PEND",
                       "settingUp": "PEND", "pending": "PEND"}
SERVER_CODE_NAMES = {"RUN": "Running", "STOP": "Stopped", "DEL": "Deleted", "PEND": "Pending",
                     "FSTOP": "Failure Stopped"}


def documented_params(spec):
    """(plain names, list-parameter stems) an action accepts: its own, the common ones, paging."""
    names = set(COMMON_PARAMS) | set(spec["params"]) | (set(PAGING) if spec.get("paged") else set())
    lists = set(name[:-2] for name in names if name.endswith(".N"))
    return set(name for name in names if not name.endswith(".N")), lists


def service_for_path(path):
    """(service key, action name) for a request path, or (None, None) if no API has it."""
    for key, service in SERVICES.items():
        prefix = service["prefix"] + "/"
        if path.startswith(prefix):
            action = path[len(prefix):]
            if action in service["actions"]:
                return key, action
    return None, None


def common_code(code, names=None):
    """A CommonCode object: {code, codeName}."""
    return {"code": code, "codeName": (names or CODE_NAMES).get(code, code)}


# --- Object Storage: the two S3-compatible faces of the S3 front (s3front.py) -----------------------
# An operation not listed for a face is refused with HTTP 501 NotImplemented. Sources: docs/api-facts.md
# section 1 and /work/research (NCP API guide slugs storage-objectstorage-* and ncloudstorage-*).
OBJECT_STORAGE = "objectstorage"     # NCP Object Storage: https://kr.object.ncloudstorage.com, ...
NCLOUD_STORAGE = "ncloudstorage"     # Ncloud Storage: https://{bucket}.kr.ncloudstorage.com

# Object Storage overview (storage-objectstorage, all copies) and its article index: these are the
# operations it documents. ListObjectsV2 has a page of its own (storage-objectstorage-listobjectsv2),
# but the overview says "GET Bucket (List Objects) Version 2 는 지원하지 않습니다" (not supported); the
# simulator believes the refusal (setting objectstorage_list_objects_v2: refuse | allow).
OBJECT_STORAGE_OPERATIONS = frozenset([
    "ListBuckets",
    "CreateBucket", "ListObjects", "HeadBucket", "DeleteBucket",
    "PutBucketAcl", "GetBucketAcl", "PutBucketCors", "GetBucketCors", "DeleteBucketCors",
    "ListMultipartUploads",
    "PutObject", "CopyObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects",
    "PutObjectAcl", "GetObjectAcl", "OptionsObject",
    "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts",
])
# Ncloud Storage pages (ncloudstorage-*): the operations seen documented. Bucket creation, copies and
# multipart uploads are left out until a page for them is read.
NCLOUD_STORAGE_OPERATIONS = frozenset([
    "ListBuckets", "HeadBucket", "ListObjects", "ListObjectsV2", "ListObjectVersions",
    "HeadObject", "GetObject", "PutObject", "DeleteObject", "DeleteObjects", "ListParts",
    "PutBucketLifecycleConfiguration", "GetBucketLifecycleConfiguration",
])
S3_OPERATIONS = {OBJECT_STORAGE: OBJECT_STORAGE_OPERATIONS, NCLOUD_STORAGE: NCLOUD_STORAGE_OPERATIONS}

# Query parameters each face documents for its list operations (anything else: 400 InvalidArgument,
# setting s3_list_parameters: refuse | ignore). boto3 adds encoding-type=url to every list call by
# itself, which Ncloud Storage does not document.
S3_LIST_PARAMETERS = {
    (OBJECT_STORAGE, "ListObjects"): ("prefix", "delimiter", "encoding-type", "max-keys", "marker"),
    (OBJECT_STORAGE, "ListObjectsV2"): ("list-type", "prefix", "delimiter", "encoding-type", "max-keys",
                                        "fetch-owner", "start-after", "continuation-token"),
    (NCLOUD_STORAGE, "ListObjects"): ("marker", "max-keys", "prefix"),
    (NCLOUD_STORAGE, "ListObjectsV2"): ("list-type", "continuation-token", "max-keys", "prefix", "start-after"),
}
# max-keys: Object Storage "0~1,000 (default 1,000)", Ncloud Storage "1-1000"; more is capped at 1000.
S3_MAX_KEYS = {OBJECT_STORAGE: (0, 1000), NCLOUD_STORAGE: (1, 1000)}

# Hosts a client may name (through the front used as an HTTP proxy, or in the Host header).
# Object Storage (storage-objectstorage, gov and fin copies): path style on these hosts, virtual-hosted
# style on <bucket>.<host>; every operation page shows both.
OBJECT_STORAGE_HOSTS = frozenset([
    "kr.object.ncloudstorage.com", "us.object.ncloudstorage.com", "sg.object.ncloudstorage.com",
    "de.object.ncloudstorage.com", "jp.object.ncpstorage.com",
    "kr.object.gov-ncloudstorage.com", "krs.object.gov-ncloudstorage.com", "kr.object.fin-ncloudstorage.com",
])
# Ncloud Storage (storage-ncloudstorage): https://{Bucket}.{regionCode}.ncloudstorage.com, Bucket optional
# (bucket-less: ListBuckets), regionCode "kr" only; gov: {Bucket}.kr.gov-ncloudstorage.com.
NCLOUD_STORAGE_HOSTS = frozenset(["kr.ncloudstorage.com", "kr.gov-ncloudstorage.com"])

# Credential-scope region each host takes in a Signature Version 4 (the "리전 이름" of the Object Storage
# tables: public, gov, fin copies of storage-objectstorage). The front's own address stands for
# kr.object.ncloudstorage.com. Ncloud Storage documents no region name: "kr", its regionCode, is a
# simulator assumption.
S3_REGIONS = {
    "kr.object.ncloudstorage.com": "kr-standard", "us.object.ncloudstorage.com": "us-standard",
    "sg.object.ncloudstorage.com": "sg-standard", "de.object.ncloudstorage.com": "de-standard",
    "jp.object.ncpstorage.com": "jp-standard", "kr.object.gov-ncloudstorage.com": "gov-standard",
    "krs.object.gov-ncloudstorage.com": "gov2-standard", "kr.object.fin-ncloudstorage.com": "fin-standard",
    "kr.ncloudstorage.com": "kr", "kr.gov-ncloudstorage.com": "kr",
}
FRONT_HOST = "kr.object.ncloudstorage.com"

# Default S3 error codes of injected http_error faults, by status.
S3_ERROR_CODES = {400: "InvalidRequest", 403: "AccessDenied", 404: "NoSuchKey", 409: "OperationAborted",
                  500: "InternalError", 501: "NotImplemented", 503: "SlowDown"}
