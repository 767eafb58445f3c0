package com.simplemodelapi.prometheus;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The route label, from resources as Jersey models them: any version of the API, with no list of paths kept here. */
class RoutesTest {
    @Path("/v2")
    public static class OpenInferenceLike {
        @GET
        @Path("/health/ready")
        public String ready() {
            return "";
        }

        @GET
        @Path("/models/{name}")
        public String model(@PathParam("name") String name) {
            return name;
        }

        @GET
        @Path("/models/{name}/ready")
        public String modelReady(@PathParam("name") String name) {
            return name;
        }

        @POST
        @Path("/models/{name}/infer")
        public String infer(@PathParam("name") String name) {
            return name;
        }

        @POST
        @Path("models/{name}/versions/{version: [0-9]+}/infer/")
        public String inferVersion(@PathParam("name") String name, @PathParam("version") int version) {
            return name;
        }
    }

    @Path("/things/")
    public static class Things {
        @GET
        public String list() {
            return "";
        }

        @GET
        @Path("{id}")
        public String one(@PathParam("id") String id) {
            return id;
        }

        @GET
        @Path("all")
        public String all() {
            return "";
        }
    }

    private static Routes learnt(String prefix) {
        Routes routes = new Routes(() -> prefix);
        routes.learn(new ResourceModel.Builder(false)
                .addResource(Resource.from(OpenInferenceLike.class))
                .addResource(Resource.from(Things.class))
                .build());
        return routes;
    }

    @Test
    void aPathFallsUnderItsTemplate() {
        Routes routes = learnt("/");
        assertThat(routes.of("/v2/models/iris/infer")).isEqualTo("/v2/models/{name}/infer");
        assertThat(routes.of("/v2/models/iris/versions/3/infer")).isEqualTo("/v2/models/{name}/versions/{version}/infer");
        assertThat(routes.of("/v2/models/iris")).isEqualTo("/v2/models/{name}");
        assertThat(routes.of("/v2/models/iris/")).isEqualTo("/v2/models/{name}");
        assertThat(routes.of("/v2/models/iris/ready")).isEqualTo("/v2/models/{name}/ready");
        assertThat(routes.of("/v2/health/ready")).isEqualTo("/v2/health/ready");
        assertThat(routes.of("/things")).isEqualTo("/things");
        assertThat(routes.of("/things/42")).isEqualTo("/things/{id}");
    }

    @Test
    void aLiteralSegmentWinsOverAParameter() {
        assertThat(learnt("/").of("/things/all")).isEqualTo("/things/all");
    }

    @Test
    void anythingElseIsOther() {
        Routes routes = learnt("/");
        assertThat(routes.of("/v3/models/iris/infer")).isEqualTo(Routes.OTHER);
        assertThat(routes.of("/v2/models/iris/infer/more")).isEqualTo(Routes.OTHER);
        assertThat(routes.of("/")).isEqualTo(Routes.OTHER);
        assertThat(routes.of("")).isEqualTo(Routes.OTHER);
        assertThat(routes.of(null)).isEqualTo(Routes.OTHER);
        assertThat(new Routes(() -> "/").of("/v2/health/ready")).as("before Jersey has started").isEqualTo(Routes.OTHER);
    }

    @Test
    void templatesSitUnderThePathJerseyIsServedAt() {
        Routes routes = learnt("/api//");
        assertThat(routes.of("/api/v2/models/iris/infer")).isEqualTo("/api/v2/models/{name}/infer");
        assertThat(routes.of("/v2/models/iris/infer")).isEqualTo(Routes.OTHER);
        assertThat(routes.templates()).allSatisfy(template -> assertThat(template).startsWith("/api/"));
    }
}
