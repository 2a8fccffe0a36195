/* The API's docs page: Swagger UI (vendored, no CDN) on the generated OpenAPI document. */
(function () {
  "use strict";
  var box = document.getElementById("api-docs");
  if (!box || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({url: box.getAttribute("data-spec-url"), domNode: box, deepLinking: true,
                          persistAuthorization: false});
})();
