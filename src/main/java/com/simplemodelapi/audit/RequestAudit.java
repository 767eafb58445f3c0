package com.simplemodelapi.audit;

/**
 * What the resources learn about a request that the audit line needs: who called, and which model they used.
 * The {@link AuditFilter} starts one for every request; the key filter and the resources fill it in.
 * <p>
 * It travels with the thread, as the request id does in the MDC. Jersey serves each request on the thread that runs
 * the audit filter (no resource here is asynchronous), and a thread-bound record costs nothing per request, where
 * injecting the request into every resource method cost an HK2 lookup per call.
 */
public final class RequestAudit {
    private static final ThreadLocal<RequestAudit> CURRENT = new ThreadLocal<>();

    private String user;
    private Long keyId;
    private String model;
    private Integer version;
    private Integer instances;

    static RequestAudit begin() {
        RequestAudit audit = new RequestAudit();
        CURRENT.set(audit);
        return audit;
    }

    static void end() {
        CURRENT.remove();
    }

    /** The record of the request this thread serves; outside a request (a unit test), one that nothing reads. */
    public static RequestAudit current() {
        RequestAudit audit = CURRENT.get();
        return audit != null ? audit : new RequestAudit();
    }

    /** Who called, and with which of their keys. */
    public void caller(String name, long keyId) {
        this.user = name;
        this.keyId = keyId;
    }

    public void model(String name, Integer version) {
        this.model = name;
        this.version = version;
    }

    public void instances(int count) {
        this.instances = count;
    }

    String user() {
        return user;
    }

    Long keyId() {
        return keyId;
    }

    String model() {
        return model;
    }

    Integer version() {
        return version;
    }

    Integer instances() {
        return instances;
    }
}
