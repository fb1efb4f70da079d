# Build: docker build -t countersign .      Run: docker run --env-file .env -p 3000:3000 -v countersign-data:/app/data countersign
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /app countersign && mkdir -p /app/data && chown -R countersign /app
WORKDIR /app
COPY --from=build /src/target/countersign.jar /app/countersign.jar
USER countersign
ENV PORT=3000 DATABASE_URL=jdbc:sqlite:/app/data/countersign.db
EXPOSE 3000
VOLUME ["/app/data"]
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xss512k", "-jar", "/app/countersign.jar"]
