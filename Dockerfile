# Build: docker build -t countersign .
# Run:   docker run --env-file .env -p 3000:3000 -v countersign-data:/app/data --memory 512m countersign
#
# Base images are pinned to exact tags: the runtime is the JDK the tests ran on (Temurin
# 25.0.3+9). Pin them further by digest (image@sha256:…) where you build; this file could not
# look digests up (no registry access where it was written).
FROM maven:3.9.11-eclipse-temurin-25-noble AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:25.0.3_9-jre-noble
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="Countersign" \
      org.opencontainers.image.description="Step-up approval of sensitive actions in Slack, with one-time codes by SMS or voice." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.documentation="README.md in the source repository" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:25.0.3_9-jre-noble"
RUN useradd --system --uid 10001 --home /app countersign && mkdir -p /app/data && chown -R countersign /app
WORKDIR /app
COPY --from=build /src/target/countersign.jar /app/countersign.jar
COPY LICENSE NOTICE /app/
USER countersign
ENV PORT=3000 DATABASE_URL=jdbc:sqlite:/app/data/countersign.db
EXPOSE 3000
VOLUME ["/app/data"]
# GET /healthz over bash's /dev/tcp: the image may have no curl, and starting a JVM every 30 s
# to ask would cost more memory and CPU than the service it checks. Needs BIND_ADDRESS to
# include 127.0.0.1 (the default 0.0.0.0 does).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3000} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# Sized for a 512 MiB container. Heap at most 320 MiB (live data ~100 MiB); a 192 MiB young
# generation lets an approval's objects (alive ~5 s while SignalWire answers) die before they
# are copied (the 256 MiB of the benchmark's runs cut GC pauses from 45 to 10 a minute at 100
# approvals/s: BENCHMARKS.md). Outside the heap: metaspace ~60 MiB of its 96, compiled code
# ~40 of 64, direct buffers at most 32, ~100 platform threads at 512 KiB of stack, SQLite's
# page cache. Serial GC: two cores, a small heap. A JVM out of memory exits (exit 3 for any
# thread that dies of it, see Main) so the container is restarted, not left half alive.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-Xss512k", "-Xmn192m", "-Xmx320m", "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=32m", "-jar", "/app/countersign.jar"]
