package dev.countersign.api;

import java.util.List;
import java.util.Objects;

/**
 * An error answer of the API, written as {@code application/problem+json} (RFC 9457): a type
 * URI, a title that stays the same for its type, the HTTP status, a detail for this occurrence,
 * and for invalid input every field that was wrong.
 *
 * @param errors the fields that were wrong, by JSON pointer-like path ({@code action.amount})
 */
record Problem(String type, String title, int status, String detail,
               List<FieldError> errors) {

    /** One wrong field and what is wrong with it. */
    record FieldError(String field, String detail) {
    }

    Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        errors = List.copyOf(errors);
    }

    static Problem of(String slug, String title, int status, String detail) {
        return new Problem("urn:countersign:problem:" + slug, title, status, detail, List.of());
    }

    static Problem invalid(List<FieldError> errors) {
        String fields = String.join(", ", errors.stream().map(FieldError::field).toList());
        return new Problem("urn:countersign:problem:invalid-request", "Invalid request", 400,
                "These fields are not valid: " + fields + ".", errors);
    }

    static Problem unauthorized(String detail) {
        return of("unauthorized", "Unauthorized", 401, detail);
    }

    static Problem notFound(String detail) {
        return of("not-found", "Not found", 404, detail);
    }
}
