"""A local stand-in for a CKAN portal's Action API, for testing `budgetpub publish`.

The real portal is tested in tests/test_ckan.py (a CKAN 2.12 that .ci/ckan.sh starts); this stand-in
runs in the quick loop without one, and injects the failures a real portal cannot be made to
give on demand (503s, a storage failure after N uploads). It answers the calls publishing uses
(package_show, package_create, package_patch, resource_create, resource_update, datastore_create,
datastore_delete) with CKAN's response shapes: `{"help": …, "success": true, "result": …}`, and on failure HTTP
404/403/409 with `{"success": false, "error": {"__type": "Not Found Error", "message": …}}`.
Uploads arrive as multipart form data, as ckanapi sends them.
"""

from __future__ import annotations

import json
import threading
import uuid
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Portal:
    def __init__(self, api_key: str = "secret") -> None:
        self.api_key = api_key
        self.datasets: dict[str, dict] = {}
        self.calls: list[str] = []
        self.uploads: dict[str, bytes] = {}
        self.tables: dict[str, list] = {}  # resource id → DataStore records
        self.fail: dict[str, int] = {}  # action → how many more times to answer 503
        self.refuse_after_uploads: int | None = None  # answer 500 to uploads after this many

    def write_calls(self) -> list[str]:
        return [c for c in self.calls if c != "package_show"]


def _parse(handler: BaseHTTPRequestHandler) -> tuple[dict, dict[str, bytes]]:
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length)
    kind = handler.headers.get("Content-Type", "")
    if kind.startswith("multipart/form-data"):
        message = BytesParser(policy=default).parsebytes(b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body)
        fields: dict = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = payload
            else:
                fields[name] = payload.decode("utf-8")
        return fields, files
    return (json.loads(body) if body else {}), {}


def make_handler(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps({"help": f"http://localhost/api/3/action/help_show?name={self.action}", **payload})
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data.encode())))
            self.end_headers()
            self.wfile.write(data.encode())

        def _error(self, status: int, kind: str, message: str) -> None:
            self._answer(status, {"success": False, "error": {"__type": kind, "message": message}})

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.do_POST()

        def do_POST(self) -> None:  # noqa: N802
            self.action = self.path.rstrip("/").split("/")[-1].split("?")[0]
            data, files = _parse(self)
            portal.calls.append(self.action)
            if portal.fail.get(self.action, 0) > 0:
                portal.fail[self.action] -= 1
                self.send_response(503)
                self.end_headers()
                return
            if self.action != "package_show" and self.headers.get("Authorization") != portal.api_key:
                return self._error(403, "Authorization Error", "Access denied: no valid API key")
            handler = getattr(self, f"action_{self.action}", None)
            if handler is None:
                return self._error(400, "Bad Request", f"Action name not known: {self.action}")
            handler(data, files)

        def action_package_show(self, data: dict, files: dict) -> None:
            dataset = portal.datasets.get(data.get("id", ""))
            dataset = dataset or next((d for d in portal.datasets.values() if d["id"] == data.get("id")), None)
            if dataset is None:
                return self._error(404, "Not Found Error", "Not found")
            self._answer(200, {"success": True, "result": dataset})

        def action_package_create(self, data: dict, files: dict) -> None:
            if data.get("name") in portal.datasets:
                return self._error(409, "Validation Error", "That URL is already in use.")
            dataset = {**data, "id": str(uuid.uuid4()), "resources": [], "state": "active"}
            portal.datasets[data["name"]] = dataset
            self._answer(200, {"success": True, "result": dataset})

        def action_package_patch(self, data: dict, files: dict) -> None:
            dataset = next((d for d in portal.datasets.values() if d["id"] == data.get("id")), None)
            if dataset is None:
                return self._error(404, "Not Found Error", "Not found")
            dataset.update({k: v for k, v in data.items() if k != "id"})
            self._answer(200, {"success": True, "result": dataset})

        def _uploads_refused(self) -> bool:
            done = sum(1 for c in portal.calls[:-1] if c in ("resource_create", "resource_update"))
            return portal.refuse_after_uploads is not None and done >= portal.refuse_after_uploads

        def action_resource_create(self, data: dict, files: dict) -> None:
            if self._uploads_refused():
                return self._error(500, "Internal Server Error", "storage full")
            dataset = next((d for d in portal.datasets.values() if d["id"] == data.get("package_id")), None)
            if dataset is None:
                return self._error(404, "Not Found Error", "Dataset not found")
            resource = {**data, "id": str(uuid.uuid4()), "url": f"http://localhost/{data['name']}"}
            dataset["resources"].append(resource)
            portal.uploads[resource["id"]] = files.get("upload", b"")
            self._answer(200, {"success": True, "result": resource})

        def action_resource_update(self, data: dict, files: dict) -> None:
            if self._uploads_refused():
                return self._error(500, "Internal Server Error", "storage full")
            for dataset in portal.datasets.values():
                for resource in dataset["resources"]:
                    if resource["id"] == data.get("id"):
                        resource.update(data)
                        portal.uploads[resource["id"]] = files.get("upload", b"")
                        return self._answer(200, {"success": True, "result": resource})
            self._error(404, "Not Found Error", "Resource was not found.")

        def _resource(self, resource_id: str | None) -> dict | None:
            found = (r for d in portal.datasets.values() for r in d["resources"] if r["id"] == resource_id)
            return next(found, None)

        def action_datastore_create(self, data: dict, files: dict) -> None:
            resource = self._resource(data.get("resource_id"))
            if resource is None:
                return self._error(404, "Not Found Error", "Resource not found")
            portal.tables[resource["id"]] = data.get("records", [])
            resource["datastore_active"] = True
            self._answer(200, {"success": True, "result": {"resource_id": resource["id"]}})

        def action_datastore_delete(self, data: dict, files: dict) -> None:
            resource = self._resource(data.get("resource_id"))
            if resource is None or resource["id"] not in portal.tables:
                return self._error(404, "Not Found Error", "Resource not found")
            del portal.tables[resource["id"]]
            resource["datastore_active"] = False
            self._answer(200, {"success": True, "result": {"resource_id": resource["id"]}})

    return Handler


class Server:
    """`with Server() as (url, portal):` a portal on a free local port."""

    def __init__(self, api_key: str = "secret") -> None:
        self.portal = Portal(api_key)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.portal))

    def __enter__(self) -> tuple[str, Portal]:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}", self.portal

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
