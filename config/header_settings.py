"""Security headers' settings, imported by config/settings.py (docs/security.md)."""

from typing import Any

from csp.constants import NONE, SELF

# Scripts, styles, images and fonts only from Confide itself, no inline script or style
# (tests/test_templates.py keeps templates free of them), no frames, no plugins, forms
# posting only here. Images may be data: URIs too (a code to scan, drawn in the page).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Browser features no page of Confide uses are turned off (config/middleware.py); passkeys
# and security keys (Web Authentication) stay allowed on Confide's own pages.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY: dict[str, list[str]] = {
    **{feature: [] for feature in DENIED_FEATURES},
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}
