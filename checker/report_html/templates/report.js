// Filters and search for the mist-check report. Without this script everything is shown.
(function () {
  "use strict";
  var controls = document.getElementById("controls");
  if (!controls) { return; }
  controls.hidden = false;
  var q = document.getElementById("q");
  var sev = document.getElementById("f-severity");
  var rule = document.getElementById("f-rule");
  var trust = document.getElementById("f-trust");
  var shown = document.getElementById("shown");
  var findings = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  var trusts = Array.prototype.slice.call(document.querySelectorAll("section.trust[data-trust]"));
  function apply() {
    var words = q.value.toLowerCase().trim();
    var count = 0, quiet = 0;
    trusts.forEach(function (section) {
      section.classList.toggle("is-hidden", trust.value !== "" && section.getAttribute("data-trust") !== trust.value);
    });
    findings.forEach(function (li) {
      var ok = (sev.value === "" || li.getAttribute("data-severity") === sev.value) &&
               (rule.value === "" || li.getAttribute("data-rule") === rule.value) &&
               (words === "" || li.textContent.toLowerCase().indexOf(words) !== -1);
      li.classList.toggle("is-hidden", !ok);
      if (ok && !li.closest(".is-hidden")) {
        if (li.closest("details.suppressed")) { quiet += 1; } else { count += 1; }
      }
      if (ok && words !== "") {
        var folded = li.closest("details");
        if (folded) { folded.open = true; }
      }
    });
    shown.textContent = count + " finding" + (count === 1 ? "" : "s") + " shown, " + quiet + " suppressed";
  }
  [q, sev, rule, trust].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });
  apply();
})();
