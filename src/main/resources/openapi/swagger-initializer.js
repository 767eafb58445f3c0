// Swagger UI on this server's own document. Links are absolute, so the page works at /docs and at /docs/.
// validatorUrl: null, or Swagger UI would send the document to a validator on the internet for a badge.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
