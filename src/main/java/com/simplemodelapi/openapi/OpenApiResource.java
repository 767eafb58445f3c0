package com.simplemodelapi.openapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}, with no key: the API's contract, written by hand in {@value #DOCUMENT} and served as
 * JSON. It is read and converted once, at start, so a document that does not parse stops the start.
 */
@Path("/openapi.json")
public class OpenApiResource {
    /** The document on the class path. */
    public static final String DOCUMENT = "/openapi/openapi.yaml";

    private final byte[] json;

    public OpenApiResource(ObjectMapper json) {
        try {
            // Indented, so that `curl .../openapi.json | head` shows something a person can read.
            this.json = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(read());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + DOCUMENT + " as JSON", e);
        }
    }

    /** The document as a tree; a key given twice, which YAML would otherwise let the second win, is refused. */
    public static JsonNode read() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the class path");
            }
            return yaml.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DOCUMENT, e);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() {
        return json;
    }
}
