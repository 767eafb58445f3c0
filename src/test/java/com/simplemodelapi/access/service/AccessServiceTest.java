package com.simplemodelapi.access.service;

import com.simplemodelapi.models.service.UnknownModelException;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests share one database, so each uses user and model names of its own. */
class AccessServiceTest {
    private static Jdbi jdbi;
    private static TestData data;
    private static AccessService access;

    @BeforeAll
    static void database() {
        jdbi = TestPostgres.newMigratedJdbi();
        data = new TestData(jdbi);
        access = data.access();
    }

    private static long count(String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    private static long keysOf(String user) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.name = :name")
                .bind("name", user).mapTo(Long.class).one());
    }

    private static Optional<Instant> revokedAt(String key) {
        return Optional.ofNullable(jdbi.withHandle(h -> h.createQuery(
                        "SELECT revoked_at FROM api_keys WHERE key_hash = :hash")
                .bind("hash", ApiKeys.hash(key)).mapTo(Instant.class).one()));
    }

    private static boolean granted(String user, String model) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM grants g JOIN users u"
                        + " ON u.id = g.user_id WHERE u.name = :user AND g.model_name = :model)")
                .bind("user", user).bind("model", model).mapTo(Boolean.class).one());
    }

    @Test
    void addUserReturnsAKeyWhoseHashIsStored() {
        String key = access.addUser("alice").key();

        assertThat(key).startsWith("sma_");
        String storedHash = jdbi.withHandle(h -> h.createQuery("SELECT k.key_hash FROM api_keys k"
                        + " JOIN users u ON u.id = k.user_id WHERE u.name = 'alice'")
                .mapTo(String.class).one());
        assertThat(storedHash).isEqualTo(ApiKeys.hash(key));
        assertThat(revokedAt(key)).isEmpty();
    }

    @Test
    void theKeyItselfIsStoredNowhere() {
        String key = access.addUser("carol").key();
        String secret = key.substring("sma_".length());
        String another = access.addKey("carol").key();

        List<String[]> textColumns = jdbi.withHandle(h -> h.createQuery(
                        "SELECT table_name, column_name FROM information_schema.columns"
                                + " WHERE table_schema = current_schema() AND table_name IN ('api_keys', 'users')"
                                + " AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
        assertThat(textColumns).extracting(c -> c[0] + "." + c[1])
                .contains("api_keys.key_hash", "users.name");

        for (String[] column : textColumns) {
            for (String needle : List.of(key, secret, another, another.substring(4))) {
                long hits = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + column[0]
                                + " WHERE strpos(" + column[1] + "::text, :needle) > 0")
                        .bind("needle", needle).mapTo(Long.class).one());
                assertThat(hits).as("rows of %s.%s holding the key", column[0], column[1]).isZero();
            }
        }
        // Whole rows as text cover every column, whatever its type.
        for (String table : List.of("api_keys", "users")) {
            long hits = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table + " t"
                            + " WHERE strpos(t::text, :secret) > 0")
                    .bind("secret", secret).mapTo(Long.class).one());
            assertThat(hits).as("rows of %s holding the key", table).isZero();
        }
    }

    @Test
    void aDuplicateUserIsRejectedAndNothingIsStored() {
        access.addUser("dave");
        long users = count("users");
        long keys = count("api_keys");

        assertThatThrownBy(() -> access.addUser("dave"))
                .isInstanceOf(UserExistsException.class)
                .hasMessageContaining("'dave' already exists");

        assertThat(count("users")).isEqualTo(users);
        assertThat(count("api_keys")).isEqualTo(keys);
        assertThat(keysOf("dave")).isEqualTo(1);
    }

    @Test
    void badUserNamesAreRejectedAndNothingIsStored() {
        long users = count("users");
        long keys = count("api_keys");

        for (String bad : new String[] {null, "", " ", "has space", "-leading-dash", ".dot", "semi;colon",
                "caf\u00e9", "a".repeat(65), "new\nline"}) {
            assertThatThrownBy(() -> access.addUser(bad))
                    .as("user name %s", bad)
                    .isInstanceOf(InvalidUserNameException.class)
                    .hasMessageContaining("A user name is 1 to 64");
        }

        assertThat(count("users")).isEqualTo(users);
        assertThat(count("api_keys")).isEqualTo(keys);
    }

    @Test
    void acceptsUserNamesOfAllowedCharactersUpTo64Long() {
        for (String good : new String[] {"e", "Erin.O_Brien-2", "erin@example.com", "9lives", "e".repeat(64)}) {
            assertThat(access.addUser(good).key()).startsWith("sma_");
        }
    }

    @Test
    void addKeyGivesAnExistingUserAnotherWorkingKey() {
        String first = access.addUser("frank").key();

        String second = access.addKey("frank").key();

        assertThat(second).startsWith("sma_").isNotEqualTo(first);
        assertThat(keysOf("frank")).isEqualTo(2);
        assertThat(revokedAt(second)).isEmpty();
    }

    @Test
    void addKeyForAnUnknownUserIsRejected() {
        long keys = count("api_keys");

        assertThatThrownBy(() -> access.addKey("nobody"))
                .isInstanceOf(UnknownUserException.class)
                .hasMessage("There is no user named 'nobody'.");
        assertThat(count("api_keys")).isEqualTo(keys);
    }

    @Test
    void revokeKeySetsRevokedAtAndASecondRevokeFails() {
        String key = access.addUser("grace").key();
        String other = access.addKey("grace").key();

        access.revokeKey(key);

        assertThat(revokedAt(key)).isPresent();
        assertThat(revokedAt(other)).as("the user's other key").isEmpty();
        assertThatThrownBy(() -> access.revokeKey(key))
                .isInstanceOf(UnknownKeyException.class)
                .hasMessageContaining("No active key matches");
    }

    @Test
    void aNewKeyKeepsItsFirstEightCharactersAfterThePrefixAndComesBackWithItsId() {
        IssuedKey first = access.addUser("kim");
        IssuedKey second = access.addKey("kim");

        for (IssuedKey issued : List.of(first, second)) {
            assertThat(issued.prefix()).hasSize(8).isEqualTo(issued.key().substring(4, 12));
            assertThat(issued.id()).isEqualTo(data.keyId(issued.key()));
            assertThat(issued.toString()).as("a key logged by accident").doesNotContain(issued.key());
            String stored = jdbi.withHandle(h -> h.createQuery("SELECT prefix FROM api_keys WHERE id = :id")
                    .bind("id", issued.id()).mapTo(String.class).one());
            assertThat(stored).isEqualTo(issued.prefix());
        }
        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void revokeKeyByIdRevokesThatKeyOnlyAndOnce() {
        IssuedKey key = access.addUser("lena");
        String other = access.addKey("lena").key();

        assertThat(access.revokeKeyById(key.id()).revokedAt()).isNotNull();

        assertThat(revokedAt(key.key())).isPresent();
        assertThat(revokedAt(other)).isEmpty();
        assertThatThrownBy(() -> access.revokeKeyById(key.id()))
                .isInstanceOf(UnknownKeyException.class)
                .hasMessageContainingAll("No active key matches", "key " + key.id(), "'lena'", "revoked at");
        assertThatThrownBy(() -> access.revokeKeyById(987_654_321L))
                .isInstanceOf(UnknownKeyException.class)
                .hasMessageContaining("There is no key with id 987654321");
    }

    @Test
    void revokingTextThatIsNoKeyFails() {
        assertThatThrownBy(() -> access.revokeKey("sma_short"))
                .isInstanceOf(MalformedKeyException.class)
                .hasMessageContaining("not an API key")
                .hasMessageNotContaining("sma_short");
    }

    @Test
    void revokingAnUnknownKeyFails() {
        assertThatThrownBy(() -> access.revokeKey(ApiKeys.generate()))
                .isInstanceOf(UnknownKeyException.class)
                .hasMessageContaining("No active key matches");
    }

    @Test
    void grantNeedsAnExistingUserAndModelAndGrantingTwiceReturnsFalse() {
        access.addUser("heidi");
        data.linearModel("heidi-model", 1.0);

        assertThat(access.grant("heidi", "heidi-model")).isTrue();
        assertThat(granted("heidi", "heidi-model")).isTrue();
        assertThat(access.grant("heidi", "heidi-model")).isFalse();
        assertThat(granted("heidi", "heidi-model")).isTrue();
    }

    @Test
    void grantForAnUnknownUserOrModelIsRejectedAndNothingIsStored() {
        access.addUser("ivan");
        data.linearModel("ivan-model", 1.0);
        long grants = count("grants");

        assertThatThrownBy(() -> access.grant("nobody", "ivan-model"))
                .isInstanceOf(UnknownUserException.class)
                .hasMessage("There is no user named 'nobody'.");
        assertThatThrownBy(() -> access.grant("ivan", "no-such-model"))
                .isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("There is no model named 'no-such-model'");

        assertThat(count("grants")).isEqualTo(grants);
    }

    @Test
    void removeGrantRemovesItAndRemovingAMissingGrantFails() {
        access.addUser("judy");
        data.linearModel("judy-model", 1.0);
        access.grant("judy", "judy-model");

        access.removeGrant("judy", "judy-model");

        assertThat(granted("judy", "judy-model")).isFalse();
        assertThatThrownBy(() -> access.removeGrant("judy", "judy-model"))
                .isInstanceOf(UnknownGrantException.class)
                .hasMessage("User 'judy' has no grant for model 'judy-model'.");
        assertThatThrownBy(() -> access.removeGrant("nobody", "judy-model"))
                .isInstanceOf(UnknownUserException.class)
                .hasMessage("There is no user named 'nobody'.");
    }

    @Test
    void generatedKeysAre256UrlSafeRandomBits() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).matches("sma_[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(key.substring(4))).hasSize(32);
            keys.add(key);
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void hashIsTheSha256HexOfTheUtf8Key() {
        // Vectors from `printf %s abc | sha256sum` and python3 hashlib.sha256('sma_é'.encode()).
        assertThat(ApiKeys.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.hash(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ApiKeys.hash("sma_\u00e9"))
                .isEqualTo("4ad5fd7a52a4faf503d51c5b9395ca964ac1ed089cdc3c790856bf30420b813d");
    }
}
