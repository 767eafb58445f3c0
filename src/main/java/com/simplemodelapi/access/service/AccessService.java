package com.simplemodelapi.access.service;

import com.simplemodelapi.access.dao.ApiKeyDao;
import com.simplemodelapi.access.dao.GrantDao;
import com.simplemodelapi.access.dao.KeyRow;
import com.simplemodelapi.access.dao.UserDao;
import com.simplemodelapi.access.dao.UserLimitsDao;
import com.simplemodelapi.access.dao.UserLimitsRow;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.changes.service.ChangeLog;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.service.UnknownModelException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator's changes to users, keys and grants, each in one transaction, which also writes it to the change log
 * (by a key's id, never the key). Keys are returned once and only their hashes (and the few characters shown to tell
 * them apart) are stored.
 */
public class AccessService {
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Jdbi jdbi;
    private final ChangeLog changes;

    public AccessService(Jdbi jdbi) {
        this(jdbi, ChangeLog.ofThisProcess());
    }

    public AccessService(Jdbi jdbi, ChangeLog changes) {
        this.jdbi = jdbi;
        this.changes = changes;
    }

    /** Creates the user with a first key, and returns that key. */
    public IssuedKey addUser(String name) {
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
            IssuedKey issued = newKey(handle, users.insert(name), name);
            changes.record(handle, "users add", name, Map.of("key_id", issued.id()));
            return issued;
        });
    }

    public IssuedKey addKey(String userName) {
        return jdbi.inTransaction(handle -> {
            IssuedKey issued = newKey(handle, userId(handle, userName), userName);
            changes.record(handle, "keys add", userName, Map.of("key_id", issued.id()));
            return issued;
        });
    }

    /** Revokes the key with this id and returns it as it now stands. */
    public KeyRow revokeKeyById(long id) {
        return jdbi.inTransaction(handle -> {
            ApiKeyDao keys = handle.attach(ApiKeyDao.class);
            KeyRow key = keys.findById(id)
                    .orElseThrow(() -> new UnknownKeyException("There is no key with id " + id + "; 'keys list'"
                            + " shows the ids."));
            return revoke(handle, keys, key);
        });
    }

    /** Revokes the key itself (read from somewhere safer than the command line) and returns it as it now stands. */
    public KeyRow revokeKey(String key) {
        if (!ApiKeys.isWellFormed(key)) {
            throw new MalformedKeyException("That is not an API key: a key is 'sma_' followed by 43 letters, digits,"
                    + " '_' or '-'.");
        }
        return jdbi.inTransaction(handle -> {
            ApiKeyDao keys = handle.attach(ApiKeyDao.class);
            KeyRow row = keys.findByHash(ApiKeys.hash(key))
                    .orElseThrow(() -> new UnknownKeyException("No active key matches the one given; it may be mistyped."));
            return revoke(handle, keys, row);
        });
    }

    private KeyRow revoke(Handle handle, ApiKeyDao keys, KeyRow key) {
        // The UPDATE locks the row, so of two revokes at once only one changes it.
        if (keys.revoke(key.id()) == 0) {
            KeyRow revoked = keys.findById(key.id()).orElseThrow();
            throw new UnknownKeyException("No active key matches: key " + key.id() + " of user '" + key.user()
                    + "' was revoked at " + revoked.revokedAt().truncatedTo(ChronoUnit.SECONDS) + ".");
        }
        changes.record(handle, "keys revoke", key.user(), Map.of("key_id", key.id()));
        return keys.findById(key.id()).orElseThrow();
    }

    /** Returns false when the grant was already there. */
    public boolean grant(String userName, String modelName) {
        return jdbi.inTransaction(handle -> {
            long userId = userId(handle, userName);
            if (!handle.attach(ModelDao.class).exists(modelName)) {
                throw new UnknownModelException("There is no model named '" + modelName + "'; add it with 'models add' first.");
            }
            boolean added = handle.attach(GrantDao.class).insert(userId, modelName) > 0;
            if (added) {
                changes.record(handle, "grants add", userName, Map.of("model", modelName));
            }
            return added;
        });
    }

    public void removeGrant(String userName, String modelName) {
        jdbi.useTransaction(handle -> {
            if (handle.attach(GrantDao.class).delete(userId(handle, userName), modelName) == 0) {
                throw new UnknownGrantException("User '" + userName + "' has no grant for model '" + modelName + "'.");
            }
            changes.record(handle, "grants remove", userName, Map.of("model", modelName));
        });
    }

    /**
     * Disables a user: servers refuse all their keys as if unknown, once they refresh their catalog (which the change's
     * notification makes them do at once). Their keys and grants are kept. Returns false, changing nothing, when they
     * were disabled already.
     */
    public boolean disableUser(String userName) {
        return jdbi.inTransaction(handle -> {
            if (handle.attach(UserDao.class).disable(userId(handle, userName)) == 0) {
                return false;
            }
            changes.record(handle, "users disable", userName, Map.of());
            return true;
        });
    }

    /** Enables a disabled user: their keys that are not revoked work again. False when they were not disabled. */
    public boolean enableUser(String userName) {
        return jdbi.inTransaction(handle -> {
            if (handle.attach(UserDao.class).enable(userId(handle, userName)) == 0) {
                return false;
            }
            changes.record(handle, "users enable", userName, Map.of());
            return true;
        });
    }

    /**
     * Sets limits on a user: those {@code given} replace the user's, the others (null there) stay. Servers
     * enforce them once they refresh their catalog, which the change's notification makes them do at once. Returns
     * the user's limits as they now stand.
     */
    public Limits setLimits(String userName, Limits given) {
        if (given.isEmpty()) {
            throw new InvalidLimitsException("Give at least one limit to set (--rate, --burst, --daily-instances,"
                    + " --monthly-instances), or --clear to remove them all.");
        }
        return jdbi.inTransaction(handle -> {
            long userId = userId(handle, userName);
            UserLimitsDao limits = handle.attach(UserLimitsDao.class);
            Limits now = limits.find(userId).map(AccessService::limitsOf).orElse(Limits.NONE).with(given);
            if (now.burst() != null && now.ratePerSecond() == null) {
                throw new InvalidLimitsException("A burst is the size of a rate limit's bucket: give --rate with it.");
            }
            limits.put(userId, now.ratePerSecond(), now.burst(), now.dailyInstances(), now.monthlyInstances());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("rate_per_second", now.ratePerSecond());
            details.put("burst", now.burst());
            details.put("daily_instances", now.dailyInstances());
            details.put("monthly_instances", now.monthlyInstances());
            changes.record(handle, "users limit", userName, details);
            return now;
        });
    }

    /** Removes every limit on a user; false, changing nothing, when they had none. */
    public boolean clearLimits(String userName) {
        return jdbi.inTransaction(handle -> {
            if (handle.attach(UserLimitsDao.class).delete(userId(handle, userName)) == 0) {
                return false;
            }
            changes.record(handle, "users limit --clear", userName, Map.of());
            return true;
        });
    }

    /** A user's limits; {@link Limits#NONE} when they have none. */
    public Limits limits(String userName) {
        return jdbi.inTransaction(handle -> handle.attach(UserLimitsDao.class).find(userId(handle, userName))
                .map(AccessService::limitsOf).orElse(Limits.NONE));
    }

    private static Limits limitsOf(UserLimitsRow row) {
        return new Limits(row.ratePerSecond(), row.burst(), row.dailyInstances(), row.monthlyInstances());
    }

    static long userId(Handle handle, String userName) {
        return handle.attach(UserDao.class).findIdByName(userName)
                .orElseThrow(() -> new UnknownUserException("There is no user named '" + userName + "'."));
    }

    private static IssuedKey newKey(Handle handle, long userId, String userName) {
        String key = ApiKeys.generate();
        String prefix = ApiKeys.shownPrefix(key);
        long id = handle.attach(ApiKeyDao.class).insert(userId, ApiKeys.hash(key), prefix);
        return new IssuedKey(userName, id, prefix, key);
    }
}
