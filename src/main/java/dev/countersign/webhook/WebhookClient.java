package dev.countersign.webhook;

import dev.countersign.approval.OutboxMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** One signed POST of a stored event to the receiver, with no retry of its own. */
final class WebhookClient {

    static final String USER_AGENT = "Countersign-Webhook/1";
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    /** What one POST came to: a 2xx answer, or a failure worded to be safe in logs. */
    sealed interface Attempt {
        /** The receiver took the event. */
        record Accepted(int status) implements Attempt {
        }

        /** Another status, no answer in time, or no connection: {@code HTTP 500} and the like. */
        record Failed(String error) implements Attempt {
        }
    }

    private final HttpUrl url;
    private final WebhookSigner signer;
    private final OkHttpClient client;
    private final Clock clock;

    /**
     * Uses {@code client}'s pool and timeouts, always with retries and redirects off: the outbox
     * decides when to try again, and a redirect would send a signed approval somewhere else. Its
     * own OkHttp dispatcher, so that {@link #cancelAll()} ends only the webhook's calls.
     */
    WebhookClient(HttpUrl url, WebhookSigner signer, OkHttpClient client, Clock clock) {
        this.url = url;
        this.signer = signer;
        this.client = client.newBuilder()
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .addNetworkInterceptor(WebhookClient::noInstantRetry)
                .dispatcher(new Dispatcher())
                .build();
        this.clock = clock;
    }

    Attempt post(OutboxMessage message) {
        // Signed now, not when stored: receivers refuse timestamps older than five minutes.
        WebhookSigner.Signature signature = signer.sign(message.payload(), clock.instant());
        Request request = new Request.Builder()
                .url(url)
                .header(WebhookSigner.TIMESTAMP_HEADER, signature.timestamp())
                .header(WebhookSigner.SIGNATURE_HEADER, signature.header())
                .header("Idempotency-Key", message.requestId())
                .header("User-Agent", USER_AGENT)
                .post(RequestBody.create(message.payload().getBytes(StandardCharsets.UTF_8),
                        JSON_TYPE))
                .build();
        try (Response response = client.newCall(request).execute()) {
            // The status is the answer; the body is never read.
            int status = response.code();
            return response.isSuccessful() ? new Attempt.Accepted(status)
                    : new Attempt.Failed("HTTP " + status);
        } catch (InterruptedIOException timeout) {
            return new Attempt.Failed("no answer in time");
        } catch (IOException failure) {
            // The exception's message may name hosts or addresses: the class name is enough.
            return new Attempt.Failed(
                    "connection failed (" + failure.getClass().getSimpleName() + ")");
        }
    }

    /** Ends every POST under way at once, each as a failed attempt: for shutting down. */
    void cancelAll() {
        client.dispatcher().cancelAll();
    }

    /**
     * OkHttp resends a request answered by 503 with {@code Retry-After: 0}, whatever
     * {@code retryOnConnectionFailure} says. Dropping the header keeps every attempt counted and
     * spaced by the outbox's backoff.
     */
    private static Response noInstantRetry(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.code() == 503 && response.header("Retry-After") != null) {
            return response.newBuilder().removeHeader("Retry-After").build();
        }
        return response;
    }
}
