package com.simplemodelapi.prometheus;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code GET /prometheus} on the admin port: every series of the registry in Prometheus's text format 0.0.4. */
public final class PrometheusServlet extends HttpServlet {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final transient PrometheusRegistry registry;

    public PrometheusServlet(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        TEXT.write(response.getOutputStream(), registry.scrape());
    }
}
