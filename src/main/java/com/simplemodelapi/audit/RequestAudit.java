package com.simplemodelapi.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * What the resources learn about a request that the audit line needs: who called, and which model they used.
 * The {@link AuditFilter} puts one on every request; resources fill it in.
 */
public final class RequestAudit {
    private static final String ATTRIBUTE = RequestAudit.class.getName();

    private String user;
    private String model;
    private Integer version;
    private Integer instances;

    static RequestAudit attachTo(HttpServletRequest request) {
        RequestAudit audit = new RequestAudit();
        request.setAttribute(ATTRIBUTE, audit);
        return audit;
    }

    public static RequestAudit of(HttpServletRequest request) {
        return orNew(request.getAttribute(ATTRIBUTE));
    }

    /** The same, from a Jersey filter: Jersey's request properties are the servlet request's attributes. */
    public static RequestAudit of(ContainerRequestContext request) {
        return orNew(request.getProperty(ATTRIBUTE));
    }

    private static RequestAudit orNew(Object attribute) {
        return attribute instanceof RequestAudit audit ? audit : new RequestAudit();
    }

    public void user(String name) {
        this.user = name;
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
