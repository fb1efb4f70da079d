package dev.countersign.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The served OpenAPI document, read as a tree, and the check that it describes an answer the
 * server gave: its route and method, its status, its content type and the required fields of
 * its schema.
 */
final class OpenApiDocument {

    private final JsonNode doc;

    OpenApiDocument(String json) {
        try {
            this.doc = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("openapi.json is not JSON", e);
        }
    }

    void assertDescribes(List<ApiClientForTests.Answer> answers) {
        for (ApiClientForTests.Answer answer : answers) {
            assertDescribes(answer);
        }
    }

    void assertDescribes(ApiClientForTests.Answer answer) {
        String what = answer.method() + " " + answer.route() + " → " + answer.status();
        JsonNode response;
        if (answer.route() == null) {
            assertThat(answer.status()).as(what).isEqualTo(404);
            response = resolve(doc.at("/components/responses/NotFound"));
        } else {
            JsonNode path = doc.path("paths").path(answer.route());
            assertThat(path.isObject()).as("%s: route documented", what).isTrue();
            JsonNode operation = path.path(answer.method().toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                assertThat(answer.status()).as("%s: undocumented method", what).isEqualTo(405);
                response = resolve(doc.at("/components/responses/MethodNotAllowed"));
            } else {
                response = resolve(operation.path("responses")
                        .path(Integer.toString(answer.status())));
            }
        }
        assertThat(response.isObject()).as("%s: status documented", what).isTrue();
        String type = answer.contentType().replaceFirst(";.*$", "").strip();
        JsonNode content = response.path("content").path(type);
        assertThat(content.isObject()).as("%s: content type %s documented", what, type)
                .isTrue();
        JsonNode schema = resolve(content.path("schema"));
        JsonNode body = answer.json();
        schema.path("required").forEach(field -> assertThat(body.has(field.asText()))
                .as("%s: required field %s in %s", what, field.asText(), answer.body())
                .isTrue());
        if (schema.path("properties").path("status").has("enum")) {
            List<String> words = new ArrayList<>();
            schema.path("properties").path("status").path("enum")
                    .forEach(word -> words.add(word.asText()));
            assertThat(words).as(what).contains(body.path("status").asText());
        }
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = doc.at(node.path("$ref").asText().substring(1));
        }
        return node;
    }
}
