package dev.countersign.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document is valid OpenAPI 3.1 for a standard parser (swagger-parser). */
class OpenApiDocumentTest {

    @Test
    void servedDocumentIsValidOpenApi31() {
        SwaggerParseResult result = check(new String(ApiServlet.openApiDocument(),
                StandardCharsets.UTF_8));

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths()).containsKeys("/api/v1/approvals",
                "/api/v1/approvals/{id}", "/api/v1/openapi.json");
    }

    @Test
    void aBrokenDocumentIsRefusedByTheSameCheck() {
        SwaggerParseResult result = check("""
                {"openapi": "3.1.0", "info": {"title": "x"},
                 "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/nowhere"}}}}}}""");

        assertThat(result.getMessages()).isNotEmpty();
    }

    /**
     * The one check both tests run, so the broken document shows that this check (with its
     * options) can fail, not merely that some parse of it would.
     */
    private static SwaggerParseResult check(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(document, null, options);
    }
}
