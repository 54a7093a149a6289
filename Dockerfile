# DecisionGraph container image: `dg serve` as a non-root user.
#   docker build -t decisiongraph:local .
#   docker run --rm -v dg-data:/var/lib/decisiongraph decisiongraph:local migrate /var/lib/decisiongraph/decisiongraph.db
#   docker run --rm -v dg-data:/var/lib/decisiongraph decisiongraph:local accounts bootstrap /var/lib/decisiongraph/decisiongraph.db
#   docker run -d -p 8080:8080 -v dg-data:/var/lib/decisiongraph decisiongraph:local
# Postgres instead of the SQLite file: -e DG_DATABASE_URL=jdbc:postgresql://db:5432/decisiongraph -e DG_DB_USER=... -e DG_DB_PASSWORD=...
# Every DG_* variable: docs/CONFIGURATION.md. Operations (backup, restore, upgrade): docs/OPERATIONS.md.

# --- build: the Maven wrapper on a JDK 25 image (the project builds with JDK 21+, targets Java 21) ---------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -pl cli -am package -DskipTests && cp cli/target/dg.jar /dg.jar

# --- run: a JRE 21 image, non-root ---------------------------------------------------------------------------------
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 dg \
 && useradd --system --uid 10001 --gid dg --home-dir /var/lib/decisiongraph --shell /usr/sbin/nologin dg \
 && mkdir -p /opt/decisiongraph /var/lib/decisiongraph \
 && chown dg:dg /var/lib/decisiongraph
COPY --from=build /dg.jar /opt/decisiongraph/dg.jar
COPY packaging/docker/dg /usr/local/bin/dg
RUN chmod 0755 /usr/local/bin/dg
ENV DG_DEPLOYMENT_ENV=prod \
    DG_DATABASE_URL=/var/lib/decisiongraph/decisiongraph.db \
    DG_BIND=0.0.0.0 \
    DG_PORT=8080 \
    DG_JAVA_OPTS="-XX:MaxRAMPercentage=75" \
    LANG=C.UTF-8 \
    LC_ALL=C.UTF-8
VOLUME /var/lib/decisiongraph
WORKDIR /var/lib/decisiongraph
USER dg:dg
EXPOSE 8080
# readiness: database reachable and schema migrated (/api/readyz answers 200); bash's /dev/tcp needs no curl
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${DG_PORT:-8080} && printf 'GET /api/readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dg"]
CMD ["serve"]
