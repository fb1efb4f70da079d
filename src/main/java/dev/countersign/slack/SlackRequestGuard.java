package dev.countersign.slack;

import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.response.Response;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs around every listener. It refuses requests stamped too far in the future (Bolt only
 * refuses old ones; a future stamp would let a captured request be replayed later), and turns
 * any unexpected exception into a calm answer: Slack never sees a 5xx or a stack trace.
 */
final class SlackRequestGuard implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(SlackRequestGuard.class);
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final Clock clock;

    SlackRequestGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Response apply(Request request, Response response,
            MiddlewareChain chain) throws Exception {
        if (!request.isSocketMode() && fromTheFuture(request)) {
            log.warn("refused a {} request stamped more than {} s in the future",
                    request.getRequestType(), MAX_SKEW.toSeconds());
            return Response.json(401, "{\"error\":\"invalid request\"}");
        }
        try {
            return chain.next(request);
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            log.error("handling a {} request failed: {}", request.getRequestType(), e.toString(),
                    e);
            return fallback(request.getRequestType());
        }
    }

    private boolean fromTheFuture(Request request) {
        String stamp = request.getHeaders().getFirstValue(
                SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP);
        if (stamp == null) {
            return false; // Bolt's verification already refused unsigned requests
        }
        try {
            return Long.parseLong(stamp.trim()) > clock.instant().plus(MAX_SKEW).getEpochSecond();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Response fallback(RequestType type) {
        String sorry = ":x: Something went wrong on Countersign's side. Nothing was approved. Try "
                + "again, and tell your Countersign admin if it keeps happening.";
        if (type == RequestType.Command) {
            return Response.json(200,
                    "{\"response_type\":\"ephemeral\",\"text\":\"" + sorry + "\"}");
        }
        if (type == RequestType.ViewSubmission) {
            return Response.json(200, "{\"response_action\":\"errors\",\"errors\":{\""
                    + CodeModal.CODE_BLOCK + "\":\"" + sorry.substring(4) + "\"}}");
        }
        return Response.ok();
    }
}
