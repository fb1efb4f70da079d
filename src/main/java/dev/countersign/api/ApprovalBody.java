package dev.countersign.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.approval.Action;
import dev.countersign.approval.ActionInput;
import dev.countersign.people.SlackUserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/approvals}, read and checked field by field with the slash
 * command's rules ({@link ActionInput}); every wrong field is named, not only the first.
 */
final class ApprovalBody {

    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    static final int MAX_EXTERNAL_ID = 200;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private static final Set<String> TYPES = Set.of("payment", "signature", "generic");

    /** Who must approve: a Slack user id, or an email address Slack knows. */
    sealed interface Requester {
        record ById(String userId) implements Requester {
        }

        record ByEmail(String email) implements Requester {
        }
    }

    /** The body, read. */
    sealed interface Parsed {
        record Valid(Requester requester, Action action, String externalId, Duration lifetime)
                implements Parsed {
        }

        record Invalid(List<Problem.FieldError> errors) implements Parsed {
        }
    }

    private ApprovalBody() {
    }

    static Parsed read(JsonNode body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            errors.add(new Problem.FieldError("", "The body must be a JSON object."));
            return new Parsed.Invalid(errors);
        }
        Requester requester = requester(body.get("requester"), errors);
        Action action = action(body.get("action"), errors);
        String externalId = text(body, "external_id", "external_id", errors);
        if (externalId != null && (externalId.isBlank()
                || externalId.length() > MAX_EXTERNAL_ID)) {
            errors.add(new Problem.FieldError("external_id", "Must be 1 to " + MAX_EXTERNAL_ID
                    + " characters."));
        }
        Duration lifetime = lifetime(body.get("expires_in_seconds"), errors);
        return errors.isEmpty() ? new Parsed.Valid(requester, action, externalId, lifetime)
                : new Parsed.Invalid(errors);
    }

    private static Requester requester(JsonNode node, List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new Problem.FieldError("requester", "Say who must approve: "
                    + "{\"slack_user_id\": \"U0123ABCD\"} or {\"email\": \"alice@example.com\"}."));
            return null;
        }
        if (!node.isObject()) {
            errors.add(new Problem.FieldError("requester", "Must be an object."));
            return null;
        }
        String userId = text(node, "slack_user_id", "requester.slack_user_id", errors);
        String email = text(node, "email", "requester.email", errors);
        if ((userId == null) == (email == null)) {
            errors.add(new Problem.FieldError("requester", "Give exactly one of slack_user_id "
                    + "and email."));
            return null;
        }
        if (userId != null) {
            if (!SlackUserId.isValid(userId)) {
                errors.add(new Problem.FieldError("requester.slack_user_id", "Must be a Slack "
                        + "user id like U0123ABCD."));
                return null;
            }
            return new Requester.ById(userId);
        }
        if (!EMAIL.matcher(email).matches()) {
            errors.add(new Problem.FieldError("requester.email", "Must be an email address "
                    + "like alice@example.com."));
            return null;
        }
        return new Requester.ByEmail(email);
    }

    private static Action action(JsonNode node, List<Problem.FieldError> errors) {
        if (node == null || node.isNull() || !node.isObject()) {
            errors.add(new Problem.FieldError("action", "Must be an object with a type: "
                    + "payment, signature or generic."));
            return null;
        }
        String type = text(node, "type", "action.type", errors);
        if (type == null || !TYPES.contains(type)) {
            errors.add(new Problem.FieldError("action.type", "Must be payment, signature or "
                    + "generic."));
            return null;
        }
        int before = errors.size();
        ActionInput.Built built = switch (type) {
            case "payment" -> ActionInput.payment(
                    text(node, "amount", "action.amount", errors),
                    text(node, "currency", "action.currency", errors),
                    text(node, "payee", "action.payee", errors),
                    text(node, "memo", "action.memo", errors));
            case "signature" -> ActionInput.signature(
                    text(node, "document", "action.document", errors),
                    text(node, "counterparty", "action.counterparty", errors));
            default -> ActionInput.generic(text(node, "description", "action.description",
                    errors));
        };
        for (Map.Entry<String, String> problem : built.problems().entrySet()) {
            String field = "action." + problem.getKey();
            // A field that was not even a string is named once, for that.
            if (errors.subList(before, errors.size()).stream()
                    .noneMatch(error -> error.field().equals(field))) {
                errors.add(new Problem.FieldError(field, problem.getValue()));
            }
        }
        return built.action().orElse(null);
    }

    private static Duration lifetime(JsonNode node, List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            return DEFAULT_LIFETIME;
        }
        if (!node.canConvertToExactIntegral() || !node.isNumber()
                || node.asLong() < MIN_LIFETIME.toSeconds()
                || node.asLong() > MAX_LIFETIME.toSeconds()) {
            errors.add(new Problem.FieldError("expires_in_seconds", "Must be a whole number of "
                    + "seconds from " + MIN_LIFETIME.toSeconds() + " to "
                    + MAX_LIFETIME.toSeconds() + "."));
            return null;
        }
        return Duration.ofSeconds(node.asLong());
    }

    /** A string field, null when absent; anything else than a string is an error. */
    private static String text(JsonNode parent, String name, String path,
                               List<Problem.FieldError> errors) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new Problem.FieldError(path, "Must be a string."));
            return null;
        }
        return value.asText();
    }
}
