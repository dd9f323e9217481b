/* The officer's map: a click (or a dragged marker) fills the latitude and longitude fields;
   coordinates typed in the fields move the marker. Without this file, or without the tiles,
   the fields alone do the work. */
(function () {
  "use strict";
  var box = document.getElementById("address-map");
  if (!box || typeof L === "undefined") {
    return;
  }
  var latInput = document.getElementById(box.dataset.latInput);
  var lngInput = document.getElementById(box.dataset.lngInput);
  if (!latInput || !lngInput) {
    return;
  }
  box.hidden = false;

  function read(input) {
    var value = parseFloat(String(input.value || "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  var lat = read(latInput);
  var lng = read(lngInput);
  var centre = lat !== null && lng !== null
    ? [lat, lng]
    : [parseFloat(box.dataset.latitude) || 16.0678, parseFloat(box.dataset.longitude) || 108.2208];
  var map = L.map(box).setView(centre, 17);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  var marker = null;

  function fill(latlng) {
    latInput.value = latlng.lat.toFixed(7);
    lngInput.value = latlng.lng.toFixed(7);
  }

  function put(latlng) {
    if (marker) {
      marker.setLatLng(latlng);
      return;
    }
    marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
    marker.on("dragend", function () {
      fill(marker.getLatLng());
    });
  }

  if (lat !== null && lng !== null) {
    put([lat, lng]);
  }
  map.on("click", function (event) {
    put(event.latlng);
    fill(event.latlng);
  });

  function typed() {
    var a = read(latInput);
    var b = read(lngInput);
    if (a !== null && b !== null) {
      put([a, b]);
      map.panTo([a, b]);
    }
  }
  latInput.addEventListener("change", typed);
  lngInput.addEventListener("change", typed);
}());
