"""The portal's settings, from the environment only, with safe defaults for the embedded run.

    PORTAL_ENV            development (default) | production
    PORTAL_DATABASE_URL   default: SQLite file instance/portal.db (postgresql://… accepted)
    PORTAL_PUSH_SECRET    shared with the intranet (its PORTAL_PUSH_SECRET); ≥ 16 bytes
    PORTAL_SITE_NAME      网站名称 (SiteName meta tag, header)
    PORTAL_SITE_DOMAIN    网站域名 (SiteDomain meta tag), e.g. www.example.gov.cn
    PORTAL_SITE_ID_CODE   政府网站标识码 (SiteIDCode meta tag)
    PORTAL_HOST_ORGAN     主办单位 shown in the footer
    PORTAL_BASE_URL       absolute base for feed, sitemap and push answers; default: from the request
    PORTAL_CACHE_SECONDS  Cache-Control max-age of public pages (default 60)
    PORTAL_PAGE_CACHE_BYTES  in-process cache of rendered document pages, per process
                          (default 16 MiB; 0 turns it off) — see portal/pagecache.py
    PORTAL_LIST_CACHE_BYTES  in-process cache of the catalogue list's pages, keyed by the
                          catalogue's version (default 4 MiB; 0 turns it off)
    PORTAL_STORED_PAGES   serve document pages rendered at write time (default on) — see
                          portal/rendering.py

Production refuses to start with the default push secret.
"""

from __future__ import annotations

import os

from gkt_protocol import DEVELOPMENT_SECRET as DEFAULT_PUSH_SECRET


def normalise_database_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class PortalConfig:
    PORTAL_ENV = os.environ.get("PORTAL_ENV", os.environ.get("APP_ENV", "development"))
    SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(os.environ["PORTAL_DATABASE_URL"]) if os.environ.get("PORTAL_DATABASE_URL") else None
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800}
    PORTAL_PUSH_SECRET = os.environ.get("PORTAL_PUSH_SECRET", DEFAULT_PUSH_SECRET)
    PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "公开通政府信息公开网")
    PORTAL_SITE_DOMAIN = os.environ.get("PORTAL_SITE_DOMAIN", "127.0.0.1:5001")
    PORTAL_SITE_ID_CODE = os.environ.get("PORTAL_SITE_ID_CODE", "0000000000")
    PORTAL_HOST_ORGAN = os.environ.get("PORTAL_HOST_ORGAN", "公开通示范机关")
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")
    PORTAL_CACHE_SECONDS = int(os.environ.get("PORTAL_CACHE_SECONDS", 60))
    PORTAL_PAGE_CACHE_BYTES = int(os.environ.get("PORTAL_PAGE_CACHE_BYTES", 16 * 1024 * 1024))
    PORTAL_LIST_CACHE_BYTES = int(os.environ.get("PORTAL_LIST_CACHE_BYTES", 4 * 1024 * 1024))
    PORTAL_STORED_PAGES = os.environ.get("PORTAL_STORED_PAGES", "1") not in ("0", "false", "no")
    # A push holds at most two 15 MB .docx files and 30 MB of 附件 in Base64 (4/3 of 60 MB), plus
    # two 2-million-character texts: 100 MiB.
    MAX_CONTENT_LENGTH = int(os.environ.get("PORTAL_MAX_PUSH_BYTES", 100 * 1024 * 1024))
    PORTAL_PAGE_SIZE = 20
    PORTAL_SEARCH_WINDOW = 500  # candidates ranked per query: the newest matches (25 pages of 20)
    JSON_AS_ASCII = False
