/* The admin's counts in Persian digits where Django's own scripts write
   them: «۲ از ۴۳ انتخاب شده‌اند» under the list of articles. The pages
   themselves are rendered with Persian digits; this keeps them so after a
   click. */
(function () {
  "use strict";

  var persian = "۰۱۲۳۴۵۶۷۸۹";

  function toPersian(text) {
    return text.replace(/[0-9]/g, function (digit) {
      return persian[Number(digit)];
    });
  }

  function keepPersian(element) {
    var fix = function () {
      var shown = toPersian(element.textContent);
      if (shown !== element.textContent) {
        element.textContent = shown;
      }
    };
    new MutationObserver(fix).observe(element, {
      childList: true,
      characterData: true,
      subtree: true
    });
    fix();
  }

  function start() {
    document.querySelectorAll(".action-counter, .actions .question a, .actions .all")
      .forEach(keepPersian);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
