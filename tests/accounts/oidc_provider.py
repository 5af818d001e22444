"""A small but real OpenID Connect provider for tests, shaped like ID-porten.

It runs in a thread on a loopback port and serves discovery, JWKS, authorize (redirects back
with a code), token (an RS256 ID token signed with its own key; PKCE S256 and the client
secret are checked) and end-session. What it puts in the ID token can be bent per test
(`acr`, `nonce`, `iss`, expiry, `pid`) to play a provider that answers wrongly.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class Authorization:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    acr_values: str | None
    ui_locales: str | None
    state: str | None
    scope: str
    onbehalfof: str | None = None


@dataclass
class TokenOverrides:
    """How the next ID tokens deviate from a correct one."""

    acr: str | None = None
    nonce: str | None = None
    iss: str | None = None
    expired: bool = False
    pid: str | None = None
    sign_with_other_key: bool = False
    clock_ahead_seconds: int = 0  # the provider's clock runs ahead of ours
    algorithm: str = "RS256"
    # ID-porten's onbehalfof in the ID token: by default the value asked for, under the claim
    # name its documentation's text gives; a test may rename the claim or change the value.
    onbehalfof_claim: str = "client_onbehalfof"
    onbehalfof: str | None = None


@dataclass
class OIDCProvider:
    client_id: str = "minside-test-client"
    client_secret: str = "minside-test-secret"  # noqa: S105 - a test provider
    pid: str = ""
    acr: str = "idporten-loa-high"
    overrides: TokenOverrides = field(default_factory=TokenOverrides)
    authorizations: list[Authorization] = field(default_factory=list)
    token_requests: list[dict] = field(default_factory=list)
    end_session_requests: list[dict] = field(default_factory=list)
    discovery_requests: int = 0
    last_claims: dict = field(default_factory=dict)
    kid: str = "test-key-1"

    def __post_init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._codes: dict[str, Authorization] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -----------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> OIDCProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- protocol ------------------------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/endsession",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "acr_values_supported": ["idporten-loa-substantial", "idporten-loa-high"],
            "ui_locales_supported": ["nb", "nn", "en", "se"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        """Answer an authorization request: (status, headers)."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}
        auth = Authorization(
            client_id=query["client_id"], redirect_uri=query.get("redirect_uri", ""),
            nonce=query.get("nonce"), code_challenge=query.get("code_challenge"),
            code_challenge_method=query.get("code_challenge_method"), acr_values=query.get("acr_values"),
            ui_locales=query.get("ui_locales"), state=query.get("state"), scope=query.get("scope", ""),
            onbehalfof=query.get("onbehalfof"),
        )
        self.authorizations.append(auth)
        code = secrets.token_urlsafe(16)
        self._codes[code] = auth
        params = {"code": code}
        if auth.state:
            params["state"] = auth.state
        return 302, {"Location": f"{auth.redirect_uri}?{urlencode(params)}"}

    def token(self, form: dict[str, str]) -> tuple[int, dict]:
        self.token_requests.append(form)
        auth = self._codes.pop(form.get("code", ""), None)  # a code works once
        if auth is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client"}
        if form.get("redirect_uri") != auth.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        if auth.code_challenge_method != "S256" or not auth.code_challenge:
            return 400, {"error": "invalid_request", "error_description": "PKCE S256 required"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != auth.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier"}
        return 200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 120,
                     "id_token": self.id_token(auth), "scope": auth.scope}

    def id_token(self, auth: Authorization) -> str:
        o = self.overrides
        now = int(time.time()) + o.clock_ahead_seconds
        issued = now - 3600 if o.expired else now
        claims = {
            "iss": o.iss or self.issuer,
            "aud": self.client_id,
            "sub": "pairwise-" + hashlib.sha256(self.pid.encode()).hexdigest()[:20],
            "pid": o.pid or self.pid,
            "acr": o.acr or self.acr,
            "amr": ["BankID"],
            "iat": issued,
            "exp": issued + 120,
            "nonce": o.nonce if o.nonce is not None else auth.nonce,
            "locale": auth.ui_locales or "nb",
            "sid": "session-" + secrets.token_hex(4),
            "jti": secrets.token_urlsafe(12),
        }
        onbehalfof = o.onbehalfof if o.onbehalfof is not None else auth.onbehalfof
        if onbehalfof:
            claims[o.onbehalfof_claim] = onbehalfof
        self.last_claims = claims
        key = self._other_key if o.sign_with_other_key else self._key
        return jwt.encode(claims, key, algorithm=o.algorithm, headers={"kid": self.kid})

    # --- HTTP ----------------------------------------------------------------------------
    def _handler_class(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # quiet
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    provider.discovery_requests += 1
                    return self._json(200, provider.discovery())
                if url.path == "/jwks":
                    return self._json(200, provider.jwks())
                if url.path == "/authorize":
                    status, headers = provider.authorize(query)
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if url.path == "/endsession":
                    provider.end_session_requests.append(query)
                    target = query.get("post_logout_redirect_uri", "")
                    self.send_response(302)
                    self.send_header("Location", f"{target}?{urlencode({'state': query.get('state', '')})}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path == "/token":
                    status, body = provider.token(form)
                    return self._json(status, body)
                return self._json(404, {"error": "not_found"})

        return Handler
