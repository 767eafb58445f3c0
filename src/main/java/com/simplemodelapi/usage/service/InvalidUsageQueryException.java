package com.simplemodelapi.usage.service;

import com.simplemodelapi.common.DomainException;

import java.util.List;

/** A usage query with parameters that cannot be taken: each problem by the parameter it is about. */
public class InvalidUsageQueryException extends DomainException {
    private final transient List<Problem> problems;

    /** What is wrong with one parameter ({@code from}, {@code to}, {@code granularity}, {@code model}). */
    public record Problem(String parameter, String message) {
    }

    public InvalidUsageQueryException(List<Problem> problems) {
        super(Kind.INVALID, String.join(" ", problems.stream().map(Problem::message).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
