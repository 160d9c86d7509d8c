// The card payment page: the instalment amount is shown only while « acompte » is chosen.
// Without this script the field stays visible and the server ignores it when « solde » is chosen.
(function () {
  "use strict";
  var box = document.getElementById("instalment-box");
  if (!box) return;
  var radios = document.querySelectorAll('input[name="choice"]');

  function update() {
    var chosen = document.querySelector('input[name="choice"]:checked');
    box.hidden = !chosen || chosen.value !== box.getAttribute("data-shown-for");
  }

  for (var i = 0; i < radios.length; i++) {
    radios[i].setAttribute("aria-controls", box.id);
    radios[i].addEventListener("change", update);
  }
  update();
})();
