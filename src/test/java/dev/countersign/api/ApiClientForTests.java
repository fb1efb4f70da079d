package dev.countersign.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Calls Countersign's REST API over real HTTP and records every answer, so a test can check
 * each one against the OpenAPI document ({@link OpenApiDocument#assertDescribes}).
 */
final class ApiClientForTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer, with the route it was for ({@code /api/v1/approvals/{id}}). */
    record Answer(String method, String route, int status, String contentType, String body,
                  HttpResponse<String> response) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();
    final List<Answer> answers = new CopyOnWriteArrayList<>();

    ApiClientForTests(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Answer post(String key, String body, String idempotencyKey) {
        HttpRequest.Builder request = request("/api/v1/approvals", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send("POST", "/api/v1/approvals", request);
    }

    Answer get(String key, String id) {
        return send("GET", "/api/v1/approvals/{id}",
                request("/api/v1/approvals/" + id, key).GET());
    }

    Answer delete(String key, String id) {
        return send("DELETE", "/api/v1/approvals/{id}",
                request("/api/v1/approvals/" + id, key).DELETE());
    }

    /** Any method on any path; {@code route} is how the document names it (null: unknown). */
    Answer raw(String method, String path, String route, String key, String body) {
        HttpRequest.Builder request = request(path, key).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return send(method, route, request);
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request;
    }

    private Answer send(String method, String route, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            Answer answer = new Answer(method, route, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    response);
            answers.add(answer);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
