"""Security headers as an outside scanner reads them (issue 17): the production values of the
settings, the CSP as directives, and the grade, scored the way Mozilla's HTTP Observatory
scores a response (its published rules, for the tests that one response can show)."""

import functools
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from http.cookies import SimpleCookie

from django.conf import settings

# What `HTTPS=1` and the other production variables decide: read from `portal.settings` in a
# process of its own, as gunicorn would load it.
PRODUCTION_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "REMEMBER_BROWSER_COOKIE_SECURE",
    "MIDDLEWARE",
]


@functools.cache
def production_settings() -> dict:
    with tempfile.TemporaryDirectory() as var_dir:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "GUICHET_VAR_DIR": var_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "portal.example.org",
            "HTTPS": "1",
        }
        code = (
            "import json, django; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n) for n in {PRODUCTION_SETTINGS!r}}}))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def cookies_set(response) -> list[dict]:
    """Each Set-Cookie of the response: name and attributes as the browser reads them."""
    found = []
    for morsel in response.cookies.values():
        parsed = SimpleCookie()
        parsed.load(morsel.OutputString())
        found.append(
            {
                "name": morsel.key,
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": morsel["samesite"],
                "deleted": morsel["max-age"] == 0 or morsel.value == "",
            }
        )
    return found


def observatory_score(response, *, session_cookie: str) -> tuple[int, list[str]]:
    """The HTTP Observatory's score of one HTTPS response: 100, minus its penalties, plus its
    bonuses (bonuses count only once the score is at least 90); A+ is 100 and more."""
    score, notes, bonuses = 100, [], 0
    csp = response.headers.get("Content-Security-Policy")
    if not csp:
        score -= 25
        notes.append("csp-not-implemented -25")
    else:
        directives = csp_directives(csp)
        scripts = directives.get("script-src", directives.get("default-src", []))
        styles = directives.get("style-src", directives.get("default-src", []))
        if "'unsafe-inline'" in scripts and not any(
            s.startswith(("'nonce-", "'sha")) for s in scripts
        ):
            score -= 20
            notes.append("csp-implemented-with-unsafe-inline -20")
        elif "'unsafe-eval'" in scripts:
            score -= 10
            notes.append("csp-implemented-with-unsafe-eval -10")
        elif "'unsafe-inline'" in styles:
            notes.append("csp-implemented-with-unsafe-inline-in-style-src-only 0")
        elif directives.get("default-src") == ["'none'"]:
            bonuses += 10
        else:
            bonuses += 5
            notes.append("csp-implemented-with-no-unsafe +5")
        if directives.get("frame-ancestors") == ["'none'"]:
            bonuses += 5
            notes.append("xfo-implemented-via-csp +5")
    cookies = [c for c in cookies_set(response) if not c["deleted"]]
    if cookies:
        if not all(c["secure"] for c in cookies):
            score -= 20
            notes.append("cookies-without-secure-flag -20")
        elif any(c["name"] == session_cookie and not c["httponly"] for c in cookies):
            score -= 30
            notes.append("cookies-session-without-httponly-flag -30")
        elif all(c["samesite"] for c in cookies):
            bonuses += 5
            notes.append("cookies-secure-with-httponly-sessions-and-samesite +5")
    hsts = response.headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    if not match:
        score -= 20
        notes.append("hsts-not-implemented -20")
    elif int(match.group(1)) < 15768000:
        score -= 10
        notes.append("hsts-implemented-max-age-less-than-six-months -10")
    if response.headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        score -= 5
        notes.append("x-content-type-options-not-implemented -5")
    framing = response.headers.get("X-Frame-Options", "").upper()
    if (not csp or "frame-ancestors" not in csp_directives(csp)) and framing not in (
        "DENY",
        "SAMEORIGIN",
    ):
        score -= 20
        notes.append("x-frame-options-not-implemented -20")
    referrer = response.headers.get("Referrer-Policy", "").lower()
    private = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
    if referrer in private:
        bonuses += 5
        notes.append("referrer-policy-private +5")
    elif referrer in ("origin-when-cross-origin", "origin", "unsafe-url"):
        score -= 5
        notes.append("referrer-policy-unsafe -5")
    if score >= 90:
        score += bonuses
    return score, notes


def grade(score: int) -> str:
    for floor, letter in ((100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-")):
        if score >= floor:
            return letter
    return "C or less"
