/* The dataset page's map of a GeoJSON resource: its features drawn over the city's tiles.
   Without this file, or without tiles, the table of the first features stands alone. */
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }
  document.querySelectorAll(".opendata-map[data-geojson]").forEach(function (box) {
    fetch(box.dataset.geojson, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (data) {
        box.hidden = false;
        var map = L.map(box);
        L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
        var layer = L.geoJSON(data, {
          onEachFeature: function (feature, shape) {
            var properties = feature.properties || {};
            var lines = Object.keys(properties).slice(0, 8).map(function (key) {
              var line = document.createElement("div");
              line.textContent = key + ": " + properties[key];
              return line;
            });
            if (lines.length) {
              var popup = document.createElement("div");
              lines.forEach(function (line) { popup.appendChild(line); });
              shape.bindPopup(popup);
            }
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { maxZoom: 17 });
        } else {
          map.setView([16.0678, 108.2208], 12);
        }
      })
      .catch(function () { /* the table below still shows the features */ });
  });
})();
