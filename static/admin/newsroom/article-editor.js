/* The body editor in Persian, and images uploaded from inside it.

   django-prose-editor writes its menu's tooltips and its block menu in
   English in its own code; its dialogs already ask the admin's JavaScript
   catalogue (window.gettext). This script gives the menu the catalogue's
   words too, as the editor draws it, and adds a button that uploads an
   image to the site and puts it into the body at the cursor. Without it the
   editor still works, in English, and images can be added by address. */
(function () {
  "use strict";

  var gettext = window.gettext || function (text) { return text; };
  var gettext_noop = function (text) { return text; };

  // The editor's own dialogs (django-prose-editor's catalogue); listed so
  // that `make messages` keeps their Persian in djangojs.po.
  [
    gettext_noop("Image URL"), gettext_noop("Alternative Text"), gettext_noop("Caption"),
    gettext_noop("Edit Figure"), gettext_noop("Insert Figure"), gettext_noop("Update"),
    gettext_noop("Insert"), gettext_noop("Edit HTML"), gettext_noop("Prettify"),
    gettext_noop("URL"), gettext_noop("Title"), gettext_noop("Open in new window"),
    gettext_noop("Edit Link"), gettext_noop("List properties"),
    gettext_noop("Toggle fullscreen"), gettext_noop("Decimal numbers"),
    gettext_noop("Lowercase letters"), gettext_noop("Uppercase letters"),
    gettext_noop("Lowercase Roman numerals"), gettext_noop("Uppercase Roman numerals"),
    gettext_noop("Start at"), gettext_noop("List type"), gettext_noop("Rows"),
    gettext_noop("Columns"), gettext_noop("Include header row"),
    gettext_noop("Table Properties"), gettext_noop("Insert Table"), gettext_noop("Cancel")
  ];

  // The menu's words, as the editor writes them (compared without case).
  var MENU = {
    "bold": gettext("bold"),
    "italic": gettext("italic"),
    "underline": gettext("underline"),
    "strike": gettext("strike"),
    "subscript": gettext("subscript"),
    "superscript": gettext("superscript"),
    "paragraph": gettext("Paragraph"),
    "heading 1": gettext("Heading 1"),
    "heading 2": gettext("Heading 2"),
    "heading 3": gettext("Heading 3"),
    "heading 4": gettext("Heading 4"),
    "unordered list": gettext("unordered list"),
    "ordered list": gettext("ordered list"),
    "blockquote": gettext("blockquote"),
    "horizontal rule": gettext("horizontal rule"),
    "insert link": gettext("insert link"),
    "remove link": gettext("remove link"),
    "insert table": gettext("Insert table"),
    "merge cells": gettext("Merge cells"),
    "split cell": gettext("Split cell"),
    "figure": gettext("figure"),
    "undo": gettext("undo"),
    "redo": gettext("redo"),
    "html": gettext("HTML"),
    "edit html": gettext("Edit HTML"),
    "code": gettext("Code"),
    "code block": gettext("Code block"),
    "styles": gettext("Styles"),
    "title": gettext("title")
  };

  function persian(text) {
    var key = (text || "").trim().toLowerCase();
    return Object.prototype.hasOwnProperty.call(MENU, key) ? MENU[key] : null;
  }

  function translate(root) {
    root.querySelectorAll("[title], [aria-label]").forEach(function (element) {
      ["title", "aria-label"].forEach(function (name) {
        var shown = element.hasAttribute(name) && persian(element.getAttribute(name));
        if (shown) {
          element.setAttribute(name, shown);
        }
      });
    });
    // Words shown as text (the block menu), never the icons' ligature names.
    root.querySelectorAll("*").forEach(function (element) {
      if (element.children.length || element.classList.contains("material-icons")) {
        return;
      }
      var shown = persian(element.textContent);
      if (shown) {
        element.textContent = shown;
      }
    });
  }

  function watchMenus() {
    var pending = false;
    var run = function () {
      pending = false;
      document.querySelectorAll(".prose-menubar, .prose-editor-dialog").forEach(translate);
      document.querySelectorAll(".ProseMirror[contenteditable]").forEach(function (editor) {
        editor.setAttribute("lang", "fa");
        editor.setAttribute("dir", "rtl");
      });
    };
    new MutationObserver(function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(run);
      }
    }).observe(document.body, { childList: true, subtree: true });
    run();
  }

  function csrfToken(form) {
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function insertImage(editor, url) {
    var html = '<figure><img src="' + url.replace(/"/g, "&quot;") + '" alt=""><figcaption></figcaption></figure>';
    var transfer = new DataTransfer();
    transfer.setData("text/html", html);
    transfer.setData("text/plain", url);
    editor.focus();
    editor.dispatchEvent(new ClipboardEvent("paste", {
      clipboardData: transfer,
      bubbles: true,
      cancelable: true
    }));
  }

  function addUpload(textarea) {
    var url = textarea.getAttribute("data-body-image-upload");
    var box = document.createElement("div");
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("p");
    var id = textarea.id + "-image";

    box.className = "body-image-upload";
    label.htmlFor = id;
    label.textContent = gettext("Upload an image into the body");
    input.type = "file";
    input.id = id;
    input.accept = "image/jpeg,image/png,image/webp";
    status.className = "body-image-upload__status";
    status.setAttribute("role", "status");
    box.append(label, input, status);
    var anchor = textarea.closest(".prose-editor") || textarea;
    anchor.insertAdjacentElement("afterend", box);

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) {
        return;
      }
      var data = new FormData();
      data.append("image", file);
      status.textContent = gettext("Uploading the image…");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form) }
      })
        .then(function (response) {
          return response.json().catch(function () {
            return { error: gettext("The image could not be uploaded.") };
          });
        })
        .then(function (answer) {
          if (!answer.url) {
            status.textContent = answer.error || gettext("The image could not be uploaded.");
            return;
          }
          var container = textarea.closest(".prose-editor") || textarea.parentElement;
          var editor = container.querySelector(".ProseMirror[contenteditable]");
          if (editor) {
            insertImage(editor, answer.url);
          }
          status.textContent = gettext("The image is in the body; write its caption under it.");
          input.value = "";
        })
        .catch(function () {
          status.textContent = gettext("The image could not be uploaded.");
        });
    });
  }

  function start() {
    watchMenus();
    document.querySelectorAll("textarea[data-body-image-upload]").forEach(addUpload);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
