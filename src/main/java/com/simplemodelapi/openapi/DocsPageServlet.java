package com.simplemodelapi.openapi;

import com.simplemodelapi.common.Sha256;
import com.simplemodelapi.error.ErrorRenderer;
import com.simplemodelapi.error.RequestIds;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The page at {@code /docs}, with no key: Swagger UI rendering {@code /openapi.json}, where a caller can paste a key
 * under "Authorize" and try the calls. Every file comes from the jar: the page and its initializer from
 * {@code openapi/}, the rest from Swagger UI's webjar. Only the files the page uses are served (the webjar's own
 * index.html would load an example document from the internet), and the page's Content-Security-Policy lets it load
 * nothing from anywhere but this server.
 *
 * <p>A servlet, not a Jersey resource: the page is not part of the API, so it stays out of the Jersey resource model
 * that the contract test holds the document to.
 */
public final class DocsPageServlet extends HttpServlet {
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_PROPERTIES = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String OWN = "/openapi/";
    private static final String HTML = "text/html;charset=utf-8";
    private static final String JAVASCRIPT = "text/javascript;charset=utf-8";
    private static final String CSS = "text/css;charset=utf-8";
    private static final String PNG = "image/png";
    // Swagger UI sets styles from script and draws icons from data: URIs; everything else is this server's own.
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";
    private static final Set<String> METHODS = Set.of("GET", "HEAD");

    private final transient ErrorRenderer errors;
    /** What is served, by the path below {@code /docs}. */
    private final transient Map<String, StaticFile> files = new HashMap<>();

    private record StaticFile(byte[] bytes, String contentType, String etag) {
    }

    public DocsPageServlet(ErrorRenderer errors) {
        this.errors = errors;
        String swaggerUi = WEBJAR + webjarVersion() + "/";
        StaticFile page = load(OWN + "index.html", HTML);
        files.put("", page);
        files.put("/", page);
        files.put("/index.html", page);
        files.put("/swagger-initializer.js", load(OWN + "swagger-initializer.js", JAVASCRIPT));
        files.put("/swagger-ui.css", load(swaggerUi + "swagger-ui.css", CSS));
        files.put("/swagger-ui-bundle.js", load(swaggerUi + "swagger-ui-bundle.js", JAVASCRIPT));
        files.put("/swagger-ui-bundle.js.LICENSE.txt",
                load(swaggerUi + "swagger-ui-bundle.js.LICENSE.txt", "text/plain;charset=utf-8"));
        files.put("/favicon-32x32.png", load(swaggerUi + "favicon-32x32.png", PNG));
        files.put("/favicon-16x16.png", load(swaggerUi + "favicon-16x16.png", PNG));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!METHODS.contains(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            refuse(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    "This page takes GET and HEAD only.");
            return;
        }
        String path = request.getPathInfo();
        StaticFile file = files.get(path == null ? "" : path);
        if (file == null) {
            refuse(request, response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                    "There is nothing at this path. The API's documentation is at /docs.");
            return;
        }
        // Checked again on every load (a 304 costs nothing), so a new jar's files are never stale in a browser.
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", file.etag());
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (file.contentType().equals(HTML)) {
            response.setHeader("Content-Security-Policy", POLICY);
        }
        if (file.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(file.contentType());
        response.setContentLength(file.bytes().length);
        if (request.getMethod().equals("GET")) {
            response.getOutputStream().write(file.bytes());
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String code,
                        String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(errors.bytes(request.getRequestURI(), code, message, RequestIds.current()));
    }

    private static StaticFile load(String resource, String contentType) {
        byte[] bytes = bytes(resource);
        return new StaticFile(bytes, contentType, "\"" + Sha256.hex(bytes).substring(0, 32) + "\"");
    }

    private static String webjarVersion() {
        Properties properties = new Properties();
        try (InputStream in = open(WEBJAR_PROPERTIES)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + WEBJAR_PROPERTIES, e);
        }
        return properties.getProperty("version");
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = DocsPageServlet.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing from the class path");
        }
        return in;
    }
}
