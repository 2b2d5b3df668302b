"""A stand-in for the few Solr endpoints CKAN calls, so a real CKAN runs where Solr cannot be installed.

CKAN 2.12 cannot run without a search index (package_create indexes the dataset), and Solr is
neither in Debian nor downloadable in CI. This answers what CKAN's own code asks for through
pysolr, unmodified: the schema version check (/schema), /select, /update (add, delete, commit) and
/admin/ping. Documents are kept in memory; a query matches a document when every `field:value`
term of q and fq does (`*:*` matches all). There is no ranking, stemming or full-text search:
only search is not real, everything CKAN keeps in PostgreSQL is.

    python3 .ci/solr_standin.py PORT
"""

from __future__ import annotations

import json
import re
import sys
import threading
import xml.etree.ElementTree as ElementTree
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SCHEMA = b'<?xml version="1.0" encoding="UTF-8"?><schema name="ckan-2.12" version="1.6"></schema>'
TERM = re.compile(r'([+-]?)([\w.]+):("(?:[^"\\]|\\.)*"|\S+)')

documents: dict[str, dict] = {}
lock = threading.Lock()


def _matches(document: dict, query: str) -> bool:
    for sign, name, value in TERM.findall(query or ""):
        if name == "*":
            continue
        wanted = value[1:-1].replace('\\"', '"') if value.startswith('"') else value
        held = document.get(name)
        values = [str(v) for v in (held if isinstance(held, list) else [held])] if held is not None else []
        hit = wanted == "*" and bool(values) or wanted in values
        if hit == (sign == "-"):
            return False
    return True


def _select(params: dict[str, list[str]]) -> dict:
    queries = params.get("q", ["*:*"]) + params.get("fq", [])
    with lock:
        found = [d for d in documents.values() if all(_matches(d, q) for q in queries)]
    found.sort(key=lambda d: str(d.get("metadata_modified", "")), reverse=True)
    start = int(params.get("start", ["0"])[0])
    rows = int(params.get("rows", ["10"])[0])
    fields = [f for f in ",".join(params.get("fl", [])).replace(" ", ",").split(",") if f and f != "*"]
    docs = [{k: v for k, v in d.items() if not fields or k in fields} for d in found[start : start + rows]]
    facets = {name: [] for name in params.get("facet.field", [])}
    return {
        "responseHeader": {"status": 0, "QTime": 0},
        "response": {"numFound": len(found), "start": start, "docs": docs},
        "facet_counts": {"facet_fields": facets, "facet_queries": {}, "facet_ranges": {}},
    }


def _update(body: bytes) -> None:
    """pysolr adds documents as a JSON array, deletes and commits in XML."""
    if not body.strip():
        return
    if body.lstrip().startswith(b"["):
        with lock:
            for record in json.loads(body):
                documents[str(record.get("index_id") or record.get("id", ""))] = record
        return
    root = ElementTree.fromstring(body)
    with lock:
        for doc in root.iter("doc"):
            record: dict = {}
            for item in doc.iter("field"):
                name, text = item.get("name", ""), item.text or ""
                if name in record:
                    record[name] = (record[name] if isinstance(record[name], list) else [record[name]]) + [text]
                else:
                    record[name] = text
            documents[record.get("index_id") or record.get("id", "")] = record
        for delete in root.iter("delete"):
            for item in delete:
                if item.tag == "id":
                    documents.pop(item.text or "", None)
                elif item.tag == "query":
                    for key in [k for k, d in documents.items() if _matches(d, item.text or "")]:
                        del documents[key]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return None

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, body: bytes) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            for key, values in parse_qs(body.decode("utf-8")).items():
                params.setdefault(key, []).extend(values)
            body = b""
        path = url.path.rstrip("/")
        if path.endswith("/schema") or path.endswith("/admin/file"):
            self._send(200, SCHEMA, "application/xml")
        elif path.endswith("/select"):
            self._send(200, json.dumps(_select(params)).encode())
        elif path.endswith("/update"):
            try:
                _update(body)
            except (ElementTree.ParseError, ValueError) as exc:
                self._send(400, json.dumps({"error": {"msg": str(exc)}}).encode())
                return
            self._send(200, b'{"responseHeader":{"status":0,"QTime":0}}')
        elif path.endswith("/admin/ping"):
            self._send(200, b'{"status":"OK"}')
        else:
            self._send(404, b'{"error":{"msg":"not answered by the Solr stand-in"}}')

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._handle(b"")

    def do_POST(self) -> None:  # noqa: N802
        self._handle(self.rfile.read(int(self.headers.get("Content-Length") or 0)))


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
