package com.simplemodelapi.bench;

import java.util.List;

/**
 * Hands out the records of a batch one at a time, each as a batch of one, going round them: a single-record benchmark
 * then does not time the same record on every call.
 */
final class InTurn<T> {
    private final List<List<T>> singles;
    private int next;

    InTurn(List<T> batch) {
        this.singles = batch.stream().map(List::of).toList();
    }

    List<T> next() {
        List<T> single = singles.get(next);
        next = next + 1 == singles.size() ? 0 : next + 1;
        return single;
    }
}
