// The short link's copy button. Without this file the link is still shown,
// selectable and copyable by hand; the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy"));
  var status = document.querySelector("[data-copy-status]");
  if (!field) return;

  var idle = button.textContent;
  var timer = null;

  function legacyCopy() {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copied() {
    var done = button.getAttribute("data-copied");
    button.textContent = done;
    if (status) status.textContent = done;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      button.textContent = idle;
      if (status) status.textContent = "";
    }, 2500);
  }

  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(copied, function () {
        if (legacyCopy()) copied();
      });
    } else if (legacyCopy()) {
      copied();
    }
    // When nothing could copy, the link is left selected for the reader to copy.
  });

  // One click in the field selects the whole link.
  field.addEventListener("focus", function () {
    field.select();
  });

  button.hidden = false;
})();
