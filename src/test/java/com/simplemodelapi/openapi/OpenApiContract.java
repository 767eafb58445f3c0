package com.simplemodelapi.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI document as the contract test reads it: its operations, the statuses each lists, the headers and
 * bodies each answer must have, and its schemas as validators (networknt's, in OpenAPI 3.1's dialect of JSON Schema
 * 2020-12, with formats asserted).
 */
final class OpenApiContract {
    /** The id the validator knows the document by; it never fetches anything. */
    private static final String BASE = "urn:simple-model-api:openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** An operation of the document, or a route of the server: an upper-case method and a path template. */
    record Operation(String method, String path) implements Comparable<Operation> {
        @Override
        public int compareTo(Operation other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A node of the document with the JSON pointer it sits at, once every {@code $ref} on the way is followed. */
    private record Located(JsonNode node, String pointer) {
        Located at(String... names) {
            JsonNode here = node;
            StringBuilder where = new StringBuilder(pointer);
            for (String name : names) {
                here = here.path(name);
                where.append('/').append(name.replace("~", "~0").replace("/", "~1"));
            }
            return new Located(here, where.toString());
        }

        boolean exists() {
            return !node.isMissingNode();
        }
    }

    OpenApiContract(JsonNode document) {
        this.document = document;
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(BASE, document.toString()))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    static OpenApiContract fromClassPath() {
        return new OpenApiContract(OpenApiResource.read());
    }

    JsonNode document() {
        return document;
    }

    /** Every operation the document has. */
    Set<Operation> operations() {
        Set<Operation> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                field -> {
                    if (METHODS.contains(field)) {
                        operations.add(new Operation(field.toUpperCase(Locale.ROOT), path.getKey()));
                    }
                }));
        return operations;
    }

    /** Every (operation, status) the document lists, as "METHOD path status". */
    Set<String> operationStatuses() {
        Set<String> statuses = new TreeSet<>();
        for (Operation operation : operations()) {
            operation(operation).node().path("responses").fieldNames()
                    .forEachRemaining(status -> statuses.add(operation + " " + status));
        }
        return statuses;
    }

    /**
     * What is wrong with an answer to an operation, by the document: a status it does not list, a required header
     * missing, a media type it does not give, a body that does not fit the schema. Empty when nothing is.
     */
    List<String> problemsWithAnswer(Operation operation, int status, Map<String, List<String>> headers, String body) {
        Located found = operation(operation);
        if (!found.exists()) {
            return List.of(operation + " is not in the document");
        }
        Located response = resolve(found.at("responses", String.valueOf(status)));
        if (!response.exists()) {
            List<String> listed = new ArrayList<>();
            found.node().path("responses").fieldNames().forEachRemaining(listed::add);
            return List.of(operation + " answered " + status + ", which the document does not list (it lists "
                    + listed + ")");
        }
        List<String> problems = new ArrayList<>();
        response.node().path("headers").fields().forEachRemaining(header -> {
            if (resolve(response.at("headers", header.getKey())).node().path("required").asBoolean()
                    && header(headers, header.getKey()) == null) {
                problems.add("the " + status + " answer has no " + header.getKey() + " header, which it must have");
            }
        });
        JsonNode content = response.node().path("content");
        String mediaType = mediaType(header(headers, "Content-Type"));
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                problems.add("the " + status + " answer has a body, which the document does not describe");
            }
            return problems;
        }
        if (mediaType == null || !content.has(mediaType)) {
            problems.add("the " + status + " answer is " + mediaType + ", not one of the document's media types");
            return problems;
        }
        problems.addAll(problemsWith(response.at("content", mediaType, "schema"), body, "the " + status + " answer"));
        return problems;
    }

    /** What is wrong with a request body, by the operation's request body schema for its media type. */
    List<String> problemsWithRequestBody(Operation operation, String contentType, String body) {
        Located requestBody = resolve(operation(operation).at("requestBody"));
        String mediaType = mediaType(contentType);
        if (!requestBody.exists() || !requestBody.node().path("content").has(mediaType)) {
            return List.of(operation + " takes no " + mediaType + " body by the document");
        }
        return problemsWith(requestBody.at("content", mediaType, "schema"), body, "the request body");
    }

    /** The value of a named example of an operation's request body. */
    String requestExample(Operation operation, String mediaType, String name) {
        Located example = resolve(resolve(operation(operation).at("requestBody"))
                .at("content", mediaType, "examples", name));
        if (!example.exists()) {
            throw new IllegalArgumentException("No example " + name + " for " + operation);
        }
        return example.node().get("value").toString();
    }

    /** The names of the examples of an operation's request body. */
    List<String> requestExampleNames(Operation operation, String mediaType) {
        List<String> names = new ArrayList<>();
        resolve(operation(operation).at("requestBody")).node().path("content").path(mediaType).path("examples")
                .fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Every example that does not fit its schema: of media types and parameters wherever they are, and of the
     * component schemas.
     */
    List<String> problemsWithExamples() {
        List<String> problems = new ArrayList<>();
        checkExamples(new Located(document, ""), problems);
        document.path("components").path("schemas").fields().forEachRemaining(schema -> {
            if (schema.getValue().has("example")) {
                Located located = new Located(document, "").at("components", "schemas", schema.getKey());
                problems.addAll(problemsWith(located, schema.getValue().get("example").toString(),
                        "the example of " + located.pointer()));
            }
        });
        return problems;
    }

    private void checkExamples(Located here, List<String> problems) {
        JsonNode node = here.node();
        if (node.isObject() && node.has("schema") && node.get("schema").isObject()) {
            Located schema = here.at("schema");
            if (node.has("example")) {
                problems.addAll(problemsWith(schema, node.get("example").toString(),
                        "the example at " + here.pointer()));
            }
            node.path("examples").fields().forEachRemaining(example -> {
                Located value = resolve(here.at("examples", example.getKey()));
                problems.addAll(problemsWith(schema, value.node().path("value").toString(),
                        "the example " + example.getKey() + " at " + here.pointer()));
            });
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isContainerNode()) {
                checkExamples(here.at(field.getKey()), problems);
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkExamples(new Located(node.get(i), here.pointer() + "/" + i), problems);
            }
        }
    }

    private List<String> problemsWith(Located schema, String json, String what) {
        JsonNode value;
        try {
            value = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            return List.of(what + " is not JSON: " + json);
        }
        if (value == null || value.isMissingNode()) {
            return List.of(what + " is empty");
        }
        List<Error> errors = validator(schema).validate(value);
        return errors.stream().map(error -> what + " does not fit " + schema.pointer() + ": " + error).toList();
    }

    private Schema validator(Located schema) {
        // A schema that is only a reference is validated as the one it names, whose pointer holds no path template.
        String pointer = schema.node().size() == 1 && schema.node().path("$ref").asText().startsWith("#")
                ? schema.node().get("$ref").asText().substring(1)
                : schema.pointer();
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(BASE + "#" + p
                .replace("{", "%7B").replace("}", "%7D"))));
    }

    private Located operation(Operation operation) {
        return new Located(document, "").at("paths", operation.path(), operation.method().toLowerCase(Locale.ROOT));
    }

    private Located resolve(Located located) {
        Located here = located;
        for (int hops = 0; here.node().has("$ref") && hops < 10; hops++) {
            String pointer = here.node().get("$ref").asText().substring(1);
            here = new Located(document.at(pointer), pointer);
        }
        return here;
    }

    private static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty())
                .map(header -> header.getValue().get(0))
                .findFirst().orElse(null);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }
}
