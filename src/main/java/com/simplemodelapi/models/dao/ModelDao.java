package com.simplemodelapi.models.dao;

import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

@RegisterConstructorMapper(StoredModelVersion.class)
public interface ModelDao {

    /** Stores the next version of the named model; two adds of one name at once make the second fail, not clash. */
    @SqlUpdate("INSERT INTO model_versions (name, version, description, algorithm, inputs, parameters)"
            + " SELECT :name, COALESCE(MAX(version), 0) + 1, :description, :algorithm,"
            + " CAST(:inputs AS json), CAST(:parameters AS json)"
            + " FROM model_versions WHERE name = :name")
    @GetGeneratedKeys({"id", "version"})
    @RegisterConstructorMapper(NewVersion.class)
    NewVersion insertNextVersion(@Bind("name") String name, @Bind("description") String description,
                                 @Bind("algorithm") String algorithm, @Bind("inputs") String inputsJson,
                                 @Bind("parameters") String parametersJson);

    @SqlUpdate("INSERT INTO model_artifacts (model_version_id, content, sha256, size_bytes)"
            + " VALUES (:versionId, :content, :sha256, :sizeBytes)")
    void insertArtifact(@Bind("versionId") long versionId, @Bind("content") byte[] content,
                        @Bind("sha256") String sha256, @Bind("sizeBytes") long sizeBytes);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM model_versions WHERE name = :name)")
    boolean exists(@Bind("name") String name);

    /** The ids of the versions that are served: every one not retired. */
    @SqlQuery("SELECT id FROM model_versions WHERE retired_at IS NULL")
    List<Long> listServedIds();

    @SqlQuery("SELECT name, version FROM model_versions WHERE retired_at IS NOT NULL")
    @RegisterConstructorMapper(VersionNumber.class)
    List<VersionNumber> listRetired();

    /** 0 when the version does not exist or is retired already. */
    @SqlUpdate("UPDATE model_versions SET retired_at = now()"
            + " WHERE name = :name AND version = :version AND retired_at IS NULL")
    int retire(@Bind("name") String name, @Bind("version") int version);

    /** 0 when the version does not exist or is not retired. */
    @SqlUpdate("UPDATE model_versions SET retired_at = NULL"
            + " WHERE name = :name AND version = :version AND retired_at IS NOT NULL")
    int restore(@Bind("name") String name, @Bind("version") int version);

    /** The model's newest version; empty when there is no such model. */
    @SqlQuery("SELECT max(version) FROM model_versions WHERE name = :name")
    Optional<Integer> newestVersion(@Bind("name") String name);

    /** The model's newest version that is not retired; empty when every one is, or there is no such model. */
    @SqlQuery("SELECT max(version) FROM model_versions WHERE name = :name AND retired_at IS NULL")
    Optional<Integer> newestNotRetired(@Bind("name") String name);

    @SqlQuery("SELECT v.id, v.name, v.version, v.description, v.algorithm, v.inputs::text AS inputs,"
            + " v.parameters::text AS parameters, v.created_at,"
            + " a.sha256 AS artifact_sha256, a.size_bytes AS artifact_size_bytes"
            + " FROM model_versions v LEFT JOIN model_artifacts a ON a.model_version_id = v.id"
            + " WHERE v.id IN (<ids>) ORDER BY v.id")
    List<StoredModelVersion> findByIds(@BindList("ids") Collection<Long> ids);

    @SqlQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = :name")
    int nextVersion(@Bind("name") String name);

    @SqlQuery("SELECT id FROM model_versions WHERE name = :name AND version = :version")
    Optional<Long> findId(@Bind("name") String name, @Bind("version") int version);

    /** Every model, by name. */
    @SqlQuery("SELECT name,"
            + " MAX(version) FILTER (WHERE retired_at IS NULL) AS latest_version,"
            + " (ARRAY_AGG(algorithm ORDER BY retired_at IS NULL DESC, version DESC))[1] AS algorithm,"
            + " COUNT(*) AS versions,"
            + " COUNT(*) FILTER (WHERE retired_at IS NOT NULL) AS retired_versions,"
            + " MIN(created_at) AS created_at"
            + " FROM model_versions GROUP BY name ORDER BY name")
    @RegisterConstructorMapper(ModelRow.class)
    List<ModelRow> listRows();

    /** The versions of one model, oldest first; empty for a model that does not exist. */
    @SqlQuery("SELECT v.version, v.algorithm, v.created_at, v.retired_at,"
            + " a.sha256 AS artifact_sha256, a.size_bytes AS artifact_size_bytes"
            + " FROM model_versions v LEFT JOIN model_artifacts a ON a.model_version_id = v.id"
            + " WHERE v.name = :name ORDER BY v.version")
    @RegisterConstructorMapper(VersionRow.class)
    List<VersionRow> listVersionRows(@Bind("name") String name);

    @SqlQuery("SELECT content FROM model_artifacts WHERE model_version_id = :versionId")
    @SingleValue
    byte[] findArtifact(@Bind("versionId") long versionId);
}
