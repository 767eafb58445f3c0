package com.simplemodelapi.openapi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request of the contract test and the status it must get: a documented operation (its path template and method),
 * the path's arguments, what is sent, and how.
 *
 * @param template  the path as the document and Jersey write it, such as {@code /v1/models/{name}/predict}
 * @param arguments the values of the template's parameters, in order
 * @param query     the query string, without its '?', or null for none
 * @param withKey   whether the request carries the test user's key
 * @param spentKey  whether it carries instead the key of the user whose daily quota is spent
 * @param headers   further request headers
 * @param body      the body, or null for none
 * @param sending   how the body goes out
 * @param auditDown whether the request is sent while the audit log cannot be written
 * @param status    the status it must get, which the document must list for the operation
 */
record ContractCase(String method, String template, List<String> arguments, String query, boolean withKey,
                    boolean spentKey, Map<String, String> headers, String body, Sending sending, boolean auditDown, int status) {
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]+}");

    enum Sending {
        /** As an HTTP client sends it. */
        NORMALLY,
        /** Headers saying a large body follows after {@code 100 Continue}, which the server answers first. */
        EXPECTING_CONTINUE,
        /** The body one byte every 100 ms, slower than any server's minimum rate. */
        DRIPPED
    }

    static Builder get(String template, String... arguments) {
        return new Builder("GET", template, arguments);
    }

    static Builder post(String template, String... arguments) {
        return new Builder("POST", template, arguments);
    }

    /** The path with the arguments in place of the template's parameters. */
    String path() {
        Matcher parameter = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        int next = 0;
        while (parameter.find()) {
            parameter.appendReplacement(path, Matcher.quoteReplacement(arguments.get(next++)));
        }
        parameter.appendTail(path);
        if (next != arguments.size()) {
            throw new IllegalArgumentException(template + " takes " + next + " arguments, not " + arguments.size());
        }
        return query == null ? path.toString() : path + "?" + query;
    }

    /** The documented status this case stands for. */
    String operationStatus() {
        return method + " " + template + " " + status;
    }

    @Override
    public String toString() {
        List<String> notes = new ArrayList<>();
        notes.add(withKey ? "key" : spentKey ? "the key of a user whose quota is spent" : "no key");
        headers.forEach((name, value) -> notes.add(name + ": " + value));
        if (body != null) {
            notes.add(body.length() > 60 ? body.substring(0, 57) + "..." : body);
        }
        if (sending != Sending.NORMALLY) {
            notes.add(sending.name().toLowerCase().replace('_', ' '));
        }
        if (auditDown) {
            notes.add("audit log down");
        }
        return method + " " + path() + " " + notes + " -> " + status;
    }

    static final class Builder {
        private final String method;
        private final String template;
        private final List<String> arguments;
        private String query;
        private boolean withKey;
        private boolean spentKey;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private Sending sending = Sending.NORMALLY;
        private boolean auditDown;

        private Builder(String method, String template, String... arguments) {
            this.method = method;
            this.template = template;
            this.arguments = Arrays.asList(arguments);
        }

        Builder withKey() {
            withKey = true;
            return this;
        }

        /** The key of the user whose daily quota of instances is spent, whose predictions all get 429. */
        Builder withSpentKey() {
            spentKey = true;
            return this;
        }

        Builder query(String text) {
            query = text;
            return this;
        }

        Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Builder accept(String mediaType) {
            return header("Accept", mediaType);
        }

        /** A JSON body, with {@code Content-Type: application/json}. */
        Builder json(String json) {
            return body("application/json", json);
        }

        Builder body(String contentType, String text) {
            body = text;
            return header("Content-Type", contentType);
        }

        /** Says a body of {@code length} bytes follows, but waits for the server before sending any of it. */
        Builder expectingContinue(long length) {
            sending = Sending.EXPECTING_CONTINUE;
            header("Content-Type", "application/json");
            header("Content-Length", String.valueOf(length));
            return header("Expect", "100-continue");
        }

        /** Sends the JSON body slower than any server takes. */
        Builder dripped(String json) {
            sending = Sending.DRIPPED;
            return json(json);
        }

        Builder whileAuditIsDown() {
            auditDown = true;
            return this;
        }

        ContractCase expect(int status) {
            return new ContractCase(method, template, List.copyOf(arguments), query, withKey, spentKey,
                    Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body, sending, auditDown, status);
        }
    }
}
