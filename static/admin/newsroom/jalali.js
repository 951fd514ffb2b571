/* Starts django-jalali-date's picker on every Jalali date box of the admin
   (input[data-jdp]) with the portal's settings: dates as 1405/09/20 10:30,
   Persian digits in the calendar, and a box that can still be typed in. The
   package's own script starts the picker on window load with its defaults;
   this listener runs after it and changes them. */
(function () {
  "use strict";

  var options = {
    separatorChars: { date: "/", between: " ", time: ":" },
    date: true,
    time: true,
    hasSecond: false,
    persianDigits: true,
    autoReadOnlyInput: false,
    autoShow: true,
    autoHide: true,
    hideAfterChange: true,
    showTodayBtn: true,
    showEmptyBtn: true,
    showCloseBtn: true,
    zIndex: 10000
  };

  window.addEventListener("load", function () {
    if (!window.jalaliDatepicker) {
      return;
    }
    window.jalaliDatepicker.updateOptions(options);
  });
})();
