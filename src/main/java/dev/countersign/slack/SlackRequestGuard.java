package dev.countersign.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.response.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs around every listener and turns any unexpected exception into a calm answer: Slack never
 * sees a 5xx or a stack trace. (Signatures and their timestamps are checked before Bolt, by
 * {@link SlackSignatureCheck}.)
 */
final class SlackRequestGuard implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(SlackRequestGuard.class);

    @Override
    public Response apply(Request request, Response response,
            MiddlewareChain chain) throws Exception {
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
