package com.simplemodelapi.error;

import java.util.List;

/**
 * What of the request body an error may show: nothing in a message, and a field name or JSON pointer only when it is
 * short and printable ASCII. A field name is the client's own data: a long one, or one holding control characters or
 * bytes outside ASCII, is not worth echoing, and would let an error body carry whatever a client wants it to.
 */
public final class ClientText {
    static final int MAX_LENGTH = 64;

    private ClientText() {
    }

    /** True for text an error may show: at most {@value #MAX_LENGTH} characters, each printable ASCII. */
    public static boolean isShowable(String text) {
        if (text.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /**
     * The RFC 6901 pointer to a place in the body, from its field names (String) and array indexes (Integer), or null
     * when it is not showable.
     */
    public static String pointer(List<Object> path) {
        StringBuilder pointer = new StringBuilder();
        for (Object step : path) {
            pointer.append('/').append(step.toString().replace("~", "~0").replace("/", "~1"));
        }
        String text = pointer.toString();
        return isShowable(text) ? text : null;
    }
}
