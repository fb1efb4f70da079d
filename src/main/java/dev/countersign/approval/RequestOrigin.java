package dev.countersign.approval;

import java.util.Locale;
import java.util.Objects;

/**
 * Who asked for a request: a person in Slack ({@code /approve}, the form), another system through
 * the REST API, or a Workflow Builder step. The webhook names it, and an API client sees only the
 * requests it made.
 *
 * @param client              the API client's name (API only)
 * @param externalId          the asking system's own id for the action, as it sent it
 * @param functionExecutionId the Workflow Builder step's execution (workflow only)
 */
public record RequestOrigin(Source source, String client, String externalId,
                            String functionExecutionId) {

    /** Asked by a person in Slack. */
    public static final RequestOrigin SLACK = new RequestOrigin(Source.SLACK, null, null, null);

    public enum Source {
        SLACK, API, WORKFLOW;

        /** As sent to webhooks: {@code slack}, {@code api}, {@code workflow}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RequestOrigin {
        Objects.requireNonNull(source, "source");
        if (source == Source.API && (client == null || client.isBlank())) {
            throw new IllegalArgumentException("an API request names its client");
        }
    }

    public static RequestOrigin api(String client, String externalId) {
        return new RequestOrigin(Source.API, client, externalId, null);
    }

    public static RequestOrigin workflow(String functionExecutionId) {
        return new RequestOrigin(Source.WORKFLOW, null, null,
                Objects.requireNonNull(functionExecutionId, "functionExecutionId"));
    }
}
