// Counts one view of the article being read, also when the page came from a
// cache and no view ran for it: a same-origin beacon once the page is shown.
// The browser names itself with a random word kept in its own storage, so
// that readers sharing an address are counted apart; nothing else is sent.
(function () {
  "use strict";
  var article = document.querySelector("[data-views]");
  if (!article || !navigator.sendBeacon || !window.URLSearchParams) return;

  function readerName() {
    var name = "";
    try {
      name = window.localStorage.getItem("reader") || "";
      if (!/^[a-z0-9]{1,32}$/.test(name)) {
        name = Math.random().toString(36).slice(2, 14);
        window.localStorage.setItem("reader", name);
      }
    } catch (error) {
      // Storage refused (private browsing): counted by address alone.
    }
    return name;
  }

  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") return;
    sent = true;
    navigator.sendBeacon(
      article.getAttribute("data-views"),
      new URLSearchParams({ reader: readerName() })
    );
  }

  // A page opened in a background tab, or prerendered, counts when it is seen.
  send();
  document.addEventListener("visibilitychange", send);
})();
