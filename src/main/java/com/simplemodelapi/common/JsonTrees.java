package com.simplemodelapi.common;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/**
 * Between Jackson's tree and the plug-in API's tree of plain Java values (maps, lists, strings, numbers, booleans).
 * Whole numbers stay whole and decimals stay doubles, either way.
 */
public final class JsonTrees {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private JsonTrees() {
    }

    /** A JSON object as a {@code Map}; the caller has checked that it is one. */
    public static Map<String, Object> toMap(JsonNode object) {
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return PLAIN.convertValue(object, OBJECT);
    }

    public static JsonNode toNode(Map<String, Object> object) {
        return PLAIN.valueToTree(object);
    }
}
