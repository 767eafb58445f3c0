# Build: the shaded jar, with -Pcontainer (pom.xml): native libraries for linux x86-64 only, and no embedded
# PostgreSQL. Tests run in CI (they start PostgreSQL, which a build container is not the place for), so here they are
# not even compiled.
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
# The dependency layer, rebuilt only when pom.xml changes: the very package command below, run on no sources, fetches
# every artifact it needs, plugins and their own dependencies included (dependency:go-offline misses some). The
# package after it runs offline, so a source change downloads nothing and anything missing fails the build.
RUN mvn -B -q -Pcontainer -Dmaven.test.skip=true package && rm -rf target
COPY src/main ./src/main
RUN mvn -B -q -o -Pcontainer -Dmaven.test.skip=true package

# Run: a JRE only, as an unprivileged user given by number (runAsNonRoot can check it), with the audit log's
# directory its own, and no /tmp/hsperfdata_root from the base image's own runs of java. The jar carries ONNX
# Runtime for linux x86-64 alone, so the image is linux/amd64 alone.
FROM eclipse-temurin:17.0.20.1_1-jre-noble
RUN if [ "$(uname -m)" != x86_64 ]; then echo "The image is for linux/amd64: build it with --platform linux/amd64" >&2; \
      exit 1; fi \
 && groupadd --gid 10001 app \
 && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
 && mkdir -p /app/logs \
 && chown 10001:10001 /app/logs \
 && rm -rf /tmp/hsperfdata_*
WORKDIR /app
COPY --from=build /build/target/simple-model-api.jar /app/simple-model-api.jar
COPY config.yml /app/config.yml
COPY src/main/docker/healthcheck /app/healthcheck
# Class-data sharing: a dry run (the check command, which parses and validates the configuration) records the
# classes every start loads (Dropwizard, Jackson, Hibernate Validator, logging) in an archive that the JVM then maps
# instead of reading them from the jar: on two cores, a start to a healthy server took 0.7 to 1 s less (a sixth less
# CPU). Classes CDS cannot archive (reflection accessors generated at run time, JFR's) would each print a warning;
# -Xlog keeps its errors only, and -XX:-UsePerfData leaves no /tmp/hsperfdata_root behind.
RUN java -XX:-UsePerfData -Xlog:cds*=error -XX:ArchiveClassesAtExit=/app/simple-model-api.jsa \
        -jar /app/simple-model-api.jar check /app/config.yml
USER 10001:10001
# No embedded PostgreSQL here: without DATABASE_URL the server and every command stop with one line saying so.
# JAVA_OPTS: 40% of the container's memory for the heap, the rest for ONNX Runtime, metaspace, code and threads (see the
# README). Replace it to change that: options in JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS would print a line on every start.
ENV AUDIT_LOG=/app/logs/audit.log \
    EMBEDDED_DATABASE=false \
    JAVA_OPTS="-XX:MaxRAMPercentage=40"
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/app/healthcheck"]
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -XX:SharedArchiveFile=/app/simple-model-api.jsa -jar /app/simple-model-api.jar \"$@\"", "--"]
CMD ["server", "/app/config.yml"]
