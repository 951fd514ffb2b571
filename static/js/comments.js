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

  var slot = document.querySelector(".comment-form__slot[data-form-url]");
  var form = document.querySelector(".comment-form__form");
  var loading = null;

  // The form, fetched once; `then` runs when it is in the page.
  function withForm(then) {
    if (form) { then(form); return; }
    if (!slot || !window.fetch) return false;
    if (!loading) {
      loading = fetch(slot.getAttribute("data-form-url"), { credentials: "same-origin" })
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

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (!link || !window.fetch) return;
    event.preventDefault();
    withForm(function (loaded) {
      var banner = loaded.querySelector(".reply-banner");
      loaded.querySelector("input[name=parent]").value = link.getAttribute("data-reply-to");
      banner.querySelector(".reply-banner__text").textContent =
        banner.getAttribute("data-template").replace("__NAME__", link.getAttribute("data-reply-name"));
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
})();
