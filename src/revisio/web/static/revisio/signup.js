// Sign-up: default the time zone to the browser's own, so "today" in the diary is the patient's today.
// A file, not an inline script: the Content Security Policy allows scripts from this site only.
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (select && zone && select.value === "UTC") {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) { select.value = zone; }
    }
  }
})();
