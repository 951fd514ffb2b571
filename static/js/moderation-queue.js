// Keyboard shortcuts of the moderation queue: J and K move between comments,
// A approves, R rejects, 1 and 2 reject for breaking the first or second
// posted rule, S marks as spam, O opens the comment. They drive the queue's
// own action form, so a decision goes through the same admin action as a
// click, and the page shows Django's message afterwards. Keys are read by
// their place on the keyboard (event.code), so they work in a Persian layout.
(function () {
  "use strict";
  var form = document.getElementById("changelist-form");
  var table = document.getElementById("result_list");
  if (!form || !table) return;
  var action = form.querySelector("select[name=action]");
  var go = form.querySelector("button[name=index]");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  if (!action || !go || !rows.length) return;

  var ACTIONS = {
    KeyA: "mark_approved",
    KeyR: "mark_rejected",
    Digit1: "reject_insult",
    Digit2: "reject_language",
    KeyS: "mark_spam"
  };
  var STORED = "moderation-queue-row";
  var current = -1;

  function select(index) {
    if (index < 0 || index >= rows.length) return;
    if (current >= 0) rows[current].classList.remove("queue-current");
    current = index;
    var row = rows[current];
    row.classList.add("queue-current");
    row.setAttribute("tabindex", "-1");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function decide(name) {
    if (current < 0 || !action.querySelector("option[value=" + name + "]")) return;
    rows.forEach(function (row, index) {
      var box = row.querySelector("input.action-select");
      if (box) box.checked = index === current;
    });
    action.value = name;
    // The row that takes this one's place is the next to decide.
    try { window.sessionStorage.setItem(STORED, String(current)); } catch (error) { /* private mode */ }
    form.requestSubmit(go);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.code === "KeyJ") {
      select(Math.min(current + 1, rows.length - 1));
    } else if (event.code === "KeyK") {
      select(Math.max(current - 1, 0));
    } else if (event.code === "KeyO") {
      var link = current >= 0 && rows[current].querySelector("th a, td a");
      if (link) window.location.href = link.href;
    } else if (ACTIONS[event.code]) {
      decide(ACTIONS[event.code]);
    } else {
      return;
    }
    event.preventDefault();
  });

  var stored = null;
  try { stored = window.sessionStorage.getItem(STORED); window.sessionStorage.removeItem(STORED); } catch (error) { /* private mode */ }
  if (stored !== null) select(Math.min(parseInt(stored, 10) || 0, rows.length - 1));
})();
