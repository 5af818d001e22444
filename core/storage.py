"""Files in the storage (settings.STORAGES["default"]: S3-compatible object storage, or the
local disk in development): saving, deleting and serving them, with one meaning for failures.

- `StorageUnavailable` (an OSError, so tasks that retry on OSError retry it): the store did not
  answer or refused (network, timeout, 5xx, access denied). Callers that write rows keep the
  rows and the objects together: save the object first, roll the rows back if that fails.
- A missing object stays FileNotFoundError (Django's meaning), whatever the backend.

Serving files: the portal streams them itself, after the caller's access check
(`stored_file_response`), and never hands out a presigned URL. Why streaming, not a redirect to a
short-lived presigned URL:
- the headers stay ours: `Content-Disposition: attachment` with the display name (UTF-8 safe),
  `X-Content-Type-Options: nosniff`, `Cache-Control: private, no-store`, and the portal's CSP on
  the response; a presigned URL could only override some of them, and a bucket's CORS or CSP
  would have to allow the portal's pages;
- a presigned URL is a bearer token for its lifetime: it ends up in browser history, proxy logs
  and a Referer, and anyone holding it reads a citizen's document without a login or the staff
  access log;
- the store need not be reachable from the internet at all (a municipality's internal S3/MinIO).
The cost: a web worker is busy while a file goes out. Files are small (uploads at most 10 MB,
letters some 100 KB), the store sits next to the web nodes, and the file is fetched from the
store before the response starts, so a store that fails gives a clear 503, never half a file.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

NOT_FOUND_CODES = {"404", "NoSuchKey", "NotFound"}


class StorageUnavailable(OSError):
    """The file store did not answer, or refused the request."""


@contextmanager
def storage_errors(what: str):
    """Translate the backend's errors: a missing object is FileNotFoundError, anything else the
    store does wrong is StorageUnavailable naming `what` was being done."""
    try:
        yield
    except FileNotFoundError:
        raise
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in NOT_FOUND_CODES:
            raise FileNotFoundError(f"{what}: no such object") from exc
        raise StorageUnavailable(f"{what}: the file store answered {code or 'an error'}") from exc
    except BotoCoreError as exc:
        raise StorageUnavailable(f"{what}: the file store did not answer ({type(exc).__name__})") from exc
    except OSError as exc:
        if isinstance(exc, StorageUnavailable):
            raise
        raise StorageUnavailable(f"{what}: {type(exc).__name__}: {exc}") from exc


def storage_save(*, name: str, content) -> str:
    """Save `content` under `name` (or a free name beside it: objects are never overwritten);
    returns the stored name. Raises StorageUnavailable."""
    with storage_errors(f"saving {name}"):
        return default_storage.save(name, content)


def storage_delete(*, name: str) -> bool:
    """Delete a stored object; True if it is gone. A store that is down is logged, not raised:
    deleting is always clean-up after the rows are gone, and must not undo them."""
    if not name:
        return True
    try:
        with storage_errors(f"deleting {name}"):
            default_storage.delete(name)
    except StorageUnavailable:
        logger.warning("Could not delete %s from the file store; it is left behind (orphan)", name, exc_info=True)
        return False
    return True


def storage_read(*, name: str) -> bytes:
    """The whole stored object. Raises FileNotFoundError or StorageUnavailable."""
    with storage_errors(f"reading {name}"), default_storage.open(name, "rb") as fh:
        return fh.read()


def stored_file_response(*, name: str, filename: str, content_type: str) -> FileResponse:
    """Stream a stored file as a download under `filename`. The caller has already checked
    that the user may see it (its app's selector; a miss there is a 404).

    A row whose object is missing is a 404 for the user and an error in the log (the file was
    lost: an operator must look). A store that is down raises StorageUnavailable, which the
    portal answers with a 503 page (minside.middleware.StorageUnavailableMiddleware)."""
    try:
        with storage_errors(f"reading {name}"):
            fh = default_storage.open(name, "rb")
            # FileResponse sizes the file now (seek/tell); for S3 this fetches the object, so a
            # store that fails mid-way fails here, before any byte of the response is sent.
            response = FileResponse(fh, as_attachment=True, filename=filename, content_type=content_type)
    except FileNotFoundError:
        logger.error("Stored file %s is missing from the file store", name)
        raise Http404("The file is missing")
    response["X-Content-Type-Options"] = "nosniff"
    # Personal documents: no shared cache keeps them, and the browser does not either.
    response["Cache-Control"] = "private, no-store"
    return response
