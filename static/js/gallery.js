// A photo report's viewer: a photo opens large in a modal <dialog>, with its
// caption; the arrow keys, the buttons or a swipe go to the next or previous
// one, Escape or the close button closes it and the focus returns to the
// photo it was opened from. Without this script the photos are a plain list.
//
// Right to left: the next photo lies to the left, so ← (and a swipe to the
// right, pulling it in) goes forward and → goes back.
(function () {
  "use strict";

  const SWIPE_PIXELS = 40;

  function persianDigits(text, digits) {
    return String(text).replace(/[0-9]/g, (d) => digits[Number(d)]);
  }

  function setUp(gallery) {
    const links = Array.from(gallery.querySelectorAll(".gallery__open"));
    const dialog = gallery.querySelector("[data-viewer]");
    if (!links.length || !dialog || typeof dialog.showModal !== "function") {
      return;
    }
    const frame = dialog.querySelector("[data-frame]");
    const caption = dialog.querySelector("[data-caption]");
    const status = dialog.querySelector("[data-status]");
    let current = 0;
    let opener = null;
    let touchStart = null;

    function show(index) {
      current = (index + links.length) % links.length;
      const link = links[current];
      const picture = link.querySelector("picture").cloneNode(true);
      picture.querySelectorAll("source, img").forEach((element) => {
        if (element.hasAttribute("sizes")) {
          element.setAttribute("sizes", "100vw");
        }
      });
      const img = picture.querySelector("img");
      img.removeAttribute("loading");
      frame.replaceChildren(picture);
      const text = link.closest("figure").querySelector("figcaption");
      caption.textContent = text ? text.textContent : "";
      img.alt = caption.textContent;
      status.textContent = persianDigits(
        status.dataset.template
          .replace("{number}", current + 1)
          .replace("{total}", links.length),
        status.dataset.digits,
      );
    }

    function open(index, link) {
      opener = link;
      show(index);
      dialog.showModal();
      dialog.querySelector("[data-next]").focus();
    }

    function close() {
      if (dialog.open) {
        dialog.close();
      }
    }

    links.forEach((link, index) => {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        open(index, link);
      });
    });
    dialog.querySelector("[data-next]").addEventListener("click", () => show(current + 1));
    dialog.querySelector("[data-previous]").addEventListener("click", () => show(current - 1));
    dialog.querySelector("[data-close]").addEventListener("click", close);
    dialog.addEventListener("close", () => {
      frame.replaceChildren();
      if (opener) {
        opener.focus();
      }
    });
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") {
        event.preventDefault();
        show(current + 1);
      } else if (event.key === "ArrowRight") {
        event.preventDefault();
        show(current - 1);
      }
    });
    // A click on the backdrop (outside the dialog's box) closes it.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) {
        close();
      }
    });
    dialog.addEventListener(
      "touchstart",
      (event) => {
        touchStart = event.changedTouches[0].clientX;
      },
      { passive: true },
    );
    dialog.addEventListener("touchend", (event) => {
      if (touchStart === null) {
        return;
      }
      const moved = event.changedTouches[0].clientX - touchStart;
      touchStart = null;
      if (Math.abs(moved) >= SWIPE_PIXELS) {
        show(moved > 0 ? current + 1 : current - 1);
      }
    });
  }

  document.querySelectorAll("[data-gallery]").forEach(setUp);
})();
