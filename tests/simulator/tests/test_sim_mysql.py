# -*- coding: utf-8 -*-
"""Cloud DB for MySQL (vmysql): its instance list, its paged backup detail list and its export with
folderPath, on the demo scenario's MySQL instance 4101 (7 daily backups, bucket mysql-backups); and
the instance lists of MongoDB (vmongodb, 6101) and MSSQL (vmssql, 7101), the only actions of theirs
the simulator has."""

import pytest

from ncpsim.testclient import list_keys, s3_client, wait_until

DETAIL = "getCloudMysqlBackupDetailList"
EXPORT = "exportBackupToObjectStorage"


def detail(api, **params):
    status, body = api.json("vmysql", DETAIL, dict(params, cloudMysqlInstanceNo="4101"))
    return status, body.get(DETAIL + "Response") or body


def newest_file(api):
    _status, response = detail(api)
    return max(response["cloudMysqlBackupDetailList"], key=lambda row: row["startTime"])["fileName"]


@pytest.mark.scenario("demo")
def test_instance_list_has_the_documented_fields_and_pages(api):
    status, body = api.json("vmysql", "getCloudMysqlInstanceList", {"pageNo": "0", "pageSize": "1"})
    assert status == 200
    response = body["getCloudMysqlInstanceListResponse"]
    assert response["totalRows"] == 1
    (row,) = response["cloudMysqlInstanceList"]
    assert row["cloudMysqlInstanceNo"] == "4101" and row["cloudMysqlServiceName"] == "billing-mysql"
    assert row["cloudMysqlInstanceStatusName"] == "running" and row["isHa"] is True
    assert [s["cloudMysqlServerInstanceNo"] for s in row["cloudMysqlServerInstanceList"]] == ["41011", "41012"]
    assert "license" not in row and "licence" not in row and "shardCount" not in row
    _status, body = api.json("vmysql", "getCloudMysqlInstanceList", {"cloudMysqlInstanceNoList.1": "4101"})
    assert body["getCloudMysqlInstanceListResponse"]["totalRows"] == 1


@pytest.mark.scenario("demo")
def test_backup_detail_list_pages_from_zero_with_total_rows(api):
    seen = []
    for page_no in range(3):
        status, response = detail(api, pageNo=str(page_no), pageSize="3")
        assert status == 200 and response["totalRows"] == 7
        seen.extend(row["fileName"] for row in response["cloudMysqlBackupDetailList"])
    assert len(seen) == len(set(seen)) == 7
    _status, response = detail(api, pageNo="3", pageSize="3")
    assert response["cloudMysqlBackupDetailList"] == []
    row = detail(api, pageNo="0", pageSize="1")[1]["cloudMysqlBackupDetailList"][0]
    assert set(row) == {"fileName", "startTime", "endTime", "backupSize", "dataStorageSize"}   # no backupType


@pytest.mark.scenario("demo")
@pytest.mark.parametrize("params, code", [
    ({"pageNo": "0"}, "5001001"),                       # pageSize is required with pageNo
    ({"pageNo": "0", "pageSize": "0"}, "5001002"),
    ({"pageNo": "-1", "pageSize": "10"}, "5001002"),
    ({"backupType": "automatic"}, "5001002"),           # not a parameter of the page
])
def test_backup_detail_list_refuses_what_its_page_does_not_allow(api, params, code):
    status, response = detail(api, **params)
    assert status == 400 and response["responseError"]["returnCode"] == code


@pytest.mark.scenario("demo")
def test_export_with_folder_path_lands_in_that_folder(api, ncp_sim):
    file_name = newest_file(api)
    status, _body = api.json("vmysql", EXPORT, {"cloudMysqlInstanceNo": "4101", "fileName": file_name,
                                                "bucketName": "mysql-backups", "folderPath": "mysql/4101/"})
    assert status == 200
    assert wait_until(lambda: list_keys(s3_client(ncp_sim), "mysql-backups"), timeout=10) == [
        "mysql/4101/" + file_name]


@pytest.mark.scenario("demo")
@pytest.mark.parametrize("params, code", [
    ({"folderPath": "/mysql/"}, "5001002"),             # the example's form: no leading slash
    ({"folderPath": "mysql/../x/"}, "5001002"),
    ({"backupTypeMode": "SYSTEM"}, "5001002"),          # a cache export parameter, not MySQL's
    ({"bucketName": "pg-backups"}, "5001175"),          # a bucket the instance cannot reach
    ({"fileName": "19990101"}, "5001173"),
    ({"bucketName": ""}, "5001001"),
])
def test_export_refusals_write_nothing(api, ncp_sim, params, code):
    request = {"cloudMysqlInstanceNo": "4101", "fileName": newest_file(api), "bucketName": "mysql-backups",
               "folderPath": "mysql/4101/"}
    request.update(params)
    status, body = api.json("vmysql", EXPORT, request)
    assert status == 400 and body["responseError"]["returnCode"] == code
    assert ncp_sim.state()["exports"] == []


@pytest.mark.scenario("demo")
def test_mysql_has_no_manual_backup_and_no_bucket_list(api):
    for action in ("createCloudMysqlManualBackup", "getCloudMysqlBucketList"):
        status, _body = api.json("vmysql", action, {"cloudMysqlInstanceNo": "4101"})
        assert status == 404, action


# --- MongoDB and MSSQL: the instance lists only ---------------------------------------------------------

@pytest.mark.scenario("demo")
@pytest.mark.parametrize("service, stem, number, absent", [
    ("vmongodb", "MongoDb", "6101", ("isHa", "isBackup", "license", "licence")),
    ("vmssql", "Mssql", "7101", ("isBackup", "shardCount", "licence")),
])
def test_mongodb_and_mssql_instance_lists_page_and_carry_only_documented_fields(api, service, stem, number, absent):
    action = "getCloud%sInstanceList" % stem
    status, body = api.json(service, action, {"pageNo": "0", "pageSize": "1"})
    assert status == 200
    response = body[action + "Response"]
    assert response["totalRows"] == 1
    (row,) = response["cloud%sInstanceList" % stem]
    assert row["cloud%sInstanceNo" % stem] == number and row["cloud%sInstanceStatusName" % stem] == "running"
    assert row["cloud%sServerInstanceList" % stem][0]["cloud%sServerInstanceNo" % stem] == number + "1"
    assert not [field for field in absent if field in row]
    assert api.json(service, action, {"pageNo": "0"})[0] == 400                     # pageSize required with pageNo


@pytest.mark.scenario("demo")
@pytest.mark.parametrize("service, action", [
    ("vmongodb", "exportBackupToObjectStorage"), ("vmongodb", "getCloudMongoDbBackupDetailList"),
    ("vmssql", "exportBackupToObjectStorage"), ("vmssql", "getCloudMssqlBackupDetailList"),
])
def test_mongodb_and_mssql_backup_actions_are_not_simulated(api, service, action):
    assert api.json(service, action, {})[0] == 404
