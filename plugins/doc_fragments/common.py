# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Connection options shared by every ncp.clouddb module (module_utils/base.py).
    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - NCP API access key ID.
      - When not given, the environment variable E(NCLOUD_ACCESS_KEY) or E(NCLOUD_ACCESS_KEY_ID) is used
        (the names NCP's Go SDK and Terraform provider read), and then C(ncloud_access_key_id) from
        C(~/.ncloud/configure), the file of NCP's official CLI and Python SDK.
      - The task fails before sending any request when no key is found.
    type: str
  secret_key:
    description:
      - NCP API secret key. It never appears in results, errors or logs.
      - When not given, E(NCLOUD_SECRET_KEY) or E(NCLOUD_SECRET_ACCESS_KEY) is used, and then
        C(ncloud_secret_access_key) from C(~/.ncloud/configure).
    type: str
  region:
    description:
      - NCP region code, for example C(KR), C(JPN), C(SGN), C(USWN), C(DEN), or C(FKR) on the financial cloud.
      - When not given, E(NCLOUD_REGION) is used, and then C(KR).
      - A code NCP's API guide does not name is sent as given, with a warning.
    type: str
  api_url:
    description:
      - Base URL of the NCP API Gateway.
      - Change it for the government cloud (C(https://ncloud.apigw.gov-ntruss.com)), the financial cloud
        (C(https://fin-ncloud.apigw.fin-ntruss.com)), or the NCP API simulator bundled in C(tests/simulator).
      - When not given, E(NCLOUD_API_GW) is used, and then C(https://ncloud.apigw.ntruss.com).
      - It must be an C(http://) or C(https://) URL with a host; anything else fails before any request.
    type: str
  validate_certs:
    description:
      - Whether to verify the gateway's TLS certificate.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the answer to one API request. Must be positive.
      - In modules that wait, no longer than what is left of O(ignore:wait_timeout), but at least 3 s (or this
        timeout, when smaller).
    type: int
    default: 30
  retry_timeout:
    description:
      - Seconds the module may spend retrying one throttled (HTTP 429 with error code 410 or 420), failed (5xx)
        or dropped API request, with capped exponential backoff and jitter (and C(Retry-After) when the gateway
        sends one), before it gives up on it. C(0) turns retries off.
      - Reads are retried; a request that creates or deletes something is retried only when it surely never
        reached the service. Failures no retry can mend fail at once, named for what they are (an invalid URL,
        a TLS handshake with a plain-HTTP endpoint, a certificate that does not verify, a refused connection on
        this machine).
      - In modules that wait, O(ignore:wait_timeout) bounds the whole task as well; the smaller budget wins.
    type: int
    default: 60
  object_storage_url:
    description:
      - Endpoint of the S3-compatible Object Storage API. Only the export modules use it, to look for the exported
        file in the bucket; the others accept it so that one C(module_defaults) group can set it for all.
      - When not given, E(NCLOUD_OBJECT_STORAGE_URL) is used (a variable of this collection, not of NCP), and then the
        public endpoint of O(region) (for example C(https://kr.object.ncloudstorage.com) for C(KR)), or the government
        or financial cloud endpoint when O(api_url) is one of theirs.
      - NCP's newer Ncloud Storage works too (C(https://kr.ncloudstorage.com)); its buckets are addressed as
        C(https://<bucket>.kr.ncloudstorage.com), as NCP documents.
      - Object Storage takes the same access key and secret key as the API.
    type: str
requirements:
  - python >= 3.8
  - requests
  - xmltodict
notes:
  - Every request is signed with the API Gateway signature v2.
  - Use O(api_url) and the environment variables above to point a whole play at another gateway, or use
    C(module_defaults) with the action group C(group/ncp.clouddb.ncp).
"""
