package com.simplemodelapi.changes.service;

import com.simplemodelapi.changes.dao.OperatorChange;
import com.simplemodelapi.changes.dao.OperatorChangeDao;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads the change log back. */
public final class ChangeHistory {
    private final Jdbi jdbi;

    public ChangeHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The newest changes, oldest first as a history reads, and how many there were since then in all. */
    public record Recent(List<OperatorChange> changes, long matching) {
        public boolean isCut() {
            return matching > changes.size();
        }
    }

    /** The newest {@code limit} changes made at or after {@code since}, in one snapshot. */
    public Recent since(Instant since, int limit) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            OperatorChangeDao dao = handle.attach(OperatorChangeDao.class);
            List<OperatorChange> newestFirst = new ArrayList<>(dao.newestSince(since, limit));
            Collections.reverse(newestFirst);
            return new Recent(List.copyOf(newestFirst), dao.countSince(since));
        });
    }
}
