package com.simplemodelapi.usage.service;

import java.util.List;

/**
 * What a limited caller's request was told: the limits that apply to it as this server enforces them, how much of each
 * is left, and, when it is refused, why and how many seconds until a retry can succeed.
 *
 * @param refusal null for a request let through, else {@code rate_limited} or {@code quota_exceeded}
 */
public record Admission(List<Policy> policies, String refusal, String message, long retryAfterSeconds) {

    /**
     * One limit, as the IETF httpapi draft's {@code RateLimit-Policy} and {@code RateLimit} fields name it.
     *
     * @param quota      the requests (or instances) the window allows
     * @param unit       {@code requests} or {@code instances}
     * @param window     the window's length in seconds
     * @param remaining  what is left of the quota now
     * @param resetSeconds seconds until all of the quota is available again
     */
    public record Policy(String name, long quota, String unit, long window, long remaining, long resetSeconds) {
    }

    public boolean refused() {
        return refusal != null;
    }

    /** {@code RateLimit-Policy}: {@code "rate";q=100;w=2, "daily";q=1000;qu="instances";w=86400}. */
    public String policyHeader() {
        StringBuilder header = new StringBuilder();
        for (Policy policy : policies) {
            separate(header).append('"').append(policy.name()).append("\";q=").append(policy.quota());
            if (!policy.unit().equals("requests")) {
                header.append(";qu=\"").append(policy.unit()).append('"');
            }
            header.append(";w=").append(policy.window());
        }
        return header.toString();
    }

    /** {@code RateLimit}: {@code "rate";r=99;t=1, "daily";r=990;t=3600}. */
    public String rateLimitHeader() {
        StringBuilder header = new StringBuilder();
        for (Policy policy : policies) {
            separate(header).append('"').append(policy.name()).append("\";r=").append(policy.remaining())
                    .append(";t=").append(policy.resetSeconds());
        }
        return header.toString();
    }

    private static StringBuilder separate(StringBuilder header) {
        return header.isEmpty() ? header : header.append(", ");
    }
}
