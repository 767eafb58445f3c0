package com.simplemodelapi.error;

/** The shapes an error body can take; which one a request gets depends on the protocol its path speaks. */
public enum ErrorShape {
    /** This service's own: {@code {"error": {"code", "message", "details"}, "request_id"}}. */
    STANDARD,
    /** The Open Inference Protocol's: {@code {"error": "message"}}. */
    OPEN_INFERENCE
}
