/* Starts the Jalali picker (static/admin/vendor/jalalidatepicker) on every
   Jalali date box of the admin (input[data-jdp]): dates written as
   1405/09/20 10:30, Persian digits in the calendar, weeks from Saturday,
   and a box that can still be typed in. */
(function () {
  "use strict";

  function start() {
    if (!window.jalaliDatepicker || !document.querySelector("input[data-jdp]")) {
      return;
    }
    window.jalaliDatepicker.startWatch({
      separatorChars: { date: "/", between: " ", time: ":" },
      date: true,
      time: true,
      hasSecond: false,
      // The years the server accepts (newsroom/text/persian.py, JALALI_YEARS).
      minDate: { year: 1300, month: 1, day: 1 },
      maxDate: { year: 1500, month: 12, day: 29 },
      persianDigits: true,
      autoReadOnlyInput: false,
      autoShow: true,
      autoHide: true,
      hideAfterChange: true,
      showTodayBtn: true,
      showEmptyBtn: true,
      showCloseBtn: true,
      zIndex: 10000
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
