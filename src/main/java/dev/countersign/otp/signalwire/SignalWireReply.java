package dev.countersign.otp.signalwire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.countersign.json.Json;
import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One HTTP answer from SignalWire, read defensively: the body only when its status says it matters,
 * and never more than {@link #MAX_BODY_BYTES} of it.
 *
 * @param status     the HTTP status
 * @param retryAfter the {@code Retry-After} header, or {@code null}
 * @param body       the body as a JSON object, or {@link MissingNode} when unread or unreadable
 * @param unreadable why the body could not be used, or {@code null}
 */
record SignalWireReply(int status, String retryAfter, JsonNode body, String unreadable) {

    /** Far above any MFA reply; a cap so a hostile or broken server cannot exhaust memory. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final ObjectMapper JSON = Json.newMapper();

    boolean successful() {
        return status >= 200 && status < 300;
    }

    /** Reads {@code response}; the caller still owns and closes it. */
    static SignalWireReply of(Response response) throws IOException {
        int status = response.code();
        String retryAfter = response.header("Retry-After");
        if (!hasUsefulBody(status)) {
            return new SignalWireReply(status, retryAfter, MissingNode.getInstance(), "not read");
        }
        ResponseBody body = response.body();
        if (body == null) {
            return new SignalWireReply(status, retryAfter, MissingNode.getInstance(), "no body");
        }
        BufferedSource source = body.source();
        // request(n) reads until n bytes are buffered or the body ends, whichever comes first.
        if (source.request(MAX_BODY_BYTES + 1L)) {
            return new SignalWireReply(status, retryAfter, MissingNode.getInstance(),
                    "body larger than " + MAX_BODY_BYTES / 1024 + " KiB");
        }
        byte[] bytes = source.getBuffer().readByteArray();
        try {
            JsonNode json = JSON.readTree(bytes);
            return json != null && json.isObject()
                    ? new SignalWireReply(status, retryAfter, json, null)
                    : new SignalWireReply(status, retryAfter, MissingNode.getInstance(), "not a JSON object");
        } catch (IOException notJson) {
            // Jackson's message quotes the body; it stays out of details and logs.
            return new SignalWireReply(status, retryAfter, MissingNode.getInstance(), "not JSON");
        }
    }

    /** Only these answers carry words we use; the rest are judged by status alone. */
    private static boolean hasUsefulBody(int status) {
        return (status >= 200 && status < 300)
                || status == 400 || status == 401 || status == 403 || status == 422;
    }
}
