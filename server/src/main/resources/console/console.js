// DecisionGraph operator console: CSRF header for htmx requests, the live-update banner, tenant picker
// auto-submit, and click-to-copy. No polling: live sections refresh on server-sent events only.
(function () {
  "use strict";
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : null;
  }
  document.addEventListener("htmx:configRequest", function (e) {
    var t = csrf();
    if (t && e.detail.verb !== "get") { e.detail.headers["X-CSRF-Token"] = t; }
  });
  function banner(show) {
    var b = document.getElementById("live-banner");
    if (b) { b.hidden = !show; }
  }
  document.addEventListener("htmx:sseError", function () { banner(true); });
  document.addEventListener("htmx:sseClose", function () { banner(true); });
  document.addEventListener("htmx:sseOpen", function () {
    banner(false);
    document.body.setAttribute("data-live-connected", "true");
  });
  // Close the live streams when the page is left (also into the back/forward cache), so a user's streams do not
  // pile up on the server; a page restored from that cache reloads to get current data and a new stream.
  var sources = [];
  if (window.htmx && htmx.createEventSource) {
    var create = htmx.createEventSource;
    htmx.createEventSource = function (url) {
      var s = create(url);
      sources.push(s);
      return s;
    };
  }
  window.addEventListener("pagehide", function () {
    sources.forEach(function (s) { s.close(); });
    sources = [];
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && document.querySelector("[data-live]")) { window.location.reload(); }
  });
  // A successful action (response header HX-Trigger: dg-action-ok) resets the form's free-text fields.
  document.addEventListener("dg-action-ok", function (e) {
    var f = e.target && e.target.closest ? e.target.closest("form[data-reset-on-success]") : null;
    if (f) {
      f.querySelectorAll("input:not([type=hidden])").forEach(function (i) { i.value = ""; });
    }
  });
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.submit(); }
  });
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!el) { return; }
    var src = document.getElementById(el.getAttribute("data-copy"));
    if (src && navigator.clipboard) {
      navigator.clipboard.writeText(src.textContent).then(function () { el.textContent = "Copied"; });
    }
  });
})();
