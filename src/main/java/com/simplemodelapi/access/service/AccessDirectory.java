package com.simplemodelapi.access.service;

import com.simplemodelapi.access.dao.ApiKeyDao;
import com.simplemodelapi.access.dao.GrantDao;
import com.simplemodelapi.access.dao.GrantRow;
import com.simplemodelapi.access.dao.KeyRow;
import com.simplemodelapi.access.dao.UserDao;
import com.simplemodelapi.access.dao.UserRow;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.service.UnknownModelException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.util.List;

/**
 * What operators look up about users, keys and grants. A name that does not exist is an error; a question with no
 * answer is an empty list. Keys appear by id and prefix only.
 */
public class AccessDirectory {
    private final Jdbi jdbi;

    public AccessDirectory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<UserRow> users() {
        return jdbi.onDemand(UserDao.class).listRows();
    }

    /** The user with their keys and grants, all read at one moment. */
    public UserDetails user(String name) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            long id = AccessService.userId(handle, name);
            UserRow user = handle.attach(UserDao.class).findRow(name).orElseThrow();
            return new UserDetails(user, handle.attach(ApiKeyDao.class).listForUser(id),
                    handle.attach(GrantDao.class).listRowsForUser(id));
        });
    }

    /** Every key, revoked ones included, of one user or (for a null user) of everyone. */
    public List<KeyRow> keys(String userName) {
        if (userName == null) {
            return jdbi.onDemand(ApiKeyDao.class).listAll();
        }
        return jdbi.withHandle(handle -> handle.attach(ApiKeyDao.class)
                .listForUser(AccessService.userId(handle, userName)));
    }

    /** The grants of one user, of one model, or (both null) all of them. */
    public List<GrantRow> grants(String userName, String modelName) {
        return jdbi.withHandle(handle -> {
            GrantDao grants = handle.attach(GrantDao.class);
            if (userName != null) {
                return grants.listRowsForUser(AccessService.userId(handle, userName));
            }
            if (modelName != null) {
                if (!handle.attach(ModelDao.class).exists(modelName)) {
                    throw new UnknownModelException("There is no model named '" + modelName + "'.");
                }
                return grants.listRowsForModel(modelName);
            }
            return grants.listRows();
        });
    }
}
