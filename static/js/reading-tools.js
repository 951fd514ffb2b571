// The article's reading tools: print, text size, and the device's own share sheet.
// Without this file the article reads and prints as it is, and the share links work.
(function () {
  "use strict";
  var KEY = "newsroom.textSize";
  var SIZES = [85, 100, 115, 130, 150];
  var tools = document.querySelector(".reading-tools");
  var text = document.getElementById("article-text");

  function remembered() {
    try {
      var stored = parseInt(window.localStorage.getItem(KEY), 10);
      return SIZES.indexOf(stored) >= 0 ? stored : 100;
    } catch (error) {
      return 100; // storage refused (private mode): the default size
    }
  }

  function persianDigits(number) {
    return String(number).replace(/[0-9]/g, function (digit) {
      return "۰۱۲۳۴۵۶۷۸۹".charAt(+digit);
    });
  }

  if (tools && text) {
    var status = tools.querySelector("[data-text-size-status]");
    var smaller = tools.querySelector('[data-text-size="smaller"]');
    var larger = tools.querySelector('[data-text-size="larger"]');
    var size = remembered();

    var apply = function (announce) {
      text.style.setProperty("--text-scale", String(size / 100));
      smaller.disabled = size === SIZES[0];
      larger.disabled = size === SIZES[SIZES.length - 1];
      if (announce && status) {
        status.textContent = status.getAttribute("data-label") + ": " + persianDigits(size) + "٪";
      }
    };

    var step = function (direction) {
      var index = SIZES.indexOf(size) + direction;
      if (index < 0 || index >= SIZES.length) return;
      size = SIZES[index];
      try {
        window.localStorage.setItem(KEY, String(size));
      } catch (error) {
        // Not remembered, still applied.
      }
      apply(true);
    };

    smaller.addEventListener("click", function () { step(-1); });
    larger.addEventListener("click", function () { step(1); });
    tools.querySelector("[data-print]").addEventListener("click", function () {
      window.print();
    });
    apply(false);
    tools.hidden = false;
  }

  var share = document.querySelector("[data-share]");
  if (share && typeof navigator.share === "function") {
    share.addEventListener("click", function () {
      navigator.share({
        title: share.getAttribute("data-title"),
        url: share.getAttribute("data-url")
      }).catch(function () {
        // Closed by the reader, or refused: the links below remain.
      });
    });
    share.parentNode.hidden = false;
  }
})();
