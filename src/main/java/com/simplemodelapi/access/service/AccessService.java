package com.simplemodelapi.access.service;

import com.simplemodelapi.access.dao.ApiKeyDao;
import com.simplemodelapi.access.dao.GrantDao;
import com.simplemodelapi.access.dao.UserDao;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.service.UnknownModelException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.regex.Pattern;

/** The operator's changes to users, keys and grants. Keys are returned once and only their hashes are stored. */
public class AccessService {
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Jdbi jdbi;

    public AccessService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Creates the user with a first key, and returns that key. */
    public String addUser(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw new InvalidUserNameException("A user name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a"
                    + " letter or digit; got '" + name + "'.");
        }
        return jdbi.inTransaction(handle -> {
            UserDao users = handle.attach(UserDao.class);
            if (users.findIdByName(name).isPresent()) {
                throw new UserExistsException("A user named '" + name + "' already exists; 'keys add --user " + name
                        + "' gives them another key.");
            }
            return newKey(handle, users.insert(name));
        });
    }

    public String addKey(String userName) {
        return jdbi.inTransaction(handle -> newKey(handle, userId(handle, userName)));
    }

    public void revokeKey(String key) {
        if (jdbi.onDemand(ApiKeyDao.class).revoke(ApiKeys.hash(key)) == 0) {
            throw new UnknownKeyException("No active key matches the one given; it may be mistyped or already revoked.");
        }
    }

    /** Returns false when the grant was already there. */
    public boolean grant(String userName, String modelName) {
        return jdbi.inTransaction(handle -> {
            long userId = userId(handle, userName);
            if (!handle.attach(ModelDao.class).exists(modelName)) {
                throw new UnknownModelException("There is no model named '" + modelName + "'; add it with 'models add' first.");
            }
            return handle.attach(GrantDao.class).insert(userId, modelName) > 0;
        });
    }

    public void removeGrant(String userName, String modelName) {
        jdbi.useTransaction(handle -> {
            if (handle.attach(GrantDao.class).delete(userId(handle, userName), modelName) == 0) {
                throw new UnknownGrantException("User '" + userName + "' has no grant for model '" + modelName + "'.");
            }
        });
    }

    private static long userId(Handle handle, String userName) {
        return handle.attach(UserDao.class).findIdByName(userName)
                .orElseThrow(() -> new UnknownUserException("There is no user named '" + userName + "'."));
    }

    private static String newKey(Handle handle, long userId) {
        String key = ApiKeys.generate();
        handle.attach(ApiKeyDao.class).insert(userId, ApiKeys.hash(key));
        return key;
    }
}
