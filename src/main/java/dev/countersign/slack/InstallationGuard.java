package dev.countersign.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewClosedRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.people.Installation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of every listener (HTTP and Socket Mode alike): a request that names another app,
 * another workspace or another Enterprise Grid org than the installation is answered at once and
 * goes no further, so nothing is stored and nothing is sent. A valid signature only says the
 * request came from Slack for this app's secret; in an org the same person also acts from
 * workspaces Countersign was never installed in.
 */
final class InstallationGuard implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(InstallationGuard.class);
    static final String REFUSAL = "Countersign is not installed for this workspace or app, so "
            + "it did nothing. Use it from the workspace it was installed in.";

    /** What a request says about where it comes from. */
    private record Origin(String appId, String teamId, String enterpriseId) {
    }

    private final Installation installation;

    InstallationGuard(Installation installation) {
        this.installation = installation;
    }

    @Override
    public Response apply(Request request, Response response, MiddlewareChain chain)
            throws Exception {
        Origin origin = switch (request.getRequestType()) {
            // Slack's own handshakes carry no app or team, and touch nothing.
            case UrlVerification, SSLCheck -> null;
            case Command -> {
                var payload = ((SlashCommandRequest) request).getPayload();
                yield new Origin(payload.getApiAppId(), payload.getTeamId(),
                        payload.getEnterpriseId());
            }
            case BlockAction -> {
                var payload = ((BlockActionRequest) request).getPayload();
                yield new Origin(payload.getApiAppId(),
                        payload.getTeam() == null ? null : payload.getTeam().getId(),
                        payload.getEnterprise() == null ? null : payload.getEnterprise().getId());
            }
            case ViewSubmission -> {
                var payload = ((ViewSubmissionRequest) request).getPayload();
                yield new Origin(payload.getApiAppId(),
                        payload.getTeam() == null ? null : payload.getTeam().getId(),
                        payload.getEnterprise() == null ? null : payload.getEnterprise().getId());
            }
            case ViewClosed -> {
                var payload = ((ViewClosedRequest) request).getPayload();
                yield new Origin(payload.getApiAppId(),
                        payload.getTeam() == null ? null : payload.getTeam().getId(),
                        payload.getEnterprise() == null ? null : payload.getEnterprise().getId());
            }
            default -> eventOrigin(request.getRequestBodyAsString());
        };
        if (origin == null || installation.serves(origin.appId(), origin.teamId(),
                origin.enterpriseId())) {
            return chain.next(request);
        }
        log.warn("refused a {} request from app {}, team {}, enterprise {}: not this "
                        + "installation", request.getRequestType(), origin.appId(),
                origin.teamId(), origin.enterpriseId());
        return refusal(request);
    }

    /**
     * Events API callbacks (and any other JSON envelope) name their app, team and org at the top;
     * a body that is not such an envelope names none, and is refused.
     */
    private static Origin eventOrigin(String body) {
        try {
            JsonElement parsed = JsonParser.parseString(body == null ? "" : body);
            if (!parsed.isJsonObject()) {
                return new Origin(null, null, null);
            }
            JsonObject envelope = parsed.getAsJsonObject();
            return new Origin(text(envelope, "api_app_id"), text(envelope, "team_id"),
                    text(envelope, "enterprise_id"));
        } catch (RuntimeException e) {
            return new Origin(null, null, null);
        }
    }

    private static String text(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value == null || !value.isJsonPrimitive() ? null : value.getAsString();
    }

    private static Response refusal(Request request) {
        return switch (request.getRequestType()) {
            case Command -> Response.json(200, "{\"response_type\":\"ephemeral\",\"text\":\""
                    + ":no_entry: " + REFUSAL + "\"}");
            // The code modal shows why under its input; other modals just stay as they are.
            case ViewSubmission -> CodeModal.CALLBACK_ID.equals(((ViewSubmissionRequest) request)
                    .getPayload().getView().getCallbackId())
                    ? Response.json(200, "{\"response_action\":\"errors\",\"errors\":{\""
                            + CodeModal.CODE_BLOCK + "\":\"" + REFUSAL + "\"}}")
                    : Response.ok();
            default -> Response.ok();
        };
    }
}
