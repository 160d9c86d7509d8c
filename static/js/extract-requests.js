// Keeps the state of the account's extract requests up to date without reloading the page.
(function () {
  "use strict";
  var table = document.getElementById("extract-requests");
  if (!table || !window.fetch) return;
  var FINAL = ["disponible", "a_payer"];
  var delay = 2000;

  function render(row, data) {
    var state = row.querySelector(".request-state");
    if (state.textContent !== data.state_label) state.textContent = data.state_label;
    var cell = row.querySelector(".request-document");
    if (data.state === "en_verification" && !cell.textContent.trim()) {
      cell.textContent = table.getAttribute("data-verification-label");
    }
    if (data.download_url && !row.querySelector(".request-document a[data-download]")) {
      var link = document.createElement("a");
      link.href = data.download_url;
      link.setAttribute("data-download", "");
      link.textContent = table.getAttribute("data-download-label").replace("%s", data.reference);
      cell.textContent = "";
      cell.appendChild(link);
    }
  }

  function poll() {
    fetch(table.getAttribute("data-status-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (payload) {
        var waiting = false;
        payload.requests.forEach(function (data) {
          var row = table.querySelector('tr[data-request="' + data.id + '"]');
          if (row) render(row, data);
          if (FINAL.indexOf(data.state) === -1) waiting = true;
        });
        delay = Math.min(delay * 1.25, 30000);  // a clerk's check may take a while
        if (waiting) setTimeout(poll, delay);
      })
      .catch(function () { delay = Math.min(delay * 2, 30000); setTimeout(poll, delay); });
  }

  if (table.hasAttribute("data-pending")) setTimeout(poll, delay);
})();
