// Passkeys and security keys, with django-otp-webauthn's scripts (loaded after this one).
// Their messages in Confide's words: this stands in for Django's JavaScript catalog, so the
// pages need no script but Confide's own files. A message not listed here shows as it is.
(function () {
  "use strict";
  var TRY_AGAIN = "Nothing happened: it was cancelled, or the key was not touched in time. Try again.";
  var wording = {
    "Registering...": "Touch your key, or follow what your browser asks…",
    "Finishing registration...": "Saving…",
    "Registration successful!": "Added. Now give it a name…",
    "Registration aborted.": TRY_AGAIN,
    "Registration aborted or not allowed.": TRY_AGAIN,
    "Registration failed. You most likely already have a Passkey registered for this site.":
      "This key is already added to your account.",
    "Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site.":
      "This browser refused to add a key for this address. Ask your technical admin.",
    "Registration failed. The server was unable to verify this passkey.":
      "Confide could not check this key’s answer. Try again, or use another key.",
    "Registration failed. Unable to fetch registration options from server.":
      "Confide did not answer. Reload the page and try again.",
    "Registration failed. A server error occurred.": "Something went wrong. Reload the page and try again.",
    "Registration failed. An unknown error occurred.": "Something went wrong. Reload the page and try again.",
    "An error occurred during registration.": "Something went wrong. Reload the page and try again.",
    "Verifying...": "Touch your key, or follow what your browser asks…",
    "Finishing verification...": "Checking…",
    "Verification successful!": "Confirmed.",
    "Verification aborted.": TRY_AGAIN,
    "Verification canceled or not allowed.": TRY_AGAIN + " Or type a code.",
    "Verification failed. Could not retrieve parameters from the server.":
      "Confide did not answer. Reload the page and try again.",
    "Verification failed. An unknown error occurred.": "That did not work. Try again, or type a code.",
    "Verification failed. An unknown server error occurred.": "Something went wrong. Try again, or type a code.",
    "Verification failed. A server error occurred.": "Something went wrong. Try again, or type a code.",
    "An error occurred during verification.": "That did not work. Try again, or type a code."
  };
  window.gettext = function (text) { return wording[text] || text; };

  // A key just added is named next (which confirms it), keeping where the person was going.
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var answer = event.detail && event.detail.response;
    if (!answer || !answer.redirect_url) { return; }
    var url = new URL(answer.redirect_url, window.location.origin);
    var next = document.querySelector("input[name='next']");
    if (next && next.value) { url.searchParams.set("next", next.value); }
    window.location.assign(url.toString());
  });
}());
