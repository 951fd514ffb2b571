// The comment form without reloads. The article page is the same for every
// reader (it may be cached), so it holds a link to the form's own page; this
// fetches the form itself, with the reader's own security token and
// question, when the reader reaches it or asks for it. Then: reply, cancel,
// a new question, characters left. Everything here also works without this
// file, through links and buttons.
(function () {
  "use strict";
  var persianDigits = "۰۱۲۳۴۵۶۷۸۹";
  function toPersian(text) {
    return String(text).replace(/[0-9]/g, function (d) { return persianDigits[d]; });
  }

  // Requests whose answers may set the CSRF cookie go one after the other.
  // On a reader's first visit two at once (the form and a vote's token)
  // would each set a cookie of its own, and the token of the one whose
  // cookie lost would be refused.
  var turn = window.Promise ? Promise.resolve() : null;
  function inTurn(request) {
    var result = turn.then(request);
    turn = result.catch(function () {});
    return result;
  }

  var slot = document.querySelector(".comment-form__slot[data-form-url]");
  var form = document.querySelector(".comment-form__form");
  var loading = null;

  // The form, fetched once; `then` runs when it is in the page.
  function withForm(then) {
    if (form) { then(form); return; }
    if (!slot || !window.fetch) return false;
    if (!loading) {
      loading = inTurn(function () {
        return fetch(slot.getAttribute("data-form-url"), { credentials: "same-origin" });
      })
        .then(function (response) {
          // 429: the form comes with the reason no question could be given.
          if (!response.ok && response.status !== 429) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fetched = holder.querySelector(".comment-form__form");
          if (!fetched) throw new Error("no form");
          slot.replaceWith(fetched);
          form = fetched;
          wire(form);
          return form;
        });
    }
    loading.then(then).catch(function () {
      // The form's own page still works: go there.
      var link = slot && slot.querySelector("a");
      if (link) window.location.href = link.href;
    });
    return true;
  }

  if (slot) {
    var link = slot.querySelector("a");
    link.addEventListener("click", function (event) {
      if (!window.fetch) return;
      event.preventDefault();
      withForm(function (loaded) { loaded.querySelector("input[name=name]").focus(); });
    });
    // Fetched when the reader comes near it, so that it is there when they arrive.
    if ("IntersectionObserver" in window) {
      var watcher = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          watcher.disconnect();
          withForm(function () {});
        }
      }, { rootMargin: "300px" });
      watcher.observe(slot);
    }
  }

  // The name of the comment a reply link answers, as the comment shows it.
  function replyName(link) {
    var name = link.closest(".comment").querySelector(".comment__name");
    return name ? name.textContent : "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    // Pages without the form (a thread's replies, the answered questions)
    // follow the link to the form's own page.
    if (!link || !window.fetch || !(form || slot)) return;
    event.preventDefault();
    withForm(function (loaded) {
      var banner = loaded.querySelector(".reply-banner");
      loaded.querySelector("input[name=parent]").value = link.getAttribute("data-reply-to");
      banner.querySelector(".reply-banner__text").textContent =
        banner.getAttribute("data-template").replace("__NAME__", replyName(link));
      banner.hidden = false;
      document.getElementById("comment-form").scrollIntoView({ block: "start" });
      loaded.querySelector("textarea[name=text]").focus();
    });
  });

  function wire(form) {
    var banner = form.querySelector(".reply-banner");
    var parent = form.querySelector("input[name=parent]");
    var text = form.querySelector("textarea[name=text]");

    var cancel = banner && banner.querySelector(".reply-banner__cancel");
    if (cancel) {
      cancel.addEventListener("click", function (event) {
        event.preventDefault();
        parent.value = "";
        banner.hidden = true;
        text.focus();
      });
    }

    var counter = form.querySelector(".field__counter");
    if (counter && text) {
      var max = parseInt(counter.getAttribute("data-max"), 10);
      var update = function () {
        var left = max - text.value.length;
        counter.textContent = counter.getAttribute("data-template").replace("__COUNT__", toPersian(left));
        counter.classList.toggle("field__counter--over", left < 0);
      };
      counter.setAttribute("aria-live", "polite");
      text.addEventListener("input", update);
      update();
    }

    var refresh = form.querySelector("button[name=refresh_question]");
    if (refresh && window.fetch) {
      refresh.addEventListener("click", function (event) {
        event.preventDefault();
        fetch(form.getAttribute("data-question-url"), { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (question) {
            form.querySelector("input[name=captcha_0]").value = question.key;
            var answer = form.querySelector("input[name=captcha_1]");
            answer.value = "";
            form.querySelector(".question__text").textContent = question.question;
            answer.focus();
          })
          .catch(function () { form.requestSubmit(refresh); });
      });
    }
  }

  if (form) wire(form);

  // The tracking code, copied with one press on the page that gives it.
  var copy = document.querySelector(".tracking-code__copy[data-copy]");
  if (copy && navigator.clipboard) {
    var copied = document.querySelector(".tracking-code__status");
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
        copied.textContent = copy.getAttribute("data-copied");
      });
    });
  }

  // Likes and dislikes. The page is the same for every reader, so what is
  // the reader's own comes from elsewhere: their votes from their cookie,
  // fresh counts from a small JSON address every reader shares. Without
  // this, the buttons open a page that asks before voting.
  var voting = document.querySelector("[data-votes-url]");
  if (voting && window.fetch) {
    var token = null;

    var myVotes = function () {
      var found = {};
      document.cookie.split(";").forEach(function (pair) {
        var parts = pair.trim().split("=");
        if (parts[0] !== "comment_votes") return;
        // A signed cookie: the value, then the time and the signature after colons.
        var value = parts.slice(1).join("=").replace(/^"|"$/g, "").split(":")[0];
        value.split(".").forEach(function (entry) {
          var match = /^(\d+)([ld])$/.exec(entry);
          if (match) found[match[1]] = match[2] === "l" ? "like" : "dislike";
        });
      });
      return found;
    };

    var show = function (votes, likes, dislikes, mine) {
      var buttons = votes.querySelectorAll("button[name=value]");
      Array.prototype.forEach.call(buttons, function (button) {
        var kind = button.value;
        button.setAttribute("aria-pressed", mine === kind ? "true" : "false");
        var count = kind === "like" ? likes : dislikes;
        if (count !== null) button.querySelector(".vote__count").textContent = toPersian(count);
      });
    };

    // The counts this reader's own votes returned, with when they were counted:
    // the shared counts may be a few seconds older, and then these win.
    var KEPT = "comment-vote-counts";
    var kept = {};
    try { kept = JSON.parse(window.sessionStorage.getItem(KEPT) || "{}"); } catch (error) { kept = {}; }
    var keep = function (id, data) {
      kept[id] = [data.likes, data.dislikes, data.at];
      try { window.sessionStorage.setItem(KEPT, JSON.stringify(kept)); } catch (error) { /* full or private */ }
    };

    var all = document.querySelectorAll("form.votes[data-comment]");
    var mine = myVotes();
    Array.prototype.forEach.call(all, function (votes) {
      show(votes, null, null, mine[votes.getAttribute("data-comment")]);
    });

    fetch(voting.getAttribute("data-votes-url"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        Array.prototype.forEach.call(all, function (votes) {
          var id = votes.getAttribute("data-comment");
          var counts = data.counts[id] || [0, 0];
          if (kept[id] && kept[id][2] > data.at) counts = kept[id];
          show(votes, counts[0], counts[1], mine[id]);
        });
      })
      .catch(function () {});

    var withToken = function () {
      if (token) return Promise.resolve(token);
      return inTurn(function () {
        return fetch(voting.getAttribute("data-vote-token-url"), { credentials: "same-origin" });
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) { token = data.token; return token; });
    };

    document.addEventListener("submit", function (event) {
      var votes = event.target.closest("form.votes[data-comment]");
      if (!votes) return;
      var button = event.submitter;
      if (!button || button.name !== "value") return;
      event.preventDefault();
      var note = votes.querySelector(".votes__note");
      withToken()
        .then(function (csrf) {
          var body = new URLSearchParams();
          body.set("value", button.value);
          return fetch(votes.action, {
            method: "POST",
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
            body: body
          });
        })
        .then(function (response) {
          if (response.status === 429) {
            return response.json().then(function (data) { throw { reason: data.error }; });
          }
          if (!response.ok) throw { status: response.status };
          return response.json();
        })
        .then(function (data) {
          if (note) note.remove();
          note = null;
          keep(votes.getAttribute("data-comment"), data);
          show(votes, data.likes, data.dislikes, data.vote);
        })
        .catch(function (problem) {
          if (!(problem && problem.reason)) {
            // Anything but a refusal: the page that asks first still works.
            window.location.href = votes.action + "?value=" + encodeURIComponent(button.value);
            return;
          }
          if (!note) {
            note = document.createElement("span");
            note.className = "votes__note";
            note.setAttribute("role", "alert");
            votes.appendChild(note);
          }
          note.textContent = problem.reason;
        });
    });
  }
})();
