// The comment form without reloads: reply, cancel, a new question, characters left.
// Everything here also works without this file, through links and buttons.
(function () {
  "use strict";
  var form = document.querySelector(".comment-form__form");
  if (!form) return;

  var persianDigits = "۰۱۲۳۴۵۶۷۸۹";
  function toPersian(text) {
    return String(text).replace(/[0-9]/g, function (d) { return persianDigits[d]; });
  }

  var banner = document.getElementById("reply-banner");
  var parent = form.querySelector("input[name=parent]");
  var text = form.querySelector("textarea[name=text]");
  var section = document.getElementById("comment-form");

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (!link || !banner || !parent) return;
    event.preventDefault();
    parent.value = link.getAttribute("data-reply-to");
    banner.querySelector(".reply-banner__text").textContent =
      banner.getAttribute("data-template").replace("__NAME__", link.getAttribute("data-reply-name"));
    banner.hidden = false;
    section.scrollIntoView({ block: "start" });
    text.focus();
  });

  var cancel = banner && banner.querySelector(".reply-banner__cancel");
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      parent.value = "";
      banner.hidden = true;
      text.focus();
    });
  }

  var counter = document.getElementById("text-counter");
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
})();
