"""Compare two responses as a visitor would, ignoring per-response secrets (CSRF token, nonce)."""

import re

_PATTERNS = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'), b'name="csrfmiddlewaretoken" value=""'),
    (re.compile(rb'nonce="[^"]+"'), b'nonce=""'),
    # The language switch sends the visitor back to the path they asked for.
    (re.compile(rb'name="next" value="[^"]*"'), b'name="next" value=""'),
]


def normalised_body(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for pattern, replacement in _PATTERNS:
        body = pattern.sub(replacement, body)
    return body
