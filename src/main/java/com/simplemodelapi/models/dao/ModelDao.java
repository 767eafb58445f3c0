package com.simplemodelapi.models.dao;

import com.simplemodelapi.models.model.StoredModelVersion;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Collection;
import java.util.List;

@RegisterConstructorMapper(StoredModelVersion.class)
public interface ModelDao {

    /** Stores the next version of the named model; two adds of one name at once make the second fail, not clash. */
    @SqlUpdate("INSERT INTO model_versions (name, version, description, algorithm, inputs, parameters)"
            + " SELECT :name, COALESCE(MAX(version), 0) + 1, :description, :algorithm,"
            + " CAST(:inputs AS json), CAST(:parameters AS json)"
            + " FROM model_versions WHERE name = :name")
    @GetGeneratedKeys("version")
    int insertNextVersion(@Bind("name") String name, @Bind("description") String description,
                          @Bind("algorithm") String algorithm, @Bind("inputs") String inputsJson,
                          @Bind("parameters") String parametersJson);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM model_versions WHERE name = :name)")
    boolean exists(@Bind("name") String name);

    @SqlQuery("SELECT id FROM model_versions")
    List<Long> listIds();

    @SqlQuery("SELECT id, name, version, description, algorithm, inputs::text AS inputs,"
            + " parameters::text AS parameters, created_at FROM model_versions WHERE id IN (<ids>)")
    List<StoredModelVersion> findByIds(@BindList("ids") Collection<Long> ids);
}
