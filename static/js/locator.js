// "Autour de moi" on the locator (directory/templates/directory/search.html): the browser's
// position fills the hidden lat/lon fields and the form is sent. Without JavaScript or
// geolocation the button is not shown, and the help text says why.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-locator-form]");
  if (!form || !("geolocation" in navigator)) { return; }
  var slot = form.querySelector("[data-around]");
  var status = form.querySelector("[data-around-status]");
  var fallback = form.querySelector("[data-around-fallback]");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button-secondary";
  button.textContent = slot.dataset.label;
  button.addEventListener("click", function () {
    var specialty = form.elements.specialite;
    if (!specialty.value) {
      status.textContent = slot.dataset.specialty;
      specialty.focus();
      return;
    }
    button.disabled = true;
    status.textContent = slot.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (position) {
      // Rounded to about a kilometre before they reach the URL (and the access log): enough
      // to find professionals nearby, not enough to find the member's home.
      form.elements.lat.value = position.coords.latitude.toFixed(2);
      form.elements.lon.value = position.coords.longitude.toFixed(2);
      // Around the position: the postcode and city typed are not part of this search.
      form.elements.code_postal.value = "";
      form.elements.ville.value = "";
      form.submit();
    }, function () {
      button.disabled = false;
      status.textContent = slot.dataset.failed;
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  });
  slot.appendChild(button);
  if (fallback) { fallback.hidden = true; }
});
