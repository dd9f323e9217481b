/* The public map of open reports over the city's tiles. It asks the map's data for the box
   in view at its zoom (/phan-anh/ban-do.json?bbox=…&zoom=…) after each move: a few reports come
   as points linked to their tracking pages, many as clusters (a count per grid cell) that zoom
   in when chosen. Without this file, or without tiles, the list of reports stands alone. */
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }
  var box = document.querySelector(".petitions-map[data-url]");
  if (!box) {
    return;
  }
  box.hidden = false;
  var map = L.map(box).setView([16.0544, 108.2022], 12);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var pending = null;
  var reportLabel = box.dataset.reportLabel || "";
  var clusterLabel = box.dataset.clusterLabel || "";

  function point(item) {
    var marker = L.marker([item.lat, item.long], {
      title: reportLabel + " " + item.code,
      alt: reportLabel + " " + item.code,
      icon: L.divIcon({ className: "petitions-point", iconSize: [14, 14] })
    });
    var link = document.createElement("a");
    link.href = box.dataset.trackBase + encodeURIComponent(item.code) + "/";
    link.textContent = item.code;
    marker.bindPopup(link);
    return marker;
  }

  function cluster(item) {
    var size = item.count < 10 ? 28 : item.count < 100 ? 34 : item.count < 1000 ? 42 : 50;
    var label = clusterLabel.replace("{count}", String(item.count));
    var marker = L.marker([item.lat, item.long], {
      title: label,
      alt: label,
      icon: L.divIcon({
        className: "petitions-cluster",
        html: "<span aria-hidden=\"true\">" + item.count + "</span>",
        iconSize: [size, size]
      })
    });
    marker.on("click", function () {
      map.setView([item.lat, item.long], Math.min(map.getZoom() + 2, 19));
    });
    return marker;
  }

  function load() {
    var bounds = map.getBounds();
    var bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (x) { return x.toFixed(5); }).join(",");
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(box.dataset.url + "?bbox=" + bbox + "&zoom=" + map.getZoom(), {
      credentials: "same-origin",
      signal: pending.signal
    })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (data) {
        layer.clearLayers();
        data.reports.forEach(function (item) { layer.addLayer(point(item)); });
        data.clusters.forEach(function (item) { layer.addLayer(cluster(item)); });
      })
      .catch(function () { /* the list below still shows the reports */ });
  }

  map.on("moveend", load);
  load();
})();
